"""The fund-monitoring pages: an ambito's year, a line's form and history, the moves, the Region's list."""

# ruff: noqa: F811 (the fixtures imported from fondi_dati are these tests' parameters)

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from monitoraggio.fondi import services
from monitoraggio.models import Dichiarazione, Rendicontazione
from pianizona.models import Ambito, Piano
from risorse.services import fonte_regionale_crea
from tests.conftest import query_count
from tests.factories import AmbitoFactory, ComuneFactory, PianoFactory, RegioneFactory

from .fondi_dati import ANNO, alloca, dichiara, linee, oggi, rendicontazione  # noqa: F401


def url_ambito(cast, anno=ANNO) -> str:
    return f"{reverse('monitoraggio:fondi_ambito', args=[cast.ambito_a.pk])}?anno={anno}"


def url_linea(cast, linea: dict, anno=ANNO) -> str:
    return reverse(
        "monitoraggio:fondi_linea",
        args=[cast.ambito_a.pk, anno, linea["fonte"].pk, linea["obiettivo"].pk, linea["area"].pk],
    )


def test_the_ambito_page_shows_lines_totals_and_percentages(
    cast, client_for, linee, rendicontazione
):
    dichiara(
        rendicontazione,
        cast.operatore_a,
        linee.fnps_infanzia(),
        date(2025, 12, 15),
        "30000",
        "12000",
    )
    response = client_for("operatore_a").get(url_ambito(cast))
    assert response.status_code == 200
    testo = response.content.decode()
    assert "FNPS – Fondo Nazionale Politiche Sociali" in testo
    assert "40.000,00\xa0€" in testo and "30.000,00\xa0€" in testo
    assert "75,00%" in testo and "30,00%" in testo  # committed and paid of 40.000
    assert "15/12/2025" in testo
    assert "65.000,00\xa0€" in testo  # programmed overall: 40.000 + 20.000 + 5.000
    assert "In compilazione" in testo


def test_another_ambito_finds_nothing(cast, client_for, linee, rendicontazione):
    client = client_for("operatore_b")
    assert client.get(url_ambito(cast)).status_code == 404
    assert client.get(url_linea(cast, linee.fnps_infanzia())).status_code == 404
    url = reverse("monitoraggio:fondi_invia", args=[rendicontazione.pk])
    assert client.post(url, {"stato_atteso": "bozza"}).status_code == 404


def test_another_regions_fund_has_no_line_in_this_ambito(cast, client_for, linee, rendicontazione):
    emilia = RegioneFactory(codice_istat="08", nome="Emilia-Romagna")
    fonte = fonte_regionale_crea(regione=emilia, codice="FRER", nome="Fondo", sezione="ordinarie")
    linea = {**linee.fnps_infanzia(), "fonte": fonte}
    assert client_for("operatore_a").get(url_linea(cast, linea)).status_code == 404


def test_a_year_outside_the_cycles_is_reported_and_the_default_year_shown(cast, client_for, linee):
    response = client_for("operatore_a").get(url_ambito(cast, anno="1999"), follow=True)
    assert "L&#x27;anno «1999» non è in un ciclo della regione." in response.content.decode()


def test_the_district_declares_a_line_through_the_form(cast, client_for, linee, oggi):
    client = client_for("operatore_a")
    url = url_linea(cast, linee.fnps_infanzia())
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"data": "30/06/2025", "impegnato": "12.345,67", "liquidato": "1.000"}
    )
    assert response.status_code == 302
    d = Dichiarazione.objects.get()
    assert (d.impegnato, d.liquidato, d.data) == (
        Decimal("12345.67"),
        Decimal("1000"),
        date(2025, 6, 30),
    )
    assert Rendicontazione.objects.get().anno == ANNO  # opened by the first declaration
    storico = client.get(url).content.decode()
    assert "12.345,67\xa0€" in storico and "30/06/2025" in storico


def test_a_refused_declaration_is_shown_again_with_the_reason_and_nothing_saved(
    cast, client_for, linee, oggi
):
    client = client_for("operatore_a")
    response = client.post(
        url_linea(cast, linee.fnps_disabilita()),
        {"data": "2025-06-30", "impegnato": "25.000", "liquidato": "0"},
    )
    assert response.status_code == 400
    testo = response.content.decode()
    assert "supera il programmato (20.000,00\xa0€) di 5.000,00\xa0€" in testo
    assert 'value="25.000"' in testo  # what the user typed is kept
    assert not Dichiarazione.objects.exists() and not Rendicontazione.objects.exists()


