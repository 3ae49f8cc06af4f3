"""The Region's cycles: opening one (with a draft plan for every ambito), the plans of late ambiti, closing.

Opening runs in one transaction with the Region's row locked: the cycle, its plans and what each
phase app prepares (``registry.apertura_ciclo``) are written together or not at all.
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Case, Count, Q, Value, When
from django.utils import timezone

from pianizona import registry
from pianizona.accessi.tenancy import Azione, can
from pianizona.dominio import ErroreDominio
from pianizona.models import Ambito, Ciclo, Piano, Regione, User

ANNI_TRIENNIO = 3


class CicloNonValido(ErroreDominio):
    """The cycle cannot be opened, completed or closed; the message says why, in Italian."""


@dataclass
class EsitoApertura:
    ciclo: Ciclo
    creato: bool  # False when the same cycle was already open (a second click)
    piani_creati: int
    messaggi: list[str]


def _controlla_configuratore(user: User, regione: Regione) -> None:
    if not can(user, Azione.CONFIGURARE, regione):
        raise CicloNonValido("Solo i funzionari della Regione possono gestire i cicli.")


def _controlla_anni(tipo: str, anno_inizio: int, anno_fine: int) -> None:
    if anno_fine < anno_inizio:
        raise CicloNonValido(
            f"L'ultimo anno ({anno_fine}) non può precedere il primo ({anno_inizio})."
        )
    if tipo == Ciclo.Tipo.ANNUALE and anno_fine != anno_inizio:
        raise CicloNonValido(
            "Un ciclo annuale dura un solo anno: il primo e l'ultimo anno devono coincidere."
        )
    if tipo == Ciclo.Tipo.TRIENNALE and anno_fine - anno_inizio + 1 != ANNI_TRIENNIO:
        raise CicloNonValido(
            f"Un ciclo triennale dura tre anni: dal {anno_inizio} l'ultimo anno è il "
            f"{anno_inizio + ANNI_TRIENNIO - 1}."
        )


@transaction.atomic
def ciclo_apri(
    *,
    regione: Regione,
    nome: str,
    tipo: str,
    anno_inizio: int,
    anno_fine: int,
    user: User,
    origine: Ciclo | None = None,
) -> EsitoApertura:
    """Open a cycle with a draft plan for every ambito of the Region; ``origine`` lends its configuration.

    The same cycle opened again (same name, type and years: a double click) is answered with the
    one already open, creating nothing. Refuses, writing nothing, reversed years, a name or a
    period already used by the Region, and a source cycle of another Region.
    """
    _controlla_configuratore(user, regione)
    nome = " ".join((nome or "").split())
    if not nome:
        raise CicloNonValido("Indicare il nome del ciclo.")
    if tipo not in Ciclo.Tipo.values:
        raise CicloNonValido("Scegliere se il ciclo è triennale o annuale.")
    _controlla_anni(tipo, anno_inizio, anno_fine)
    if origine is not None and origine.regione_id != regione.pk:
        raise CicloNonValido(
            "Si può copiare la configurazione solo da un ciclo della stessa regione."
        )
    Regione.objects.select_for_update().get(pk=regione.pk)  # one opening at a time per Region
    esistente = Ciclo.objects.filter(regione=regione, nome__iexact=nome).first()
    if esistente is not None:
        if (esistente.tipo, esistente.anno_inizio, esistente.anno_fine) == (
            tipo,
            anno_inizio,
            anno_fine,
        ):
            return EsitoApertura(esistente, creato=False, piani_creati=0, messaggi=[])
        raise CicloNonValido(f"La regione ha già un ciclo di nome «{esistente.nome}».")
    stesso_periodo = Ciclo.objects.filter(
        regione=regione, anno_inizio=anno_inizio, anno_fine=anno_fine
    ).first()
    if stesso_periodo is not None:
        raise CicloNonValido(
            f"Il periodo {stesso_periodo.periodo} è già del ciclo «{stesso_periodo.nome}»."
        )
    ciclo = Ciclo.objects.create(
        regione=regione, nome=nome, tipo=tipo, anno_inizio=anno_inizio, anno_fine=anno_fine
    )
    piani = _piani_crea(ciclo)
    messaggi = registry.apertura_ciclo(ciclo, origine)
    return EsitoApertura(ciclo, creato=True, piani_creati=piani, messaggi=messaggi)


def _piani_crea(ciclo: Ciclo) -> int:
    """A draft plan for every ambito of the Region that has none in the cycle; returns how many."""
    tipo = ciclo.tipo_piano
    anno = ciclo.anno_inizio if tipo == Piano.Tipo.ATTUATIVO else None
    mancanti = ambiti_senza_piano(ciclo)
    Piano.objects.bulk_create(
        [Piano(ambito=ambito, ciclo=ciclo, tipo=tipo, anno=anno) for ambito in mancanti]
    )
    return len(mancanti)


@transaction.atomic
def ciclo_crea_piani_mancanti(*, ciclo: Ciclo, user: User) -> int:
    """Give a draft plan to the ambiti added after the cycle opened; run again, it creates nothing."""
    _controlla_configuratore(user, ciclo.regione)
    bloccato = Ciclo.objects.select_for_update().get(pk=ciclo.pk)
    if bloccato.chiuso:
        raise CicloNonValido(f"Il ciclo «{bloccato.nome}» è chiuso: non si creano nuovi piani.")
    return _piani_crea(bloccato)


@transaction.atomic
def ciclo_chiudi(*, ciclo: Ciclo, user: User) -> Ciclo:
    """Close the cycle: from now on none of its plans can be edited or moved. Closing twice is a no-op."""
    _controlla_configuratore(user, ciclo.regione)
    bloccato = Ciclo.objects.select_for_update().get(pk=ciclo.pk)
    if not bloccato.chiuso:
        bloccato.chiuso_il = timezone.now()
        bloccato.save(update_fields=["chiuso_il"])
    ciclo.chiuso_il = bloccato.chiuso_il
    return bloccato


# --- selectors -----------------------------------------------------------------------------------


def ambiti_senza_piano(ciclo: Ciclo) -> list[Ambito]:
    """The Region's ambiti with no plan of the cycle's own kind (the triennial, or the annual one)."""
    con_piano = Piano.objects.filter(ciclo=ciclo, tipo=ciclo.tipo_piano).values("ambito")
    return list(
        Ambito.objects.filter(regione_id=ciclo.regione_id)
        .exclude(pk__in=con_piano)
        .order_by("codice")
    )


@dataclass
class RigaCiclo:
    ciclo: Ciclo
    n_piani: int
    n_senza_piano: int  # ambiti of the Region with no plan of the cycle's kind


def cicli_con_conteggi(regione: Regione) -> list[RigaCiclo]:
    """The Region's cycles, newest first, with their plans and the ambiti left without one."""
    n_ambiti = Ambito.objects.filter(regione=regione).count()
    cicli = (
        Ciclo.objects.filter(regione=regione)
        .annotate(
            n_piani=Count("piani"),
            n_ambiti_con_piano=Count(
                "piani__ambito", filter=Q(piani__tipo=_tipo_piano_del_ciclo()), distinct=True
            ),
        )
        .order_by("-anno_inizio", "-pk")
    )
    return [RigaCiclo(c, c.n_piani, n_ambiti - c.n_ambiti_con_piano) for c in cicli]


def _tipo_piano_del_ciclo():
    """``Ciclo.tipo_piano`` in SQL: an annual cycle's plans are the annual ones."""
    return Case(
        When(tipo=Ciclo.Tipo.ANNUALE, then=Value(Piano.Tipo.ATTUATIVO)),
        default=Value(Piano.Tipo.TRIENNALE),
    )
