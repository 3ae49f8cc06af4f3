from celery import shared_task

from .models import Adesione
from .notifiche import esito_adesione_invia, ricevuta_adesione_invia


def _adesione(adesione_id: int) -> Adesione | None:
    return Adesione.objects.select_related("ambito", "decisa_da").filter(pk=adesione_id).first()


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def invia_ricevuta_adesione(adesione_id: int) -> None:
    adesione = _adesione(adesione_id)
    if adesione is not None:
        ricevuta_adesione_invia(adesione)


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def invia_esito_adesione(adesione_id: int) -> None:
    adesione = _adesione(adesione_id)
    if adesione is not None and adesione.stato != Adesione.Stato.IN_ATTESA:
        esito_adesione_invia(adesione)
