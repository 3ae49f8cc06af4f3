"""The drill's stack: a copy of the dataset, gunicorn, a Celery worker, and their tear-down.

Each service runs in its own process group, so stopping it stops its children (gunicorn's and
Celery's workers) too; `Pila.chiudi` is called in a ``finally`` and is safe to call twice.
"""

import os
import signal
import subprocess
import sys
import time
import urllib.request
from contextlib import suppress
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import redis

BIN = Path(sys.executable).parent


class ErrorePila(Exception):
    """The stack cannot be set up: a missing service, a process that did not start."""


def con_database(url: str, nome: str) -> str:
    parti = urlsplit(url)
    return urlunsplit(parti._replace(path=f"/{nome}"))


def _amministrazione(url: str) -> psycopg.Connection:
    """A connection to the server's ``postgres`` database, to create and drop databases."""
    try:
        return psycopg.connect(con_database(url, "postgres"), autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:
        raise ErrorePila(f"PostgreSQL non risponde ({url}): {exc}") from exc


def copia_database(url: str, modello: str, copia: str) -> None:
    """A fresh copy of the dataset for this run: every run starts from the same data."""
    try:
        with _amministrazione(url) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{copia}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{copia}" TEMPLATE "{modello}"')
    except psycopg.Error as exc:  # e.g. someone connected to the dataset: a template must be idle
        raise ErrorePila(f"Copia di {modello} in {copia} non riuscita: {exc}") from exc


def crea_database_se_manca(url: str, nome: str) -> None:
    with _amministrazione(url) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [nome]).fetchone():
            conn.execute(f'CREATE DATABASE "{nome}"')


def elimina_database(url: str, nome: str) -> None:
    with suppress(ErrorePila, psycopg.Error), _amministrazione(url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{nome}" WITH (FORCE)')


def controlla_redis(url: str) -> None:
    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=5)
        client.ping()
        client.close()
    except redis.RedisError as exc:
        raise ErrorePila(f"Redis non risponde ({url}): {exc}") from exc


def pulisci_redis(url: str, prefisso: str) -> int:
    """Drop this run's keys (cache and broker) from the shared Redis."""
    with suppress(redis.RedisError):
        client = redis.Redis.from_url(url)
        chiavi = list(client.scan_iter(match=f"{prefisso}*"))
        for chiave in chiavi:
            client.delete(chiave)
        client.close()
        return len(chiavi)
    return 0


class Pila:
    """The processes of one run, stopped together whatever happens."""

    def __init__(self, env: dict[str, str], cartella: Path):
        self.env = env
        self.cartella = cartella
        self.processi: dict[str, subprocess.Popen] = {}

    def avvia(self, nome: str, comando: list[str]) -> Path:
        registro = self.cartella / f"{nome}.log"
        with registro.open("wb") as uscita:
            self.processi[nome] = subprocess.Popen(
                comando,
                env=self.env,
                stdout=uscita,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,  # its own process group: stopped with its children
            )
        return registro

    def esegui(self, nome: str, comando: list[str]) -> None:
        """A one-off command (collectstatic, the dataset); its log is kept, its failure stops us."""
        registro = self.cartella / f"{nome}.log"
        with registro.open("wb") as uscita:
            esito = subprocess.run(
                comando, env=self.env, stdout=uscita, stderr=subprocess.STDOUT, check=False
            )
        if esito.returncode:
            coda = registro.read_text(errors="replace")[-2000:]
            raise ErrorePila(f"{nome} non riuscito (codice {esito.returncode}):\n{coda}")

    def vivo(self, nome: str) -> None:
        processo = self.processi[nome]
        if processo.poll() is not None:
            coda = (self.cartella / f"{nome}.log").read_text(errors="replace")[-2000:]
            raise ErrorePila(f"{nome} si è fermato (codice {processo.returncode}):\n{coda}")

    def attendi_http(self, nome: str, url: str, secondi: float = 60) -> None:
        limite = time.monotonic() + secondi
        while time.monotonic() < limite:
            self.vivo(nome)
            with suppress(OSError), urllib.request.urlopen(url, timeout=5) as risposta:
                if risposta.status == 200:
                    return
            time.sleep(0.5)
        raise ErrorePila(f"{nome} non risponde su {url} dopo {secondi:.0f} s")

    def attendi_registro(self, nome: str, testo: str, secondi: float = 60) -> None:
        registro = self.cartella / f"{nome}.log"
        limite = time.monotonic() + secondi
        while time.monotonic() < limite:
            self.vivo(nome)
            if testo in registro.read_text(errors="replace"):
                return
            time.sleep(0.5)
        raise ErrorePila(f"{nome} non è pronto dopo {secondi:.0f} s (manca «{testo}»)")

    def ferma(self, nome: str, secondi: float = 20) -> int | None:
        """SIGTERM to the group (a graceful stop), SIGKILL if it is still there after ``secondi``."""
        processo = self.processi.pop(nome, None)
        if processo is None:
            return None
        if processo.poll() is None:
            with suppress(ProcessLookupError):
                os.killpg(processo.pid, signal.SIGTERM)
            try:
                processo.wait(secondi)
            except subprocess.TimeoutExpired:
                with suppress(ProcessLookupError):
                    os.killpg(processo.pid, signal.SIGKILL)
                processo.wait()
        # Children left behind by a killed leader go with their group.
        with suppress(ProcessLookupError):
            os.killpg(processo.pid, signal.SIGKILL)
        return processo.returncode

    def chiudi(self) -> None:
        for nome in reversed(list(self.processi)):
            self.ferma(nome)
