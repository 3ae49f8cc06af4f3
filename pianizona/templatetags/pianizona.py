from django import template

from pianizona.money import format_euro

register = template.Library()


@register.filter
def euro(value) -> str:
    """``{{ importo|euro }}`` → ``1.234,56 €``."""
    return format_euro(value)


@register.filter
def intero(value) -> str:
    """Whole numbers with Italian thousands separators: ``4052566`` → ``4.052.566``."""
    if value is None or value == "":
        return ""
    return f"{int(value):,}".replace(",", ".")
