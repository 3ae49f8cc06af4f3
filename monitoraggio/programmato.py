"""What was programmed, the base of all monitoring: the approved plans' allocations, per line.

A year's programme is the approved annual plan (*piano attuativo*) of that year when there is one,
otherwise the approved triennial plan whose cycle covers the year. Each allocation falls on a line
by its sheet's catalogue entry: fund × FNPS service objective × FNPS intervention area.

Shared by fund monitoring, indicators, the SIOSS export and the dashboards: read it from here.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q, QuerySet, Sum

from pianizona.models import Piano
from programmazione.models import Allocazione

from .models import Dichiarazione

ZERO = Decimal("0")
CODICE_FNPS = "FNPS"  # the national fund monitoring is first about (reference code list)


@dataclass(frozen=True)
class Linea:
    """One monitoring line of an ambito's year."""

    ambito_id: int
    anno: int
    fonte_id: int
    obiettivo_id: int
    area_id: int


def piani_di_riferimento(
    ambito_ids: Iterable[int], anni: Iterable[int]
) -> dict[tuple[int, int], Piano]:
    """(ambito, anno) → the approved plan that programmes that year, in two queries at most."""
    ambito_ids, anni = list(ambito_ids), list(anni)
    if not ambito_ids or not anni:
        return {}
    approvati = list(
        Piano.objects.filter(ambito_id__in=ambito_ids, stato=Piano.Stato.APPROVATO)
        .filter(
            Q(tipo=Piano.Tipo.ATTUATIVO, anno__in=anni)
            | Q(
                tipo=Piano.Tipo.TRIENNALE,
                ciclo__anno_inizio__lte=max(anni),
                ciclo__anno_fine__gte=min(anni),
            )
        )
        .select_related("ciclo", "ambito")
    )
    riferimento: dict[tuple[int, int], Piano] = {}
    for piano in approvati:
        if piano.tipo == Piano.Tipo.TRIENNALE:
            for anno in anni:
                if piano.ciclo.anno_inizio <= anno <= piano.ciclo.anno_fine:
                    riferimento.setdefault((piano.ambito_id, anno), piano)
    for piano in approvati:  # the annual plan of the year wins over the triennial
        if piano.tipo == Piano.Tipo.ATTUATIVO:
            riferimento[(piano.ambito_id, piano.anno)] = piano
    return riferimento


def allocazioni_programmate(
    ambito_ids: Iterable[int], anni: Iterable[int]
) -> QuerySet[Allocazione]:
    """The allocations of the reference plans for those ambiti and years (one queryset, lazy)."""
    riferimento = piani_di_riferimento(ambito_ids, anni)
    filtro = Q(pk__in=[])
    per_piano: dict[int, list[int]] = defaultdict(list)
    for (_, anno), piano in riferimento.items():
        per_piano[piano.pk].append(anno)
    for piano_id, anni_piano in per_piano.items():
        filtro |= Q(scheda__piano_id=piano_id, anno__in=anni_piano)
    return Allocazione.objects.filter(filtro)


def programmato_per_linea(ambito_ids: Iterable[int], anni: Iterable[int]) -> dict[Linea, Decimal]:
    """Linea → programmed amount, aggregated in the database (three queries whatever the size)."""
    righe = (
        allocazioni_programmate(ambito_ids, anni)
        .values(
            "scheda__piano__ambito_id",
            "anno",
            "fonte_id",
            "scheda__voce__obiettivo_servizio_id",
            "scheda__voce__area_intervento_id",
        )
        .annotate(totale=Sum("importo"))
        .order_by()
    )
    return {
        Linea(
            r["scheda__piano__ambito_id"],
            r["anno"],
            r["fonte_id"],
            r["scheda__voce__obiettivo_servizio_id"],
            r["scheda__voce__area_intervento_id"],
        ): r["totale"]
        for r in righe
    }


def ultime_dichiarazioni(filtro: Q | None = None) -> QuerySet[Dichiarazione]:
    """Each line's latest declaration (its current figures), optionally within ``filtro``.

    Set-based: one query with NOT EXISTS over a later declaration of the same line; ties on the
    date go to the one registered last.
    """
    piu_recente = Dichiarazione.objects.filter(
        rendicontazione_id=OuterRef("rendicontazione_id"),
        fonte_id=OuterRef("fonte_id"),
        obiettivo_servizio_id=OuterRef("obiettivo_servizio_id"),
        area_intervento_id=OuterRef("area_intervento_id"),
    ).filter(Q(data__gt=OuterRef("data")) | Q(data=OuterRef("data"), pk__gt=OuterRef("pk")))
    qs = Dichiarazione.objects.all() if filtro is None else Dichiarazione.objects.filter(filtro)
    return qs.filter(~Exists(piu_recente))
