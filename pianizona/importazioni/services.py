"""One way to import a spreadsheet: read it safely, preview every row's fate, then confirm.

Built on django-import-export resources. The uploaded file is recognised by its content (an XLSX
is a ZIP, a CSV is text), never by its name; the preview runs the import in a rolled-back
transaction; the confirmed import runs again from the same data and saves all rows or none.
"""

import csv
from dataclasses import dataclass, field

import tablib
from django.conf import settings
from django.core.cache import cache
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest
from import_export.resources import Resource

from pianizona.dominio import ErroreDominio

MAX_BYTES_DEFAULT = 5 * 1024 * 1024
ZIP_MAGIC = b"PK\x03\x04"


def leggi_foglio(file: UploadedFile) -> tablib.Dataset:
    """An uploaded XLSX or CSV as a Dataset whose first row is the header."""
    limite = getattr(settings, "PIANIZONA_IMPORT_MAX_BYTES", MAX_BYTES_DEFAULT)
    if file.size is not None and file.size > limite:
        raise ErroreDominio(
            f"Il file supera la dimensione massima di {limite // (1024 * 1024)} MB."
        )
    contenuto = file.read(limite + 1)
    if len(contenuto) > limite:
        raise ErroreDominio(
            f"Il file supera la dimensione massima di {limite // (1024 * 1024)} MB."
        )
    if not contenuto.strip():
        raise ErroreDominio("Il file è vuoto.")
    if contenuto.startswith(ZIP_MAGIC):
        try:
            dataset = tablib.Dataset().load(contenuto, format="xlsx")
        except Exception as exc:  # openpyxl raises many kinds on a damaged or non-Excel ZIP
            raise ErroreDominio("Il file non è un foglio Excel (.xlsx) leggibile.") from exc
    else:
        dataset = _leggi_csv(contenuto)
    if not dataset.headers or not any(h for h in dataset.headers):
        raise ErroreDominio("Il file non ha una riga di intestazione.")
    dataset.headers = [str(h).strip().lower() if h is not None else "" for h in dataset.headers]
    return dataset


def _leggi_csv(contenuto: bytes) -> tablib.Dataset:
    if b"\x00" in contenuto:
        raise ErroreDominio("Il file non è un foglio di calcolo: caricare un file .xlsx o .csv.")
    testo = ""
    for codifica in ("utf-8-sig", "cp1252", "latin-1"):  # latin-1 decodes anything: the last resort
        try:
            testo = contenuto.decode(codifica)
            break
        except UnicodeDecodeError:
            continue
    try:
        dialetto = csv.Sniffer().sniff(testo.splitlines()[0], delimiters=";,\t")
        separatore = dialetto.delimiter
    except csv.Error:
        separatore = ";" if ";" in testo.splitlines()[0] else ","
    try:
        return tablib.Dataset().load(testo, format="csv", delimiter=separatore)
    except Exception as exc:  # tablib wraps csv errors in several ways
        raise ErroreDominio(
            "Il file CSV non è leggibile: controllare separatori e virgolette."
        ) from exc


@dataclass
class Anteprima:
    righe: int
    nuove: int = 0
    modificate: int = 0
    invariate: int = 0
    eliminate: int = 0
    errori: list[tuple[int, str]] = field(default_factory=list)  # (spreadsheet line, message)

    @property
    def valida(self) -> bool:
        return not self.errori and self.righe > 0


def importa(resource: Resource, dataset: tablib.Dataset, *, conferma: bool, **kwargs) -> Anteprima:
    """Run the import: a dry run for the preview, or for real (all rows or none) when confirmed."""
    mancanti = [
        c
        for c in resource.get_import_fields()
        if not c.readonly and c.column_name not in dataset.headers
    ]
    if mancanti:
        nomi = ", ".join(f"«{c.column_name}»" for c in mancanti)
        raise ErroreDominio(f"Mancano le colonne {nomi}.")
    result = resource.import_data(
        dataset, dry_run=not conferma, raise_errors=False, use_transactions=True, **kwargs
    )
    anteprima = Anteprima(righe=len(dataset))
    anteprima.errori += _righe_duplicate(resource, dataset)
    for numero, errori in result.row_errors():
        for errore in errori:
            anteprima.errori.append((numero + 1, _messaggio(errore.error)))
    for riga in result.invalid_rows:
        for campo, messaggi in riga.error_dict.items():
            for messaggio in messaggi:
                prefisso = "" if campo == "__all__" else f"{campo}: "
                anteprima.errori.append((riga.number + 1, f"{prefisso}{messaggio}"))
    for errore in result.base_errors:
        anteprima.errori.append((0, _messaggio(errore.error)))
    anteprima.errori.sort()
    totali = result.totals
    anteprima.nuove, anteprima.modificate = totali.get("new", 0), totali.get("update", 0)
    anteprima.invariate = totali.get("skip", 0)
    anteprima.eliminate = totali.get("delete", 0)
    if conferma and anteprima.errori:
        raise ErroreDominio("Il file contiene errori: nessuna riga è stata importata.")
    return anteprima


def _righe_duplicate(resource: Resource, dataset: tablib.Dataset) -> list[tuple[int, str]]:
    """Two rows for the same key would silently overwrite each other: report the later ones."""
    colonne = [
        resource.fields[nome].column_name
        for nome in resource._meta.import_id_fields
        if resource.fields[nome].column_name in dataset.headers
    ]
    if not colonne:
        return []
    viste: dict[tuple, int] = {}
    errori = []
    for numero, riga in enumerate(dataset.dict, start=2):  # line 1 is the header
        chiave = tuple(str(riga.get(c, "")).strip().lower() for c in colonne)
        if not any(chiave):
            continue
        if chiave in viste:
            errori.append(
                (
                    numero,
                    f"Riga ripetuta: stessi valori di {', '.join(colonne)} della riga {viste[chiave]}.",
                )
            )
        else:
            viste[chiave] = numero
    return errori


def _messaggio(errore: BaseException) -> str:
    messaggi = getattr(errore, "messages", None)
    return " ".join(str(m) for m in messaggi) if messaggi else str(errore)


# Pending imports wait in the shared cache, not in the session: a session is rewritten on every
# request, and a spreadsheet may weigh megabytes. An hour is enough to read a preview.
DURATA_IN_SOSPESO = 60 * 60


def _chiave_cache(request: HttpRequest, chiave: str) -> str:
    if not request.session.session_key:
        request.session.save()
    return f"importazione:{request.session.session_key}:{chiave}"


def in_sospeso_salva(request: HttpRequest, chiave: str, dataset: tablib.Dataset, nome: str) -> None:
    """Keep the previewed data until the user confirms or starts over; JSON keeps numbers as numbers."""
    cache.set(
        _chiave_cache(request, chiave),
        # The header apart: a file of only a header exports as "[]", which reloads without one.
        {"json": dataset.export("json"), "intestazioni": list(dataset.headers or []), "nome": nome},
        DURATA_IN_SOSPESO,
    )


def in_sospeso_leggi(request: HttpRequest, chiave: str) -> tuple[tablib.Dataset, str] | None:
    dati = cache.get(_chiave_cache(request, chiave))
    if not dati:
        return None
    dataset = tablib.Dataset().load(dati["json"], format="json")
    if not dataset.headers:
        dataset = tablib.Dataset(headers=dati.get("intestazioni") or None)
    return dataset, dati["nome"]


def in_sospeso_elimina(request: HttpRequest, chiave: str) -> None:
    cache.delete(_chiave_cache(request, chiave))
