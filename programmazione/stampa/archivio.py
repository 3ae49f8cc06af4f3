"""Frozen versions' PDFs laid out once: the same HTML, stylesheet and WeasyPrint give the same PDF.

A version never changes, but its cover does (state, approval date): the key is the digest of the
HTML actually printed, so a changed cover is a new entry and a stale PDF is never served. Drafts
change all the time and are not kept.
"""

import hashlib
import logging
import re
from functools import cache
from importlib.metadata import version
from pathlib import Path

from django.contrib.staticfiles import finders
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

logger = logging.getLogger(__name__)

CARTELLA = "stampe"
_NOME = re.compile(r"^(?P<impronta>[0-9a-f]{64})-(?P<pagine>\d+)p\.pdf$")


@cache
def _impronta_ambiente() -> bytes:
    """WeasyPrint's version and our print stylesheet: a change to either lays everything out again."""
    foglio = finders.find("pianizona/pdf/pdf.css")
    contenuto = Path(foglio).read_bytes() if foglio else b""
    return f"weasyprint {version('weasyprint')}\n".encode() + contenuto


def impronta(html: str) -> str:
    return hashlib.sha256(_impronta_ambiente() + html.encode("utf-8")).hexdigest()


def _cartella(piano_id: int) -> str:
    return f"{CARTELLA}/{piano_id}"


def cerca(piano_id: int, chiave: str) -> tuple[bytes, int] | None:
    """The PDF already laid out for this HTML, with its page count, or None."""
    try:
        _, nomi = default_storage.listdir(_cartella(piano_id))
    except FileNotFoundError:
        return None
    for nome in nomi:
        trovato = _NOME.match(nome)
        if trovato and trovato["impronta"] == chiave:
            with default_storage.open(f"{_cartella(piano_id)}/{nome}", "rb") as file:
                return file.read(), int(trovato["pagine"])
    return None


def conserva(piano_id: int, chiave: str, contenuto: bytes, pagine: int) -> None:
    nome = f"{_cartella(piano_id)}/{chiave}-{pagine}p.pdf"
    try:
        if not default_storage.exists(nome):
            default_storage.save(nome, ContentFile(contenuto))
    except OSError:  # a full disk costs the next print its speed, never the print itself
        logger.exception("PDF non conservato: %s", nome)
