"""The demo's settings (pianizona.settings.dev) follow `make run`'s HOST and PORT and behave like production."""

import json
import os
import subprocess
import sys

from tests.stack.processi import RADICE

LEGGI = """
import json
from django.conf import settings
from pianizona.celery import app
print(json.dumps({
    "SITE_URL": settings.SITE_URL,
    "ALLOWED_HOSTS": settings.ALLOWED_HOSTS,
    "DEBUG": settings.DEBUG,
    "OPTIONS": settings.DATABASES["default"].get("OPTIONS", {}),
    "eager": app.conf.task_always_eager,
    "coda": settings.CELERY_BROKER_TRANSPORT_OPTIONS.get("data_folder_in"),
}))
"""


def _impostazioni(**variabili: str) -> dict:
    escluse = {"DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "SITE_URL", "DEBUG", "HOST"}
    escluse |= {"PORT", "ALLOWED_HOSTS", "EMAIL_BACKEND"}
    env = {k: v for k, v in os.environ.items() if k not in escluse}
    env.update(DJANGO_SETTINGS_MODULE="pianizona.settings.dev", PYTHONPATH=str(RADICE), **variabili)
    uscita = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", LEGGI],
        cwd=RADICE,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout
    return json.loads(uscita.strip().splitlines()[-1])


def test_the_demo_on_another_port_links_to_it_and_accepts_its_host():
    demo = _impostazioni(HOST="192.168.1.20", PORT="8765", CELERY_BROKER_URL="filesystem://")

    assert demo["SITE_URL"] == "http://192.168.1.20:8765"
    assert "192.168.1.20" in demo["ALLOWED_HOSTS"]
    # The Italian error pages, not Django's debug pages.
    assert demo["DEBUG"] is False
    # Tasks go to the worker `make run` starts beside the web server, through a folder under var/.
    assert demo["eager"] is False
    assert demo["coda"] == str(RADICE / "var" / "coda" / "messaggi")
    # SQLite for a web server and a worker writing at once.
    assert demo["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert demo["OPTIONS"]["timeout"] >= 5
    assert "journal_mode=WAL" in demo["OPTIONS"]["init_command"]


def test_the_demo_on_every_interface_links_to_the_loopback_address():
    demo = _impostazioni(HOST="0.0.0.0", PORT="9000")

    assert demo["SITE_URL"] == "http://127.0.0.1:9000"
    assert demo["ALLOWED_HOSTS"] == ["*"]
    assert demo["eager"] is True  # a bare runserver, without `make run`'s broker: in-process


def test_an_explicit_site_url_wins():
    demo = _impostazioni(PORT="9000", SITE_URL="https://demo.example.org")

    assert demo["SITE_URL"] == "https://demo.example.org"
