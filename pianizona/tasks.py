from celery import shared_task

from .models import Commento, Transizione, User
from .notifiche import notifica_commento_invia, notifica_transizione_invia
from .services import user_send_invitation


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def invia_invito(user_id: int) -> None:
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return  # deactivated or deleted meanwhile: nothing to send
    user_send_invitation(user=user)


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def notifica_transizione(transizione_id: int) -> None:
    transizione = (
        Transizione.objects.select_related("piano__ambito__regione", "piano__ciclo", "utente")
        .filter(pk=transizione_id)
        .first()
    )
    if transizione is not None:
        notifica_transizione_invia(transizione)


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
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
