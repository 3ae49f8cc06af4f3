"""``python -m tests.drills.guasti`` (`make drill-faults`): the fault drills, on services of their own.

Starts a throw-away PostgreSQL cluster and a Redis on free ports, runs the drills (pytest,
drill_*.py in this folder) against them, prints the figures and, with PIANIZONA_FIGURE=1,
writes docs/prove/guasti.json and docs/PROVE.md. Exits non-zero if a promise is broken.
"""

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

CARTELLA = Path(__file__).resolve().parent
# In this order: the PostgreSQL drill adds sheets to the plan the other two print.
DRILL = ("drill_worker.py", "drill_redis.py", "drill_postgres.py")


class _Esiti:
    """A pytest plugin that keeps each drill's outcome."""

    def __init__(self) -> None:
        self.esiti: dict[str, str] = {}

    def pytest_runtest_logreport(self, report) -> None:
        if report.when == "call" or report.failed or report.skipped:
            if self.esiti.get(report.nodeid) in ("failed", "skipped"):
                return
            self.esiti[report.nodeid] = report.outcome


def main() -> int:
    os.environ.pop("DJANGO_SETTINGS_MODULE", None)
    from . import servizi

    radice = Path(tempfile.mkdtemp(prefix="pianizona-guasti-"))
    radice.chmod(0o755)  # the cluster's folder inside it belongs to the postgres user
    pila = servizi.Pila(
        cartella=radice,
        postgres=servizi.ClusterPostgres(radice / "postgres"),
        redis=servizi.RedisPrivato(radice / "redis"),
    )
    inizio = time.monotonic()
    try:
        pila.postgres.crea()
        pila.postgres.avvia()
        pila.redis.avvia()
        os.environ.update(
            DATABASE_URL=pila.postgres.url("pianizona_guasti"),
            REDIS_URL=pila.redis.url,
            PIANIZONA_GUASTI_MEDIA=str(radice / "media"),
            EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        )
        servizi.ATTIVA = pila
        esiti = _Esiti()
        import pytest

        codice = pytest.main(
            [
                "-p",
                "no:cacheprovider",
                "--ds",
                "tests.drills.guasti.impostazioni",
                "-o",
                "python_files=drill_*.py",
                "-q",
                *sys.argv[1:],
                *(str(CARTELLA / nome) for nome in DRILL),
            ],
            plugins=[esiti],
        )
    finally:
        pila.redis.ferma()
        pila.postgres.distruggi()
        shutil.rmtree(radice, ignore_errors=True)  # workers' and gunicorn's logs stay in pytest's
    durata = time.monotonic() - inizio
    return _riporta(pila, esiti.esiti, int(codice), durata)


def _riporta(pila, esiti: dict[str, str], codice: int, durata: float) -> int:
    from tests.drills.figure import Esito, Riga, comando_corrente, registra, stampa

    righe = list(pila.righe)
    for nodo, esito in sorted(esiti.items()):
        nome = nodo.rsplit("::", 1)[-1].removeprefix("test_").replace("_", " ")
        righe.append(Riga(f"Prova: {nome}", esito, "passed", esito == "passed"))
    if not esiti:
        righe.append(Riga("Prove eseguite", "0", "≥ 1", False))
    righe.append(Riga("Durata complessiva", f"{durata:.0f} s", "< 300 s", durata < 300))
    esito = Esito(
        prova="guasti",
        titolo="Fault drills: worker killed, Redis and PostgreSQL restarted",
        comando=os.environ.get("PIANIZONA_COMANDO") or comando_corrente(),
        righe=righe,
        note=(
            "Private PostgreSQL cluster and Redis (append-only, as in docker-compose.yml) on "
            "free ports; the small demo (plan BA01 with 60 sheets, region Puglia). A killed "
            "worker's message comes back after a 3 s visibility timeout (production: 1 h). "
            "The recalculation pauses between its writes and their commit (tests/drills/guasti/"
            "pausa.py) so that the worker dies at the worst moment."
        ),
    )
    stampa(esito)
    registra(esito)
    return 0 if codice == 0 and esito.superata else 1


if __name__ == "__main__":
    sys.exit(main())
