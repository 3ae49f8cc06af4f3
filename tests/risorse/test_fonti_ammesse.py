"""Funds only where they belong: each page offers, and each service accepts, only its kind of fund.

The cycle here is one a careless Region configured: besides FNPS, FNA and FGSA it activated the
municipal co-financing, the ASL share, the residui aggregate and PNRR.
"""

import html
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pianizona.dominio import ErroreDominio
from pianizona.models import FonteFinanziamento, Piano, UsoFonte
from risorse import selectors, services
from risorse.models import Assegnazione, FonteCiclo, ResiduoEconomia, RisorsaAggiuntiva

pytestmark = pytest.mark.django_db

TRASFERIBILI = ["FNPS", "FNA", "FGSA"]
RIFIUTO_TRASFERIMENTO = (
    "non può essere usata nei trasferimenti e nei riparti della Regione: "
    "la Regione trasferisce e ripartisce solo fondi statali e regionali."
)


@pytest.fixture
def ciclo_largo(cast, fonti, ciclo_configurato):
    fonti["RES"] = FonteFinanziamento.objects.create(
        codice="RES", nome="Residui ed economie dei cicli precedenti", livello="mista",
        sezione="ordinarie", ordine=10,
    )  # fmt: skip
    for codice in ("COM", "ASL", "RES", "PNRR"):
        FonteCiclo.objects.create(
            ciclo=ciclo_configurato, fonte=fonti[codice], sezione=fonti[codice].sezione
        )
    return ciclo_configurato


def leggi(risposta) -> str:
    return html.unescape(risposta.content.decode())


def offerte(pagina: str, fonti: dict[str, FonteFinanziamento], per: str) -> list[str]:
    """The codes of the funds the page's select offers, by code (``per="codice"``) or by id."""
    return [
        codice
        for codice, fonte in fonti.items()
        if f'value="{fonte.codice if per == "codice" else fonte.pk}"' in pagina
    ]


def url_ciclo(nome: str, ciclo) -> str:
    return reverse(f"risorse:{nome}", args=[ciclo.pk])


def url_piano(nome: str, piano: Piano) -> str:
    return reverse(f"risorse:{nome}", args=[piano.pk])


def budget(piano: Piano) -> dict:
    return selectors.budget_del_piano(piano).tabella.celle


# --- The Region: configuration, transfers, riparto, import --------------------------------------


def test_the_configuration_never_offers_the_residui_aggregate_nor_takes_it_if_posted(
    cast, fonti, ciclo_largo, client_for
):
    pagina = leggi(client_for("funzionario").get(url_ciclo("configurazione", ciclo_largo)))
    assert "Uso di FNPS" in pagina and "Uso di COM" in pagina and "Uso di RES" not in pagina
    with pytest.raises(ErroreDominio, match="non ha un budget proprio"):
        services.ciclo_configura(
            ciclo=ciclo_largo,
            sezioni={fonti["FNPS"].pk: "ordinarie", fonti["RES"].pk: "ordinarie"},
            cofinanziamento_minimo=Decimal("2.00"),
        )


def test_the_transfer_riparto_and_import_pages_offer_only_national_and_regional_funds(
    cast, fonti, ciclo_largo, client_for
):
    client = client_for("funzionario")
    for nome in ("assegnazioni", "riparto"):
        pagina = leggi(client.get(url_ciclo(nome, ciclo_largo)))
        assert offerte(pagina, fonti, "codice") == TRASFERIBILI, nome
    pagina = leggi(client.get(url_ciclo("assegnazioni_importa", ciclo_largo)))
    assert "codice di una fonte attiva: FNPS, FNA, FGSA)" in pagina


def test_a_forged_transfer_of_co_financing_is_refused_and_writes_nothing(
    cast, fonti, ciclo_largo, client_for
):
    client = client_for("funzionario")
    dati = {"fonte": "COM", "anno": "2025", "revisione": "0", f"importo_{cast.ambito_a.pk}": "10"}
    pagina = leggi(client.post(url_ciclo("assegnazioni", ciclo_largo), dati, follow=True))
    assert "Scegliere una fonte statale o regionale attiva nel ciclo e uno dei suoi anni." in pagina
    with pytest.raises(ErroreDominio) as errore:
        services.assegnazioni_salva(
            ciclo=ciclo_largo,
            fonte=fonti["COM"],
            anno=2025,
            importi={cast.ambito_a.pk: Decimal("10")},
            revisione=0,
            user=cast.funzionario,
        )
    assert str(errore.value) == f"La fonte «COM» {RIFIUTO_TRASFERIMENTO}"
    assert not Assegnazione.objects.exists()
    assert budget(cast.piano_a) == {}


