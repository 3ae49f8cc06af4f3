"""Drill: the second factor without traps.

An anonymous reset request cannot spoil anybody's account; every security change reaches the
owner's inbox (first TOTP enrolment included, and a recovery code used); the approval's identity
confirmation is throttled like the login, per account and address, with a pause that grows.
"""

import time

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from pianizona import registry
from pianizona.accessi import blocchi
from pianizona.accessi.services import user_email_vouch
from pianizona.iter import workflow
from pianizona.models import Piano
from tests.factories import PASSWORD

from .conftest import figura


@pytest.fixture(autouse=True)
def pulito(settings):
    settings.PIANIZONA_MFA_OBBLIGATORIA = True
    cache.clear()
    mail.outbox.clear()
    yield
    cache.clear()


def _codice(secret: str) -> str:
    resto = 30 - time.time() % 30
    if resto < 3:  # never in a period's last seconds: no tolerance
        time.sleep(resto)
    return format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))


def _entra(user, password: str = PASSWORD) -> Client:
    client = Client()
    client.post(reverse("account_login"), {"login": user.email, "password": password})
    return client


def _avvisi(user) -> list[str]:
    return [m.subject for m in mail.outbox if m.to == [user.email]]


def test_anonymous_reset_requests_leave_the_account_verified_and_enrolment_open(cast) -> None:
    funzionario = cast.funzionario
    user_email_vouch(user=funzionario)
    for indirizzo in (funzionario.email, funzionario.email.upper(), "altro@example.org"):
        Client().post(reverse("account_reset_password"), {"email": indirizzo})
    assert list(
        EmailAddress.objects.filter(user=funzionario).values_list("verified", flat=True)
    ) == [True]
    client = _entra(funzionario)
    pagina = client.get(reverse("mfa_activate_totp"))
    assert pagina.status_code == 200
    assert "fino a quando non hai verificato" not in pagina.content.decode()


# allauth sends some notices on commit, inside the request that made the change: a real commit.
@pytest.mark.django_db(transaction=True)
def test_the_first_enrolment_and_every_security_change_reach_the_owner(cast) -> None:
    funzionario = cast.funzionario
    user_email_vouch(user=funzionario)
    client = _entra(funzionario)
    # The mandatory first enrolment, right after the first login.
    secret = client.get(reverse("mfa_activate_totp")).context["form"].secret
    client.post(reverse("mfa_activate_totp"), {"code": _codice(secret)})
    assert Authenticator.objects.filter(user=funzionario, type="totp").exists()
    assert "[Piani di Zona] Applicazione di autenticazione attivata" in _avvisi(funzionario)
    avviso = next(m for m in mail.outbox if "attivata" in m.subject)
    assert "Gentile utente" in avviso.body and "indirizzo IP: 127.0.0.1" in avviso.body

    # A password change.
    nuova = "una-password-nuova-2026!"
    client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": nuova, "password2": nuova},
    )
    assert "[Piani di Zona] Password cambiata" in _avvisi(funzionario)

    # A recovery code used at the next login in place of the app.
    codici = RecoveryCodes(
        Authenticator.objects.get(user=funzionario, type="recovery_codes")
    ).get_unused_codes()
    altro = _entra(funzionario, nuova)
    altro.post(reverse("mfa_authenticate"), {"code": codici[0]})
    assert "_auth_user_id" in altro.session
    assert "[Piani di Zona] Codice di recupero usato per accedere" in _avvisi(funzionario)
    avviso = next(m for m in mail.outbox if "recupero usato" in m.subject)
    assert f"ne restano {len(codici) - 1}" in avviso.body

    # The second factor removed.
    # Removing it asks for the password again first, as a person would be asked.
    altro.post(reverse("account_reauthenticate"), {"password": nuova})
    altro.post(reverse("mfa_deactivate_totp"))
    assert not Authenticator.objects.filter(user=funzionario, type="totp").exists()
    assert "[Piani di Zona] Applicazione di autenticazione disattivata" in _avvisi(funzionario)
    figura(avvisi_di_sicurezza=len(_avvisi(funzionario)))


class Orologio:
    def __init__(self) -> None:
        self.adesso = time.time()

    def time(self) -> float:
        return self.adesso

    def __getattr__(self, nome: str):
        return getattr(time, nome)


def test_the_approval_confirmation_is_throttled_like_the_login(cast, monkeypatch) -> None:
    orologio = Orologio()
    monkeypatch.setattr(blocchi, "time", orologio)
    monkeypatch.setattr(registry, "_controlli", [])
    Stato = Piano.Stato
    workflow.piano_invia(piano=cast.piano_a, user=cast.responsabile_a, stato_atteso=Stato.BOZZA)
    workflow.piano_prendi_in_carico(
        piano=cast.piano_a, user=cast.funzionario, stato_atteso=Stato.INVIATO
    )
    secret = generate_totp_secret()
    TOTP.activate(cast.funzionario, secret)
    client = Client()
    client.force_login(cast.funzionario)
    sessione = client.session
    sessione["pianizona_mfa_ok"] = True
    sessione.save()
    url = reverse("piano_approvazione", args=[cast.piano_a.pk])

    def conferma(valore: str) -> str:
        risposta = client.post(url, {"stato_atteso": Stato.IN_ISTRUTTORIA, "conferma": valore})
        return risposta.content.decode()

    # Guessing six-digit codes from a session: five tries, then a pause that the right one waits.
    esiti = [conferma(f"{n:06d}") for n in range(8)]
    assert all("Password o codice non corretti" in e for e in esiti[:5])
    assert all("Troppe conferme non riuscite" in e for e in esiti[5:])
    assert "Troppe conferme non riuscite" in conferma(PASSWORD)
    cast.piano_a.refresh_from_db()
    assert cast.piano_a.stato == Stato.IN_ISTRUTTORIA

    orologio.adesso += blocchi.PRIMA_PAUSA + 1
    assert (
        "Piano approvato"
        in client.post(
            url, {"stato_atteso": Stato.IN_ISTRUTTORIA, "conferma": PASSWORD}, follow=True
        ).content.decode()
    )
    figura(conferme_prima_della_pausa=5)
