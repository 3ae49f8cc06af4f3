"""A plan's change history: every write recorded with who, when, what, old → new; the page to read it."""

import io
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import tablib
from django.urls import reverse

from pianizona.dominio import PianoNonModificabile
from pianizona.models import Comune, Modifica, Piano, Transizione, VoceModifica
from pianizona.revisioni import revisione_corrente
from programmazione import foglio
from programmazione import services as programmazione_services
from programmazione.models import SchedaIntervento, Sezione
from risorse import services as risorse_services
from risorse.models import ResiduoEconomia
from tests.factories import UserFactory
from tests.programmazione import conftest as programmazione_conftest

pytestmark = pytest.mark.django_db

fonti = programmazione_conftest.fonti
ciclo_configurato = programmazione_conftest.ciclo_configurato
riferimenti = programmazione_conftest.riferimenti
catalogo = programmazione_conftest.catalogo
budget = programmazione_conftest.budget

ROMA = ZoneInfo("Europe/Rome")
EURO = "\xa0€"


def url(nome: str, piano: Piano) -> str:
    return reverse(nome, kwargs={"pk": piano.pk})


def voci(modifica: Modifica) -> list[tuple[str, str, str, str, str, str]]:
    return [
        (v.tabella, v.riga, v.campo, v.tipo, v.prima, v.dopo) for v in modifica.voci.order_by("pk")
    ]


def residuo(piano: Piano, fonti, **campi) -> ResiduoEconomia:
    dati = {
        "fonte": fonti["FNPS"],
        "tipo": ResiduoEconomia.Tipo.RESIDUO,
        "anno_origine": 2024,
        "anno_impiego": 2025,
        "importo": Decimal("1234.50"),
        **campi,
    }
    return ResiduoEconomia(**dati)


def cofinanzia(piano: Piano, importi: dict[tuple[Comune, int], Decimal | None], user) -> None:
    risorse_services.cofinanziamento_salva(
        piano=piano,
        importi={(c.pk, anno): v for (c, anno), v in importi.items()},
        revisione=revisione_corrente(piano, risorse_services.TABELLA_COFINANZIAMENTO),
        user=user,
    )


def scrivi(piano: Piano, capitolo: str, testo: str, user) -> None:
    programmazione_services.narrativa_salva(
        piano=piano,
        capitolo=capitolo,
        testo=testo,
        revisione=revisione_corrente(
            piano, f"{programmazione_services.TABELLA_NARRATIVA}:{capitolo}"
        ),
        user=user,
    )


def nuova_scheda(piano: Piano, voce, user, titolo: str = "Porta unica di accesso"):
    return programmazione_services.scheda_salva(
        piano=piano,
        scheda=SchedaIntervento(
            sezione=Sezione.AMBITO, voce=voce, titolo=titolo, gestione="diretta"
        ),
        user=user,
    )


def alloca(piano: Piano, scheda: SchedaIntervento, importi: dict, user) -> None:
    programmazione_services.allocazioni_salva(
        piano=piano,
        scheda=scheda,
        importi={(f.pk, a): i for (f, a), i in importi.items()},
        revisione=revisione_corrente(scheda, programmazione_services.TABELLA_ALLOCAZIONI),
        user=user,
    )


def data_della(modifica: Modifica, quando: datetime) -> None:
    Modifica.objects.filter(pk=modifica.pk).update(eseguita_il=quando)


# --- Recording --------------------------------------------------------------------------------


def test_saving_a_residuo_records_who_what_and_the_new_values(cast, fonti, ciclo_configurato):
    risorse_services.residuo_salva(
        piano=cast.piano_a, residuo=residuo(cast.piano_a, fonti), user=cast.operatore_a
    )
    modifica = Modifica.objects.get()
    assert modifica.piano == cast.piano_a
    assert modifica.utente == cast.operatore_a
    assert modifica.operazione == "Residuo o economia salvato"
    assert modifica.origine == Modifica.Origine.MODULO
    assert voci(modifica) == [
        ("Residui ed economie", "FNPS", "Tipo", "aggiunta", "", "Residuo"),
        ("Residui ed economie", "FNPS", "Anno di provenienza", "aggiunta", "", "2024"),
        ("Residui ed economie", "FNPS", "Anno di impiego", "aggiunta", "", "2025"),
        ("Residui ed economie", "FNPS", "Stato", "aggiunta", "", "Stimato"),
        ("Residui ed economie", "FNPS", "Importo", "aggiunta", "", f"1.234,50{EURO}"),
    ]


