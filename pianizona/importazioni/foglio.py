"""The one reader of every spreadsheet: raw cells in, the rows to import out.

Whatever the importer (a Region's or a district's page, the admin), a file goes through the same
rules: the header row is looked for among the first rows (title rows above it are normal), its
labels are matched whatever their case and accents (the labels of our own exports too), blank rows
are skipped, a «Totale» row is skipped and reported, and every row keeps the number Excel shows
beside it. Cells are read by the same helpers: booleans, ISTAT codes.
"""

import csv
import io
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

import tablib
from django.conf import settings
from openpyxl.utils import get_column_letter

from pianizona.contenuti_sicuri import (
    ZIP_DANNEGGIATO,
    ContenutoNonAmmesso,
    LimitiZip,
    ooxml_attivo,
    zip_controllato,
)
from pianizona.dominio import ErroreDominio
from pianizona.esportazioni import APOSTROFO, attiva

ZIP_MAGIC = b"PK\x03\x04"
RIGHE_CERCATE = 10  # title rows above the header: a sheet's heading is rarely longer
NON_XLSX = "Il file non è un foglio Excel (.xlsx) leggibile."
MARGINE_DICHIARATO = 10  # a declared area may exceed the data (formatted empty rows), not by this

SI = {"si", "vero", "x", "1", "true"}
NO = {"no", "falso", "0", "false"}


@dataclass(frozen=True)
class Limiti:
    """What a spreadsheet to import may hold; beyond it the file is refused before it is parsed
    (an XLSX's declared area, a CSV's widest line) or as soon as the reading crosses it."""

    righe: int
    colonne: int
    celle: int  # filled cells: what parsing costs
    caratteri: int  # per cell
    zip: LimitiZip

    @classmethod
    def attuali(cls) -> "Limiti":
        return cls(
            righe=getattr(settings, "PIANIZONA_IMPORT_MAX_RIGHE", 20_000),
            colonne=getattr(settings, "PIANIZONA_IMPORT_MAX_COLONNE", 200),
            celle=getattr(settings, "PIANIZONA_IMPORT_MAX_CELLE", 500_000),
            caratteri=getattr(settings, "PIANIZONA_IMPORT_MAX_CARATTERI", 10_000),
            zip=LimitiZip(
                decompresso=getattr(settings, "PIANIZONA_IMPORT_MAX_DECOMPRESSO", 50 * 1024**2),
                voci=getattr(settings, "PIANIZONA_IMPORT_MAX_VOCI_ZIP", 1_000),
                rapporto=getattr(settings, "PIANIZONA_IMPORT_MAX_RAPPORTO_ZIP", 100),
            ),
        )

    def troppe_righe(self) -> ErroreDominio:
        return ErroreDominio(
            f"Il foglio ha più di {_cifra(self.righe)} righe: dividerlo in più file."
        )

    def troppe_colonne(self) -> ErroreDominio:
        return ErroreDominio(
            f"Il foglio ha più di {_cifra(self.colonne)} colonne: non è un modello valido."
        )

    def troppe_celle(self) -> ErroreDominio:
        return ErroreDominio(
            f"Il foglio ha più di {_cifra(self.celle)} celle compilate: dividerlo in più file."
        )

    def cella_lunga(self, riga: int, colonna: int) -> ErroreDominio:
        return ErroreDominio(
            f"La cella {get_column_letter(colonna)}{riga} contiene più di "
            f"{_cifra(self.caratteri)} caratteri: accorciarne il testo e caricare di nuovo il file."
        )


def _cifra(numero: int) -> str:
    return f"{numero:,}".replace(",", ".")


class _Conteggio:
    """Rows as they are read, checked against the limits one by one."""

    def __init__(self, limiti: Limiti) -> None:
        self.limiti, self.righe, self.celle = limiti, [], 0

    def aggiungi(self, riga: Iterable) -> None:
        celle = _senza_coda(riga)
        numero = len(self.righe) + 1
        if not celle:
            if numero <= self.limiti.righe:
                self.righe.append(celle)
            return  # blank rows past the limit: Excel's formatted but empty rows
        if numero > self.limiti.righe:
            raise self.limiti.troppe_righe()
        if len(celle) > self.limiti.colonne:
            raise self.limiti.troppe_colonne()
        for colonna, valore in enumerate(celle, start=1):
            if valore is None:
                continue
            self.celle += 1
            if isinstance(valore, str) and len(valore) > self.limiti.caratteri:
                raise self.limiti.cella_lunga(numero, colonna)
        if self.celle > self.limiti.celle:
            raise self.limiti.troppe_celle()
        self.righe.append(celle)


# --- Raw cells ------------------------------------------------------------------------------------


