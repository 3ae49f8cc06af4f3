"""Permission-matrix rows for the narrative and the allocation spreadsheet (``piani/<piano>/...``).

The ambito's users, the regional officer and the administrator look (GET 200), and may ask for
the preview of a text, which saves nothing; another ambito finds nothing (404). Only the ambito's
operatore and responsabile write (POST → 302 after the save); the officer and the administrator
may look but not act (403).
"""

from ..conftest import Cast
from ..permessi import LOGIN, Row, per_ruolo

VEDERE = per_ruolo(LOGIN, 200, 200, 404, 200, 200)
MODIFICARE = per_ruolo(LOGIN, 302, 302, 404, 403, 403)


def _piano(cast: Cast) -> dict:
    return {"piano_pk": cast.piano_a.pk}


def _capitolo(cast: Cast) -> dict:
    return {"piano_pk": cast.piano_a.pk, "capitolo": "contesto"}


RIGHE: dict[str, Row] = {
    "programmazione:narrativa": Row(VEDERE, _piano),
    "programmazione:narrativa_modifica": Row(
        VEDERE,
        _capitolo,
        post=MODIFICARE,
        data=lambda cast, ruolo: {"testo": "Il **contesto** dell'ambito.", "revisione": "0"},
    ),
    "programmazione:narrativa_anteprima": Row(
        VEDERE, _piano, method="post", data=lambda cast, ruolo: {"testo": "*Prova*"}
    ),
    "programmazione:allocazioni_esporta": Row(VEDERE, _piano),
    # Cancelling a pending import is the one write that needs no file: still a redirect.
    "programmazione:allocazioni_importa": Row(
        VEDERE, _piano, post=MODIFICARE, data=lambda cast, ruolo: {"azione": "annulla"}
    ),
}
