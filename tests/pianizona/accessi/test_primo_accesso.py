"""First access with the second factor mandatory: the address the administrator vouches for.

allauth lets nobody enrol TOTP while one of their addresses is unverified; accounts here are
opened only by administrators, who vouch for the address they type.
"""

import re
import time

import pytest
import tablib
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.core import mail
from django.test import Client
from django.urls import reverse

from pianizona.accessi.services import user_email_vouch, users_invite
from pianizona.importazioni.resources import UserResource
from pianizona.models import Membership, Ruolo, User
from tests.factories import PASSWORD, MembershipFactory, UserFactory
from tests.pianizona.test_admin import _dati_utente

NUOVA_PASSWORD = "una-password-nuova-2026"
BLOCCO = "fino a quando non hai verificato il tuo indirizzo email"


@pytest.fixture(autouse=True)
def mfa_obbligatoria(settings):
    settings.PIANIZONA_MFA_OBBLIGATORIA = True


def _codice_totp(secret: str) -> str:
    """What the authenticator app shows now (never in a period's last seconds: no tolerance)."""
    resto = 30 - time.time() % 30
    if resto < 3:
        time.sleep(resto)
    return format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))


def _indirizzi(user: User) -> list[tuple[str, bool, bool]]:
    return list(EmailAddress.objects.filter(user=user).values_list("email", "verified", "primary"))


def _admin_client(cast) -> Client:
    """The administrator, with the second factor done (its own path is tested below)."""
    client = Client()
    client.force_login(cast.admin)
    sessione = client.session
    sessione["pianizona_mfa_ok"] = True
    sessione.save()
    return client


def _dati_nuovo_utente(email: str, **ruolo) -> dict:
    """The admin's add form: no password, the user chooses it from the invitation."""
    nuovo = User(email=email, first_name="Fabio", last_name="Funzionario")
    return {**_dati_utente(nuovo, **ruolo), "usable_password": "false"}


def _invita(cast, user: User, django_capture_on_commit_callbacks) -> str:
    """The administrator's invitation action; returns the link's path from the e-mail."""
    with django_capture_on_commit_callbacks(execute=True):
        _admin_client(cast).post(
            reverse("admin:pianizona_user_changelist"),
            {"action": "invia_invito", "_selected_action": [user.pk]},
        )
    (messaggio,) = [m for m in mail.outbox if m.to == [user.email]]
    return re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+/)", messaggio.body)[1]


def _sceglie_la_password(client: Client, percorso: str):
    pagina = client.get(percorso, follow=True)
    return client.post(
        pagina.request["PATH_INFO"],
        {"password1": NUOVA_PASSWORD, "password2": NUOVA_PASSWORD},
        follow=True,
    )


def _attiva_totp(client: Client):
    """Enrol as a person would: read the secret shown on the page, type the app's code."""
    pagina = client.get(reverse("mfa_activate_totp"))
    assert pagina.status_code == 200
    secret = pagina.context["form"].secret
    assert secret in pagina.content.decode()
    return client.post(reverse("mfa_activate_totp"), {"code": _codice_totp(secret)}, follow=True)


def test_an_officer_created_in_the_admin_has_the_address_verified_and_primary(cast):
    risposta = _admin_client(cast).post(
        reverse("admin:pianizona_user_add"),
        _dati_nuovo_utente(
            "nuovo.funzionario@example.org", ruolo=Ruolo.FUNZIONARIO, regione=cast.regione.pk
        ),
    )
    assert risposta.status_code == 302
    nuovo = User.objects.get(email="nuovo.funzionario@example.org")
    assert _indirizzi(nuovo) == [("nuovo.funzionario@example.org", True, True)]


def test_an_address_changed_by_the_administrator_is_verified_and_the_old_one_stops_working(
    cast, client
):
    user_email_vouch(user=cast.funzionario)
    dati = _dati_utente(cast.funzionario)
    dati.update({"email": "nuovo.indirizzo@example.org", "memberships-TOTAL_FORMS": "0"})
    risposta = _admin_client(cast).post(
        reverse("admin:pianizona_user_change", args=[cast.funzionario.pk]), dati
    )
    assert risposta.status_code == 302
    assert _indirizzi(cast.funzionario) == [("nuovo.indirizzo@example.org", True, True)]
    vecchio = client.post(
        reverse("account_login"), {"login": "funzionario@example.org", "password": PASSWORD}
    )
    assert "non sono corretti" in vecchio.content.decode()
    nuovo = client.post(
        reverse("account_login"), {"login": "nuovo.indirizzo@example.org", "password": PASSWORD}
    )
    assert nuovo.status_code == 302


