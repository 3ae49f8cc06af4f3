"""Measuring the scenarios: warm-up, N timed renders, query counts, the table and the JSON."""

import json
import math
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from pianizona.models import Ambito, Comune, Piano, User

from ..drills.figure import Esito, Riga, registra
from .dataset import database_label
from .lavori import LAVORI, Lavoro, MisuraLavoro, misura_lavoro, tabella_lavori
from .scenarios import COSTANZE, SCENARI, Costanza, Db, Scenario

# Transaction control is not counted: it varies by vendor and inside the growth checks' rollback.
TRANSACTION_SQL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE SAVEPOINT")


class BenchError(Exception):
    pass


@dataclass
class Misura:
    scenario: Scenario
    url: str
    status: int
    queries: int
    tempi_ms: list[float]

    @property
    def mediana(self) -> float:
        return statistics.median(self.tempi_ms)

    @property
    def p95(self) -> float:
        ordinati = sorted(self.tempi_ms)  # nearest-rank percentile
        return ordinati[math.ceil(0.95 * len(ordinati)) - 1]

    @property
    def massimo(self) -> float:
        return max(self.tempi_ms)

    def as_dict(self) -> dict:
        return {
            "scenario": self.scenario.name,
            "method": self.scenario.method.upper(),
            "url": self.url,
            "user": self.scenario.email,
            "status": self.status,
            "queries": self.queries,
            "median_ms": round(self.mediana, 3),
            "p95_ms": round(self.p95, 3),
            "max_ms": round(self.massimo, 3),
            "n": len(self.tempi_ms),
        }


def client_for(email: str | None) -> Client:
    client = Client()
    if email is not None:
        client.force_login(User.objects.get(email=email))
    return client


def request(client: Client, scenario: Scenario, url: str) -> HttpResponse:
    response = getattr(client, scenario.method)(url, data=scenario.data)
    if response.streaming:  # a download is generated while it is read
        b"".join(response.streaming_content)
    return response


def check_status(scenario: Scenario, url: str, response: HttpResponse, db: Db) -> None:
    esito = f"{scenario.method.upper()} {url} come {scenario.email or 'anonimo'}"
    if response.status_code != scenario.status:
        dove = f" → {response['Location']}" if response.has_header("Location") else ""
        raise BenchError(
            f"{scenario.name}: {esito} ha dato {response.status_code}{dove}, "
            f"atteso {scenario.status}"
        )
    if scenario.location is not None and response["Location"] != scenario.location(db):
        raise BenchError(
            f"{scenario.name}: {esito} porta a {response['Location']}, "
            f"atteso {scenario.location(db)}"
        )


def count_queries(context: CaptureQueriesContext) -> int:
    return sum(1 for q in context.captured_queries if not q["sql"].startswith(TRANSACTION_SQL))


def measure(scenario: Scenario, db: Db, n: int) -> Misura:
    url = scenario.url(db)
    client = client_for(scenario.email)
    check_status(scenario, url, request(client, scenario, url), db)  # warm-up
    tempi: list[float] = []
    conteggi: list[int] = []
    for _ in range(n):
        with CaptureQueriesContext(connection) as queries:
            inizio = time.perf_counter()
            response = request(client, scenario, url)
            tempi.append((time.perf_counter() - inizio) * 1000)
        check_status(scenario, url, response, db)
        conteggi.append(count_queries(queries))
    if len(set(conteggi)) != 1:
        raise BenchError(f"{scenario.name}: il numero di query varia tra le esecuzioni: {conteggi}")
    return Misura(scenario, url, response.status_code, conteggi[0], tempi)


@dataclass
class EsitoCostanza:
    costanza: Costanza
    piccolo: tuple[str, int]
    grande: tuple[str, int]

    @property
    def costante(self) -> bool:
        return self.piccolo[1] == self.grande[1]

    def as_dict(self) -> dict:
        return {
            "check": self.costanza.name,
            "small": {"data": self.piccolo[0], "queries": self.piccolo[1]},
            "big": {"data": self.grande[0], "queries": self.grande[1]},
            "constant": self.costante,
        }


def check_constant(costanza: Costanza, db: Db) -> EsitoCostanza:
    """Query counts on a small and a big slice, in a transaction rolled back afterwards."""
    with transaction.atomic():
        lati = []
        for scenario in (costanza.piccolo, costanza.grande):
            misura = measure(scenario, db, n=3)
            dati = scenario.size(db) if scenario.size else scenario.name
            lati.append((dati, misura.queries))
        transaction.set_rollback(True)
    return EsitoCostanza(costanza, lati[0], lati[1])


def dataset_summary() -> dict[str, int]:
    return {
        "ambiti": Ambito.objects.count(),
        "comuni": Comune.objects.filter(ambito__isnull=False).count(),
        "users": User.objects.count(),
        "piani": Piano.objects.count(),
    }


def table(misure: list[Misura]) -> str:
    intestazione = ["scenario", "status", "queries", "median ms", "p95 ms", "max ms"]
    righe = [
        [
            m.scenario.name,
            str(m.status),
            str(m.queries),
            f"{m.mediana:.2f}",
            f"{m.p95:.2f}",
            f"{m.massimo:.2f}",
        ]
        for m in misure
    ]
    larghezze = [max(len(r[i]) for r in [intestazione, *righe]) for i in range(len(intestazione))]

    def formatta(riga: list[str]) -> str:
        celle = [riga[0].ljust(larghezze[0])]
        celle += [c.rjust(w) for c, w in zip(riga[1:], larghezze[1:], strict=True)]
        return " | ".join(celle)

    separatore = "-+-".join("-" * w for w in larghezze)
    return "\n".join([formatta(intestazione), separatore, *(formatta(r) for r in righe)])