def test_changing_a_residuo_records_only_the_fields_that_changed_old_and_new(
    cast, fonti, ciclo_configurato
):
    riga = risorse_services.residuo_salva(
        piano=cast.piano_a, residuo=residuo(cast.piano_a, fonti), user=cast.operatore_a
    )
    riga.importo = Decimal("2000")
    riga.stato = ResiduoEconomia.Stato.CONFERMATO
    risorse_services.residuo_salva(piano=cast.piano_a, residuo=riga, user=cast.responsabile_a)
    ultima = Modifica.objects.filter(piano=cast.piano_a).first()  # newest first
    assert ultima.utente == cast.responsabile_a
    assert voci(ultima) == [
        ("Residui ed economie", "FNPS", "Stato", "modifica", "Stimato", "Confermato"),
        (
            "Residui ed economie",
            "FNPS",
            "Importo",
            "modifica",
            f"1.234,50{EURO}",
            f"2.000,00{EURO}",
        ),
    ]


def test_moving_a_residuo_to_another_fund_is_recorded(cast, fonti, ciclo_configurato):
    riga = risorse_services.residuo_salva(
        piano=cast.piano_a, residuo=residuo(cast.piano_a, fonti), user=cast.operatore_a
    )
    riga.fonte = fonti["FNA"]
    risorse_services.residuo_salva(piano=cast.piano_a, residuo=riga, user=cast.operatore_a)
    ultima = Modifica.objects.filter(piano=cast.piano_a).first()
    assert ultima.operazione == "Residuo o economia salvato"
    # The fund is part of the row's identity: the FNPS row goes, an FNA row comes.
    righe = {(riga, tipo) for _, riga, _, tipo, _, _ in voci(ultima)}
    assert righe == {("FNPS", "rimozione"), ("FNA", "aggiunta")}
    assert ("Residui ed economie", "FNA", "Importo", "aggiunta", "", f"1.234,50{EURO}") in voci(
        ultima
    )


def test_deleting_a_residuo_records_the_removed_values(cast, fonti, ciclo_configurato):
    riga = risorse_services.residuo_salva(
        piano=cast.piano_a, residuo=residuo(cast.piano_a, fonti), user=cast.operatore_a
    )
    risorse_services.residuo_elimina(piano=cast.piano_a, residuo=riga, user=cast.operatore_a)
    ultima = Modifica.objects.filter(piano=cast.piano_a).first()
    assert ultima.operazione == "Residuo o economia eliminato"
    assert ("Residui ed economie", "FNPS", "Importo", "rimozione", f"1.234,50{EURO}", "") in voci(
        ultima
    )


def test_saving_the_cofinancing_table_records_each_cell_that_changed(
    cast, fonti, ciclo_configurato
):
    bari = Comune.objects.get(nome="Bari")
    valenzano = Comune.objects.get(nome="Valenzano")
    cofinanzia(
        cast.piano_a,
        {(bari, 2025): Decimal("700000"), (valenzano, 2025): Decimal("40000")},
        cast.operatore_a,
    )
    cofinanzia(
        cast.piano_a,
        {(bari, 2025): Decimal("700000"), (valenzano, 2025): None, (bari, 2026): Decimal("1")},
        cast.operatore_a,
    )
    ultima = Modifica.objects.filter(piano=cast.piano_a).first()
    assert ultima.operazione == "Cofinanziamento comunale salvato"
    assert voci(ultima) == [
        (
            "Cofinanziamento comunale",
            "Valenzano · 2025",
            "Importo",
            "rimozione",
            f"40.000,00{EURO}",
            "",
        ),
        ("Cofinanziamento comunale", "Bari · 2026", "Importo", "aggiunta", "", f"1,00{EURO}"),
    ]