def test_users_imported_by_the_administrator_have_their_address_verified(cast):
    dati = tablib.Dataset(
        ["importato@example.org", "Ivo", "Importato", "1", "funzionario@R16"],
        headers=["email", "first_name", "last_name", "is_active", "ruoli"],
    )
    risultato = UserResource().import_data(dati, dry_run=False)
    assert not risultato.has_errors() and not risultato.has_validation_errors()
    importato = User.objects.get(email="importato@example.org")
    assert _indirizzi(importato) == [("importato@example.org", True, True)]


def test_a_preview_of_the_import_vouches_for_nothing(cast):
    dati = tablib.Dataset(
        ["anteprima@example.org", "A", "P", "1", "funzionario@R16"],
        headers=["email", "first_name", "last_name", "is_active", "ruoli"],
    )
    UserResource().import_data(dati, dry_run=True)
    assert not EmailAddress.objects.filter(email="anteprima@example.org").exists()


def test_the_invitation_vouches_for_an_address_left_unverified_before(
    cast, django_capture_on_commit_callbacks
):
    EmailAddress.objects.create(user=cast.funzionario, email=cast.funzionario.email)
    EmailAddress.objects.create(user=cast.funzionario, email="vecchio@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        users_invite(user_ids=[cast.funzionario.pk])
    assert _indirizzi(cast.funzionario) == [("funzionario@example.org", True, True)]
    assert [m.to for m in mail.outbox] == [["funzionario@example.org"]]


def test_vouching_twice_leaves_one_verified_primary_address(cast):
    user_email_vouch(user=cast.funzionario)
    user_email_vouch(user=cast.funzionario)
    assert _indirizzi(cast.funzionario) == [("funzionario@example.org", True, True)]


def test_an_invited_officer_goes_from_the_password_straight_to_totp_and_then_to_the_region(
    cast, django_capture_on_commit_callbacks
):
    nuovo = UserFactory(email="invitato@example.org")
    nuovo.set_unusable_password()
    nuovo.save()
    MembershipFactory(user=nuovo, ruolo=Ruolo.FUNZIONARIO, ambito=None, regione=cast.regione)
    percorso = _invita(cast, nuovo, django_capture_on_commit_callbacks)

    ospite = Client()
    dopo_la_password = _sceglie_la_password(ospite, percorso)
    assert dopo_la_password.request["PATH_INFO"] == reverse("mfa_activate_totp")
    html = dopo_la_password.content.decode()
    assert "l&#x27;autenticazione a due fattori è obbligatoria" in html
    assert BLOCCO not in html

    attivata = _attiva_totp(ospite)
    assert attivata.request["PATH_INFO"] == reverse("mfa_view_recovery_codes")
    assert "Ho conservato i codici: continua" in attivata.content.decode()
    assert Authenticator.objects.filter(user=nuovo, type=Authenticator.Type.TOTP).exists()
    regione = ospite.get(reverse("home"), follow=True)
    assert regione.request["PATH_INFO"] == reverse("regione_detail", args=[cast.regione.pk])
    assert "Puglia" in regione.content.decode()


def test_an_existing_officer_without_totp_logs_in_and_enrols(cast, client):
    risposta = client.post(
        reverse("account_login"),
        {"login": "funzionario@example.org", "password": PASSWORD},
        follow=True,
    )
    assert risposta.request["PATH_INFO"] == reverse("mfa_activate_totp")
    assert BLOCCO not in risposta.content.decode()
    _attiva_totp(client)
    assert Authenticator.objects.filter(
        user=cast.funzionario, type=Authenticator.Type.TOTP
    ).exists()
    pagina = client.get(reverse("regione_detail", args=[cast.regione.pk]))
    assert pagina.status_code == 200


def test_an_officer_with_totp_still_gives_the_code_after_the_invitation_link(
    cast, django_capture_on_commit_callbacks
):
    secret = generate_totp_secret()
    TOTP.activate(cast.funzionario, secret)
    percorso = _invita(cast, cast.funzionario, django_capture_on_commit_callbacks)

    ospite = Client()
    risposta = _sceglie_la_password(ospite, percorso)
    assert risposta.request["PATH_INFO"] == reverse("mfa_authenticate")
    assert ospite.get(reverse("regione_detail", args=[cast.regione.pk])).status_code == 302
    ospite.post(reverse("mfa_authenticate"), {"code": _codice_totp(secret)})
    assert ospite.get(reverse("regione_detail", args=[cast.regione.pk])).status_code == 200


def test_a_district_user_invited_lands_on_their_ambito_without_a_second_factor(
    cast, django_capture_on_commit_callbacks
):
    nuovo = UserFactory(email="operatrice@example.org")
    nuovo.set_unusable_password()
    nuovo.save()
    Membership.objects.create(user=nuovo, ruolo=Ruolo.OPERATORE, ambito=cast.ambito_a)
    percorso = _invita(cast, nuovo, django_capture_on_commit_callbacks)

    risposta = _sceglie_la_password(Client(), percorso)
    assert risposta.request["PATH_INFO"] == reverse("ambito_detail", args=[cast.ambito_a.pk])


def test_removing_a_second_factor_had_before_logging_in_asks_for_the_password_again(cast, client):
    secret = generate_totp_secret()
    TOTP.activate(cast.funzionario, secret)
    client.post(
        reverse("account_login"), {"login": "funzionario@example.org", "password": PASSWORD}
    )
    client.post(reverse("mfa_authenticate"), {"code": _codice_totp(secret)})
    assert client.get(reverse("regione_detail", args=[cast.regione.pk])).status_code == 200
    risposta = client.get(reverse("mfa_deactivate_totp"))
    assert risposta.status_code == 302
    assert risposta["Location"].startswith(reverse("account_reauthenticate"))


def test_an_administrator_made_with_createsuperuser_who_first_resets_the_password_can_enrol(
    db, client
):
    User.objects.create_superuser("primo.admin@example.org", PASSWORD)
    client.post(reverse("account_reset_password"), {"email": "primo.admin@example.org"})
    (messaggio,) = mail.outbox
    percorso = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+/)", messaggio.body)[1]
    risposta = _sceglie_la_password(client, percorso)
    assert risposta.request["PATH_INFO"] == reverse("mfa_activate_totp")
    assert _attiva_totp(client).request["PATH_INFO"] == reverse("mfa_view_recovery_codes")
    assert client.get(reverse("admin:index")).status_code == 200