def test_an_invalid_amount_is_refused_with_a_clear_message(cast, client_for, linee, oggi):
    response = client_for("operatore_a").post(
        url_linea(cast, linee.fnps_infanzia()),
        {"data": "31/02/2025", "impegnato": "dieci", "liquidato": ""},
    )
    assert response.status_code == 400
    testo = response.content.decode()
    assert "Importo non valido" in testo and "Data non valida" in testo
    assert "Indicare l&#x27;importo liquidato." in testo


def test_the_officer_sees_the_line_but_has_no_form(cast, client_for, linee, rendicontazione):
    response = client_for("funzionario").get(url_linea(cast, linee.fnps_infanzia()))
    assert response.status_code == 200
    assert "Registra la dichiarazione" not in response.content.decode()
    assert (
        client_for("funzionario").post(url_linea(cast, linee.fnps_infanzia()), {}).status_code
        == 403
    )


def test_choosing_another_line_goes_to_its_form(cast, client_for, linee):
    linea = linee.fna_disabilita()
    response = client_for("operatore_a").get(
        url_ambito(cast)
        + f"&fonte={linea['fonte'].pk}&obiettivo={linea['obiettivo'].pk}&area={linea['area'].pk}"
    )
    assert response.status_code == 302
    assert response["Location"] == url_linea(cast, linea)


def test_the_responsabile_submits_and_the_officer_accepts_through_the_pages(
    cast, client_for, linee, rendicontazione
):
    dichiara(rendicontazione, cast.operatore_a, linee.fnps_infanzia(), date(2025, 6, 30), "1", "0")
    invia = reverse("monitoraggio:fondi_invia", args=[rendicontazione.pk])
    assert client_for("operatore_a").post(invia, {"stato_atteso": "bozza"}).status_code == 403
    response = client_for("responsabile_a").post(invia, {"stato_atteso": "bozza"}, follow=True)
    assert "Rendicontazione inviata alla Regione" in response.content.decode()
    # The same click again: answered with the move already made, no second transition.
    client_for("responsabile_a").post(invia, {"stato_atteso": "bozza"})
    assert rendicontazione.transizioni.count() == 1
    restituisci = reverse("monitoraggio:fondi_restituisci", args=[rendicontazione.pk])
    response = client_for("funzionario").post(restituisci, {"stato_atteso": "inviata"}, follow=True)
    assert "Scrivere all&#x27;Ufficio di Piano che cosa va integrato." in response.content.decode()
    accetta = reverse("monitoraggio:fondi_accetta", args=[rendicontazione.pk])
    response = client_for("funzionario").post(accetta, {"stato_atteso": "inviata"}, follow=True)
    assert "Rendicontazione accettata" in response.content.decode()
    rendicontazione.refresh_from_db()
    assert rendicontazione.stato == Rendicontazione.Stato.ACCETTATA


def test_submitting_with_lines_undeclared_warns_with_the_share_declared_but_goes_through(
    cast, client_for, linee, rendicontazione
):
    dichiara(rendicontazione, cast.operatore_a, linee.fnps_infanzia(), date(2025, 6, 30), "1", "0")
    client = client_for("responsabile_a")
    html = client.get(url_ambito(cast)).content.decode()
    avviso = html.split('id="avviso-linee"')[1].split("</div>\n")[1]
    assert "Dichiarata 1 linea su 3 (33%)" in avviso and "L'invio resta possibile" in avviso
    assert html.index('id="avviso-linee"') < html.index("Invia la rendicontazione alla Regione")

    dichiara(rendicontazione, cast.operatore_a, linee.fna_disabilita(), date(2025, 6, 30), "1", "0")
    html = client.get(url_ambito(cast)).content.decode()
    assert "Dichiarate 2 linee su 3 (66%)" in html  # rounded down: a missing line never reads 100%

    invia = reverse("monitoraggio:fondi_invia", args=[rendicontazione.pk])
    response = client.post(invia, {"stato_atteso": "bozza"}, follow=True)
    assert "Rendicontazione inviata alla Regione" in response.content.decode()
    assert 'id="avviso-linee"' not in response.content.decode()  # sent: nothing left to warn of


def test_every_line_declared_leaves_nothing_to_warn_of(cast, client_for, linee, rendicontazione):
    for linea in (linee.fnps_infanzia(), linee.fnps_disabilita(), linee.fna_disabilita()):
        dichiara(rendicontazione, cast.operatore_a, linea, date(2025, 6, 30), "1", "0")
    html = client_for("responsabile_a").get(url_ambito(cast)).content.decode()
    assert 'id="avviso-linee"' not in html and "Invia la rendicontazione alla Regione" in html


