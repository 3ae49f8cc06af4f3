"""Throughput at saturation: one page asked for without pause by a few clients for a few seconds.

The mixed run's requests per second follow the users' pace and the task weights, so they do not
compare two pages; this does: the bare view and the heaviest page, each alone on the same gunicorn,
with as many clients as it has workers times two (every worker always has a request waiting).
"""

import statistics
import threading
import time
from dataclasses import dataclass, field

import requests

from .moduli import modulo_verso


@dataclass
class Saturazione:
    pagina: str
    richieste: int = 0
    errori: int = 0
    secondi: float = 0.0
    cpu_client: float = 0.0  # CPU seconds of this client per second: near 1 means it is the limit
    tempi_ms: list[float] = field(default_factory=list)

    @property
    def al_secondo(self) -> float:
        return self.richieste / self.secondi if self.secondi else 0.0

    @property
    def mediana_ms(self) -> float:
        return statistics.median(self.tempi_ms) if self.tempi_ms else 0.0


def accedi(base: str, login: str, email: str, password: str) -> requests.Session:
    """A session logged in through the login form, as the load users do."""
    sessione = requests.Session()
    pagina = sessione.get(base + login, timeout=30)
    modulo = modulo_verso(pagina.text, login, login)
    if modulo is None:
        raise RuntimeError("la pagina di accesso non ha il modulo")
    risposta = sessione.post(
        base + login,
        data=modulo.dati(login=email, password=password),
        allow_redirects=False,
        timeout=30,
    )
    if risposta.status_code != 302:
        raise RuntimeError(f"accesso rifiutato a {email} ({risposta.status_code})")
    return sessione


def satura(
    base: str,
    url: str,
    pagina: str,
    *,
    client: int,
    secondi: float,
    cookies: requests.cookies.RequestsCookieJar | None = None,
) -> Saturazione:
    """``client`` threads GET ``url`` back to back for ``secondi``; only 200s count as served."""
    esito = Saturazione(pagina)
    blocco = threading.Lock()
    fine = time.perf_counter() + secondi

    def lavora() -> None:
        sessione = requests.Session()
        if cookies is not None:
            sessione.cookies.update(cookies)
        servite, errori, tempi = 0, 0, []
        while (inizio := time.perf_counter()) < fine:
            try:
                risposta = sessione.get(base + url, allow_redirects=False, timeout=60)
                ok = risposta.status_code == 200
            except requests.RequestException:
                ok = False
            tempi.append((time.perf_counter() - inizio) * 1000)
            servite, errori = servite + ok, errori + (not ok)
        with blocco:
            esito.richieste += servite
            esito.errori += errori
            esito.tempi_ms += tempi

    inizio, cpu = time.perf_counter(), time.process_time()
    fili = [threading.Thread(target=lavora) for _ in range(client)]
    for filo in fili:
        filo.start()
    for filo in fili:
        filo.join()
    esito.secondi = time.perf_counter() - inizio
    esito.cpu_client = (time.process_time() - cpu) / esito.secondi
    return esito
