"""A Region other than the demo's runs its own cycle from an empty start.

Emilia-Romagna starts with nothing but ISTAT's reference data (its municipalities) and a national
fund. The administrator defines its districts and its two users in the admin; from then on the
Region works on its own pages: its officer opens the cycle (a draft plan for every district),
activates the fund, imports the transfers from a spreadsheet as officers make them (two title rows,
a blank row, a total row), and a district's manager acknowledges them. Puglia's data is never
touched. Every page loaded in the browser is checked with axe-core (see conftest.py).
"""

import tempfile
from decimal import Decimal
from pathlib import Path

from django.forms.models import model_to_dict
from django.urls import reverse
from playwright.sync_api import Page, expect

from pianizona.models import Ambito, Comune, FonteFinanziamento, Piano, Regione, User
from risorse.models import Assegnazione, Recepimento
from tests.factories import PASSWORD
from tests.fogli import xlsx
from tests.pianizona.accessi.test_primo_accesso import _admin_client, _dati_nuovo_utente
from tests.pianizona.test_admin import _dati_ambito as dati_ambito_esistente

from .conftest import controlla_accessibilita, login, visita

COMUNI = [
    ("037006", "Bologna", 390_000),
    ("037011", "Casalecchio di Reno", 36_000),
    ("036023", "Modena", 185_000),
]


def _clic(page: Page, locator) -> None:
    with page.expect_navigation():
        locator.click()
    controlla_accessibilita(page)


def _dati_ambito(regione: Regione, codice: str, nome: str) -> dict:
    """The admin's add form of an ambito (its municipalities join it from their own pages)."""
    return {
        "codice": codice,
        "nome": nome,
        "regione": regione.pk,
        "comune_capofila": "",
        "forma_associativa": Ambito.FormaAssociativa.choices[0][0],
        "comuni-TOTAL_FORMS": "0",
        "comuni-INITIAL_FORMS": "0",
        "comuni-MIN_NUM_FORMS": "0",
        "comuni-MAX_NUM_FORMS": "1000",
    }


def _l_amministratore_prepara_la_regione(cast) -> Regione:
    """ISTAT's data is loaded; the administrator adds the districts and the two users."""
    emilia = Regione.objects.create(codice_istat="08", nome="Emilia-Romagna")
    comuni = [
        Comune.objects.create(
            codice_istat=codice,
            nome=nome,
            regione=emilia,
            provincia="Bologna" if codice.startswith("037") else "Modena",
            sigla_provincia="BO" if codice.startswith("037") else "MO",
            popolazione=residenti,
        )
        for codice, nome, residenti in COMUNI
    ]
    FonteFinanziamento.objects.get_or_create(
        codice="FNPS",
        defaults={
            "nome": "Fondo Nazionale Politiche Sociali",
            "livello": "statale",
            "sezione": "ordinarie",
            "ordine": 1,
        },
    )
    admin = _admin_client(cast)
    risposta = admin.post(
        reverse("admin:pianizona_regione_change", args=[emilia.pk]),
        {
            "codice_istat": "08",
            "nome": "Emilia-Romagna",
            "denominazione_ambiti": Regione.DenominazioneAmbiti.DISTRETTO,
            "organo_approvazione": Regione.OrganoApprovazione.COMITATO,
        },
    )
    assert risposta.status_code == 302, risposta.content.decode()[:2000]
    # BA01 again: a code is unique only within its Region, and Bari stays in Puglia.
    for codice, nome, suoi in [
        ("BA01", "Distretto di Bologna", comuni[:2]),
        ("MO01", "Distretto di Modena", comuni[2:]),
    ]:
        risposta = admin.post(
            reverse("admin:pianizona_ambito_add"), _dati_ambito(emilia, codice, nome)
        )
        assert risposta.status_code == 302, risposta.content.decode()[:2000]
        ambito = Ambito.objects.get(regione=emilia, codice=codice)
        for comune in suoi:  # each municipality joins its district from its own admin page
            dati = {k: "" if v is None else v for k, v in model_to_dict(comune).items()}
            url = reverse("admin:pianizona_comune_change", args=[comune.pk])
            risposta = admin.post(url, dati | {"ambito": ambito.pk})
            assert risposta.status_code == 302, risposta.content.decode()[:2000]
        url = reverse("admin:pianizona_ambito_change", args=[ambito.pk])
        risposta = admin.post(url, dati_ambito_esistente(ambito, comune_capofila=suoi[0].pk))
        assert risposta.status_code == 302, risposta.content.decode()[:2000]
    bologna = Ambito.objects.get(regione=emilia, codice="BA01")
    for email, ruolo in [
        ("funzionaria@regione.emilia-romagna.it", {"ruolo": "funzionario", "regione": emilia.pk}),
        ("responsabile@distretto-bologna.it", {"ruolo": "responsabile", "ambito": bologna.pk}),
    ]:
        risposta = admin.post(
            reverse("admin:pianizona_user_add"), _dati_nuovo_utente(email, **ruolo)
        )
        assert risposta.status_code == 302, risposta.content.decode()[:2000]
        # The password they would choose from the invitation (its path is tested elsewhere).
        utente = User.objects.get(email=email)
        utente.set_password(PASSWORD)
        utente.save(update_fields=["password"])
    return emilia


