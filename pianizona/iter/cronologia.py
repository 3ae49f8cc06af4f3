"""The change history of a plan: every write, whoever makes it and however, with old → new values.

Services that write a plan's data are wrapped in ``modifica_del_piano``: it locks the plan, reads
its tables before and after (the same tables a version freezes) and records what differs. Forms,
imports and bulk writes are recorded alike, because the diff sees the data, not the code path.
"""

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import ParamSpec, TypeVar

from django.db import transaction

from pianizona.dominio import piano_blocca_per_modifica
from pianizona.models import Modifica, Piano, User, VoceModifica
from pianizona.money import format_euro

from .istantanee import Colonna, Esito, Istantanea, Tipo, differenze, euro, istantanea_del_piano

P = ParamSpec("P")
R = TypeVar("R")

_TIPO_VOCE = {
    Esito.AGGIUNTA: VoceModifica.Tipo.AGGIUNTA,
    Esito.RIMOSSA: VoceModifica.Tipo.RIMOZIONE,
    Esito.MODIFICATA: VoceModifica.Tipo.MODIFICA,
}


def valore_leggibile(colonna: Colonna, valore) -> str:
    if valore in (None, ""):
        return ""
    if colonna.tipo == Tipo.EURO:
        return format_euro(euro(valore))
    return str(valore)


def cronologia_registra(
    *,
    piano: Piano,
    user: User | None,
    operazione: str,
    origine: str,
    prima: Istantanea,
    dopo: Istantanea,
) -> Modifica | None:
    """Record what differs between two snapshots of the plan; nothing when nothing changed."""
    voci = []
    for diff in differenze(prima, dopo):
        for riga in diff.cambiate:
            # A row added or removed with only zeros (0 € declared) still changed: list its values.
            for colonna in riga.campi or diff.tabella.colonne_valore:
                voci.append(
                    VoceModifica(
                        tabella=diff.tabella.titolo[:120],
                        riga=riga.etichetta[:300],
                        campo=colonna.titolo[:120],
                        tipo=_TIPO_VOCE[riga.esito],
                        prima=valore_leggibile(colonna, (riga.prima or {}).get(colonna.nome)),
                        dopo=valore_leggibile(colonna, (riga.dopo or {}).get(colonna.nome)),
                    )
                )
    if not voci:
        return None
    modifica = Modifica.objects.create(
        piano=piano, utente=user, operazione=operazione[:200], origine=origine
    )
    for voce in voci:
        voce.modifica = modifica
    VoceModifica.objects.bulk_create(voci)
    return modifica


_in_corso: ContextVar[int | None] = ContextVar("cronologia_in_corso", default=None)


@contextmanager
def modifiche_registrate(
    *, piano: Piano, user: User | None, operazione: str, origine: str = Modifica.Origine.MODULO
) -> Iterator[Piano]:
    """One transaction with the plan locked; what changed in it is recorded as one operation.

    Nested uses on the same plan (a form saving a sheet, its staff and its beneficiaries through
    three services) record once, as the outermost operation.
    """
    with transaction.atomic():
        if _in_corso.get() == piano.pk:
            # The outer operation holds the plan's lock in this transaction: no second round trip.
            yield piano
            return
        bloccato = piano_blocca_per_modifica(piano)
        token = _in_corso.set(bloccato.pk)
        try:
            prima = istantanea_del_piano(bloccato, con_derivate=False)
            yield bloccato
            dopo = istantanea_del_piano(bloccato, con_derivate=False)
        finally:
            _in_corso.reset(token)
        cronologia_registra(
            piano=bloccato,
            user=user,
            operazione=operazione,
            origine=origine,
            prima=prima,
            dopo=dopo,
        )


def modifica_del_piano(
    operazione: str, *, origine: str = Modifica.Origine.MODULO, parametro: str = "piano"
) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Wrap a service writing plan data in ``modifiche_registrate``.

    The service takes the plan as the keyword ``parametro`` and, optionally, the acting ``user``.
    """

    def decoratore(servizio: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(servizio)
        def avvolto(*args: P.args, **kwargs: P.kwargs) -> R:
            with modifiche_registrate(
                piano=kwargs[parametro],
                user=kwargs.get("user"),
                operazione=operazione,
                origine=origine,
            ):
                return servizio(*args, **kwargs)

        return avvolto

    return decoratore
