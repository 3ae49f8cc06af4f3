"""Drill: a hundred wrong passwords on one account are throttled, and nobody locks the owner out.

allauth's limits (settings.ACCOUNT_RATE_LIMITS): ``login_failed`` 10 per minute per IP and 5 per
5 minutes per account *and address*, ``login`` 30 per minute per IP; on top, each further failure
doubles that address's pause on that account (pianizona.accessi.blocchi). The limiters' clock is
``time.time()``: the drill moves it forward instead of waiting, the cache is the real (locmem) one.
"""

import pytest
from allauth.core.internal import ratelimit
from django.core.cache import cache
from django.test import Client

from pianizona.accessi import blocchi

from .conftest import figura

TENTATIVI = 120
PER_ACCOUNT = 5  # "5/5m/key"
ATTESA = 5 * 60 + 1
MESSAGGIO = "Troppi tentativi di accesso"
LOGIN = "/accounts/login/"


class Orologio:
    """allauth's view of time: the real module, with a ``time()`` the test moves forward."""

    def __init__(self, inizio: float) -> None:
        self.adesso = inizio

    def time(self) -> float:
        return self.adesso

    def __getattr__(self, nome: str):
        import time

        return getattr(time, nome)


@pytest.fixture
def orologio(monkeypatch) -> Orologio:
    import time

    cache.clear()
    orologio = Orologio(time.time())
    monkeypatch.setattr(ratelimit, "time", orologio)
    monkeypatch.setattr(blocchi, "time", orologio)
    yield orologio
    cache.clear()


def _accedi(client: Client, email: str, password: str, ip: str, url: str = LOGIN) -> str:
    """What the person sees: 'accesso' (signed in), 'limitato' (throttled) or 'rifiutato'."""
    risposta = client.post(url, {"login": email, "password": password}, REMOTE_ADDR=ip)
    if "_auth_user_id" in client.session:
        return "accesso"
    if risposta.status_code == 429 or MESSAGGIO in risposta.content.decode():
        return "limitato"
    assert risposta.status_code == 200, risposta.status_code
    assert "non sono corretti" in risposta.content.decode() or "errat" in risposta.content.decode()
    return "rifiutato"


def test_a_hundred_wrong_passwords_are_throttled_and_the_owner_gets_in_after_the_pause(
    cast, orologio
) -> None:
    utente = cast.operatore_a
    utente.set_password("password-vera-2025!")
    utente.save(update_fields=["password"])
    attaccante = Client()
    esiti = []
    for _ in range(TENTATIVI):
        esiti.append(_accedi(attaccante, utente.email, "password-sbagliata", "203.0.113.7"))
        orologio.adesso += 1  # one attempt a second: two minutes of guessing
    primo_limitato = esiti.index("limitato") + 1
    assert esiti[:PER_ACCOUNT] == ["rifiutato"] * PER_ACCOUNT
    assert set(esiti[PER_ACCOUNT:]) == {"limitato"}, "un tentativo oltre il limite è stato valutato"

    # The right password is refused too from the guessing address, without being tried...
    assert _accedi(attaccante, utente.email, "password-vera-2025!", "203.0.113.7") == "limitato"
    durante = attaccante.post(
        LOGIN, {"login": utente.email, "password": "password-vera-2025!"}, REMOTE_ADDR="203.0.113.7"
    )
    assert durante.status_code == 429 or MESSAGGIO in durante.content.decode()
    # ...while the owner, from their own address, is not locked out by a stranger's guesses.
    proprietario = Client()
    assert _accedi(proprietario, utente.email, "password-vera-2025!", "192.0.2.1") == "accesso"

    orologio.adesso += ATTESA
    assert _accedi(Client(), utente.email, "password-vera-2025!", "203.0.113.7") == "accesso"
    figura(
        password_errate=TENTATIVI,
        primo_limitato=primo_limitato,
        corretta_durante_blocco=429 if durante.status_code == 429 else "messaggio",
        proprietario_durante_blocco="accesso",
        corretta_dopo_attesa="accesso",
    )


