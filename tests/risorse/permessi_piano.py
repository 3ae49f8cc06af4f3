"""Permission-matrix rows for the district's resource pages (``piani/<piano>/risorse/...``).

The ambito's users and the regional officer and the administrator look (GET 200); another ambito
finds nothing (404). Only the ambito's operatore and responsabile write (POST → 302 after the
save); the officer and the administrator may look but not act (403).
"""

from decimal import Decimal

from pianizona.models import FonteFinanziamento
from risorse.models import FonteCiclo, ResiduoEconomia, RisorsaAggiuntiva

from ..conftest import Cast
from ..permessi import LOGIN, Row, per_ruolo

VEDERE = per_ruolo(LOGIN, 200, 200, 404, 200, 200)
MODIFICARE = per_ruolo(LOGIN, 302, 302, 404, 403, 403)


def _fonte_attiva(cast: Cast) -> FonteFinanziamento:
    fonte, _ = FonteFinanziamento.objects.get_or_create(
        codice="FNPS",
        defaults={"nome": "FNPS", "livello": "statale", "sezione": "ordinarie"},
    )
    FonteCiclo.objects.get_or_create(
        ciclo=cast.piano_a.ciclo, fonte=fonte, defaults={"sezione": "ordinarie"}
    )
    return fonte


def _piano(cast: Cast) -> dict:
    return {"piano_pk": cast.piano_a.pk}


def _residuo(cast: Cast) -> dict:
    residuo = ResiduoEconomia.objects.create(
        piano=cast.piano_a,
        fonte=_fonte_attiva(cast),
        anno_origine=2023,
        anno_impiego=2025,
        tipo="residuo",
        importo=Decimal("100.00"),
    )
    return {"piano_pk": cast.piano_a.pk, "pk": residuo.pk}


def _fonte_altra_risorsa(cast: Cast) -> FonteFinanziamento:
    """A fund the district brings in itself (an ASL share): the only kind an altra risorsa takes."""
    fonte, _ = FonteFinanziamento.objects.get_or_create(
        codice="ASL",
        defaults={"nome": "Quota ASL", "livello": "sanitaria", "sezione": "altre_risorse"},
    )
    FonteCiclo.objects.get_or_create(
        ciclo=cast.piano_a.ciclo, fonte=fonte, defaults={"sezione": "altre_risorse"}
    )
    return fonte


def _altra_risorsa(cast: Cast) -> dict:
    risorsa = RisorsaAggiuntiva.objects.create(
        piano=cast.piano_a, fonte=_fonte_altra_risorsa(cast), anno=2025, importo=Decimal("100.00")
    )
    return {"piano_pk": cast.piano_a.pk, "pk": risorsa.pk}


def _dati_residuo(cast: Cast, ruolo: str) -> dict:
    return {
        "fonte": _fonte_attiva(cast).pk,
        "anno_origine": "2024",
        "anno_impiego": "2025",
        "tipo": "economia",
        "importo": "1.000,00",
        "stato": "stimato",
    }


def _dati_altra_risorsa(cast: Cast, ruolo: str) -> dict:
    return {"fonte": _fonte_altra_risorsa(cast).pk, "anno": "2026", "importo": "500"}


RIGHE: dict[str, Row] = {
    "risorse:riepilogo": Row(VEDERE, _piano),
    # Without transfers the acknowledgement is refused with a message: still a redirect.
    "risorse:recepimento": Row(MODIFICARE, _piano, method="post"),
    "risorse:segnalazione_crea": Row(
        MODIFICARE, _piano, method="post", data=lambda cast, ruolo: {"nota": "Manca FNA 2025"}
    ),
    "risorse:residui": Row(VEDERE, _piano, post=MODIFICARE, data=_dati_residuo),
    "risorse:residuo_modifica": Row(VEDERE, _residuo, post=MODIFICARE, data=_dati_residuo),
    "risorse:residuo_elimina": Row(VEDERE, _residuo, post=MODIFICARE),
    "risorse:altre_risorse": Row(VEDERE, _piano, post=MODIFICARE, data=_dati_altra_risorsa),
    "risorse:altra_risorsa_modifica": Row(
        VEDERE, _altra_risorsa, post=MODIFICARE, data=_dati_altra_risorsa
    ),
    "risorse:altra_risorsa_elimina": Row(VEDERE, _altra_risorsa, post=MODIFICARE),
    "risorse:cofinanziamento": Row(
        VEDERE, _piano, post=MODIFICARE, data=lambda cast, ruolo: {"revisione": "0"}
    ),
    "risorse:cofinanziamento_esporta": Row(VEDERE, _piano),
    "risorse:cofinanziamento_importa": Row(
        VEDERE, _piano, post=MODIFICARE, data=lambda cast, ruolo: {"azione": "annulla"}
    ),
    "risorse:budget": Row(VEDERE, _piano),
}
