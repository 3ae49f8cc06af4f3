"""Permission-matrix rows for the dashboards and the SIOSS export.

The Region's dashboard (and its cycle link) is for those who see the whole region: the officer
and the administrator; district users get 403. A district's dashboard and SIOSS export are for
whoever sees the ambito; another ambito finds nothing (404). A chart's CSV without ``?grafico=``
is a 400 naming the charts that exist (the matrix asks for the bare URL).
"""

from ..conftest import Cast
from ..permessi import LOGIN, Row, per_ruolo


def _regione(cast: Cast) -> dict:
    return {"pk": cast.regione.pk}


def _ambito(cast: Cast) -> dict:
    return {"pk": cast.ambito_a.pk}


def _anno(cast: Cast) -> dict:
    return {"pk": cast.ambito_a.pk, "anno": 2025}


REGIONALE = per_ruolo(LOGIN, 403, 403, 403, 200, 200)
AMBITO = per_ruolo(LOGIN, 200, 200, 404, 200, 200)

RIGHE: dict[str, Row] = {
    "monitoraggio:cruscotto_regione": Row(REGIONALE, _regione),
    "monitoraggio:cruscotto_regione_csv": Row(per_ruolo(LOGIN, 403, 403, 403, 400, 400), _regione),
    "monitoraggio:cruscotto_ciclo": Row(
        per_ruolo(LOGIN, 403, 403, 403, 302, 302), lambda c: {"ciclo_pk": c.piano_a.ciclo_id}
    ),
    "monitoraggio:cruscotto_ambito": Row(AMBITO, _ambito),
    "monitoraggio:cruscotto_ambito_csv": Row(per_ruolo(LOGIN, 400, 400, 404, 400, 400), _ambito),
    "monitoraggio:sioss": Row(AMBITO, _ambito),
    "monitoraggio:sioss_csv": Row(AMBITO, _anno),
    "monitoraggio:sioss_xlsx": Row(AMBITO, _anno),
}
