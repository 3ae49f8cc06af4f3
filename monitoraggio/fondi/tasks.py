"""The fund reporting's background work: the e-mail that tells of a transition."""

from celery import shared_task

from monitoraggio.models import TransizioneRendicontazione

from .notifiche import notifica_transizione_rendicontazione_invia


# Named as before it moved in with its subject: messages already queued keep their task.
@shared_task(
    name="monitoraggio.tasks.notifica_transizione_rendicontazione",
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
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
