"""Permission-matrix rows for the panoramica pages.

The Region's table of plans is for the regional officer and the administrator; district users
belong to the region but may not see every ambito at once (403).
"""

from tests.conftest import Cast
from tests.permessi import LOGIN, Row, per_ruolo

PANORAMICA = per_ruolo(LOGIN, 403, 403, 403, 200, 200)


def _regione(cast: Cast) -> dict:
    return {"pk": cast.regione.pk}


RIGHE: dict[str, Row] = {
    "regione_piani": Row(PANORAMICA, _regione),
    "regione_piani_esporta": Row(PANORAMICA, _regione),
}
