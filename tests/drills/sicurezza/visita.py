"""A crawler over the test client: follows same-origin links breadth-first and reads every response.

Pages, JSON, CSV, XLSX (cells through openpyxl), PDF (text through pypdf) and ZIP files are turned
into text, and every marker found is recorded with the URL that showed it.
"""

import io
import re
import time
import zipfile
from collections import Counter, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import openpyxl
from django.http import HttpResponse
from django.test import Client
from django.urls import Resolver404, resolve
from pypdf import PdfReader

from .semina import MARCATORE

HOST = "testserver"
# Never followed: ending the session, static files, the admin (district users are not staff).
ESCLUSI = ("/accounts/logout/", "/static/", "/admin/")
VARIANTI_PER_PERCORSO = 8  # query-string variants of one path (filters, pages) visited at most
# Links to one route (sixty sheets of one plan) followed at most: the start URLs always are.
COLLEGAMENTI_PER_ROUTE = 6


class _Collegamenti(HTMLParser):
    """Targets of href, src, hx-get and of forms sent with GET."""

    def __init__(self) -> None:
        super().__init__()
        self.trovati: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        valori = dict(attrs)
        for nome in ("href", "src", "hx-get"):
            if valori.get(nome):
                self.trovati.append(valori[nome])
        if tag == "form" and (valori.get("method") or "get").lower() == "get":
            self.trovati.append(valori.get("action") or "")


def _testo_pdf(contenuto: bytes) -> str:
    lettore = PdfReader(io.BytesIO(contenuto))
    return "\n".join(pagina.extract_text() or "" for pagina in lettore.pages)


def _testo_xlsx(contenuto: bytes) -> str:
    libro = openpyxl.load_workbook(io.BytesIO(contenuto), read_only=True, data_only=False)
    parti = []
    for foglio in libro.worksheets:
        parti.append(foglio.title)
        for riga in foglio.iter_rows(values_only=True):
            parti.extend(str(v) for v in riga if v is not None)
    libro.close()
    return "\n".join(parti)


def estrai_testo(contenuto: bytes, tipo: str, nome: str = "") -> tuple[str, str]:
    """(kind, text) of a response body or a file, by its media type or name."""
    tipo = tipo.split(";")[0].strip().lower()
    nome = nome.lower()
    if tipo == "application/pdf" or nome.endswith(".pdf") or contenuto.startswith(b"%PDF"):
        return "pdf", _testo_pdf(contenuto)
    if "spreadsheetml" in tipo or nome.endswith(".xlsx"):
        # The cells as a user reads them, and the raw XML in case a string hides elsewhere.
        grezzo = _testo_zip(contenuto)
        return "xlsx", _testo_xlsx(contenuto) + "\n" + grezzo
    if tipo in ("application/zip", "application/x-zip-compressed") or nome.endswith(".zip"):
        return "zip", _testo_zip(contenuto)
    if "csv" in tipo or nome.endswith(".csv"):
        return "csv", contenuto.decode("utf-8-sig", errors="replace")
    if "json" in tipo:
        return "json", contenuto.decode("utf-8", errors="replace")
    if tipo.startswith("text/"):
        return "html" if "html" in tipo else "testo", contenuto.decode("utf-8", errors="replace")
    return "binario", contenuto.decode("latin-1")


def _testo_zip(contenuto: bytes) -> str:
    parti = []
    with zipfile.ZipFile(io.BytesIO(contenuto)) as archivio:
        for voce in archivio.infolist():
            dati = archivio.read(voce)
            if voce.filename.lower().endswith((".pdf", ".xlsx", ".zip")):
                parti.append(estrai_testo(dati, "", voce.filename)[1])
            else:
                parti.append(dati.decode("utf-8", errors="replace"))
    return "\n".join(parti)


def marcatori_in(testo: str) -> set[str]:
    """Markers in the text, also when a line break or a space falls inside one (PDF layout)."""
    compatto = re.sub(r"\s+", "", testo)
    return {m.lower() for m in MARCATORE.findall(testo) + MARCATORE.findall(compatto)}


