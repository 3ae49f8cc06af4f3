"""The intervention sheets and the live panel, as the Ufficio di Piano uses them."""

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pianizona.models import Comune, FonteFinanziamento, Piano
from pianizona.revisioni import revisione_corrente
from programmazione import services
from programmazione.models import (
    Allocazione,
    BeneficiariPrevisti,
    FiguraProfessionale,
    SchedaIntervento,
    Sezione,
    VoceCatalogo,
)
from risorse.models import FonteCiclo

from ..factories import CicloFactory, PianoFactory, UserFactory
from .conftest import assegna, crea_voce

pytestmark = pytest.mark.django_db

EURO = "\xa0€"


def url(nome: str, piano: Piano, **kwargs) -> str:
    return reverse(f"programmazione:{nome}", kwargs={"piano_pk": piano.pk, **kwargs})


def cella(fonte: FonteFinanziamento, anno: int) -> str:
    return f"importo_{fonte.pk}_{anno}"


def dati_scheda(
    voce: VoceCatalogo,
    *,
    revisione: int = 0,
    importi: dict | None = None,
    figure: list[tuple[str, str]] = (),
    **campi,
) -> dict:
    """A sheet's POST body; ``importi`` maps (fonte, anno) to the text typed in the cell."""
    dati = {
        "voce": voce.pk,
        "titolo": "Segretariato sociale d'ambito",
        "descrizione": "Accoglienza e orientamento.",
        "gestione": "diretta",
        "revisione": str(revisione),
        "figure-TOTAL_FORMS": str(len(figure) + 1),
        "figure-INITIAL_FORMS": "0",
    }
    for i, (profilo, fte) in enumerate(figure):
        dati[f"figure-{i}-profilo"] = profilo
        dati[f"figure-{i}-fte"] = fte
    for (fonte, anno), testo in (importi or {}).items():
        dati[cella(fonte, anno)] = testo
    return {**dati, **campi}


def nuova_scheda(piano: Piano, voce: VoceCatalogo, sezione: str = Sezione.AMBITO, **campi):
    dati = {"titolo": f"Intervento {voce.codice}", "gestione": "diretta", **campi}
    return services.scheda_salva(
        piano=piano, scheda=SchedaIntervento(sezione=sezione, voce=voce, **dati)
    )


def alloca(piano: Piano, scheda: SchedaIntervento, importi: dict) -> None:
    services.allocazioni_salva(
        piano=piano,
        scheda=scheda,
        importi={(f.pk, a): i for (f, a), i in importi.items()},
        revisione=revisione_corrente(scheda, services.TABELLA_ALLOCAZIONI),
        user=None,
    )


def contenuto(response) -> str:
    """The page below the header (whose logout form is on every page)."""
    return response.content.decode().split('id="contenuto"')[1]


def riga_pannello(html: str, codice: str, anno: int) -> list[str]:
    """The budget, allocated and 'da programmare' cells of one fund-year row of the panel."""
    pannello = html.split('id="pannello"')[1] if 'id="pannello"' in html else html
    blocco = pannello.split(f"{codice} <span")[1] if codice else pannello
    riga = blocco.split(f">{anno}</th>")[1].split("</tr>")[0]
    return [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", riga)]


# --- Creating and editing sheets ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("sezione", "voce", "fonte", "comune"),
    [
        (Sezione.AMBITO, "segretariato", "FNPS", None),
        (Sezione.COMUNALE, "domiciliare", "FNA", "Valenzano"),
        (Sezione.ALTRE_RISORSE, "pnrr", "PNRR", None),
    ],
)
def test_a_sheet_is_created_in_each_section_with_its_amounts(
    cast, catalogo, budget, client_for, sezione, voce, fonte, comune
):
    client = client_for("operatore_a")
    crea = url("scheda_crea", cast.piano_a, sezione=sezione)
    pagina = client.get(crea).content.decode()
    assert f"{fonte} 2025" in pagina  # each cell has its own (hidden) label
    assert 'name="revisione" value="0"' in pagina

    campi = {}
    if comune:
        campi["comune"] = Comune.objects.get(nome=comune).pk
    dati = dati_scheda(
        getattr(catalogo, voce),
        importi={(budget[fonte], 2025): "12.345,67"},
        figure=[("Assistente sociale", "1,5")],
        beneficiari_2025="40",
        aree_utenza=[catalogo.segretariato.area_utenza.pk],
        **campi,
    )
    response = client.post(crea, dati, follow=True)
    assert response.redirect_chain[-1][0] == url("schede", cast.piano_a)
    scheda = SchedaIntervento.objects.get()
    assert (scheda.sezione, scheda.codice, scheda.voce) == (sezione, "S-1", getattr(catalogo, voce))
    assert scheda.comune == (Comune.objects.get(nome=comune) if comune else None)
    assert list(scheda.allocazioni.values_list("fonte__codice", "anno", "importo")) == [
        (fonte, 2025, Decimal("12345.67"))
    ]
    assert list(scheda.figure.values_list("profilo", "fte")) == [
        ("Assistente sociale", Decimal("1.50"))
    ]
    assert list(scheda.beneficiari.values_list("anno", "numero")) == [(2025, 40)]
    assert list(scheda.aree_utenza.all()) == [catalogo.segretariato.area_utenza]

    html = response.content.decode()
    assert "Scheda S-1 «Segretariato sociale d&#x27;ambito» salvata." in html
    sezione_html = html.split(f'id="sezione-{sezione}"')[1].split("</section>")[0]
    assert "Segretariato sociale d&#x27;ambito" in sezione_html
    assert f"12.345,67{EURO}" in sezione_html
    if comune:
        assert comune in sezione_html


