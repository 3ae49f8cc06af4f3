"""Drill: back up the demo database and its files, restore them into a fresh database, compare.

`make drill-backup` (python -m tests.drills.salvataggio). Every step is the operator's own command
(`manage.py salvataggio`, `manage.py ripristino`) run as a separate process on PostgreSQL:

1. a source database with the demo data (seed_demo, small scale, archive files in a fresh MEDIA_ROOT);
2. `salvataggio`, then `ripristino` into a new empty database and a new empty MEDIA_ROOT, which
   compares rows, table contents, money per plan and file hashes with the backup's manifest;
3. `ripristino --verifica` on the source: the manifest describes the source as it still is;
4. independently of the manifest code, rows of every table and every file's SHA-256, source against
   restore; and a second restore into the now non-empty database must be refused.

Exits non-zero on any difference. The databases and folders are removed at the end.
"""

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

from .figure import Esito, Riga, registra, stampa

BASE_DIR = Path(__file__).resolve().parents[2]
SORGENTE = "pianizona_drill_src"
DESTINAZIONE = "pianizona_drill_dst"
SERVER_PREDEFINITO = "postgres://postgres@127.0.0.1:5432/postgres"
PREPARA = (
    "from django.core.management import call_command; "
    "call_command('migrate', interactive=False, verbosity=0); "
    "call_command('seed_demo', quiet_logins=True)"
)


def server_url() -> str:
    """The PostgreSQL server of DATABASE_URL when it is one, else the local one on 5432."""
    url = os.environ.get("DATABASE_URL", "")
    if urlsplit(url).scheme not in ("postgres", "postgresql", "pgsql"):
        url = SERVER_PREDEFINITO
    return url


def url_database(nome: str) -> str:
    parti = urlsplit(server_url())
    return urlunsplit((parti.scheme, parti.netloc, f"/{nome}", parti.query, ""))


def connetti(nome: str = "postgres") -> psycopg.Connection:
    return psycopg.connect(url_database(nome), autocommit=True, connect_timeout=5)


def crea_database(nome: str) -> None:
    elimina_database(nome)
    with connetti() as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(nome)))


def elimina_database(nome: str) -> None:
    with connetti() as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(nome))
        )


def manage(*argomenti: str, database: str, media: Path) -> subprocess.CompletedProcess:
    """A manage.py command as an operator runs it: DATABASE_URL and MEDIA_ROOT from the environment."""
    ambiente = {
        chiave: valore
        for chiave, valore in os.environ.items()
        if chiave not in ("REDIS_URL", "CELERY_BROKER_URL", "DJANGO_SETTINGS_MODULE")
    }
    ambiente |= {
        "DATABASE_URL": url_database(database),
        "MEDIA_ROOT": str(media),
        "DJANGO_SETTINGS_MODULE": "pianizona.settings.dev",
    }
    return subprocess.run(
        [sys.executable, str(BASE_DIR / "manage.py"), *argomenti],
        env=ambiente,
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
    )


def _riuscito(esito: subprocess.CompletedProcess) -> subprocess.CompletedProcess:
    if esito.returncode != 0:
        raise RuntimeError(
            f"{' '.join(esito.args[2:])} non riuscito:\n{esito.stdout}{esito.stderr}"
        )
    return esito


def differenze_riportate(esito: subprocess.CompletedProcess) -> list[str]:
    """The differences `ripristino` lists, one per indented line of its error output."""
    return [riga.strip() for riga in esito.stderr.splitlines() if riga.startswith("  ")]


def righe_per_tabella(nome: str) -> dict[str, int]:
    """Rows of every table, counted here with plain SQL, not with the manifest's code."""
    with connetti(nome) as conn:
        tabelle = [
            r[0]
            for r in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
        ]
        return {
            tabella: conn.execute(
                sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(tabella))
            ).fetchone()[0]
            for tabella in tabelle
        }


def hash_dei_file(radice: Path) -> dict[str, str]:
    return {
        p.relative_to(radice).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(radice.rglob("*"))
        if p.is_file()
    }


def confronta_direttamente(
    righe_a: dict[str, int], righe_b: dict[str, int], file_a: dict[str, str], file_b: dict[str, str]
) -> list[str]:
    differenze = [
        f"Tabella {t}: {righe_a.get(t)} righe nella sorgente, {righe_b.get(t)} nel ripristino."
        for t in sorted(righe_a.keys() | righe_b.keys())
        if righe_a.get(t) != righe_b.get(t)
    ]
    differenze += [
        f"File {f}: diverso tra sorgente e ripristino."
        for f in sorted(file_a.keys() | file_b.keys())
        if file_a.get(f) != file_b.get(f)
    ]
    return differenze


@dataclass
class Misure:
    cartella: Path  # the backup directory
    media_sorgente: Path
    media_ripristino: Path
    tabelle: int = 0
    righe: int = 0
    piani: int = 0
    file: int = 0
    byte: int = 0
    secondi_salvataggio: float = 0.0
    secondi_ripristino: float = 0.0
    differenze: list[str] = field(default_factory=list)  # restore vs manifest, and direct
    differenze_sorgente: list[str] = field(default_factory=list)  # source vs manifest
    rifiuto: str = ""  # what a second restore into the non-empty database said
    carico: float = field(default_factory=lambda: os.getloadavg()[0])  # other work slows timings


