"""The drill's own services, never the machine's: a PostgreSQL cluster, a Redis, workers, gunicorn.

Each runs on a free port under a temporary folder, so a drill can stop and restart it without
touching the PostgreSQL and Redis other work depends on.
"""

import contextlib
import glob
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from tests.drills.figure import Riga
from tests.stack.processi import WorkerCelery, porta_libera

RADICE = Path(__file__).resolve().parents[3]
BIN = Path(sys.executable).parent
__all__ = ["ATTIVA", "ClusterPostgres", "Gunicorn", "Pila", "RedisPrivato", "Riga", "Worker"]


def _attendi_porta(porta: int, secondi: float) -> bool:
    fine = time.monotonic() + secondi
    while time.monotonic() < fine:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", porta), 0.2):
            return True
        time.sleep(0.05)
    return False


def _bin_postgres() -> Path:
    for candidato in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if Path(candidato, "initdb").exists():
            return Path(candidato)
    initdb = shutil.which("initdb")
    if initdb is None:
        raise RuntimeError("initdb non trovato: installare il server PostgreSQL")
    return Path(initdb).parent


class ClusterPostgres:
    """A throw-away cluster (trust, user postgres) on 127.0.0.1:<porta>, its socket in its folder."""

    def __init__(self, cartella: Path):
        self.cartella = cartella
        self.dati = cartella / "dati"
        self.registro = cartella / "postgres.log"
        self.porta = porta_libera()
        self.bin = _bin_postgres()
        # initdb refuses root: as root the cluster belongs to the postgres user.
        self._come = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    def _esegui(self, *argomenti: str) -> None:
        subprocess.run([*self._come, *argomenti], check=True, capture_output=True, cwd="/")

    def crea(self) -> None:
        self.cartella.mkdir(parents=True, exist_ok=True)
        if self._come:
            shutil.chown(self.cartella, "postgres", "postgres")
        self._esegui(
            str(self.bin / "initdb"),
            "-D",
            str(self.dati),
            "-U",
            "postgres",
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
        )

    def avvia(self) -> None:
        opzioni = (
            f"-p {self.porta} -c listen_addresses=127.0.0.1 -k {self.cartella} "
            "-c fsync=off -c full_page_writes=off -c max_connections=100"
        )
        self._esegui(
            str(self.bin / "pg_ctl"),
            "-D",
            str(self.dati),
            "-l",
            str(self.registro),
            "-o",
            opzioni,
            "-w",
            "start",
        )

    def ferma(self) -> None:
        """A fast shutdown: open sessions are cut, their transactions rolled back."""
        self._esegui(str(self.bin / "pg_ctl"), "-D", str(self.dati), "-m", "fast", "-w", "stop")

    def distruggi(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self._esegui(
                str(self.bin / "pg_ctl"), "-D", str(self.dati), "-m", "immediate", "-w", "stop"
            )
        shutil.rmtree(self.cartella, ignore_errors=True)

    def url(self, nome: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.porta}/{nome}"


class RedisPrivato:
    """redis-server with an append-only file, as docker-compose.yml runs it, on its own port."""

    def __init__(self, cartella: Path):
        self.cartella = cartella
        self.porta = porta_libera()
        self.processo: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.porta}/0"

    def avvia(self) -> None:
        self.cartella.mkdir(parents=True, exist_ok=True)
        self.processo = subprocess.Popen(
            [
                shutil.which("redis-server") or "redis-server",
                "--port",
                str(self.porta),
                "--bind",
                "127.0.0.1",
                "--dir",
                str(self.cartella),
                "--appendonly",
                "yes",
                "--save",
                "",
                "--logfile",
                str(self.cartella / "redis.log"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        if not _attendi_porta(self.porta, 10):
            raise RuntimeError(f"redis-server non risponde sulla porta {self.porta}")

    def ferma(self) -> None:
        """SIGTERM: Redis writes its append-only file and exits, as on `docker compose restart`."""
        if self.processo is None:
            return
        self.processo.terminate()
        try:
            self.processo.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.processo.kill()
            self.processo.wait()
        self.processo = None


class Worker(WorkerCelery):
    """The drill's worker: the real jobs, with the recalculation's pause hook loaded."""

    def __init__(self, env: dict[str, str], registro: Path, *, pausa_ricalcolo: float = 0):
        env = {**env, "PIANIZONA_GUASTI_PAUSA_RICALCOLO": str(pausa_ricalcolo)}
        super().__init__(env, registro, importa="tests.drills.guasti.pausa", nome="guasti")


class Gunicorn:
    """The production web command (docker-compose.yml) on a free port, in its own process group."""

    def __init__(self, env: dict[str, str], registro: Path):
        self.env = env
        self.registro = registro
        self.porta = porta_libera()
        self.processo: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.porta}"

    def avvia(self) -> None:
        with self.registro.open("ab") as registro:
            self.processo = subprocess.Popen(
                [
                    str(BIN / "gunicorn"),
                    "pianizona.wsgi:application",
                    "--bind",
                    f"127.0.0.1:{self.porta}",
                    "--workers",
                    "3",
                    "--timeout",
                    "60",
                ],
                cwd=RADICE,
                env=self.env,
                stdout=registro,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        if not _attendi_porta(self.porta, 30):
            raise RuntimeError(f"gunicorn non risponde:\n{self.log()}")

    def ferma(self) -> None:
        if self.processo is None:
            return
        with contextlib.suppress(ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(self.processo.pid, signal.SIGTERM)
            self.processo.wait(timeout=15)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.processo.pid, signal.SIGKILL)

    def log(self) -> str:
        return self.registro.read_text(errors="replace")[-4000:]


@dataclass
class Pila:
    """What the runner started for this run, and the figures the drills record."""

    cartella: Path
    postgres: ClusterPostgres
    redis: RedisPrivato
    righe: list[Riga] = field(default_factory=list)


# Set by the runner (python -m tests.drills.guasti) before it runs pytest in the same process.
ATTIVA: Pila | None = None
