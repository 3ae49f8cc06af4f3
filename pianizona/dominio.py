"""Domain errors: raised by services, turned into Italian messages by views."""

from .models import Piano


class ErroreDominio(Exception):
    """A rule of the domain refused the operation; ``str(err)`` is the message for the user."""


class PianoNonModificabile(ErroreDominio):
    def __init__(self, piano: Piano):
        super().__init__(piano.motivo_sola_lettura)


def piano_deve_essere_modificabile(piano: Piano) -> None:
    if not piano.modificabile:
        raise PianoNonModificabile(piano)


def piano_blocca_per_modifica(piano: Piano) -> Piano:
    """Lock the plan row and check it is editable: a write and a submission never interleave.

    Call inside ``transaction.atomic``; returns the freshly read plan.
    """
    bloccato = (
        Piano.objects.select_related("ciclo").select_for_update(of=("self",)).get(pk=piano.pk)
    )
    piano_deve_essere_modificabile(bloccato)
    return bloccato
