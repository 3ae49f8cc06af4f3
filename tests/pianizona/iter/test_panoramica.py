"""The Region's table of plans: every ambito × plan of a cycle, state and days in it, money, remarks."""

import io
from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
import tablib
from django.urls import reverse
from django.utils import timezone

from pianizona.models import Commento, Piano, Transizione, Versione
from programmazione.models import Allocazione, SchedaIntervento, Sezione
from risorse.models import Assegnazione, Cofinanziamento, ResiduoEconomia, RisorsaAggiuntiva
from risorse.selectors import budget_del_piano
from tests.factories import (
    AmbitoFactory,
    CicloFactory,
    ComuneFactory,
    MembershipFactory,
    PianoFactory,
    RegioneFactory,
    UserFactory,
)
from tests.programmazione import conftest as programmazione_conftest

pytestmark = pytest.mark.django_db

fonti = programmazione_conftest.fonti
ciclo_configurato = programmazione_conftest.ciclo_configurato
riferimenti = programmazione_conftest.riferimenti
catalogo = programmazione_conftest.catalogo

EURO = "\xa0€"


def url(nome: str, regione) -> str:
    return reverse(nome, kwargs={"pk": regione.pk})


def giorni_fa(giorni: int) -> datetime:
    """Noon of the local day ``giorni`` days ago: whole days whatever the hour of the test."""
    giorno = timezone.localdate() - timedelta(days=giorni)
    return timezone.make_aware(datetime.combine(giorno, time(12)))


def scheda(piano: Piano, voce, numero: int) -> SchedaIntervento:
    return SchedaIntervento.objects.create(
        piano=piano,
        numero=numero,
        sezione=Sezione.AMBITO,
        voce=voce,
        titolo=f"Intervento {numero}",
        gestione="diretta",
    )


def transizione(piano: Piano, da: str, a: str, quando: datetime, utente) -> Transizione:
    return Transizione.objects.create(
        piano=piano,
        azione=Transizione.Azione.INVIO,
        da_stato=da,
        a_stato=a,
        utente=utente,
        eseguita_il=quando,
    )


def versione(piano: Piano, numero: int, utente) -> Versione:
    return Versione.objects.create(
        piano=piano, numero=numero, creata_da=utente, contenuto={}, impronta="0" * 64
    )


def osservazione(piano: Piano, autore, **campi) -> Commento:
    dati = {"sezione": "generale", "testo": "Da chiarire.", **campi}
    return Commento.objects.create(piano=piano, autore=autore, **dati)


