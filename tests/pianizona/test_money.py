from decimal import Decimal

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.template import Context, Template

from pianizona.money import MENO, NBSP, EuroField, format_differenza, format_euro, parse_euro


@pytest.mark.parametrize(
    ("valore", "atteso"),
    [
        (Decimal("1234.56"), f"1.234,56{NBSP}€"),
        (Decimal("0"), f"0,00{NBSP}€"),
        (Decimal("1234567.5"), f"1.234.567,50{NBSP}€"),
        (Decimal("-987.654"), f"-987,65{NBSP}€"),
        (12, f"12,00{NBSP}€"),
    ],
)
def test_it_formats_euro_the_italian_way(valore, atteso):
    assert format_euro(valore) == atteso


def test_the_template_filter_uses_the_same_format():
    html = Template("{% load pianizona %}{{ v|euro }}").render(Context({"v": Decimal("1234.5")}))
    assert html == f"1.234,50{NBSP}€"


@pytest.mark.parametrize(
    "valore, atteso",
    [
        (Decimal("1234.5"), f"+1.234,50{NBSP}€"),
        (Decimal("-400"), f"{MENO}400,00{NBSP}€"),
        (Decimal("0"), f"0,00{NBSP}€"),
    ],
)
def test_a_change_of_money_always_says_its_sign(valore, atteso):
    assert format_differenza(valore) == atteso
    assert (
        Template("{% load pianizona %}{{ v|euro_segno }}").render(Context({"v": valore})) == atteso
    )


@pytest.mark.parametrize(
    ("testo", "atteso"),
    [
        ("1.234,56", Decimal("1234.56")),
        ("1234,56", Decimal("1234.56")),
        ("1234.56", Decimal("1234.56")),
        ("€ 1.234.567", Decimal("1234567")),
        ("1.234", Decimal("1234")),
        (" 10 ", Decimal("10")),
    ],
)
def test_it_reads_amounts_as_italian_users_type_them(testo, atteso):
    assert parse_euro(testo) == atteso


@pytest.mark.parametrize("testo", ["abc", "1,2,3", "12..5", "1.23,4.5", "--3"])
def test_it_refuses_what_is_not_an_amount(testo):
    with pytest.raises(ValidationError, match="Importo non valido"):
        parse_euro(testo)


class ImportoForm(forms.Form):
    importo = EuroField(label="Importo")


@pytest.mark.parametrize(
    ("testo", "messaggio"),
    [
        ("-5", "L'importo non può essere negativo."),
        ("10,123", "Inserire al massimo 2 decimali."),
        ("dieci", "Importo non valido: usare il formato 1.234,56."),
        ("", "Inserire l'importo."),
    ],
)
def test_the_form_field_explains_bad_amounts_in_italian(testo, messaggio):
    form = ImportoForm({"importo": testo})
    assert not form.is_valid()
    assert form.errors["importo"] == [messaggio]


def test_the_form_field_accepts_thousands_separators_and_shows_them_back():
    form = ImportoForm({"importo": "12.345,60"})
    assert form.is_valid()
    assert form.cleaned_data["importo"] == Decimal("12345.60")
    assert 'value="12.345,60"' in str(ImportoForm(initial={"importo": Decimal("12345.6")}))


def test_an_invalid_form_shows_the_users_input_back_unchanged():
    form = ImportoForm({"importo": "12,345,6"})
    assert not form.is_valid()
    assert 'value="12,345,6"' in str(form["importo"])


@pytest.mark.parametrize("valore", [1e300, Decimal("1E+300"), "1e300", 10**30])
def test_a_huge_amount_in_a_spreadsheet_cell_is_refused_in_italian(valore):
    """quantize() used to raise decimal.InvalidOperation first: the preview showed its class name."""
    from pianizona.importazioni.resources import QuantitaWidget
    from pianizona.money import euro_da_cella

    with pytest.raises(ValueError, match=r"troppo grande|non valido"):
        euro_da_cella(valore)
    with pytest.raises(ValueError, match=r"troppo grande|non valido"):
        QuantitaWidget().clean(valore)
