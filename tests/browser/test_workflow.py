"""The plan's round trip in the browser: submit, changes requested, fixed, resubmitted, approved,
then next year's annual update and its comparison with the triennial plan.

Every page loaded here is checked with axe-core (see conftest.py).
"""

import pytest
from playwright.sync_api import Page, expect

from pianizona import registry
from pianizona.iter import commenti
from pianizona.models import Piano, Transizione
from programmazione import services as programmazione_services
from programmazione.models import Narrativa
from tests.factories import PASSWORD

from .conftest import controlla_accessibilita, login, visita


@pytest.fixture
def controllo_contesto(cast, monkeypatch):
    """One real-looking blocking check: the context analysis must name the ambito's population."""

    def contesto(piano: Piano) -> list[registry.EsitoControllo]:
        testo = Narrativa.objects.filter(piano=piano, capitolo="contesto").first()
        if testo and "popolazione" in testo.testo:
            return []
        return [
            registry.EsitoControllo(
                "narrativa:contesto",
                "L'analisi del contesto non descrive la popolazione dell'ambito.",
                True,
                f"/piani/{piano.pk}/narrativa/contesto/",
            )
        ]

    monkeypatch.setattr(registry, "_controlli", [contesto])
    programmazione_services.narrativa_salva(
        piano=cast.piano_a,
        capitolo="contesto",
        testo="L'ambito comprende Bari e Valenzano; la popolazione è di 333.980 abitanti.",
        revisione=0,
        user=cast.operatore_a,
    )


def _come(page: Page, live_server, email: str) -> None:
    page.context.clear_cookies()
    login(page, live_server, email)


def _al_piano(page: Page, live_server, piano: Piano) -> None:
    visita(page, f"{live_server.url}/piani/{piano.pk}/")