@pytest.fixture
def dati(cast, fonti, ciclo_configurato, catalogo):
    """The cast's cycle 2025–2027 with money, moves, versions and remarks.

    - BA01 (Bari, province of Bari): a triennial plan in draft, created 30 days ago, budget
      552.000 € (FNPS 3 × 100.000, FNA 50.000, a residuo 1.000, PNRR 200.000, co-financing
      1.000), allocated 36.234,56 €; an annual plan 2025 in draft, budget 150.050 €.
    - BA02 (Altamura, no lead municipality): a triennial plan sent twice (the last move 12 days
      ago), versions 1 and 2, budget 80.000 €, two open remarks (plus a resolved one and a reply).
    - TA01 (Taranto, province of Taranto): no plan.
    """
    ciclo = ciclo_configurato
    a, b = cast.ambito_a, cast.ambito_b
    piano_a, piano_b = cast.piano_a, cast.piano_b
    Piano.objects.filter(pk=piano_a.pk).update(creato_il=giorni_fa(30))
    attuativo = PianoFactory(ambito=a, ciclo=ciclo, tipo=Piano.Tipo.ATTUATIVO, anno=2025)
    taranto = AmbitoFactory(regione=cast.regione, codice="TA01", nome="Ambito di Taranto")
    capofila = ComuneFactory(ambito=taranto, nome="Taranto", provincia="Taranto")
    taranto.comune_capofila = capofila
    taranto.save(update_fields=["comune_capofila"])

    for anno in (2025, 2026, 2027):
        Assegnazione.objects.create(
            ciclo=ciclo, ambito=a, fonte=fonti["FNPS"], anno=anno, importo=Decimal("100000")
        )
    Assegnazione.objects.create(
        ciclo=ciclo, ambito=a, fonte=fonti["FNA"], anno=2025, importo=Decimal("50000")
    )
    Assegnazione.objects.create(
        ciclo=ciclo, ambito=b, fonte=fonti["FNPS"], anno=2025, importo=Decimal("80000")
    )
    altro_ciclo = CicloFactory(regione=cast.regione, anno_inizio=2022, anno_fine=2024)
    Assegnazione.objects.create(  # another cycle's transfer: not this plan's budget
        ciclo=altro_ciclo, ambito=a, fonte=fonti["FNPS"], anno=2024, importo=Decimal("999")
    )
    ResiduoEconomia.objects.create(
        piano=piano_a,
        fonte=fonti["FNPS"],
        tipo="residuo",
        anno_origine=2024,
        anno_impiego=2026,
        importo=Decimal("1000"),
    )
    ResiduoEconomia.objects.create(  # spent in 2026: outside the annual plan's year
        piano=attuativo,
        fonte=fonti["FNPS"],
        tipo="residuo",
        anno_origine=2024,
        anno_impiego=2026,
        importo=Decimal("7"),
    )
    RisorsaAggiuntiva.objects.create(
        piano=piano_a, fonte=fonti["PNRR"], anno=2025, importo=Decimal("200000")
    )
    bari, valenzano = (c for c in a.comuni.order_by("nome"))
    Cofinanziamento.objects.create(piano=piano_a, comune=bari, anno=2025, importo=Decimal("700"))
    Cofinanziamento.objects.create(
        piano=piano_a, comune=valenzano, anno=2027, importo=Decimal("300")
    )
    Cofinanziamento.objects.create(piano=attuativo, comune=bari, anno=2025, importo=Decimal("50"))

    prima, seconda = (
        scheda(piano_a, catalogo.segretariato, 1),
        scheda(piano_a, catalogo.domiciliare, 2),
    )
    for s, fonte, anno, importo in [
        (prima, "FNPS", 2025, "30000"),
        (prima, "FNPS", 2026, "5000"),
        (seconda, "FNA", 2025, "1234.56"),
    ]:
        Allocazione.objects.create(
            scheda=s, fonte=fonti[fonte], anno=anno, importo=Decimal(importo)
        )

    transizione(piano_b, "bozza", "inviato", giorni_fa(40), cast.responsabile_a)
    transizione(piano_b, "richiesta_integrazioni", "inviato", giorni_fa(12), cast.responsabile_a)
    versione(piano_b, 1, cast.responsabile_a)
    versione(piano_b, 2, cast.responsabile_a)
    aperta = osservazione(piano_b, cast.funzionario)
    osservazione(piano_b, cast.funzionario, sezione="risorse")
    osservazione(piano_b, cast.funzionario, risolto_il=timezone.now(), risolto_da=cast.funzionario)
    osservazione(piano_b, cast.operatore_b, risposta_a=aperta)
    return attuativo


def righe(response) -> list[tuple]:
    return [
        (
            r.ambito.codice,
            r.piano.titolo if r.piano else None,
            r.piano.stato if r.piano else None,
            r.giorni_nello_stato,
            r.ultima_versione,
            r.budget,
            r.allocato,
            r.osservazioni_aperte,
        )
        for r in response.context["panoramica"].righe
    ]


def test_every_ambito_and_plan_of_the_cycle_with_state_days_money_and_remarks(
    cast, dati, client_for
):
    response = client_for("funzionario").get(url("regione_piani", cast.regione))
    assert response.status_code == 200
    assert righe(response) == [
        (
            "BA01",
            "Piano triennale 2025–2027",
            "bozza",
            30,
            None,
            Decimal("552000"),
            Decimal("36234.56"),
            0,
        ),
        ("BA01", "Piano attuativo 2025", "bozza", 0, None, Decimal("150050"), Decimal("0"), 0),
        ("BA02", "Piano triennale 2025–2027", "inviato", 12, 2, Decimal("80000"), Decimal("0"), 2),
        ("TA01", None, None, None, None, None, None, 0),
    ]


def test_the_budget_is_the_one_the_budget_page_shows(cast, dati, client_for):
    response = client_for("funzionario").get(url("regione_piani", cast.regione))
    for riga in response.context["panoramica"].piani:
        assert riga.budget == budget_del_piano(riga.piano).tabella.totale


def test_the_page_shows_states_in_words_totals_and_links_to_each_plan(cast, dati, client_for):
    html = client_for("funzionario").get(url("regione_piani", cast.regione)).content.decode()
    assert html.count("<h1") == 1
    assert '<span class="stato stato-inviato">Inviato</span>' in html
    assert f'href="{reverse("piano_detail", args=[cast.piano_b.pk])}"' in html
    assert f"552.000,00{EURO}" in html and f"36.234,56{EURO}" in html
    assert f"515.765,44{EURO}" in html  # left to allocate
    assert "Nessun piano nel ciclo" in html
    assert "Totale (3 piani)" in html
    assert f"782.050,00{EURO}" in html  # 552.000 + 150.050 + 80.000
    assert 'dal <time datetime="' in html
    for etichetta in ("Ciclo di programmazione", "Stato del piano", "Tipo di piano"):
        assert f">{etichetta}</label>" in html


