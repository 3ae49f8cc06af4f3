"""Permission-matrix rows for the plan's journey (``piani/<pk>/...``), on ambito A's draft plan.

Everyone who may see the plan reads its checklist, versions and annual-update page; another ambito
finds nothing (404). Only the responsabile submits, only the officer reviews and decides; the
administrator looks but never acts (403). The draft fails its checks, so the responsabile's
submission and the officer's approval without the right password come back as the page (400).
"""

from pianizona.iter.istantanee import istantanea_del_piano
from pianizona.models import Versione
from tests.conftest import Cast
from tests.permessi import LOGIN, Row, per_ruolo

VEDERE = per_ruolo(LOGIN, 200, 200, 404, 200, 200)
ISTRUIRE = per_ruolo(LOGIN, 403, 403, 404, 200, 403)


def _piano(cast: Cast) -> dict:
    return {"pk": cast.piano_a.pk}


def _versione(cast: Cast) -> dict:
    istantanea = istantanea_del_piano(cast.piano_a)
    Versione.objects.get_or_create(
        piano=cast.piano_a,
        numero=1,
        defaults={
            "creata_da": cast.responsabile_a,
            "contenuto": istantanea.as_dict(),
            "impronta": istantanea.impronta(),
        },
    )
    return {"pk": cast.piano_a.pk, "numero": 1}


def _stato(cast: Cast, ruolo: str) -> dict:
    return {"stato_atteso": "bozza", "commento": "Integrare il cofinanziamento.", "conferma": "x"}


RIGHE: dict[str, Row] = {
    "piano_invio": Row(VEDERE, _piano, post=per_ruolo(LOGIN, 403, 400, 404, 403, 403), data=_stato),
    # A draft cannot be taken in charge: the officer is sent back to the plan with the reason.
    "piano_presa_in_carico": Row(
        per_ruolo(LOGIN, 403, 403, 404, 302, 403), _piano, method="post", data=_stato
    ),
    "piano_richiesta_integrazioni": Row(
        ISTRUIRE, _piano, post=per_ruolo(LOGIN, 403, 403, 404, 302, 403), data=_stato
    ),
    "piano_approvazione": Row(
        ISTRUIRE, _piano, post=per_ruolo(LOGIN, 403, 403, 404, 400, 403), data=_stato
    ),
    "piano_versioni": Row(VEDERE, _piano),
    "piano_versione": Row(VEDERE, _versione),
    # No approved plan yet: the district's request is shown again with the reason (400).
    "piano_attuativo_avvia": Row(
        VEDERE,
        _piano,
        post=per_ruolo(LOGIN, 400, 400, 404, 403, 403),
        data=lambda cast, ruolo: {"anno": "2026"},
    ),
}
