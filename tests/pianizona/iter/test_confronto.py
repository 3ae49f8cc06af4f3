"""Comparing plan versions: the comparison on hand-built snapshots, then the pages and the Excel."""

from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from pianizona.iter.confronto.calcolo import Termine, Variazione, confronta
from pianizona.iter.confronto.selettori import (
    Riferimento,
    TerminiNonValidi,
    leggi_anno,
    leggi_riferimenti,
)
from pianizona.iter.istantanee import (
    Colonna,
    Esito,
    Istantanea,
    Tabella,
    Tipo,
    istantanea_del_piano,
)
from pianizona.models import Piano, Transizione, Versione
from programmazione import services
from programmazione.models import SchedaIntervento
from tests.collegamenti import ancore_senza_titolo, indice
from tests.factories import PianoFactory
from tests.programmazione import conftest as programmazione
from tests.programmazione.test_narrativa import scrivi
from tests.programmazione.test_services import alloca, nuova_scheda

# the allocation phase's cast: a catalogue for the cycle and a budget to allocate
fonti = programmazione.fonti
ciclo_configurato = programmazione.ciclo_configurato
riferimenti = programmazione.riferimenti
catalogo = programmazione.catalogo
budget = programmazione.budget

EURO = "\xa0€"

# --- Hand-built snapshots --------------------------------------------------------------------

AMBITO, COMUNALE = "Servizi a valenza d'ambito", "Servizi a valenza comunale"


def tabella_budget(*righe: tuple[str, int, str]) -> Tabella:
    return Tabella(
        "budget",
        "Budget per fondo e anno",
        "Risorse",
        [
            Colonna("fonte", "Fondo", chiave=True),
            Colonna("nome", "Denominazione", etichetta=True),
            Colonna("anno", "Anno", chiave=True),
            Colonna("importo", "Budget", Tipo.EURO),
        ],
        [{"fonte": f, "nome": f"Fondo {f}", "anno": a, "importo": i} for f, a, i in righe],
    )


def tabella_schede(*righe: dict) -> Tabella:
    return Tabella(
        "schede",
        "Schede intervento",
        "Programmazione",
        [
            Colonna("linea", "Scheda", chiave=True, interna=True),
            Colonna("codice", "Codice", etichetta=True),
            Colonna("titolo", "Titolo"),
            Colonna("sezione", "Sezione"),
            Colonna("descrizione", "Descrizione", Tipo.TESTO_LUNGO),
        ],
        [{"descrizione": "", "sezione": AMBITO, **r} for r in righe],
    )


def tabella_allocazioni(*righe: tuple[str, str, int, str], sezioni: dict | None = None) -> Tabella:
    """Rows (sheet lineage, fund, year, amount); the sheet's code is ``S-<lineage>``."""
    sezioni = sezioni or {}
    return Tabella(
        "allocazioni",
        "Allocazioni",
        "Programmazione",
        [
            Colonna("linea", "Scheda", chiave=True, interna=True),
            Colonna("codice", "Codice", etichetta=True),
            Colonna("sezione", "Sezione", etichetta=True),
            Colonna("fonte", "Fondo", chiave=True),
            Colonna("anno", "Anno", chiave=True),
            Colonna("importo", "Importo", Tipo.EURO),
        ],
        [
            {
                "linea": linea,
                "codice": f"S-{linea}",
                "sezione": sezioni.get(linea, AMBITO),
                "fonte": f,
                "anno": a,
                "importo": i,
            }
            for linea, f, a, i in righe
        ],
    )


def tabella_narrativa(**testi: str) -> Tabella:
    return Tabella(
        "narrativa",
        "Parte narrativa",
        "Programmazione",
        [
            Colonna("capitolo", "Capitolo", chiave=True, interna=True),
            Colonna("titolo", "Capitolo", etichetta=True),
            Colonna("testo", "Testo", Tipo.TESTO_LUNGO),
        ],
        [{"capitolo": c, "titolo": c.capitalize(), "testo": t} for c, t in testi.items()],
    )


def termine(codice: str, *tabelle: Tabella, anni=(2025, 2026, 2027)) -> Termine:
    return Termine(codice, codice, Istantanea({"anni": list(anni)}, list(tabelle)), breve=codice)


def riga(tabella, *voci):
    return next(r for r in tabella.righe if r.voci == voci)


# --- Amounts per fund × year -----------------------------------------------------------------


