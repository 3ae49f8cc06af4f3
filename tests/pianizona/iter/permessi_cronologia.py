"""Permission-matrix rows for the cronologia pages.

Whoever may see the plan reads its history and downloads it: the ambito's users, the regional
officer, the administrator; another ambito finds nothing (404).
"""

from tests.conftest import Cast
from tests.permessi import LOGIN, Row, per_ruolo

VEDERE = per_ruolo(LOGIN, 200, 200, 404, 200, 200)


def _piano(cast: Cast) -> dict:
    return {"pk": cast.piano_a.pk}


RIGHE: dict[str, Row] = {
    "piano_cronologia": Row(VEDERE, _piano),
    "piano_cronologia_esporta": Row(VEDERE, _piano),
}
