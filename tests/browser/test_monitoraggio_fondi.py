"""Fund monitoring in the browser: the district declares a line and submits its yearly report,
the Region's officer finds it in the list and accepts it. Every page is checked with axe-core.
"""

# ruff: noqa: F811 (the fixtures imported from fondi_dati are this test's parameters)

from datetime import date
from decimal import Decimal

from playwright.sync_api import Page, expect

from monitoraggio.models import Dichiarazione, Rendicontazione
from tests.monitoraggio.conftest import budget, catalogo, fonti, riferimenti  # noqa: F401
from tests.monitoraggio.fondi_dati import linee, oggi  # noqa: F401
from tests.risorse.conftest import ciclo_configurato  # noqa: F401

from .conftest import controlla_accessibilita, login, visita


def _come(page: Page, live_server, email: str) -> None:
    page.context.clear_cookies()
    login(page, live_server, email)


def test_a_district_declares_and_submits_its_report_and_the_region_accepts_it(
    page: Page, live_server, cast, linee, oggi, settings
):
    settings.PIANIZONA_MFA_OBBLIGATORIA = False  # the second factor has its own tests

    # The responsabile opens the monitoring from the ambito's page.
    _come(page, live_server, cast.responsabile_a.email)
    visita(page, f"{live_server.url}/ambiti/{cast.ambito_a.pk}/")
    page.get_by_role("link", name="Monitoraggio dei fondi").click()
    controlla_accessibilita(page)
    page.get_by_label("Anno delle risorse").select_option("2025")
    page.get_by_role("button", name="Mostra").click()
    expect(page.get_by_role("heading", name="Monitoraggio dei fondi 2025")).to_be_visible()
    controlla_accessibilita(page)

    # A declaration paying more than it committed is refused, then corrected and saved.
    page.get_by_role("link", name="1.1 Accesso (FNPS, Infanzia").click()
    controlla_accessibilita(page)
    page.get_by_label("Data di riferimento").fill("2025-06-30")
    page.get_by_label("Impegnato (euro)").fill("30.000,00")
    page.get_by_label("Liquidato (euro)").fill("31.000")
    page.get_by_role("button", name="Registra la dichiarazione").click()
    expect(page.get_by_text("non può superare l'impegnato").first).to_be_visible()
    controlla_accessibilita(page)
    page.get_by_label("Liquidato (euro)").fill("12.000")
    page.get_by_role("button", name="Registra la dichiarazione").click()
    expect(page.get_by_text("Dichiarazione registrata")).to_be_visible()
    expect(page.get_by_role("cell", name="30.000,00 €").first).to_be_visible()
    controlla_accessibilita(page)

    page.get_by_role("button", name="Invia la rendicontazione alla Regione").click()
    expect(page.get_by_text("Rendicontazione inviata alla Regione")).to_be_visible()
    controlla_accessibilita(page)

    # The officer sends it back; the district reads why right under the state, and submits again.
    _come(page, live_server, cast.funzionario.email)
    visita(page, f"{live_server.url}/ambiti/{cast.ambito_a.pk}/fondi/?anno=2025")
    page.get_by_label("Che cosa deve integrare o correggere l'Ufficio di Piano").fill(
        "Manca il liquidato del FNA."
    )
    page.get_by_role("button", name="Restituisci all'Ufficio di Piano").click()
    expect(page.get_by_text("Rendicontazione restituita per integrazioni")).to_be_visible()
    controlla_accessibilita(page)
    _come(page, live_server, cast.responsabile_a.email)
    visita(page, f"{live_server.url}/ambiti/{cast.ambito_a.pk}/fondi/?anno=2025")
    nota = page.locator("#nota-regione")
    expect(nota).to_contain_text("Perché la Regione l'ha restituita")
    expect(nota).to_contain_text("Manca il liquidato del FNA.")
    expect(nota).to_be_in_viewport()  # at the top, not at the bottom of a long page
    controlla_accessibilita(page)
    page.get_by_role("button", name="Invia la rendicontazione alla Regione").click()
    expect(page.get_by_text("Rendicontazione inviata alla Regione")).to_be_visible()
    controlla_accessibilita(page)

    # The officer finds it in the Region's list and accepts it.
    _come(page, live_server, cast.funzionario.email)
    visita(page, f"{live_server.url}/regioni/{cast.regione.pk}/fondi/?anno=2025")
    expect(page.get_by_role("cell", name="Inviata alla Regione")).to_be_visible()
    page.get_by_role("link", name="BA01 Ambito di Bari").click()
    controlla_accessibilita(page)
    page.get_by_label("Nota per l'Ufficio di Piano (facoltativa)").fill("Dati coerenti.")
    page.get_by_role("button", name="Accetta la rendicontazione").click()
    expect(page.get_by_text("Rendicontazione accettata")).to_be_visible()
    controlla_accessibilita(page)

    rendicontazione = Rendicontazione.objects.get(ambito=cast.ambito_a, anno=2025)
    assert rendicontazione.stato == Rendicontazione.Stato.ACCETTATA
    dichiarazione = Dichiarazione.objects.get(rendicontazione=rendicontazione)
    assert (dichiarazione.data, dichiarazione.impegnato, dichiarazione.liquidato) == (
        date(2025, 6, 30),
        Decimal("30000"),
        Decimal("12000"),
    )
