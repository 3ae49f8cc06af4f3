"""The money allocated by many plans at once, summed in the database (the regional overview)."""

from decimal import Decimal

from django.db.models import Sum

from pianizona.models import Piano

from .models import Allocazione

CENT = Decimal("0.01")


def totali_programmazione(piani: list[Piano]) -> dict[int, dict[str, Decimal]]:
    """{plan pk: {"allocato": …}} in one query: every sheet's amounts, every fund and year."""
    righe = (
        Allocazione.objects.filter(scheda__piano_id__in=[p.pk for p in piani])
        .values_list("scheda__piano_id")
        .annotate(totale=Sum("importo"))
        .order_by()
    )
    allocato = dict(righe)
    # SQLite returns computed sums unscaled: cents, as everywhere else
    return {p.pk: {"allocato": allocato.get(p.pk, Decimal(0)).quantize(CENT)} for p in piani}