def test_declaring_zero_cofinancing_is_recorded_too(cast, fonti, ciclo_configurato):
    # Zero is an answer ("the municipality gives nothing"), unlike a cell left empty.
    bari = Comune.objects.get(nome="Bari")
    cofinanzia(cast.piano_a, {(bari, 2025): Decimal("0")}, cast.operatore_a)
    assert voci(Modifica.objects.get()) == [
        ("Cofinanziamento comunale", "Bari · 2025", "Importo", "aggiunta", "", f"0,00{EURO}")
    ]
    cofinanzia(cast.piano_a, {(bari, 2025): None}, cast.operatore_a)
    assert voci(Modifica.objects.first()) == [
        ("Cofinanziamento comunale", "Bari · 2025", "Importo", "rimozione", f"0,00{EURO}", "")
    ]


def test_a_narrative_chapter_is_recorded_with_its_old_and_new_text(cast):
    scrivi(cast.piano_a, "contesto", "Prima versione.", cast.operatore_a)
    scrivi(cast.piano_a, "contesto", "Seconda versione.", cast.responsabile_a)
    ultima = Modifica.objects.filter(piano=cast.piano_a).first()
    assert ultima.operazione == "Parte narrativa salvata"
    assert voci(ultima) == [
        (
            "Parte narrativa",
            "Analisi del contesto",
            "Testo",
            "modifica",
            "Prima versione.",
            "Seconda versione.",
        )
    ]


def test_allocations_are_recorded_per_sheet_fund_and_year(cast, catalogo, budget):
    scheda = nuova_scheda(cast.piano_a, catalogo.segretariato, cast.operatore_a)
    alloca(cast.piano_a, scheda, {(budget["FNPS"], 2025): Decimal("30000")}, cast.operatore_a)
    ultima = Modifica.objects.filter(piano=cast.piano_a).first()
    assert ultima.operazione == "Importi della scheda salvati"
    [(tabella, riga, campo, tipo, prima, dopo)] = voci(ultima)
    assert tabella == "Allocazioni per scheda, fondo e anno"
    assert riga.startswith("S-1 · Porta unica di accesso") and riga.endswith("FNPS · 2025")
    assert (campo, tipo, prima, dopo) == ("Importo", "aggiunta", "", f"30.000,00{EURO}")


def test_a_cofinancing_import_is_recorded_as_an_import(cast, fonti, ciclo_configurato):
    bari = Comune.objects.get(nome="Bari")
    dataset = tablib.Dataset(headers=["codice_istat", "comune", "anno", "importo"])
    dataset.append([bari.codice_istat, "Bari", 2025, "700.000,00"])
    risorse_services.cofinanziamento_importa(
        piano=cast.piano_a, dataset=dataset, revisione=0, user=cast.operatore_a
    )
    modifica = Modifica.objects.get()
    assert modifica.origine == Modifica.Origine.IMPORTAZIONE
    assert modifica.utente == cast.operatore_a
    assert voci(modifica) == [
        (
            "Cofinanziamento comunale",
            "Bari · 2025",
            "Importo",
            "aggiunta",
            "",
            f"700.000,00{EURO}",
        )
    ]


def test_an_allocation_import_is_recorded_as_one_import_with_every_change(cast, catalogo, budget):
    prima = nuova_scheda(cast.piano_a, catalogo.segretariato, cast.operatore_a)
    nuova_scheda(cast.piano_a, catalogo.domiciliare, cast.operatore_a, titolo="Domiciliare")
    alloca(cast.piano_a, prima, {(budget["FNPS"], 2025): Decimal("30000")}, cast.operatore_a)
    dataset = tablib.Dataset(
        headers=["scheda", "sezione", "voce", "titolo", "comune", "fonte", "anno", "importo"]
    )
    dataset.append(["S-1", "", "", "", "", "FNPS", 2025, "25.000,00"])
    dataset.append(["S-2", "", "", "", "", "FNPS", 2026, "1.000,00"])
    foglio.allocazioni_importa(piano=cast.piano_a, dataset=dataset, user=cast.responsabile_a)

    importazione = Modifica.objects.filter(piano=cast.piano_a).first()
    assert importazione.operazione == "Importi importati da foglio di calcolo"
    assert importazione.origine == Modifica.Origine.IMPORTAZIONE
    assert importazione.utente == cast.responsabile_a
    cambiate = [(v[1].split(" · ")[0], v[3], v[4], v[5]) for v in voci(importazione)]
    assert cambiate == [
        ("S-1", "modifica", f"30.000,00{EURO}", f"25.000,00{EURO}"),
        ("S-2", "aggiunta", "", f"1.000,00{EURO}"),
    ]


