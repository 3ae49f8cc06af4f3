"""Reads of the plan's journey that belong to no single step."""

from django.db.models import F, QuerySet

from pianizona.models import Piano


def piani_collegati(piano: Piano) -> QuerySet[Piano]:
    """The other plans of the same ambito and cycle (the triennial and its annual updates)."""
    return (
        Piano.objects.filter(ambito_id=piano.ambito_id, ciclo_id=piano.ciclo_id)
        .exclude(pk=piano.pk)
        .select_related("ciclo")
        .order_by(F("anno").asc(nulls_first=True))
    )
