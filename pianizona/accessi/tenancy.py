"""Tenancy: the one mechanism deciding what a user may see and do.

Every view reaches data through ``scope_queryset`` or a ``get_*_for_user`` helper. An object outside
the user's territory is a 404 (its existence is not revealed); one the user may see but not act on
is a 403.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import F, Model, OuterRef, Q, QuerySet, Subquery
from django.http import Http404

from pianizona.models import Ambito, Ciclo, Membership, Piano, Regione, Ruolo

M = TypeVar("M", bound=Model)


class Azione(StrEnum):
    VEDERE = "vedere"  # read the ambito's plans and data
    MODIFICARE = "modificare"  # edit the ambito's plan while it is editable
    INVIARE = "inviare"  # submit the plan to the Region
    ISTRUIRE = "istruire"  # review, comment, approve (regional officer)
    CONFIGURARE = "configurare"  # configure the region's cycles and funds
    PANORAMICA_REGIONALE = "panoramica_regionale"  # see every ambito of the region at once


AZIONI_PER_RUOLO: dict[str, frozenset[Azione]] = {
    Ruolo.OPERATORE: frozenset({Azione.VEDERE, Azione.MODIFICARE}),
    Ruolo.RESPONSABILE: frozenset({Azione.VEDERE, Azione.MODIFICARE, Azione.INVIARE}),
    Ruolo.FUNZIONARIO: frozenset(
        {Azione.VEDERE, Azione.ISTRUIRE, Azione.CONFIGURARE, Azione.PANORAMICA_REGIONALE}
    ),
}
# Administrators look at everything but act only through the Django admin.
AZIONI_AMMINISTRATORE = frozenset({Azione.VEDERE, Azione.PANORAMICA_REGIONALE})


@dataclass(frozen=True)
class Accessi:
    """What one user holds, read once per request."""

    amministratore: bool
    ruoli_ambito: dict[int, str]
    regioni_funzionario: frozenset[int]
    memberships: tuple[Membership, ...]
    # An API key's ceiling: whatever the scope, only these actions (None: no ceiling).
    azioni_massime: frozenset[Azione] | None = None

    def _entro_il_limite(self, azioni: frozenset[Azione]) -> frozenset[Azione]:
        return azioni if self.azioni_massime is None else azioni & self.azioni_massime

    def ruolo_in(self, ambito: Ambito) -> str | None:
        if ambito.pk in self.ruoli_ambito:
            return self.ruoli_ambito[ambito.pk]
        if ambito.regione_id in self.regioni_funzionario:
            return Ruolo.FUNZIONARIO
        return None

    def azioni_su_ambito(self, ambito: Ambito) -> frozenset[Azione]:
        ruolo = self.ruolo_in(ambito)
        azioni = AZIONI_PER_RUOLO[ruolo] if ruolo else frozenset()
        azioni = azioni | AZIONI_AMMINISTRATORE if self.amministratore else azioni
        return self._entro_il_limite(azioni)

    def azioni_su_regione(self, regione: Regione) -> frozenset[Azione]:
        azioni = (
            AZIONI_PER_RUOLO[Ruolo.FUNZIONARIO]
            if regione.pk in self.regioni_funzionario
            else frozenset()
        )
        azioni = azioni | AZIONI_AMMINISTRATORE if self.amministratore else azioni
        return self._entro_il_limite(azioni)

    def filtro_ambito(self, percorso: str) -> Q | None:
        """A filter on ``percorso`` (the path to the Ambito), or None when nothing is hidden."""
        if self.amministratore:
            return None
        prefisso = f"{percorso}__" if percorso else ""
        return Q(**{f"{prefisso}pk__in": list(self.ruoli_ambito)}) | Q(
            **{f"{prefisso}regione_id__in": list(self.regioni_funzionario)}
        )


_CACHE_ATTR = "_pianizona_accessi"


def _piano_corrente() -> dict[str, Subquery]:
    """Each district membership's current plan, read with the memberships (no query of its own).

    The current plan is the latest of the ambito's open cycle: its latest annual plan, otherwise
    the triennial one. The header links it on every page, so it must cost nothing more.
    """
    piani = Piano.objects.filter(
        ambito=OuterRef("ambito_id"), ciclo__chiuso_il__isnull=True
    ).order_by("-ciclo__anno_inizio", F("anno").desc(nulls_last=True), "-pk")
    return {
        "piano_corrente_id": Subquery(piani.values("pk")[:1]),
        "piano_corrente_anno": Subquery(piani.values("anno")[:1]),
        "piano_corrente_inizio": Subquery(piani.values("ciclo__anno_inizio")[:1]),
        "piano_corrente_fine": Subquery(piani.values("ciclo__anno_fine")[:1]),
    }


def accessi_for_user(user) -> Accessi:
    """The user's memberships, cached on the user object so a request reads them once."""
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    if not user.is_authenticated or not user.is_active:
        accessi = Accessi(False, {}, frozenset(), ())
    else:
        memberships = tuple(
            Membership.objects.filter(user=user)
            .select_related("ambito__regione", "regione")
            .annotate(**_piano_corrente())
            .order_by("ruolo", "ambito__nome", "regione__nome")
        )
        accessi = Accessi(
            amministratore=user.is_superuser,
            ruoli_ambito={m.ambito_id: m.ruolo for m in memberships if m.ambito_id},
            regioni_funzionario=frozenset(m.regione_id for m in memberships if m.regione_id),
            memberships=memberships,
        )
    setattr(user, _CACHE_ATTR, accessi)
    return accessi


