"""One way to hand a file to the user: always an attachment, never sniffed as something else."""

import tablib
from django.http import HttpResponse
from django.utils.http import content_disposition_header

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def allegato(contenuto: bytes, nome: str, content_type: str) -> HttpResponse:
    risposta = HttpResponse(contenuto, content_type=content_type)
    risposta["Content-Disposition"] = content_disposition_header(True, nome)
    risposta["X-Content-Type-Options"] = "nosniff"
    return risposta


def allegato_xlsx(dataset: tablib.Dataset, nome: str) -> HttpResponse:
    return allegato(dataset.export("xlsx"), nome, XLSX)
