"""Permission-matrix rows for the Region's cycle pages.

The regional officer and the administrator see the cycles (district users 403); only the officer
opens, completes and closes one, the administrator looks but never acts (403).
"""

from tests.conftest import Cast
from tests.permessi import LOGIN, Row, per_ruolo

LETTURA = per_ruolo(LOGIN, 403, 403, 403, 200, 200)
SCRITTURA = per_ruolo(LOGIN, 403, 403, 403, 302, 403)
SOLO_POST = per_ruolo(LOGIN, 405, 405, 405, 405, 405)


def _regione(cast: Cast) -> dict:
    return {"pk": cast.regione.pk}


def _ciclo(cast: Cast) -> dict:
    return {"pk": cast.piano_a.ciclo_id}


def _nuovo_ciclo(cast: Cast, ruolo: str) -> dict:
    return {
        "nome": "Piano sociale 2028–2030",
        "tipo": "triennale",
        "anno_inizio": "2028",
        "anno_fine": "2030",
    }


RIGHE: dict[str, Row] = {
    "regione_cicli": Row(LETTURA, _regione, post=SCRITTURA, data=_nuovo_ciclo),
    "ciclo_detail": Row(LETTURA, _ciclo),
    "ciclo_piani_mancanti": Row(SOLO_POST, _ciclo, post=SCRITTURA),
    "ciclo_chiusura": Row(
        SOLO_POST, _ciclo, post=SCRITTURA, data=lambda cast, ruolo: {"conferma": "1"}
    ),
}
