"""The preliminary phase in the browser: the district's path and the Region's riparto.

Every page loaded here is checked with axe-core (see conftest.py).
"""

from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from pianizona.models import FonteFinanziamento
from risorse import services
from risorse.models import Cofinanziamento, FonteCiclo, Recepimento, RegolaCiclo, ResiduoEconomia

from .conftest import controlla_accessibilita, login, visita


@pytest.fixture
def risorse(cast):
    """The cast's cycle with FNPS active, a minimum of 2 €/inhabitant and FNPS transferred."""
    ciclo = cast.piano_a.ciclo
    fnps, _ = FonteFinanziamento.objects.get_or_create(
        codice="FNPS",
        defaults={
            "nome": "Fondo Nazionale Politiche Sociali",
            "livello": "statale",
            "sezione": "ordinarie",
            "ordine": 1,
        },
    )
    FonteFinanziamento.objects.get_or_create(
        codice="COM",
        defaults={
            "nome": "Risorse proprie dei Comuni",
            "livello": "comunale",
            "sezione": "ordinarie",
            "ordine": 8,
        },
    )
    FonteCiclo.objects.create(ciclo=ciclo, fonte=fnps, sezione="ordinarie")
    RegolaCiclo.objects.create(ciclo=ciclo, cofinanziamento_minimo=Decimal("2.00"))
    services.riparto_applica(
        ciclo=ciclo,
        fonte=fnps,
        anno=2025,
        totale=Decimal("1000000.00"),
        pesi={"popolazione": Decimal(1)},
        user=cast.funzionario,
    )
    return ciclo


def _vai(page: Page, nome: str) -> None:
    with page.expect_navigation():
        page.get_by_role("navigation", name="Sezioni delle risorse del piano").get_by_role(
            "link", name=nome
        ).click()
    controlla_accessibilita(page)


def test_the_district_acknowledges_adds_residui_cofinances_and_reads_its_budget(
    page: Page, live_server, cast, risorse
):
    login(page, live_server, cast.operatore_a.email)
    visita(page, f"{live_server.url}/piani/{cast.piano_a.pk}/")
    with page.expect_navigation():
        page.get_by_role("link", name="Trasferimenti e recepimento").click()
    controlla_accessibilita(page)
    expect(page.get_by_role("table").first).to_contain_text("827.689,10")

    with page.expect_navigation():
        page.get_by_role("button", name="Recepisci le assegnazioni").click()
    controlla_accessibilita(page)
    expect(page.get_by_role("main")).to_contain_text("Maria Rossi")
    assert Recepimento.objects.filter(piano=cast.piano_a, recepito_da=cast.operatore_a).count() == 1

    _vai(page, "Residui ed economie")
    page.get_by_label("Fondo di provenienza").select_option(
        label="Fondo Nazionale Politiche Sociali"
    )
    page.get_by_label("Anno di provenienza").select_option("2024")
    page.get_by_label("Anno di impiego").select_option("2025")
    page.get_by_label("Tipo").select_option(label="Economia")
    page.get_by_label("Importo", exact=False).first.fill("12.500,50")
    with page.expect_navigation():
        page.get_by_role("button", name="Aggiungi").click()
    controlla_accessibilita(page)
    expect(page.get_by_role("main")).to_contain_text("12.500,50")
    assert ResiduoEconomia.objects.get().importo == Decimal("12500.50")

    _vai(page, "Cofinanziamento comunale")
    page.get_by_label("Cofinanziamento 2025 – Bari").fill("700.000,00")
    page.get_by_label("Cofinanziamento 2025 – Valenzano").fill("10,00")
    with page.expect_navigation():
        page.get_by_role("button", name="Salva il cofinanziamento").click()
    controlla_accessibilita(page)
    expect(page.get_by_role("main")).to_contain_text("Sotto il minimo regionale")
    assert Cofinanziamento.objects.filter(piano=cast.piano_a).count() == 2

    _vai(page, "Budget")
    tabella = page.get_by_role("table").first
    # 827.689,10 transferred + 12.500,50 residui on FNPS; 700.010,00 from the municipalities
    expect(tabella).to_contain_text("840.189,60")
    expect(tabella).to_contain_text("700.010,00")
    expect(tabella).to_contain_text("1.540.199,60")
    expect(
        page.get_by_role("img", name="Risorse per anno e livello di provenienza")
    ).to_be_visible()


def test_a_bad_amount_is_explained_at_the_field_and_nothing_is_saved(
    page: Page, live_server, cast, risorse
):
    login(page, live_server, cast.operatore_a.email)
    visita(page, f"{live_server.url}/piani/{cast.piano_a.pk}/risorse/cofinanziamento/")
    campo = page.get_by_label("Cofinanziamento 2025 – Bari")
    campo.fill("-5")
    with page.expect_navigation():
        page.get_by_role("button", name="Salva il cofinanziamento").click()
    controlla_accessibilita(page)
    expect(page.get_by_label("Cofinanziamento 2025 – Bari")).to_have_attribute(
        "aria-invalid", "true"
    )
    expect(page.get_by_role("main")).to_contain_text("L'importo non può essere negativo.")
    assert not Cofinanziamento.objects.exists()


def test_the_region_previews_and_applies_a_riparto(
    page: Page, live_server, cast, risorse, settings
):
    settings.PIANIZONA_MFA_OBBLIGATORIA = False
    login(page, live_server, cast.funzionario.email)
    visita(page, f"{live_server.url}/cicli/{risorse.pk}/riparto/")
    page.get_by_label("Anno").select_option("2026")
    page.get_by_label("Totale da ripartire (€)").fill("100,01")
    with page.expect_navigation():
        page.get_by_role("button", name="Anteprima").click()
    controlla_accessibilita(page)
    expect(page.get_by_role("main")).to_contain_text("100,01")
    with page.expect_navigation():
        page.get_by_role("button", name="Applica").click()
    controlla_accessibilita(page)
    expect(page.get_by_role("main")).to_contain_text("Riparto applicato")
