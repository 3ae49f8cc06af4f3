"""The Accordo di programma in the browser: an organisation asks to join through the public form
(no account), the district's manager accepts it, and the organisation appears among the plan's
adherents. Every page loaded is checked with axe-core (see conftest.py)."""

from pathlib import Path

from django.core import mail
from playwright.sync_api import Page, expect

from archivio.demo import pdf_minimo
from archivio.models import Adesione
from pianizona.models import AreaInterventoFnps, AreaUtenzaIstat

from .conftest import controlla_accessibilita, login, visita


def _spunta(page: Page, etichetta: str) -> None:
    """Bootstrap Italia draws checkboxes and radios on their labels: a person clicks the label."""
    page.locator("label", has_text=etichetta).click()
    expect(page.get_by_label(etichetta)).to_be_checked()


def test_an_organisation_joins_the_accordo_and_the_manager_accepts_it(
    page: Page, live_server, cast, settings, tmp_path: Path
):
    settings.MEDIA_ROOT = tmp_path
    settings.ARCHIVIO_ADESIONE_SECONDI_MINIMI = 0  # a test fills the form faster than a person
    AreaInterventoFnps.objects.create(codice=1, nome="Responsabilità familiari")
    AreaUtenzaIstat.objects.create(codice="FAM", nome="Famiglia e minori")
    modulo = tmp_path / "modulo-firmato.pdf"
    modulo.write_bytes(pdf_minimo("Modulo di adesione firmato"))

    # The privacy notice, linked from the form, read before filling it in.
    visita(page, f"{live_server.url}/accordo/16/{cast.ambito_a.codice}/adesione/")
    with page.expect_navigation():
        page.get_by_role(
            "link", name="Informativa sul trattamento dei dati personali"
        ).first.click()
    controlla_accessibilita(page)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Informativa sul trattamento dei dati personali"
    )
    visita(page, f"{live_server.url}/accordo/16/{cast.ambito_a.codice}/adesione/")
    page.get_by_label("Denominazione dell'ente").fill("Cooperativa sociale Il Faro")
    page.get_by_label("Forma giuridica").select_option(label="Cooperativa sociale")
    codice_fiscale = page.get_by_role("textbox", name="Codice fiscale", exact=True)
    codice_fiscale.fill("00743110158")  # a wrong check digit first
    page.get_by_label("Sede legale (indirizzo completo)").fill("Via Roma 1, 70100 Bari")
    page.get_by_role("textbox", name="Persona di riferimento", exact=True).fill("Maria Rossi")
    page.get_by_label("E-mail della persona di riferimento").fill("maria.rossi@ilfaro.example")
    _spunta(page, "Responsabilità familiari")
    page.get_by_label("Breve descrizione delle attività").fill("Servizi educativi per minori.")
    page.get_by_label("Modulo di adesione firmato").set_input_files(str(modulo))
    _spunta(page, "Dichiaro di aver letto l'informativa")
    with page.expect_navigation():
        page.get_by_role("button", name="Invia la richiesta di adesione").click()
    controlla_accessibilita(page)
    expect(codice_fiscale).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_codice_fiscale_errori")).to_contain_text("non è valido")
    assert not Adesione.objects.exists()

    # The signed form is kept: corrected, the request goes without attaching it again.
    expect(page.locator("#modulo-trattenuto")).to_contain_text(
        "File già caricato: modulo-firmato.pdf"
    )
    codice_fiscale.fill("00743110157")
    with page.expect_navigation():
        page.get_by_role("button", name="Invia la richiesta di adesione").click()
    controlla_accessibilita(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Richiesta di adesione inviata")
    adesione = Adesione.objects.get()
    assert adesione.stato == Adesione.Stato.IN_ATTESA
    assert adesione.modulo_nome == "modulo-firmato.pdf"
    expect(page.locator("#numero-ricevuta")).to_have_text(adesione.ricevuta)

    settings.PIANIZONA_MFA_OBBLIGATORIA = False
    login(page, live_server, cast.responsabile_a.email)
    visita(page, f"{live_server.url}/ambiti/{cast.ambito_a.pk}/adesioni/")
    with page.expect_navigation():
        page.get_by_role("link", name="Cooperativa sociale Il Faro").click()
    controlla_accessibilita(page)
    _spunta(page, "Accetta l'adesione")
    page.get_by_label("Nota per l'ente").fill("Benvenuti nell'Accordo di programma.")
    with page.expect_navigation():
        page.get_by_role("button", name="Registra la decisione").click()
    controlla_accessibilita(page)
    expect(page.locator(".alert-success")).to_contain_text("accettata")
    adesione.refresh_from_db()
    assert adesione.stato == Adesione.Stato.ACCETTATA

    visita(page, f"{live_server.url}/piani/{cast.piano_a.pk}/aderenti/")
    expect(page.get_by_role("rowheader", name="Cooperativa sociale Il Faro")).to_be_visible()
    assert any("adesione accettata" in m.subject for m in mail.outbox)