def test_a_forged_riparto_of_the_asl_share_or_the_residui_is_refused_and_writes_nothing(
    cast, fonti, ciclo_largo, client_for
):
    client = client_for("funzionario")
    for codice in ("ASL", "RES"):
        dati = {
            "fonte": codice,
            "anno": "2025",
            "totale": "1.000,00",
            "peso_popolazione": "100",
            "azione": "applica",
        }
        pagina = leggi(client.post(url_ciclo("riparto", ciclo_largo), dati))
        assert "Scegliere una fonte statale o regionale attiva nel ciclo." in pagina
        with pytest.raises(ErroreDominio, match=f"«{codice}» {RIFIUTO_TRASFERIMENTO}"):
            services.riparto_applica(
                ciclo=ciclo_largo,
                fonte=fonti[codice],
                anno=2025,
                totale=Decimal("1000"),
                pesi={"popolazione": Decimal("100")},
                user=cast.funzionario,
            )
    assert not Assegnazione.objects.exists()


def test_an_import_row_with_municipal_co_financing_is_refused_with_its_line(
    cast, fonti, ciclo_largo, client_for
):
    client = client_for("funzionario")
    testo = "ambito;fonte;anno;importo\nBA01;FNPS;2025;10\nBA02;COM;2025;10\n"
    file = SimpleUploadedFile("a.csv", testo.encode(), content_type="text/csv")
    risposta = client.post(url_ciclo("assegnazioni_importa", ciclo_largo), {"file": file})
    assert [riga for riga, _ in risposta.context["anteprima"].errori] == [3]
    assert f"La fonte «COM» {RIFIUTO_TRASFERIMENTO}" in leggi(risposta)
    client.post(url_ciclo("assegnazioni_importa", ciclo_largo), {"azione": "conferma"})
    assert not Assegnazione.objects.exists()


# --- The district: altre risorse ----------------------------------------------------------------


def test_the_other_resources_page_offers_only_funds_the_district_brings_in(
    cast, fonti, ciclo_largo, client_for
):
    pagina = leggi(client_for("operatore_a").get(url_piano("altre_risorse", cast.piano_a)))
    assert offerte(pagina, fonti, "pk") == ["ASL", "PNRR"]


def test_fnps_posted_as_another_resource_is_refused_and_the_fnps_budget_does_not_move(
    cast, fonti, ciclo_largo, client_for
):
    Assegnazione.objects.create(
        ciclo=ciclo_largo, ambito=cast.ambito_a, fonte=fonti["FNPS"], anno=2025, importo=1000
    )
    prima = budget(cast.piano_a)
    dati = {"fonte": fonti["FNPS"].pk, "anno": "2025", "importo": "500,00", "descrizione": ""}
    client = client_for("operatore_a")
    pagina = leggi(client.post(url_piano("altre_risorse", cast.piano_a), dati))
    assert "Scegliere un'opzione valida" in pagina
    with pytest.raises(ErroreDominio) as errore:
        services.risorsa_aggiuntiva_salva(
            piano=cast.piano_a,
            risorsa=RisorsaAggiuntiva(fonte=fonti["FNPS"], anno=2025, importo=Decimal("500")),
        )
    assert str(errore.value) == (
        "La fonte «FNPS» non può essere usata tra le altre risorse: i fondi statali e regionali "
        "arrivano con i trasferimenti della Regione; cofinanziamento comunale e residui hanno "
        "pagine proprie."
    )
    assert not RisorsaAggiuntiva.objects.exists()
    assert budget(cast.piano_a) == prima == {(fonti["FNPS"].pk, 2025): Decimal("1000.00")}


def pnrr_salvata(cast, fonti, client_for):
    """The district saves PNRR 2025 «1.2», 1.000,00 €: the client, the page and what it posted."""
    client = client_for("operatore_a")
    indirizzo = url_piano("altre_risorse", cast.piano_a)
    dati = {"fonte": fonti["PNRR"].pk, "anno": "2025", "importo": "1.000,00", "descrizione": "1.2"}
    assert client.post(indirizzo, dati).status_code == 302
    return client, indirizzo, dati