def select(names: list[str] | None) -> tuple[list[Scenario], list[Costanza], list[Lavoro]]:
    if not names:
        return SCENARI, COSTANZE, LAVORI
    noti = {s.name for s in SCENARI} | {c.name for c in COSTANZE} | {j.name for j in LAVORI}
    ignoti = sorted(set(names) - noti)
    if ignoti:
        raise BenchError(
            f"scenari sconosciuti: {', '.join(ignoti)}; noti: {', '.join(sorted(noti))}"
        )
    return (
        [s for s in SCENARI if s.name in names],
        [c for c in COSTANZE if c.name in names],
        [j for j in LAVORI if j.name in names],
    )


def run(n: int, only: list[str] | None, json_path: Path | None) -> int:
    scenari, costanze, lavori = select(only)
    db = Db()
    errori: list[str] = []
    misure: list[Misura] = []
    esiti: list[EsitoCostanza] = []
    misure_lavori: list[MisuraLavoro] = []
    hosts = [*settings.ALLOWED_HOSTS, "testserver"]
    # The bench logs in officers and admins with force_login: no second factor to pass.
    with override_settings(PIANIZONA_MFA_OBBLIGATORIA=False, ALLOWED_HOSTS=hosts):
        dataset = dataset_summary()
        for scenario in scenari:
            try:
                misure.append(measure(scenario, db, n))
            except BenchError as exc:
                errori.append(str(exc))
        for costanza in costanze:
            try:
                esiti.append(check_constant(costanza, db))
            except BenchError as exc:
                errori.append(str(exc))
        # Laid-out PDFs are kept under MEDIA_ROOT: a fresh folder per run, so "cold" means cold.
        with tempfile.TemporaryDirectory() as media, override_settings(MEDIA_ROOT=media):
            for lavoro in lavori:
                misure_lavori.append(misura_lavoro(lavoro, db))

    database = database_label()
    print(
        f"Dataset: {dataset['ambiti']} ambiti, {dataset['comuni']} comuni, "
        f"{dataset['users']} utenti, {dataset['piani']} piani — database {database} — "
        f"{n} esecuzioni per scenario"
    )
    print()
    print(table(misure))
    if esiti:
        print()
        print("Query al crescere dei dati:")
    for esito in esiti:
        verdetto = "costante" if esito.costante else "CRESCE CON I DATI"
        print(
            f"  {esito.costanza.name}: {esito.piccolo[1]} query ({esito.piccolo[0]}) / "
            f"{esito.grande[1]} query ({esito.grande[0]}) → {verdetto}"
        )
        if not esito.costante:
            errori.append(
                f"{esito.costanza.name}: le query crescono con i dati "
                f"({esito.piccolo[1]} → {esito.grande[1]})"
            )

    if misure_lavori:
        print()
        print("Lavori lunghi (nel worker, non dietro una pagina):")
        print(tabella_lavori(misure_lavori))

    if json_path is not None:
        figures = {
            "dataset": dataset,
            "database": {"vendor": connection.vendor, "label": database},
            "n": n,
            "scenarios": [m.as_dict() for m in misure],
            "constancy": [e.as_dict() for e in esiti],
            "jobs": [m.as_dict() for m in misure_lavori],
            "errors": errori,
        }
        json_path.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n")
        print(f"\nRisultati scritti in {json_path}")

    registra(esito_bench(misure, esiti, misure_lavori, errori, dataset, database, n))
    for errore in errori:
        print(f"ERRORE: {errore}", file=sys.stderr)
    return 1 if errori else 0


def esito_bench(
    misure: list[Misura],
    esiti: list[EsitoCostanza],
    misure_lavori: list[MisuraLavoro],
    errori: list[str],
    dataset: dict,
    database: str,
    n: int,
) -> Esito:
    """The bench's figures for docs/PROVE.md: median and p95 per page, constancy, long jobs."""
    righe = [
        Riga(
            f"{m.scenario.name} ({m.scenario.method.upper()})",
            f"mediana {m.mediana:.1f} ms, p95 {m.p95:.1f} ms, {m.queries} query",
        )
        for m in misure
    ]
    righe += [
        Riga(
            f"query al crescere dei dati: {e.costanza.name}",
            f"{e.piccolo[1]} → {e.grande[1]}",
            "costanti",
            e.costante,
        )
        for e in esiti
    ]
    for m in misure_lavori:
        limite = f"≤ {m.lavoro.obiettivo_s:g} s" if m.lavoro.obiettivo_s is not None else ""
        righe.append(
            Riga(
                m.lavoro.name,
                f"{m.mediana:.2f} s ({m.esiti[-1].prodotto})",
                limite,
                m.entro_obiettivo is not False,
            )
        )
    righe += [Riga("errore", errore, "nessuno", False) for errore in errori]
    return Esito(
        prova="bench",
        titolo="Bench: pagine e lavori lunghi sul dataset --scale full",
        comando="make bench",
        righe=righe,
        note=(
            f"{dataset['ambiti']} ambiti, {dataset['comuni']} comuni, {dataset['users']} utenti, "
            f"{dataset['piani']} piani; database {database}; {n} esecuzioni per scenario."
        ),
    )
