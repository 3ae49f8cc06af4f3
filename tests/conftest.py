"""The cast of every test: region R with ambiti A and B, and one user per role.

Named after healthchecks' tests: owner-like district users of A, an outsider of B, the regional
officer who sees both, and the administrator.
"""

from dataclasses import dataclass

import pytest
from django.test import Client

from pianizona.models import Ambito, Piano, Regione, Ruolo, User

from .factories import (
    AmbitoFactory,
    CicloFactory,
    ComuneFactory,
    MembershipFactory,
    PianoFactory,
    RegioneFactory,
    UserFactory,
)

RUOLI = ["anonimo", "operatore_a", "responsabile_a", "operatore_b", "funzionario", "admin"]


@dataclass
class Cast:
    regione: Regione
    ambito_a: Ambito
    ambito_b: Ambito
    piano_a: Piano
    piano_b: Piano
    operatore_a: User
    responsabile_a: User
    operatore_b: User
    funzionario: User
    admin: User

    def user(self, ruolo: str) -> User | None:
        return None if ruolo == "anonimo" else getattr(self, ruolo)


@pytest.fixture(autouse=True)
def cache_vuota():
    """Each test starts with an empty cache: rate limits counted by one test never refuse the next."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def primo_anno_del_ciclo(monkeypatch):
    """The tests live in 2025, the first year of the cast's cycle: no year of it is over yet."""
    from pianizona.iter import workflow

    monkeypatch.setattr(workflow, "anno_corrente", lambda: 2025)


@pytest.fixture
def cast(db) -> Cast:
    regione = RegioneFactory(codice_istat="16", nome="Puglia")
    ambito_a = AmbitoFactory(regione=regione, codice="BA01", nome="Ambito di Bari")
    ambito_b = AmbitoFactory(regione=regione, codice="BA02", nome="Ambito di Altamura")
    capofila = ComuneFactory(ambito=ambito_a, nome="Bari", popolazione=315_933)
    ambito_a.comune_capofila = capofila
    ambito_a.save(update_fields=["comune_capofila"])
    ComuneFactory(ambito=ambito_a, nome="Valenzano", popolazione=18_047)
    ComuneFactory(ambito=ambito_b, nome="Altamura", popolazione=69_529)
    ciclo = CicloFactory(regione=regione, anno_inizio=2025, anno_fine=2027)
    piano_a = PianoFactory(ambito=ambito_a, ciclo=ciclo)
    piano_b = PianoFactory(ambito=ambito_b, ciclo=ciclo, stato=Piano.Stato.INVIATO)

    def con_ruolo(email: str, ruolo: str, **dove) -> User:
        user = UserFactory(email=email)
        MembershipFactory(user=user, ruolo=ruolo, **dove)
        return user

    return Cast(
        regione=regione,
        ambito_a=ambito_a,
        ambito_b=ambito_b,
        piano_a=piano_a,
        piano_b=piano_b,
        operatore_a=con_ruolo("operatore.a@example.org", Ruolo.OPERATORE, ambito=ambito_a),
        responsabile_a=con_ruolo("responsabile.a@example.org", Ruolo.RESPONSABILE, ambito=ambito_a),
        operatore_b=con_ruolo("operatore.b@example.org", Ruolo.OPERATORE, ambito=ambito_b),
        funzionario=con_ruolo(
            "funzionario@example.org", Ruolo.FUNZIONARIO, ambito=None, regione=regione
        ),
        admin=UserFactory(email="admin@example.org", is_staff=True, is_superuser=True),
    )


@pytest.fixture
def client_for(cast, settings):
    """A logged-in client for a role; the second factor is taken as done (tested on its own)."""
    settings.PIANIZONA_MFA_OBBLIGATORIA = False

    def make(ruolo: str) -> Client:
        client = Client()
        user = cast.user(ruolo)
        if user is not None:
            client.force_login(user)
        return client

    return make


def query_count(client: Client, url: str) -> int:
    """Queries one GET of ``url`` runs, after a first request that warms caches and the session."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.fixture
def assert_constant_queries():
    """Check a page runs ``expected`` queries before and after ``grow()`` adds data."""

    def check(client: Client, url: str, expected: int, grow) -> None:
        assert query_count(client, url) == expected
        grow()
        assert query_count(client, url) == expected, "le query crescono con i dati"

    return check
