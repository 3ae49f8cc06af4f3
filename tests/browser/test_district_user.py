"""A day of work in the browser: district users, the regional officer, and what everyone sees.

Every page loaded here is checked with axe-core (see conftest.py).
"""

import re

from playwright.sync_api import Page, expect

from pianizona.models import Ruolo
from tests.factories import MembershipFactory, UserFactory

from .conftest import controlla_accessibilita, login, visita

PIANO = "Piano triennale 2025–2027"


def test_district_user_logs_in_and_sees_their_ambito_and_plan(page: Page, live_server, cast):
    login(page, live_server, cast.operatore_a.email)

    expect(page).to_have_url(f"{live_server.url}/ambiti/{cast.ambito_a.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ambito di Bari")
    riga = page.get_by_role("row").filter(has_text=PIANO)
    expect(riga.get_by_role("link", name=PIANO)).to_be_visible()
    expect(riga).to_contain_text("Bozza")
    navigazione = page.get_by_role("navigation", name="Navigazione principale")
    expect(navigazione.get_by_role("link", name="Il mio ambito")).to_have_attribute(
        "aria-current", "page"
    )

    with page.expect_navigation():
        riga.get_by_role("link", name=PIANO).click()
    controlla_accessibilita(page)
    expect(page).to_have_url(f"{live_server.url}/piani/{cast.piano_a.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(PIANO)
    expect(page.locator("dl")).to_contain_text("Bozza")
    expect(page.get_by_role("navigation", name="Percorso di navigazione")).to_contain_text(
        "Ambito di Bari"
    )


def test_on_a_phone_the_main_navigation_opens_from_the_menu_button(page: Page, live_server, cast):
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, live_server, cast.operatore_a.email)

    il_mio_ambito = page.get_by_role("link", name="Il mio ambito")
    expect(il_mio_ambito).to_be_hidden()
    menu = page.get_by_role("button", name="Mostra o nascondi la navigazione", exact=True)
    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(il_mio_ambito).to_be_visible()
    expect(il_mio_ambito).to_have_attribute("aria-current", "page")
    controlla_accessibilita(page)  # the open menu, too


def test_district_user_gets_404_for_another_ambito_and_its_plan(page: Page, live_server, cast):
    login(page, live_server, cast.operatore_a.email)

    for url in (f"/ambiti/{cast.ambito_b.pk}/", f"/piani/{cast.piano_b.pk}/"):
        visita(page, live_server.url + url, stato=404)
        expect(page.get_by_role("heading", level=1)).to_have_text("Pagina non trovata")
        expect(page).to_have_title(re.compile("^Pagina non trovata"))
        contenuto = page.content()
        assert "Ambito di Altamura" not in contenuto
        assert "Altamura" not in contenuto
        assert "BA02" not in contenuto


def test_skip_link_is_the_first_focusable_element_and_moves_focus_to_main(
    page: Page, live_server, cast
):
    login(page, live_server, cast.operatore_a.email)

    page.keyboard.press("Tab")
    salta = page.get_by_role("link", name="Vai al contenuto principale")
    expect(salta).to_be_focused()
    expect(salta).to_be_visible()  # visually hidden until focused, then shown

    page.keyboard.press("Enter")
    expect(page.locator("main#contenuto")).to_be_focused()
    expect(page).to_have_url(f"{live_server.url}/ambiti/{cast.ambito_a.pk}/#contenuto")


def test_wrong_password_shows_an_italian_error_and_stays_on_login(page: Page, live_server, cast):
    login(page, live_server, cast.operatore_a.email, password="password-sbagliata")

    expect(page).to_have_url(f"{live_server.url}/accounts/login/")
    expect(page.get_by_role("alert")).to_contain_text(
        "L'indirizzo e-mail e/o la password indicati non sono corretti."
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Accedi")
    expect(page.get_by_label("Indirizzo e-mail")).to_have_value(cast.operatore_a.email)
    expect(page.get_by_role("button", name="Esci")).to_have_count(0)


def test_user_with_two_roles_switches_context_to_the_other_ambito(page: Page, live_server, cast):
    utente = UserFactory(email="doppio.ruolo@example.org")
    MembershipFactory(user=utente, ruolo=Ruolo.OPERATORE, ambito=cast.ambito_a)
    MembershipFactory(user=utente, ruolo=Ruolo.RESPONSABILE, ambito=cast.ambito_b)

    login(page, live_server, utente.email)
    expect(page).to_have_url(f"{live_server.url}/ambiti/{cast.ambito_a.pk}/")

    contesto = page.get_by_label("Contesto", exact=True)
    expect(contesto).to_have_value(str(utente.memberships.get(ambito=cast.ambito_a).pk))
    contesto.select_option(label="Ambito di Altamura – Responsabile dell'Ufficio di Piano")
    with page.expect_navigation():
        page.get_by_role("button", name="Cambia").click()
    controlla_accessibilita(page)

    expect(page).to_have_url(f"{live_server.url}/ambiti/{cast.ambito_b.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ambito di Altamura")
    expect(page.get_by_role("status")).to_contain_text("Contesto di lavoro attivo:")
    expect(page.get_by_label("Contesto", exact=True)).to_have_value(
        str(utente.memberships.get(ambito=cast.ambito_b).pk)
    )


def test_regional_officer_lands_on_the_overview_of_both_ambiti(
    page: Page, live_server, cast, settings
):
    settings.PIANIZONA_MFA_OBBLIGATORIA = False

    login(page, live_server, cast.funzionario.email)

    expect(page).to_have_url(f"{live_server.url}/regioni/{cast.regione.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Puglia: i piani di zona")
    tabella = page.get_by_role("table")
    expect(tabella.get_by_role("link", name="Ambito di Bari")).to_be_visible()
    expect(tabella.get_by_role("link", name="Ambito di Altamura")).to_be_visible()
    expect(tabella.get_by_role("row").filter(has_text="Ambito di Bari")).to_contain_text("Bozza")
    expect(tabella.get_by_role("row").filter(has_text="Ambito di Altamura")).to_contain_text(
        "Inviato"
    )


def test_accessibility_statement_is_reached_from_the_footer(page: Page, live_server, cast):
    visita(page, f"{live_server.url}/accounts/login/")

    with page.expect_navigation():
        page.get_by_role("contentinfo").get_by_role(
            "link", name="Dichiarazione di accessibilità"
        ).click()
    controlla_accessibilita(page)

    expect(page).to_have_url(f"{live_server.url}/accessibilita/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Dichiarazione di accessibilità")
    expect(page.get_by_role("heading", name="Feedback e recapiti")).to_be_visible()
