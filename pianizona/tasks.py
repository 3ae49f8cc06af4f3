from datetime import timedelta

from celery import Task, shared_task
from django.conf import settings

from . import jobs
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


class TaskLavoro(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo) -> None:
        # Out of retries (or failed outside the esecutore): the job must not stay "in corso".
        job_id = args[0] if args else kwargs.get("job_id")
        try:
            jobs.job_segna_fallito(job_id=job_id, errore=jobs.ERRORE_IMPREVISTO)
        except Exception:
            jobs.logger.exception("Lavoro %s: impossibile segnarlo come non riuscito", job_id)


@shared_task(
    bind=True,
    base=TaskLavoro,
    acks_late=True,
    reject_on_worker_lost=True,
    time_limit=settings.CELERY_TASK_TIME_LIMIT,
    soft_time_limit=settings.CELERY_TASK_SOFT_TIME_LIMIT,
    autoretry_for=jobs.ERRORI_TRANSITORI,
    retry_backoff=5,
    retry_backoff_max=120,
    max_retries=3,
)
def esegui_job(self, job_id: str) -> None:
    """Run a job (pianizona.jobs); a redelivered message or a retry restarts an interrupted run."""
    consegna = self.request.delivery_info or {}
    jobs.job_esegui(job_id, ripresa=bool(consegna.get("redelivered")) or self.request.retries > 0)


@shared_task
def pulisci_lavori() -> None:
    jobs.lavori_pulisci(giorni=settings.PIANIZONA_JOB_CONSERVAZIONE_GIORNI)


@shared_task
def riaccoda_lavori() -> None:
    jobs.lavori_riaccoda(dopo=timedelta(seconds=settings.PIANIZONA_JOB_RIACCODA_SECONDI))
