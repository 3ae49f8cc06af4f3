"""The allocation phase's checks on the submission checklist, as the district reads them."""

from decimal import Decimal

import pytest
from django.urls import reverse

from pianizona.models import Piano
from programmazione.models import Narrativa, Sezione
from risorse import services as risorse_services
from risorse.models import RegolaCiclo

from .test_narrativa import scrivi
from .test_services import alloca, nuova_scheda

pytestmark = pytest.mark.django_db

EURO = "\xa0€"


def _avvisi(html: str) -> str:
    return (
        html.split('id="controlli-avvisi"')[1].split("</ul>")[0]
        if "controlli-avvisi" in html
        else ""
    )


def _pronto_da_inviare(cast) -> None:
    """Everything but the allocations in order: acknowledged, narrative written, no minimum."""
    RegolaCiclo.objects.filter(ciclo=cast.piano_a.ciclo).update(cofinanziamento_minimo=0)
    risorse_services.recepimento_registra(piano=cast.piano_a, user=cast.operatore_a)
    for codice, _ in Narrativa.Capitolo.choices:
        scrivi(cast.piano_a, codice, f"Il capitolo {codice}, scritto.")


def test_the_checklist_warns_of_the_budget_left_to_programme_per_fund_and_year(
    cast, catalogo, budget, client_for
):
    _pronto_da_inviare(cast)
    scheda = nuova_scheda(cast.piano_a, catalogo.segretariato, Sezione.AMBITO)
    alloca(
        cast.piano_a,
        scheda,
        {
            (budget["FNPS"], 2025): Decimal("60000"),
            (budget["FNPS"], 2026): Decimal("100000"),
            (budget["FNPS"], 2027): Decimal("99999.99"),
            (budget["FNA"], 2025): Decimal("50000"),
        },
    )
    progetto = nuova_scheda(cast.piano_a, catalogo.pnrr, Sezione.ALTRE_RISORSE)
    alloca(cast.piano_a, progetto, {(budget["PNRR"], 2025): Decimal("150000")})

    client = client_for("responsabile_a")
    html = client.get(reverse("piano_invio", args=[cast.piano_a.pk])).content.decode()
    avvisi = _avvisi(html)
    assert (
        f"FNPS 2025: restano da programmare 40.000,00{EURO} su un budget di 100.000,00{EURO} "
        "(40,00%)." in avvisi
    )
    assert (
        f"FNPS 2027: restano da programmare 0,01{EURO} su un budget di 100.000,00{EURO} "
        "(meno dello 0,01%)." in avvisi
    )
    assert (
        f"PNRR 2025: restano da programmare 50.000,00{EURO} su un budget di 200.000,00{EURO} "
        "(25,00%)." in avvisi
    )
    assert "FNPS 2026" not in avvisi and "FNA 2025" not in avvisi  # fully programmed
    assert avvisi.count("Da verificare") == 3
    assert f'href="{reverse("programmazione:schede", args=[cast.piano_a.pk])}"' in avvisi

    # A warning, not a refusal: the plan can be submitted as it is.
    assert "Tutti i controlli sono superati" in html
    client.post(reverse("piano_invio", args=[cast.piano_a.pk]), {"stato_atteso": "bozza"})
    assert Piano.objects.get(pk=cast.piano_a.pk).stato == Piano.Stato.INVIATO


def test_a_budget_fully_programmed_leaves_nothing_to_warn_of(cast, catalogo, budget, client_for):
    _pronto_da_inviare(cast)
    scheda = nuova_scheda(cast.piano_a, catalogo.segretariato, Sezione.AMBITO)
    importi = {(budget["FNPS"], anno): Decimal("100000") for anno in (2025, 2026, 2027)}
    alloca(cast.piano_a, scheda, {**importi, (budget["FNA"], 2025): Decimal("50000")})
    progetto = nuova_scheda(cast.piano_a, catalogo.pnrr, Sezione.ALTRE_RISORSE)
    alloca(cast.piano_a, progetto, {(budget["PNRR"], 2025): Decimal("200000")})

    html = client_for("operatore_a").get(reverse("piano_invio", args=[cast.piano_a.pk]))
    testo = html.content.decode()
    assert "Tutti i controlli sono superati" in testo
    assert "restano da programmare" not in testo and "controlli-avvisi" not in testo