def test_an_unknown_section_is_a_404(cast, catalogo, client_for):
    client = client_for("operatore_a")
    assert client.get(url("scheda_crea", cast.piano_a, sezione="regionale")).status_code == 404
    assert client.post(url("scheda_crea", cast.piano_a, sezione="regionale")).status_code == 404


def test_the_form_offers_only_the_entries_and_municipalities_the_section_allows(
    cast, catalogo, budget, client_for
):
    client = client_for("operatore_a")
    d_ambito = client.get(url("scheda_crea", cast.piano_a, sezione="ambito")).content.decode()
    assert "C3.01 Centro diurno" in d_ambito and "P1.01" not in d_ambito
    assert 'name="comune"' not in d_ambito
    assert "PNRR 2025" not in d_ambito  # another resource: not a fund of this section

    comunale = client.get(url("scheda_crea", cast.piano_a, sezione="comunale")).content.decode()
    assert "C3.01" not in comunale
    assert ">Bari (BA)</option>" in comunale and ">Valenzano (BA)</option>" in comunale
    assert "Altamura" not in comunale  # another ambito's municipality

    altre = client.get(url("scheda_crea", cast.piano_a, sezione="altre_risorse")).content.decode()
    assert "P1.01 Progetto PNRR 1.1.1" in altre and "C3.01" not in altre
    assert "PNRR 2025" in altre and "FNPS 2025" not in altre


def test_a_municipal_sheet_without_a_municipality_is_refused_with_a_message(
    cast, catalogo, budget, client_for
):
    client = client_for("operatore_a")
    crea = url("scheda_crea", cast.piano_a, sezione="comunale")
    response = client.post(crea, dati_scheda(catalogo.segretariato))
    assert response.status_code == 200
    html = response.content.decode()
    assert "nessun dato è stato salvato" in html
    assert (
        '<a href="#id_comune">Comune</a>: Indicare il comune: un servizio a valenza comunale '
        "deve averlo." in html
    )
    altamura = Comune.objects.get(nome="Altamura")
    response = client.post(crea, dati_scheda(catalogo.segretariato, comune=altamura.pk))
    assert (
        "Il comune scelto non appartiene all&#x27;ambito territoriale sociale."
        in response.content.decode()
    )
    assert not SchedaIntervento.objects.exists()


def test_a_one_municipality_district_finds_its_municipality_already_chosen(
    cast, catalogo, budget, client_for
):
    crea = url("scheda_crea", cast.piano_a, sezione="comunale")
    client = client_for("operatore_a")
    assert "selected>Bari (BA)</option>" not in client.get(crea).content.decode()

    Comune.objects.filter(nome="Valenzano").update(ambito=cast.ambito_b)
    pagina = client.get(crea).content.decode()
    assert "selected>Bari (BA)</option>" in pagina


def test_beneficiaries_are_read_with_the_thousands_dot_and_decimals_are_refused(
    cast, catalogo, budget, client_for
):
    client = client_for("operatore_a")
    crea = url("scheda_crea", cast.piano_a, sezione="ambito")
    dati = dati_scheda(catalogo.segretariato, beneficiari_2025="1,5")
    html = client.post(crea, dati).content.decode()
    assert (
        '<a href="#id_beneficiari_2025">Beneficiari previsti 2025</a>: Indicare un numero intero, '
        "senza decimali: ad esempio 1.300." in html
    )
    assert 'value="1,5"' in html
    assert not SchedaIntervento.objects.exists()

    dati = dati_scheda(
        catalogo.segretariato,
        beneficiari_2025="1.300",
        beneficiari_2026="1300",
        beneficiari_2027="1.000",
    )
    client.post(crea, dati)
    scheda = SchedaIntervento.objects.get()
    assert list(scheda.beneficiari.order_by("anno").values_list("anno", "numero")) == [
        (2025, 1300),
        (2026, 1300),
        (2027, 1000),
    ]
    modifica = client.get(url("scheda_modifica", cast.piano_a, pk=scheda.pk)).content.decode()
    assert 'name="beneficiari_2026" value="1.300"' in modifica


def test_an_entry_of_another_section_posted_anyway_is_refused(cast, catalogo, budget, client_for):
    bari = Comune.objects.get(nome="Bari")
    response = client_for("operatore_a").post(
        url("scheda_crea", cast.piano_a, sezione="comunale"),
        dati_scheda(catalogo.centro_diurno, comune=bari.pk),
    )
    assert "La voce scelta non è ammessa in questa sezione." in response.content.decode()
    assert not SchedaIntervento.objects.exists()