def test_fund_year_amounts_and_differences_are_exact_to_the_cent():
    prima = termine(
        "v1",
        tabella_budget(("FNPS", 2025, "80000.00"), ("FNA", 2025, "50000.00")),
        tabella_allocazioni(
            ("1", "FNPS", 2025, "0.10"), ("2", "FNPS", 2025, "0.20"), ("2", "FNA", 2025, "10.00")
        ),
    )
    dopo = termine(
        "v2",
        tabella_budget(("FNPS", 2025, "100000.01"), ("FNA", 2025, "50000.00")),
        tabella_allocazioni(
            ("1", "FNPS", 2025, "0.10"), ("2", "FNPS", 2025, "0.21"), ("2", "FNA", 2025, "10.00")
        ),
    )

    budget_, allocato, _ = confronta([prima, dopo]).fondi

    fnps = riga(budget_, "FNPS – Fondo FNPS", "2025")
    assert [c.importo for c in fnps.celle] == [Decimal("80000.00"), Decimal("100000.01")]
    variazione = fnps.celle[1].su_precedente
    assert variazione.differenza == Decimal("20000.01")
    assert variazione.percentuale == Decimal("25.00")
    assert (variazione.testo_differenza, variazione.testo_percentuale) == (
        f"+20.000,01{EURO}",
        "+25,00%",
    )
    assert fnps.esito == Esito.MODIFICATA
    assert riga(budget_, "FNA – Fondo FNA", "2025").esito == Esito.INVARIATA
    assert budget_.totale.celle[1].importo == Decimal("150000.01")

    somma = riga(allocato, "FNPS – Fondo FNPS", "2025")
    assert [c.importo for c in somma.celle] == [Decimal("0.30"), Decimal("0.31")]
    assert somma.celle[1].su_precedente.differenza == Decimal("0.01")
    assert allocato.totale.celle[0].importo == Decimal("10.30")


def test_a_fund_appearing_from_zero_is_new_not_a_division_by_zero():
    prima = termine("v1", tabella_budget(("FNPS", 2025, "100.00"), ("FNA", 2025, "0.00")))
    dopo = termine(
        "v2",
        tabella_budget(("FNPS", 2025, "100.00"), ("FNA", 2025, "40.00"), ("PNRR", 2025, "5.00")),
    )

    budget_ = confronta([prima, dopo]).fondi[0]

    for voce in ("FNA – Fondo FNA", "PNRR – Fondo PNRR"):
        nuovo = riga(budget_, voce, "2025")
        assert nuovo.esito == Esito.AGGIUNTA
        assert nuovo.celle[1].su_precedente.percentuale is None
        assert nuovo.celle[1].su_precedente.testo_percentuale == "nuovo"
    assert Variazione(Decimal("0"), Decimal("0")).testo_percentuale == "—"


def test_a_decrease_has_a_minus_sign_and_a_removed_fund_is_said_so():
    prima = termine("v1", tabella_budget(("FNPS", 2025, "200.00"), ("FNA", 2025, "30.00")))
    dopo = termine("v2", tabella_budget(("FNPS", 2025, "150.00")))

    budget_ = confronta([prima, dopo]).fondi[0]

    calo = riga(budget_, "FNPS – Fondo FNPS", "2025").celle[1].su_precedente
    assert (calo.testo_differenza, calo.testo_percentuale, calo.verso) == (
        f"\u221250,00{EURO}",
        "\u221225,00%",
        "diminuzione",
    )
    tolto = riga(budget_, "FNA – Fondo FNA", "2025")
    assert tolto.esito == Esito.RIMOSSA
    assert tolto.celle[1].su_precedente.testo_percentuale == "\u2212100,00%"


def test_three_terms_compare_each_with_the_previous_and_with_the_first():
    termini = [
        termine("t1", tabella_budget(("FNPS", 2025, "100.00"))),
        termine("t2", tabella_budget(("FNPS", 2025, "120.00"))),
        termine("t3", tabella_budget(("FNPS", 2025, "90.00"))),
    ]

    celle = riga(confronta(termini).fondi[0], "FNPS – Fondo FNPS", "2025").celle

    assert celle[0].su_precedente is None
    assert celle[2].su_precedente.differenza == Decimal("-30.00")
    assert celle[2].sul_primo.differenza == Decimal("-10.00")
    assert celle[2].sul_primo.percentuale == Decimal("-10.00")
    assert (celle[1].primo_distinto, celle[2].primo_distinto) == (False, True)


