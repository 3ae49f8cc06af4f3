"""The kinds of long operation and what their esecutore hands back: what a phase app registers.

A phase app registers a kind in its ``AppConfig.ready()``::

    registra_tipo("pdf_piano", "PDF del piano", genera_pdf)   # genera_pdf(job, avanza) -> Risultato
"""

from collections.abc import Callable
from dataclasses import dataclass

from pianizona.dominio import ErroreDominio
from pianizona.models import Job


@dataclass(frozen=True)
class Risultato:
    """What an esecutore hands back: the file's bytes, its name and its media type."""

    contenuto: bytes
    nome_file: str  # e.g. "piano-BA01-2025-2027-v2.pdf"; sanitised again when stored
    content_type: str


# avanza(percentuale 0-100, messaggio in italiano): committed at once, so call it outside your own
# transaction.atomic blocks or the page will see it only when they commit.
Avanza = Callable[[int, str], None]
Esecutore = Callable[[Job, Avanza], Risultato]


class ErroreJob(ErroreDominio):
    """An esecutore gives up; ``str(err)`` is the Italian message the user reads."""


@dataclass(frozen=True)
class TipoJob:
    tipo: str
    titolo: str
    esecutore: Esecutore


_tipi: dict[str, TipoJob] = {}


def registra_tipo(tipo: str, titolo: str, esecutore: Esecutore) -> None:
    """Make a kind of job known (phase apps call it in ``AppConfig.ready()``)."""
    _tipi[tipo] = TipoJob(tipo, titolo, esecutore)


def titolo_tipo(tipo: str) -> str:
    registrato = _tipi.get(tipo)
    return registrato.titolo if registrato else tipo


def tipo_registrato(tipo: str) -> TipoJob | None:
    return _tipi.get(tipo)
