"""Drill: no state change without a CSRF token, and the security headers on every kind of response.

Every URL of the urlconf (filled in with ambito A's ids) is sent a POST without a token by a
signed-in user: each answers 403 before any view runs. Pages, JSON, CSV and error pages carry a
CSP without inline scripts, frame denial, nosniff and a referrer policy; under the production
settings, HTTPS is forced with HSTS for at least a year and cookies are Secure.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from pianizona.demo import DOMINIO, seed_demo
from pianizona.models import Ambito, User

from .conftest import figura
from .percorsi import tutte_le_istanze

BASE_DIR = Path(__file__).resolve().parents[3]
UN_ANNO = 365 * 24 * 3600
_conteggi: dict[str, int] = {}


def _csp(risposta) -> dict[str, str]:
    intestazione = risposta.get("Content-Security-Policy", "")
    direttive = {}
    for parte in intestazione.split(";"):
        nome, _, valore = parte.strip().partition(" ")
        if nome:
            direttive[nome] = valore
    return direttive


@pytest.fixture
def demo(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.PIANIZONA_MFA_OBBLIGATORIA = False
    seed_demo(scale="small")
    return Ambito.objects.get(codice="BA01")


def test_every_url_refuses_a_post_without_a_csrf_token(demo, settings) -> None:
    # Keyless API calls are throttled per address: the limit is its own probe (test_proxy.py).
    settings.PIANIZONA_API_LIMITE_ANONIMI = 10_000
    urls, _ = tutte_le_istanze([demo])
    urls += ["/accounts/login/", "/accounts/logout/", "/accounts/password/reset/"]
    esiti: dict[str, list[str]] = {}
    for email in (f"responsabile.ba01@{DOMINIO}", f"funzionario@{DOMINIO}"):
        client = Client(enforce_csrf_checks=True)
        client.force_login(User.objects.get(email=email))
        for url in urls:
            if url.startswith("/api/"):  # JSON only: a form would be a 415 before the checks
                risposta = client.post(url, "{}", content_type="application/json")
            else:
                risposta = client.post(url, {"azione": "conferma", "testo": "x"})
            esiti.setdefault(str(risposta.status_code), []).append(url)
            if risposta.status_code == 403 and not url.startswith("/api/"):
                assert "Richiesta non valida" in risposta.content.decode(), url
    non_rifiutati = {s: u[:5] for s, u in esiti.items() if s not in ("403", "405")}
    assert not non_rifiutati, f"POST senza token non rifiutati: {non_rifiutati}"
    assert len(esiti.get("403", [])) >= 150
    _conteggi["csrf"] = len(esiti["403"])
    figura(viste_csrf=len(esiti["403"]), viste_csrf_405=len(esiti.get("405", [])))


def test_pages_files_and_errors_carry_the_security_headers(demo) -> None:
    client = Client()
    client.force_login(User.objects.get(email=f"responsabile.ba01@{DOMINIO}"))
    piano = demo.piani.filter(ciclo__anno_inizio=2025, anno=None).get()
    urls = [
        "/",
        f"/piani/{piano.pk}/",
        f"/piani/{piano.pk}/schede/",
        f"/piani/{piano.pk}/risorse/cofinanziamento/esporta/",
        f"/ambiti/{demo.pk}/sioss/2024/csv/",
        f"/piani/{piano.pk}/allocazioni/esporta/",
        "/api/v1/piani/",
        "/api/v1/documentazione/",
        "/piani/999999/",
        "/accounts/login/",
        "/dati-aperti/",
    ]
    controllate = 0
    for url in urls:
        risposta = client.get(url)
        assert risposta.status_code in (200, 302, 404), (url, risposta.status_code)
        csp = _csp(risposta)
        assert csp, f"{url}: manca Content-Security-Policy"
        assert "'unsafe-inline'" not in csp.get("script-src", "'unsafe-inline'"), url
        assert "'unsafe-eval'" not in csp["script-src"], url
        assert csp.get("frame-ancestors") == "'none'", url
        assert csp.get("object-src") == "'none'", url
        assert risposta["X-Frame-Options"] == "DENY", url
        assert risposta["X-Content-Type-Options"] == "nosniff", url
        assert risposta["Referrer-Policy"] == "same-origin", url
        assert risposta["Cross-Origin-Opener-Policy"] == "same-origin", url
        assert risposta["Cross-Origin-Resource-Policy"] == "same-origin", url
        assert "camera=()" in risposta.get("Permissions-Policy", ""), url
        # A signed-in user's pages, files and exports stay out of every cache.
        assert risposta.get("Cache-Control") == "no-store", (url, risposta.get("Cache-Control"))
        controllate += 1
    _conteggi["intestazioni"] = controllate


def test_anonymous_answers_reveal_and_store_only_what_is_public(demo) -> None:
    client = Client()
    salute = client.get("/healthz")
    assert salute.status_code == 200
    assert salute.json() == {"stato": "ok"}, "lo stato dei componenti è visibile a chiunque"
    accesso = client.get("/accounts/login/")
    assert "/healthz" not in accesso.content.decode(), "il piè di pagina pubblico linka /healthz"
    # An API answer is never stored, even the refusal of an anonymous caller.
    api = client.get("/api/v1/piani/")
    assert api.status_code == 401
    assert api["Cache-Control"] == "no-store"
    # Published open data may be cached by anyone.
    aperti = client.get("/dati-aperti/")
    assert aperti.status_code == 200
    assert "no-store" not in aperti.get("Cache-Control", "")
    assert aperti["Cross-Origin-Resource-Policy"] == "same-origin"
    figura(healthz_anonimo="solo ok/ko", dati_aperti_cache="consentita")


_PRODUZIONE = r"""
import json, django
django.setup()
from django.conf import settings
from django.test import Client
client = Client()
# A JSON answer: the production pages need collectstatic's manifest, which a test does not build.
insicura = client.get("/api/v1/")
sicura = client.get("/api/v1/", secure=True)
print(json.dumps({
    "redirect": [insicura.status_code, insicura.get("Location", "")],
    "hsts": sicura.get("Strict-Transport-Security", ""),
    "stato_sicura": sicura.status_code,
    "session_secure": settings.SESSION_COOKIE_SECURE,
    "csrf_secure": settings.CSRF_COOKIE_SECURE,
    "debug": settings.DEBUG,
}))
"""


def test_production_forces_https_with_a_year_of_hsts_and_secure_cookies(tmp_path) -> None:
    ambiente = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "pianizona.settings.production",
        "SECRET_KEY": "drill-" + "x" * 50,
        "ALLOWED_HOSTS": "testserver",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'vuoto.sqlite3'}",
    }
    # The browser tests' session fixture allows sync ORM calls; a production process must not.
    for variabile in (
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "DEBUG",
        "DJANGO_ALLOW_ASYNC_UNSAFE",
    ):
        ambiente.pop(variabile, None)
    uscita = subprocess.run(
        [sys.executable, "-c", _PRODUZIONE],
        cwd=BASE_DIR,
        env=ambiente,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    dati = json.loads(uscita.stdout.strip().splitlines()[-1])
    assert dati["redirect"] == [301, "https://testserver/api/v1/"]
    assert dati["stato_sicura"] in (401, 403)
    direttive = {
        p.strip().partition("=")[0]: p.strip().partition("=")[2] for p in dati["hsts"].split(";")
    }
    assert int(direttive["max-age"]) >= UN_ANNO
    assert "includeSubDomains" in direttive
    assert dati["session_secure"] and dati["csrf_secure"]
    assert dati["debug"] is False
    controlli = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env={**ambiente, "ALLOWED_HOSTS": "pianizona.example.org"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert controlli.returncode == 0, controlli.stdout + controlli.stderr
    figura(
        intestazioni=(
            f"{_conteggi.get('intestazioni', '?')} risposte (CSP, X-Frame-Options, nosniff, "
            f"Referrer-Policy, COOP, CORP, Permissions-Policy, no-store); produzione: HSTS max-age={direttive['max-age']}, "
            "redirect HTTPS, cookie Secure, check --deploy pulito"
        )
    )
