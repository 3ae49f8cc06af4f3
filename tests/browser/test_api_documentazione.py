"""The API's documentation: our own page drawn from the schema, accessible, usable by keyboard."""

from playwright.sync_api import Page, expect

from .conftest import controlla_accessibilita, visita


def test_the_api_documentation_lists_every_endpoint_group_and_passes_axe(page: Page, live_server):
    visita(page, f"{live_server.url}/api/v1/documentazione/")

    expect(page.get_by_role("heading", level=1)).to_have_text("Documentazione dell'API")
    indice = page.get_by_role("navigation", name="Indice")
    expect(indice.get_by_role("link", name="piani", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="GET /api/v1/piani/{id}/versioni/")).to_be_visible()
    expect(
        page.get_by_role("table", name="Parametri di GET /api/v1/piani/", exact=True)
    ).to_be_visible()
    schema = page.get_by_role("link", name="schema in JSON")
    assert schema.get_attribute("href") == "/api/v1/schema/?format=json"


def test_the_skip_link_and_the_index_work_by_keyboard_with_a_visible_focus(page: Page, live_server):
    page.emulate_media(reduced_motion="reduce")  # jump to anchors at once, no smooth scrolling
    visita(page, f"{live_server.url}/api/v1/documentazione/")

    page.keyboard.press("Tab")
    salta = page.get_by_role("link", name="Vai al contenuto principale")
    expect(salta).to_be_focused()
    expect(salta).to_be_visible()  # visually hidden until focused
    page.keyboard.press("Enter")
    expect(page.locator("main#contenuto")).to_be_focused()

    # The next Tab lands inside the content, not back in the header.
    page.keyboard.press("Tab")
    primo = page.locator(":focus")
    assert primo.evaluate("e => e.closest('main') !== null")

    voce = page.get_by_role("navigation", name="Indice").get_by_role(
        "link", name="Versioni del piano: GET /api/v1/piani/{id}/versioni/"
    )
    voce.focus()
    contorno = voce.evaluate(
        "e => { const s = getComputedStyle(e); return [s.outlineStyle, s.outlineWidth, s.boxShadow]; }"
    )
    assert contorno[0] != "none" or contorno[2] != "none", contorno  # focus is visible
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{live_server.url}/api/v1/documentazione/#piani-versioni-list")
    expect(page.get_by_role("heading", name="GET /api/v1/piani/{id}/versioni/")).to_be_in_viewport()
    controlla_accessibilita(page)
