"""Optimistic concurrency: a table saved from a stale page is refused, never silently overwritten.

A form carries the revision it was rendered at; saving takes a row lock on the table's revision,
compares, writes and bumps it, all in the caller's transaction.
"""

from django.db import transaction

from .models import Piano, RevisioneTabella, User


class ConflittoModifica(Exception):
    """Someone saved the same table after this page was loaded."""

    def __init__(self, revisione: RevisioneTabella):
        self.revisione = revisione
        chi = revisione.modificata_da or "un altro utente"
        quando = revisione.modificata_il.strftime("%d/%m/%Y alle %H:%M")
        super().__init__(
            f"La tabella è stata modificata da {chi} il {quando} dopo che hai aperto la pagina. "
            "I tuoi dati non sono stati salvati: sono ancora nel modulo qui sotto. "
            "Ricarica la pagina per vedere la versione aggiornata e ripeti le modifiche."
        )


def revisione_corrente(piano: Piano, tabella: str) -> int:
    riga = RevisioneTabella.objects.filter(piano=piano, tabella=tabella).only("numero").first()
    return riga.numero if riga else 0


def revisione_avanza(*, piano: Piano, tabella: str, attesa: int, user: User | None) -> int:
    """Lock the table's revision, check it is still ``attesa`` and move it on; call inside atomic."""
    assert transaction.get_connection().in_atomic_block, "revisione_avanza va chiamata in atomic"
    riga, _ = RevisioneTabella.objects.get_or_create(piano=piano, tabella=tabella)
    riga = (
        RevisioneTabella.objects.select_for_update().select_related("modificata_da").get(pk=riga.pk)
    )
    if riga.numero != attesa:
        raise ConflittoModifica(riga)
    riga.numero += 1
    riga.modificata_da = user
    riga.save(update_fields=["numero", "modificata_da", "modificata_il"])
    return riga.numero