def test_a_duplicate_other_resource_is_refused_in_the_page_and_keeps_what_was_typed(
    cast, fonti, ciclo_largo, client_for
):
    client, indirizzo, dati = pnrr_salvata(cast, fonti, client_for)
    risposta = client.post(indirizzo, {**dati, "importo": "2.345,00", "descrizione": " 1.2 "})
    pagina = leggi(risposta)
    assert risposta.status_code == 200
    assert (
        "Esiste già un'altra risorsa PNRR 2025 «1.2» in questo piano: modificare quella invece "
        "di aggiungerne una seconda." in pagina
    )
    assert 'value="2.345,00"' in pagina  # nothing typed is lost
    assert list(RisorsaAggiuntiva.objects.values_list("importo", flat=True)) == [Decimal("1000")]
    assert budget(cast.piano_a) == {(fonti["PNRR"].pk, 2025): Decimal("1000.00")}


def test_the_same_fund_and_year_with_another_description_or_the_row_itself_are_saved(
    cast, fonti, ciclo_largo, client_for
):
    client, indirizzo, dati = pnrr_salvata(cast, fonti, client_for)
    assert client.post(indirizzo, {**dati, "descrizione": "1.3"}).status_code == 302
    prima = RisorsaAggiuntiva.objects.get(descrizione="1.2")
    modifica = reverse("risorse:altra_risorsa_modifica", args=[cast.piano_a.pk, prima.pk])
    assert client.post(modifica, {**dati, "importo": "900,00"}).status_code == 302
    assert sorted(RisorsaAggiuntiva.objects.values_list("descrizione", "importo")) == [
        ("1.2", Decimal("900")),
        ("1.3", Decimal("1000")),
    ]


# --- The district: residui ---------------------------------------------------------------------


def test_the_residui_page_offers_funds_of_origin_never_co_financing_or_the_residui_aggregate(
    cast, fonti, ciclo_largo, client_for
):
    pagina = leggi(client_for("operatore_a").get(url_piano("residui", cast.piano_a)))
    assert offerte(pagina, fonti, "pk") == ["FNPS", "FNA", "FGSA", "ASL", "PNRR"]


def test_a_residuo_posted_on_res_or_com_is_refused_and_the_budget_does_not_move(
    cast, fonti, ciclo_largo, client_for
):
    client = client_for("operatore_a")
    for codice, motivo in [
        ("RES", "indicare il fondo da cui proviene la somma (es. FNPS)."),
        ("COM", "indicare il fondo da cui proviene la somma (es. FNPS)."),
    ]:
        dati = {
            "fonte": fonti[codice].pk,
            "anno_origine": "2024",
            "anno_impiego": "2025",
            "tipo": "residuo",
            "importo": "1.000,00",
            "stato": "stimato",
        }
        assert "Scegliere un'opzione valida" in leggi(
            client.post(url_piano("residui", cast.piano_a), dati)
        )
        residuo = ResiduoEconomia(
            fonte=fonti[codice], anno_origine=2024, anno_impiego=2025, tipo="residuo", importo=1
        )
        with pytest.raises(ErroreDominio) as errore:
            services.residuo_salva(piano=cast.piano_a, residuo=residuo)
        assert str(errore.value) == (
            f"La fonte «{codice}» non può essere usata come fondo di provenienza di residui ed "
            f"economie: {motivo}"
        )
    assert not ResiduoEconomia.objects.exists()
    assert budget(cast.piano_a) == {}


# --- The rule itself -------------------------------------------------------------------------


@pytest.mark.parametrize("uso", UsoFonte.values)
def test_the_funds_a_page_offers_are_those_a_service_accepts(db, uso):
    for livello in FonteFinanziamento.Livello.values:
        FonteFinanziamento.objects.create(
            codice=livello[:10].upper(), nome=livello, livello=livello, sezione="ordinarie"
        )
    offerte = set(FonteFinanziamento.objects.per_uso(uso).values_list("codice", flat=True))
    accettate = {f.codice for f in FonteFinanziamento.objects.all() if f.ammessa(uso)}
    assert offerte == accettate


def test_a_discrepancy_flag_names_only_a_fund_the_region_transfers(cast, fonti, ciclo_largo):
    with pytest.raises(ErroreDominio, match="«ASL» non può essere usata nei trasferimenti"):
        services.segnalazione_crea(
            piano=cast.piano_a, user=cast.operatore_a, nota="Manca la quota ASL", fonte=fonti["ASL"]
        )
    assert not cast.piano_a.segnalazioni.exists()
