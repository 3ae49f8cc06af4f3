"""A Region's own funds: added from its configuration page, seen by that Region only."""

import html
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pianizona.dominio import ErroreDominio
from pianizona.models import FonteFinanziamento, Regione
from risorse import services
from risorse.models import Assegnazione, FonteCiclo, RisorsaAggiuntiva
from tests.api.conftest import client_chiave, crea_chiave
from tests.factories import CicloFactory, RegioneFactory, approva_con_il_workflow
from tests.programmazione.conftest import assegna

FRNA = {
    "codice": "FRNA",
    "nome": "Fondo regionale per la non autosufficienza",
    "sezione": "ordinarie",
}


def leggi(risposta) -> str:
    return html.unescape(risposta.content.decode())


def url(nome: str, ciclo) -> str:
    return reverse(f"risorse:{nome}", args=[ciclo.pk])


@pytest.fixture
def altrove(db) -> FonteFinanziamento:
    """Emilia-Romagna's own fund, active in its own cycle."""
    emilia = RegioneFactory(codice_istat="08", nome="Emilia-Romagna")
    fonte = services.fonte_regionale_crea(
        regione=emilia, codice="FRER", nome="Fondo sociale dell'Emilia-Romagna", sezione="ordinarie"
    )
    FonteCiclo.objects.create(ciclo=CicloFactory(regione=emilia), fonte=fonte, sezione="ordinarie")
    return fonte


@pytest.fixture
def propria(cast, ciclo_configurato) -> FonteFinanziamento:
    """Region R's own fund, active in its cycle."""
    fonte = services.fonte_regionale_crea(regione=cast.regione, **FRNA)
    FonteCiclo.objects.create(ciclo=ciclo_configurato, fonte=fonte, sezione="ordinarie")
    return fonte


def test_the_officer_adds_a_regional_fund_and_is_told_so_in_italian(
    cast, ciclo_configurato, client_for
):
    client = client_for("funzionario")
    risposta = client.post(url("fonte_regionale_crea", ciclo_configurato), FRNA, follow=True)
    pagina = leggi(risposta)
    assert "Fonte regionale «Fondo regionale per la non autosufficienza» (FRNA) aggiunta" in pagina
    assert 'Fondo regionale per la non autosufficienza <span class="badge' in pagina
    fonte = FonteFinanziamento.objects.get(codice="FRNA")
    assert (fonte.regione, fonte.livello) == (cast.regione, "regionale")


@pytest.mark.parametrize(
    "dati, messaggio",
    [
        ({**FRNA, "codice": "fnps"}, "Il codice «FNPS» è già usato da un'altra fonte"),
        ({**FRNA, "codice": "FR NA"}, "Il codice può contenere solo lettere, cifre"),
        ({**FRNA, "codice": ""}, "Indicare il codice della fonte."),
        ({**FRNA, "nome": ""}, "Indicare il nome della fonte."),
        ({**FRNA, "sezione": "tutte"}, "Sezione del piano non prevista."),
    ],
)
def test_a_bad_regional_fund_is_refused_in_italian_and_nothing_is_saved(
    cast, ciclo_configurato, client_for, dati, messaggio
):
    prima = FonteFinanziamento.objects.count()
    risposta = client_for("funzionario").post(url("fonte_regionale_crea", ciclo_configurato), dati)
    assert risposta.status_code == 200
    assert messaggio in leggi(risposta)
    assert FonteFinanziamento.objects.count() == prima


def test_a_code_taken_by_another_region_is_refused_too(cast, altrove):
    with pytest.raises(ErroreDominio, match="«FRER» è già usato"):
        services.fonte_regionale_crea(regione=cast.regione, **{**FRNA, "codice": "frer"})


def test_the_configuration_page_offers_national_and_own_funds_never_another_regions(
    cast, ciclo_configurato, propria, altrove, client_for
):
    pagina = leggi(client_for("funzionario").get(url("configurazione", ciclo_configurato)))
    assert "FNPS" in pagina and "FRNA" in pagina
    assert "FRER" not in pagina and "Emilia-Romagna" not in pagina


