"""One way to import a spreadsheet: read it safely, preview every row's fate, then confirm.

Built on django-import-export resources (``resources.RisorsaFoglio``) and on the one reader of
every file (``foglio``). The uploaded file is recognised by its content (an XLSX is a ZIP, a CSV
is text), never by its name; the preview runs the import in a rolled-back transaction and lists
the rows that change, old → new; the confirmed import runs again from the same cells and saves
all rows or none.
"""

import pickle
import zlib
from dataclasses import dataclass, field
from decimal import Decimal

import tablib
from django.conf import settings
from django.core.cache import cache
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest
from import_export.results import RowResult

from pianizona.dominio import ErroreDominio
from pianizona.importazioni.foglio import FoglioNormalizzato, leggi_celle, mostra_cella
from pianizona.importazioni.resources import RisorsaFoglio
from pianizona.money import format_euro

MAX_CAMBI_MOSTRATI = 200  # the preview lists the changed rows up to here, then says how many more


def leggi_foglio(file: UploadedFile) -> tablib.Dataset:
    """An uploaded XLSX or CSV, every row of cells as it is (``foglio.leggi_celle``)."""
    limite = settings.PIANIZONA_IMPORT_MAX_BYTES
    messaggio = f"Il file supera la dimensione massima di {limite // (1024 * 1024)} MB."
    if file.size is not None and file.size > limite:
        raise ErroreDominio(messaggio)
    contenuto = file.read(limite + 1)
    if len(contenuto) > limite:
        raise ErroreDominio(messaggio)
    return leggi_celle(contenuto)


@dataclass
class Cambio:
    colonna: str
    prima: str
    dopo: str


@dataclass
class RigaCambiata:
    """A row of the file that changes the data: its spreadsheet row, what it is about, how."""

    riga: int
    chiave: str
    tipo: str  # "nuova", "modificata", "eliminata"
    cambi: list[Cambio]


@dataclass
class Anteprima:
    righe: int
    nuove: int = 0
    modificate: int = 0
    invariate: int = 0
    eliminate: int = 0
    errori: list[tuple[int, str]] = field(default_factory=list)  # (spreadsheet line, message)
    saltate: list[tuple[int, str]] = field(default_factory=list)  # total rows, not errors
    cambiate: list[RigaCambiata] = field(default_factory=list)
    cambiate_non_mostrate: int = 0
    colonne_chiave: str = ""  # what identifies a row, e.g. «Codice ambito · Fonte · Anno»
    riga_intestazione: int = 1

    @property
    def valida(self) -> bool:
        return not self.errori and self.righe > 0


def importa(
    resource: RisorsaFoglio, dataset: tablib.Dataset, *, conferma: bool, **kwargs
) -> Anteprima:
    """Run the import: a dry run for the preview, or for real (all rows or none) when confirmed."""
    foglio = resource.normalizza(dataset)
    mancanti = [
        c
        for c in resource.get_import_fields()
        if not c.readonly and c.column_name not in foglio.headers
    ]
    if mancanti:
        nomi = ", ".join(f"«{c.column_name}»" for c in mancanti)
        raise ErroreDominio(
            f"Mancano le colonne {nomi}. Intestazione letta nella riga {foglio.riga_intestazione}."
        )
    result = resource.import_data(
        foglio, dry_run=not conferma, raise_errors=False, use_transactions=True, **kwargs
    )
    anteprima = Anteprima(
        righe=len(foglio), saltate=list(foglio.saltate), riga_intestazione=foglio.riga_intestazione
    )
    anteprima.errori += _righe_duplicate(resource, foglio)
    for numero, errori in result.row_errors():
        for errore in errori:
            anteprima.errori.append((numero, _messaggio(errore.error)))
    for riga in result.invalid_rows:
        for campo, messaggi in riga.error_dict.items():
            for messaggio in messaggi:
                prefisso = "" if campo == "__all__" else f"{campo}: "
                anteprima.errori.append((riga.number, f"{prefisso}{messaggio}"))
    for errore in result.base_errors:
        anteprima.errori.append((0, _messaggio(errore.error)))
    anteprima.errori.sort()
    totali = result.totals
    anteprima.nuove, anteprima.modificate = totali.get("new", 0), totali.get("update", 0)
    anteprima.invariate = totali.get("skip", 0)
    anteprima.eliminate = totali.get("delete", 0)
    if not anteprima.errori:
        anteprima.colonne_chiave = " · ".join(
            foglio.intestazione_originale(c) for c in _colonne_chiave(resource, foglio)
        )
        anteprima.cambiate = _righe_cambiate(resource, foglio, result.rows)
        anteprima.cambiate_non_mostrate = max(0, len(anteprima.cambiate) - MAX_CAMBI_MOSTRATI)
        anteprima.cambiate = anteprima.cambiate[:MAX_CAMBI_MOSTRATI]
    if conferma and anteprima.errori:
        raise ErroreDominio("Il file contiene errori: nessuna riga è stata importata.")
    return anteprima


