"""The job mechanism's tasks: run a job, clean up old results, send again what the broker lost."""

from datetime import timedelta

from celery import Task, shared_task
from django.conf import settings

from . import services

# Named as before the core was split into wings: messages already queued keep their task.


class TaskLavoro(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo) -> None:
        # Out of retries (or failed outside the esecutore): the job must not stay "in corso".
        job_id = args[0] if args else kwargs.get("job_id")
        try:
            services.job_segna_fallito(job_id=job_id, errore=services.ERRORE_IMPREVISTO)
        except Exception:
            services.logger.exception("Lavoro %s: impossibile segnarlo come non riuscito", job_id)


@shared_task(
    name=services.TASK_ESEGUI_JOB,
    bind=True,
    base=TaskLavoro,
    acks_late=True,
    reject_on_worker_lost=True,
    time_limit=settings.CELERY_TASK_TIME_LIMIT,
    soft_time_limit=settings.CELERY_TASK_SOFT_TIME_LIMIT,
    autoretry_for=services.ERRORI_TRANSITORI,
    retry_backoff=5,
    retry_backoff_max=120,
    max_retries=3,
)
def esegui_job(self, job_id: str) -> None:
    """Run a job (pianizona.lavori.services); a redelivered message or a retry restarts an interrupted run."""
    consegna = self.request.delivery_info or {}
    services.job_esegui(
        job_id, ripresa=bool(consegna.get("redelivered")) or self.request.retries > 0
    )


@shared_task(name="pianizona.tasks.pulisci_lavori")
def pulisci_lavori() -> None:
    services.lavori_pulisci(giorni=settings.PIANIZONA_JOB_CONSERVAZIONE_GIORNI)


@shared_task(name="pianizona.tasks.riaccoda_lavori")
def riaccoda_lavori() -> None:
    services.lavori_riaccoda(dopo=timedelta(seconds=settings.PIANIZONA_JOB_RIACCODA_SECONDI))
