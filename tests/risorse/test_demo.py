from decimal import Decimal

import pytest
from django.db.models import Sum

from pianizona.demo import seed_demo
from pianizona.models import Piano
from risorse import selectors
from risorse.demo import TOTALI_REGIONALI
from risorse.models import Assegnazione, Cofinanziamento, Recepimento, ResiduoEconomia, Riparto

pytestmark = pytest.mark.django_db


def test_the_demo_distributes_every_regional_fund_to_the_cent_and_reruns_cleanly():
    seed_demo(scale="small")
    conteggi = [
        m.objects.count()
        for m in (Assegnazione, Cofinanziamento, ResiduoEconomia, Recepimento, Riparto)
    ]
    totale = Assegnazione.objects.filter(fonte__codice="FNPS", anno=2025).aggregate(
        t=Sum("importo")
    )["t"]
    assert Decimal(totale) == TOTALI_REGIONALI["FNPS"]
    assert Assegnazione.objects.filter(anno=2025).values("ambito").distinct().count() == 45
    seed_demo(scale="small")
    assert conteggi == [
        m.objects.count()
        for m in (Assegnazione, Cofinanziamento, ResiduoEconomia, Recepimento, Riparto)
    ]


def test_the_demo_draft_has_a_budget_and_municipalities_below_the_minimum_somewhere():
    seed_demo(scale="small")
    bozza = Piano.objects.get(ambito__codice="BA01", ciclo__anno_inizio=2025, tipo="triennale")
    assert bozza.stato == Piano.Stato.BOZZA
    assert selectors.budget_del_piano(bozza).tabella.totale > 0
    assert not selectors.stato_recepimento(bozza).valido  # left for the demo user to acknowledge
    sotto = sum(
        len(selectors.cofinanziamento_del_piano(p).comuni_sotto_minimo)
        for p in Piano.objects.filter(ciclo__anno_inizio=2025, tipo="triennale")
    )
    assert sotto > 0


def test_a_rerun_draws_the_same_amounts():
    seed_demo(scale="small")
    prima = sorted(
        Cofinanziamento.objects.values_list(
            "piano__ambito__codice", "comune__codice_istat", "anno", "importo"
        )
    )
    seed_demo(scale="small")
    assert (
        sorted(
            Cofinanziamento.objects.values_list(
                "piano__ambito__codice", "comune__codice_istat", "anno", "importo"
            )
        )
        == prima
    )
