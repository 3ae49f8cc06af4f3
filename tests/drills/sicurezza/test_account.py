"""Drill: no account takeover through the login address.

From a signed-in session (a borrowed computer, a stolen cookie) the login address cannot be
replaced or joined by another: the reset link would then go to the attacker. Accounts are opened
and changed by administrators only; a reset for an address nobody has sends nothing at all.
"""

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client

from pianizona.accessi.services import user_email_vouch

from .conftest import figura

ATTACCANTE = "attaccante@example.org"
RESET = "/accounts/password/reset/"


@pytest.fixture
def sessione(cast, settings) -> Client:
    settings.PIANIZONA_MFA_OBBLIGATORIA = False
    user_email_vouch(user=cast.responsabile_a)
    client = Client()
    client.force_login(cast.responsabile_a)
    return client


def _indirizzi(user) -> list[tuple[str, bool, bool]]:
    return list(EmailAddress.objects.filter(user=user).values_list("email", "verified", "primary"))


def test_a_session_cannot_add_or_switch_the_login_address(cast, sessione) -> None:
    pagina = sessione.get("/accounts/email/")
    assert pagina.status_code == 200
    testo = pagina.content.decode()
    assert cast.responsabile_a.email in testo
    assert "gestito dall'amministrazione" in testo
    assert 'name="email"' not in testo, "la pagina offre ancora un campo per un nuovo indirizzo"

    tentativi = [
        {"action_add": "", "email": ATTACCANTE},
        {"action_primary": "", "email": ATTACCANTE},
        {"action_remove": "", "email": cast.responsabile_a.email},
        {"action_send": "", "email": ATTACCANTE},
    ]
    stati = [sessione.post("/accounts/email/", dati).status_code for dati in tentativi]
    assert set(stati) == {405}, stati
    assert _indirizzi(cast.responsabile_a) == [(cast.responsabile_a.email, True, True)]

    # The reset for the attacker's address goes nowhere; the owner's still reaches the owner.
    mail.outbox.clear()
    Client().post(RESET, {"email": ATTACCANTE})
    Client().post(RESET, {"email": cast.responsabile_a.email})
    assert [m.to for m in mail.outbox] == [[cast.responsabile_a.email]]
    figura(cambio_indirizzo_rifiutato=len(stati))


def test_a_reset_for_an_unknown_address_sends_nothing_and_says_the_same(db) -> None:
    mail.outbox.clear()
    risposta = Client().post(RESET, {"email": "nessuno@example.org"}, follow=True)
    assert risposta.status_code == 200
    assert mail.outbox == [], [m.subject for m in mail.outbox]
    figura(reset_sconosciuto_email=len(mail.outbox))
