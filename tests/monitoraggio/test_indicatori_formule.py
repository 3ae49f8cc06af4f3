"""Each computed indicator on hand-computed figures (see tests/monitoraggio/indicatori_dati.py)."""

from datetime import date
from decimal import Decimal

import pytest

from monitoraggio.indicatori import formule
from monitoraggio.indicatori.formule import Calcolo, Dati
from monitoraggio.models import Indicatore, Rendicontazione
from pianizona.models import AreaUtenzaIstat, Piano

from . import indicatori_dati as d

ANNI = [2025, 2026, 2027]


@pytest.fixture
def dati_a(cast, fonti, riferimenti):
    """A approved and programmed; B's plan is only submitted."""
    d.popolazioni_tonde(cast)
    voci = d.voci(cast, riferimenti)
    d.programma_a(cast, fonti, voci)
    d.programma_b(cast, fonti, voci)
    return voci


@pytest.fixture
def dati_ab(dati_a, cast):
    d.approva(cast.piano_b)
    return dati_a


def calcola(cast, nome: str, **indicatore) -> dict:
    return formule.FORMULE[nome].calcola(Dati(cast.regione, ANNI), Indicatore(**indicatore))


def v(testo: str) -> Decimal:
    return Decimal(testo)


def test_social_spending_per_inhabitant_is_the_programmed_total_over_the_population(cast, dati_ab):
    valori = calcola(cast, "spesa_sociale_per_abitante")
    a, b = cast.ambito_a.pk, cast.ambito_b.pk
    assert valori[(a, 2025)] == Calcolo(v("2.0000"))  # 200.000 / 100.000
    assert valori[(a, 2026)] == Calcolo(v("0.3000"))  # 30.000 / 100.000
    assert valori[(a, 2027)] == Calcolo(v("0.0000"))  # approved, nothing programmed
    assert valori[(b, 2025)] == Calcolo(v("1.0000"))  # 50.000 / 50.000
    assert valori[(None, 2025)] == Calcolo(v("1.6667"))  # 250.000 / 150.000


def test_spending_per_inhabitant_by_user_area_counts_only_that_areas_entries(cast, dati_ab):
    anziani = AreaUtenzaIstat.objects.get(codice="ELD")
    valori = calcola(cast, "spesa_sociale_per_abitante", area_utenza=anziani)
    assert valori[(cast.ambito_a.pk, 2025)].valore == v("1.4000")  # 140.000 / 100.000
    assert valori[(cast.ambito_a.pk, 2026)].valore == v("0.0000")
    assert valori[(None, 2025)].valore == v("1.2667")  # 190.000 / 150.000


def test_an_ambito_without_an_approved_plan_has_no_value_and_says_why(cast, dati_a):
    valori = calcola(cast, "spesa_sociale_per_abitante")
    assert valori[(cast.ambito_b.pk, 2025)] == Calcolo(None, formule.SENZA_PIANO)
    # The region counts only the ambiti with an approved plan: A alone.
    assert valori[(None, 2025)].valore == v("2.0000")


def test_the_annual_plan_of_the_year_wins_over_the_triennial(cast, fonti, dati_a):
    attuativo = Piano.objects.create(
        ambito=cast.ambito_a,
        ciclo=cast.piano_a.ciclo,
        tipo=Piano.Tipo.ATTUATIVO,
        anno=2026,
        stato=Piano.Stato.APPROVATO,
    )
    d.scheda(attuativo, dati_a.domiciliare, [(fonti["FNPS"], 2026, 10_000)])
    valori = calcola(cast, "spesa_sociale_per_abitante")
    assert valori[(cast.ambito_a.pk, 2026)].valore == v("0.1000")
    assert calcola(cast, "quota_fnps_infanzia")[(cast.ambito_a.pk, 2026)].valore == v("0.0000")


def test_fnps_share_to_children_and_families_is_area_1_over_all_fnps(cast, dati_ab):
    valori = calcola(cast, "quota_fnps_infanzia")
    assert valori[(cast.ambito_a.pk, 2025)].valore == v("60.0000")
    assert valori[(cast.ambito_a.pk, 2026)].valore == v("100.0000")
    assert valori[(cast.ambito_b.pk, 2025)].valore == v("0.0000")
    assert valori[(None, 2025)].valore == v("40.0000")  # 60.000 / 150.000


def test_without_fnps_the_share_is_no_value_with_its_reason_not_an_error(cast, dati_ab):
    valori = calcola(cast, "quota_fnps_infanzia")
    assert valori[(cast.ambito_a.pk, 2027)] == Calcolo(None, formule.SENZA_FNPS)


