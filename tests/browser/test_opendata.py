"""The public open-data pages: reached without logging in, checked with axe, a dataset downloaded."""

from decimal import Decimal

from playwright.sync_api import Page, expect

from pianizona.models import Piano
from programmazione.models import Allocazione
from tests.api import dati

from .conftest import controlla_accessibilita, visita


def test_anyone_finds_the_cycle_s_datasets_and_downloads_one(page: Page, live_server, cast):
    piano = cast.piano_b
    Piano.objects.filter(pk=piano.pk).update(stato=Piano.Stato.APPROVATO)
    scheda = dati.scheda(piano)
    Allocazione.objects.create(
        scheda=scheda, fonte=dati.fonte(), anno=2025, importo=Decimal("12000.00")
    )

    visita(page, f"{live_server.url}/dati-aperti/")
    page.get_by_role("link", name="Puglia").first.click()
    controlla_accessibilita(page)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Dati aperti")
    expect(page.get_by_text("Piani approvati nel ciclo: 1.")).to_be_visible()
    expect(page.get_by_role("link", name="Creative Commons Attribuzione 4.0").first).to_be_visible()

    with page.expect_download() as attesa:
        page.get_by_role("link", name="Scarica CSV – Allocazioni per voce del catalogo").click()
    contenuto = attesa.value.path().read_text(encoding="utf-8")
    assert "BA02,Ambito di Altamura" in contenuto
    assert "12000.00" in contenuto
