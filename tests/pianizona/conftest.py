"""The core's tests reuse the allocation phase's cast: catalogue, funds and a budget to allocate."""

from dataclasses import dataclass

import pytest

from pianizona.models import Ambito, Ciclo, Comune, Regione, Ruolo, User
from tests.programmazione.conftest import (  # noqa: F401 (fixtures)
    budget,
    catalogo,
    ciclo_configurato,
    fonti,
    riferimenti,
)

from ..factories import (
    AmbitoFactory,
    CicloFactory,
    ComuneFactory,
    MembershipFactory,
    RegioneFactory,
    UserFactory,
)


@dataclass
class Emilia:
    """A second Region beside the cast's Puglia, with a district, a municipality and a cycle."""

    regione: Regione
    ambito: Ambito
    bologna: Comune
    ciclo: Ciclo
    funzionario: User


@pytest.fixture
def emilia(cast) -> Emilia:
    regione = RegioneFactory(codice_istat="08", nome="Emilia-Romagna")
    ambito = AmbitoFactory(regione=regione, codice="BO01", nome="Distretto Città di Bologna")
    bologna = ComuneFactory(
        ambito=ambito,
        codice_istat="037006",
        nome="Bologna",
        provincia="Bologna",
        sigla_provincia="BO",
        popolazione=371_337,
    )
    funzionario = UserFactory(email="funzionario.er@example.org")
    MembershipFactory(user=funzionario, ruolo=Ruolo.FUNZIONARIO, ambito=None, regione=regione)
    return Emilia(
        regione=regione,
        ambito=ambito,
        bologna=bologna,
        ciclo=CicloFactory(regione=regione, anno_inizio=2025, anno_fine=2027),
        funzionario=funzionario,
    )
