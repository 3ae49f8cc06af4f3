"""The load drill's users: Uffici di Piano at work, regional officers reviewing, and the bare view.

Run by ``python -m tests.drills.carico`` (locust headless); it reads the targets JSON written by
``tests.drills.carico.dataset`` (``PIANIZONA_CARICO_BERSAGLI``) and writes its counts of expected
refusals to ``PIANIZONA_CARICO_ESITI``. No Django here: locust runs under gevent. Every write goes
through the page's own form, parsed from the HTML as a browser would submit it (CSRF token, the
sheet's revision, every field), and every request is named by its page type, so locust's
statistics aggregate per page and not per URL.

What counts as an error: any status other than the one the page answers when it works, and any
redirect where a page should be shown (to the login, to the second factor). What is expected and
only counted: a 409 when two colleagues save the same sheet (the second is told to reload), and a
sheet shown read-only because its plan was submitted meanwhile. A submission or a review the
plan's state no longer allows is a redirect with a message, as in the browser: not an error.
"""

import itertools
import json
import os
import random
import re
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import gevent
from locust import HttpUser, between, events, task
from locust.exception import StopUser

from tests.drills.carico.moduli import Modulo, euro, in_euro, modulo_verso

BERSAGLI = json.loads(Path(os.environ["PIANIZONA_CARICO_BERSAGLI"]).read_text(encoding="utf-8"))
ATTESA = between(
    float(os.environ.get("PIANIZONA_CARICO_ATTESA_MIN", "2")),
    float(os.environ.get("PIANIZONA_CARICO_ATTESA_MAX", "6")),
)
DURATA = float(os.environ.get("PIANIZONA_CARICO_DURATA", "60"))
PDF_ATTESA_MASSIMA = 180.0  # seconds a user waits for its PDF before calling it an error

esiti: Counter[str] = Counter({"scheda: conflitto (409)": 0})  # written out at the end
tempi_login: list[float] = []
_prossimo_utente = itertools.count()
_pronti = itertools.count(1)


def pronto(environment) -> None:
    """Once the last user is in (logins hash passwords: slow on purpose), measure for DURATA s."""
    if next(_pronti) == environment.parsed_options.num_users:
        environment.runner.stats.reset_all()
        esiti["misura: inizio"] = round(time.time())
        gevent.spawn_later(DURATA, environment.runner.quit)


@events.request.add_listener
def _conta(name: str, response_time: float, exception: Exception | None, **kwargs) -> None:
    """Failures and logins over the whole run: the statistics are reset once all users are in."""
    if exception is not None:
        esiti["errori (intera corsa)"] += 1
    if name == "login":
        esiti["login"] += 1
        tempi_login.append(response_time)


