"""Allocating the budget in the browser: a sheet in each section, the live panel, an over-allocation.

Every page loaded here is checked with axe-core (see conftest.py).
"""

from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from pianizona.models import (
    AreaInterventoFnps,
    AreaUtenzaIstat,
    FonteFinanziamento,
    MacroLivello,
    ObiettivoServizio,
)
from programmazione.models import Allocazione, SchedaIntervento, VoceCatalogo
from risorse import services as risorse_services
from risorse.models import FonteCiclo, RisorsaAggiuntiva

from .conftest import controlla_accessibilita, login, visita


@pytest.fixture
def catalogo(cast):
    """FNPS 100.000 € in 2025 (ordinary), PNRR 50.000 € (other resources), three catalogue entries."""
    ciclo = cast.piano_a.ciclo
    fnps = FonteFinanziamento.objects.create(
        codice="FNPS",
        nome="Fondo Nazionale Politiche Sociali",
        livello="statale",
        sezione="ordinarie",
        ordine=1,
    )
    pnrr = FonteFinanziamento.objects.create(
        codice="PNRR", nome="PNRR Missione 5", livello="europea", sezione="altre_risorse", ordine=11
    )
    FonteCiclo.objects.create(ciclo=ciclo, fonte=fnps, sezione="ordinarie")
    FonteCiclo.objects.create(ciclo=ciclo, fonte=pnrr, sezione="altre_risorse")
    risorse_services.assegnazioni_salva(
        ciclo=ciclo,
        fonte=fnps,
        anno=2025,
        importi={cast.ambito_a.pk: Decimal("100000.00")},
        revisione=0,
        user=None,
    )
    RisorsaAggiuntiva.objects.create(
        piano=cast.piano_a, fonte=pnrr, anno=2025, importo=Decimal("50000.00")
    )
    macro = MacroLivello.objects.create(codice=1, nome="Accesso e presa in carico")
    obiettivo = ObiettivoServizio.objects.create(codice="1.1", nome="Accesso", macro_livello=macro)
    area = AreaInterventoFnps.objects.create(
        codice=1, nome="Infanzia, adolescenza e responsabilità familiari"
    )
    utenza = AreaUtenzaIstat.objects.create(codice="FAM", nome="Famiglia e minori")
    comuni = {
        "obiettivo_servizio": obiettivo,
        "area_intervento": area,
        "area_utenza": utenza,
        "ciclo": ciclo,
    }
    VoceCatalogo.objects.create(
        codice="A1.01", nome="Segretariato sociale", in_altre_risorse=False, **comuni
    )
    VoceCatalogo.objects.create(
        codice="P1.01", nome="Progetto PNRR 1.1", in_ambito=False, in_comunale=False, **comuni
    )
    return {"fnps": fnps, "pnrr": pnrr}


def _nuova_scheda(page: Page, sezione: str) -> None:
    with page.expect_navigation():
        page.get_by_role("link", name=f"Nuova scheda {sezione}").click()
    controlla_accessibilita(page)


def _salva(page: Page) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name="Salva la scheda").first.click()
    controlla_accessibilita(page)


def test_a_district_user_fills_each_section_and_is_stopped_by_an_over_allocation(
    page: Page, live_server, cast, catalogo
):
    login(page, live_server, cast.operatore_a.email)
    elenco = f"{live_server.url}/piani/{cast.piano_a.pk}/schede/"
    visita(page, elenco)
    pannello = page.locator("#pannello")
    expect(pannello).to_contain_text("100.000,00")

    # Servizi d'ambito: too much FNPS, seen live in the panel, refused, then fixed.
    _nuova_scheda(page, "tra i servizi a valenza d'ambito")
    page.get_by_label("Voce del catalogo").select_option(index=1)
    page.get_by_label("Titolo").fill("Segretariato sociale d'ambito")
    page.get_by_label("Modalità di gestione").select_option(index=1)
    page.get_by_label("FNPS 2025").fill("120.000,00")
    expect(pannello).to_contain_text("Oltre il budget")  # updated while typing, before saving
    _salva(page)
    expect(page.get_by_role("main")).to_contain_text("oltre di 20.000,00")
    assert not SchedaIntervento.objects.exists()
    page.get_by_label("FNPS 2025").fill("80.000,00")
    _salva(page)
    assert Allocazione.objects.get().importo == Decimal("80000.00")

    # Servizi comunali: on one municipality of the ambito.
    visita(page, elenco)
    _nuova_scheda(page, "tra i servizi a valenza comunale")
    page.get_by_label("Voce del catalogo").select_option(index=1)
    page.get_by_label("Comune").select_option(label="Valenzano (BA)")
    page.get_by_label("Titolo").fill("Sportello sociale di Valenzano")
    page.get_by_label("Modalità di gestione").select_option(index=1)
    page.get_by_label("FNPS 2025").fill("20.000,00")
    _salva(page)

    # Altre risorse: PNRR money.
    visita(page, elenco)
    _nuova_scheda(page, "tra gli interventi finanziati da altre risorse")
    page.get_by_label("Voce del catalogo").select_option(index=1)
    page.get_by_label("Titolo").fill("Percorsi di autonomia PNRR")
    page.get_by_label("Modalità di gestione").select_option(index=1)
    page.get_by_label("PNRR 2025").fill("50.000,00")
    _salva(page)

    visita(page, elenco)
    assert SchedaIntervento.objects.count() == 3
    expect(page.get_by_role("main")).to_contain_text("Sportello sociale di Valenzano")
    expect(pannello).not_to_contain_text("Oltre il budget")
