"""The bench's own database, never the demo's: the --scale full region, built once and cached."""

import io
import os
import re
import time
from pathlib import Path

from django.core.management import call_command
from django.db import connection

# Bump when an issue adds data the scenarios need: the cached dataset is then rebuilt.
DATASET_VERSION = "6"  # 6: a revoked adhesion per ambito in the demo

BASE_DIR = Path(__file__).resolve().parents[2]
VAR_DIR = BASE_DIR / "var"
DEFAULT_DB = VAR_DIR / "bench.sqlite3"


def configure_environment() -> None:
    """Point Django at the bench database; call before django.setup()."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pianizona.settings.test")
    if not os.environ.get("DATABASE_URL"):
        VAR_DIR.mkdir(exist_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{DEFAULT_DB}"


def is_default_sqlite() -> bool:
    return connection.vendor == "sqlite" and Path(connection.settings_dict["NAME"]) == DEFAULT_DB


def database_label() -> str:
    name = Path(connection.settings_dict["NAME"])
    if connection.vendor == "sqlite":
        where = name.relative_to(BASE_DIR) if name.is_relative_to(BASE_DIR) else name
        return f"sqlite {connection.Database.sqlite_version} ({where})"
    version = ".".join(str(part) for part in connection.get_database_version())
    return f"{connection.vendor} {version} ({connection.settings_dict['NAME']})"


def marker_path() -> Path:
    """var/bench.version for the default file, otherwise one marker per database name."""
    if is_default_sqlite():
        return VAR_DIR / "bench.version"
    nome = Path(str(connection.settings_dict["NAME"])).name
    chiave = re.sub(r"[^A-Za-z0-9_.-]+", "-", f"{connection.vendor}-{nome}")
    return VAR_DIR / f"bench-{chiave}.version"


def dataset_present() -> bool:
    from pianizona.demo import AMBITI_PER_PROVINCIA, CODICE_PUGLIA, DOMINIO
    from pianizona.models import Ambito, User

    attesi = sum(AMBITI_PER_PROVINCIA.values())
    ambiti = Ambito.objects.filter(regione__codice_istat=CODICE_PUGLIA).count()
    # Only --scale full has a responsabile in every ambito.
    responsabili = User.objects.filter(
        email__startswith="responsabile.", email__endswith=f"@{DOMINIO}"
    ).count()
    return ambiti == attesi and responsabili == attesi


def prepare_dataset() -> None:
    """Migrate, then seed --scale full unless the database already holds this DATASET_VERSION."""
    marker = marker_path()
    aggiornato = marker.is_file() and marker.read_text().strip() == DATASET_VERSION
    if not aggiornato and is_default_sqlite():
        # Our own file: start from scratch so data dropped by a newer seed does not linger.
        connection.close()
        for suffisso in ("", "-journal", "-wal", "-shm"):
            Path(f"{DEFAULT_DB}{suffisso}").unlink(missing_ok=True)
    call_command("migrate", interactive=False, verbosity=0)
    if aggiornato and dataset_present():
        return
    print(f"Costruzione del dataset --scale full (versione {DATASET_VERSION})…", flush=True)
    inizio = time.perf_counter()
    call_command("seed_demo", scale="full", quiet_logins=True, stdout=io.StringIO())
    VAR_DIR.mkdir(exist_ok=True)
    marker.write_text(f"{DATASET_VERSION}\n")
    print(f"Dataset pronto in {time.perf_counter() - inizio:.1f} s, memorizzato in {marker.name}.")