def test_bad_input_gets_italian_messages_in_a_summary_linking_to_the_fields_and_keeps_it(
    cast, catalogo, budget, client_for
):
    fnps = budget["FNPS"]
    dati = dati_scheda(
        catalogo.segretariato,
        titolo="",
        importi={(fnps, 2025): "dieci", (fnps, 2026): "-5", (fnps, 2027): "1.000,00"},
        figure=[("Educatore", "0"), ("", "2")],
        beneficiari_2025="-3",
        integrazione_sociosanitaria="on",
    )
    response = client_for("operatore_a").post(
        url("scheda_crea", cast.piano_a, sezione="ambito"), dati
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Alcuni dati non sono validi: nessun dato è stato salvato." in html
    for atteso in [
        '<a href="#id_titolo">Titolo</a>: Indicare il titolo della scheda.',
        f'<a href="#id_{cella(fnps, 2025)}">FNPS 2025</a>: Importo non valido: usare il formato 1.234,56.',
        f'<a href="#id_{cella(fnps, 2026)}">FNPS 2026</a>: L&#x27;importo non può essere negativo.',
        '<a href="#id_figure-0-fte">Unità a tempo pieno, figura 1</a>: Le unità a tempo pieno devono essere maggiori di zero.',
        '<a href="#id_figure-1-profilo">Profilo professionale, figura 2</a>: Indicare il profilo professionale.',
        '<a href="#id_beneficiari_2025">Beneficiari previsti 2025</a>: Il numero non può essere negativo.',
        '<a href="#id_azienda_sanitaria">ASL/AUSL coinvolta</a>: Indicare l&#x27;ASL/AUSL coinvolta',
    ]:
        assert atteso in html, atteso
    for valore in ("dieci", "-5", "1.000,00", "Educatore", "-3"):
        assert f'value="{valore}"' in html, valore
    assert 'aria-invalid="true"' in html
    assert not SchedaIntervento.objects.exists()


def test_the_same_profile_twice_is_refused(cast, catalogo, budget, client_for):
    dati = dati_scheda(catalogo.segretariato, figure=[("Educatore", "1"), ("educatore", "2")])
    response = client_for("operatore_a").post(
        url("scheda_crea", cast.piano_a, sezione="ambito"), dati
    )
    assert "Ogni profilo professionale va indicato una sola volta." in response.content.decode()
    assert not SchedaIntervento.objects.exists()


def test_editing_a_sheet_updates_it_and_removes_profiles_and_emptied_cells(
    cast, catalogo, budget, client_for
):
    fnps = budget["FNPS"]
    scheda = nuova_scheda(cast.piano_a, catalogo.segretariato)
    alloca(cast.piano_a, scheda, {(fnps, 2025): Decimal("1000"), (fnps, 2026): Decimal("2000")})
    services.figure_salva(
        piano=cast.piano_a,
        scheda=scheda,
        figure=[("OSS", Decimal("2")), ("Educatore", Decimal("1"))],
    )
    client = client_for("responsabile_a")
    modifica = url("scheda_modifica", cast.piano_a, pk=scheda.pk)
    pagina = client.get(modifica).content.decode()
    assert 'value="1.000,00"' in pagina and 'value="2.000,00"' in pagina
    assert 'value="Educatore"' in pagina and 'value="2,00"' in pagina  # FTE the Italian way
    assert 'name="revisione" value="1"' in pagina

    dati = dati_scheda(
        catalogo.segretariato,
        revisione=1,
        titolo="Segretariato rinnovato",
        importi={(fnps, 2025): "1.500", (fnps, 2026): ""},
        **{
            "figure-TOTAL_FORMS": "3",
            "figure-INITIAL_FORMS": "2",
            "figure-0-profilo": "Educatore",
            "figure-0-fte": "1",
            "figure-0-DELETE": "on",
            "figure-1-profilo": "OSS",
            "figure-1-fte": "2,5",
        },
    )
    assert client.post(modifica, dati).status_code == 302
    scheda.refresh_from_db()
    assert scheda.titolo == "Segretariato rinnovato"
    assert list(scheda.allocazioni.values_list("anno", "importo")) == [(2025, Decimal("1500"))]
    assert list(scheda.figure.values_list("profilo", "fte")) == [("OSS", Decimal("2.50"))]
    assert revisione_corrente(scheda, services.TABELLA_ALLOCAZIONI) == 2


def test_adding_a_profile_row_keeps_the_input_and_saves_nothing(cast, catalogo, budget, client_for):
    client = client_for("operatore_a")
    crea = url("scheda_crea", cast.piano_a, sezione="ambito")
    dati = dati_scheda(
        catalogo.segretariato,
        titolo="",
        figure=[("Educatore", "1")],
        importi={(budget["FNPS"], 2025): "7.000"},
        azione="aggiungi_figura",
    )
    response = client.post(crea, dati)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="figure-TOTAL_FORMS" value="3"' in html
    assert 'value="Educatore"' in html and 'value="7.000"' in html
    assert "non sono validi" not in html  # an empty title is not an error yet
    nuova_riga = re.search(r'<input[^>]*name="figure-2-profilo"[^>]*>', html).group(0)
    assert "autofocus" in nuova_riga  # the keyboard lands in the new row

    # Through htmx only the profiles' fieldset comes back.
    parziale = client.post(crea, dati, HTTP_HX_REQUEST="true").content.decode()
    assert parziale.startswith('<fieldset id="figure"') and "<html" not in parziale
    assert 'name="figure-TOTAL_FORMS" value="3"' in parziale
    assert not SchedaIntervento.objects.exists()


# --- Budget, over-allocation, conflicts --------------------------------------------------------


def test_allocating_a_sheet_lowers_what_is_left_to_programme_on_the_list_page(
    cast, catalogo, budget, client_for
):
    client = client_for("operatore_a")
    html = client.get(url("schede", cast.piano_a)).content.decode()
    assert riga_pannello(html, "FNPS", 2025) == [
        f"100.000,00{EURO}",
        f"0,00{EURO}",
        f"100.000,00{EURO}",
    ]

    dati = dati_scheda(catalogo.segretariato, importi={(budget["FNPS"], 2025): "60.000,50"})
    client.post(url("scheda_crea", cast.piano_a, sezione="ambito"), dati)

    html = client.get(url("schede", cast.piano_a)).content.decode()
    assert riga_pannello(html, "FNPS", 2025) == [
        f"100.000,00{EURO}",
        f"60.000,50{EURO}",
        f"39.999,50{EURO}",
    ]
    assert riga_pannello(html, "FNPS", 2026)[2] == f"100.000,00{EURO}"
    assert 'id="pannello" aria-live="polite"' in html
    assert "Tutti i controlli della programmazione sono superati." in html


def test_an_over_allocation_is_refused_with_the_precise_message_nothing_saved_input_kept(
    cast, catalogo, budget, client_for
):
    fnps = budget["FNPS"]
    prima = nuova_scheda(cast.piano_a, catalogo.domiciliare)
    alloca(cast.piano_a, prima, {(fnps, 2025): Decimal("60000")})
    dati = dati_scheda(
        catalogo.segretariato,
        importi={(fnps, 2025): "50.000", (fnps, 2026): "10"},
        figure=[("Educatore", "1")],
        beneficiari_2025="12",
    )
    response = client_for("operatore_a").post(
        url("scheda_crea", cast.piano_a, sezione="ambito"), dati
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert (
        "Importi oltre il budget, nulla è stato salvato. FNPS 2025: allocati "
        f"110.000,00{EURO} su un budget di 100.000,00{EURO}, oltre di 10.000,00{EURO}." in html
    )
    assert 'value="50.000"' in html and 'value="Segretariato sociale d&#x27;ambito"' in html
    assert 'name="scheda" value=""' in html  # still a new sheet: saving again creates it
    # The panel shows the picture with the refused amounts, over-allocation in words.
    assert "Con gli importi non ancora salvati di questa scheda." in html
    assert riga_pannello(html, "FNPS", 2025)[2].startswith("-10.000,00")
    assert "Oltre il budget" in riga_pannello(html, "FNPS", 2025)[2]
    assert list(SchedaIntervento.objects.all()) == [prima]
    assert not FiguraProfessionale.objects.exists() and not BeneficiariPrevisti.objects.exists()


def test_an_over_allocating_edit_keeps_the_sheet_as_it_was(cast, catalogo, budget, client_for):
    fnps = budget["FNPS"]
    scheda = nuova_scheda(cast.piano_a, catalogo.segretariato, titolo="Prima")
    alloca(cast.piano_a, scheda, {(fnps, 2025): Decimal("1000")})
    dati = dati_scheda(
        catalogo.segretariato, revisione=1, titolo="Dopo", importi={(fnps, 2025): "100.000,01"}
    )
    response = client_for("operatore_a").post(
        url("scheda_modifica", cast.piano_a, pk=scheda.pk), dati
    )
    assert response.status_code == 422
    assert "oltre di 0,01" in response.content.decode()
    scheda.refresh_from_db()
    assert scheda.titolo == "Prima"
    assert list(scheda.allocazioni.values_list("importo", flat=True)) == [Decimal("1000")]
    assert revisione_corrente(scheda, services.TABELLA_ALLOCAZIONI) == 1


def test_a_stale_page_gets_a_conflict_keeps_the_input_and_overwrites_nothing(
    cast, catalogo, budget, client_for
):
    fnps = budget["FNPS"]
    scheda = nuova_scheda(cast.piano_a, catalogo.segretariato, titolo="Originale")
    collega = UserFactory(first_name="Anna", last_name="Verdi")
    services.allocazioni_salva(  # a colleague saves after our page was loaded at revision 0
        piano=cast.piano_a,
        scheda=scheda,
        importi={(fnps.pk, 2025): Decimal("900")},
        revisione=0,
        user=collega,
    )
    dati = dati_scheda(
        catalogo.segretariato, revisione=0, titolo="Mia modifica", importi={(fnps, 2025): "123,45"}
    )
    response = client_for("operatore_a").post(
        url("scheda_modifica", cast.piano_a, pk=scheda.pk), dati
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "modificati da Anna Verdi" in html
    assert "<h1>Scheda S-1: Originale</h1>" in html  # the saved title, not the one typed
    assert 'value="123,45"' in html and 'value="Mia modifica"' in html
    assert 'name="revisione" value="0"' in html  # saving again conflicts again
    scheda.refresh_from_db()
    assert scheda.titolo == "Originale"
    assert list(scheda.allocazioni.values_list("importo", flat=True)) == [Decimal("900")]


# --- The live panel ----------------------------------------------------------------------------


def test_the_panel_shows_unsaved_amounts_and_the_over_allocation_before_saving(
    cast, catalogo, budget, client_for
):
    fnps = budget["FNPS"]
    scheda = nuova_scheda(cast.piano_a, catalogo.segretariato)
    alloca(cast.piano_a, scheda, {(fnps, 2025): Decimal("30000")})
    altra = nuova_scheda(cast.piano_a, catalogo.domiciliare)
    alloca(cast.piano_a, altra, {(fnps, 2025): Decimal("60000")})

    response = client_for("operatore_a").post(
        url("pannello", cast.piano_a),
        {"scheda": scheda.pk, cella(fnps, 2025): "50.000", cella(fnps, 2026): "1.000"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html  # the partial only
    assert (
        f"FNPS 2025: allocati 110.000,00{EURO} su un budget di 100.000,00{EURO}, oltre di "
        f"10.000,00{EURO}." in html
    )
    assert "Oltre il budget" in html and "1 controllo non superato" in html
    assert "Con gli importi non ancora salvati di questa scheda." in html
    assert f"99.000,00{EURO}" in html  # FNPS 2026 left to programme with the unsaved 1.000
    # Nothing was written.
    assert list(scheda.allocazioni.values_list("anno", "importo")) == [(2025, Decimal("30000"))]
    assert revisione_corrente(scheda, services.TABELLA_ALLOCAZIONI) == 1


def test_the_panel_counts_a_new_sheets_cells_and_ignores_the_ones_not_valid(
    cast, catalogo, budget, client_for
):
    fnps, fna = budget["FNPS"], budget["FNA"]
    client = client_for("operatore_a")
    html = client.post(
        url("pannello", cast.piano_a),
        {
            "scheda": "",
            "sezione": "ambito",
            cella(fnps, 2025): "25.000,00",
            cella(fna, 2025): "non so",
            cella(fnps, 2026): "-4",
        },
    ).content.decode()
    assert riga_pannello(html, "FNPS", 2025) == [
        f"100.000,00{EURO}",
        f"25.000,00{EURO}",
        f"75.000,00{EURO}",
    ]
    assert riga_pannello(html, "FNA", 2025)[1] == f"0,00{EURO}"
    assert riga_pannello(html, "FNPS", 2026)[1] == f"0,00{EURO}"
    assert not SchedaIntervento.objects.exists()


def test_the_panel_follows_the_earmark_with_the_entry_chosen_in_the_form(
    cast, catalogo, vincolo_fnps, client_for
):
    fnps = vincolo_fnps.fonte
    client = client_for("operatore_a")
    dati = {"scheda": "", "sezione": "ambito", cella(fnps, 2025): "100.000"}
    fuori = client.post(url("pannello", cast.piano_a), {**dati, "voce": catalogo.domiciliare.pk})
    assert (
        f"FNPS 2025: all&#x27;area «Infanzia, adolescenza e responsabilità familiari» vanno "
        f"0,00{EURO}" in fuori.content.decode()
    )
    dentro = client.post(url("pannello", cast.piano_a), {**dati, "voce": catalogo.segretariato.pk})
    html = dentro.content.decode()
    assert "FNPS 2025: all&#x27;area" not in html
    assert "FNPS 2026: all&#x27;area" in html  # the other years still miss their share


def test_the_panel_get_is_the_saved_state_and_any_viewer_may_ask_for_it(
    cast, catalogo, budget, client_for
):
    scheda = nuova_scheda(cast.piano_a, catalogo.segretariato)
    alloca(cast.piano_a, scheda, {(budget["FNPS"], 2025): Decimal("40000")})
    for ruolo in ("operatore_a", "funzionario"):
        client = client_for(ruolo)
        html = client.get(url("pannello", cast.piano_a)).content.decode()
        assert riga_pannello(html, "FNPS", 2025)[2] == f"60.000,00{EURO}"
        assert "non ancora salvati" not in html
        # Looking at unsaved numbers writes nothing: the officer may do it too.
        dati = {"scheda": scheda.pk, cella(budget["FNPS"], 2025): "1"}
        assert client.post(url("pannello", cast.piano_a), dati).status_code == 200
    assert client_for("operatore_b").get(url("pannello", cast.piano_a)).status_code == 404


def test_the_sheet_form_posts_to_itself_and_feeds_the_panel_through_htmx(
    cast, catalogo, budget, client_for
):
    html = client_for("operatore_a").get(url("scheda_crea", cast.piano_a, sezione="ambito"))
    html = html.content.decode()
    form = re.search(r"<form method=\"post\" action=\"([^\"]+)\" novalidate>", html)
    assert form and form.group(1) == url("scheda_crea", cast.piano_a, sezione="ambito")
    tabella = html.split('id="allocazioni"')[1].split(">")[0]
    assert f'hx-post="{url("pannello", cast.piano_a)}"' in tabella
    assert 'hx-target="#pannello"' in tabella and "input changed delay:400ms" in tabella
    assert "cella-allocazione" in html
    assert "<script" not in html.split('id="contenuto"')[1]  # CSP: no inline scripts
    assert "onclick" not in html and "hx-on" not in html


def test_a_foreign_sheet_in_the_panel_is_a_404(cast, catalogo, budget, client_for):
    altrove = SchedaIntervento.objects.create(
        piano=cast.piano_b,
        sezione=Sezione.AMBITO,
        voce=catalogo.segretariato,
        numero=1,
        titolo="Altrove",
        gestione="diretta",
    )
    response = client_for("operatore_a").post(url("pannello", cast.piano_a), {"scheda": altrove.pk})
    assert response.status_code == 404


# --- Duplicate, delete, copy forward -----------------------------------------------------------


def test_a_sheet_is_duplicated_with_its_amounts_when_they_fit(cast, catalogo, budget, client_for):
    fnps = budget["FNPS"]
    scheda = nuova_scheda(cast.piano_a, catalogo.segretariato, titolo="Sportello")
    alloca(cast.piano_a, scheda, {(fnps, 2025): Decimal("40000")})
    client = client_for("operatore_a")
    response = client.post(url("scheda_duplica", cast.piano_a, pk=scheda.pk), follow=True)
    copia = SchedaIntervento.objects.get(numero=2)
    assert response.redirect_chain[-1][0] == url("scheda_modifica", cast.piano_a, pk=copia.pk)
    assert "Scheda S-1 duplicata come S-2 «Sportello (copia)», con i suoi importi." in (
        response.content.decode()
    )
    assert list(copia.allocazioni.values_list("importo", flat=True)) == [Decimal("40000")]

    response = client.post(url("scheda_duplica", cast.piano_a, pk=scheda.pk), follow=True)
    html = response.content.decode()
    assert (
        "come S-3 «Sportello (copia)», senza importi: copiati avrebbero superato il budget" in html
    )
    assert not SchedaIntervento.objects.get(numero=3).allocazioni.exists()


def test_a_sheet_is_deleted_after_confirmation(cast, catalogo, budget, client_for):
    scheda = nuova_scheda(cast.piano_a, catalogo.segretariato, titolo="Da togliere")
    alloca(cast.piano_a, scheda, {(budget["FNPS"], 2025): Decimal("5000")})
    client = client_for("operatore_a")
    elimina = url("scheda_elimina", cast.piano_a, pk=scheda.pk)
    html = client.get(elimina).content.decode()
    assert "Eliminare la scheda S-1?" in html and f"5.000,00{EURO}" in html
    response = client.post(elimina, follow=True)
    assert "Scheda S-1 «Da togliere» eliminata." in response.content.decode()
    assert not SchedaIntervento.objects.exists() and not Allocazione.objects.exists()


def test_a_plan_starts_from_the_sheets_of_an_earlier_one(
    cast, catalogo, budget, riferimenti, client_for
):
    vecchio = CicloFactory(regione=cast.regione, anno_inizio=2022, anno_fine=2024)
    precedente = PianoFactory(ambito=cast.ambito_a, ciclo=vecchio, stato=Piano.Stato.APPROVATO)
    for numero, codice in enumerate(["A1.01", "Z9.99"], start=1):
        SchedaIntervento.objects.create(
            piano=precedente,
            sezione=Sezione.AMBITO,
            voce=crea_voce(vecchio, riferimenti, codice, f"Voce {codice}"),
            numero=numero,
            titolo=f"Vecchia {codice}",
            gestione="appalto",
        )
    client = client_for("operatore_a")
    copia = url("schede_copia", cast.piano_a)
    html = client.get(copia).content.decode()
    assert "Piano triennale 2022–2024 (approvato, 2 schede)" in html
    assert "Piano triennale 2025–2027" not in html.split('id="contenuto"')[1].split("<h1")[1]
    assert "Ambito di Altamura" not in html

    response = client.post(copia, {"origine": precedente.pk}, follow=True)
    html = response.content.decode()
    assert "1 scheda copiata da «Piano triennale 2022–2024», senza importi" in html
    assert "Non copiate perché la loro voce manca nel catalogo del ciclo" in html
    assert "S-2 «Vecchia Z9.99» (voce Z9.99)" in html
    [nuova] = SchedaIntervento.objects.filter(piano=cast.piano_a)
    assert (nuova.voce, nuova.in_continuita) == (catalogo.segretariato, True)


def test_copying_from_a_plan_of_another_ambito_is_refused(cast, catalogo, client_for):
    PianoFactory(
        ambito=cast.ambito_a, ciclo=cast.piano_a.ciclo, tipo=Piano.Tipo.ATTUATIVO, anno=2025
    )
    response = client_for("operatore_a").post(
        url("schede_copia", cast.piano_a), {"origine": cast.piano_b.pk}
    )
    assert response.status_code == 200
    assert "Il piano scelto non è un altro piano dell&#x27;ambito." in response.content.decode()
    assert not SchedaIntervento.objects.exists()


# --- Plans that are no longer editable, and who may act ----------------------------------------


def test_a_submitted_plan_shows_its_sheets_without_forms_and_refuses_every_write(
    cast, catalogo, budget, client_for
):
    fnps = budget["FNPS"]
    scheda = nuova_scheda(cast.piano_a, catalogo.segretariato, titolo="Sportello")
    alloca(cast.piano_a, scheda, {(fnps, 2025): Decimal("1234.56")})
    services.figure_salva(piano=cast.piano_a, scheda=scheda, figure=[("OSS", Decimal("2"))])
    Piano.objects.filter(pk=cast.piano_a.pk).update(stato=Piano.Stato.INVIATO)
    client = client_for("operatore_a")

    for indirizzo in [
        url("schede", cast.piano_a),
        url("scheda_modifica", cast.piano_a, pk=scheda.pk),
        url("scheda_crea", cast.piano_a, sezione="ambito"),
        url("scheda_elimina", cast.piano_a, pk=scheda.pk),
        url("schede_copia", cast.piano_a),
    ]:
        response = client.get(indirizzo)
        assert response.status_code == 200, indirizzo
        pagina = contenuto(response)
        assert "Sola lettura" in pagina, indirizzo
        assert "<form" not in pagina and "<input" not in pagina, indirizzo
        assert "/schede/nuova/" not in pagina and "hx-post" not in pagina, indirizzo
    dettaglio = contenuto(client.get(url("scheda_modifica", cast.piano_a, pk=scheda.pk)))
    assert f"1.234,56{EURO}" in dettaglio and "OSS" in dettaglio

    scritture = [
        (url("scheda_crea", cast.piano_a, sezione="ambito"), dati_scheda(catalogo.domiciliare)),
        (
            url("scheda_modifica", cast.piano_a, pk=scheda.pk),
            dati_scheda(catalogo.segretariato, revisione=1, importi={(fnps, 2025): "1"}),
        ),
        (url("scheda_elimina", cast.piano_a, pk=scheda.pk), {}),
        (url("scheda_duplica", cast.piano_a, pk=scheda.pk), {}),
        (url("schede_copia", cast.piano_a), {"origine": cast.piano_a.pk}),
    ]
    for indirizzo, dati in scritture:
        response = client.post(indirizzo, dati, follow=True)
        assert response.redirect_chain, indirizzo
        assert "si può modificare solo in bozza" in response.content.decode(), indirizzo
    assert list(SchedaIntervento.objects.all()) == [scheda]
    assert list(scheda.allocazioni.values_list("importo", flat=True)) == [Decimal("1234.56")]
    assert scheda.titolo == "Sportello"


def test_another_ambitos_user_finds_nothing(cast, catalogo, budget, client_for):
    scheda = nuova_scheda(cast.piano_a, catalogo.segretariato)
    client = client_for("operatore_b")
    for indirizzo in [
        url("schede", cast.piano_a),
        url("scheda_crea", cast.piano_a, sezione="ambito"),
        url("scheda_modifica", cast.piano_a, pk=scheda.pk),
        url("scheda_elimina", cast.piano_a, pk=scheda.pk),
        url("schede_copia", cast.piano_a),
        url("pannello", cast.piano_a),
    ]:
        assert client.get(indirizzo).status_code == 404, indirizzo
    assert client.post(url("scheda_duplica", cast.piano_a, pk=scheda.pk)).status_code == 404
    assert client.post(url("scheda_elimina", cast.piano_a, pk=scheda.pk)).status_code == 404
    assert SchedaIntervento.objects.count() == 1


def test_a_sheet_is_reached_only_through_its_own_plan(cast, catalogo, budget, client_for):
    altra = PianoFactory(
        ambito=cast.ambito_a, ciclo=cast.piano_a.ciclo, tipo=Piano.Tipo.ATTUATIVO, anno=2025
    )
    scheda = nuova_scheda(altra, catalogo.segretariato)
    client = client_for("operatore_a")
    assert client.get(url("scheda_modifica", cast.piano_a, pk=scheda.pk)).status_code == 404
    assert client.post(url("scheda_elimina", cast.piano_a, pk=scheda.pk)).status_code == 404
    assert client.post(url("scheda_duplica", cast.piano_a, pk=scheda.pk)).status_code == 404
    assert SchedaIntervento.objects.count() == 1


def test_the_regional_officer_looks_without_forms_and_may_not_write(
    cast, catalogo, budget, client_for
):
    scheda = nuova_scheda(cast.piano_a, catalogo.segretariato, titolo="Sportello")
    client = client_for("funzionario")
    for indirizzo in [
        url("schede", cast.piano_a),
        url("scheda_modifica", cast.piano_a, pk=scheda.pk),
        url("schede_copia", cast.piano_a),
    ]:
        response = client.get(indirizzo)
        assert response.status_code == 200, indirizzo
        assert "<form" not in contenuto(response), indirizzo
    assert "Sportello" in client.get(url("schede", cast.piano_a)).content.decode()
    for indirizzo, dati in [
        (url("scheda_crea", cast.piano_a, sezione="ambito"), dati_scheda(catalogo.domiciliare)),
        (url("scheda_modifica", cast.piano_a, pk=scheda.pk), dati_scheda(catalogo.segretariato)),
        (url("scheda_elimina", cast.piano_a, pk=scheda.pk), {}),
        (url("scheda_duplica", cast.piano_a, pk=scheda.pk), {}),
        (url("schede_copia", cast.piano_a), {"origine": cast.piano_a.pk}),
    ]:
        assert client.post(indirizzo, dati).status_code == 403, indirizzo
    assert SchedaIntervento.objects.count() == 1


# --- Query counts ------------------------------------------------------------------------------


def _molte_schede(cast, catalogo, budget, quante: int) -> None:
    bari = Comune.objects.get(nome="Bari")
    for i in range(quante):
        sezione = [Sezione.AMBITO, Sezione.COMUNALE, Sezione.ALTRE_RISORSE][i % 3]
        voce = catalogo.pnrr if sezione == Sezione.ALTRE_RISORSE else catalogo.domiciliare
        scheda = nuova_scheda(
            cast.piano_a, voce, sezione, comune=bari if sezione == Sezione.COMUNALE else None
        )
        if sezione == Sezione.ALTRE_RISORSE:
            importi = {(budget["PNRR"], 2025): Decimal("10")}
        else:
            importi = {(budget["FNPS"], a): Decimal("10") for a in (2025, 2026)}
        alloca(cast.piano_a, scheda, importi)
        services.figure_salva(piano=cast.piano_a, scheda=scheda, figure=[("OSS", Decimal(1))])


def test_the_list_page_runs_the_same_queries_however_many_sheets_and_amounts(
    cast, catalogo, vincolo_fnps, budget, client_for, assert_constant_queries
):
    _molte_schede(cast, catalogo, budget, 1)
    client = client_for("operatore_a")
    cresci = lambda: _molte_schede(cast, catalogo, budget, 9)  # noqa: E731
    assert_constant_queries(client, url("schede", cast.piano_a), QUERY_ELENCO, cresci)
    assert_constant_queries(client, url("pannello", cast.piano_a), QUERY_PANNELLO, cresci)


def test_the_sheet_page_runs_the_same_queries_however_many_sheets_and_amounts(
    cast, catalogo, vincolo_fnps, budget, client_for, assert_constant_queries
):
    scheda = nuova_scheda(cast.piano_a, catalogo.segretariato, Sezione.AMBITO)
    alloca(cast.piano_a, scheda, {(budget["FNPS"], 2025): Decimal("1")})
    _molte_schede(cast, catalogo, budget, 1)

    def grow():
        _molte_schede(cast, catalogo, budget, 9)
        alloca(
            cast.piano_a,
            scheda,
            {
                (budget["FNPS"], 2025): Decimal("2"),
                (budget["FNPS"], 2026): Decimal("2"),
                (budget["FNA"], 2025): Decimal("2"),
            },
        )
        services.figure_salva(
            piano=cast.piano_a,
            scheda=scheda,
            figure=[(f"Profilo {i}", Decimal(1)) for i in range(5)],
        )
        services.beneficiari_salva(piano=cast.piano_a, scheda=scheda, numeri={2025: 3, 2026: 4})

    client = client_for("operatore_a")
    modifica = url("scheda_modifica", cast.piano_a, pk=scheda.pk)
    assert_constant_queries(client, modifica, QUERY_SCHEDA, grow)


def _altri_fondi(cast, quanti: int) -> list[FonteFinanziamento]:
    """``quanti`` more regional funds active in the cycle, each with money in every plan year."""
    nuovi = []
    for i in range(FonteFinanziamento.objects.count(), FonteFinanziamento.objects.count() + quanti):
        fonte = FonteFinanziamento.objects.create(
            codice=f"FR{i}", nome=f"Fondo regionale {i}", livello="regionale", ordine=20 + i
        )
        FonteCiclo.objects.create(ciclo=cast.piano_a.ciclo, fonte=fonte, sezione="ordinarie")
        for anno in (2025, 2026, 2027):
            assegna(cast.piano_a, fonte, anno, Decimal("1000.00"))
        nuovi.append(fonte)
    return nuovi


def _salva(client, scheda: SchedaIntervento, importi: dict, figure: list) -> int:
    """Queries of one save of the sheet's page (the POST, not the list it redirects to)."""
    dati = dati_scheda(
        scheda.voce,
        revisione=revisione_corrente(scheda, services.TABELLA_ALLOCAZIONI),
        importi=importi,
        figure=figure,
        beneficiari_2025="12",
    )
    # As the page renders it: the saved profiles are the formset's initial rows.
    dati["figure-INITIAL_FORMS"] = str(scheda.figure.count())
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url("scheda_modifica", scheda.piano, pk=scheda.pk), dati)
    assert response.status_code == 302, contenuto(response)
    return len(queries)


def test_saving_a_sheet_runs_the_same_queries_however_many_funds_rows_and_sheets(
    cast, catalogo, vincolo_fnps, budget, client_for
):
    scheda = nuova_scheda(cast.piano_a, catalogo.segretariato, Sezione.AMBITO)
    alloca(cast.piano_a, scheda, {(budget["FNPS"], 2025): Decimal("1")})
    _molte_schede(cast, catalogo, budget, 1)
    client = client_for("operatore_a")
    client.get(url("schede", cast.piano_a))  # the session and caches, as in query_count
    piccolo = _salva(client, scheda, {(budget["FNPS"], 2025): "5"}, [("OSS", "1")])

    _molte_schede(cast, catalogo, budget, 30)
    fondi = [budget["FNPS"], *_altri_fondi(cast, 6)]
    importi = {(f, a): "7" for f in fondi for a in (2025, 2026, 2027)}
    figure = [(f"Profilo {i}", "0,5") for i in range(8)]
    grande = _salva(client, scheda, importi, figure)

    assert (piccolo, grande) == (QUERY_SALVA, QUERY_SALVA), "le query crescono con i dati"
    assert Allocazione.objects.filter(scheda=scheda).count() == 21
    assert FiguraProfessionale.objects.filter(scheda=scheda).count() == 8
    # Emptying 14 cells removes their rows in one statement, not one per row.
    meno = {(f, a): "7" if a == 2025 else "" for f in fondi for a in (2025, 2026, 2027)}
    assert _salva(client, scheda, meno, figure) == QUERY_SALVA + 1  # one DELETE of the rows
    assert Allocazione.objects.filter(scheda=scheda).count() == 7
    assert FiguraProfessionale.objects.filter(scheda=scheda).count() == 8


def test_the_list_page_runs_the_same_queries_however_many_funds(
    cast, catalogo, vincolo_fnps, budget, client_for, assert_constant_queries
):
    _molte_schede(cast, catalogo, budget, 3)

    def cresci() -> None:
        fondi = _altri_fondi(cast, 6)
        for fonte in fondi:
            scheda = nuova_scheda(cast.piano_a, catalogo.segretariato, Sezione.AMBITO)
            alloca(cast.piano_a, scheda, {(fonte, a): Decimal("10") for a in (2025, 2026, 2027)})

    client = client_for("operatore_a")
    assert_constant_queries(client, url("schede", cast.piano_a), QUERY_ELENCO, cresci)


QUERY_ELENCO = 17
QUERY_SCHEDA = 31  # the budget is read for the allowed funds and again for the panel
QUERY_PANNELLO = 16
# Save POST: the page's forms, the plan locked once with its history snapshot before and after,
# the four services (sheet, staff, beneficiaries, amounts), the change record, the session.
# Was 103: each nested service re-locked the plan and re-read its cycle, and the amounts read
# the budget and the allocated totals twice.
QUERY_SALVA = 88  # the lock reads the plan with its cycle (whether closed) in one query