def test_an_hour_of_guessing_from_one_address_gets_ever_longer_pauses(cast, orologio) -> None:
    """One guess every ten seconds for an hour: the pauses double, few guesses are ever tried."""
    utente = cast.operatore_a
    attaccante = Client()
    provati = 0
    for _ in range(360):
        if _accedi(attaccante, utente.email, "password-sbagliata", "203.0.113.8") == "rifiutato":
            provati += 1
        orologio.adesso += 10
    # 5 at once, then one after each pause: 5 min (allauth's window), 8, 16, 32 minutes.
    assert provati <= 10, provati
    pagina = attaccante.post(
        LOGIN, {"login": utente.email, "password": "x" * 12}, REMOTE_ADDR="203.0.113.8"
    ).content.decode()
    assert "Troppi tentativi di accesso non riusciti da questa rete: riprovare tra" in pagina
    figura(ora_di_tentativi=360, ora_di_tentativi_provati=provati)


def test_one_ip_is_answered_429_after_thirty_attempts_a_minute(cast, orologio) -> None:
    """Guessing on many accounts from one IP hits the per-IP limits, whatever the accounts."""
    client = Client()
    stati = [
        client.post(
            LOGIN,
            {"login": f"utente{n}@example.org", "password": "x" * 12},
            REMOTE_ADDR="203.0.113.9",
        ).status_code
        for n in range(40)
    ]
    assert stati[:30] == [200] * 30
    assert set(stati[30:]) == {429}
    assert "Troppe richieste" in client.post(LOGIN, {}, REMOTE_ADDR="203.0.113.9").content.decode()


def test_guesses_from_many_addresses_never_keep_the_owner_locked_out(cast, orologio) -> None:
    """A hundred addresses guessing one known account: each pauses itself, the owner gets in."""
    utente = cast.responsabile_a
    utente.set_password("password-vera-2025!")
    utente.save(update_fields=["password"])
    for n in range(1, 101):
        esiti = [
            _accedi(Client(), utente.email, f"tentativo-{n}-{k}", f"198.51.100.{n}")
            for k in range(PER_ACCOUNT + 2)
        ]
        assert esiti == ["rifiutato"] * PER_ACCOUNT + ["limitato"] * 2, (n, esiti)
    assert _accedi(Client(), utente.email, "password-vera-2025!", "192.0.2.50") == "accesso"
    figura(ip_diversi=100, ip_diversi_proprietario="accesso")


def test_the_admin_login_takes_no_password_and_sends_to_the_limited_form(cast, orologio) -> None:
    """/admin/login/ is wrapped by allauth's secure_admin_login: it never checks a password itself."""
    admin = cast.admin
    admin.set_password("password-admin-2025!")
    admin.save(update_fields=["password"])
    client = Client()
    for n in range(100):
        risposta = client.post(
            "/admin/login/",
            {"username": admin.email, "password": f"sbagliata-{n}"},
            REMOTE_ADDR="203.0.113.20",
        )
        assert risposta.status_code == 302
        assert risposta["Location"].startswith(f"{LOGIN}?next=")
    # Not even the right password is accepted there: only the allauth form logs in.
    client.post(
        "/admin/login/",
        {"username": admin.email, "password": "password-admin-2025!"},
        REMOTE_ADDR="203.0.113.20",
    )
    assert "_auth_user_id" not in client.session
    # The form it points to throttles guesses at the administrator's account like any other.
    esiti = [
        _accedi(client, admin.email, f"sbagliata-{n}", "203.0.113.20", f"{LOGIN}?next=/admin/")
        for n in range(10)
    ]
    assert esiti[:PER_ACCOUNT] == ["rifiutato"] * PER_ACCOUNT
    assert set(esiti[PER_ACCOUNT:]) == {"limitato"}
    figura(admin_primo_limitato=esiti.index("limitato") + 1)
