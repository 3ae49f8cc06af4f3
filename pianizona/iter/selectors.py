"""Reads of the plan's journey that belong to no single step."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import F, QuerySet

from pianizona import registry
from pianizona.models import Piano, Transizione


def piani_collegati(piano: Piano) -> QuerySet[Piano]:
    """The other plans of the same ambito and cycle (the triennial and its annual updates)."""
    return (
        Piano.objects.filter(ambito_id=piano.ambito_id, ciclo_id=piano.ciclo_id)
        .exclude(pk=piano.pk)
        .select_related("ciclo")
        .order_by(F("anno").asc(nulls_first=True))
    )


@dataclass
class StatoSezione:
    """Where a section of the plan stands by the submission checks: what its card shows."""

    bloccanti: int = 0
    avvisi: int = 0

    @property
    def stato(self) -> str:
        if self.bloccanti:
            return "bloccante"
        return "da_fare" if self.avvisi else "completata"


def stato_delle_sezioni(
    esiti: list[registry.EsitoControllo], controllate: set[str]
) -> dict[str, StatoSezione]:
    """Per section url_name, its results among the checklist's own: card and checklist agree.

    A section some check covers and finds nothing in is complete; one no check covers has no
    state, unless a result names it anyway.
    """
    stati = {url_name: StatoSezione() for url_name in controllate}
    for esito in esiti:
        if esito.sezione is None:
            continue
        stato = stati.setdefault(esito.sezione, StatoSezione())
        if esito.bloccante:
            stato.bloccanti += 1
        else:
            stato.avvisi += 1
    return stati


def esiti_delle_versioni(transizioni: Iterable[Transizione]) -> dict[int, Transizione]:
    """Each version's outcome among these moves: the Region's last decision on it, by version id."""
    esiti: dict[int, Transizione] = {}
    for t in sorted(transizioni, key=lambda t: (t.eseguita_il, t.pk)):
        if t.versione_id is not None and t.esito:
            esiti[t.versione_id] = t
    return esiti


def decisioni_sulle_versioni(versioni_ids: Iterable[int]) -> QuerySet[Transizione]:
    """The Region's decisions (approval, request for changes) on these versions, for esiti_delle_versioni."""
    return Transizione.objects.filter(
        versione_id__in=list(versioni_ids), azione__in=list(Transizione.ESITI)
    ).order_by()