def piano_corrente(membership: Membership | None) -> Piano | None:
    """The plan a district role works on now (see ``_piano_corrente``), for its title and link.

    An unsaved stand-in built from what the memberships' query read: its pk, title and period.
    """
    pk = getattr(membership, "piano_corrente_id", None)
    if pk is None:
        return None
    anno = membership.piano_corrente_anno
    ciclo = Ciclo(
        anno_inizio=membership.piano_corrente_inizio, anno_fine=membership.piano_corrente_fine
    )
    tipo = Piano.Tipo.ATTUATIVO if anno else Piano.Tipo.TRIENNALE
    return Piano(pk=pk, ambito=membership.ambito, ciclo=ciclo, tipo=tipo, anno=anno)


def accessi_per_chiave(regioni: Iterable[int], ambiti: Iterable[int]) -> Accessi:
    """An API key's scope as the same Accessi as a user's: whole regions and/or ambiti, VEDERE only."""
    return Accessi(
        amministratore=False,
        ruoli_ambito=dict.fromkeys(ambiti, Ruolo.OPERATORE),
        regioni_funzionario=frozenset(regioni),
        memberships=(),
        azioni_massime=frozenset({Azione.VEDERE}),
    )


def scope_queryset(queryset: QuerySet[M], user, percorso_ambito: str) -> QuerySet[M]:
    """Restrict any queryset to the ambiti the user may see; ``percorso_ambito`` leads to Ambito."""
    accessi = accessi_for_user(user)
    if not user.is_authenticated:
        return queryset.none()
    filtro = accessi.filtro_ambito(percorso_ambito)
    return queryset if filtro is None else queryset.filter(filtro)


def ambiti_for_user(user) -> QuerySet[Ambito]:
    return scope_queryset(Ambito.objects.all(), user, "")


def piani_for_user(user) -> QuerySet[Piano]:
    return scope_queryset(Piano.objects.all(), user, "ambito")


def regioni_for_user(user) -> QuerySet[Regione]:
    accessi = accessi_for_user(user)
    if accessi.amministratore:
        return Regione.objects.all()
    return Regione.objects.filter(
        Q(pk__in=accessi.regioni_funzionario) | Q(ambiti__pk__in=list(accessi.ruoli_ambito))
    ).distinct()


def can(user, azione: Azione, oggetto: Ambito | Regione | Piano | Ciclo) -> bool:
    accessi = accessi_for_user(user)
    if isinstance(oggetto, Piano):
        oggetto = oggetto.ambito
    if isinstance(oggetto, Ciclo):
        oggetto = oggetto.regione
    if isinstance(oggetto, Regione):
        return azione in accessi.azioni_su_regione(oggetto)
    return azione in accessi.azioni_su_ambito(oggetto)


def _require(user, azione: Azione, oggetto: Ambito | Regione | Piano | Ciclo) -> None:
    if not can(user, azione, oggetto):
        raise PermissionDenied("Il ruolo assegnato non consente questa operazione.")


def get_ambito_for_user(user, pk: int, azione: Azione = Azione.VEDERE) -> Ambito:
    try:
        ambito = ambiti_for_user(user).select_related("regione", "comune_capofila").get(pk=pk)
    except Ambito.DoesNotExist as exc:
        raise Http404("Ambito non trovato.") from exc
    _require(user, azione, ambito)
    return ambito


def get_piano_for_user(user, pk: int, azione: Azione = Azione.VEDERE) -> Piano:
    try:
        piano = (
            piani_for_user(user)
            .select_related("ambito__regione", "ambito__comune_capofila", "ciclo")
            .get(pk=pk)
        )
    except Piano.DoesNotExist as exc:
        raise Http404("Piano non trovato.") from exc
    _require(user, azione, piano)
    return piano


def get_ciclo_for_user(user, pk: int, azione: Azione = Azione.VEDERE) -> Ciclo:
    """A cycle of a region the user belongs to; the action is checked on that region."""
    try:
        ciclo = Ciclo.objects.select_related("regione").get(
            pk=pk, regione__in=regioni_for_user(user)
        )
    except Ciclo.DoesNotExist as exc:
        raise Http404("Ciclo non trovato.") from exc
    _require(user, azione, ciclo.regione)
    return ciclo


def get_regione_for_user(user, pk: int, azione: Azione = Azione.VEDERE) -> Regione:
    try:
        regione = regioni_for_user(user).get(pk=pk)
    except Regione.DoesNotExist as exc:
        raise Http404("Regione non trovata.") from exc
    _require(user, azione, regione)
    return regione


SESSION_KEY_CONTESTO = "pianizona_membership"


def membership_attiva(request) -> Membership | None:
    """The role the user is working in now, chosen in the header switcher (the first by default)."""
    accessi = accessi_for_user(request.user)
    if not accessi.memberships:
        return None
    scelta = request.session.get(SESSION_KEY_CONTESTO)
    for membership in accessi.memberships:
        if membership.pk == scelta:
            return membership
    return accessi.memberships[0]


def membership_set_attiva(request, membership_id: int) -> Membership:
    """Switch the working role; only one of the user's own memberships can be chosen."""
    for membership in accessi_for_user(request.user).memberships:
        if membership.pk == membership_id:
            request.session[SESSION_KEY_CONTESTO] = membership.pk
            return membership
    raise Http404("Ruolo non trovato.")
