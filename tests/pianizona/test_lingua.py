"""Italian everywhere: no English word and no capitalised month on any page or e-mail a user reads.

The demo region is crawled as each role (every same-origin link and every URL pattern of the
urlconf filled in, reusing the security drill's crawler), the administrator also reads the admin's
pages (users added and changed, import and export), the invited user posts a password too short
on the first screen, and every e-mail the platform sends is rendered. Tags, scripts and styles are
stripped; what a user reads in attributes (title, alt, placeholder, aria-label, a button's value)
is kept.
"""

import re
from collections.abc import Iterable
from html.parser import HTMLParser

import pytest
from django.test import Client

from pianizona.demo import DOMINIO, seed_demo
from pianizona.models import Ambito, User
from tests.drills.sicurezza.percorsi import tutte_le_istanze
from tests.drills.sicurezza.semina import _righe_mancanti, _utenti
from tests.drills.sicurezza.visita import visita

# Words (case-insensitive, whole words) that are English and never Italian. Left out on purpose:
# "e-mail" and "email" (Italian PA usage), "home" (Italian web usage), "password", "file", "online",
# "link", "PDF", "CSV", "API", "token", "TOTP", "software", "open data": all current Italian.
INGLESE = [
    "the",
    "this",
    "that",
    "these",
    "those",
    "you",
    "your",
    "please",
    "password is",
    "is too",
    "must",
    "should",
    "field",
    "fields",
    "required",
    "bytes",
    "first name",
    "last name",
    "email address",
    "save",
    "delete",
    "cancel",
    "search",
    "submit",
    "error",
    "errors",
    "add",
    "change",
    "edit",
    "view",
    "history",
    "filter",
    "by",
    "yes",
    "none",
    "unknown",
    "select",
    "choose",
    "confirm",
    "import",
    "export",
    "format",
    "resource",
    "exporter",
    "following",
    "time",
    "today",
    "now",
    "and",
    "or",
    "with",
    "of",
    "from",
    "to",
    "for",
    "page",
    "previous",
    "next",
    "show",
    "hide",
    "all",
    "active",
    "staff status",
    "superuser",
    "groups",
    "permissions",
    "log in",
    "log out",
    "sign in",
    "sign out",
    "forgot",
    "reset",
    "welcome",
    "documentation",
    "recent actions",
    "actions",
    "action",
    "go",
    "user",
    "users",
    "usable",
    "characters",
    "entirely numeric",
    "too short",
    "too common",
    "similar",
    "success",
    "successfully",
    "warning",
    "january",
    "february",
    "march",
    "april",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
]
PAROLE_INGLESI = re.compile(
    r"(?<![\w@./-])(" + "|".join(re.escape(p) for p in INGLESE) + r")(?![\w@'’-])", re.IGNORECASE
)
MESI = "Gennaio|Febbraio|Marzo|Aprile|Maggio|Giugno|Luglio|Agosto|Settembre|Ottobre|Novembre|Dicembre"
MESE_MAIUSCOLO = re.compile(rf"\d+\s+({MESI})\b")
# The familiar «tu»: pages and e-mails address users impersonally («Inserire», «È possibile»).
TU = re.compile(
    r"(?<![\w'’])(tuo|tua|tuoi|tue|hai|puoi|devi|vuoi|ti|inserisci|scegli|clicca|premi|"
    r"riceverai|accederai|riprova|contatta)(?![\w'’])",
    re.IGNORECASE,
)
# Names that are English by their owners' choice: the open-data licence.
NOMI_PROPRI = re.compile(r"CC BY(-SA)? \d\.\d")
ATTRIBUTI_LETTI = ("title", "alt", "placeholder", "aria-label", "aria-description")
NON_LETTI = {"script", "style", "template", "code", "pre"}


