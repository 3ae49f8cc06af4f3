"""The one helper every CSV/XLSX export goes through: text is never a formula, numbers stay numbers."""

import csv
import io
from decimal import Decimal

import openpyxl
import pytest
import tablib

from pianizona import esportazioni
from pianizona.importazioni.foglio import leggi_celle


@pytest.mark.parametrize(
    ("valore", "atteso"),
    [
        ('=HYPERLINK("http://x","Apri")', '\'=HYPERLINK("http://x","Apri")'),
        ("+39 080 1234567", "'+39 080 1234567"),
        ("-1+cmd|' /C calc'!A0", "'-1+cmd|' /C calc'!A0"),
        ("@SUM(1)", "'@SUM(1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Servizio =educativo", "Servizio =educativo"),
        ("-12.50", "-12.50"),
        ("-5", "-5"),
        ("+3,5", "+3,5"),
        (-5, -5),
        (Decimal("-1234.56"), Decimal("-1234.56")),
        (-0.5, -0.5),
        (None, None),
    ],
)
def test_a_cell_is_neutralised_only_if_a_program_would_run_it(valore, atteso):
    assert esportazioni.neutralizza(valore) == atteso


def test_the_xlsx_keeps_text_as_typed_in_string_cells_and_numbers_as_numbers():
    dataset = tablib.Dataset(
        ["=1+1", -3, Decimal("2.50"), "@A1"], headers=["=titolo", "a", "b", "c"]
    )
    libro = openpyxl.load_workbook(io.BytesIO(esportazioni.xlsx(dataset)))
    foglio = libro.active
    assert [c.data_type for c in foglio[2]] == ["s", "n", "n", "s"]
    assert [c.value for c in foglio[2]] == ["=1+1", -3, 2.5, "@A1"]
    assert foglio["A1"].value == "=titolo" and foglio["A1"].data_type == "s"
    assert foglio["A2"].quotePrefix


def test_a_workbook_built_with_openpyxl_loses_its_formulas_to_text():
    libro = openpyxl.Workbook()
    libro.active.append(['=HYPERLINK("http://x")', 7])
    esportazioni.testo_inerte(libro)
    assert libro.active["A1"].data_type == "s" and libro.active["B1"].value == 7


def test_a_csv_row_with_a_carriage_return_stays_one_row():
    uscita = io.StringIO()
    scrittore = esportazioni.scrittore_csv(uscita, lineterminator="\n")
    scrittore.writerow(["\r=1+1", 3])
    scrittore.writerow(["b", -4])
    righe = list(csv.reader(io.StringIO(uscita.getvalue(), newline="")))
    assert righe == [["'\r=1+1", "3"], ["b", "-4"]]


def test_an_exported_csv_reads_back_as_the_user_wrote_it():
    testo = esportazioni.csv_testo(tablib.Dataset(["=1+1", 5], headers=["nome", "importo"]))
    assert "'=1+1" in testo
    letto = leggi_celle(testo.encode())
    assert letto[0][0] == "=1+1"
