"""Celery tasks of monitoring: thin adapters that take ids and call a service."""

from celery import shared_task

from .fondi.notifiche import notifica_transizione_rendicontazione_invia
from .models import TransizioneRendicontazione


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def notifica_transizione_rendicontazione(transizione_id: int) -> None:
    transizione = (
        TransizioneRendicontazione.objects.select_related(
            "rendicontazione__ambito__regione", "rendicontazione__ciclo", "utente"
        )
        .filter(pk=transizione_id)
        .first()
    )
    if transizione is not None:
        notifica_transizione_rendicontazione_invia(transizione)
