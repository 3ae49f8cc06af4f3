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
from django.conf import settings
from django.core import mail
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
MESI = (
    "Gennaio|Febbraio|Marzo|Aprile|Maggio|Giugno|Luglio|Agosto|Settembre|Ottobre|Novembre|Dicembre"
)
MESE_MAIUSCOLO = re.compile(rf"\d+\s+({MESI})\b")
# The familiar «tu»: pages and e-mails address users impersonally («Inserire», «È possibile»).
TU = re.compile(
    r"(?<![\w'’])(tuo|tua|tuoi|tue|hai|puoi|devi|vuoi|ti|inserisci|scegli|clicca|premi|"
    r"riceverai|accederai|riprova|contatta)(?![\w'’])",
    re.IGNORECASE,
)
# Agreement a count or an article gets wrong: «1 comuni», «(1 righe)», «tra i interventi»,
# «l'ambito Ambito di Bari». Lower case only: a name or a code after «1» is not a noun.
UNO_PLURALE = re.compile(
    r"(?<![\d.,])\b1 (?!(?:ogni|pari|crisi|analisi|sintesi|ipotesi|tesi)\b)"
    r"([a-zàèéìòù]+i|righe|schede|pagine|tabelle|quote|risorse|risposte|differenze|modifiche)\b"
)
ARTICOLO_I = re.compile(
    r"(?<![\w'’])(i|dei|ai|dai|nei|sui|tra i|fra i) "
    r"(?=[aeiouàèéìòù]|s[b-df-hj-np-tv-z]|z|gn|ps)[a-zàèéìòù]+"
)
DOPPIO = re.compile(r"\b(ambito|distretto|zona)\s+\1\b", re.IGNORECASE)
# Names that are English by their owners' choice: the open-data licence.
NOMI_PROPRI = re.compile(r"CC BY(-SA)? \d\.\d")
CAMPI_UTENTE = ("email", "first_name", "last_name", "is_active", "ruoli")
ATTRIBUTI_LETTI = ("title", "alt", "placeholder", "aria-label", "aria-description")
# Code is not prose: the API's JSON field names (count, next, previous, results) and the examples
# of calls stay as a program reads them, so <code> and <pre> are not checked.
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


def leggibile(html: str) -> str:
    lettore = _TestoLetto()
    lettore.feed(html)
    return re.sub(r"\s+", " ", " ".join(lettore.parti))


def stranezze(testo: str) -> list[str]:
    """English words, capitalised months, the familiar «tu» and agreement slips, with context."""
    testo = NOMI_PROPRI.sub(" ", testo)
    trovate = []
    for m in PAROLE_INGLESI.finditer(testo):
        if m[0].isupper() and " " not in m[0]:
            continue  # a code in capitals, not a word: ISTAT's «ADD – Dipendenze»
        trovate.append(f"«{m[0]}» in «…{testo[max(0, m.start() - 40) : m.end() + 40]}…»")
    for m in TU.finditer(testo):
        trovate.append(f"«{m[0]}» (registro) in «…{testo[max(0, m.start() - 40) : m.end() + 40]}…»")
    for m in MESE_MAIUSCOLO.finditer(testo):
        trovate.append(f"mese maiuscolo «{m[0]}»")
    for regola in (UNO_PLURALE, ARTICOLO_I, DOPPIO):
        for m in regola.finditer(testo):
            trovate.append(
                f"concordanza «{m[0]}» in «…{testo[max(0, m.start() - 40) : m.end() + 40]}…»"
            )
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
            testo = leggibile(testo)
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


RUOLI = [
    None,
    f"operatore.ba01@{DOMINIO}",
    f"responsabile.ba01@{DOMINIO}",
    f"funzionario@{DOMINIO}",
    f"admin@{DOMINIO}",
]


def test_every_page_each_role_reads_is_in_italian(demo):
    """One seeding, every role: anonymous, district operator and manager, officer, administrator."""
    urls, _ = tutte_le_istanze([demo])
    partenze = ["/", "/accounts/login/", "/accounts/password/reset/", "/lavori/"]
    partenze += [u for u in urls if not u.startswith("/api/v1/")]
    registro = Registro()
    for email in RUOLI:
        # Every pattern is a start URL; two links per route beyond them keep the crawl short.
        esito = visita(
            _client(email),
            partenze,
            leggi=registro.leggi,
            varianti_per_percorso=2,
            collegamenti_per_route=2,
        )
        assert not esito.errori, esito.errori[:10]
    assert registro.letti >= 500, f"visita troppo corta: {registro.letti} pagine lette"
    assert not registro.trovate, registro.rapporto()


def _amministratore() -> Client:
    client = _client(f"admin@{DOMINIO}")
    sessione = client.session
    sessione["pianizona_mfa_ok"] = True
    sessione.save()
    return client