def test_an_annual_plan_is_compared_with_the_triennial_on_its_own_year_only():
    triennale = termine(
        "triennale",
        tabella_budget(
            ("FNPS", 2025, "100.00"), ("FNPS", 2026, "100.00"), ("FNPS", 2027, "100.00")
        ),
    )
    attuativo = termine("2026", tabella_budget(("FNPS", 2026, "110.00")), anni=[2026])

    budget_ = confronta([triennale, attuativo]).fondi[0]

    anno_2026 = riga(budget_, "FNPS – Fondo FNPS", "2026")
    assert anno_2026.celle[1].su_precedente.differenza == Decimal("10.00")
    anno_2027 = riga(budget_, "FNPS – Fondo FNPS", "2027")
    assert not anno_2027.celle[1].coperto  # outside the annual plan: not "removed"
    assert anno_2027.esito == Esito.INVARIATA


# --- Sections and sheets ---------------------------------------------------------------------


def test_sheets_matched_on_lineage_are_added_removed_changed_or_unchanged():
    prima = termine(
        "v1",
        tabella_schede(
            {"linea": "1", "codice": "S-1", "titolo": "Segretariato"},
            {"linea": "2", "codice": "S-2", "titolo": "Trasporto"},
            {"linea": "3", "codice": "S-3", "titolo": "Centro diurno"},
            {"linea": "4", "codice": "S-4", "titolo": "Sportello"},
        ),
        tabella_allocazioni(
            ("1", "FNPS", 2025, "1000.00"),
            ("2", "FNPS", 2025, "500.00"),
            ("3", "FNPS", 2025, "300.00"),
            ("4", "FNPS", 2025, "200.00"),
        ),
    )
    dopo = termine(
        "v2",
        tabella_schede(
            {"linea": "1", "codice": "S-1", "titolo": "Segretariato"},
            {"linea": "3", "codice": "S-2", "titolo": "Centro diurno per anziani"},
            {"linea": "4", "codice": "S-3", "titolo": "Sportello"},
            {"linea": "9", "codice": "S-4", "titolo": "Pronto intervento", "sezione": COMUNALE},
        ),
        tabella_allocazioni(
            ("1", "FNPS", 2025, "1000.00"),
            ("3", "FNPS", 2025, "300.00"),
            ("4", "FNPS", 2025, "250.00"),
            ("9", "FNPS", 2025, "400.00"),
            sezioni={"9": COMUNALE},
        ),
    )

    schede = {s.linea: s for s in confronta([prima, dopo]).schede}

    assert schede["1"].esito == Esito.INVARIATA
    assert schede["2"].esito == Esito.RIMOSSA
    assert schede["2"].celle[1].presente is False
    assert schede["2"].celle[1].su_precedente.testo_differenza == f"\u2212500,00{EURO}"
    assert schede["3"].esito == Esito.MODIFICATA
    assert schede["3"].cosa_cambia == ["Titolo"]
    assert schede["3"].codice == "S-2"  # renumbered: the lineage still matches it
    [titolo] = schede["3"].campi
    assert titolo.valori == [("v1", "Centro diurno"), ("v2", "Centro diurno per anziani")]
    assert schede["4"].esito == Esito.MODIFICATA
    assert schede["4"].cosa_cambia == ["Importi per fondo"]
    assert schede["4"].celle[1].su_precedente.percentuale == Decimal("25.00")
    assert schede["9"].esito == Esito.AGGIUNTA
    assert schede["9"].celle[1].su_precedente.testo_percentuale == "nuovo"
    assert list(schede) == ["1", "3", "4", "9", "2"]  # the newest order, removed sheets last


def test_section_totals_add_up_the_allocations_of_each_section():
    prima = termine(
        "v1",
        tabella_allocazioni(("1", "FNPS", 2025, "1000.10"), ("2", "FNA", 2025, "99.95")),
    )
    dopo = termine(
        "v2",
        tabella_allocazioni(
            ("1", "FNPS", 2025, "1000.10"),
            ("2", "FNA", 2025, "99.95"),
            ("3", "FNPS", 2025, "0.05"),
            sezioni={"3": COMUNALE},
        ),
    )

    sezioni = confronta([prima, dopo]).sezioni

    assert [c.importo for c in riga(sezioni, AMBITO).celle] == [Decimal("1100.05")] * 2
    comunale = riga(sezioni, COMUNALE)
    assert (comunale.esito, comunale.celle[1].importo) == (Esito.AGGIUNTA, Decimal("0.05"))
    assert sezioni.totale.celle[1].importo == Decimal("1100.10")


