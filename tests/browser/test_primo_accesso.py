"""A new regional officer's first login with the second factor mandatory, from the admin onwards.

The administrator opens the account and sends the invitation; the officer follows the e-mailed
link, chooses a password, enrols TOTP with the secret shown on the page and reaches the Region.
Every page loaded here is checked with axe-core (see conftest.py).
"""

import re

from django.core import mail
from django.urls import reverse
from playwright.sync_api import Page, expect

from pianizona.models import User
from tests.pianizona.accessi.test_primo_accesso import (
    _admin_client,
    _codice_totp,
    _dati_nuovo_utente,
)

from .conftest import controlla_accessibilita, login, visita

NUOVA_PASSWORD = "Una-password-scelta-2026"


def _clic(page: Page, locator) -> None:
    with page.expect_navigation():
        locator.click()
    controlla_accessibilita(page)


def _attiva_il_secondo_fattore_e_arriva_alla_regione(page: Page, live_server, cast) -> None:
    """From the enrolment page the officer is sent to, to the Region's overview."""
    expect(page).to_have_url(f"{live_server.url}/accounts/2fa/totp/activate/")
    expect(page.get_by_role("status")).to_contain_text(
        "Per il ruolo assegnato l'autenticazione a due fattori è obbligatoria"
    )
    expect(page.get_by_role("status")).not_to_contain_text("verificato il tuo indirizzo email")

    # The code the authenticator app computes from the secret shown on the page.
    segreto = page.get_by_label("Segreto dell'autenticatore").input_value()
    page.get_by_label(re.compile("^Codice autenticatore")).fill(_codice_totp(segreto))
    _clic(page, page.get_by_role("button", name="Attiva"))
    expect(page).to_have_url(f"{live_server.url}/accounts/2fa/recovery-codes/")
    expect(page.get_by_role("status")).to_contain_text("Applicazione di autenticazione attivata")
    expect(page.get_by_label("Codici non utilizzati")).not_to_be_empty()

    _clic(page, page.get_by_role("link", name="Ho conservato i codici: continua"))
    expect(page).to_have_url(f"{live_server.url}/regioni/{cast.regione.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Puglia: i piani di zona")
    expect(page.get_by_role("table").get_by_role("link", name="Ambito di Bari")).to_be_visible()


def test_a_new_officer_goes_from_the_invitation_to_totp_and_to_the_region(
    page: Page, live_server, cast, settings
):
    settings.PIANIZONA_MFA_OBBLIGATORIA = True
    # The administrator opens the account and sends the invitation, through the admin's views
    # (not in Chromium: the admin's membership inline does not pass axe, see the README).
    amministratore = _admin_client(cast)
    dati = _dati_nuovo_utente(
        "fabio.funzionario@example.org", ruolo="funzionario", regione=cast.regione.pk
    )
    assert amministratore.post(reverse("admin:pianizona_user_add"), dati).status_code == 302
    nuovo = User.objects.get(email="fabio.funzionario@example.org")
    amministratore.post(
        reverse("admin:pianizona_user_changelist"),
        {"action": "invia_invito", "_selected_action": [nuovo.pk]},
    )
    (invito,) = mail.outbox
    assert invito.to == ["fabio.funzionario@example.org"]
    percorso = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+/)", invito.body)[1]

    # The officer follows the link, chooses a password and goes straight on to enrol TOTP.
    visita(page, live_server.url + percorso)
    page.get_by_label(re.compile(r"^Nuova password\W*$")).fill(NUOVA_PASSWORD)
    page.get_by_label("Nuova password (nuovamente)").fill(NUOVA_PASSWORD)
    _clic(page, page.get_by_role("button", name="Cambio della password"))
    _attiva_il_secondo_fattore_e_arriva_alla_regione(page, live_server, cast)


def test_an_existing_officer_without_totp_logs_in_and_enrols(
    page: Page, live_server, cast, settings
):
    settings.PIANIZONA_MFA_OBBLIGATORIA = True
    login(page, live_server, cast.funzionario.email)
    _attiva_il_secondo_fattore_e_arriva_alla_regione(page, live_server, cast)
