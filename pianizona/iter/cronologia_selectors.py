"""Reads of a plan's change history: operations with their changed values, and state moves.

Every read runs a fixed number of queries, however long the history: the page of operations is
one query, their changed values one more (prefetched), the filter choices one each.
"""

from dataclasses import dataclass
from datetime import date

import tablib
from django.core.paginator import Page, Paginator
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils.timezone import localtime

from pianizona.models import Modifica, Piano, Transizione, User, VoceModifica

PER_PAGINA = 25


@dataclass(frozen=True)
class FiltriCronologia:
    tabella: str = ""  # a VoceModifica.tabella title, e.g. "Residui ed economie"
    utente_id: int | None = None
    origine: str = ""  # a Modifica.Origine value
    dal: date | None = None  # both ends included, in the local day
    al: date | None = None

    @property
    def attivi(self) -> bool:
        return any((self.tabella, self.utente_id, self.origine, self.dal, self.al))


def _nel_periodo(filtri: FiltriCronologia, campo: str) -> Q:
    condizione = Q()
    if filtri.dal:
        condizione &= Q(**{f"{campo}__date__gte": filtri.dal})
    if filtri.al:
        condizione &= Q(**{f"{campo}__date__lte": filtri.al})
    return condizione


def _modifiche_filtrate(piano: Piano, filtri: FiltriCronologia) -> QuerySet[Modifica]:
    modifiche = Modifica.objects.filter(piano=piano)
    if filtri.tabella:
        modifiche = modifiche.filter(
            Exists(VoceModifica.objects.filter(modifica=OuterRef("pk"), tabella=filtri.tabella))
        )
    if filtri.utente_id:
        modifiche = modifiche.filter(utente_id=filtri.utente_id)
    if filtri.origine:
        modifiche = modifiche.filter(origine=filtri.origine)
    return modifiche.filter(_nel_periodo(filtri, "eseguita_il"))


def modifiche_del_piano(piano: Piano, filtri: FiltriCronologia) -> QuerySet[Modifica]:
    """The plan's operations, newest first, each with its changed values (of the chosen table).

    Filtering by table keeps the operations that touched it, and shows only that table's values.
    """
    voci = VoceModifica.objects.order_by("pk")
    if filtri.tabella:
        voci = voci.filter(tabella=filtri.tabella)
    return (
        _modifiche_filtrate(piano, filtri)
        .select_related("utente")
        .prefetch_related(Prefetch("voci", queryset=voci))
        .order_by("-eseguita_il", "-pk")
    )


def pagina_di_modifiche(piano: Piano, filtri: FiltriCronologia, numero: str | int | None) -> Page:
    """One page of 25 operations; a page number out of range gives the last page, not an error."""
    return Paginator(modifiche_del_piano(piano, filtri), PER_PAGINA).get_page(numero)


def transizioni_del_piano(piano: Piano, filtri: FiltriCronologia) -> list[Transizione]:
    """The plan's state moves, oldest first; the user and period filters apply to them too."""
    transizioni = Transizione.objects.filter(piano=piano)
    if filtri.utente_id:
        transizioni = transizioni.filter(utente_id=filtri.utente_id)
    return list(
        transizioni.filter(_nel_periodo(filtri, "eseguita_il"))
        .select_related("utente", "versione")
        .order_by("eseguita_il", "pk")
    )


def tabelle_nella_cronologia(piano: Piano) -> list[str]:
    """The tables the plan's history has changed, for the filter's choices."""
    return list(
        VoceModifica.objects.filter(modifica__piano=piano)
        .order_by("tabella")
        .values_list("tabella", flat=True)
        .distinct()
    )


def utenti_nella_cronologia(piano: Piano) -> list[User]:
    """Who has changed the plan or moved its state, for the filter's choices."""
    return list(
        User.objects.filter(
            Q(pk__in=Modifica.objects.filter(piano=piano).values("utente_id"))
            | Q(pk__in=Transizione.objects.filter(piano=piano).values("utente_id"))
        ).order_by("last_name", "first_name", "email")
    )


INTESTAZIONE_ESPORTAZIONE = [
    "data e ora",
    "utente",
    "operazione",
    "origine",
    "tabella",
    "riga",
    "campo",
    "tipo",
    "prima",
    "dopo",
]


def cronologia_foglio(piano: Piano, filtri: FiltriCronologia) -> tablib.Dataset:
    """Every changed value of the (filtered) history, one row each, newest operation first."""
    modifiche = _modifiche_filtrate(piano, filtri)
    voci = VoceModifica.objects.filter(modifica__in=modifiche.values("pk")).select_related(
        "modifica__utente"
    )
    if filtri.tabella:
        voci = voci.filter(tabella=filtri.tabella)
    origini = dict(Modifica.Origine.choices)
    tipi = dict(VoceModifica.Tipo.choices)
    dataset = tablib.Dataset(headers=INTESTAZIONE_ESPORTAZIONE, title="Cronologia")
    for voce in voci.order_by("-modifica__eseguita_il", "-modifica_id", "pk"):
        modifica = voce.modifica
        dataset.append(
            [
                localtime(modifica.eseguita_il).isoformat(timespec="seconds"),
                str(modifica.utente) if modifica.utente else "",
                modifica.operazione,
                origini.get(modifica.origine, modifica.origine),
                voce.tabella,
                voce.riga,
                voce.campo,
                tipi.get(voce.tipo, voce.tipo),
                voce.prima,
                voce.dopo,
            ]
        )
    return dataset