def test_with_a_year_the_triennial_counts_that_year_and_an_annual_plan_its_own():
    schede = tabella_schede({"linea": "1", "codice": "S-1", "titolo": "Segretariato"})
    triennale = termine(
        "triennale",
        schede,
        tabella_allocazioni(
            ("1", "FNPS", 2025, "100.00"),
            ("1", "FNPS", 2026, "200.00"),
            ("1", "FNPS", 2027, "300.00"),
        ),
    )
    anno_2025 = termine(
        "2025", schede, tabella_allocazioni(("1", "FNPS", 2025, "150.00")), anni=[2025]
    )
    anno_2026 = termine(
        "2026", schede, tabella_allocazioni(("1", "FNPS", 2026, "200.00")), anni=[2026]
    )

    [scheda] = confronta([triennale, anno_2025, anno_2026], anno=2026).schede
    assert [c.importo for c in scheda.celle] == [
        Decimal("200.00"),
        Decimal("150.00"),
        Decimal("200.00"),
    ]
    [tutti_gli_anni] = confronta([triennale, anno_2026]).schede
    assert [c.importo for c in tutti_gli_anni.celle] == [Decimal("600.00"), Decimal("200.00")]


def test_narrative_chapters_say_whether_their_text_changed():
    prima = termine("v1", tabella_narrativa(contesto="Il contesto.", obiettivi="Gli obiettivi."))
    dopo = termine(
        "v2",
        tabella_narrativa(contesto="Il contesto.", obiettivi="Nuovi obiettivi.", rete="La rete."),
    )

    capitoli = {c.capitolo: c for c in confronta([prima, dopo]).capitoli}

    assert capitoli["contesto"].testo_esito == "Invariato"
    assert capitoli["obiettivi"].testo_esito == "Modificato"
    assert capitoli["rete"].testo_esito == "Aggiunto"
    assert capitoli["rete"].celle == [(False, 0, ""), (True, 8, "Aggiunto")]


# --- Reading terms from a URL ----------------------------------------------------------------


def test_terms_are_read_without_repeats_and_malformed_ones_are_refused_in_italian():
    assert leggi_riferimenti(["12-v3", "12-corrente", "12-v3"]) == [
        Riferimento(12, 3),
        Riferimento(12, None),
    ]
    with pytest.raises(TerminiNonValidi, match="non indica una versione"):
        leggi_riferimenti(["12-v"])
    with pytest.raises(TerminiNonValidi):
        leggi_riferimenti(["1234567890-v1"])
    with pytest.raises(TerminiNonValidi, match="al massimo 6"):
        leggi_riferimenti([f"{n}-corrente" for n in range(7)])
    with pytest.raises(TerminiNonValidi, match="non è un anno"):
        leggi_anno("20x6")
    assert leggi_anno("") is None


# --- The pages -------------------------------------------------------------------------------


def congela(piano: Piano, user, *, approvata_da=None) -> Versione:
    """Freeze the plan's content as its next version, as a submission does."""
    numero = piano.versioni.count() + 1
    istantanea = istantanea_del_piano(piano)
    versione = Versione.objects.create(
        piano=piano,
        numero=numero,
        creata_da=user,
        contenuto=istantanea.as_dict(),
        impronta=istantanea.impronta(),
    )
    if approvata_da is not None:
        Transizione.objects.create(
            piano=piano,
            azione=Transizione.Azione.APPROVAZIONE,
            da_stato=Piano.Stato.IN_ISTRUTTORIA,
            a_stato=Piano.Stato.APPROVATO,
            utente=approvata_da,
            versione=versione,
        )
    return versione