class _TestoLetto(HTMLParser):
    """The text a person reads on a page: the data outside scripts and styles, and some attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parti: list[str] = []
        self._nascosto = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in NON_LETTI:
            self._nascosto += 1
            return
        valori = dict(attrs)
        self.parti.extend(valori[a] for a in ATTRIBUTI_LETTI if valori.get(a))
        if tag == "input" and valori.get("type") in ("submit", "button") and valori.get("value"):
            self.parti.append(valori["value"])

    def handle_endtag(self, tag: str) -> None:
        if tag in NON_LETTI and self._nascosto:
            self._nascosto -= 1

    def handle_data(self, data: str) -> None:
        if not self._nascosto:
            self.parti.append(data)


def testo_letto(html: str) -> str:
    lettore = _TestoLetto()
    lettore.feed(html)
    return re.sub(r"\s+", " ", " ".join(lettore.parti))


def stranezze(testo: str) -> list[str]:
    """English words, capitalised months and the familiar «tu» in a text, each with its context."""
    testo = NOMI_PROPRI.sub(" ", testo)
    trovate = []
    for m in PAROLE_INGLESI.finditer(testo):
        trovate.append(f"«{m[0]}» in «…{testo[max(0, m.start() - 40) : m.end() + 40]}…»")
    for m in TU.finditer(testo):
        trovate.append(f"«{m[0]}» (registro) in «…{testo[max(0, m.start() - 40) : m.end() + 40]}…»")
    for m in MESE_MAIUSCOLO.finditer(testo):
        trovate.append(f"mese maiuscolo «{m[0]}»")
    return trovate


class Registro:
    """Every oddity found, by page or e-mail."""

    def __init__(self) -> None:
        self.trovate: dict[str, list[str]] = {}
        self.letti = 0

    def leggi(self, dove: str, tipo: str, testo: str, nome: str = "") -> None:
        if tipo not in ("html", "testo") and not nome:
            return
        self.letti += 1
        if tipo == "html":
            testo = testo_letto(testo)
        elif tipo != "testo":
            testo = ""
        problemi = stranezze(testo) + stranezze(nome.replace("-", " ").replace("_", " "))
        if problemi:
            self.trovate.setdefault(dove, []).extend(problemi)

    def rapporto(self) -> str:
        return "\n".join(f"{dove}: {'; '.join(p[:5])}" for dove, p in self.trovate.items())


def leggi_pagine(registro: Registro, client: Client, urls: Iterable[str]) -> None:
    for url in urls:
        risposta = client.get(url, follow=True)
        tipo = risposta.get("Content-Type", "")
        registro.leggi(url, "html" if "html" in tipo else "altro", risposta.content.decode())


@pytest.fixture
def demo(db, settings, tmp_path):
    """The small demo region, with the rows it leaves empty (remarks, history, reports)."""
    settings.MEDIA_ROOT = tmp_path
    settings.PIANIZONA_MFA_OBBLIGATORIA = False
    settings.PIANIZONA_API_LIMITE_SESSIONE = 100_000
    seed_demo(scale="small")
    funzionario = User.objects.get(email=f"funzionario@{DOMINIO}")
    for codice in ("BA01", "BA02"):
        ambito = Ambito.objects.get(codice=codice)
        _righe_mancanti(ambito, _utenti(ambito), funzionario)
    return Ambito.objects.get(codice="BA01")


def _client(email: str | None) -> Client:
    client = Client()
    if email:
        client.force_login(User.objects.get(email=email))
    return client


@pytest.mark.parametrize(
    "email",
    [
        None,
        f"operatore.ba01@{DOMINIO}",
        f"responsabile.ba01@{DOMINIO}",
        f"funzionario@{DOMINIO}",
        f"admin@{DOMINIO}",
    ],
)
def test_every_page_a_role_reads_is_in_italian(demo, email):
    urls, _ = tutte_le_istanze([demo])
    partenze = ["/", "/accounts/login/", "/lavori/", *(u for u in urls if not u.startswith("/api/"))]
    registro = Registro()
    esito = visita(_client(email), partenze, leggi=registro.leggi)
    print(f"\n{email}: {len(esito.stati)} richieste, {registro.letti} lette, {dict(esito.tipi)}")
    print(registro.rapporto())
    assert not registro.trovate, registro.rapporto()
