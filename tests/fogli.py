"""Spreadsheets as officers make them, for the import tests: a real xlsx written by openpyxl."""

import io

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile


def xlsx(righe: list[list], nome: str = "dati.xlsx") -> SimpleUploadedFile:
    """An uploaded .xlsx whose first sheet has ``righe`` from row 1 (titles included)."""
    libro = openpyxl.Workbook()
    for riga in righe:
        libro.active.append(riga)
    buffer = io.BytesIO()
    libro.save(buffer)
    return SimpleUploadedFile(nome, buffer.getvalue())