@pytest.fixture
def piano_con_versione(cast, catalogo, budget):
    """piano_a frozen as version 1, then changed: one sheet's amount, one removed, one added."""
    piano, fnps = cast.piano_a, budget["FNPS"]
    sportello = nuova_scheda(piano, catalogo.segretariato, titolo="Sportello sociale")
    alloca(piano, sportello, {(fnps, 2025): Decimal("10000.00")})
    trasporto = nuova_scheda(piano, catalogo.domiciliare, titolo="Trasporto disabili")
    alloca(piano, trasporto, {(fnps, 2025): Decimal("5000.00")})
    stabile = nuova_scheda(piano, catalogo.segretariato, titolo="Pronto intervento")
    alloca(piano, stabile, {(fnps, 2026): Decimal("700.00")})
    scrivi(piano, "contesto", "Il contesto dell'ambito.")
    versione = congela(piano, cast.responsabile_a)

    alloca(piano, sportello, {(fnps, 2025): Decimal("12500.00")})
    services.scheda_elimina(piano=piano, scheda=trasporto)
    nuova = nuova_scheda(piano, catalogo.domiciliare, titolo="Assistenza domiciliare anziani")
    alloca(piano, nuova, {(fnps, 2025): Decimal("3000.00")})
    scrivi(piano, "contesto", "Il contesto dell'ambito, aggiornato.")
    return versione


def url_confronto(piano: Piano, *codici: str, nome: str = "piano_confronto", **altro) -> str:
    parametri = "&".join([f"t={c}" for c in codici] + [f"{k}={v}" for k, v in altro.items()])
    return reverse(nome, args=[piano.pk]) + (f"?{parametri}" if parametri else "")


def riga_html(html: str, testo: str) -> str:
    """The table row holding ``testo``."""
    inizio = html.rindex("<tr", 0, html.index(testo))
    return html[inizio : html.index("</tr>", inizio)]