def test_a_stale_page_gets_the_current_state(cast, client_for, linee, rendicontazione):
    dichiara(rendicontazione, cast.operatore_a, linee.fnps_infanzia(), date(2025, 6, 30), "1", "0")
    services.rendicontazione_invia(
        rendicontazione=rendicontazione, user=cast.responsabile_a, stato_atteso="bozza"
    )
    services.rendicontazione_accetta(
        rendicontazione=rendicontazione, user=cast.funzionario, stato_atteso="inviata"
    )
    restituisci = reverse("monitoraggio:fondi_restituisci", args=[rendicontazione.pk])
    response = client_for("funzionario").post(
        restituisci, {"stato_atteso": "inviata", "commento": "Rivedere"}, follow=True
    )
    assert "passata allo stato «accettata»" in response.content.decode()


def _altri_ambiti(cast, linee, quanti: int) -> None:
    """More ambiti of the region, each with an approved plan, a report and declarations."""
    for i in range(quanti):
        ambito = AmbitoFactory(regione=cast.regione, codice=f"BA9{i}{Ambito.objects.count()}")
        ComuneFactory(ambito=ambito, provincia="Bari")
        piano = PianoFactory(ambito=ambito, ciclo=cast.piano_a.ciclo, stato=Piano.Stato.APPROVATO)
        from programmazione.models import SchedaIntervento

        scheda = SchedaIntervento.objects.create(
            piano=piano,
            numero=1,
            sezione="ambito",
            voce=cast.piano_a.schede.first().voce,
            titolo="Intervento",
            gestione="diretta",
        )
        alloca(scheda, linee.fnps, ANNO, "1000")
        r = Rendicontazione.objects.create(ambito=ambito, ciclo=piano.ciclo, anno=ANNO)
        Dichiarazione.objects.create(
            rendicontazione=r,
            fonte=linee.fnps,
            obiettivo_servizio=linee.obiettivo,
            area_intervento=linee.infanzia,
            data=date(2025, 6, 30),
            impegnato=500,
            liquidato=100,
            dichiarata_da=cast.operatore_a,
        )


def _piu_dichiarazioni(cast, linee, r) -> None:
    dichiara(r, cast.operatore_a, linee.fnps_infanzia(), date(2025, 9, 30), "2", "1")
    dichiara(r, cast.operatore_a, linee.fnps_disabilita(), date(2025, 9, 30), "2", "1")
    dichiara(r, cast.operatore_a, linee.fna_disabilita(), date(2025, 9, 30), "2", "1")


def test_the_ambito_page_runs_constant_queries(
    cast, client_for, linee, rendicontazione, assert_constant_queries
):
    dichiara(rendicontazione, cast.operatore_a, linee.fnps_infanzia(), date(2025, 6, 30), "1", "0")
    assert_constant_queries(
        client_for("operatore_a"),
        url_ambito(cast),
        27,  # the 75% rule twice (this year's quota and the one two years on)
        lambda: _piu_dichiarazioni(cast, linee, rendicontazione),
    )


def test_the_regions_list_runs_constant_queries(
    cast, client_for, linee, rendicontazione, assert_constant_queries
):
    url = f"{reverse('monitoraggio:fondi_regione', args=[cast.regione.pk])}?anno={ANNO}"
    _altri_ambiti(cast, linee, 1)
    assert_constant_queries(
        client_for("funzionario"), url, 20, lambda: _altri_ambiti(cast, linee, 3)
    )


def test_the_regions_list_shows_states_money_and_the_75_percent_rule(
    cast, client_for, linee, rendicontazione
):
    dichiara(
        rendicontazione,
        cast.operatore_a,
        linee.fnps_infanzia(),
        date(2025, 12, 15),
        "40000",
        "30000",
    )
    services.rendicontazione_invia(
        rendicontazione=rendicontazione, user=cast.responsabile_a, stato_atteso="bozza"
    )
    url = reverse("monitoraggio:fondi_regione", args=[cast.regione.pk])
    testo = client_for("funzionario").get(url, {"anno": ANNO}).content.decode()
    assert "Inviata alla Regione" in testo
    assert "65.000,00\xa0€" in testo and "40.000,00\xa0€" in testo
    assert "non rispettata" in testo and "30,00% di 100.000,00\xa0€" in testo
    assert "Nessun piano approvato" in testo  # BA02
    filtrato = client_for("funzionario").get(url, {"anno": ANNO, "stato": "nessuna"}).content
    assert "BA02" in filtrato.decode() and "BA01" not in filtrato.decode()
    sbagliato = client_for("funzionario").get(url, {"anno": "1990"}).content.decode()
    assert "Nessun ciclo della regione comprende quell&#x27;anno." in sbagliato