def test_municipal_cofinancing_per_inhabitant(cast, dati_ab):
    valori = calcola(cast, "cofinanziamento_per_abitante")
    assert valori[(cast.ambito_a.pk, 2025)].valore == v("1.2000")  # 120.000 / 100.000
    assert valori[(cast.ambito_a.pk, 2026)].valore == v("0.0000")
    assert valori[(cast.ambito_b.pk, 2025)].valore == v("0.0000")
    assert valori[(None, 2025)].valore == v("0.8000")  # 120.000 / 150.000


def test_a_zero_population_is_no_value_with_its_reason(cast, dati_ab):
    cast.ambito_b.comuni.update(popolazione=0)
    valori = calcola(cast, "cofinanziamento_per_abitante")
    assert valori[(cast.ambito_b.pk, 2025)] == Calcolo(None, formule.SENZA_POPOLAZIONE)


def test_paid_and_committed_percentages_use_each_lines_latest_declaration(
    cast, fonti, riferimenti, dati_ab
):
    d.rendiconta_a(cast, fonti, riferimenti)
    liquidata = calcola(cast, "percentuale_liquidata")
    impegnata = calcola(cast, "percentuale_impegnata")
    assert liquidata[(cast.ambito_a.pk, 2025)].valore == v("50.0000")  # 100.000 / 200.000
    assert impegnata[(cast.ambito_a.pk, 2025)].valore == v("75.0000")  # 150.000 / 200.000
    # B has not reported; the region counts the ambiti that did.
    assert liquidata[(cast.ambito_b.pk, 2025)] == Calcolo(None, formule.SENZA_RENDICONTAZIONE)
    assert liquidata[(None, 2025)].valore == v("50.0000")


def test_a_report_still_in_draft_does_not_count(cast, fonti, riferimenti, dati_ab):
    d.rendiconta(
        cast.ambito_b,
        cast.piano_b,
        2025,
        [(fonti["FNPS"], riferimenti.accesso, riferimenti.disabilita, date(2025, 9, 1), 9, 9)],
        cast.operatore_b,
        stato=Rendicontazione.Stato.BOZZA,
    )
    valori = calcola(cast, "percentuale_liquidata")
    assert valori[(cast.ambito_b.pk, 2025)].valore is None


def test_a_report_on_a_year_with_nothing_programmed_is_no_value(cast, fonti, riferimenti, dati_ab):
    d.rendiconta(
        cast.ambito_a,
        cast.piano_a,
        2027,
        [(fonti["FNPS"], riferimenti.accesso, riferimenti.infanzia, date(2027, 3, 1), 10, 5)],
        cast.responsabile_a,
    )
    valori = calcola(cast, "percentuale_liquidata")
    assert valori[(cast.ambito_a.pk, 2027)] == Calcolo(None, formule.SENZA_PROGRAMMATO)


def test_leps_spending_in_euro_and_as_a_share_of_the_total(cast, dati_ab):
    spesa = calcola(cast, "spesa_leps")
    quota = calcola(cast, "quota_leps")
    assert spesa[(cast.ambito_a.pk, 2025)].valore == v("60000.0000")
    assert spesa[(cast.ambito_b.pk, 2025)].valore == v("0.0000")
    assert spesa[(None, 2025)].valore == v("60000.0000")
    assert quota[(cast.ambito_a.pk, 2025)].valore == v("30.0000")  # 60.000 / 200.000
    assert quota[(None, 2025)].valore == v("24.0000")  # 60.000 / 250.000
    assert quota[(cast.ambito_a.pk, 2027)] == Calcolo(None, formule.SENZA_PROGRAMMATO)


def test_programmed_spending_in_euro(cast, dati_ab):
    valori = calcola(cast, "spesa_sociale_programmata")
    assert valori[(cast.ambito_a.pk, 2025)].valore == v("200000.0000")
    assert valori[(None, 2025)].valore == v("250000.0000")


def test_the_number_of_ambiti_with_an_approved_plan_is_regional_only(cast, dati_a):
    valori = calcola(cast, "ambiti_con_piano_approvato")
    assert set(valori) == {(None, anno) for anno in ANNI}
    assert valori[(None, 2025)].valore == Decimal(1)
    d.approva(cast.piano_b)
    assert calcola(cast, "ambiti_con_piano_approvato")[(None, 2027)].valore == Decimal(2)
