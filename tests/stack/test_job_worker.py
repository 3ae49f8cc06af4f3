"""A real Celery worker killed in the middle of a job: the next worker takes it up and finishes it.

The worker runs as a separate process (prefork pool) on Redis and on the test's PostgreSQL database,
with its own Redis keys (tests/stack/impostazioni_worker.py). Skipped without REDIS_URL and
PostgreSQL, unless PIANIZONA_REQUIRE_STACK=1 (CI), which turns the skip into a failure.
"""

import os
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
from django.db import connection, transaction

from pianizona.celery import app
from pianizona.lavori.services import job_crea
from pianizona.models import Job

from . import lavori_lenti
from .processi import RADICE, WorkerCelery

pytestmark = [pytest.mark.stack, pytest.mark.django_db(transaction=True)]

VISIBILITA = 2  # seconds before an unacknowledged message goes back to the queue


@pytest.fixture
def pila():
    redis_url = os.environ.get("REDIS_URL")
    mancante = (
        "REDIS_URL non è impostata"
        if not redis_url
        else "il database non è PostgreSQL"
        if connection.vendor != "postgresql"
        else None
    )
    if mancante:
        if os.environ.get("PIANIZONA_REQUIRE_STACK") == "1":
            pytest.fail(f"PIANIZONA_REQUIRE_STACK=1 ma {mancante}")
        pytest.skip(f"{mancante}: nessun worker Celery reale")
    return redis_url


def _azzera_connessioni_broker() -> None:
    # The app keeps its broker connection pools; drop them so they are made again with the
    # current configuration (kombu keys its pools by URL and transport options).
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def broker(pila):
    """The web side: tasks go to Redis, under a key prefix no one else uses."""
    prefisso = f"pianizona-test-lavori-{uuid.uuid4().hex[:12]}:"
    chiavi = ("task_always_eager", "broker_url", "broker_transport_options")
    vecchio = {chiave: app.conf[chiave] for chiave in chiavi}
    app.conf.update(
        task_always_eager=False,
        broker_url=pila,
        broker_transport_options={"global_keyprefix": prefisso},
    )
    _azzera_connessioni_broker()
    try:
        yield prefisso
    finally:
        app.conf.update(vecchio)
        _azzera_connessioni_broker()
        client = redis.Redis.from_url(pila)
        for chiave in client.scan_iter(match=f"{prefisso}*"):
            client.delete(chiave)
        client.close()


def _database_url() -> str:
    """The test database (pytest-django's ``test_<name>``), for the worker process."""
    db = connection.settings_dict
    credenziali = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credenziali += ":" + quote(db["PASSWORD"], safe="")
    host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    return f"postgres://{credenziali}@{host}/{quote(db['NAME'], safe='')}"


class Worker(WorkerCelery):
    """The worker on the test's database and broker prefix, with the slow test jobs loaded."""

    def __init__(self, prefisso: str, media: Path, registro: Path):
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.stack.impostazioni_worker",
            "DATABASE_URL": _database_url(),
            "REDIS_URL": app.conf.broker_url,
            "PIANIZONA_TEST_PREFISSO_BROKER": prefisso,
            "PIANIZONA_TEST_VISIBILITA": str(VISIBILITA),
            "PIANIZONA_TEST_MEDIA_ROOT": str(media),
            "PYTHONPATH": str(RADICE),
            "DB_CONN_MAX_AGE": "0",
        }
        # The default queue, under this test's own key prefix.
        super().__init__(
            env, registro, importa="tests.stack.lavori_lenti", nome="lavori", coda="celery"
        )


def _attendi(condizione, secondi: float, worker: Worker, cosa: str) -> Job:
    fine = time.monotonic() + secondi
    while time.monotonic() < fine:
        job = condizione()
        if job is not None:
            return job
        time.sleep(0.1)
    pytest.fail(f"Dopo {secondi} s {cosa} non è avvenuto. Log del worker:\n{worker.log()}")


def test_a_worker_killed_mid_job_leaves_it_to_the_next_worker_which_completes_it_once(
    broker, cast, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    primo = Worker(broker, settings.MEDIA_ROOT, tmp_path / "worker-1.log")
    secondo = Worker(broker, settings.MEDIA_ROOT, tmp_path / "worker-2.log")
    try:
        with transaction.atomic():  # dispatched when this commits
            job = job_crea(
                user=cast.operatore_a,
                tipo=lavori_lenti.TIPO,
                piano=cast.piano_a,
                parametri={"passi": 10, "pausa": 0.5},
            )
        primo.avvia()

        def a_meta() -> Job | None:
            letto = Job.objects.get(pk=job.pk)
            return letto if letto.stato == Job.Stato.IN_CORSO and letto.progresso >= 20 else None

        in_corso = _attendi(a_meta, 30, primo, "l'avanzamento del lavoro")
        assert in_corso.tentativi == 1

        primo.uccidi()
        time.sleep(0.5)
        fermo = Job.objects.get(pk=job.pk)
        assert fermo.stato == Job.Stato.IN_CORSO  # left running: nobody finished it
        assert not fermo.file

        time.sleep(VISIBILITA + 1)  # the unacknowledged message becomes visible again
        secondo.avvia()

        def concluso() -> Job | None:
            letto = Job.objects.get(pk=job.pk)
            return letto if letto.concluso else None

        finito = _attendi(concluso, 40, secondo, "il completamento del lavoro")
        assert finito.stato == Job.Stato.COMPLETATO, (finito.errore, secondo.log())
        assert finito.tentativi == 2
        assert finito.progresso == 100
        cartella = settings.MEDIA_ROOT / "job" / str(job.pk)
        assert [p.name for p in cartella.iterdir()] == ["lavoro-lento.txt"]
        assert (settings.MEDIA_ROOT / finito.file.name).read_text() == (
            "Completato al tentativo 2."
        )
        assert Job.objects.count() == 1
    finally:
        primo.uccidi()
        secondo.ferma()
