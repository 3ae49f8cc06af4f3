"""Every CSV and XLSX the platform writes goes through here: text a user wrote is never a formula.

A spreadsheet program runs a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return as a formula (``=HYPERLINK("http://…?x="&A2,"Apri")`` sends the row elsewhere on a click).
In a CSV such text gets a leading apostrophe, which the programs read as "this is text" and the
one reader of imports (``importazioni.foglio``) takes off again; in an XLSX it is written as a
string cell marked as text, so what the user typed stays exactly as typed. Numbers stay numbers:
an ``int``, ``Decimal`` or ``float`` is never touched, nor is a string that is just a number
(``"-12.50"``), which every program reads as the number it is.
"""

import csv
import io
import re
from collections.abc import Iterable
from typing import Any

import tablib
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook as Libro
from openpyxl.worksheet.worksheet import Worksheet

CARATTERI_FORMULA = ("=", "+", "-", "@", "\t", "\r")
APOSTROFO = "'"
# A plain number, as text: "-5", "+3,5", "1.234e-2"; a spreadsheet reads it as the number.
NUMERO = re.compile(r"[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+-]?\d+)?")
TITOLO_NON_AMMESSO = re.compile(r"[\\/*?:\[\]]")
LARGHEZZA_MASSIMA = 60


def attiva(valore: Any) -> bool:
    """True if a spreadsheet program would run this value as a formula."""
    return (
        isinstance(valore, str)
        and valore.startswith(CARATTERI_FORMULA)
        and not NUMERO.fullmatch(valore)
    )


def neutralizza(valore: Any) -> Any:
    """A CSV cell: text that a program would run gets a leading apostrophe; the rest unchanged."""
    return APOSTROFO + valore if attiva(valore) else valore


def riga_neutralizzata(valori: Iterable[Any]) -> list[Any]:
    return [neutralizza(v) for v in valori]


def dataset_neutralizzato(dataset: tablib.Dataset) -> tablib.Dataset:
    """A copy of the dataset with every cell (and header) neutralised, for a CSV."""
    copia = tablib.Dataset(
        *(riga_neutralizzata(r) for r in dataset),
        headers=riga_neutralizzata(dataset.headers) if dataset.headers else None,
    )
    copia.title = dataset.title
    return copia


class ScrittoreCsv:
    """``csv.writer`` whose every cell passes through ``neutralizza``."""

    def __init__(self, uscita: io.StringIO, **opzioni: Any) -> None:
        self._scrittore = csv.writer(uscita, **opzioni)
        # With "\n" as line end the csv module leaves a lone "\r" unquoted, and a reader breaks
        # the row there: such a row is written with every cell quoted.
        self._tra_virgolette = csv.writer(uscita, **{**opzioni, "quoting": csv.QUOTE_ALL})

    def writerow(self, valori: Iterable[Any]) -> Any:
        riga = riga_neutralizzata(valori)
        if any(isinstance(v, str) and "\r" in v for v in riga):
            return self._tra_virgolette.writerow(riga)
        return self._scrittore.writerow(riga)

    def writerows(self, righe: Iterable[Iterable[Any]]) -> None:
        for riga in righe:
            self.writerow(riga)


def scrittore_csv(uscita: io.StringIO, **opzioni: Any) -> ScrittoreCsv:
    return ScrittoreCsv(uscita, **opzioni)


def csv_testo(dataset: tablib.Dataset) -> str:
    """The dataset as CSV text, neutralised."""
    return dataset_neutralizzato(dataset).export("csv")


# --- XLSX -----------------------------------------------------------------------------------------


def scrivi_cella(foglio: Worksheet, riga: int, colonna: int, valore: Any):
    """Write one cell: text always as a string cell (never a formula), numbers and dates as such."""
    cella = foglio.cell(row=riga, column=colonna)
    if isinstance(valore, str):
        valore = ILLEGAL_CHARACTERS_RE.sub("", valore)  # control characters XML cannot hold
        cella.value = valore
        cella.data_type = "s"
        if attiva(valore):
            cella.quotePrefix = True  # Excel shows it, and keeps it on editing, as text
        return cella
    try:
        cella.value = valore
    except (ValueError, TypeError):  # a type openpyxl cannot store: its text, still inert
        return scrivi_cella(foglio, riga, colonna, str(valore))
    return cella


def testo_inerte(libro: Libro) -> Libro:
    """A workbook built with plain openpyxl: any cell openpyxl took for a formula becomes text.

    The platform never writes formulas of its own, so a formula cell can only be text a user wrote.
    """
    for foglio in libro.worksheets:
        for riga in foglio.iter_rows():
            for cella in riga:
                if cella.data_type == "f":
                    scrivi_cella(foglio, cella.row, cella.column, str(cella.value))
    return libro


def xlsx(dataset: tablib.Dataset) -> bytes:
    """The dataset as an XLSX: bold frozen header, wrapped multi-line text, fitted columns."""
    libro = Workbook()
    foglio = libro.active
    foglio.title = TITOLO_NON_AMMESSO.sub("-", dataset.title or "Dati")[:31] or "Dati"
    righe: list[list[Any]] = [list(r) for r in dataset]
    inizio = 1
    larghezze: dict[int, int] = {}
    if dataset.headers:
        for colonna, valore in enumerate(dataset.headers, start=1):
            scrivi_cella(foglio, 1, colonna, valore).font = Font(bold=True)
            larghezze[colonna] = len(str(valore or ""))
        foglio.freeze_panes = "A2"
        inizio = 2
    a_capo = Alignment(wrap_text=True)
    for numero, valori in enumerate(righe, start=inizio):
        for colonna, valore in enumerate(valori, start=1):
            cella = scrivi_cella(foglio, numero, colonna, valore)
            testo = "" if valore is None else str(valore)
            if "\n" in testo:
                cella.alignment = a_capo
            lunghezza = max((len(p) for p in testo.split("\n")), default=0)
            larghezze[colonna] = max(larghezze.get(colonna, 0), lunghezza)
    for colonna, larghezza in larghezze.items():
        foglio.column_dimensions[get_column_letter(colonna)].width = min(
            larghezza + 2, LARGHEZZA_MASSIMA
        )
    uscita = io.BytesIO()
    libro.save(uscita)
    return uscita.getvalue()
