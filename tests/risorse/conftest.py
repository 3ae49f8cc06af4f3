from decimal import Decimal

import pytest

from pianizona.models import FonteFinanziamento
from risorse.models import FonteCiclo, RegolaCiclo


@pytest.fixture
def fonti(db) -> dict[str, FonteFinanziamento]:
    """The fund sources the tests use, as in the reference list."""
    dati = [
        ("FNPS", "Fondo Nazionale Politiche Sociali", "statale", "ordinarie", 1),
        ("FNA", "Fondo Non Autosufficienze", "statale", "ordinarie", 3),
        ("FGSA", "Fondo Globale Socio-Assistenziale", "regionale", "ordinarie", 5),
        ("COM", "Risorse proprie dei Comuni (cofinanziamento)", "comunale", "ordinarie", 8),
        ("ASL", "Risorse ASL/AUSL", "sanitaria", "ordinarie", 9),
        ("PNRR", "PNRR Missione 5 Componente 2", "europea", "altre_risorse", 11),
    ]
    return {
        codice: FonteFinanziamento.objects.get_or_create(
            codice=codice, defaults={"nome": nome, "livello": liv, "sezione": sez, "ordine": o}
        )[0]
        for codice, nome, liv, sez, o in dati
    }


@pytest.fixture
def ciclo_configurato(cast, fonti):
    """The cast's cycle with FNPS, FNA, FGSA active and a minimum of 2 € per inhabitant."""
    ciclo = cast.piano_a.ciclo
    for codice in ("FNPS", "FNA", "FGSA"):
        FonteCiclo.objects.create(ciclo=ciclo, fonte=fonti[codice], sezione="ordinarie")
    RegolaCiclo.objects.create(ciclo=ciclo, cofinanziamento_minimo=Decimal("2.00"))
    return ciclo