def esegui(lavoro: Path, *, sorgente: str = SORGENTE, destinazione: str = DESTINAZIONE) -> Misure:
    """The whole drill in ``lavoro`` (a scratch folder); the databases are left for the caller."""
    m = Misure(
        cartella=Path(),
        media_sorgente=lavoro / "media-sorgente",
        media_ripristino=lavoro / "media-ripristino",
    )
    crea_database(sorgente)
    # The source is set up in one process (one Django start): it is not what the drill times.
    _riuscito(manage("shell", "-c", PREPARA, database=sorgente, media=m.media_sorgente))

    inizio = time.perf_counter()
    esito = _riuscito(
        manage(
            "salvataggio",
            "--cartella",
            str(lavoro / "salvataggi"),
            database=sorgente,
            media=m.media_sorgente,
        )
    )
    m.secondi_salvataggio = time.perf_counter() - inizio
    m.cartella = Path(esito.stdout.strip().splitlines()[-1])
    manifesto = json.loads((m.cartella / "manifesto.json").read_text(encoding="utf-8"))
    m.tabelle = len(manifesto["tabelle"])
    m.righe = sum(t["righe"] for t in manifesto["tabelle"].values())
    m.piani = len(manifesto["totali_piani"])
    m.file = len(manifesto["file"])
    m.byte = sum(f["byte"] for f in manifesto["file"].values())

    crea_database(destinazione)
    inizio = time.perf_counter()
    esito = manage("ripristino", str(m.cartella), database=destinazione, media=m.media_ripristino)
    m.secondi_ripristino = time.perf_counter() - inizio
    if esito.returncode != 0 and not differenze_riportate(esito):
        _riuscito(esito)  # failed before comparing: that is an error, not a difference
    m.differenze = differenze_riportate(esito)

    esito = manage(
        "ripristino", "--verifica", str(m.cartella), database=sorgente, media=m.media_sorgente
    )
    if esito.returncode != 0 and not differenze_riportate(esito):
        _riuscito(esito)
    m.differenze_sorgente = differenze_riportate(esito)

    m.differenze += confronta_direttamente(
        righe_per_tabella(sorgente),
        righe_per_tabella(destinazione),
        hash_dei_file(m.media_sorgente),
        hash_dei_file(m.media_ripristino),
    )

    esito = manage("ripristino", str(m.cartella), database=destinazione, media=m.media_ripristino)
    m.rifiuto = esito.stderr.strip() if esito.returncode != 0 else ""
    return m


def esito_della_prova(m: Misure) -> Esito:
    return Esito(
        prova="backup",
        titolo="Salvataggio e ripristino (PostgreSQL + file), confronto con la sorgente",
        comando="make drill-backup",
        righe=[
            Riga("Tabelle confrontate", str(m.tabelle)),
            Riga("Righe confrontate", str(m.righe)),
            Riga("Piani confrontati (importi per tabella e totali)", str(m.piani)),
            Riga("File confrontati", f"{m.file} ({m.byte} byte)"),
            Riga("Salvataggio (manage.py salvataggio)", f"{m.secondi_salvataggio:.1f} s"),
            Riga("Ripristino e verifica (manage.py ripristino)", f"{m.secondi_ripristino:.1f} s"),
            Riga(
                "Differenze tra ripristino e sorgente",
                str(len(m.differenze)),
                "0",
                not m.differenze,
            ),
            Riga(
                "Differenze tra sorgente e manifesto",
                str(len(m.differenze_sorgente)),
                "0",
                not m.differenze_sorgente,
            ),
            Riga(
                "Secondo ripristino nel database non vuoto",
                "rifiutato" if "non è vuoto" in m.rifiuto else "accettato",
                "rifiutato",
                "non è vuoto" in m.rifiuto,
            ),
        ],
        note=(
            "Dati dimostrativi (seed_demo, scala small) con i file dell'archivio; ripristino in un "
            "database e in una cartella nuovi. Confronto: righe e contenuto di ogni tabella, "
            "importi di ogni tabella per piano (o ambito) e totali dei piani, SHA-256 di ogni file; "
            "righe e file anche contati direttamente, senza il codice del manifesto. I tempi sono "
            "quelli dei comandi, avvio di Django compreso; carico medio della macchina all'avvio: "
            f"{m.carico:.1f}."
        ),
    )


def main() -> int:
    lavoro = Path(tempfile.mkdtemp(prefix="pianizona-drill-backup-"))
    try:
        try:
            misure = esegui(lavoro)
        finally:
            for nome in (SORGENTE, DESTINAZIONE):
                elimina_database(nome)
        esito = esito_della_prova(misure)
        for differenza in misure.differenze + misure.differenze_sorgente:
            print(f"  {differenza}")
        stampa(esito)
        if percorso := registra(esito):
            print(f"Figure scritte in {percorso.relative_to(BASE_DIR)} e docs/PROVE.md.")
        return 0 if esito.superata else 1
    finally:
        shutil.rmtree(lavoro, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