def test_another_regions_fund_cannot_be_activated_in_the_cycle(
    cast, ciclo_configurato, altrove, client_for
):
    client_for("funzionario").post(
        url("configurazione", ciclo_configurato),
        {f"sezione_{altrove.pk}": "ordinarie", "cofinanziamento_minimo": "2,00"},
    )
    assert not FonteCiclo.objects.filter(ciclo=ciclo_configurato, fonte=altrove).exists()
    with pytest.raises(ErroreDominio, match="non appartiene alla Regione del ciclo"):
        services.ciclo_configura(
            ciclo=ciclo_configurato,
            sezioni={altrove.pk: "ordinarie"},
            cofinanziamento_minimo=Decimal("2.00"),
        )


def test_the_district_is_offered_its_regions_fund_and_refused_another_regions(
    cast, propria, altrove, client_for
):
    client = client_for("operatore_a")
    # A Region's own fund reaches the district with the transfers: its residui, not altre risorse.
    pagina = leggi(client.get(reverse("risorse:residui", args=[cast.piano_a.pk])))
    assert "Fondo regionale per la non autosufficienza" in pagina
    assert "Fondo sociale dell'Emilia-Romagna" not in pagina
    indirizzo = reverse("risorse:altre_risorse", args=[cast.piano_a.pk])
    pagina = leggi(client.get(indirizzo))
    assert "Fondo regionale per la non autosufficienza" not in pagina
    assert "Fondo sociale dell'Emilia-Romagna" not in pagina
    risposta = client.post(
        indirizzo, {"fonte": altrove.pk, "anno": "2025", "importo": "1.000,00", "descrizione": ""}
    )
    assert "Scegliere un'opzione valida" in leggi(risposta)
    assert not RisorsaAggiuntiva.objects.exists()


def test_the_transfer_import_takes_the_regions_fund_and_calls_another_regions_unknown(
    cast, ciclo_configurato, propria, altrove, client_for
):
    file = SimpleUploadedFile(
        "assegnazioni.csv",
        b"ambito;fonte;anno;importo\nBA01;FRNA;2025;1.000,00\nBA02;FRER;2025;10\n",
        content_type="text/csv",
    )
    risposta = client_for("funzionario").post(
        url("assegnazioni_importa", ciclo_configurato), {"file": file}
    )
    assert [riga for riga, _ in risposta.context["anteprima"].errori] == [3]
    assert "Fonte «FRER» inesistente." in leggi(risposta)
    assert not Assegnazione.objects.exists()


def test_the_api_gives_the_regional_fund_to_its_region_and_nothing_to_another(cast, propria):
    assegna(cast.piano_a, propria, 2025, Decimal("1000.00"))
    approva_con_il_workflow(cast.piano_a, autore=cast.operatore_a, funzionario=cast.funzionario)
    chiave_r, _ = crea_chiave("Regione", regione=cast.regione)
    chiave_altra, _ = crea_chiave("Altra", regione=RegioneFactory())
    indirizzo = reverse("api:budget-detail", args=[cast.piano_a.pk])
    righe = client_chiave(chiave_r).get(indirizzo).json()["righe"]
    assert {
        "fonte": "FRNA",
        "livello": "regionale",
        "anno": 2025,
        "importo": "1000.00",
    }.items() <= (next(r for r in righe if r["fonte"] == "FRNA").items())
    assert client_chiave(chiave_altra).get(indirizzo).status_code == 404


# --- The Region's words ------------------------------------------------------------------------


def test_the_officer_sets_the_district_name_and_approval_body_with_a_confirmation(
    cast, ciclo_configurato, client_for
):
    client = client_for("funzionario")
    risposta = client.post(
        url("denominazioni", ciclo_configurato),
        {"denominazione_ambiti": "zona_distretto", "organo_approvazione": "assemblea"},
        follow=True,
    )
    assert "Denominazioni salvate: Zona-distretto e Assemblea dei sindaci." in leggi(risposta)
    pagina = leggi(client.get(reverse("ambito_detail", args=[cast.ambito_a.pk])))
    assert "Zona-distretto BA01" in pagina and "Comuni della zona-distretto" in pagina


def test_an_unknown_district_name_is_refused_in_italian_and_nothing_changes(
    cast, ciclo_configurato, client_for
):
    risposta = client_for("funzionario").post(
        url("denominazioni", ciclo_configurato),
        {"denominazione_ambiti": "contea", "organo_approvazione": ""},
    )
    pagina = leggi(risposta)
    assert "Denominazione dei distretti non prevista." in pagina
    assert "Scegliere l'organo di approvazione." in pagina
    regione = Regione.objects.get(pk=cast.regione.pk)
    assert (regione.denominazione_ambiti, regione.organo_approvazione) == (
        "ambito",
        "coordinamento",
    )
