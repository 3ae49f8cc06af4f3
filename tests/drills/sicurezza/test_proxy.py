"""Drill: the limits see the real client behind the reverse proxy, and anonymous API calls are limited.

Behind nginx every request comes from the proxy's address: unless the trusted proxies are
configured, ten wrong passwords from anyone would pause everybody. With them configured, each
client counts alone and a forged X-Forwarded-For buys nothing; without them, the header is
ignored. API calls without valid credentials are limited per client and write no log row.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import cache
from django.test import Client

from pianizona.models import ChiamataApi
from tests.factories import PASSWORD

from .conftest import figura

BASE_DIR = Path(__file__).resolve().parents[3]
LOGIN = "/accounts/login/"
NGINX = "10.0.0.2"


@pytest.fixture(autouse=True)
def cache_vuota():
    cache.clear()
    yield
    cache.clear()


def _sbaglia(client: Client, email: str, **intestazioni) -> int:
    return client.post(
        LOGIN, {"login": email, "password": "password-sbagliata"}, **intestazioni
    ).status_code


def _entra(email: str, **intestazioni) -> bool:
    client = Client()
    client.post(LOGIN, {"login": email, "password": PASSWORD}, **intestazioni)
    return "_auth_user_id" in client.session


def test_behind_the_proxy_one_client_s_failures_do_not_lock_out_the_others(cast, settings) -> None:
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    attaccante = Client()
    stati = [
        _sbaglia(
            attaccante,
            f"utente{n}@example.org",
            REMOTE_ADDR=NGINX,
            # What the client writes itself comes first; nginx appends the address it saw.
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}, 203.0.113.7",
        )
        for n in range(40)
    ]
    assert 429 in stati, "il client che sbaglia non è mai stato limitato"
    assert _entra(cast.operatore_a.email, REMOTE_ADDR=NGINX, HTTP_X_FORWARDED_FOR="192.0.2.44")
    figura(proxy_limitato_al=stati.index(429) + 1, proxy_altro_client="accesso")


def test_without_trusted_proxies_a_forged_header_changes_nothing(cast, settings) -> None:
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    client = Client()
    stati = [
        _sbaglia(
            client,
            f"utente{n}@example.org",
            REMOTE_ADDR="203.0.113.9",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}",
        )
        for n in range(40)
    ]
    assert set(stati[30:]) == {429}, "un X-Forwarded-For falso ha aggirato il limite"


def test_a_request_with_fewer_hops_than_the_trusted_proxies_is_answered(cast, settings) -> None:
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 2
    risposta = Client().post(
        LOGIN,
        {"login": cast.operatore_a.email, "password": "password-sbagliata"},
        REMOTE_ADDR=NGINX,
        HTTP_X_FORWARDED_FOR="203.0.113.7",
    )
    assert risposta.status_code == 200
    assert "non sono corretti" in risposta.content.decode()


_IMPOSTAZIONI = r"""
import django
django.setup()
from django.conf import settings
print(settings.ALLAUTH_TRUSTED_PROXY_COUNT, settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER)
"""


@pytest.mark.parametrize(
    ("variabili", "attesi"),
    [
        ({}, "0 None"),
        ({"PIANIZONA_PROXY_FIDATI": "1"}, "1 None"),
        ({"PIANIZONA_IP_CLIENTE_INTESTAZIONE": "X-Real-IP"}, "0 X-Real-IP"),
    ],
)
def test_the_trusted_proxies_come_from_the_environment(variabili, attesi) -> None:
    ambiente = {k: v for k, v in os.environ.items() if not k.startswith("PIANIZONA_")}
    ambiente.update(variabili, DJANGO_SETTINGS_MODULE="pianizona.settings.test")
    uscita = subprocess.run(
        [sys.executable, "-c", _IMPOSTAZIONI],
        cwd=BASE_DIR,
        env=ambiente,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert uscita.stdout.strip().splitlines()[-1] == attesi


@pytest.mark.parametrize(
    "credenziali",
    [{}, {"HTTP_X_API_KEY": "pz_" + "x" * 43}, {"HTTP_AUTHORIZATION": "Bearer sbagliata"}],
    ids=["senza-chiave", "chiave-sconosciuta", "bearer-sbagliato"],
)
def test_api_calls_without_valid_credentials_are_limited_and_not_logged(
    cast, settings, credenziali
) -> None:
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    settings.PIANIZONA_API_LIMITE_ANONIMI = 30
    client = Client()
    risposte = [
        client.get(
            "/api/v1/piani/", REMOTE_ADDR=NGINX, HTTP_X_FORWARDED_FOR="203.0.113.7", **credenziali
        )
        for _ in range(35)
    ]
    stati = [r.status_code for r in risposte]
    assert stati[:30] == [401] * 30
    assert set(stati[30:]) == {429}
    ultima = risposte[-1]
    assert ultima["Content-Type"].startswith("application/json")
    assert ultima.json()["errore"].startswith("Troppe richieste")
    assert int(ultima["Retry-After"]) >= 1
    # Another client behind the same proxy is not affected.
    altro = client.get(
        "/api/v1/piani/", REMOTE_ADDR=NGINX, HTTP_X_FORWARDED_FOR="192.0.2.8", **credenziali
    )
    assert altro.status_code == 401
    assert ChiamataApi.objects.count() == 0, "ogni chiamata anonima ha scritto una riga"
    figura(api_anonime_limitate_dopo=30, api_anonime_righe=0)
