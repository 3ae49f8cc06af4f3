"""Optimistic concurrency: a table saved from a stale page is refused, never silently overwritten.

A form carries the revision it was rendered at; saving takes a row lock on the table's revision,
compares, writes and bumps it, all in the caller's transaction. A table is named by its owner
(a plan, a cycle) and a label.
"""

from django.db import transaction
from django.db.models import Model
from django.utils.timezone import localtime

from .models import RevisioneTabella, User


class ConflittoModifica(Exception):
    """Someone saved the same table after this page was loaded."""

    def __init__(self, revisione: RevisioneTabella):
        self.revisione = revisione
        chi = revisione.modificata_da or "un altro utente"
        quando = localtime(revisione.modificata_il).strftime("%d/%m/%Y alle %H:%M")
        super().__init__(
            f"I dati sono stati modificati da {chi} il {quando}, dopo l'apertura di questa pagina: "
            "le modifiche inviate non sono state salvate, per non sovrascrivere le sue. "
            "Ricaricare la pagina per vedere la versione aggiornata e ripetere le modifiche."
        )


def _chiave(proprietario: Model, tabella: str) -> str:
    return f"{proprietario._meta.label_lower}:{proprietario.pk}:{tabella}"


def revisione_corrente(proprietario: Model, tabella: str) -> int:
    riga = (
        RevisioneTabella.objects.filter(chiave=_chiave(proprietario, tabella))
        .only("numero")
        .first()
    )
    return riga.numero if riga else 0


def revisione_avanza(*, proprietario: Model, tabella: str, attesa: int, user: User | None) -> int:
    """Lock the table's revision, check it is still ``attesa`` and move it on; call inside atomic."""
    assert transaction.get_connection().in_atomic_block, "revisione_avanza va chiamata in atomic"
    chiave = _chiave(proprietario, tabella)
    RevisioneTabella.objects.get_or_create(chiave=chiave)
    riga = (
        RevisioneTabella.objects.select_for_update(of=("self",))  # PostgreSQL: not the outer join
        .select_related("modificata_da")
        .get(chiave=chiave)
    )
    if riga.numero != attesa:
        raise ConflittoModifica(riga)
    riga.numero += 1
    riga.modificata_da = user
    riga.save(update_fields=["numero", "modificata_da", "modificata_il"])
    return riga.numero