def test_the_days_count_from_the_latest_move_or_else_from_the_plans_creation(
    cast, dati, client_for
):
    client = client_for("funzionario")
    transizione(cast.piano_a, "bozza", "bozza", giorni_fa(3), cast.responsabile_a)
    response = client.get(url("regione_piani", cast.regione))
    giorni = {(r[0], r[1]): r[3] for r in righe(response)}
    assert giorni[("BA01", "Piano triennale 2025–2027")] == 3
    assert giorni[("BA02", "Piano triennale 2025–2027")] == 12


@pytest.mark.parametrize(
    ("filtri", "attese"),
    [
        ({"stato": "inviato"}, [("BA02", "Piano triennale 2025–2027")]),
        (
            {"stato": "bozza"},
            [("BA01", "Piano triennale 2025–2027"), ("BA01", "Piano attuativo 2025")],
        ),
        ({"stato": "nessuno"}, [("TA01", None)]),
        ({"tipo": "attuativo"}, [("BA01", "Piano attuativo 2025"), ("BA02", None), ("TA01", None)]),
        ({"tipo": "attuativo", "stato": "bozza"}, [("BA01", "Piano attuativo 2025")]),
        ({"provincia": "Taranto"}, [("TA01", None)]),
        (
            {"provincia": "Bari"},
            [("BA01", "Piano triennale 2025–2027"), ("BA01", "Piano attuativo 2025")],
        ),
    ],
)
def test_the_filters_narrow_the_table(cast, dati, client_for, filtri, attese):
    response = client_for("funzionario").get(url("regione_piani", cast.regione), filtri)
    assert [(r[0], r[1]) for r in righe(response)] == attese


def test_the_latest_cycle_is_shown_by_default_and_another_can_be_chosen(cast, dati, client_for):
    vecchio = CicloFactory(regione=cast.regione, anno_inizio=2019, anno_fine=2021)
    piano = PianoFactory(ambito=cast.ambito_b, ciclo=vecchio, stato=Piano.Stato.APPROVATO)
    client = client_for("funzionario")
    assert (
        client.get(url("regione_piani", cast.regione)).context["panoramica"].ciclo
        == cast.piano_a.ciclo
    )
    response = client.get(url("regione_piani", cast.regione), {"ciclo": vecchio.pk})
    assert response.context["panoramica"].ciclo == vecchio
    assert [(r[0], r[1], r[2]) for r in righe(response)] == [
        ("BA01", None, None),
        ("BA02", "Piano triennale 2019–2021", "approvato"),
        ("TA01", None, None),
    ]
    assert piano.pk == response.context["panoramica"].piani[0].piano.pk


@pytest.mark.parametrize(
    ("filtri", "messaggio"),
    [
        ({"ciclo": "abc"}, "Il ciclo scelto non è della regione."),
        ({"stato": "perso"}, "Stato sconosciuto."),
        ({"tipo": "quinquennale"}, "Tipo di piano sconosciuto."),
        (
            {"provincia": "Atlantide"},
            "Nessun ambito della regione ha capofila in quella provincia.",
        ),
    ],
)
def test_a_wrong_filter_is_explained_in_italian_and_ignored(
    cast, dati, client_for, filtri, messaggio
):
    response = client_for("funzionario").get(url("regione_piani", cast.regione), filtri)
    assert response.status_code == 200
    html = response.content.decode()
    assert messaggio in html and "Alcuni filtri non sono validi" in html
    assert len(righe(response)) == 4


def test_another_regions_cycle_is_not_offered(cast, dati, client_for):
    straniero = CicloFactory(regione=RegioneFactory(), anno_inizio=2025, anno_fine=2027)
    response = client_for("funzionario").get(
        url("regione_piani", cast.regione), {"ciclo": straniero.pk}
    )
    assert "Il ciclo scelto non è della regione." in response.content.decode()
    assert response.context["panoramica"].ciclo == cast.piano_a.ciclo


def test_a_region_without_cycles_says_so(client_for, cast):
    regione = RegioneFactory()
    funzionario = UserFactory()
    MembershipFactory(user=funzionario, ruolo="funzionario", ambito=None, regione=regione)
    client = client_for("anonimo")
    client.force_login(funzionario)
    response = client.get(url("regione_piani", regione))
    assert response.status_code == 200
    assert "La regione non ha ancora cicli di programmazione." in response.content.decode()
    esportato = client.get(url("regione_piani_esporta", regione), {"formato": "csv"})
    assert esportato.status_code == 200


