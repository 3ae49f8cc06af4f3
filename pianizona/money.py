"""Money: one way to show it (``1.234,56 €``) and one way to read it back from a form."""

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.numberformat import format as number_format

CENT = Decimal("0.01")
NBSP = "\u00a0"
MENO = "\u2212"  # the minus sign, read as "meno" by screen readers
MAX_DIGITS = 14  # up to 999 billion euro with cents

_ITALIAN = re.compile(r"^-?\d{1,3}(\.\d{3})*(,\d+)?$|^-?\d+(,\d+)?$")
_PLAIN = re.compile(r"^-?\d+(\.\d+)?$")


def money_field(verbose_name: str, **kwargs) -> models.DecimalField:
    """The model field for an amount in euro."""
    kwargs.setdefault("max_digits", MAX_DIGITS)
    kwargs.setdefault("decimal_places", 2)
    return models.DecimalField(verbose_name, **kwargs)


def format_euro(value: Decimal | int | float | None, *, simbolo: bool = True) -> str:
    """``Decimal("1234.5")`` → ``"1.234,50 €"`` (a non-breaking space before the symbol)."""
    if value is None or value == "":
        return ""
    amount = Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)
    text = number_format(
        amount, decimal_sep=",", decimal_pos=2, grouping=3, thousand_sep=".", force_grouping=True
    )
    return f"{text}{NBSP}€" if simbolo else text


def format_differenza(value: Decimal) -> str:
    """A change of money, always signed: ``+1.234,56 €``, ``−1.234,56 €`` or ``0,00 €``."""
    if value > 0:
        return "+" + format_euro(value)
    if value < 0:
        return MENO + format_euro(-value)
    return format_euro(Decimal("0"))


def format_percentuale(value: Decimal) -> str:
    """``Decimal("50")`` → ``"50,00%"``."""
    return (
        number_format(
            Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP), decimal_sep=",", decimal_pos=2
        )
        + "%"
    )


def parse_euro(text: str) -> Decimal:
    """Read an amount as an Italian user types it: ``1.234,56``, ``1234,56``, ``1234.56``, ``€ 10``.

    A lone dot followed by exactly three digits is a thousands separator, as in Italian usage.
    """
    cleaned = text.strip().replace("€", "").replace(NBSP, "").replace(" ", "").replace("'", "")
    if not cleaned:
        raise ValidationError("Inserire un importo.", code="required")
    if _ITALIAN.match(cleaned):
        normalised = cleaned.replace(".", "").replace(",", ".")
    elif _PLAIN.match(cleaned):
        normalised = cleaned
    else:
        raise ValidationError("Importo non valido: usare il formato 1.234,56.", code="invalid")
    try:
        return Decimal(normalised)
    except InvalidOperation as exc:
        raise ValidationError(
            "Importo non valido: usare il formato 1.234,56.", code="invalid"
        ) from exc


class EuroInput(forms.TextInput):
    """A text input (not type=number, which refuses Italian separators) showing ``1.234,56``."""

    def __init__(self, attrs=None):
        base = {"inputmode": "decimal", "autocomplete": "off", "class": "form-control text-end"}
        super().__init__({**base, **(attrs or {})})

    def format_value(self, value):
        if value is None or value == "":
            return ""
        if isinstance(value, str):
            return value  # re-show exactly what the user typed when the form is invalid
        return format_euro(value, simbolo=False)


class EuroField(forms.DecimalField):
    """A form field for euro amounts: Italian input, two decimals at most, never negative by default."""

    widget = EuroInput
    default_error_messages = {
        "required": "Inserire l'importo.",
        "invalid": "Importo non valido: usare il formato 1.234,56.",
        "max_decimal_places": "Inserire al massimo %(max)s decimali.",
        "max_digits": "Importo troppo grande.",
        "max_whole_digits": "Importo troppo grande.",
    }

    def __init__(self, *, allow_negative: bool = False, **kwargs):
        kwargs.setdefault("max_digits", MAX_DIGITS)
        kwargs.setdefault("decimal_places", 2)
        if not allow_negative:
            kwargs.setdefault("min_value", Decimal("0"))
        super().__init__(**kwargs)
        for validator in self.validators:
            if getattr(validator, "code", None) == "min_value":
                validator.message = "L'importo non può essere negativo."

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal | int):
            return Decimal(value)
        return parse_euro(str(value))


CIFRE_EXCEL = 15  # Excel keeps 15 significant digits: beyond them a float is an artefact


def numero_da_cella(valore, *, importo: bool = False) -> Decimal:
    """A non-negative number from a spreadsheet cell with at most 2 decimals, as Excel shows it.

    ``301234.56000000006`` (a formula's float artefact) is ``301234.56``; a value that really has
    3 decimals is refused showing the value read. Raises ``ValueError`` with an Italian message
    about an amount (``importo``) or a value.
    """
    cosa = "Importo" if importo else "Valore"
    if valore is None or (isinstance(valore, str) and not valore.strip()):
        raise ValueError(f"{cosa} mancante.")
    if isinstance(valore, bool):
        raise ValueError(f"Valore «{valore}» non valido: indicare un numero.")
    if isinstance(valore, int | float | Decimal):
        numero = Decimal(str(valore))  # str() of a float is its shortest exact decimal form
    else:
        try:
            numero = parse_euro(str(valore))
        except ValidationError as exc:
            raise ValueError(exc.messages[0]) from exc
    if not numero.is_finite():
        raise ValueError(f"{cosa} non valido.")
    if numero < 0:
        raise ValueError(
            "L'importo non può essere negativo."
            if importo
            else "Il valore non può essere negativo."
        )
    # Before quantize: a huge number (1e300) has no room for cents and quantize would raise.
    if numero >= Decimal(10) ** (MAX_DIGITS - 2):
        raise ValueError(f"{cosa} troppo grande.")
    if numero and len(numero.as_tuple().digits) > CIFRE_EXCEL:
        numero = numero.quantize(Decimal(1).scaleb(numero.adjusted() - CIFRE_EXCEL + 1))
    if numero != numero.quantize(CENT):
        letto = format(numero.normalize(), "f").replace(".", ",")
        raise ValueError(f"Inserire al massimo 2 decimali. Valore letto: «{letto}».")
    return numero.quantize(CENT)


def euro_da_cella(valore) -> Decimal:
    """An amount from a spreadsheet cell (a number, or text as an Italian user writes it).

    Raises ``ValueError`` with an Italian message: import-export shows it at the row.
    """
    return numero_da_cella(valore, importo=True)
