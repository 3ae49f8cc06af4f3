"""The way to one's work: the main menu on a phone, the profile, the officer's «Da istruire».

Every page loaded here is checked with axe-core (see conftest.py).
"""

from playwright.sync_api import Page, expect

from .conftest import controlla_accessibilita, login, visita

PIANO = "Piano triennale 2025–2027"


def test_on_a_phone_the_menu_leads_to_the_plan_monitoring_archive_and_profile(
    page: Page, live_server, cast
):
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, live_server, cast.responsabile_a.email)

    navigazione = page.get_by_role("navigation", name="Navigazione principale")
    voci = [PIANO, "Monitoraggio", "Archivio", "Il mio profilo"]
    for voce in voci:
        expect(navigazione.get_by_role("link", name=voce, exact=True)).to_be_hidden()
    menu = page.get_by_role("button", name="Mostra o nascondi la navigazione", exact=True)
    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    for voce in voci:
        expect(navigazione.get_by_role("link", name=voce, exact=True)).to_be_visible()
    controlla_accessibilita(page)  # the open menu

    with page.expect_navigation():
        navigazione.get_by_role("link", name=PIANO, exact=True).click()
    controlla_accessibilita(page)
    expect(page).to_have_url(f"{live_server.url}/piani/{cast.piano_a.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(PIANO)

    page.get_by_role("button", name="Mostra o nascondi la navigazione", exact=True).click()
    piano = navigazione.get_by_role("link", name=PIANO, exact=True)
    expect(piano).to_be_visible()
    expect(piano).to_have_attribute("aria-current", "page")
    with page.expect_navigation():
        navigazione.get_by_role("link", name="Monitoraggio", exact=True).click()
    controlla_accessibilita(page)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Monitoraggio dei fondi")

    page.get_by_role("button", name="Mostra o nascondi la navigazione", exact=True).click()
    with page.expect_navigation():
        navigazione.get_by_role("link", name="Il mio profilo", exact=True).click()
    controlla_accessibilita(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Il mio profilo")
    expect(
        page.get_by_role("definition").filter(has_text=cast.responsabile_a.email)
    ).to_be_visible()
    expect(page.get_by_role("link", name="Sicurezza dell'account")).to_be_visible()


def test_on_a_desktop_the_user_name_opens_the_profile(page: Page, live_server, cast):
    page.set_viewport_size({"width": 1280, "height": 900})
    login(page, live_server, cast.operatore_a.email)

    with page.expect_navigation():
        page.get_by_role("link", name="il mio profilo").first.click()
    controlla_accessibilita(page)
    expect(page).to_have_url(f"{live_server.url}/profilo/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Il mio profilo")
    expect(page.get_by_role("cell", name="Operatore dell'Ufficio di Piano")).to_be_visible()


def test_the_officer_opens_the_plans_to_take_in_charge_from_da_istruire(
    page: Page, live_server, cast, settings
):
    settings.PIANIZONA_MFA_OBBLIGATORIA = False
    login(page, live_server, cast.funzionario.email)

    blocco = page.get_by_role("region", name="Da istruire")
    inviati = blocco.get_by_role("link", name="Piani inviati da prendere in carico")
    expect(inviati).to_contain_text("1")
    with page.expect_navigation():
        inviati.click()
    controlla_accessibilita(page)
    tabella = page.get_by_role("table")
    expect(tabella.get_by_role("link", name=PIANO)).to_have_count(1)
    expect(tabella).to_contain_text("Ambito di Altamura")
    expect(tabella).not_to_contain_text("Ambito di Bari")
    expect(page.get_by_label("Stato del piano")).to_have_value("inviato")
    visita(page, f"{live_server.url}/regioni/{cast.regione.pk}/")
