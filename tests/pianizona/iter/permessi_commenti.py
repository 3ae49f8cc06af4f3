"""Permission-matrix rows for the review remarks (``piani/<piano>/osservazioni/...``).

Whoever sees the plan reads its remarks (another ambito finds nothing: 404). The regional officer
writes, resolves and reopens (302 back to the page); the ambito's operatore and responsabile may
only reply (403 elsewhere); the administrator looks but never writes (403).
"""

from pianizona.models import Commento, Piano
from tests.conftest import Cast
from tests.permessi import LOGIN, Row, per_ruolo

VEDERE = per_ruolo(LOGIN, 200, 200, 404, 200, 200)
ISTRUIRE = per_ruolo(LOGIN, 403, 403, 404, 302, 403)
RISPONDERE = per_ruolo(LOGIN, 302, 302, 404, 302, 403)


def _in_istruttoria(cast: Cast) -> Piano:
    Piano.objects.filter(pk=cast.piano_a.pk).update(stato=Piano.Stato.IN_ISTRUTTORIA)
    return cast.piano_a


def _piano(cast: Cast) -> dict:
    return {"piano_pk": _in_istruttoria(cast).pk}


def _osservazione(cast: Cast, *, risolta: bool = False) -> dict:
    piano = _in_istruttoria(cast)
    commento = Commento.objects.create(
        piano=piano, sezione="generale", autore=cast.funzionario, testo="Manca il cronoprogramma."
    )
    if risolta:
        Commento.objects.filter(pk=commento.pk).update(
            risolto_il=commento.creato_il, risolto_da=cast.funzionario
        )
    return {"piano_pk": piano.pk, "pk": commento.pk}


def _testo(cast: Cast, ruolo: str) -> dict:
    return {"sezione": "generale", "testo": f"Scritto come {ruolo}."}


RIGHE: dict[str, Row] = {
    "piano_commenti": Row(VEDERE, _piano),
    "piano_commento_crea": Row(ISTRUIRE, _piano, method="post", data=_testo),
    "piano_commento_rispondi": Row(RISPONDERE, _osservazione, method="post", data=_testo),
    "piano_commento_risolvi": Row(ISTRUIRE, _osservazione, method="post"),
    "piano_commento_riapri": Row(
        ISTRUIRE, lambda cast: _osservazione(cast, risolta=True), method="post"
    ),
}
