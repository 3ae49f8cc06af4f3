"""`make run`'s last step: the web server and, beside it, a Celery worker with beat; Ctrl+C stops both.

``HOST=127.0.0.1 PORT=8000 CELERY_BROKER_URL=filesystem:// python manage.py demo`` (what `make run` runs).

Each runs in a process group of its own, so that a signal the terminal sends is handled here once:
SIGTERM to both, then SIGKILL to whatever is left of their groups (runserver's reloaded server, the
worker's pool) after a few seconds at most. If either stops by itself, the
other is stopped too: a demo without its worker would leave every long operation waiting.
"""

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from pianizona.celery import app
from pianizona.lavori.services import lavori_riprendi_interrotti

# Seconds the worker has to finish its task on Ctrl+C (a plan's PDF may take longer: it starts over).
ATTESA_ARRESTO = 10


class Command(BaseCommand):
    help = (
        "Avvia la demo: il server web e, accanto, il worker Celery (con le attività periodiche) "
        "che esegue le operazioni lunghe. Ctrl+C li ferma entrambi."
    )

    def handle(self, *args, **options) -> None:
        if app.conf.task_always_eager:
            raise CommandError(
                "La demo ha bisogno di un broker per il worker: avviarla con `make run`, "
                "oppure impostare CELERY_BROKER_URL (ad esempio filesystem://)."
            )
        opzioni = settings.CELERY_BROKER_TRANSPORT_OPTIONS
        for chiave in ("data_folder_in", "data_folder_out", "control_folder"):
            if cartella := opzioni.get(chiave):
                Path(cartella).mkdir(parents=True, exist_ok=True)
        # Beat's schedule beside the queue's folder (var/ for the demo).
        coda = opzioni.get("data_folder_in")
        dati = Path(coda).parent if coda else Path(settings.BASE_DIR) / "var"
        dati.mkdir(parents=True, exist_ok=True)
        if ripresi := lavori_riprendi_interrotti():
            self.stdout.write(f"Operazioni interrotte all'ultimo arresto, riavviate: {ripresi}.")

        manage = str(Path(settings.BASE_DIR) / "manage.py")
        # From the environment, like the settings that derive SITE_URL and ALLOWED_HOSTS from them.
        host, port = settings.DEMO_HOST, settings.DEMO_PORT
        indirizzo = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
        worker = [
            *(sys.executable, "-m", "celery", "-A", "pianizona", "worker", "--beat"),
            f"--schedule={dati / 'celerybeat-schedule'}",
            *("--pool=prefork", "--concurrency=1", "--hostname=demo@%h", "--loglevel=INFO"),
            # One worker on a folder: no other worker to hear from or synchronise with.
            *("--without-gossip", "--without-mingle", "--without-heartbeat"),
        ]

        # Handlers first: a Ctrl+C while starting must stop what has started already.
        fermati: list[int] = []
        precedenti = {
            s: signal.signal(s, lambda numero, _frame: fermati.append(numero))
            for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
        }
        processi: dict[str, subprocess.Popen] = {}
        uscito = None
        try:
            processi["server web"] = _avvia([sys.executable, manage, "runserver", indirizzo])
            processi["worker"] = _avvia(worker)
            while not fermati and uscito is None:
                time.sleep(0.3)
                uscito = next((n for n, p in processi.items() if p.poll() is not None), None)
            if uscito is not None:
                self.stderr.write(f"Il processo «{uscito}» si è fermato: si ferma anche la demo.")
        finally:
            _ferma(list(processi.values()))
            for s, gestore in precedenti.items():
                signal.signal(s, gestore)
        if uscito is not None:
            raise CommandError(f"«{uscito}» uscito con codice {processi[uscito].returncode}.")


def _avvia(comando: list[str]) -> subprocess.Popen:
    return subprocess.Popen(
        comando,
        cwd=settings.BASE_DIR,
        # Unbuffered: the e-mails the worker prints reach a log file (CI) when sent, not at exit.
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )


def _ferma(processi: list[subprocess.Popen]) -> None:
    for processo in processi:
        # The leader only: the worker's warm shutdown stops its pool itself.
        with contextlib.suppress(ProcessLookupError):
            processo.send_signal(signal.SIGTERM)
    scadenza = time.monotonic() + ATTESA_ARRESTO
    for processo in processi:
        with contextlib.suppress(subprocess.TimeoutExpired):
            processo.wait(timeout=max(0.1, scadenza - time.monotonic()))
    for processo in processi:
        # The group, not only its leader: a pool child or the reloader's server may outlive it.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(processo.pid, signal.SIGKILL)
        processo.wait()
