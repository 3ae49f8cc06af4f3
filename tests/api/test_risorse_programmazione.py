"""Budget, catalogue and sheets through the API: the same figures as the pages, in constant queries."""

from decimal import Decimal

from django.urls import reverse

from pianizona.models import Piano
from risorse.api import budget_dei_piani
from risorse.selectors import budget_del_piano
from tests.conftest import query_count
from tests.factories import PianoFactory

from . import dati
from .conftest import client_chiave


def test_the_budget_endpoint_matches_the_budget_page(cast, chiavi, programmato):
    piano = Piano.objects.select_related("ciclo").get(pk=cast.piano_b.pk)
    risposta = client_chiave(chiavi.regione).get(reverse("api:budget-detail", args=[piano.pk]))
    righe = risposta.json()["righe"]
    tabella = budget_del_piano(piano).tabella
    attesi = {
        (f.codice, a): str(tabella.importo(f, a)) for f in tabella.fonti for a in tabella.anni
    }
    assert {(r["fonte"], r["anno"]): r["importo"] for r in righe} == {
        k: v for k, v in attesi.items() if Decimal(v)
    }
    assert righe[0] == {
        "fonte": "FNPS",
        "fonte_nome": righe[0]["fonte_nome"],
        "livello": "statale",
        "anno": 2025,
        "trasferimenti": "80000.00",
        "residui": "0.00",
        "altre_risorse": "0.00",
        "cofinanziamento": "0.00",
        "importo": "80000.00",
    }
    assert risposta.json()["totale"] == "240000.00"


def test_the_bulk_budget_equals_the_one_plan_budget_with_other_resources(cast, budget):
    piano = Piano.objects.select_related("ciclo").get(pk=cast.piano_a.pk)
    righe = budget_dei_piani([piano])[piano.pk]
    pnrr = next(r for r in righe if r["fonte"] == "PNRR")
    assert (pnrr["anno"], pnrr["altre_risorse"], pnrr["importo"]) == (
        2025,
        Decimal("200000.00"),
        Decimal("200000.00"),
    )
    assert sum(r["importo"] for r in righe) == budget_del_piano(piano).tabella.totale


def test_the_year_filter_keeps_that_year_s_rows(cast, chiavi, programmato):
    risposta = client_chiave(chiavi.regione).get(reverse("api:budget-list"), {"anno": 2026})
    (piano,) = risposta.json()["results"]
    assert [r["anno"] for r in piano["righe"]] == [2026]


def test_sheets_come_with_their_allocations(cast, chiavi, programmato):
    url = reverse("api:scheda-detail", args=[programmato.scheda_b.pk])
    scheda = client_chiave(chiavi.ambito_b).get(url).json()
    assert scheda["piano"] == cast.piano_b.pk
    assert scheda["ambito"] == cast.ambito_b.pk
    assert scheda["voce"] == "B2.01"
    assert scheda["area_intervento"] == 2
    assert scheda["allocazioni"] == [
        {"fonte": "FNPS", "anno": 2025, "importo": "45000.00"},
        {"fonte": "FNPS", "anno": 2027, "importo": "5000.00"},
    ]
    assert scheda["totale"] == "50000.00"


def test_sheets_filter_by_year_of_their_amounts(cast, chiavi, programmato):
    client = client_chiave(chiavi.regione)
    assert client.get(reverse("api:scheda-list"), {"anno": 2027}).json()["count"] == 1
    assert client.get(reverse("api:scheda-list"), {"anno": 2026}).json()["count"] == 0


def test_plans_filter_by_cycle_state_and_year(cast, client_for, programmato):
    client = client_for("funzionario")
    ciclo = cast.piano_a.ciclo_id
    approvati = client.get(reverse("api:piano-list"), {"ciclo": ciclo, "stato": "approvato"})
    assert [p["id"] for p in approvati.json()["results"]] == [cast.piano_b.pk]
    assert approvati.json()["results"][0]["approvato_il"] is not None
    assert client.get(reverse("api:piano-list"), {"anno": 2031}).json()["count"] == 0


def test_the_catalogue_is_read_by_cycle(cast, chiavi, catalogo):
    client = client_chiave(chiavi.ambito_a)
    risposta = client.get(reverse("api:catalogo-list"), {"ciclo": cast.piano_a.ciclo_id})
    codici = [v["codice"] for v in risposta.json()["results"]]
    assert codici == ["A1.01", "B2.01", "C3.01", "P1.01"]
    filtrato = client.get(reverse("api:catalogo-list"), {"area_intervento": 3}).json()
    assert [v["codice"] for v in filtrato["results"]] == ["P1.01"]
    assert (
        client_chiave(chiavi.altra_regione).get(reverse("api:catalogo-list")).json()["count"] == 0
    )


def test_list_endpoints_run_a_constant_number_of_queries(cast, chiavi, assert_constant_queries):
    client = client_chiave(chiavi.regione)
    ciclo = cast.piano_a.ciclo

    def approvato(ambito) -> Piano:
        piano = PianoFactory(
            ambito=ambito,
            ciclo=ciclo,
            stato=Piano.Stato.APPROVATO,
            tipo="attuativo",
            anno=2025 + Piano.objects.filter(ambito=ambito, tipo="attuativo").count(),
        )
        dati.scheda(piano)
        return piano

    approvato(cast.ambito_a)
    for nome in ("piano", "budget", "scheda", "ambito", "ciclo", "catalogo"):
        url = reverse(f"api:{nome}-list")
        attese = query_count(client, url)
        assert_constant_queries(client, url, attese, lambda: approvato(cast.ambito_b))
