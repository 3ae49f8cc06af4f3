"""Permission-matrix rows for the document archive.

An ambito's archive: its users, the regional officer and the administrator read it; another ambito
finds nothing (404). Uploads and new versions: the ambito's operators and manager and the officer;
the administrator only reads (403). Deletion: the ambito's manager and the officer; the operator
may not (403). The regional archive and its uploads belong to the officer; the administrator reads.
"""

from ..conftest import Cast
from ..permessi import LOGIN, Row, per_ruolo
from .corpus import PDF
from .utili import carica, documento_di


def _ambito(cast: Cast) -> dict:
    return {"ambito_pk": cast.ambito_a.pk}


def _regione(cast: Cast) -> dict:
    return {"regione_pk": cast.regione.pk}


def _documento(cast: Cast) -> dict:
    return {"pk": documento_di(cast, cast.ambito_a).pk}


def _versione(cast: Cast) -> dict:
    return {"pk": documento_di(cast, cast.ambito_a).versioni.get().pk}


def _nuovo_documento(cast: Cast, ruolo: str) -> dict:
    return {
        "titolo": "Regolamento dei servizi",
        "categoria": "regolamento",
        "anno": "2025",
        "file": carica("regolamento.pdf", PDF),
    }


def _nuova_versione(cast: Cast, ruolo: str) -> dict:
    return {"file": carica("verbale-rev.pdf", PDF)}


def _motivo(cast: Cast, ruolo: str) -> dict:
    return {"motivo": "Caricato per errore."}


RIGHE: dict[str, Row] = {
    "archivio:documenti": Row(per_ruolo(LOGIN, 200, 200, 404, 200, 200), _ambito),
    "archivio:documento_nuovo": Row(
        per_ruolo(LOGIN, 200, 200, 404, 200, 403),
        _ambito,
        data=_nuovo_documento,
        post=per_ruolo(LOGIN, 302, 302, 404, 302, 403),
    ),
    "archivio:documenti_regione": Row(per_ruolo(LOGIN, 403, 403, 403, 200, 200), _regione),
    "archivio:documento_nuovo_regione": Row(
        per_ruolo(LOGIN, 403, 403, 403, 200, 403),
        _regione,
        data=_nuovo_documento,
        post=per_ruolo(LOGIN, 403, 403, 403, 302, 403),
    ),
    "archivio:documento": Row(per_ruolo(LOGIN, 200, 200, 404, 200, 200), _documento),
    "archivio:versione_nuova": Row(
        per_ruolo(LOGIN, 200, 200, 404, 200, 403),
        _documento,
        data=_nuova_versione,
        post=per_ruolo(LOGIN, 302, 302, 404, 302, 403),
    ),
    "archivio:documento_elimina": Row(
        per_ruolo(LOGIN, 403, 200, 404, 200, 403),
        _documento,
        data=_motivo,
        post=per_ruolo(LOGIN, 403, 302, 404, 302, 403),
    ),
    "archivio:versione_scarica": Row(per_ruolo(LOGIN, 200, 200, 404, 200, 200), _versione),
}