@events.quitting.add_listener
def _scrivi_esiti(environment, **kwargs) -> None:
    esiti["misura: fine"] = round(time.time())
    tempi_login.sort()
    if tempi_login:
        esiti["login: mediana ms"] = round(tempi_login[len(tempi_login) // 2])
        esiti["login: massimo ms"] = round(tempi_login[-1])
    percorso = os.environ.get("PIANIZONA_CARICO_ESITI")
    if percorso:
        Path(percorso).write_text(json.dumps(dict(esiti), indent=1), encoding="utf-8")


# --- The users ---------------------------------------------------------------------------------


class Utente(HttpUser):
    abstract = True
    wait_time = ATTESA
    email = ""

    def accedi(self, email: str) -> None:
        """Log in through allauth's form (password only: the drill runs with MFA not mandatory)."""
        pagina = BERSAGLI["login"]
        with self.client.get(pagina, name="login: pagina", catch_response=True) as r:
            modulo = modulo_verso(r.text, pagina, pagina) if r.ok else None
            if modulo is None:
                r.failure("la pagina di accesso non ha il modulo")
                pronto(self.environment)  # counted in, or the run would wait for it forever
                raise StopUser
        dati = modulo.dati(login=email, password=BERSAGLI["password"])
        with self.client.post(
            pagina, data=dati, name="login", allow_redirects=False, catch_response=True
        ) as r:
            if r.status_code != 302:
                r.failure(f"accesso rifiutato a {email} ({r.status_code})")
                pronto(self.environment)
                raise StopUser
        self.email = email

    def pagina(self, url: str, nome: str) -> str | None:
        """GET a page that must answer 200; a redirect (login, second factor) is an error."""
        with self.client.get(url, name=nome, allow_redirects=False, catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"{nome}: {r.status_code} {r.headers.get('Location', '')}")
                return None
            return r.text

    def invia(
        self, modulo: Modulo, nome: str, attesi: tuple[int, ...] = (302,), **sostituzioni: str
    ) -> int | None:
        """POST a parsed form; a status outside ``attesi`` is an error."""
        with self.client.post(
            modulo.action,
            data=modulo.dati(**sostituzioni),
            name=nome,
            allow_redirects=False,
            catch_response=True,
        ) as r:
            if r.status_code not in attesi:
                r.failure(f"{nome}: {r.status_code}")
                return None
            r.success()
            return r.status_code


class UfficioDiPiano(Utente):
    """A responsabile or an operatore of one ambito; two colleagues per ambito, editable ones first."""

    weight = 10

    def on_start(self) -> None:
        n = next(_prossimo_utente)
        ambiti = BERSAGLI["ambiti"]
        self.ambito = ambiti[(n // 2) % len(ambiti)]
        self.responsabile = n % 2 == 0
        self.rng = random.Random(n)
        self.accedi(self.ambito["utenti"][0 if self.responsabile else 1])
        with self.client.get(BERSAGLI["home"], name="home", catch_response=True) as r:
            # The home page sends a one-ambito user to the ambito's page.
            if urlsplit(r.url).path != self.ambito["pagine"]["ambito"]:
                r.failure(f"home: finita su {r.url}")
        pronto(self.environment)

    @task(8)
    def sfoglia(self) -> None:
        nome, url = self.rng.choice(list(self.ambito["pagine"].items()))
        self.pagina(url, nome)

    @task(3)
    def apri_scheda(self) -> None:
        self.pagina(self.rng.choice(self.ambito["schede"]), "scheda")

    @task(4)
    def modifica_allocazione(self) -> None:
        """Open a sheet and save it with one amount lowered by 1 € (lowering never over-allocates)."""
        url = self.rng.choice(self.ambito["schede"])
        html = self.pagina(url, "scheda")
        modulo = modulo_verso(html, url, url) if html else None
        if modulo is None or modulo.valore("revisione") is None:
            esiti["scheda in sola lettura"] += 1  # the plan is submitted: no form to save
            return
        importi = [(n, v) for n, v in modulo.campi if n.startswith("importo_") and v]
        importi = [(n, euro(v)) for n, v in importi if euro(v) >= 1]
        if not importi:
            return
        nome, valore = self.rng.choice(importi)
        stato = self.invia(
            modulo, "scheda: salva", attesi=(302, 409), **{nome: in_euro(valore - 1)}
        )
        if stato == 409:
            esiti["scheda: conflitto (409)"] += 1
        elif stato == 302:
            esiti["scheda: salvata"] += 1

    @task(1)
    def invia_piano(self) -> None:
        """The responsabile submits when the checklist allows it, or first takes in the budget."""
        if not self.responsabile:
            return
        url = self.ambito["pagine"]["invio: controlli"]
        html = self.pagina(url, "invio: controlli")
        if html is None:
            return
        if modulo := modulo_verso(html, url, url):
            if self.invia(modulo, "invio: invia") == 302:
                esiti["piani inviati"] += 1
            return
        riepilogo = self.ambito["pagine"]["riepilogo risorse"]
        html = self.pagina(riepilogo, "riepilogo risorse")
        modulo = modulo_verso(html, riepilogo, self.ambito["recepimento"]) if html else None
        if modulo and self.invia(modulo, "recepimento") == 302:
            esiti["assegnazioni recepite"] += 1

    @task(1)
    def pdf(self) -> None:
        """Ask for the plan's PDF and follow its page until the file is there, then download it."""
        piano = self.ambito["pagine"]["piano"]
        html = self.pagina(piano, "piano")
        modulo = modulo_verso(html, piano, self.ambito["pdf"]) if html else None
        if modulo is None:
            return
        inizio = time.perf_counter()
        with self.client.post(
            modulo.action,
            data=modulo.dati(),
            name="pdf: richiesta",
            allow_redirects=False,
            catch_response=True,
        ) as r:
            lavoro = urlsplit(r.headers.get("Location", "")).path
            if r.status_code != 302 or not lavoro.startswith("/lavori/"):
                r.failure(f"pdf: richiesta {r.status_code} {lavoro}")
                return
        html = self.pagina(lavoro, "lavoro: pagina")
        errore = "" if html else "pagina del lavoro non disponibile"
        while html and (stato := re.search(r'hx-get="([^"]+)"', html)):
            if time.perf_counter() - inizio > PDF_ATTESA_MASSIMA:
                errore = f"il PDF non è pronto dopo {PDF_ATTESA_MASSIMA:.0f} s"
                break
            time.sleep(1)  # the page polls once a second
            html = self.pagina(stato.group(1), "lavoro: stato")
        if not errore and html and "alert-danger" in html:
            errore = "il lavoro è fallito"
        file = re.search(r'href="(/lavori/[^"]+/file/)"', html or "")
        if not errore and file is None:
            errore = "il lavoro è concluso senza file"
        if not errore:
            with self.client.get(file.group(1), name="pdf: scarica", catch_response=True) as r:
                if r.headers.get("Content-Type") != "application/pdf":
                    errore = f"il file non è un PDF ({r.headers.get('Content-Type')})"
                    r.failure(errore)
        # The whole wait as the user lives it, one row of its own in the statistics.
        events.request.fire(
            request_type="LAVORO",
            name="pdf: lavoro completo",
            response_time=(time.perf_counter() - inizio) * 1000,
            response_length=0,
            exception=RuntimeError(errore) if errore else None,
            context={},
        )


class FunzionarioRegionale(Utente):
    """The Region's officer: overview pages, the plans of every ambito, and reviews."""

    fixed_count = int(os.environ.get("PIANIZONA_CARICO_FUNZIONARI", "4"))

    def on_start(self) -> None:
        self.rng = random.Random(f"funzionario-{next(_prossimo_utente)}")
        self.accedi(BERSAGLI["funzionario"]["utente"])
        pronto(self.environment)

    @task(6)
    def sfoglia(self) -> None:
        nome, url = self.rng.choice(list(BERSAGLI["funzionario"]["pagine"].items()))
        self.pagina(url, nome)

    @task(3)
    def istruttoria(self) -> None:
        """Open a plan; take it in charge if submitted, ask for changes if under review."""
        url = self.rng.choice(BERSAGLI["funzionario"]["piani"])
        html = self.pagina(url, "piano (regione)")
        if html is None:
            return
        if modulo := modulo_verso(html, url, f"{url}presa-in-carico/"):
            self.invia(modulo, "presa in carico")
            esiti["piani presi in carico"] += 1
            return
        richiesta = f"{url}richiesta-integrazioni/"
        if f'href="{richiesta}"' not in html:
            return
        html = self.pagina(richiesta, "richiesta integrazioni: pagina")
        if html and (modulo := modulo_verso(html, richiesta, richiesta)):
            commento = "Integrare le schede indicate (prova di carico)."
            if self.invia(modulo, "richiesta integrazioni", commento=commento) == 302:
                esiti["integrazioni richieste"] += 1


class VistaNuda(Utente):
    """Anonymous, on the bare view, at the same pace: the floor of the stack in the same run."""

    fixed_count = 1

    def on_start(self) -> None:
        pronto(self.environment)

    @task
    def nudo(self) -> None:
        self.pagina(BERSAGLI["nudo"], "nudo")
