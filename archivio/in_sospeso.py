"""The signed form kept across a validation error of the public adhesion form.

A browser never re-sends a file: without this the organisation would attach its signed form again
after each mistake in another field. A file that passed its checks waits in the shared cache, as a
pending import does (``pianizona.importazioni.services``), under a random id that only the page's
hidden field knows, signed and bound to the ambito; it expires on its own and is dropped once the
request is accepted.
"""

import secrets
from dataclasses import dataclass

from django.core import signing
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile

from .file_sicuri import FileVerificato

SALE = "archivio.adesione.modulo"
# Long enough to find a missing datum and come back; the signature expires with it.
DURATA = 2 * 60 * 60


@dataclass(frozen=True)
class ModuloInSospeso:
    gettone: str  # for the form's hidden field
    nome: str  # the cleaned name the sender gave, shown back


def _chiave(identificativo: str) -> str:
    return f"archivio:adesione:modulo:{identificativo}"


def modulo_trattieni(verificato: FileVerificato, ambito_pk: int) -> ModuloInSospeso:
    identificativo = secrets.token_urlsafe(24)
    cache.set(
        _chiave(identificativo),
        {"nome": verificato.nome, "contenuto": verificato.contenuto},
        DURATA,
    )
    gettone = signing.dumps({"id": identificativo, "ambito": ambito_pk}, salt=SALE)
    return ModuloInSospeso(gettone=gettone, nome=verificato.nome)


def _identificativo(gettone: str, ambito_pk: int) -> str | None:
    try:
        dati = signing.loads(gettone, salt=SALE, max_age=DURATA)
    except signing.BadSignature:
        return None
    if not isinstance(dati, dict) or dati.get("ambito") != ambito_pk:
        return None
    return str(dati.get("id") or "") or None


def modulo_recupera(
    gettone: str, ambito_pk: int
) -> tuple[ModuloInSospeso, SimpleUploadedFile] | None:
    """The kept file as an upload again, or None if the token is not genuine or has expired."""
    identificativo = _identificativo(gettone, ambito_pk)
    dati = cache.get(_chiave(identificativo)) if identificativo else None
    if not dati:
        return None
    file = SimpleUploadedFile(dati["nome"], dati["contenuto"])
    return ModuloInSospeso(gettone=gettone, nome=dati["nome"]), file


def modulo_scarta(gettone: str, ambito_pk: int) -> None:
    if identificativo := _identificativo(gettone, ambito_pk):
        cache.delete(_chiave(identificativo))
