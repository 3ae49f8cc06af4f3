"""From locust's CSV statistics and the saturation runs to the drill's figures and verdict.

The promise and its limits, chosen from the runs measured while writing the drill (2-core
development machine shared with other work, 20 users: pages read p95 0.5–1.7 s, the sheet's save
p95 3.1 s, the PDF followed to its file p95 29 s, the heaviest page 1/15–1/61 of the bare view;
with 30 users the stack saturates there, every page queues for seconds, and the drill fails):

- no errors: every request answered as the page answers when it works (locust's failures, over
  the whole run, warm-up included, and the saturation runs');
- under the mixed load, p95 of every page read (GET) within ``P95_LETTURA_MS``, of every write
  (POST: a sheet saved, a submission, a review) within ``P95_SCRITTURA_MS``, and of the PDF,
  asked for and followed to its file, within ``P95_PDF_MS``;
- the heaviest page serves at least ``RAPPORTO_MINIMO`` of the bare view's requests per second,
  each alone at saturation on the same gunicorn. "Heaviest" is the page read (GET, at a fixed
  address) with the highest median latency in the mixed run; the PDF job (asynchronous, followed
  by polling) and the writes are not candidates. The bare view's figure is a floor: the client
  (Python threads) is itself near its limit there, so the true ratio is, if anything, lower.
"""

import csv
from dataclasses import dataclass
from pathlib import Path

from tests.drills.figure import Esito, Riga

from .saturazione import Saturazione

P95_LETTURA_MS = 2500
P95_SCRITTURA_MS = 5000
P95_PDF_MS = 60_000
RAPPORTO_MINIMO = 0.01
MINIMO_CAMPIONI = 3  # a median of one or two requests says little about a page


@dataclass
class Statistica:
    tipo: str
    nome: str
    richieste: int
    fallite: int
    al_secondo: float
    p50: float
    p95: float
    p99: float


def _numero(valore: str) -> float:
    return float(valore) if valore not in ("", "N/A") else 0.0


def leggi_statistiche(percorso: Path) -> tuple[list[Statistica], Statistica]:
    """The rows of ``<prefix>_stats.csv``: one per page type, and the aggregate."""
    righe, totale = [], None
    with percorso.open(newline="", encoding="utf-8") as file:
        for r in csv.DictReader(file):
            statistica = Statistica(
                tipo=r["Type"],
                nome=r["Name"],
                richieste=int(r["Request Count"]),
                fallite=int(r["Failure Count"]),
                al_secondo=_numero(r["Requests/s"]),
                p50=_numero(r["50%"]),
                p95=_numero(r["95%"]),
                p99=_numero(r["99%"]),
            )
            if r["Name"] == "Aggregated":
                totale = statistica
            elif statistica.richieste:  # a page asked for only before the reset (the logins)
                righe.append(statistica)
    if totale is None:
        raise ValueError(f"{percorso}: manca la riga Aggregated")
    return sorted(righe, key=lambda s: -s.p50), totale


def leggi_fallimenti(percorso: Path) -> list[str]:
    if not percorso.is_file():
        return []
    with percorso.open(newline="", encoding="utf-8") as file:
        return [
            f"{r['Occurrences']}× {r['Method']} {r['Name']}: {r['Error']}"
            for r in csv.DictReader(file)
        ]


def leggi_eccezioni(percorso: Path) -> list[tuple[int, str]]:
    """Exceptions raised inside the users' tasks: a task that broke did not do its work."""
    if not percorso.is_file():
        return []
    with percorso.open(newline="", encoding="utf-8") as file:
        return [(int(r["Count"]), r["Message"]) for r in csv.DictReader(file)]


def piu_pesante(statistiche: list[Statistica], candidate: set[str]) -> Statistica:
    """The candidate with the highest median, among those asked for at least a few times."""
    scelte = [s for s in statistiche if s.nome in candidate]
    return max([s for s in scelte if s.richieste >= MINIMO_CAMPIONI] or scelte, key=lambda s: s.p50)


def esito(
    *,
    statistiche: list[Statistica],
    totale: Statistica,
    errori_intera_corsa: int,
    eccezioni: int,
    pesante: Statistica,
    nudo: Saturazione,
    saturata: Saturazione,
    conteggi: dict[str, int],
    durata: int,
    utenti: int,
    note: str,
) -> Esito:
    errori = errori_intera_corsa + nudo.errori + saturata.errori
    righe = [
        Riga("errori (richieste fallite)", str(errori), "0", errori == 0),
        Riga("eccezioni nei compiti degli utenti", str(eccezioni), "0", eccezioni == 0),
        Riga(
            "carico misto",
            f"{totale.richieste} richieste in {durata} s (dall'ultimo accesso in poi"
            f"), {totale.al_secondo:.1f} req/s, {utenti} utenti",
        ),
    ]
    for s in statistiche:
        limite = {"GET": P95_LETTURA_MS, "POST": P95_SCRITTURA_MS}.get(s.tipo, P95_PDF_MS)
        righe.append(
            Riga(
                f"{s.nome} ({s.tipo})",
                f"p50 {s.p50:.0f} · p95 {s.p95:.0f} · p99 {s.p99:.0f} ms; "
                f"{s.richieste} richieste, {s.al_secondo:.2f} req/s, {s.fallite} fallite",
                f"p95 ≤ {limite} ms",
                s.p95 <= limite,
            )
        )
    rapporto = saturata.al_secondo / nudo.al_secondo if nudo.al_secondo else 0.0
    righe += [
        Riga(
            "vista nuda alla saturazione",
            f"{nudo.al_secondo:.0f} req/s (mediana {nudo.mediana_ms:.0f} ms, {nudo.secondi:.0f} s, "
            f"CPU del client {nudo.cpu_client:.0%})",
        ),
        Riga(
            f"pagina più pesante alla saturazione: {pesante.nome}",
            f"{saturata.al_secondo:.1f} req/s (mediana {saturata.mediana_ms:.0f} ms, "
            f"{saturata.secondi:.0f} s, CPU del client {saturata.cpu_client:.0%})",
        ),
        Riga(
            "rapporto pagina più pesante / vista nuda",
            f"{rapporto:.3f} (1/{1 / rapporto:.0f})" if rapporto else "0",
            f"≥ {RAPPORTO_MINIMO}",
            rapporto >= RAPPORTO_MINIMO,
        ),
    ]
    conteggi = dict(conteggi)
    if accessi := conteggi.pop("login", 0):
        righe.append(
            Riga(
                "accessi con password, prima della misura",
                f"{accessi}, mediana {conteggi.pop('login: mediana ms', 0)} ms, massimo "
                f"{conteggi.pop('login: massimo ms', 0)} ms (PBKDF2 di produzione)",
            )
        )
    righe.append(Riga("esiti attesi contati", ", ".join(f"{k}: {v}" for k, v in conteggi.items())))
    return Esito(
        prova="carico",
        titolo="Prova di carico (gunicorn + PostgreSQL + Redis + Celery, dataset --scale full)",
        comando="make drill-load",
        righe=righe,
        note=note,
    )
