"""`make run`'s demo as users meet it: ``manage.py demo`` (web server and worker) on a SQLite file.

The demo's own settings (pianizona.settings.dev), its broker (a folder) and its data (seed_demo),
built once per session in a temporary folder and copied for each test; the server and the worker
are real processes, reached over HTTP. Nothing here needs a server beyond Python.
"""

import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests

from tests.stack.processi import RADICE, porta_libera

PASSWORD = "demo-pianizona-2025"
HTMX = {"HX-Request": "true"}


def _ambiente(cartella: Path) -> dict[str, str]:
    # Not what this process was given or set for itself (the test settings' e-mail backend).
    escluse = {"DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "SITE_URL", "DEBUG", "HOST"}
    escluse |= {"PORT", "EMAIL_BACKEND", "ALLOWED_HOSTS", "MEDIA_ROOT"}
    env = {k: v for k, v in os.environ.items() if k not in escluse}
    env.update(
        DJANGO_SETTINGS_MODULE="pianizona.settings.dev",
        PYTHONPATH=str(RADICE),
        DATABASE_URL=f"sqlite:///{cartella / 'demo.sqlite3'}",
        MEDIA_ROOT=str(cartella / "media"),
        CELERY_BROKER_FOLDER=str(cartella / "coda"),
        LOG_LEVEL="WARNING",
    )
    return env


@pytest.fixture(scope="session")
def database_demo(tmp_path_factory) -> Path:
    """The demo's database, migrated and seeded as `make run` does (tasks in-process)."""
    cartella = tmp_path_factory.mktemp("demo-dati")
    env = _ambiente(cartella)
    for comando in (["migrate", "--noinput"], ["seed_demo", "--if-empty"]):
        subprocess.run(
            [sys.executable, "manage.py", *comando],
            cwd=RADICE,
            env=env,
            check=True,
            capture_output=True,
            timeout=600,
        )
    return cartella / "demo.sqlite3"


class Demo:
    def __init__(self, cartella: Path, processo: subprocess.Popen, porta: int, registro: Path):
        self.cartella = cartella
        self.processo = processo
        self.url = f"http://127.0.0.1:{porta}"
        self.registro = registro

    def log(self) -> str:
        return self.registro.read_text(errors="replace")[-6000:]

    def query(self, sql: str, *parametri) -> list[tuple]:
        with sqlite3.connect(self.cartella / "demo.sqlite3", timeout=20) as db:
            return db.execute(sql, parametri).fetchall()

    def piano(self, ambito: str, stato: str) -> int:
        return self.query(
            "SELECT p.id FROM pianizona_piano p JOIN pianizona_ambito a ON a.id = p.ambito_id "
            "WHERE a.codice = ? AND p.stato = ? ORDER BY p.id DESC",
            ambito,
            stato,
        )[0][0]

    def accedi(self, email: str) -> requests.Session:
        sessione = requests.Session()
        sessione.get(f"{self.url}/accounts/login/", timeout=30)
        risposta = sessione.post(
            f"{self.url}/accounts/login/",
            data={
                "login": email,
                "password": PASSWORD,
                "csrfmiddlewaretoken": sessione.cookies["csrftoken"],
            },
            allow_redirects=False,
            timeout=30,
        )
        assert risposta.status_code == 302, risposta.text[:2000]
        return sessione


@pytest.fixture(scope="module")
def demo(database_demo, tmp_path_factory):
    """`make run`'s last step on a copy of the demo's database; stopped as Ctrl+C stops it.

    One for the module: each test works on a plan of its own.
    """
    tmp_path = tmp_path_factory.mktemp("demo")
    shutil.copy(database_demo, tmp_path / "demo.sqlite3")
    porta = porta_libera()
    # What `make run` passes.
    env = {
        **_ambiente(tmp_path),
        "CELERY_BROKER_URL": "filesystem://",
        "HOST": "127.0.0.1",
        "PORT": str(porta),
    }
    registro = tmp_path / "demo.log"
    with registro.open("ab") as uscita:
        processo = subprocess.Popen(
            [sys.executable, "manage.py", "demo"],
            cwd=RADICE,
            env=env,
            stdout=uscita,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    istanza = Demo(tmp_path, processo, porta, registro)
    try:
        _attendi_pronta(istanza)
        yield istanza
    finally:
        figli = _figli(processo.pid)  # the web server and the worker
        processo.send_signal(signal.SIGINT)  # what Ctrl+C sends
        try:
            processo.wait(timeout=40)
        except subprocess.TimeoutExpired:
            os.killpg(processo.pid, signal.SIGKILL)
            processo.wait()
            pytest.fail(f"La demo non si è fermata con Ctrl+C:\n{istanza.log()}")
        rimasti = [pid for pid in figli if _vivo(pid)]
        for pid in rimasti:
            os.kill(pid, signal.SIGKILL)
        assert len(figli) == 2 and rimasti == [], f"Ctrl+C ha lasciato attivi {rimasti} di {figli}"


def _figli(pid: int) -> list[int]:
    with open(f"/proc/{pid}/task/{pid}/children") as elenco:
        return [int(figlio) for figlio in elenco.read().split()]


def _vivo(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(")")[-1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def _attendi_pronta(demo: Demo) -> None:
    scadenza = time.monotonic() + 180
    while time.monotonic() < scadenza:
        if demo.processo.poll() is not None:
            pytest.fail(f"La demo si è fermata all'avvio:\n{demo.log()}")
        try:
            stato = requests.get(f"{demo.url}/healthz", timeout=5).json()
        except (requests.RequestException, ValueError):
            stato = {}
        # healthz says only ok/ko to anyone; the worker's own "ready" line says it listens.
        if stato.get("stato") == "ok" and " ready." in demo.log():
            return
        time.sleep(1)
    pytest.fail(f"La demo non è partita in tempo:\n{demo.log()}")


def _campi_nascosti(html: str) -> dict[str, str]:
    campi = {}
    for tag in re.findall(r"<input[^>]*>", html):
        nome = re.search(r'name="([^"]+)"', tag)
        valore = re.search(r'value="([^"]*)"', tag)
        if nome and 'type="hidden"' in tag:
            campi[nome.group(1)] = valore.group(1) if valore else ""
    return campi


def test_a_missing_page_is_the_product_s_italian_page(demo):
    risposta = requests.get(f"{demo.url}/pagina-che-non-esiste/", timeout=60)

    assert risposta.status_code == 404
    assert "<h1>Pagina non trovata</h1>" in risposta.text
    assert "Traceback" not in risposta.text and "DEBUG = True" not in risposta.text


def test_the_live_panel_and_saving_a_chapter_at_once_never_fail(demo):
    """The narrative's chapter saved over and over while the live panel and the preview refresh."""
    piano = demo.piano("BA01", "bozza")
    utente = demo.accedi("responsabile.ba01@pianizona.demo")
    capitolo = f"{demo.url}/piani/{piano}/narrativa/contesto/"
    csrf = utente.cookies["csrftoken"]
    finito = threading.Event()
    parziali: list[int] = []
    salvataggi: list[int] = []

    def pannello() -> None:
        # Its own connection, the same browser session: the cookies are shared, the socket not.
        browser = requests.Session()
        browser.cookies.update(utente.cookies)
        while not finito.is_set():
            parziali.append(
                browser.get(
                    f"{demo.url}/piani/{piano}/pannello/", headers=HTMX, timeout=60
                ).status_code
            )
            parziali.append(
                browser.post(
                    f"{demo.url}/piani/{piano}/narrativa/anteprima/",
                    data={"testo": "Anteprima del testo"},
                    headers={**HTMX, "X-CSRFToken": csrf},
                    timeout=60,
                ).status_code
            )

    lettori = [threading.Thread(target=pannello) for _ in range(3)]
    for lettore in lettori:
        lettore.start()
    try:
        for giro in range(12):
            pagina = utente.get(capitolo, timeout=60)
            assert pagina.status_code == 200
            salvataggi.append(
                utente.post(
                    capitolo,
                    data={
                        **_campi_nascosti(pagina.text),
                        "testo": f"Analisi del contesto, stesura {giro}.",
                    },
                    allow_redirects=False,
                    timeout=60,
                ).status_code
            )
    finally:
        finito.set()
        for lettore in lettori:
            lettore.join(timeout=90)

    assert salvataggi == [302] * 12, demo.log()
    assert parziali and set(parziali) == {200}, demo.log()
    assert "database is locked" not in demo.log()
    assert "Analisi del contesto, stesura 11." in utente.get(capitolo, timeout=60).text


def _attendi(condizione, secondi: float, demo: Demo, cosa: str):
    scadenza = time.monotonic() + secondi
    while time.monotonic() < scadenza:
        if risultato := condizione():
            return risultato
        time.sleep(0.5)
    pytest.fail(f"{cosa}: non avvenuto in {secondi} s.\n{demo.log()}")


def test_the_approval_returns_at_once_and_the_worker_lays_out_the_approved_pdf(demo):
    piano = demo.piano("BA02", "in_istruttoria")
    funzionario = demo.accedi("funzionario@pianizona.demo")
    url = f"{demo.url}/piani/{piano}/approvazione/"
    pagina = funzionario.get(url, timeout=60)
    assert pagina.status_code == 200
    stampe = demo.cartella / "media" / "stampe" / str(piano)

    inizio = time.monotonic()
    risposta = funzionario.post(
        url,
        data={**_campi_nascosti(pagina.text), "conferma": PASSWORD, "osservazioni": "chiuse"},
        allow_redirects=False,
        timeout=60,
    )
    durata = time.monotonic() - inizio
    pronto_subito = list(stampe.glob("*.pdf"))

    assert risposta.status_code == 302, risposta.text[:3000]
    assert risposta.headers["Location"] == f"/piani/{piano}/"
    assert "Piano approvato." in funzionario.get(demo.url + risposta.headers["Location"]).text
    # Before: 15-42 s with the PDF laid out inside the request; now the worker does it afterwards.
    assert durata < 8, f"l'approvazione ha richiesto {durata:.1f} s"
    assert pronto_subito == []

    pdf = _attendi(lambda: list(stampe.glob("*.pdf")), 240, demo, "il PDF approvato")
    time.sleep(1)  # written by the worker as we looked: let it finish
    assert pdf[0].read_bytes().startswith(b"%PDF")
    # The district's notification, sent by the worker, links to the port the demo serves.
    _attendi(lambda: f"{demo.url}/piani/{piano}/" in demo.log(), 60, demo, "la notifica")


def test_a_draft_pdf_is_followed_on_its_page_while_the_worker_lays_it_out(demo):
    piano = demo.piano("BA01", "bozza")
    utente = demo.accedi("responsabile.ba01@pianizona.demo")

    risposta = utente.post(
        f"{demo.url}/piani/{piano}/pdf/",
        data={"csrfmiddlewaretoken": utente.cookies["csrftoken"]},
        allow_redirects=False,
        timeout=60,
    )
    assert risposta.status_code == 302
    lavoro = demo.url + risposta.headers["Location"]
    pagina = utente.get(lavoro, timeout=60).text

    # The page the user lands on follows the job: it is not done yet.
    assert 'hx-trigger="every 1s"' in pagina
    assert "Scarica" not in pagina

    stato = _attendi(
        lambda: (
            "Scarica" in (t := utente.get(f"{lavoro}stato/", headers=HTMX, timeout=60).text) and t
        ),
        240,
        demo,
        "il PDF della bozza",
    )
    scarica = re.search(r'href="(/lavori/[^"]+/file/)"', stato).group(1)
    assert utente.get(demo.url + scarica, timeout=60).content.startswith(b"%PDF")