TIPI_CAMBIO = {
    RowResult.IMPORT_TYPE_NEW: "nuova",
    RowResult.IMPORT_TYPE_UPDATE: "modificata",
    RowResult.IMPORT_TYPE_DELETE: "eliminata",
}


def _righe_cambiate(
    resource: RisorsaFoglio, foglio: FoglioNormalizzato, risultati: list[RowResult]
) -> list[RigaCambiata]:
    """Every row that writes something, with each value that changes, old → new."""
    campi = list(resource.get_import_fields())
    chiavi = _colonne_chiave(resource, foglio)
    cambiate = []
    righe = foglio.dict  # built on each access: once for the whole file
    for indice, esito in enumerate(risultati):
        tipo = TIPI_CAMBIO.get(esito.import_type)
        prima_dopo = getattr(esito, "prima_dopo", None)
        if tipo is None or prima_dopo is None:
            continue
        prima, dopo = prima_dopo
        if tipo == "nuova":
            prima = [None] * len(campi)
        elif tipo == "eliminata":  # what goes away; the key columns say which row it is
            dopo = [
                p if c.column_name in chiavi else None for c, p in zip(campi, prima, strict=False)
            ]
        cambi = [
            Cambio(resource.etichetta(c.column_name), _mostra(p), _mostra(d))
            for c, p, d in zip(campi, prima, dopo, strict=False)
            if _mostra(p) != _mostra(d)
        ]
        if not cambi:
            continue
        riga = righe[indice]
        chiave = " · ".join(mostra_cella(riga.get(c)) for c in chiavi)
        cambiate.append(RigaCambiata(foglio.righe[indice], chiave, tipo, cambi))
    return cambiate


def _colonne_chiave(resource: RisorsaFoglio, foglio: FoglioNormalizzato) -> list[str]:
    """The file's columns that say which record a row is (the resource's import ids)."""
    return [
        resource.fields[nome].column_name
        for nome in resource._meta.import_id_fields
        if resource.fields[nome].column_name in foglio.headers
    ]


def _mostra(valore) -> str:
    """A value as the preview shows it: euro in the Italian way, sì/no, a dash for nothing."""
    if valore is None or valore == "":
        return "—"
    if isinstance(valore, bool):
        return "sì" if valore else "no"
    if isinstance(valore, Decimal):
        return format_euro(valore)
    return mostra_cella(valore)


def _righe_duplicate(resource: RisorsaFoglio, foglio: FoglioNormalizzato) -> list[tuple[int, str]]:
    """Two rows for the same key would silently overwrite each other: report the later ones."""
    colonne = _colonne_chiave(resource, foglio)
    if not colonne:
        return []
    viste: dict[tuple, int] = {}
    errori = []
    for numero, riga in zip(foglio.righe, foglio.dict, strict=True):
        chiave = tuple(mostra_cella(riga.get(c)).lower() for c in colonne)
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
# request. Only the cells are kept (no padding, compressed), within a size, for as long as reading
# a preview takes.
DURATA_IN_SOSPESO = 20 * 60
MAX_IN_SOSPESO_DEFAULT = 2 * 1024 * 1024


def _chiave_cache(request: HttpRequest, chiave: str) -> str:
    if not request.session.session_key:
        request.session.save()
    return f"importazione:{request.session.session_key}:{chiave}"


def in_sospeso_salva(request: HttpRequest, chiave: str, dataset: tablib.Dataset, nome: str) -> None:
    """Keep the file's cells, as read, until the user confirms or starts over (pickled: numbers
    stay numbers). A file whose cells exceed the size kept is refused, nothing kept."""
    celle = [_senza_coda(dataset.headers or [])] + [_senza_coda(r) for r in dataset]
    compresso = zlib.compress(pickle.dumps(celle, protocol=pickle.HIGHEST_PROTOCOL), 6)
    limite = getattr(settings, "PIANIZONA_IMPORT_MAX_IN_SOSPESO", MAX_IN_SOSPESO_DEFAULT)
    if len(compresso) > limite:
        in_sospeso_elimina(request, chiave)
        raise ErroreDominio(
            "Il file contiene troppi dati per un'unica importazione: dividerlo in più file."
        )
    dati = {"celle": compresso, "larghezza": dataset.width, "nome": nome}
    cache.set(_chiave_cache(request, chiave), dati, DURATA_IN_SOSPESO)


def in_sospeso_leggi(request: HttpRequest, chiave: str) -> tuple[tablib.Dataset, str] | None:
    dati = cache.get(_chiave_cache(request, chiave))
    if not dati or not isinstance(dati.get("celle"), bytes):
        return None
    larghezza = dati["larghezza"]
    # Our own bytes, written above in the server's cache: never a user's pickle.
    intestazione, *righe = (
        r + [None] * (larghezza - len(r)) for r in pickle.loads(zlib.decompress(dati["celle"]))
    )
    return tablib.Dataset(*righe, headers=intestazione), dati["nome"]


def _senza_coda(riga) -> list:
    celle = list(riga)
    while celle and celle[-1] is None:
        celle.pop()
    return celle


def in_sospeso_elimina(request: HttpRequest, chiave: str) -> None:
    cache.delete(_chiave_cache(request, chiave))
