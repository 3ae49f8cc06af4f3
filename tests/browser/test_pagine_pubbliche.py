"""The public pages a visitor reaches from the home: links found by name, layout that stays still."""

import time

from playwright.sync_api import Page, expect

from .conftest import controlla_accessibilita, visita

# Google's "good" threshold for Cumulative Layout Shift (web.dev/cls).
CLS_MASSIMO = 0.1
RITARDO_FONT = 0.6  # seconds

# Registered before any page script runs: every layout shift not caused by the user, summed.
_OSSERVA_SPOSTAMENTI = """
window.__spostamenti = 0;
new PerformanceObserver((lista) => {
    for (const voce of lista.getEntries()) {
        if (!voce.hadRecentInput) window.__spostamenti += voce.value;
    }
}).observe({type: 'layout-shift', buffered: true});
"""

# After load: the web fonts settled and two frames painted, so a late swap is counted.
_SPOSTAMENTO_CUMULATIVO = """async () => {
    await document.fonts.ready;
    await new Promise((fatto) => requestAnimationFrame(() => requestAnimationFrame(fatto)));
    await new Promise((fatto) => setTimeout(fatto, 300));
    return window.__spostamenti;
}"""


def _font_lenti(route) -> None:
    # As on a real connection: the fonts arrive after the first paint, in the fallback font.
    time.sleep(RITARDO_FONT)
    route.continue_()


def _spostamento(page: Page, url: str) -> float:
    visita(page, url)
    return page.evaluate(_SPOSTAMENTO_CUMULATIVO)


def test_a_visitor_reaches_open_data_api_and_adhesion_forms_from_the_home(
    page: Page, live_server, cast
):
    visita(page, f"{live_server.url}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Piani di Zona")

    page.get_by_role("link", name="Dati aperti").click()
    controlla_accessibilita(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Dati aperti")

    page.go_back()
    controlla_accessibilita(page)
    page.get_by_role("link", name="Documentazione dell'API").click()
    controlla_accessibilita(page)
    expect(page.get_by_role("heading", level=1)).to_contain_text("API")

    page.go_back()
    controlla_accessibilita(page)
    page.get_by_role("link", name="Adesione all'Accordo di programma").click()
    controlla_accessibilita(page)
    expect(page.get_by_role("heading", level=2, name="Puglia")).to_be_visible()
    page.get_by_role("link", name="Modulo di adesione dell'Ambito di Bari").click()
    controlla_accessibilita(page)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ambito di Bari")


def test_the_home_and_open_data_do_not_jump_while_the_fonts_load(page: Page, live_server, cast):
    page.add_init_script(_OSSERVA_SPOSTAMENTI)
    page.route("**/*.woff2", _font_lenti)
    for percorso in ("/", "/dati-aperti/"):
        spostamento = _spostamento(page, f"{live_server.url}{percorso}")
        assert spostamento < CLS_MASSIMO, (
            f"{percorso}: spostamento cumulativo del layout {spostamento:.3f}, oltre {CLS_MASSIMO}"
        )
