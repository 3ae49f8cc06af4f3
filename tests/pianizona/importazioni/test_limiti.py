"""Spreadsheets are bounded before and while they are read; a pending preview keeps little."""

import io
import os

import openpyxl
import pytest
import tablib
from django.contrib.sessions.backends.db import SessionStore
from django.test import RequestFactory

from pianizona.dominio import ErroreDominio
from pianizona.importazioni.foglio import leggi_celle
from pianizona.importazioni.services import in_sospeso_leggi, in_sospeso_salva


def _xlsx(righe: list[list]) -> bytes:
    libro = openpyxl.Workbook()
    for riga in righe:
        libro.active.append(riga)
    uscita = io.BytesIO()
    libro.save(uscita)
    return uscita.getvalue()


@pytest.mark.parametrize(
    ("contenuto", "messaggio"),
    [
        (b"a;b\n" + b"1;2\n" * 11, "più di 10 righe"),
        (_xlsx([["a", "b"], *([1, 2] for _ in range(11))]), "più di 10 righe"),
        (b"a;b\n" + b"1;" * 6 + b"\n", "più di 5 colonne"),
        (_xlsx([["a", "b", 1, 2, 3, 4]]), "più di 5 colonne"),
        (b"a;b\n1;" + b"x" * 21 + b"\n", "La cella B2 contiene più di 20 caratteri"),
        (_xlsx([["a", "b"], [1, "x" * 21]]), "La cella B2 contiene più di 20 caratteri"),
    ],
)
def test_a_sheet_over_a_limit_is_refused_naming_it(settings, contenuto, messaggio):
    settings.PIANIZONA_IMPORT_MAX_RIGHE = 10
    settings.PIANIZONA_IMPORT_MAX_COLONNE = 5
    settings.PIANIZONA_IMPORT_MAX_CARATTERI = 20
    with pytest.raises(ErroreDominio, match=messaggio):
        leggi_celle(contenuto)


def test_blank_rows_past_the_limit_are_not_data(settings):
    settings.PIANIZONA_IMPORT_MAX_RIGHE = 3
    letto = leggi_celle(b"a;b\n1;2\n;\n;\n;\n;\n")
    assert letto.headers == ["a", "b"] and letto[0] == ("1", "2")


def test_a_sheet_declaring_excel_s_whole_width_is_refused_before_reading():
    libro = openpyxl.Workbook()
    libro.active["A1"] = "a"
    libro.active["XFD1"] = "z"
    uscita = io.BytesIO()
    libro.save(uscita)
    with pytest.raises(ErroreDominio, match=r"per 16\.384 colonne"):
        leggi_celle(uscita.getvalue())


def test_a_pending_preview_over_its_size_is_refused_and_nothing_is_kept(db, settings):
    settings.PIANIZONA_IMPORT_MAX_IN_SOSPESO = 1000
    request = RequestFactory().get("/")
    request.session = SessionStore()
    dati = tablib.Dataset(*([os.urandom(8).hex(), i] for i in range(500)), headers=["a", "b"])
    with pytest.raises(ErroreDominio, match="troppi dati"):
        in_sospeso_salva(request, "prova", dati, "grande.csv")
    assert in_sospeso_leggi(request, "prova") is None
