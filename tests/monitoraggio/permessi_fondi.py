"""Permission-matrix rows for fund monitoring, on ambito A (its plan is a draft: nothing approved).

Whoever sees the ambito reads its monitoring pages; another ambito finds nothing (404). The district
declares and opens (refused without an approved plan: the form again, 400, or back to the page,
302); only the responsabile submits (the report has no declarations: back with the reason, 302);
only the officer accepts or sends back (a draft cannot be: back with the reason, 302); the
administrator looks but never acts (403). The Region's list is for the officer and the admin.
"""

from monitoraggio.models import Rendicontazione
from pianizona.models import AreaInterventoFnps, FonteFinanziamento, MacroLivello, ObiettivoServizio

from ..conftest import Cast
from ..permessi import LOGIN, Row, per_ruolo

VEDERE = per_ruolo(LOGIN, 200, 200, 404, 200, 200)
REGIONE = per_ruolo(LOGIN, 403, 403, 403, 200, 200)


def _ambito(cast: Cast) -> dict:
    return {"pk": cast.ambito_a.pk}


def _linea(cast: Cast) -> dict:
    fonte = FonteFinanziamento.objects.get_or_create(
        codice="FNPS",
        defaults={
            "nome": "Fondo Nazionale Politiche Sociali",
            "livello": "statale",
            "sezione": "ordinarie",
        },
    )[0]
    macro = MacroLivello.objects.get_or_create(codice=1, defaults={"nome": "Accesso"})[0]
    obiettivo = ObiettivoServizio.objects.get_or_create(
        codice="1.1", defaults={"nome": "Accesso", "macro_livello": macro}
    )[0]
    area = AreaInterventoFnps.objects.get_or_create(codice=1, defaults={"nome": "Infanzia"})[0]
    return {
        "pk": cast.ambito_a.pk,
        "anno": 2025,
        "fonte": fonte.pk,
        "obiettivo": obiettivo.pk,
        "area": area.pk,
    }


def _rendicontazione(cast: Cast) -> dict:
    r, _ = Rendicontazione.objects.get_or_create(
        ambito=cast.ambito_a, anno=2025, defaults={"ciclo": cast.piano_a.ciclo}
    )
    return {"pk": r.pk}


def _dichiarazione(cast: Cast, ruolo: str) -> dict:
    return {"data": "30/06/2025", "impegnato": "100", "liquidato": "0"}


def _stato(cast: Cast, ruolo: str) -> dict:
    return {"stato_atteso": "bozza", "commento": "Integrare il liquidato.", "anno": "2025"}


TRANSIZIONE_ISTRUTTORIA = per_ruolo(LOGIN, 403, 403, 404, 302, 403)

RIGHE: dict[str, Row] = {
    "monitoraggio:fondi_ambito": Row(VEDERE, _ambito),
    "monitoraggio:fondi_apri": Row(
        per_ruolo(LOGIN, 302, 302, 404, 403, 403), _ambito, method="post", data=_stato
    ),
    "monitoraggio:fondi_linea": Row(
        VEDERE, _linea, post=per_ruolo(LOGIN, 400, 400, 404, 403, 403), data=_dichiarazione
    ),
    "monitoraggio:fondi_invia": Row(
        per_ruolo(LOGIN, 403, 302, 404, 403, 403), _rendicontazione, method="post", data=_stato
    ),
    "monitoraggio:fondi_accetta": Row(
        TRANSIZIONE_ISTRUTTORIA, _rendicontazione, method="post", data=_stato
    ),
    "monitoraggio:fondi_restituisci": Row(
        TRANSIZIONE_ISTRUTTORIA, _rendicontazione, method="post", data=_stato
    ),
    "monitoraggio:fondi_regione": Row(REGIONE, lambda cast: {"pk": cast.regione.pk}),
    "monitoraggio:fondi_ciclo": Row(
        per_ruolo(LOGIN, 403, 403, 403, 302, 302), lambda cast: {"pk": cast.piano_a.ciclo_id}
    ),
}