def test_the_migration_verifies_the_address_an_earlier_login_left_unverified(cast, client):
    from importlib import import_module

    from django.apps import apps

    migrazione = import_module("pianizona.migrations.0009_indirizzi_email_garantiti")
    EmailAddress.objects.create(user=cast.funzionario, email=cast.funzionario.email)
    migrazione.garantisci_indirizzi(apps, None)
    assert _indirizzi(cast.funzionario) == [("funzionario@example.org", True, True)]
    assert _indirizzi(cast.operatore_a) == [("operatore.a@example.org", True, True)]


def test_the_admin_keeps_a_new_address_lowercase_as_the_login_expects(cast):
    amministratore = _admin_client(cast)
    assert amministratore.get(reverse("admin:pianizona_user_add")).status_code == 200
    dati = _dati_nuovo_utente("Nuovo.Funzionario@Example.org")
    assert amministratore.post(reverse("admin:pianizona_user_add"), dati).status_code == 302
    nuovo = User.objects.get(email="nuovo.funzionario@example.org")
    assert _indirizzi(nuovo) == [("nuovo.funzionario@example.org", True, True)]
    modifica = amministratore.get(reverse("admin:pianizona_user_change", args=[nuovo.pk]))
    assert "nuovo.funzionario@example.org" in modifica.content.decode()


def test_an_address_of_another_user_in_other_case_is_refused_in_italian(cast):
    utenti_prima = User.objects.count()
    dati = _dati_nuovo_utente("FUNZIONARIO@example.org")
    risposta = _admin_client(cast).post(reverse("admin:pianizona_user_add"), dati)
    assert risposta.status_code == 200
    assert "Esiste già un utente con questo indirizzo e-mail." in risposta.content.decode()
    assert User.objects.count() == utenti_prima

    modifica = _dati_utente(cast.operatore_a)
    modifica.update({"email": "Funzionario@Example.org", "memberships-TOTAL_FORMS": "0"})
    risposta = _admin_client(cast).post(
        reverse("admin:pianizona_user_change", args=[cast.operatore_a.pk]), modifica
    )
    assert "Esiste già un utente con questo indirizzo e-mail." in risposta.content.decode()
    cast.operatore_a.refresh_from_db()
    assert cast.operatore_a.email == "operatore.a@example.org"