def test_a_refused_write_records_nothing(cast, fonti, ciclo_configurato, catalogo, budget):
    scheda = nuova_scheda(cast.piano_a, catalogo.segretariato, cast.operatore_a)
    gia = Modifica.objects.count()
    with pytest.raises(programmazione_services.SovraAllocazione):
        alloca(
            cast.piano_a, scheda, {(budget["FNPS"], 2025): Decimal("100000.01")}, cast.operatore_a
        )
    with pytest.raises(PianoNonModificabile):
        risorse_services.residuo_salva(
            piano=cast.piano_b, residuo=residuo(cast.piano_b, fonti), user=cast.operatore_b
        )
    assert Modifica.objects.count() == gia
    assert not VoceModifica.objects.filter(modifica__piano=cast.piano_b).exists()


def test_a_save_that_changes_nothing_records_nothing(cast):
    scrivi(cast.piano_a, "contesto", "Uguale.", cast.operatore_a)
    scrivi(cast.piano_a, "contesto", "Uguale.", cast.operatore_a)
    assert Modifica.objects.count() == 1


# --- The page -----------------------------------------------------------------------------------


def test_the_page_shows_who_changed_what_from_which_value_to_which(
    cast, fonti, ciclo_configurato, client_for
):
    riga = risorse_services.residuo_salva(
        piano=cast.piano_a, residuo=residuo(cast.piano_a, fonti), user=cast.operatore_a
    )
    riga.importo = Decimal("2000")
    risorse_services.residuo_salva(piano=cast.piano_a, residuo=riga, user=cast.responsabile_a)
    response = client_for("funzionario").get(url("piano_cronologia", cast.piano_a))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert html.count("Residuo o economia salvato</h3>") == 2
    assert str(cast.operatore_a) in html and str(cast.responsabile_a) in html
    assert "Modulo" in html
    assert "<td>Aggiunto</td>" in html and "<td>Modificato</td>" in html
    assert f"<td>1.234,50{EURO}</td>\n        <td>2.000,00{EURO}</td>" in html
    assert "2 operazioni." in html


def test_a_removal_is_marked_in_words(cast, fonti, ciclo_configurato, client_for):
    riga = risorse_services.residuo_salva(
        piano=cast.piano_a, residuo=residuo(cast.piano_a, fonti), user=cast.operatore_a
    )
    risorse_services.residuo_elimina(piano=cast.piano_a, residuo=riga, user=cast.operatore_a)
    html = client_for("operatore_a").get(url("piano_cronologia", cast.piano_a)).content.decode()
    assert "<td>Rimosso</td>" in html


def test_a_long_text_is_shortened_and_can_be_opened(cast, client_for):
    lungo = "Il contesto dell'ambito. " * 20
    scrivi(cast.piano_a, "contesto", lungo, cast.operatore_a)
    html = client_for("operatore_a").get(url("piano_cronologia", cast.piano_a)).content.decode()
    assert "<details>" in html and "(mostra tutto)</span></summary>" in html
    assert html.count("Il contesto dell&#x27;ambito.") > 20  # the whole text is in the page


def test_state_moves_are_listed_with_who_and_why(cast, client_for):
    Transizione.objects.create(
        piano=cast.piano_a,
        azione=Transizione.Azione.INVIO,
        da_stato=Piano.Stato.BOZZA,
        a_stato=Piano.Stato.INVIATO,
        utente=cast.responsabile_a,
        commento="Pronto per l'istruttoria.",
    )
    html = client_for("operatore_a").get(url("piano_cronologia", cast.piano_a)).content.decode()
    assert "Passaggi di stato" in html
    assert '<th scope="row">Invio alla Regione</th>' in html
    assert "<td>Bozza</td>\n      <td>Inviato</td>" in html
    assert str(cast.responsabile_a) in html and "Pronto per l&#x27;istruttoria." in html


def test_an_empty_history_says_so(cast, client_for):
    html = client_for("operatore_a").get(url("piano_cronologia", cast.piano_a)).content.decode()
    assert "Il piano non ha ancora modifiche registrate." in html
    assert "Il piano non ha ancora cambiato stato." in html


