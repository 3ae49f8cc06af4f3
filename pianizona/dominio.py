"""Domain errors: raised by services, turned into Italian messages by views."""

from django.core.exceptions import ValidationError
from django.db.models import Model

from .models import Piano


class ErroreDominio(Exception):
    """A rule of the domain refused the operation; ``str(err)`` is the message for the user."""


def verifica_integrita(oggetto: Model) -> None:
    """The model's own rules (``clean()``, constraints) as a domain error, for services that save.

    The rules live once, in the models; admin forms and imports reach them through
    ``full_clean()``, services through this.
    """
    try:
        oggetto.full_clean()
    except ValidationError as err:
        raise ErroreDominio(" ".join(err.messages)) from err


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
