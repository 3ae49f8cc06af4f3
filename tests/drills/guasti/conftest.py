"""Fixtures of the fault drill: the demo data seeded once, users logged in, workers and figures.

The drill's tests live in drill_*.py, which `make test` does not collect: they need the private
PostgreSQL and Redis that ``python -m tests.drills.guasti`` starts (``make drill-faults``).
"""

import io
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django.test import Client
from django.test.utils import setup_databases, teardown_databases

from pianizona.accessi.middleware import SESSION_KEY_MFA
from pianizona.celery import app
from pianizona.models import Job, Piano, Regione, User

from . import servizi
from .servizi import RADICE, Worker


@pytest.fixture(scope="session")
def pila() -> servizi.Pila:
    if servizi.ATTIVA is None:
        pytest.skip("si esegue con `make drill-faults` (python -m tests.drills.guasti)")
    return servizi.ATTIVA


@pytest.fixture(scope="session")
def django_db_setup(django_test_environment, django_db_blocker, pila):
    """The test database, migrated, with the small demo (45 ambiti, plans with their sheets).

    Made here rather than by pytest-django, which makes it only for tests marked django_db: those
    run in a transaction the worker cannot see, or flush the demo after each test.
    """
    with django_db_blocker.unblock():
        databases = setup_databases(verbosity=0, interactive=False, aliases={"default"})
        app.conf.task_always_eager = True  # anything the seed queues runs here, not later
        try:
            call_command("seed_demo", quiet_logins=True, stdout=io.StringIO())
        finally:
            app.conf.task_always_eager = False
        Job.objects.all().delete()
    yield
    with django_db_blocker.unblock():
        connections.close_all()
        teardown_databases(databases, verbosity=0)


@dataclass
class Demo:
    piano: Piano  # BA01's draft, with every sheet of the demo's full plan
    altro_piano: Piano  # another BA01 plan, for a second PDF
    regione: Regione
    operatore: User
    funzionario: User

    def client(self, user: User) -> Client:
        client = Client()
        client.force_login(user)
        if user.memberships.filter(ruolo="funzionario").exists():
            sessione = client.session
            sessione[SESSION_KEY_MFA] = True  # as after a TOTP login
            sessione.save()
        return client


@pytest.fixture
def demo(django_db_setup, django_db_blocker) -> Iterator[Demo]:
    with django_db_blocker.unblock():
        operatore = User.objects.get(email="operatore.ba01@pianizona.demo")
        piani = Piano.objects.filter(ambito__codice="BA01").order_by("pk")
        piano = max(piani, key=lambda p: p.schede.count())
        yield Demo(
            piano=piano,
            altro_piano=piani.exclude(pk=piano.pk).first(),
            regione=Regione.objects.get(codice_istat="16"),
            operatore=operatore,
            funzionario=User.objects.get(email="funzionario@pianizona.demo"),
        )
        connections.close_all()


def ambiente_processi(**altro: str) -> dict[str, str]:
    """The environment of a worker or gunicorn: the drill's settings on the test database."""
    db = connection.settings_dict
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.drills.guasti.impostazioni",
        "DATABASE_URL": servizi.ATTIVA.postgres.url(db["NAME"]),
        "PYTHONPATH": str(RADICE),
        **altro,
    }


@pytest.fixture
def lavoratori(tmp_path) -> Iterator[Callable[..., Worker]]:
    """Make workers; every one is stopped at the end, whatever happened."""
    fatti: list[Worker] = []

    def nuovo(*, visibilita: int = 3, pausa_ricalcolo: float = 0, segnale: Path | None = None):
        env = ambiente_processi(PIANIZONA_GUASTI_VISIBILITA=str(visibilita))
        if segnale is not None:
            env["PIANIZONA_GUASTI_SEGNALE"] = str(segnale)
        worker = Worker(
            env, tmp_path / f"worker-{len(fatti) + 1}.log", pausa_ricalcolo=pausa_ricalcolo
        )
        fatti.append(worker)
        return worker

    yield nuovo
    for worker in fatti:
        worker.ferma()


def attendi(condizione: Callable[[], object], secondi: float, cosa: str, log: str = "") -> object:
    fine = time.monotonic() + secondi
    while time.monotonic() < fine:
        esito = condizione()
        if esito:
            return esito
        time.sleep(0.1)
    pytest.fail(f"Dopo {secondi} s {cosa} non è avvenuto.\n{log}")


def misura(misura: str, valore: str, limite: str = "", rispettato: bool = True) -> None:
    """A figure for docs/prove/guasti.json (the runner writes them after the tests)."""
    servizi.ATTIVA.righe.append(servizi.Riga(misura, valore, limite, rispettato))