@pytest.fixture
def storia(cast, fonti, ciclo_configurato):
    """Three operations on plan A: a residuo (operatore, 10 March), the narrative (responsabile,
    20 March), a co-financing import (operatore, 30 March)."""
    risorse_services.residuo_salva(
        piano=cast.piano_a, residuo=residuo(cast.piano_a, fonti), user=cast.operatore_a
    )
    data_della(Modifica.objects.first(), datetime(2025, 3, 10, 9, 0, tzinfo=ROMA))
    scrivi(cast.piano_a, "contesto", "Il contesto.", cast.responsabile_a)
    data_della(Modifica.objects.first(), datetime(2025, 3, 20, 23, 30, tzinfo=ROMA))
    bari = Comune.objects.get(nome="Bari")
    dataset = tablib.Dataset(headers=["codice_istat", "comune", "anno", "importo"])
    dataset.append([bari.codice_istat, "Bari", 2025, "700.000,00"])
    risorse_services.cofinanziamento_importa(
        piano=cast.piano_a, dataset=dataset, revisione=0, user=cast.operatore_a
    )
    data_della(Modifica.objects.first(), datetime(2025, 3, 30, 8, 0, tzinfo=ROMA))


def operazioni(client, piano: Piano, **filtri) -> list[str]:
    response = client.get(url("piano_cronologia", piano), filtri)
    assert response.status_code == 200
    return [
        m.operazione for m in response.context["pagina"]
    ]  # newest first, as the page lists them


def test_the_filters_narrow_by_table_user_origin_and_period(cast, storia, client_for):
    client = client_for("operatore_a")
    tutte = [
        "Cofinanziamento importato da foglio di calcolo",
        "Parte narrativa salvata",
        "Residuo o economia salvato",
    ]
    assert operazioni(client, cast.piano_a) == tutte
    assert operazioni(client, cast.piano_a, tabella="Parte narrativa") == [tutte[1]]
    assert operazioni(client, cast.piano_a, utente=cast.operatore_a.pk) == [tutte[0], tutte[2]]
    assert operazioni(client, cast.piano_a, origine="importazione") == [tutte[0]]
    # Local days, both ends included: 20 March at 23:30 in Rome is still 20 March.
    assert operazioni(client, cast.piano_a, dal="2025-03-20", al="2025-03-20") == [tutte[1]]
    assert operazioni(client, cast.piano_a, dal="2025-03-11") == tutte[:2]
    assert operazioni(client, cast.piano_a, al="20/03/2025") == tutte[1:]
    assert operazioni(client, cast.piano_a, utente=cast.operatore_a.pk, dal="2025-03-11") == [
        tutte[0]
    ]


def test_the_filter_choices_are_the_tables_and_users_of_this_plans_history(
    cast, storia, client_for
):
    html = client_for("operatore_a").get(url("piano_cronologia", cast.piano_a)).content.decode()
    for tabella in ("Residui ed economie", "Parte narrativa", "Cofinanziamento comunale"):
        assert f'<option value="{tabella}">{tabella}</option>' in html
    assert f'<option value="{cast.responsabile_a.pk}">{cast.responsabile_a}</option>' in html
    assert str(cast.funzionario) not in html
    for etichetta in ("Tabella", "Utente", "Origine", "Dal giorno", "Al giorno"):
        assert f">{etichetta}</label>" in html


def test_a_table_filter_shows_only_that_tables_changes(cast, storia, client_for):
    client = client_for("operatore_a")
    response = client.get(url("piano_cronologia", cast.piano_a), {"tabella": "Parte narrativa"})
    [modifica] = response.context["pagina"]
    assert {v.tabella for v in modifica.voci.all()} == {"Parte narrativa"}


@pytest.mark.parametrize(
    ("filtri", "messaggio"),
    [
        ({"dal": "31/02/2025"}, "Data non valida"),
        ({"dal": "2025-03-21", "al": "2025-03-01"}, "La data finale non può precedere"),
        ({"utente": "abc"}, "L&#x27;utente scelto non compare nella cronologia."),
        ({"tabella": "Inesistente"}, "La tabella scelta non compare nella cronologia."),
        ({"origine": "telepatia"}, "Origine sconosciuta."),
    ],
)
def test_a_wrong_filter_is_explained_in_italian_and_ignored(
    cast, storia, client_for, filtri, messaggio
):
    client = client_for("operatore_a")
    response = client.get(url("piano_cronologia", cast.piano_a), filtri)
    assert response.status_code == 200
    html = response.content.decode()
    assert messaggio in html
    assert "Alcuni filtri non sono validi" in html


