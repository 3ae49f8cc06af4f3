"""Dashboards in the browser: Chart.js draws every chart under the strict CSP, the tables beside
them pass axe, the SIOSS page lists its downloads.

Every page loaded here is checked with axe-core (see conftest.py).
"""

from playwright.sync_api import Page, expect

from tests.monitoraggio import conftest as monitoraggio_conftest
from tests.monitoraggio import test_sioss

from .conftest import login, visita

# The hand-computed plans and declarations of the SIOSS tests, and the fixtures they build on.
programma = test_sioss.programma
fonti = monitoraggio_conftest.fonti
catalogo = monitoraggio_conftest.catalogo
riferimenti = monitoraggio_conftest.riferimenti


def _grafici_disegnati(page: Page) -> None:
    canvas = page.locator("canvas[data-grafico]")
    assert canvas.count() > 0
    for i in range(canvas.count()):
        expect(canvas.nth(i)).to_have_attribute("data-disegnato", "si")
        assert canvas.nth(i).evaluate("c => c.width > 0 && c.height > 0")


def test_the_officer_sees_the_regional_dashboard_drawn(
    page: Page,
    live_server,
    cast,
    programma,
    settings,
):
    settings.PIANIZONA_MFA_OBBLIGATORIA = False
    login(page, live_server, cast.funzionario.email)
    visita(page, f"{live_server.url}/regioni/{cast.regione.pk}/cruscotto/?anno=2025")
    expect(
        page.get_by_role("heading", name="Programmato per fonte di finanziamento")
    ).to_be_visible()
    expect(page.get_by_role("img", name="Ambiti territoriali sociali a confronto")).to_be_visible()
    _grafici_disegnati(page)
    with page.expect_download() as attesa:
        page.get_by_role(
            "link", name="Scarica i dati di «Programmato per fonte di finanziamento» (.csv)"
        ).click()
    assert attesa.value.suggested_filename == "cruscotto-fondi-2025-2027-anno-2025.csv"


def test_the_district_sees_its_dashboard_and_the_sioss_page(
    page: Page,
    live_server,
    cast,
    programma,
):
    login(page, live_server, cast.operatore_a.email)
    visita(page, f"{live_server.url}/ambiti/{cast.ambito_a.pk}/cruscotto/")
    expect(page.get_by_role("img", name="Programmato per abitante")).to_be_visible()
    _grafici_disegnati(page)
    visita(page, f"{live_server.url}/ambiti/{cast.ambito_a.pk}/sioss/")
    with page.expect_download() as attesa:
        page.get_by_role("link", name="SIOSS 2025 in Excel").click()
    assert attesa.value.suggested_filename == "sioss-BA01-2025.xlsx"
