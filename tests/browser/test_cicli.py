"""The Region's officer opens a cycle from the Region's page, copying the earlier one, then closes it.

Every page loaded here is checked with axe-core (see conftest.py).
"""

from playwright.sync_api import Page, expect

from pianizona.models import Ciclo, Piano

from .conftest import controlla_accessibilita, login, visita


def _clic(page: Page, ruolo: str, nome: str) -> None:
    with page.expect_navigation():
        page.get_by_role(ruolo, name=nome).click()
    controlla_accessibilita(page)


def test_the_officer_opens_a_cycle_and_closes_it(page: Page, live_server, cast, settings):
    settings.PIANIZONA_MFA_OBBLIGATORIA = False
    login(page, live_server, cast.funzionario.email)
    visita(page, f"{live_server.url}/regioni/{cast.regione.pk}/")
    _clic(page, "link", "Cicli di programmazione: aprire, completare, chiudere")

    # Reversed years: the message names them, nothing is opened.
    page.get_by_label("Nome del ciclo").fill("Piano sociale 2028–2030")
    page.get_by_label("Primo anno").fill("2030")
    page.get_by_label("Ultimo anno").fill("2028")
    _clic(page, "button", "Apri il ciclo")
    expect(page.get_by_role("main")).to_contain_text(
        "L'ultimo anno (2028) non può precedere il primo (2030)."
    )

    page.get_by_label("Primo anno").fill("2028")
    page.get_by_label("Ultimo anno").fill("2030")
    page.get_by_label("Copiare la configurazione dal ciclo").select_option(
        label="Piano sociale 2025–2027"
    )
    _clic(page, "button", "Apri il ciclo")
    expect(page.get_by_role("main")).to_contain_text(
        "Ogni ambito territoriale sociale della regione ha il suo piano in questo ciclo."
    )
    expect(page.locator("body")).to_contain_text("2 piani in bozza creati")

    # Bootstrap Italia draws the checkbox on its label: a person clicks the label.
    conferma = "Confermo la chiusura del ciclo Piano sociale 2028–2030"
    page.locator("label", has_text=conferma).click()
    expect(page.get_by_label(conferma)).to_be_checked()
    _clic(page, "button", "Chiudi il ciclo")
    expect(page.get_by_role("main")).to_contain_text("Ciclo chiuso")
    nuovo = Ciclo.objects.get(nome="Piano sociale 2028–2030")
    assert nuovo.chiuso
    assert Piano.objects.filter(ciclo=nuovo, stato="bozza").count() == 2
