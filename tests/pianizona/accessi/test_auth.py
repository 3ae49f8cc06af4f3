import re

from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.conf import settings as django_settings
from django.core import mail
from django.urls import reverse

from pianizona.models import User
from tests.factories import PASSWORD, UserFactory


def _login(client, email, password=PASSWORD):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def test_users_log_in_with_their_email(cast, client, settings):
    response = _login(client, "operatore.a@example.org")
    assert response.status_code == 302
    assert client.get(reverse("home"))["Location"] == reverse(
        "ambito_detail", args=[cast.ambito_a.pk]
    )


def test_a_wrong_password_is_refused_in_italian(cast, client):
    response = _login(client, "operatore.a@example.org", "sbagliata")
    assert response.status_code == 200
    assert "non sono corretti" in response.content.decode()


def test_nobody_can_sign_up_alone(client, db):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "nuovo@example.org",
            "password1": "una-password-lunga-1",
            "password2": "una-password-lunga-1",
        },
    )
    assert not User.objects.filter(email="nuovo@example.org").exists()
    assert "Gli account sono creati dall'amministratore" in response.content.decode()


def test_repeated_wrong_passwords_are_rate_limited_and_the_user_can_come_back(
    cast, client, settings
):
    for _ in range(5):
        _login(client, "operatore.a@example.org", "sbagliata")
    bloccato = _login(client, "operatore.a@example.org", PASSWORD)
    assert "Troppi tentativi di accesso" in bloccato.content.decode()
    assert "_auth_user_id" not in client.session
    from django.core.cache import cache

    cache.clear()  # the cool-down passes
    assert _login(client, "operatore.a@example.org").status_code == 302


def test_too_many_logins_from_one_address_get_an_italian_429_page(db, client):
    from django.core.cache import cache

    cache.clear()
    for n in range(30):  # ACCOUNT_RATE_LIMITS "login": 30 a minute per IP
        client.post(reverse("account_login"), {"login": f"u{n}@example.org", "password": "x"})
    risposta = client.post(reverse("account_login"), {"login": "a@example.org", "password": "x"})
    cache.clear()
    assert risposta.status_code == 429
    assert "Troppe richieste" in risposta.content.decode()
    assert "Too Many Requests" not in risposta.content.decode()


def test_a_regional_officer_without_a_second_factor_is_sent_to_set_it_up(cast, client):
    _login(client, "funzionario@example.org")
    response = client.get(reverse("regione_detail", args=[cast.regione.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_an_administrator_without_a_second_factor_cannot_use_the_admin(cast, client):
    _login(client, "admin@example.org")
    response = client.get(reverse("admin:index"))
    assert response["Location"] == reverse("mfa_activate_totp")


def test_a_district_user_is_not_forced_to_use_a_second_factor(cast, client):
    _login(client, "operatore.a@example.org")
    assert client.get(reverse("ambito_detail", args=[cast.ambito_a.pk])).status_code == 200


def _codice_totp(secret: str) -> str:
    contatore = next(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(secret, contatore))


def test_an_officer_who_logged_in_with_totp_works_normally(cast, client):
    secret = generate_totp_secret()
    TOTP.activate(cast.funzionario, secret)
    response = _login(client, "funzionario@example.org")
    assert response["Location"] == reverse("mfa_authenticate")
    client.post(reverse("mfa_authenticate"), {"code": _codice_totp(secret)})
    assert client.get(reverse("regione_detail", args=[cast.regione.pk])).status_code == 200


def test_sessions_expire_after_inactivity():
    assert django_settings.SESSION_SAVE_EVERY_REQUEST
    assert django_settings.SESSION_COOKIE_AGE == 30 * 60


def test_the_admin_invitation_emails_a_single_use_link_to_choose_a_password(
    cast, client_for, django_capture_on_commit_callbacks
):
    nuovo = UserFactory(email="nuovo@example.org")
    nuovo.set_unusable_password()
    nuovo.save()
    admin_client = client_for("admin")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:pianizona_user_changelist"),
            {"action": "invia_invito", "_selected_action": [nuovo.pk]},
        )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    messaggio = mail.outbox[0]
    assert messaggio.to == ["nuovo@example.org"]
    assert "Invito ad accedere" in messaggio.subject
    link = re.search(r"http://\S+/accounts/password/reset/key/\S+/", messaggio.body).group(0)
    percorso = (
        link.split("8000", 1)[1] if "8000" in link else link.split("//", 1)[1].split("/", 1)[1]
    )
    percorso = "/" + percorso.lstrip("/")

    from django.test import Client

    ospite = Client()
    pagina = ospite.get(percorso, follow=True)
    assert pagina.status_code == 200
    scelta = ospite.post(
        pagina.request["PATH_INFO"],
        {"password1": "una-password-nuova-2025", "password2": "una-password-nuova-2025"},
    )
    assert scelta.status_code == 302
    nuovo.refresh_from_db()
    assert nuovo.check_password("una-password-nuova-2025")
    assert ospite.get(percorso, follow=True).context.get("token_fail")  # single use
