"""Permission-matrix rows for the indicators.

The Region's pages hang from the cycle: officers and administrators see the catalogue; only the
officer edits targets, loads the standard catalogue and asks for a whole-region recalculation
(the administrator acts only in the Django admin: 403). District users are refused the Region's
pages (403: the cycle is of their region). An ambito's indicators and a value's history are for
whoever sees the ambito (the other ambito finds nothing: 404); values are entered by the
ambito's users only, and its recalculation is asked for by them or by the officer.
"""

from monitoraggio.models import Indicatore

from ..conftest import Cast
from ..permessi import LOGIN, Row, per_ruolo
from .indicatori_dati import carica_catalogo


def _ciclo(cast: Cast) -> dict:
    carica_catalogo(cast.regione)
    return {"ciclo_pk": cast.piano_a.ciclo_id}


def _ambito(cast: Cast) -> dict:
    carica_catalogo(cast.regione)
    return {"ambito_pk": cast.ambito_a.pk}


def _storico(cast: Cast) -> dict:
    carica_catalogo(cast.regione)
    indicatore = Indicatore.objects.get(regione=cast.regione, codice="SPS01")
    return {"ambito_pk": cast.ambito_a.pk, "indicatore_pk": indicatore.pk}


def _indicatore(cast: Cast, codice: str) -> Indicatore:
    return Indicatore.objects.get(regione=cast.regione, codice=codice)


def _target(cast: Cast, ruolo: str) -> dict:
    pk = _indicatore(cast, "UTE02").pk
    return {"indicatore": pk, f"target-{pk}-target": "25"}


def _valore(cast: Cast, ruolo: str) -> dict:
    pk = _indicatore(cast, "UTE01").pk
    return {"indicatore": pk, f"valore-{pk}-anno": "2025", f"valore-{pk}-valore": "1.250"}


RIGHE: dict[str, Row] = {
    "monitoraggio:indicatori_catalogo": Row(
        per_ruolo(LOGIN, 403, 403, 403, 200, 200),
        _ciclo,
        data=_target,
        post=per_ruolo(LOGIN, 403, 403, 403, 302, 403),
    ),
    "monitoraggio:indicatori_catalogo_carica": Row(
        per_ruolo(LOGIN, 403, 403, 403, 302, 403), _ciclo, method="post"
    ),
    "monitoraggio:indicatori_ricalcola_regione": Row(
        per_ruolo(LOGIN, 403, 403, 403, 302, 403), _ciclo, method="post"
    ),
    "monitoraggio:indicatori_ambito": Row(
        per_ruolo(LOGIN, 200, 200, 404, 200, 200),
        _ambito,
        data=_valore,
        post=per_ruolo(LOGIN, 302, 302, 404, 403, 403),
    ),
    "monitoraggio:indicatori_ricalcola_ambito": Row(
        per_ruolo(LOGIN, 302, 302, 404, 302, 403), _ambito, method="post"
    ),
    "monitoraggio:indicatore_storico": Row(per_ruolo(LOGIN, 200, 200, 404, 200, 200), _storico),
}