# --- Export ---------------------------------------------------------------------------------------


def test_the_csv_export_is_machine_readable(cast, dati, client_for):
    response = client_for("funzionario").get(
        url("regione_piani_esporta", cast.regione), {"formato": "csv"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == 'attachment; filename="piani-2025-2027.csv"'
    assert response["X-Content-Type-Options"] == "nosniff"
    dataset = tablib.Dataset().load(response.content.decode(), format="csv")
    assert dataset.headers[:9] == [
        "ambito_codice",
        "ambito",
        "provincia",
        "piano_id",
        "tipo",
        "anno",
        "stato",
        "stato_descrizione",
        "nello_stato_dal",
    ]
    per_piano = {r["piano_id"]: r for r in dataset.dict}
    a = per_piano[str(cast.piano_a.pk)]
    assert a["budget"] == "552000.00" and a["allocato"] == "36234.56"
    assert a["da_allocare"] == "515765.44"
    assert a["nello_stato_dal"] == giorni_fa(30).date().isoformat()
    assert a["giorni_nello_stato"] == "30" and a["provincia"] == "Bari"
    b = per_piano[str(cast.piano_b.pk)]
    assert (b["stato"], b["stato_descrizione"], b["ultima_versione"]) == ("inviato", "Inviato", "2")
    assert b["osservazioni_aperte"] == "2"
    assert per_piano[""]["ambito_codice"] == "TA01"
    assert per_piano[""]["stato_descrizione"] == "Nessun piano"


def test_the_xlsx_export_follows_the_filters_with_numbers_as_numbers(cast, dati, client_for):
    response = client_for("admin").get(
        url("regione_piani_esporta", cast.regione), {"stato": "bozza"}
    )
    assert response["Content-Disposition"] == 'attachment; filename="piani-2025-2027.xlsx"'
    dataset = tablib.Dataset().load(io.BytesIO(response.content).read(), format="xlsx")
    assert [(r["ambito_codice"], r["tipo"], r["anno"]) for r in dataset.dict] == [
        ("BA01", "triennale", None),
        ("BA01", "attuativo", 2025),
    ]
    assert Decimal(str(dataset.dict[1]["budget"])) == Decimal("150050")


# --- Queries and permissions ----------------------------------------------------------------------


def test_the_page_runs_the_same_queries_however_many_ambiti_and_plans(
    cast, dati, fonti, catalogo, client_for, assert_constant_queries
):
    ciclo = cast.piano_a.ciclo

    def grow():
        for i in range(4):
            ambito = AmbitoFactory(regione=cast.regione)
            capofila = ComuneFactory(ambito=ambito, provincia=f"Provincia {i}")
            ambito.comune_capofila = capofila
            ambito.save(update_fields=["comune_capofila"])
            piano = PianoFactory(ambito=ambito, ciclo=ciclo, stato=Piano.Stato.INVIATO)
            PianoFactory(ambito=ambito, ciclo=ciclo, tipo=Piano.Tipo.ATTUATIVO, anno=2026)
            Assegnazione.objects.create(
                ciclo=ciclo, ambito=ambito, fonte=fonti["FNPS"], anno=2026, importo=10
            )
            Cofinanziamento.objects.create(piano=piano, comune=capofila, anno=2026, importo=5)
            Allocazione.objects.create(
                scheda=scheda(piano, catalogo.segretariato, 1),
                fonte=fonti["FNPS"],
                anno=2026,
                importo=3,
            )
            transizione(piano, "bozza", "inviato", giorni_fa(2), cast.responsabile_a)
            versione(piano, 1, cast.responsabile_a)
            osservazione(piano, cast.funzionario)
            AmbitoFactory(regione=cast.regione)  # and ambiti with no plan

    client = client_for("funzionario")
    assert_constant_queries(client, url("regione_piani", cast.regione), 13, grow)


def test_district_users_may_not_see_the_regional_table(cast, client_for):
    for ruolo in ("operatore_a", "responsabile_a", "operatore_b"):
        client = client_for(ruolo)
        assert client.get(url("regione_piani", cast.regione)).status_code == 403
        assert client.get(url("regione_piani_esporta", cast.regione)).status_code == 403


def test_another_regions_officer_finds_nothing(cast, client_for):
    altra = RegioneFactory()
    client = client_for("funzionario")
    assert client.get(url("regione_piani", altra)).status_code == 404
    assert client.get(url("regione_piani_esporta", altra)).status_code == 404


def test_anonymous_visitors_are_sent_to_the_login(cast, client):
    response = client.get(url("regione_piani", cast.regione))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
