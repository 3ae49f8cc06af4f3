from celery import shared_task
from django.conf import settings

from pianizona.models import Piano, Transizione, Versione

from . import stampa


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=3)
def stampa_prepara(piano_id: int, numero: int) -> None:
    """Lay out an approved version's PDF ahead of time, so downloads and the batch find it ready."""
    versione = (
        Versione.objects.select_related("piano").filter(piano_id=piano_id, numero=numero).first()
    )
    if versione is not None:
        stampa.stampa_del_piano(versione.piano, versione)


def prepara_dopo_approvazione(transizione: Transizione) -> None:
    if (
        settings.PIANIZONA_PDF_ALL_APPROVAZIONE
        # Without a worker the task would lay the PDF out inside the approval request; the first
        # download lays it out instead.
        and not stampa_prepara.app.conf.task_always_eager
        and transizione.a_stato == Piano.Stato.APPROVATO
        and transizione.versione_id is not None
    ):
        # Called once the approval has committed: the worker will find the version.
        stampa_prepara.delay(transizione.piano_id, transizione.versione.numero)