@dataclass
class Visita:
    """What one user's crawl saw."""

    stati: dict[str, int] = field(default_factory=dict)
    tipi: Counter = field(default_factory=Counter)
    # marker → URLs that showed it
    trovati: dict[str, set[str]] = field(default_factory=dict)
    errori: list[str] = field(default_factory=list)
    # seconds per URL: where a slow drill spends its time
    tempi: dict[str, float] = field(default_factory=dict)

    @property
    def route_lette(self) -> int:
        """Distinct pages of the urlconf (routes) that answered with a body."""
        return len({_route(u.partition("?")[0]) for u, s in self.stati.items() if 200 <= s < 300})

    @property
    def letti(self) -> int:
        """Responses with a body that was read (2xx)."""
        return sum(1 for s in self.stati.values() if 200 <= s < 300)


def corpo(risposta: HttpResponse) -> bytes:
    if getattr(risposta, "streaming", False):
        return b"".join(risposta.streaming_content)
    return risposta.content


def _stesso_sito(url: str, base: str) -> str | None:
    assoluto = urljoin(f"http://{HOST}{base}", url.strip())
    parti = urlsplit(assoluto)
    if parti.scheme not in ("http", "https") or parti.netloc != HOST:
        return None
    percorso = parti.path + (f"?{parti.query}" if parti.query else "")
    if any(parti.path.startswith(e) for e in ESCLUSI):
        return None
    return percorso


def _route(percorso: str) -> str:
    try:
        return resolve(percorso).route
    except Resolver404:
        return percorso


def visita(
    client: Client,
    partenze: Iterable[str],
    *,
    massimo: int = 3000,
    segui: bool = True,
    leggi: Callable[[str, str, str, str], None] | None = None,
    varianti_per_percorso: int = VARIANTI_PER_PERCORSO,
    collegamenti_per_route: int = COLLEGAMENTI_PER_ROUTE,
) -> Visita:
    """GET every start URL and, with ``segui``, every same-origin link they lead to.

    ``leggi(url, kind, text, file name)`` gets every body read, for checks other than markers;
    the two limits lower the links followed per path and per route (start URLs always go).
    """
    esito = Visita()
    coda = deque(partenze)
    viste: set[str] = set()
    varianti: Counter = Counter()
    per_route: Counter = Counter()
    while coda and len(esito.stati) < massimo:
        url = coda.popleft()
        if url in viste:
            continue
        viste.add(url)
        inizio = time.perf_counter()
        risposta = client.get(url)
        esito.stati[url] = risposta.status_code
        if risposta.status_code >= 500:
            esito.errori.append(f"{url} → {risposta.status_code}")
        nuovi: list[str] = []
        if risposta.status_code in (301, 302, 303, 307, 308):
            nuovi.append(risposta["Location"])
        elif 200 <= risposta.status_code < 300 or risposta.status_code in (403, 404):
            nome = risposta.get("Content-Disposition", "").rpartition("filename=")[2].strip('"')
            tipo, testo = estrai_testo(corpo(risposta), risposta.get("Content-Type", ""), nome)
            esito.tipi[tipo] += 1
            if leggi is not None:
                leggi(url, tipo, testo, nome)
            for marcatore in marcatori_in(testo):
                esito.trovati.setdefault(marcatore, set()).add(url)
            if tipo == "html":
                lettore = _Collegamenti()
                lettore.feed(testo)
                nuovi.extend(lettore.trovati)
            elif tipo == "json":
                nuovi.extend(re.findall(rf"https?://{HOST}[^\"\s]*", testo))
        esito.tempi[url] = time.perf_counter() - inizio
        if not segui:
            continue
        for collegamento in nuovi:
            percorso = _stesso_sito(collegamento, url)
            if percorso is None or percorso in viste:
                continue
            base = percorso.partition("?")[0]
            if "?" in percorso:
                if varianti[base] >= varianti_per_percorso:
                    continue
                varianti[base] += 1
            else:
                route = _route(base)
                if per_route[route] >= collegamenti_per_route:
                    continue
                per_route[route] += 1
            coda.append(percorso)
    return esito