def test_the_admin_user_import_and_export_pages_are_in_italian(demo):
    client = _amministratore()
    utente = User.objects.get(email=f"operatore.ba01@{DOMINIO}")
    pagine = ["/admin/", "/admin/pianizona/user/", "/admin/pianizona/user/add/"]
    pagine += [f"/admin/pianizona/user/{utente.pk}/change/"]
    pagine += [f"/admin/pianizona/user/{utente.pk}/password/"]
    for modello in ("user", "ambito", "comune"):
        pagine += [f"/admin/pianizona/{modello}/import/", f"/admin/pianizona/{modello}/export/"]
    registro = Registro()
    leggi_pagine(registro, client, pagine)
    # The add form posted without an address: Django's own error, in Italian.
    vuoto = client.post("/admin/pianizona/user/add/", {"usable_password": "false"})
    registro.leggi("/admin/pianizona/user/add/ (inviato vuoto)", "html", vuoto.content.decode())
    assert "obbligatorio" in vuoto.content.decode()

    esportato = client.post(
        "/admin/pianizona/user/export/",
        {"format": "1", "resource": "0", **{f"userresource_{c}": "on" for c in CAMPI_UTENTE}},
    )
    nome = esportato["Content-Disposition"].rpartition("filename=")[2].strip('"')
    assert re.fullmatch(r"utenti-\d{4}-\d{2}-\d{2}\.xlsx", nome), nome
    registro.leggi("/admin/pianizona/user/export/ (file)", "xlsx", "", nome)
    assert registro.letti >= 13
    assert not registro.trovate, registro.rapporto()


def test_the_invited_users_first_screen_refuses_a_short_password_in_italian(demo):
    from pianizona.accessi.inviti import invitation_url

    nuovo = User.objects.create(
        email="invitata@example.org", first_name="Ida", last_name="Invitata"
    )
    nuovo.set_unusable_password()
    nuovo.save()
    client = Client()
    pagina = client.get(invitation_url(nuovo).removeprefix(settings.SITE_URL), follow=True)
    risposta = client.post(
        pagina.request["PATH_INFO"], {"password1": "corta", "password2": "corta"}
    )
    html = risposta.content.decode()
    assert "Questa password è troppo corta: deve contenere almeno 12 caratteri." in html
    registro = Registro()
    registro.leggi("prima schermata dell'invito", "html", html)
    assert not registro.trovate, registro.rapporto()


def test_every_email_the_platform_sends_is_in_italian(demo, django_capture_on_commit_callbacks):
    from archivio.models import Adesione
    from archivio.notifiche import (
        avviso_ufficio_invia,
        esito_adesione_invia,
        revoca_adesione_invia,
        ricevuta_adesione_invia,
    )
    from monitoraggio.fondi.notifiche import notifica_transizione_rendicontazione_invia
    from monitoraggio.models import TransizioneRendicontazione
    from pianizona.accessi.inviti import user_send_invitation
    from pianizona.iter.notifiche import notifica_commento_invia, notifica_transizione_invia
    from pianizona.models import Commento, Transizione

    mail.outbox.clear()
    user_send_invitation(user=User.objects.get(email=f"operatore.ba01@{DOMINIO}"))
    for transizione in Transizione.objects.filter(piano__ambito=demo).order_by("pk"):
        notifica_transizione_invia(transizione)
    for commento in Commento.objects.filter(piano__ambito=demo):
        notifica_commento_invia(commento)
    for transizione in TransizioneRendicontazione.objects.filter(rendicontazione__ambito=demo):
        notifica_transizione_rendicontazione_invia(transizione)
    for adesione in Adesione.objects.filter(ambito=demo):
        ricevuta_adesione_invia(adesione)
        avviso_ufficio_invia(adesione)
        esito_adesione_invia(adesione)
        if adesione.revocata_il:
            revoca_adesione_invia(adesione)
    # allauth's: the reset link to a known address, and the notice to an unknown one.
    anonimo = Client()
    for indirizzo in (f"responsabile.ba01@{DOMINIO}", "sconosciuto@example.org"):
        anonimo.post("/accounts/password/reset/", {"email": indirizzo})
    oggetti = {m.subject for m in mail.outbox}
    assert any("Invito" in o for o in oggetti) and any("password" in o for o in oggetti), oggetti
    assert len(mail.outbox) >= 10, oggetti
    registro = Registro()
    for n, messaggio in enumerate(mail.outbox):
        registro.leggi(f"e-mail {n} «{messaggio.subject}»", "testo", messaggio.subject)
        registro.leggi(f"e-mail {n} «{messaggio.subject}»", "testo", messaggio.body)
    assert not registro.trovate, registro.rapporto()


def test_the_check_finds_english_capitalised_months_and_the_familiar_register():
    assert not stranezze("Questa password è troppo corta. Il 7 dicembre 2026, all'ambito.")
    assert stranezze("This password is too short.")
    assert stranezze("618 bytes")
    assert stranezze("Approvato il 7 Dicembre 2026")
    assert stranezze("Inserisci la tua password")
    for slittamento in ("1 comuni", "(1 righe)", "tra i interventi", "l'ambito Ambito di Bari"):
        assert stranezze(slittamento), slittamento
    for giusto in ("1 comune", "11 comuni", "1.001 comuni", "tra gli interventi", "1 ogni 5.000"):
        assert not stranezze(giusto), giusto
    assert not stranezze("dell'Ambito di Bari; i servizi; ADD – Dipendenze")
    assert leggibile('<p>Uno<script>var the = 1;</script></p><img alt="Save">') == "Uno Save"