def test_district_and_region_take_a_plan_from_draft_to_approval_and_on_to_the_annual_update(
    page: Page, live_server, cast, controllo_contesto, settings
):
    settings.PIANIZONA_MFA_OBBLIGATORIA = False  # the second factor has its own tests
    piano = cast.piano_a

    # The responsabile checks the plan and submits it.
    _come(page, live_server, cast.responsabile_a.email)
    _al_piano(page, live_server, piano)
    page.get_by_role("link", name="Verifica e invia alla Regione").click()
    expect(page.get_by_text("Tutti i controlli sono superati")).to_be_visible()
    controlla_accessibilita(page)
    page.get_by_role("button", name="Invia il piano alla Regione").click()
    expect(page.get_by_text("congelati nella versione 1")).to_be_visible()
    controlla_accessibilita(page)

    # The officer takes it in charge and asks for changes.
    _come(page, live_server, cast.funzionario.email)
    _al_piano(page, live_server, piano)
    page.get_by_role("button", name="Prendi in carico").click()
    expect(page.get_by_text("l'istruttoria è aperta")).to_be_visible()
    controlla_accessibilita(page)
    page.get_by_role("link", name="Chiedi integrazioni").click()
    controlla_accessibilita(page)
    page.get_by_role("button", name="Chiedi integrazioni").click()  # empty: refused
    expect(page.get_by_text("Scrivere all'Ufficio di Piano che cosa va corretto.")).to_be_visible()
    controlla_accessibilita(page)
    page.get_by_label("Che cosa deve integrare o correggere l'Ufficio di Piano").fill(
        "Nell'analisi del contesto manca la popolazione per fasce d'età."
    )
    page.get_by_role("button", name="Chiedi integrazioni").click()
    expect(page.get_by_text("Integrazioni richieste")).to_be_visible()
    controlla_accessibilita(page)

    # The district reads the request, and its edit breaks the check until it is fixed.
    _come(page, live_server, cast.responsabile_a.email)
    _al_piano(page, live_server, piano)
    expect(page.get_by_text("manca la popolazione per fasce d'età")).to_be_visible()
    visita(page, f"{live_server.url}/piani/{piano.pk}/narrativa/contesto/")
    page.get_by_label("Testo del capitolo").fill("L'ambito comprende Bari e Valenzano.")
    page.get_by_role("button", name="Salva il capitolo").click()
    controlla_accessibilita(page)
    visita(page, f"{live_server.url}/piani/{piano.pk}/invio/")
    expect(page.locator("#controlli-bloccanti")).to_contain_text("non descrive la popolazione")
    expect(page.get_by_role("button", name="Invia il piano alla Regione")).to_have_count(0)
    page.get_by_role("link", name="Vai a correggere").click()
    expect(page.get_by_label("Testo del capitolo")).to_be_visible()
    controlla_accessibilita(page)
    page.get_by_label("Testo del capitolo").fill(
        "L'ambito comprende Bari e Valenzano: la popolazione è di 333.980 abitanti, "
        "di cui 52.000 minori."
    )
    page.get_by_role("button", name="Salva il capitolo").click()
    controlla_accessibilita(page)
    visita(page, f"{live_server.url}/piani/{piano.pk}/invio/")
    page.get_by_role("button", name="Invia il piano alla Regione").click()
    expect(page.get_by_text("congelati nella versione 2")).to_be_visible()
    controlla_accessibilita(page)

    # The officer approves, confirming with the password, and closes the remark left open.
    _come(page, live_server, cast.funzionario.email)
    _al_piano(page, live_server, piano)
    page.get_by_role("button", name="Prendi in carico").click()
    controlla_accessibilita(page)
    commenti.commento_crea(
        piano=piano, user=cast.funzionario, sezione="generale", testo="Allegare il verbale."
    )
    page.get_by_role("link", name="Approva", exact=True).click()
    expect(page.get_by_text("Il piano ha 1 osservazione aperta")).to_be_visible()
    expect(page.get_by_text("Allegare il verbale.")).to_be_visible()
    controlla_accessibilita(page)
    page.get_by_label("Confermare con la password o con il codice").fill("sbagliata")
    page.get_by_role("button", name="Approva il piano").click()
    expect(page.get_by_text("Password o codice non corretti")).to_be_visible()
    expect(page.get_by_text("scegliere se chiuderle con l'approvazione")).to_be_visible()
    controlla_accessibilita(page)

    page.locator("label", has_text="Chiudi le osservazioni aperte").click()  # the styled radio
    page.get_by_label("Confermare con la password o con il codice").fill(PASSWORD)
    page.get_by_role("button", name="Approva il piano").click()
    expect(page.get_by_text("Piano approvato. Chiusa l'osservazione aperta.")).to_be_visible()
    controlla_accessibilita(page)
    assert Piano.objects.get(pk=piano.pk).stato == Piano.Stato.APPROVATO
    assert Transizione.objects.filter(piano=piano).count() == 6

    # The district starts next year's annual plan from the approved one.
    _come(page, live_server, cast.operatore_a.email)
    _al_piano(page, live_server, piano)
    page.get_by_role("link", name="Avvia il piano attuativo dell'anno successivo").click()
    controlla_accessibilita(page)
    page.get_by_label("Anno del piano attuativo").select_option("2026")
    page.get_by_role("button", name="Avvia il piano attuativo").click()
    expect(page.get_by_role("heading", name="Piano attuativo 2026", level=1)).to_be_visible()
    expect(page.get_by_text("Ripresi 1 capitoli della parte narrativa.")).to_be_visible()
    controlla_accessibilita(page)
    attuativo = Piano.objects.get(ambito=cast.ambito_a, tipo=Piano.Tipo.ATTUATIVO, anno=2026)
    assert Narrativa.objects.get(piano=attuativo, capitolo="contesto").testo.endswith(
        "di cui 52.000 minori."
    )

    # It rewrites a chapter for the new year and compares with the triennial plan.
    visita(page, f"{live_server.url}/piani/{attuativo.pk}/narrativa/contesto/")
    page.get_by_label("Testo del capitolo").fill(
        "Nel 2026 la popolazione dell'ambito è di 334.500 abitanti."
    )
    page.get_by_role("button", name="Salva il capitolo").click()
    controlla_accessibilita(page)
    _al_piano(page, live_server, attuativo)
    page.get_by_role("link", name="Confronto con gli anni precedenti e il triennale").click()
    expect(page.get_by_role("heading", name="Versioni confrontate")).to_be_visible()
    controlla_accessibilita(page)
    capitoli = page.locator("table").filter(has_text="Capitoli della parte narrativa")
    riga = capitoli.get_by_role("row").filter(has_text="Analisi del contesto")
    expect(riga).to_contain_text("Modificato")

    # The versions page of the triennial plan shows both submissions and their outcomes.
    visita(page, f"{live_server.url}/piani/{piano.pk}/versioni/")
    righe = page.locator("table").first.get_by_role("row")
    expect(righe.filter(has_text="Versione 1")).to_contain_text("Integrazioni richieste")
    expect(righe.filter(has_text="Versione 2")).to_contain_text("Approvata")
    expect(page.get_by_role("link", name="Versione 2", exact=True)).to_be_visible()
    page.get_by_role("link", name="Versione 2", exact=True).click()
    expect(page.get_by_text("Verificata")).to_be_visible()
    controlla_accessibilita(page)