@pytest.mark.django_db
def test_the_chosen_versions_show_added_removed_and_changed_sheets_with_amounts(
    cast, client_for, piano_con_versione
):
    piano = cast.piano_a
    response = client_for("operatore_a").get(
        url_confronto(piano, f"{piano.pk}-corrente", f"{piano.pk}-v1")
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "Triennale 2025–2027 · v1" in html and "Triennale 2025–2027 · attuale" in html
    assert html.index("Triennale 2025–2027 · v1</strong>") < html.index(
        "Triennale 2025–2027 · attuale</strong>"
    )  # oldest first, whatever the order asked
    sportello = riga_html(html, "Sportello sociale")
    assert "Modificata</span>" in sportello
    assert f"12.500,00{EURO}" in sportello and f"+2.500,00{EURO} (+25,00%)" in sportello
    assert "Importi per fondo" in sportello
    trasporto = riga_html(html, "Trasporto disabili")
    assert "Rimossa</span>" in trasporto and "assente" in trasporto
    assert f"\u22125.000,00{EURO} (\u2212100,00%)" in trasporto
    nuova = riga_html(html, "Assistenza domiciliare anziani")
    assert "Aggiunta</span>" in nuova and f"+3.000,00{EURO} (nuovo)" in nuova
    assert "Invariata" in riga_html(html, "Pronto intervento")
    assert "Modificato" in riga_html(html, "Analisi del contesto")
    allocato = html[html.index("Allocato alle schede per fondo e anno") :]
    assert f"15.000,00{EURO}" in riga_html(allocato, "FNPS")  # 10.000 + 5.000 in 2025, then
    assert f"15.500,00{EURO}" in riga_html(allocato, "FNPS")  # 12.500 + 3.000


@pytest.mark.django_db
def test_only_the_changes_can_be_shown(cast, client_for, piano_con_versione):
    piano = cast.piano_a
    html = (
        client_for("operatore_a")
        .get(url_confronto(piano, f"{piano.pk}-v1", f"{piano.pk}-corrente", solo="differenze"))
        .content.decode()
    )
    assert "Sportello sociale" in html
    assert "Pronto intervento" not in html
    assert "Mostra tutte le righe" in html


@pytest.mark.django_db
def test_the_form_offers_every_version_and_current_content_of_the_cycles_plans(
    cast, client_for, piano_con_versione
):
    attuativo = PianoFactory(
        ambito=cast.ambito_a, ciclo=cast.piano_a.ciclo, tipo=Piano.Tipo.ATTUATIVO, anno=2026
    )
    html = client_for("funzionario").get(url_confronto(cast.piano_a)).content.decode()

    assert f'value="{cast.piano_a.pk}-v1"' in html
    assert (
        f'<label class="form-check-label" for="termine-{cast.piano_a.pk}-v1">Versione 1 del '
        in html
    )
    assert f'value="{attuativo.pk}-corrente"' in html
    assert '<label for="id_anno">' in html
    assert f'value="{cast.piano_b.pk}-corrente"' not in html  # another ambito


@pytest.mark.django_db
def test_a_plan_of_another_ambito_or_a_missing_version_is_not_found(
    cast, client_for, piano_con_versione
):
    piano = cast.piano_a
    altro = f"{cast.piano_b.pk}-corrente"
    assert (
        client_for("operatore_a").get(url_confronto(piano, f"{piano.pk}-v1", altro)).status_code
        == 404
    )
    # the officer sees both ambiti, but a comparison stays within one
    assert (
        client_for("funzionario").get(url_confronto(piano, f"{piano.pk}-v1", altro)).status_code
        == 404
    )
    assert (
        client_for("operatore_a")
        .get(url_confronto(piano, f"{piano.pk}-v1", f"{piano.pk}-v9"))
        .status_code
        == 404
    )
    assert (
        client_for("operatore_a")
        .get(url_confronto(piano, "999999-v1", f"{piano.pk}-v1"))
        .status_code
        == 404
    )


@pytest.mark.django_db
def test_malformed_terms_are_a_bad_request_that_says_why(cast, client_for, piano_con_versione):
    client = client_for("operatore_a")
    piano = cast.piano_a

    response = client.get(url_confronto(piano, "v1", f"{piano.pk}-corrente"))
    assert response.status_code == 400
    assert "«v1» non indica una versione" in response.content.decode()

    response = client.get(
        url_confronto(piano, f"{piano.pk}-v1", f"{piano.pk}-corrente", anno="2031")
    )
    assert response.status_code == 400
    assert "Nessuno dei piani confrontati riguarda l&#x27;anno 2031." in response.content.decode()

    response = client.get(url_confronto(piano, f"{piano.pk}-v1"))
    assert response.status_code == 200
    assert "Scegliere almeno due versioni da confrontare." in response.content.decode()


@pytest.fixture
def ciclo_con_attuativi(cast, catalogo, budget, fonti):
    """The triennial plan approved (v1), the 2025 annual plan approved, the 2026 one in draft.

    The annual plans copy the triennial's sheets, so each sheet keeps its lineage.
    """
    triennale, fnps = cast.piano_a, budget["FNPS"]
    sportello = nuova_scheda(triennale, catalogo.segretariato, titolo="Sportello sociale")
    alloca(
        triennale, sportello, {(fnps, 2025): Decimal("1000.00"), (fnps, 2026): Decimal("2000.00")}
    )
    congela(triennale, cast.responsabile_a, approvata_da=cast.funzionario)
    Piano.objects.filter(pk=triennale.pk).update(stato=Piano.Stato.APPROVATO)

    piani = {}
    for anno in (2025, 2026):
        piano = PianoFactory(
            ambito=cast.ambito_a, ciclo=triennale.ciclo, tipo=Piano.Tipo.ATTUATIVO, anno=anno
        )
        services.piano_copia_schede(origine=triennale, destinazione=piano)
        piani[anno] = piano
    [copia] = SchedaIntervento.objects.filter(piano=piani[2025])
    alloca(piani[2025], copia, {(fnps, 2025): Decimal("1200.00")})
    congela(piani[2025], cast.responsabile_a, approvata_da=cast.funzionario)
    Piano.objects.filter(pk=piani[2025].pk).update(stato=Piano.Stato.APPROVATO)
    [copia] = SchedaIntervento.objects.filter(piano=piani[2026])
    alloca(piani[2026], copia, {(fnps, 2026): Decimal("2500.00")})
    return piani


@pytest.mark.django_db
def test_the_standard_view_of_an_annual_plan_goes_from_the_triennial_through_earlier_years(
    cast, client_for, ciclo_con_attuativi
):
    piano = ciclo_con_attuativi[2026]
    response = client_for("responsabile_a").get(
        reverse("piano_confronto_standard", args=[piano.pk])
    )

    assert response.status_code == 200
    html = response.content.decode()
    versioni = html[html.index('id="titolo-versioni"') : html.index('id="titolo-fondi"')]
    assert versioni.index("Triennale 2025–2027 · v1") < versioni.index("Attuativo 2025 · v1")
    assert versioni.index("Attuativo 2025 · v1") < versioni.index("Attuativo 2026 · attuale")
    assert "approvata" in versioni
    sportello = riga_html(html, "Sportello sociale")
    # 2026: the triennial's 2.000 for that year, the 2025 plan's own 1.200, this plan's 2.500
    assert "Modificata</span>" in sportello
    assert f"2.000,00{EURO}" in sportello and f"1.200,00{EURO}" in sportello
    assert f"+1.300,00{EURO} (+108,33%)" in sportello
    assert f"+500,00{EURO} (+25,00%)" in sportello  # against the triennial
    budget_ = html[html.index("Budget per fondo e anno") :]
    assert "fuori periodo" in riga_html(budget_, "<td>2027</td>")


@pytest.mark.django_db
def test_the_standard_view_of_a_triennial_plan_compares_its_versions(
    cast, client_for, piano_con_versione
):
    html = (
        client_for("funzionario")
        .get(reverse("piano_confronto_standard", args=[cast.piano_a.pk]))
        .content.decode()
    )
    assert "Triennale 2025–2027 · v1" in html and "Triennale 2025–2027 · attuale" in html
    assert "Rimossa</span>" in riga_html(html, "Trasporto disabili")


@pytest.mark.django_db
def test_the_standard_view_says_when_there_is_nothing_to_compare(cast, client_for):
    html = (
        client_for("operatore_a")
        .get(reverse("piano_confronto_standard", args=[cast.piano_a.pk]))
        .content.decode()
    )
    assert "Nulla da confrontare per ora" in html
    assert "la prima si crea con l'invio alla Regione" in html


@pytest.mark.django_db
def test_the_excel_export_holds_the_numbers_formats_and_a_legend(
    cast, client_for, piano_con_versione
):
    piano = cast.piano_a
    response = client_for("operatore_a").get(
        url_confronto(piano, f"{piano.pk}-v1", f"{piano.pk}-corrente", nome="piano_confronto_xlsx")
    )

    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="confronto-ba01-triennale-2025-v1-triennale-2025-corrente.xlsx"'
    )
    cartella = load_workbook(BytesIO(response.content))
    assert cartella.sheetnames == ["Fondi e anni", "Sezioni", "Schede", "Narrativa", "Legenda"]
    schede = cartella["Schede"]
    intestazione = [c.value for c in schede[1]]
    assert intestazione[:6] == [
        "Codice",
        "Titolo",
        "Sezione",
        "Esito",
        "Triennale 2025–2027 · v1",
        "Triennale 2025–2027 · attuale",
    ]
    righe = {r[1]: r for r in schede.iter_rows(min_row=2, values_only=True)}
    sportello = righe["Sportello sociale"]
    assert sportello[3:8] == ("Modificata", 10000, 12500, 2500, 0.25)
    cella = schede.cell(list(righe).index("Sportello sociale") + 2, 6)
    assert cella.number_format == "#,##0.00 €"
    assert cella.fill.fgColor.rgb.endswith("FFF2CC")
    assert righe["Trasporto disabili"][3:6] == ("Rimossa", 5000, "assente")
    assert righe["Assistenza domiciliare anziani"][7] == "nuovo"
    fondi = {
        (r[0], r[1], r[2]): r
        for r in cartella["Fondi e anni"].iter_rows(min_row=2, values_only=True)
    }
    allocato = fondi[
        (
            "Allocato alle schede per fondo e anno",
            "FNPS – Fondo Nazionale Politiche Sociali",
            2025,
        )
    ]
    assert allocato[3:7] == ("Modificata", 15000, 15500, 500)
    legenda = [r[0] for r in cartella["Legenda"].iter_rows(values_only=True)]
    assert "Aggiunta" in legenda and "Modificata" in legenda


