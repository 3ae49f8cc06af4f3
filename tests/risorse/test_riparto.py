from decimal import Decimal

import pytest

from pianizona.dominio import ErroreDominio
from risorse.riparto import Criterio, calcola_riparto

AMBITI = ["A", "B", "C"]
UGUALI = Criterio("uguale", "Uguale", {"A": Decimal(1), "B": Decimal(1), "C": Decimal(1)})


@pytest.mark.parametrize(
    "totale", ["100.00", "0.01", "0.02", "1000000.00", "333.33", "7.77", "0.00"]
)
def test_three_equal_shares_always_add_up_to_the_total(totale):
    quote = calcola_riparto(Decimal(totale), [UGUALI], {"uguale": Decimal(1)}, AMBITI)
    assert sum(q.importo for q in quote) == Decimal(totale)
    importi = sorted(q.importo for q in quote)
    assert importi[-1] - importi[0] <= Decimal("0.01")


def test_the_odd_cent_goes_to_the_largest_remainder_then_to_the_lower_code():
    quote = calcola_riparto(Decimal("100.00"), [UGUALI], {"uguale": Decimal(1)}, AMBITI)
    assert [q.importo for q in quote] == [Decimal("33.34"), Decimal("33.33"), Decimal("33.33")]


def test_weights_mix_criteria_in_proportion():
    popolazione = Criterio(
        "pop", "Popolazione", {"A": Decimal(300), "B": Decimal(100), "C": Decimal(0)}
    )
    minori = Criterio("min", "Minori", {"A": Decimal(0), "B": Decimal(0), "C": Decimal(50)})
    quote = calcola_riparto(
        Decimal("1000.00"), [popolazione, minori], {"pop": Decimal(70), "min": Decimal(30)}, AMBITI
    )
    assert [q.importo for q in quote] == [Decimal("525.00"), Decimal("175.00"), Decimal("300.00")]


def test_an_awkward_total_over_45_ambiti_with_real_like_populations_is_exact():
    ambiti = [f"X{i:02d}" for i in range(45)]
    pop = Criterio(
        "pop", "Pop", {a: Decimal(10_007 + 7_919 * i % 97_001) for i, a in enumerate(ambiti)}
    )
    minori = Criterio(
        "min", "Minori", {a: Decimal(1_003 + 311 * i % 9_973) for i, a in enumerate(ambiti)}
    )
    totale = Decimal("12345678.91")
    quote = calcola_riparto(
        totale, [pop, minori], {"pop": Decimal("66.6"), "min": Decimal("33.4")}, ambiti
    )
    assert sum(q.importo for q in quote) == totale
    assert all(q.importo == q.importo.quantize(Decimal("0.01")) for q in quote)


def test_a_weight_on_a_criterion_without_values_is_refused():
    vuoto = Criterio("vuoto", "Over 65", {})
    with pytest.raises(ErroreDominio, match="non ha valori"):
        calcola_riparto(Decimal("10"), [vuoto], {"vuoto": Decimal(1)}, AMBITI)


@pytest.mark.parametrize(
    ("totale", "pesi", "messaggio"),
    [
        ("-1", {"uguale": Decimal(1)}, "positivo"),
        ("1.001", {"uguale": Decimal(1)}, "2 decimali"),
        ("10", {"uguale": Decimal(0)}, "almeno un criterio"),
        ("10", {"uguale": Decimal(-1)}, "negativi"),
    ],
)
def test_bad_inputs_are_refused_in_italian(totale, pesi, messaggio):
    with pytest.raises(ErroreDominio, match=messaggio):
        calcola_riparto(Decimal(totale), [UGUALI], pesi, AMBITI)
