"""The budget of many plans at once, summed in the database (the regional overview's column).

The same total as the budget page (``selectors.budget_del_piano``): transfers to the plan's
ambito in its cycle, residui, other resources and co-financing, each counted in the plan's years
only (the cycle's years for a triennial plan, its own year for an annual one).
"""

from decimal import Decimal

from django.db.models import DecimalField, Exists, F, Func, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from pianizona.models import FonteFinanziamento, Piano

from .models import Assegnazione, Cofinanziamento, ResiduoEconomia, RisorsaAggiuntiva
from .selectors import CODICE_COFINANZIAMENTO

EURO = DecimalField(max_digits=16, decimal_places=2)
CENT = Decimal("0.01")  # SQLite returns computed sums unscaled


def _negli_anni_del_piano(queryset: QuerySet, campo: str) -> QuerySet:
    # An annual plan's own year, else the whole cycle (an annual plan has ``anno``, a triennial none).
    return queryset.filter(
        **{
            f"{campo}__gte": Coalesce(OuterRef("anno"), OuterRef("ciclo__anno_inizio")),
            f"{campo}__lte": Coalesce(OuterRef("anno"), OuterRef("ciclo__anno_fine")),
        }
    )


def _somma(queryset: QuerySet) -> Coalesce:
    """SUM(importo) of ``queryset`` as a correlated subquery; 0 when it has no rows."""
    totale = (
        queryset.order_by().annotate(totale=Func(F("importo"), function="SUM")).values("totale")
    )
    return Coalesce(Subquery(totale, output_field=EURO), Value(Decimal("0")), output_field=EURO)


def totali_risorse(piani: list[Piano]) -> dict[int, dict[str, Decimal]]:
    """{plan pk: {"budget": …}} in one query, however many plans."""
    trasferimenti = _negli_anni_del_piano(
        Assegnazione.objects.filter(ambito_id=OuterRef("ambito_id"), ciclo_id=OuterRef("ciclo_id")),
        "anno",
    )
    residui = _negli_anni_del_piano(
        ResiduoEconomia.objects.filter(piano_id=OuterRef("pk")), "anno_impiego"
    )
    altre = _negli_anni_del_piano(RisorsaAggiuntiva.objects.filter(piano_id=OuterRef("pk")), "anno")
    # As on the budget page: co-financing counts once the municipalities' fund exists.
    cofinanziamento = _negli_anni_del_piano(
        Cofinanziamento.objects.filter(
            Exists(FonteFinanziamento.objects.filter(codice=CODICE_COFINANZIAMENTO)),
            piano_id=OuterRef("pk"),
        ),
        "anno",
    )
    righe = (
        Piano.objects.filter(pk__in=[p.pk for p in piani])
        .annotate(
            budget=_somma(trasferimenti) + _somma(residui) + _somma(altre) + _somma(cofinanziamento)
        )
        .order_by()
        .values_list("pk", "budget")
    )
    return {pk: {"budget": budget.quantize(CENT)} for pk, budget in righe}
