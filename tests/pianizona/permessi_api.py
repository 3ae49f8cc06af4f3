"""Permission-matrix rows for the API and the open data, with the session (keys: tests/api).

Data endpoints answer anonymous callers 401 in JSON; a signed-in user lists within their scope
(200, possibly empty) and finds another ambito's objects nowhere (404), drafts included, since a
session user sees their ambito's drafts. The schema, its documentation and the open-data pages
are public; any other path under /api/v1/ is a JSON 404.
"""

from tests.api import dati

from ..permessi import TUTTI, Row, per_ruolo

DATI = per_ruolo(401, 200, 200, 200, 200, 200)  # lists, and objects every member sees
DI_A = per_ruolo(401, 200, 200, 404, 200, 200)  # an object of ambito A
NON_TROVATO = per_ruolo(404, 404, 404, 404, 404, 404)


def _pk(oggetto) -> dict:
    return {"pk": oggetto.pk}


RIGHE: dict[str, Row] = {
    "api:schema": Row(TUTTI),
    "api:documentazione": Row(TUTTI),
    "api:api-root": Row(DATI),
    "api:non_trovato": Row(NON_TROVATO, lambda c: {"resto": "piani/abc/"}),
    "api:regione-list": Row(DATI),
    "api:regione-detail": Row(DATI, lambda c: _pk(c.regione)),
    "api:ambito-list": Row(DATI),
    "api:ambito-detail": Row(DI_A, lambda c: _pk(c.ambito_a)),
    "api:ciclo-list": Row(DATI),
    "api:ciclo-detail": Row(DATI, lambda c: _pk(c.piano_a.ciclo)),
    "api:piano-list": Row(DATI),
    "api:piano-detail": Row(DI_A, lambda c: _pk(c.piano_a)),
    "api:piano-versioni": Row(DI_A, lambda c: _pk(c.piano_a)),
    "api:budget-list": Row(DATI),
    "api:budget-detail": Row(DI_A, lambda c: _pk(c.piano_a)),
    "api:catalogo-list": Row(DATI),
    "api:catalogo-detail": Row(DATI, lambda c: _pk(dati.voce(c.piano_a.ciclo))),
    "api:scheda-list": Row(DATI),
    "api:scheda-detail": Row(DI_A, lambda c: _pk(dati.scheda(c.piano_a))),
    "api:dichiarazione-list": Row(DATI),
    "api:dichiarazione-detail": Row(
        DI_A, lambda c: _pk(dati.dichiarazione(c.ambito_a, c.piano_a.ciclo, c.operatore_a))
    ),
    "api:valore-indicatore-list": Row(DATI),
    "api:valore-indicatore-detail": Row(
        DI_A, lambda c: _pk(dati.valore_indicatore(c.ambito_a, c.regione))
    ),
    "api:aderente-list": Row(DATI),
    "api:aderente-detail": Row(DI_A, lambda c: _pk(dati.adesione(c.ambito_a))),
    "opendata_indice": Row(TUTTI),
    "opendata_ciclo": Row(TUTTI, lambda c: _pk(c.piano_a.ciclo)),
    "opendata_metadati": Row(TUTTI, lambda c: _pk(c.piano_a.ciclo)),
    "opendata_dataset": Row(
        TUTTI, lambda c: {"pk": c.piano_a.ciclo_id, "codice": "budget-fondi", "formato": "csv"}
    ),
}
