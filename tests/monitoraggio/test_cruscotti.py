"""Dashboards: the Region's and a district's figures on the hand-computed plans of test_sioss, their
CSV per chart, filters, constant queries."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from monitoraggio.cruscotti.ambito import ContestoAmbito, cruscotto_ambito
from monitoraggio.cruscotti.ambito import liquidato as liquidato_grafico
from monitoraggio.cruscotti.regione import (
    Contesto,
    FiltriCruscotto,
    ambiti_con_popolazione,
    cruscotto_regione,
)
from monitoraggio.models import Indicatore, Rendicontazione, ValoreIndicatore
from pianizona.models import Piano
from tests.factories import AmbitoFactory, ComuneFactory, PianoFactory

from . import test_sioss
from .test_sioss import dichiara, scheda

programma = test_sioss.programma  # the hand-computed plans and declarations, as a fixture

D = Decimal


def indicatore(cast, codice, direzione, target, ordine) -> Indicatore:
    return Indicatore.objects.create(
        regione=cast.regione,
        codice=codice,
        nome=f"Indicatore {codice}",
        unita=Indicatore.Unita.PERCENTUALE,
        direzione=direzione,
        target=D(target),
        tipo=Indicatore.Tipo.INSERITO,
        ordine=ordine,
    )


def valore(ind, ambito, anno, v) -> ValoreIndicatore:
    return ValoreIndicatore.objects.create(
        indicatore=ind, ambito=ambito, anno=anno, valore=D(v), aggiornato_il=timezone.now()
    )


@pytest.fixture
def indicatori(cast, programma):
    """IND1 (higher is better, target 50): 2025 A 60, B 40; 2026 A 30. IND2 (lower, target 10):
    2025 A 5, B 10. One without target, one inactive: both left out."""
    ind1 = indicatore(cast, "IND1", Indicatore.Direzione.CRESCENTE, "50", 1)
    ind2 = indicatore(cast, "IND2", Indicatore.Direzione.DECRESCENTE, "10", 2)
    valore(ind1, cast.ambito_a, 2025, "60")
    valore(ind1, cast.ambito_b, 2025, "40")
    valore(ind1, cast.ambito_a, 2026, "30")
    valore(ind2, cast.ambito_a, 2025, "5")
    valore(ind2, cast.ambito_b, 2025, "10")
    senza = indicatore(cast, "IND3", Indicatore.Direzione.CRESCENTE, "1", 3)
    Indicatore.objects.filter(pk=senza.pk).update(target=None)
    spento = indicatore(cast, "IND4", Indicatore.Direzione.CRESCENTE, "1", 4)
    Indicatore.objects.filter(pk=spento.pk).update(attivo=False)
    return ind1, ind2


def grafici_regione(cast, **filtri) -> dict:
    ambiti = ambiti_con_popolazione(cast.regione)
    ctx = Contesto(cast.regione, cast.piano_a.ciclo, ambiti, FiltriCruscotto(**filtri))
    return {g.nome: g for g in cruscotto_regione(ctx)}


def colonna(grafico, nome: str) -> list:
    i = grafico.indice(nome)
    return [riga[i] for riga in grafico.righe]


def test_programmed_spending_by_fund_area_and_macro_level(cast, programma):
    grafici = grafici_regione(cast)
    fondi = grafici["fondi"]
    assert [(r[1], r[2]) for r in fondi.righe] == [("FNPS", D("184529.00")), ("FNA", D("10000.00"))]
    assert colonna(fondi, "quota_percentuale") == [D("94.86"), D("5.14")]
    assert [(r[1], r[2]) for r in grafici["aree"].righe] == [
        (1, D("85000.00")),
        (2, D("109529.00")),
    ]
    assert [(r[1], r[2]) for r in grafici["macrolivelli"].righe] == [(1, D("194529.00"))]


def test_ambiti_are_compared_per_inhabitant(cast, programma):
    ambiti = grafici_regione(cast)["ambiti"]
    assert colonna(ambiti, "abitanti") == [333_980, 69_529]
    assert colonna(ambiti, "programmato") == [D("125000.00"), D("69529.00")]
    assert colonna(ambiti, "programmato_per_abitante") == [D("0.37"), D("1.00")]
    # 194.529 € over 403.509 inhabitants
    assert "0,48\u00a0€" in ambiti.descrizione


def test_the_charts_call_the_districts_as_the_region_does(cast, programma):
    cast.regione.denominazione_ambiti = "zona_sociale"
    grafici = grafici_regione(cast)
    assert grafici["ambiti"].titolo == "Zone sociali a confronto: programmato per abitante"
    assert "di ogni zona sociale," in grafici["ambiti"].descrizione
    assert grafici["avanzamento"].colonne[0].etichetta == "Zona sociale"


def test_the_year_and_province_filters_narrow_every_chart(cast, programma):
    anno = grafici_regione(cast, anno=2025)
    assert colonna(anno["ambiti"], "programmato") == [D("85000.00"), D("69529.00")]
    assert colonna(anno["ambiti"], "programmato_per_abitante") == [D("0.25"), D("1.00")]
    bari = grafici_regione(cast, provincia="Bari")  # only A has a lead municipality in Bari
    assert colonna(bari["ambiti"], "ambito") == ["BA01 Ambito di Bari"]
    assert [r[2] for r in bari["fondi"].righe] == [D("115000.00"), D("10000.00")]


def test_plan_states_count_triennial_and_annual_plans(cast, programma):
    PianoFactory(ambito=cast.ambito_a, ciclo=cast.piano_a.ciclo, tipo="attuativo", anno=2026)
    stati = {r[1]: r[2:] for r in grafici_regione(cast)["stati"].righe}
    assert stati["approvato"] == [2, 0, 2]
    assert stati["bozza"] == [0, 1, 1]
    assert stati["nessuno"] == [0, 0, 0]


def test_monitoring_progress_is_committed_and_paid_over_programmed(cast, programma):
    grafici = grafici_regione(cast)
    a, b = grafici["avanzamento"].righe
    assert a[1:] == [D("125000.00"), D("54000.01"), D("28000.00"), D("43.20"), D("22.40")]
    assert b[1:] == [D("69529.00"), D("0.00"), D("0.00"), D("0.00"), D("0.00")]
    rendicontazioni = {r[1]: r[2] for r in grafici["rendicontazioni"].righe}
    assert rendicontazioni == {
        "bozza": 1,
        "inviata": 0,
        "restituita": 0,
        "accettata": 0,
        "non_aperta": 5,  # 2 ambiti × 3 years − 1
    }


def test_indicators_show_the_share_of_ambiti_meeting_the_target(cast, indicatori):
    # The latest year with values (2026): only A's IND1, below target.
    ultimo = grafici_regione(cast)["indicatori"]
    assert [r[0] for r in ultimo.righe] == ["IND1 Indicatore IND1", "IND2 Indicatore IND2"]
    assert [r[4:] for r in ultimo.righe] == [[1, 0, D("0.00")], [0, 0, None]]
    anno = grafici_regione(cast, anno=2025)["indicatori"]
    assert [r[4:] for r in anno.righe] == [[2, 1, D("50.00")], [2, 2, D("100.00")]]


def test_the_district_trend_against_the_regional_average(cast, indicatori):
    grafici = {
        g.nome: g for g in cruscotto_ambito(ContestoAmbito(cast.ambito_a, cast.piano_a.ciclo))
    }
    # Both ambiti have an approved plan: the region's programmed over its 403.509 inhabitants.
    assert grafici["programmato"].righe == [
        [2025, D("85000.00"), D("0.25"), D("0.38"), 2],
        [2026, D("40000.00"), D("0.12"), D("0.10"), 2],
        [2027, D("0.00"), D("0.00"), D("0.00"), 2],
    ]
    # A's report is still a draft: nothing paid counts yet, as for MON02 and REG04.
    assert grafici["liquidato"].righe[0] == [2025, D("85000.00"), D("0.00"), None, None, None]
    Rendicontazione.objects.filter(ambito=cast.ambito_a).update(stato=Rendicontazione.Stato.INVIATA)
    liquidato = liquidato_grafico(ContestoAmbito(cast.ambito_a, cast.piano_a.ciclo))
    # Only A has submitted: the region's share counts A alone (1 ambito), not B's programmed.
    assert liquidato.righe[0] == [2025, D("85000.00"), D("28000.00"), D("32.94"), D("32.94"), 1]
    assert liquidato.righe[2][3:] == [None, None, None]
    righe = {r[0]: r[4:7] for r in grafici["indicatori"].righe}
    assert righe["IND1 2025"] == [D("60.00"), D("50.00"), 2]  # entered: the mean of A and B
    assert righe["IND1 2026"] == [D("30.00"), D("30.00"), 1]
    assert righe["IND2 2025"] == [D("5.00"), D("7.50"), 2]
    assert righe["IND2 2027"] == [None, None, None]


def test_the_regional_page_shows_each_chart_with_its_table_and_csv(cast, client_for, indicatori):
    risposta = client_for("funzionario").get(
        reverse("monitoraggio:cruscotto_regione", args=[cast.regione.pk]), {"anno": "2025"}
    )
    assert risposta.status_code == 200
    pagina = risposta.content.decode()
    for nome in ("fondi", "aree", "macrolivelli", "ambiti", "stati", "avanzamento", "indicatori"):
        assert f'data-grafico="dati-{nome}"' in pagina
        assert f'id="dati-{nome}"' in pagina
        assert f"anno=2025&amp;grafico={nome}" in pagina
    assert "184.529,00" not in pagina  # 2025 only
    assert "154.529,00\u00a0€" in pagina
    assert "chart.umd.min.js" in pagina and "<script>" not in pagina


def test_a_chart_csv_has_dot_decimals_and_the_filters_applied(cast, client_for, programma):
    risposta = client_for("funzionario").get(
        reverse("monitoraggio:cruscotto_regione_csv", args=[cast.regione.pk]),
        {"grafico": "ambiti", "anno": "2025"},
    )
    assert risposta.status_code == 200
    assert risposta["Content-Type"] == "text/csv; charset=utf-8"
    assert "cruscotto-ambiti-2025-2027-anno-2025.csv" in risposta["Content-Disposition"]
    righe = list(csv.DictReader(io.StringIO(risposta.content.decode())))
    assert righe[0] == {
        "ambito": "BA01 Ambito di Bari",
        "provincia": "Bari",
        "abitanti": "333980",
        "programmato": "85000.00",
        "programmato_per_abitante": "0.25",
    }


def test_the_district_csv_per_chart(cast, client_for, programma):
    Rendicontazione.objects.filter(pk=programma.rendicontazione_a.pk).update(
        stato=Rendicontazione.Stato.INVIATA
    )
    url = reverse("monitoraggio:cruscotto_ambito_csv", args=[cast.ambito_a.pk])
    risposta = client_for("operatore_a").get(url, {"grafico": "liquidato"})
    righe = list(csv.reader(io.StringIO(risposta.content.decode())))
    assert righe[0][:3] == ["anno", "programmato", "liquidato"]
    assert righe[1] == ["2025", "85000.00", "28000.00", "32.94", "32.94", "1"]
    assert righe[3][3:] == ["", "", ""]  # 2027: nothing programmed, no share


@pytest.mark.parametrize("nome", ["", "torta", "../fondi"])
def test_an_unknown_chart_is_a_clear_bad_request(cast, client_for, nome):
    for url, ruolo in (
        (reverse("monitoraggio:cruscotto_regione_csv", args=[cast.regione.pk]), "funzionario"),
        (reverse("monitoraggio:cruscotto_ambito_csv", args=[cast.ambito_a.pk]), "operatore_a"),
    ):
        risposta = client_for(ruolo).get(url, {"grafico": nome})
        assert risposta.status_code == 400
        assert "Grafico sconosciuto" in risposta.content.decode()


def test_a_year_outside_the_cycle_is_an_error_and_ignored(cast, client_for, programma):
    risposta = client_for("funzionario").get(
        reverse("monitoraggio:cruscotto_regione", args=[cast.regione.pk]),
        {"anno": "2099", "provincia": "Atlantide", "ciclo": "abc"},
    )
    assert risposta.status_code == 200
    filtro = risposta.context["filtro"]
    assert set(filtro.errors) == {"anno", "provincia", "ciclo"}
    assert risposta.context["ctx"].anni == [2025, 2026, 2027]


def test_the_cycle_link_opens_the_dashboard_on_that_cycle(cast, client_for):
    ciclo = cast.piano_a.ciclo
    risposta = client_for("funzionario").get(
        reverse("monitoraggio:cruscotto_ciclo", args=[ciclo.pk])
    )
    url = reverse("monitoraggio:cruscotto_regione", args=[cast.regione.pk])
    assert risposta["Location"] == f"{url}?ciclo={ciclo.pk}"


def test_a_district_user_may_not_open_the_regional_dashboard(cast, client_for):
    url = reverse("monitoraggio:cruscotto_regione", args=[cast.regione.pk])
    assert client_for("responsabile_a").get(url).status_code == 403
    url = reverse("monitoraggio:cruscotto_ambito", args=[cast.ambito_a.pk])
    assert client_for("operatore_b").get(url).status_code == 404


def _altro_ambito(cast, catalogo, fonti, n: int) -> None:
    """One more ambito with an approved plan, allocations, a declaration and indicator values."""
    ambito = AmbitoFactory(regione=cast.regione, codice=f"LE{n:02d}")
    capofila = ComuneFactory(ambito=ambito, provincia="Lecce", sigla_provincia="LE")
    ambito.comune_capofila = capofila
    ambito.save(update_fields=["comune_capofila"])
    piano = PianoFactory(ambito=ambito, ciclo=cast.piano_a.ciclo, stato=Piano.Stato.APPROVATO)
    scheda(piano, catalogo.segretariato, 1, "diretta", [(fonti["FNPS"], 2025, "1000")])
    scheda(piano, catalogo.domiciliare, 2, "appalto", [(fonti["FNA"], 2026, "500")])
    rend = Rendicontazione.objects.create(ambito=ambito, ciclo=piano.ciclo, anno=2025)
    voce = catalogo.segretariato
    dichiara(
        rend,
        fonti["FNPS"],
        voce.obiettivo_servizio,
        voce.area_intervento,
        timezone.localdate(),
        "500",
        "100",
        cast.responsabile_a,
    )
    for ind in Indicatore.objects.filter(regione=cast.regione):
        valore(ind, ambito, 2025, "20")


def test_the_regional_dashboard_costs_the_same_queries_with_more_ambiti(
    cast, client_for, indicatori, catalogo, fonti, assert_constant_queries
):
    url = reverse("monitoraggio:cruscotto_regione", args=[cast.regione.pk])

    def grow():
        for n in range(3):
            _altro_ambito(cast, catalogo, fonti, n)

    assert_constant_queries(client_for("funzionario"), url, 25, grow)


def test_the_district_dashboard_costs_the_same_queries_with_more_ambiti(
    cast, client_for, indicatori, catalogo, fonti, assert_constant_queries
):
    url = reverse("monitoraggio:cruscotto_ambito", args=[cast.ambito_a.pk])

    def grow():
        for n in range(3):
            _altro_ambito(cast, catalogo, fonti, n)

    assert_constant_queries(client_for("operatore_a"), url, 17, grow)