def test_a_new_region_opens_its_cycle_imports_its_transfers_and_a_district_acknowledges_them(
    page: Page, live_server, cast, settings
):
    settings.PIANIZONA_MFA_OBBLIGATORIA = False
    emilia = _l_amministratore_prepara_la_regione(cast)
    piani_della_puglia = set(Piano.objects.values_list("pk", "ambito__regione__nome"))

    # The officer opens the cycle from the Region's own pages: a draft plan for each district.
    login(page, live_server, "funzionaria@regione.emilia-romagna.it")
    expect(page).to_have_url(f"{live_server.url}/regioni/{emilia.pk}/")
    _clic(
        page, page.get_by_role("link", name="Cicli di programmazione: aprire, completare, chiudere")
    )
    page.get_by_label("Nome del ciclo").fill("Piano di zona 2027–2029")
    page.get_by_label("Primo anno").fill("2027")
    page.get_by_label("Ultimo anno").fill("2029")
    _clic(page, page.get_by_role("button", name="Apri il ciclo"))
    expect(page.locator("body")).to_contain_text("2 piani in bozza creati")
    expect(page.get_by_role("main")).to_contain_text(
        "Ogni distretto della regione ha il suo piano in questo ciclo."
    )
    ciclo = emilia.cicli.get()
    assert set(Piano.objects.filter(ciclo=ciclo).values_list("ambito__codice", "stato")) == {
        ("BA01", "bozza"),
        ("MO01", "bozza"),
    }

    # It activates the national fund for the cycle, on the Region's configuration page.
    visita(page, f"{live_server.url}/regioni/{emilia.pk}/")
    _clic(page, page.get_by_role("link", name="Configurazione del ciclo"))
    page.get_by_label("Uso di FNPS – Fondo Nazionale Politiche Sociali nel ciclo").select_option(
        "ordinarie"
    )
    _clic(page, page.get_by_role("button", name="Salva la configurazione"))
    expect(page.get_by_role("status").first).to_contain_text("Configurazione del ciclo salvata.")

    # The transfers, from the spreadsheet the officer keeps: titles, a blank row, a total row.
    foglio = xlsx(
        [
            ["Regione Emilia-Romagna – Settore politiche sociali"],
            ["Riparto FNPS 2027 ai distretti"],
            ["Codice ambito", "Fonte", "Anno", "Importo (€)"],
            ["BA01", "FNPS", 2027, 301234.56000000006],
            [],
            ["MO01", "FNPS", 2027, "150.000,00"],
            ["Totale", None, None, 451234.56],
        ]
    )
    with tempfile.TemporaryDirectory() as cartella:
        percorso = Path(cartella) / "riparto-fnps-2027.xlsx"
        percorso.write_bytes(foglio.read())
        visita(page, f"{live_server.url}/regioni/{emilia.pk}/")
        _clic(page, page.get_by_role("link", name="Assegnazioni ai distretti"))
        _clic(page, page.get_by_role("link", name="importare da un foglio di calcolo"))
        page.get_by_label("File da importare (.xlsx o .csv)").set_input_files(str(percorso))
        _clic(page, page.get_by_role("button", name="Mostra l'anteprima"))
    anteprima = page.get_by_role("main")
    expect(anteprima).to_contain_text("301.234,56")
    # The total row, Excel's row 7, is reported as skipped, not as an error.
    expect(page.get_by_role("list", name="Righe saltate")).to_contain_text("Riga 7")
    _clic(page, page.get_by_role("button", name="Conferma l'importazione"))
    importi = dict(
        Assegnazione.objects.filter(ciclo=ciclo).values_list("ambito__codice", "importo")
    )
    assert importi == {"BA01": Decimal("301234.56"), "MO01": Decimal("150000.00")}

    # Bologna's manager acknowledges the transfers on the plan's page.
    page.context.clear_cookies()
    login(page, live_server, "responsabile@distretto-bologna.it")
    piano = Piano.objects.get(ciclo=ciclo, ambito__codice="BA01")
    visita(page, f"{live_server.url}/piani/{piano.pk}/")
    _clic(page, page.get_by_role("link", name="Trasferimenti e recepimento"))
    expect(page.get_by_role("table").first).to_contain_text("301.234,56")
    _clic(page, page.get_by_role("button", name="Recepisci le assegnazioni"))
    assert Recepimento.objects.filter(piano=piano).count() == 1

    # Nothing of Puglia moved: its plans are where they were, Bari still its own.
    assert set(Piano.objects.exclude(ciclo=ciclo).values_list("pk", "ambito__regione__nome")) == (
        piani_della_puglia
    )
    assert Ambito.objects.get(pk=cast.ambito_a.pk).regione == cast.regione