def test_the_regions_year_selector_shows_the_year_whose_reports_are_listed(
    cast, client_for, linee, rendicontazione, oggi
):
    """Today is 2026 and the cycle runs to 2027, listed first in the selector."""
    url = reverse("monitoraggio:fondi_regione", args=[cast.regione.pk])
    client = client_for("funzionario")
    for parametri in ({}, {"stato": "bozza"}, {"anno": "1990"}):
        testo = client.get(url, parametri).content.decode()
        assert "<h1>Puglia: rendicontazioni dei fondi 2026</h1>" in testo, parametri
        selettore = testo.split('name="anno"')[1].split("</select>")[0]
        assert '<option value="2026" selected>2026</option>' in selettore, parametri
        assert "selected>2027" not in selettore
    testo = client.get(url, {"anno": "2025"}).content.decode()
    assert "rendicontazioni dei fondi 2025</h1>" in testo
    assert '<option value="2025" selected>2025</option>' in testo


def test_the_cycle_link_opens_the_regions_list_at_a_year_of_the_cycle(cast, client_for):
    response = client_for("funzionario").get(
        reverse("monitoraggio:fondi_ciclo", args=[cast.piano_a.ciclo_id])
    )
    assert response.status_code == 302
    assert response["Location"].startswith(
        reverse("monitoraggio:fondi_regione", args=[cast.regione.pk]) + "?anno=202"
    )


@pytest.mark.parametrize("ruolo", ["operatore_a", "responsabile_a"])
def test_the_district_opens_the_report_explicitly(cast, client_for, linee, oggi, ruolo):
    response = client_for(ruolo).post(
        reverse("monitoraggio:fondi_apri", args=[cast.ambito_a.pk]), {"anno": ANNO}
    )
    assert response.status_code == 302
    assert Rendicontazione.objects.filter(ambito=cast.ambito_a, anno=ANNO).exists()


def _restituita(cast, linee, rendicontazione, nota: str) -> None:
    dichiara(rendicontazione, cast.operatore_a, linee.fnps_infanzia(), date(2025, 6, 30), "1", "0")
    services.rendicontazione_invia(
        rendicontazione=rendicontazione, user=cast.responsabile_a, stato_atteso="bozza"
    )
    services.rendicontazione_transizione(
        rendicontazione=rendicontazione,
        user=cast.funzionario,
        azione="restituzione",
        stato_atteso="inviata",
        commento=nota,
    )


def test_a_report_sent_back_shows_the_region_s_note_next_to_its_state_at_the_top(
    cast, client_for, linee, rendicontazione
):
    _restituita(cast, linee, rendicontazione, "Manca il liquidato del FNA al 31 dicembre.")
    testo = client_for("operatore_a").get(url_ambito(cast)).content.decode()
    titolo = testo.index("Perché la Regione l'ha restituita")
    nota = testo.index("Manca il liquidato del FNA al 31 dicembre.")
    # First on the long page, right above its figures, whose first one is the state.
    sintesi = testo.index('id="titolo-sintesi"')
    assert testo.index("<h1>") < titolo < nota < sintesi
    assert "Restituita per integrazioni" in testo[sintesi : testo.index("</section>", sintesi)]
    assert nota < testo.index('id="titolo-regola"') < testo.index('id="titolo-passaggi"')


def test_once_submitted_again_the_old_note_leaves_the_top_and_stays_in_the_moves(
    cast, client_for, linee, rendicontazione
):
    _restituita(cast, linee, rendicontazione, "Manca il liquidato del FNA.")
    services.rendicontazione_invia(
        rendicontazione=rendicontazione, user=cast.responsabile_a, stato_atteso="restituita"
    )
    testo = client_for("operatore_a").get(url_ambito(cast)).content.decode()
    assert "Perché la Regione" not in testo
    assert testo.index("Manca il liquidato del FNA.") > testo.index(
        "Passaggi della rendicontazione"
    )


def test_the_page_of_a_report_sent_back_runs_the_same_queries(
    cast, client_for, linee, rendicontazione
):
    _restituita(cast, linee, rendicontazione, "Rivedere.")
    assert query_count(client_for("operatore_a"), url_ambito(cast)) == 27


def test_the_two_notes_of_the_officer_have_labels_of_their_own(
    cast, client_for, linee, rendicontazione
):
    dichiara(rendicontazione, cast.operatore_a, linee.fnps_infanzia(), date(2025, 6, 30), "1", "0")
    services.rendicontazione_invia(
        rendicontazione=rendicontazione, user=cast.responsabile_a, stato_atteso="bozza"
    )
    testo = client_for("funzionario").get(url_ambito(cast)).content.decode()
    assert testo.count('id="id_commento"') == 1
    assert 'for="id_restituzione_commento"' in testo and 'id="id_restituzione_commento"' in testo
