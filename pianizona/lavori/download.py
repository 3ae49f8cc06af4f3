"""One way to hand a file to the user: always an attachment, never sniffed as something else."""

import tablib
from django.http import HttpResponse
from django.utils.http import content_disposition_header

from pianizona import esportazioni

CSV = "text/csv; charset=utf-8"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def allegato(contenuto: bytes, nome: str, content_type: str) -> HttpResponse:
    risposta = HttpResponse(contenuto, content_type=content_type)
    risposta["Content-Disposition"] = content_disposition_header(True, nome)
    risposta["X-Content-Type-Options"] = "nosniff"
    return risposta


def allegato_xlsx(dataset: tablib.Dataset, nome: str) -> HttpResponse:
    """A spreadsheet whose text cells are never formulas (``esportazioni``)."""
    return allegato(esportazioni.xlsx(dataset), nome, XLSX)


def allegato_csv(dataset: tablib.Dataset, nome: str) -> HttpResponse:
    """A CSV whose text cells are never formulas (``esportazioni``)."""
    return allegato(esportazioni.csv_testo(dataset).encode("utf-8"), nome, CSV)
