"""One plan's PDF: the HTML template and our print stylesheet, laid out by WeasyPrint."""

import gc
import logging
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.text import slugify

from pianizona import registry
from pianizona.models import Piano, Versione

from . import archivio
from .documento import documento
from .indirizzi import ORIGINE, STATICO

PDF = "application/pdf"
# Line breaks between tags (the templates' indentation) would be boxes to lay out.
TRA_I_TAG = re.compile(r">\s*\n\s*<")
# One INFO line per page laid out: noise in the worker's log.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


_raccolta_lock = threading.Lock()
_raccolta_era_attiva = False
_impaginazioni_in_corso = 0


@contextmanager
def raccolta_sospesa() -> Iterator[None]:
    """Pause the cyclic garbage collector while a PDF is built, laid out and written.

    WeasyPrint allocates about a million boxes and styles that all live until the PDF is written:
    the collector ran some 800 times over them, a quarter of a 60-sheet plan's time, and found
    little to free. Paused, the peak memory grows by about 3% (the few cycles dropped during the
    layout); the document's own cycles are collected as usual afterwards. The switch is
    process-wide, so overlapping prints share one pause and the last one out ends it.
    """
    global _raccolta_era_attiva, _impaginazioni_in_corso
    with _raccolta_lock:
        if _impaginazioni_in_corso == 0:
            _raccolta_era_attiva = gc.isenabled()
            gc.disable()
        _impaginazioni_in_corso += 1
    try:
        yield
    finally:
        with _raccolta_lock:
            _impaginazioni_in_corso -= 1
            if _impaginazioni_in_corso == 0 and _raccolta_era_attiva:
                gc.enable()


@dataclass(frozen=True)
class Stampa:
    contenuto: bytes
    pagine: int
    nome_file: str


def nome_file(piano: Piano, versione: Versione | None) -> str:
    """``ba01-piano-triennale-2025-2027-versione-2.pdf``, ``…-bozza.pdf`` for the draft."""
    quale = f"versione-{versione.numero}" if versione is not None else "bozza"
    return f"{slugify(f'{piano.ambito.codice} {piano.titolo}'.replace('–', '-'))}-{quale}.pdf"


def html_del_piano(piano: Piano, versione: Versione | None = None) -> str:
    with translation.override("it"):
        html = render_to_string(
            "programmazione/pdf/piano.html",
            {
                "doc": documento(piano, versione),
                "statico": STATICO,
                "appendici": registry.sezioni_pdf(piano, versione),
            },
        )
    return TRA_I_TAG.sub("><", html)


def _impagina(testo: str) -> tuple[bytes, int]:
    """The PDF and its page count; WeasyPrint's document is dropped on return."""
    # WeasyPrint takes over half a second to import: only the process that prints pays for it.
    from weasyprint import HTML

    from .risorse import FetcherStatico

    impaginato = HTML(string=testo, base_url=f"{ORIGINE}/", url_fetcher=FetcherStatico()).render()
    return impaginato.write_pdf(), len(impaginato.pages)


def stampa_del_piano(piano: Piano, versione: Versione | None = None) -> Stampa:
    """The PDF of ``versione`` (frozen) or, without it, of the current draft, with its page count.

    A frozen version's PDF is laid out once and then read back (``archivio``), as long as the
    printed HTML is the same.
    """
    if versione is not None and versione.piano_id != piano.pk:
        raise ValueError("La versione non appartiene al piano.")
    with raccolta_sospesa():
        testo = html_del_piano(piano, versione)
        chiave = archivio.impronta(testo) if versione is not None else None
        if chiave is not None and (conservata := archivio.cerca(piano.pk, chiave)) is not None:
            return Stampa(conservata[0], conservata[1], nome_file(piano, versione))
        # Laid out in its own call so the document is garbage before the collector resumes: one
        # pass then frees it, instead of scanning it alive now and again when it dies.
        contenuto, pagine = _impagina(testo)
    stampa = Stampa(contenuto, pagine, nome_file(piano, versione))
    if chiave is not None:
        archivio.conserva(piano.pk, chiave, stampa.contenuto, stampa.pagine)
    return stampa


def pdf_del_piano(piano: Piano, versione: Versione | None = None) -> bytes:
    return stampa_del_piano(piano, versione).contenuto
