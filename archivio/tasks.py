from celery import shared_task

from .models import Adesione
from .notifiche import (
    avviso_ufficio_invia,
    esito_adesione_invia,
    revoca_adesione_invia,
    ricevuta_adesione_invia,
)


def _adesione(adesione_id: int) -> Adesione | None:
    return (
        Adesione.objects.select_related("ambito__regione", "decisa_da")
        .filter(pk=adesione_id)
        .first()
    )


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def invia_ricevuta_adesione(adesione_id: int) -> None:
    adesione = _adesione(adesione_id)
    if adesione is not None:
        ricevuta_adesione_invia(adesione)


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def invia_esito_adesione(adesione_id: int) -> None:
    adesione = _adesione(adesione_id)
    # Revoked before the worker ran: the revocation's own e-mail tells the organisation.
    if adesione is not None and adesione.stato in (
        Adesione.Stato.ACCETTATA,
        Adesione.Stato.RESPINTA,
    ):
        esito_adesione_invia(adesione)


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def invia_avviso_adesione(adesione_id: int) -> None:
    adesione = _adesione(adesione_id)
    if adesione is not None:
        avviso_ufficio_invia(adesione)


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def invia_revoca_adesione(adesione_id: int) -> None:
    adesione = _adesione(adesione_id)
    if adesione is not None and adesione.stato == Adesione.Stato.REVOCATA:
        revoca_adesione_invia(adesione)
