"""The 75% rule: FNPS quota of year N released only once 75% of the N-2 quota is reported as paid.

On the cast: the Region transferred 100.000 € of FNPS for 2025 to BA01, so the 2027 quota needs
75.000,00 € reported as paid on 2025's FNPS lines (programmed 40.000 + 20.000: the two lines
together, the second's excess justified).
"""

# ruff: noqa: F811 (the fixtures imported from fondi_dati are these tests' parameters)

from datetime import date
from decimal import Decimal

import pytest

from monitoraggio.fondi import services
from monitoraggio.fondi.regola75 import regola_75_ambito, regola_75_per_ambiti
from risorse.models import Assegnazione

from .fondi_dati import dichiara, linee, oggi, rendicontazione  # noqa: F401 (fixtures)

GIUSTIFICAZIONE = {"giustificazione": "Economie del triennio precedente."}


def _rendiconta(cast, linee, r, liquidato_infanzia: str, liquidato_disabilita: str) -> None:
    dichiara(
        r, cast.operatore_a, linee.fnps_infanzia(), date(2025, 12, 15), "40000", liquidato_infanzia
    )
    dichiara(
        r,
        cast.operatore_a,
        linee.fnps_disabilita(),
        date(2025, 12, 15),
        "40000",
        liquidato_disabilita,
        **GIUSTIFICAZIONE,
    )
    services.rendicontazione_invia(
        rendicontazione=r, user=cast.responsabile_a, stato_atteso="bozza"
    )


def test_74_99_percent_of_the_quota_two_years_earlier_warns(cast, linee, rendicontazione):
    _rendiconta(cast, linee, rendicontazione, "40000", "34990")  # 74.990,00 of 100.000
    regola = regola_75_ambito(cast.ambito_a, 2027)
    assert (regola.quota, regola.origine_quota, regola.liquidato) == (
        Decimal("100000"),
        "assegnazione",
        Decimal("74990"),
    )
    assert regola.percentuale == Decimal("74.99")
    assert not regola.rispettata
    assert regola.mancante == Decimal("10.00")
    assert "solo il 74,99%" in regola.messaggio and "mancano 10,00\xa0€" in regola.messaggio


def test_one_cent_short_of_75_percent_still_warns(cast, linee, rendicontazione):
    _rendiconta(cast, linee, rendicontazione, "40000", "34999.99")  # 74,99999%
    regola = regola_75_ambito(cast.ambito_a, 2027)
    assert regola.percentuale == Decimal("74.99")  # truncated, never rounded up to 75
    assert not regola.rispettata
    assert regola.mancante == Decimal("0.01")


def test_exactly_75_percent_passes(cast, linee, rendicontazione):
    _rendiconta(cast, linee, rendicontazione, "40000", "35000")
    regola = regola_75_ambito(cast.ambito_a, 2027)
    assert regola.percentuale == Decimal("75.00")
    assert regola.rispettata
    assert "può essere erogata" in regola.messaggio


def test_a_report_still_in_draft_does_not_count(cast, linee, rendicontazione):
    dichiara(
        rendicontazione,
        cast.operatore_a,
        linee.fnps_infanzia(),
        date(2025, 12, 15),
        "40000",
        "40000",
    )
    regola = regola_75_ambito(cast.ambito_a, 2027)
    assert regola.liquidato == Decimal("0") and not regola.rispettata


def test_only_fnps_and_the_latest_declarations_count(cast, linee, rendicontazione):
    linea = linee.fnps_infanzia()
    dichiara(rendicontazione, cast.operatore_a, linea, date(2025, 6, 30), "40000", "30000")
    dichiara(rendicontazione, cast.operatore_a, linea, date(2025, 12, 15), "40000", "38000")
    dichiara(
        rendicontazione,
        cast.operatore_a,
        linee.fna_disabilita(),
        date(2025, 12, 15),
        "5000",
        "5000",
    )
    services.rendicontazione_invia(
        rendicontazione=rendicontazione, user=cast.responsabile_a, stato_atteso="bozza"
    )
    assert regola_75_ambito(cast.ambito_a, 2027).liquidato == Decimal("38000")


def test_without_a_transfer_the_programmed_fnps_is_the_quota(cast, linee, rendicontazione):
    Assegnazione.objects.filter(ambito=cast.ambito_a, fonte=linee.fnps, anno=2025).delete()
    dichiara(
        rendicontazione,
        cast.operatore_a,
        linee.fnps_infanzia(),
        date(2025, 12, 15),
        "40000",
        "40000",
    )
    dichiara(
        rendicontazione,
        cast.operatore_a,
        linee.fnps_disabilita(),
        date(2025, 12, 15),
        "20000",
        "5000",
    )
    services.rendicontazione_invia(
        rendicontazione=rendicontazione, user=cast.responsabile_a, stato_atteso="bozza"
    )
    regola = regola_75_ambito(cast.ambito_a, 2027)
    assert (regola.quota, regola.origine_quota) == (Decimal("60000"), "programmato")
    assert regola.percentuale == Decimal("75.00") and regola.rispettata


def test_no_quota_two_years_earlier_means_nothing_to_check(cast, linee):
    regola = regola_75_ambito(cast.ambito_a, 2026)  # 2024: no transfer, no approved plan
    assert not regola.applicabile and regola.rispettata


@pytest.mark.django_db
def test_the_rule_is_computed_for_every_ambito_of_the_region_at_once(
    cast, linee, rendicontazione, django_assert_num_queries
):
    _rendiconta(cast, linee, rendicontazione, "40000", "35000")
    with django_assert_num_queries(5):  # BA02 programmes nothing: no aggregate
        esiti = regola_75_per_ambiti(cast.regione, 2027)
    assert [(e.ambito_id, e.rispettata, e.applicabile) for e in esiti] == [
        (cast.ambito_a.pk, True, True),
        (cast.ambito_b.pk, True, False),
    ]
