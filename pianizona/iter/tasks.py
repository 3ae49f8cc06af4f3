"""The journey's background work: the e-mails that tell of a transition or a remark."""

from celery import shared_task

from pianizona.models import Commento, Transizione

from .notifiche import notifica_commento_invia, notifica_transizione_invia

# Named as before the core was split into wings: messages already queued keep their task.


@shared_task(
    name="pianizona.tasks.notifica_transizione",
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def notifica_transizione(transizione_id: int) -> None:
    transizione = (
        Transizione.objects.select_related("piano__ambito__regione", "piano__ciclo", "utente")
        .filter(pk=transizione_id)
        .first()
    )
    if transizione is not None:
        notifica_transizione_invia(transizione)


@shared_task(
    name="pianizona.tasks.notifica_commento",
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def notifica_commento(commento_id: int) -> None:
    commento = (
        Commento.objects.select_related(
            "piano__ambito__regione", "piano__ciclo", "autore", "risposta_a__autore"
        )
        .filter(pk=commento_id)
        .first()
    )
    if commento is not None:
        notifica_commento_invia(commento)