def leggi_celle(contenuto: bytes) -> tablib.Dataset:
    """An XLSX (recognised as a ZIP) or CSV as every row of cells, blank ones included.

    The first row is the dataset's header, as import-export expects; nothing is interpreted yet.
    The file is bounded (``Limiti``) before and while it is read: a bomb or a huge sheet is
    refused in a moment, never parsed.
    """
    if not contenuto.strip():
        raise ErroreDominio("Il file è vuoto.")
    limiti = Limiti.attuali()
    conteggio = _Conteggio(limiti)
    if contenuto.startswith(ZIP_MAGIC):
        _celle_xlsx(contenuto, conteggio)
    else:
        _celle_csv(contenuto, conteggio)
    righe = conteggio.righe
    while righe and _vuota(righe[-1]):
        righe.pop()
    if not righe:
        raise ErroreDominio("Il file è vuoto.")
    larghezza = max(len(r) for r in righe)
    righe = [list(r) + [None] * (larghezza - len(r)) for r in righe]
    return tablib.Dataset(*righe[1:], headers=righe[0])


def _celle_xlsx(contenuto: bytes, conteggio: _Conteggio) -> None:
    import openpyxl

    limiti = conteggio.limiti
    try:
        with zip_controllato(contenuto, limiti.zip) as archivio:
            ooxml_attivo(archivio)
    except ContenutoNonAmmesso as exc:
        if str(exc) == ZIP_DANNEGGIATO:
            raise ErroreDominio(NON_XLSX) from exc
        raise
    try:
        # data_only: a formula's value as Excel last computed it, not the formula
        libro = openpyxl.load_workbook(io.BytesIO(contenuto), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a damaged or non-Excel ZIP
        raise ErroreDominio(NON_XLSX) from exc
    try:
        foglio = libro.active
        if foglio is None or not hasattr(foglio, "iter_rows"):
            raise ErroreDominio("Il file non ha un foglio di dati da leggere (.xlsx).")
        # The area the sheet declares: a bloated one is refused before any cell is read.
        if (foglio.max_row or 0) > MARGINE_DICHIARATO * limiti.righe or (
            foglio.max_column or 0
        ) > MARGINE_DICHIARATO * limiti.colonne:
            raise ErroreDominio(
                f"Il foglio dichiara un'area di {_cifra(foglio.max_row or 0)} righe per "
                f"{_cifra(foglio.max_column or 0)} colonne, oltre i limiti "
                f"({_cifra(limiti.righe)} righe, {_cifra(limiti.colonne)} colonne): copiare i "
                "soli dati in un nuovo foglio e caricarlo di nuovo."
            )
        # Explicit bounds: a missing or lying declaration never pads rows to Excel's full width.
        larghezza = min(foglio.max_column or limiti.colonne + 1, limiti.colonne + 1)
        try:
            for riga in foglio.iter_rows(
                max_row=MARGINE_DICHIARATO * limiti.righe, max_col=larghezza, values_only=True
            ):
                conteggio.aggiungi(riga)
        except ErroreDominio:
            raise
        except Exception as exc:  # a damaged sheet's XML
            raise ErroreDominio(NON_XLSX) from exc
    finally:
        libro.close()


def _celle_csv(contenuto: bytes, conteggio: _Conteggio) -> None:
    if b"\x00" in contenuto:
        raise ErroreDominio("Il file non è un foglio di calcolo: caricare un file .xlsx o .csv.")
    testo = ""
    for codifica in ("utf-8-sig", "cp1252", "latin-1"):  # latin-1 decodes anything: the last resort
        try:
            testo = contenuto.decode(codifica)
            break
        except UnicodeDecodeError:
            continue
    inizio = "\n".join(testo.splitlines()[:RIGHE_CERCATE])
    try:
        separatore = csv.Sniffer().sniff(inizio, delimiters=";,\t").delimiter
    except csv.Error:
        separatore = max(";,\t", key=inizio.count)
    _larghezza_csv(testo, separatore, conteggio.limiti)
    try:
        for riga in csv.reader(io.StringIO(testo), delimiter=separatore):
            conteggio.aggiungi(_senza_apostrofo(c) for c in riga)
    except csv.Error as exc:
        raise ErroreDominio(
            "Il file CSV non è leggibile: controllare separatori e virgolette."
        ) from exc


VIRGOLETTATO = re.compile(r'"[^"]*"')


def _larghezza_csv(testo: str, separatore: str, limiti: Limiti) -> None:
    """The widest line, counted without building its cells: a line of a million separators is
    refused before the CSV reader makes a million strings of it."""
    for linea in VIRGOLETTATO.sub("", testo).splitlines():
        if linea.rstrip(separatore + " ").count(separatore) >= limiti.colonne:
            raise limiti.troppe_colonne()


def _senza_apostrofo(cella: str) -> str:
    """The platform's exports write text that looks like a formula as ``'=…``: read it back."""
    if cella.startswith(APOSTROFO) and attiva(cella[1:]):
        return cella[1:]
    return cella


def _senza_coda(riga: Iterable) -> list:
    """The row without the empty cells at its end (Excel reports formatted but empty columns)."""
    celle = list(riga)
    while celle and _vuota_cella(celle[-1]):
        celle.pop()
    return celle


def _vuota_cella(valore) -> bool:
    return valore is None or (isinstance(valore, str) and not valore.strip())


def _vuota(riga: Iterable) -> bool:
    return all(_vuota_cella(c) for c in riga)


# --- Header, blank and total rows -------------------------------------------------------------


def chiave_intestazione(testo) -> str:
    """``«Importo (€)»`` → ``importo``, ``«Codice  ISTAT»`` → ``codice istat``: labels compared
    whatever their case, accents, parentheses, symbols or underscores."""
    testo = re.sub(r"\(.*?\)", " ", str(testo or ""))
    testo = unicodedata.normalize("NFKD", testo.casefold())
    testo = "".join(c for c in testo if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^0-9a-z]+", " ", testo).split())


class FoglioNormalizzato(tablib.Dataset):
    """The rows to import under the importer's own column names.

    ``righe[i]`` is the spreadsheet row (as Excel numbers it) of the i-th data row;
    ``saltate`` the total rows left out, as (row, message).
    """

    righe: list[int]
    saltate: list[tuple[int, str]]
    riga_intestazione: int
    originali: dict[str, str]  # column name → the header as the file writes it

    def intestazione_originale(self, colonna: str) -> str:
        return self.originali.get(colonna, colonna)


def normalizza(dataset: tablib.Dataset, colonne: dict[str, str]) -> FoglioNormalizzato:
    """Find the header among the first rows, rename its cells to the importer's columns
    (``colonne``: accepted label key → column name), drop blank and total rows.

    A dataset already normalised is returned as it is, so every step may call this.
    """
    if isinstance(dataset, FoglioNormalizzato):
        return dataset
    griglia = [list(dataset.headers or [])] + [list(r) for r in dataset]
    if _vuota(griglia[0]) and len(griglia) == 1:
        raise ErroreDominio("Il file non ha una riga di intestazione.")
    indice, intestazioni = _intestazione(griglia, colonne)
    foglio = FoglioNormalizzato(headers=intestazioni)
    foglio.righe, foglio.saltate, foglio.riga_intestazione = [], [], indice + 1
    foglio.originali = {
        nome: mostra_cella(cella)
        for nome, cella in zip(intestazioni, griglia[indice], strict=False)
    }
    larghezza = len(intestazioni)
    for numero, riga in enumerate(griglia[indice + 1 :], start=indice + 2):
        if _vuota(riga):
            continue
        if etichetta := _riga_totale(riga):
            foglio.saltate.append(
                (
                    numero,
                    f"«{etichetta}»: riga dei totali, non importata (i totali si ricalcolano).",
                )
            )
            continue
        foglio.append((riga + [None] * larghezza)[:larghezza])
        foglio.righe.append(numero)
    return foglio


def _intestazione(griglia: list[list], colonne: dict[str, str]) -> tuple[int, list[str]]:
    """The index of the row that names most of the importer's columns, and its column names."""
    migliore, punteggio = None, 0
    for indice, riga in enumerate(griglia[:RIGHE_CERCATE]):
        trovate = {colonne.get(chiave_intestazione(c)) for c in riga} - {None}
        if len(trovate) > punteggio:
            migliore, punteggio = indice, len(trovate)
    if migliore is None:
        attese = ", ".join(f"«{c}»" for c in dict.fromkeys(colonne.values()))
        raise ErroreDominio(
            f"Mancano le colonne {attese}: nessuna delle prime {RIGHE_CERCATE} righe le nomina "
            "(sopra la riga di intestazione possono esserci righe di titolo)."
        )
    nomi: list[str] = []
    for numero, cella in enumerate(griglia[migliore], start=1):
        nome = colonne.get(chiave_intestazione(cella))
        if nome is None or nome in nomi:
            # a column the importer does not read: a name of its own that matches none of ours
            nome = f"(colonna {numero}) {'' if cella is None else str(cella).strip()}"
        nomi.append(nome)
    return migliore, nomi


def _riga_totale(riga: list) -> str | None:
    """The label of a «Totale» row (its first filled cell), or None."""
    prima = next(c for c in riga if not _vuota_cella(c))
    if isinstance(prima, str) and chiave_intestazione(prima).split(" ")[0] == "totale":
        return prima.strip()
    return None


# --- Cells --------------------------------------------------------------------------------------


def mostra_cella(valore) -> str:
    """A cell as the user typed it, for a message: never ``None`` nor ``37006.0``."""
    if valore is None:
        return ""
    if isinstance(valore, float) and valore.is_integer():
        return str(int(valore))
    return str(valore).strip()


def si_no(valore, *, vuoto: bool | None = None) -> bool | None:
    """sì/si/no, vero/falso, x, 1/0, TRUE/FALSE (any case, accents or not); an empty cell is
    ``vuoto``. Anything else is refused naming the value."""
    if isinstance(valore, bool):
        return valore
    testo = chiave_intestazione(mostra_cella(valore))
    if not testo:
        return vuoto
    if testo in SI:
        return True
    if testo in NO:
        return False
    raise ValueError(
        f"Valore «{mostra_cella(valore)}» non valido: scrivere sì o no. "
        "Ammessi anche vero/falso, x, 1/0."
    )


def codice_numerico(valore, cifre: int) -> str:
    """A code a spreadsheet may have turned into a number: ``37006`` → ``037006``, ``8`` → ``08``."""
    testo = mostra_cella(valore)
    return testo.zfill(cifre) if testo.isdigit() else testo