def test_a_page_number_out_of_range_shows_the_last_page(cast, storia, client_for):
    client = client_for("operatore_a")
    for pagina in ("99", "abc"):
        response = client.get(url("piano_cronologia", cast.piano_a), {"pagina": pagina})
        assert response.status_code == 200


def test_operations_come_25_a_page_and_page_links_keep_the_filters(cast, client_for):
    for i in range(30):
        scrivi(cast.piano_a, "contesto", f"Versione {i}.", cast.operatore_a)
    client = client_for("operatore_a")
    filtri = {"tabella": "Parte narrativa", "origine": "modulo"}
    prima = client.get(url("piano_cronologia", cast.piano_a), filtri)
    assert len(prima.context["pagina"]) == 25
    html = prima.content.decode()
    assert "30 operazioni corrispondono ai filtri, pagina 1 di 2." in html
    assert 'href="?tabella=Parte+narrativa&amp;origine=modulo&amp;pagina=2"' in html
    seconda = client.get(url("piano_cronologia", cast.piano_a), {**filtri, "pagina": 2})
    assert len(seconda.context["pagina"]) == 5
    assert [v.dopo for m in seconda.context["pagina"] for v in m.voci.all()][-1] == "Versione 0."


def test_the_page_runs_the_same_queries_however_long_the_history(
    cast, fonti, ciclo_configurato, client_for, assert_constant_queries
):
    scrivi(cast.piano_a, "contesto", "Uno.", cast.operatore_a)
    bari = Comune.objects.get(nome="Bari")

    def grow():
        for i in range(5):
            scrivi(cast.piano_a, "obiettivi", f"Obiettivo {i}.", UserFactory())
            cofinanzia(cast.piano_a, {(bari, 2025): Decimal(1000 + i)}, cast.responsabile_a)
            risorse_services.residuo_salva(
                piano=cast.piano_a,
                residuo=residuo(cast.piano_a, fonti, importo=Decimal(10 + i)),
                user=cast.operatore_a,
            )
        Transizione.objects.create(
            piano=cast.piano_a,
            azione=Transizione.Azione.INVIO,
            da_stato=Piano.Stato.BOZZA,
            a_stato=Piano.Stato.INVIATO,
            utente=cast.responsabile_a,
        )

    client = client_for("operatore_a")
    assert_constant_queries(client, url("piano_cronologia", cast.piano_a), 13, grow)


def test_another_ambitos_user_finds_nothing(cast, client_for):
    client = client_for("operatore_b")
    assert client.get(url("piano_cronologia", cast.piano_a)).status_code == 404
    assert client.get(url("piano_cronologia_esporta", cast.piano_a)).status_code == 404


# --- Export ---------------------------------------------------------------------------------------


def test_the_export_has_one_row_per_changed_value_with_iso_dates(cast, storia, client_for):
    response = client_for("funzionario").get(url("piano_cronologia_esporta", cast.piano_a))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    dataset = tablib.Dataset().load(io.BytesIO(response.content).read(), format="xlsx")
    assert dataset.headers == [
        "data e ora",
        "utente",
        "operazione",
        "origine",
        "tabella",
        "riga",
        "campo",
        "tipo",
        "prima",
        "dopo",
    ]
    assert tuple(c or "" for c in dataset[0]) == (  # empty cells read back as None
        "2025-03-30T08:00:00+02:00",
        str(cast.operatore_a),
        "Cofinanziamento importato da foglio di calcolo",
        "Importazione da foglio di calcolo",
        "Cofinanziamento comunale",
        "Bari · 2025",
        "Importo",
        "Aggiunta",
        "",
        f"700.000,00{EURO}",
    )
    assert len(dataset) == 1 + 1 + 5  # the import, the chapter, the residuo's five fields


def test_the_export_follows_the_filters_and_speaks_csv_too(cast, storia, client_for):
    response = client_for("operatore_a").get(
        url("piano_cronologia_esporta", cast.piano_a),
        {"utente": cast.responsabile_a.pk, "formato": "csv"},
    )
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].endswith('.csv"')
    righe = tablib.Dataset().load(response.content.decode(), format="csv")
    assert [r[2] for r in righe] == ["Parte narrativa salvata"]
    assert righe[0][0] == "2025-03-20T23:30:00+01:00"