@pytest.mark.django_db
def test_the_excel_of_the_standard_view_needs_no_terms(cast, client_for, ciclo_con_attuativi):
    piano = ciclo_con_attuativi[2026]
    response = client_for("funzionario").get(reverse("piano_confronto_xlsx", args=[piano.pk]))
    assert response.status_code == 200
    assert "confronto-ba01-attuativo-2026-standard.xlsx" in response["Content-Disposition"]
    intestazione = [c.value for c in load_workbook(BytesIO(response.content))["Sezioni"][1]]
    assert intestazione[2:4] == ["Triennale 2025–2027 · v1", "Attuativo 2025 · v1"]


@pytest.mark.django_db
def test_the_excel_refuses_a_comparison_of_nothing(cast, client_for):
    response = client_for("operatore_a").get(
        reverse("piano_confronto_xlsx", args=[cast.piano_a.pk])
    )
    assert response.status_code == 400
    assert "Scegliere almeno due versioni da confrontare." in response.content.decode()


@pytest.mark.django_db
def test_the_comparison_pages_run_the_same_queries_however_many_sheets(
    cast, client_for, catalogo, budget, piano_con_versione, assert_constant_queries
):
    piano, fnps = cast.piano_a, budget["FNPS"]

    def altre_schede():
        for n in range(4):
            scheda = nuova_scheda(piano, catalogo.segretariato, titolo=f"Altra {n}")
            alloca(piano, scheda, {(fnps, 2027): Decimal("10.00")})
        congela(piano, cast.responsabile_a)

    client = client_for("operatore_a")
    scelta = url_confronto(piano, f"{piano.pk}-v1", f"{piano.pk}-corrente")
    standard = reverse("piano_confronto_standard", args=[piano.pk])
    assert_constant_queries(client, scelta, 29, altre_schede)
    assert_constant_queries(client, standard, 29, altre_schede)


