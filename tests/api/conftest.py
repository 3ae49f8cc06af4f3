"""The API's cast: keys scoped to the region, to ambito A, to another region; an approved plan B.

``piano_b`` of the shared cast is approved here with one sheet, so keys have something to read;
``piano_a`` stays a draft with its own sheet (visible to its ambito's users, never to keys).
"""

from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.test import Client

from pianizona.models import ChiaveApi, Piano, Regione
from programmazione.models import SchedaIntervento
from tests.factories import (
    AmbitoFactory,
    CicloFactory,
    PianoFactory,
    RegioneFactory,
    approva_con_il_workflow,
)
from tests.programmazione.conftest import (  # noqa: F401 (fixtures)
    Catalogo,
    assegna,
    budget,
    catalogo,
    ciclo_configurato,
    fonti,
    riferimenti,
)
from tests.programmazione.test_pdf import alloca, nuova_scheda


@pytest.fixture(autouse=True)
def _contatori_azzerati():
    """Rate-limit counters live in the cache: each test starts from zero."""
    cache.clear()
    yield
    cache.clear()


def crea_chiave(nome: str, *, regione: Regione | None = None, ambiti=(), limite: int = 60):
    token, prefisso, impronta = ChiaveApi.genera()
    chiave = ChiaveApi.objects.create(
        nome=nome, prefisso=prefisso, impronta=impronta, regione=regione, limite_al_minuto=limite
    )
    chiave.ambiti.set(ambiti)
    return token, chiave


def client_chiave(token: str, *, header: str = "bearer") -> Client:
    if header == "bearer":
        return Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    return Client(HTTP_X_API_KEY=token)


@dataclass
class Chiavi:
    regione: str  # the cast's whole region
    ambito_a: str  # only ambito A
    ambito_b: str  # only ambito B
    altra_regione: str  # another region's
    oggetti: dict


@pytest.fixture
def chiavi(cast) -> Chiavi:
    altra = RegioneFactory(codice_istat="08", nome="Emilia-Romagna")
    ambito_altro = AmbitoFactory(regione=altra, codice="ER01", nome="Distretto di Bologna")
    ciclo_altro = CicloFactory(regione=altra, anno_inizio=2025, anno_fine=2027)
    PianoFactory(ambito=ambito_altro, ciclo=ciclo_altro, stato=Piano.Stato.APPROVATO)
    oggetti = {}
    token_r, oggetti["regione"] = crea_chiave("SIOSS regionale", regione=cast.regione)
    token_a, oggetti["ambito_a"] = crea_chiave("Gestionale di Bari", ambiti=[cast.ambito_a])
    token_b, oggetti["ambito_b"] = crea_chiave("Gestionale di Altamura", ambiti=[cast.ambito_b])
    token_x, oggetti["altra_regione"] = crea_chiave("Portale ER", regione=altra)
    return Chiavi(token_r, token_a, token_b, token_x, oggetti)


def approva(piano: Piano, cast) -> Piano:
    return approva_con_il_workflow(piano, autore=cast.operatore_b, funzionario=cast.funzionario)


@dataclass
class Programmato:
    scheda_a: SchedaIntervento  # draft plan A
    scheda_b: SchedaIntervento  # approved plan B


@pytest.fixture
def programmato(cast, budget, catalogo: Catalogo) -> Programmato:  # noqa: F811
    """Plan A (draft) and plan B (approved) each with a sheet of FNPS money."""
    fnps = budget["FNPS"]
    scheda_a = nuova_scheda(cast.piano_a, catalogo.segretariato, "ambito")
    alloca(cast.piano_a, scheda_a, {(fnps, 2025): "30000.00", (fnps, 2026): "10000.00"})
    piano_b = cast.piano_b
    piano_b.stato = Piano.Stato.BOZZA
    piano_b.save(update_fields=["stato"])
    for anno in (2025, 2026, 2027):
        assegna(piano_b, fnps, anno, Decimal("80000.00"))
    scheda_b = nuova_scheda(piano_b, catalogo.domiciliare, "ambito")
    alloca(piano_b, scheda_b, {(fnps, 2025): "45000.00", (fnps, 2027): "5000.00"})
    approva(piano_b, cast)
    return Programmato(scheda_a, scheda_b)