def test_a_sheet_that_came_and_went_between_the_first_and_last_term_is_removed():
    vuoto = tabella_schede()
    con_scheda = tabella_schede({"linea": "7", "codice": "S-7", "titolo": "Progetto ponte"})
    termini = [termine("t1", vuoto), termine("t2", con_scheda), termine("t3", vuoto)]

    confronto = confronta(termini)

    [scheda] = confronto.schede
    assert (scheda.esito, scheda.esiti) == (Esito.RIMOSSA, [None, Esito.AGGIUNTA, Esito.RIMOSSA])
    assert ("rimossa", "rimossa", 1) in confronto.conteggio_schede
    assert ("modificata", "modificate", 0) in confronto.conteggio_schede


def test_a_plan_of_another_cycle_has_no_total_for_years_it_does_not_cover():
    vecchio = termine("vecchio", tabella_budget(("FNPS", 2024, "90.00")), anni=[2022, 2023, 2024])
    nuovo = termine("nuovo", tabella_budget(("FNPS", 2025, "100.00")), anni=[2025])

    budget_ = confronta([vecchio, nuovo]).fondi[0]

    assert [c.coperto for c in budget_.totale.celle] == [True, True]
    assert [c.importo for c in budget_.totale.celle] == [Decimal("90.00"), Decimal("100.00")]
    solo_nuovo = confronta([termine("a", anni=[2022]), nuovo]).fondi[0]
    assert [c.coperto for c in solo_nuovo.totale.celle] == [False, True]


@pytest.mark.django_db
def test_the_choice_of_versions_names_a_version_sent_back_by_its_outcome(
    cast, client_for, piano_con_versione
):
    Transizione.objects.create(
        piano=cast.piano_a,
        azione=Transizione.Azione.RICHIESTA_INTEGRAZIONI,
        da_stato=Piano.Stato.IN_ISTRUTTORIA,
        a_stato=Piano.Stato.RICHIESTA_INTEGRAZIONI,
        utente=cast.funzionario,
        commento="Manca la quota di Valenzano.",
        versione=piano_con_versione,
    )
    html = client_for("responsabile_a").get(url_confronto(cast.piano_a)).content.decode()
    assert ", integrazioni richieste</label>" in html.split("Versione 1 del ")[1]


@pytest.mark.django_db
def test_the_long_comparison_opens_with_its_figures_and_an_index_of_its_sections(
    cast, client_for, piano_con_versione
):
    piano = cast.piano_a
    html = (
        client_for("operatore_a")
        .get(url_confronto(piano, f"{piano.pk}-corrente", f"{piano.pk}-v1"))
        .content.decode()
    )

    sintesi = html[
        html.index('id="titolo-sintesi"') : html.index(
            "</section>", html.index('id="titolo-sintesi"')
        )
    ]
    assert "Schede che cambiano" in sintesi and "3 su 4" in sintesi  # of 4: 1 unchanged
    assert "1 aggiunta, 1 rimossa, 1 modificata" in sintesi
    assert "Capitoli che cambiano" in sintesi
    assert [testo for testo, _ in indice(html)] == [
        "Versioni confrontate",
        "Fondi e anni",
        "Sezioni",
        "Schede intervento",
        "Parte narrativa",
    ]
    assert ancore_senza_titolo(html) == []
    assert html.index("Indice della pagina") < html.index('id="titolo-versioni"')
