"""One mechanism for every long operation: a Job row, a Celery task that runs it, a page that follows it.

A phase app registers a kind (``pianizona.lavori.tipi.registra_tipo``) in its ``AppConfig.ready()``;
a view checks access, calls ``job_crea(user=..., tipo="pdf_piano", piano=piano)`` and redirects to
``job_detail``; after the commit a worker runs the task ``esegui_job(job_id)``, which calls
``job_esegui``: the esecutore gets an ``avanza(percentuale, messaggio)`` callback and the file it
returns is stored.

How a run stays single and repeatable:

- the task takes only the id and is dispatched on commit; a concluded job is never run again;
- a short *claim* transaction locks the row (``select_for_update``), sets it *in corso* with a fresh
  token and counts the attempt; progress and the outcome are written only while that token still
  holds the job, so a run that lost it (e.g. to a restart) can write nothing;
- if the broker cannot be reached when a job is queued, the job stays *in coda* and says so, and
  ``lavori_riaccoda`` (every few minutes, from beat) sends it again once the broker is back;
- the message is acknowledged late and given back if the worker dies: a job found *in corso* is
  started again from scratch when the previous run is known to be over (a redelivered message, a
  retry, or a run older than the hard time limit), otherwise the duplicate delivery is ignored;
- the result file and the *completato* state are written in one transaction, after the job's folder
  is emptied of anything an interrupted run left: a re-run yields one file, never two.

Who sees a job: if it concerns a plan, whoever may see that plan (its ambito's users, the region's
officers, the administrators) — the requester too only as long as they still may; otherwise only the
requester (for a cycle's job, while they still belong to that region) and the administrators. Anyone
else gets a 404 (``pianizona.lavori.selectors``). The list of "my jobs" is the requester's own.
"""

import contextlib
import logging
import os
import uuid
from dataclasses import dataclass
from datetime import timedelta

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import InterfaceError, OperationalError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.text import get_valid_filename
from kombu.exceptions import KombuError

from pianizona.celery import app
from pianizona.dominio import ErroreDominio
from pianizona.models import Ciclo, Job, Piano, User

from .tipi import Avanza, ErroreJob, Risultato, tipo_registrato

logger = logging.getLogger(__name__)

# The task that runs a job, queued by name so that this module need not import the task module
# (which imports this one); the name is the one it had before the core was split into wings.
TASK_ESEGUI_JOB = "pianizona.tasks.esegui_job"


ERRORE_IMPREVISTO = (
    "Si è verificato un errore imprevisto e l'operazione non è stata completata. "
    "L'errore è stato registrato: riprovare più tardi e, se si ripete, segnalarlo all'assistenza."
)
ERRORE_TEMPO = (
    "L'operazione ha richiesto più tempo del consentito ed è stata interrotta. Riprovare più tardi."
)
ERRORE_INTERROTTO = (
    "L'operazione si è interrotta più volte e non è stata completata: richiedila di nuovo."
)
ERRORE_FERMO = "L'operazione non si è conclusa in tempo ed è stata annullata: richiedila di nuovo."

# Errors worth a retry of the whole run (autoretry_for): the database or the disk went away.
ERRORI_TRANSITORI: tuple[type[Exception], ...] = (OperationalError, InterfaceError, OSError)
# A job is started at most this many times (runs killed with their worker, transient retries).
MAX_TENTATIVI = 4
# A queued job that no worker took within this time is given up (its message was lost).
ATTESA_MASSIMA_IN_CODA = timedelta(days=1)
# What a queued job's page says while the broker cannot be reached.
MESSAGGIO_NON_ACCODATO = (
    "In attesa: il servizio che esegue le operazioni non è raggiungibile in questo momento. "
    "L'operazione partirà da sola appena torna disponibile, non serve richiederla di nuovo."
)


def nome_file_sicuro(nome: str) -> str:
    """A plain file name: no folders, no hidden files, only letters, digits, ``-``, ``_``, ``.``."""
    base = os.path.basename(nome.replace("\\", "/")).strip()
    try:
        pulito = get_valid_filename(base).lstrip(".")
    except SuspiciousFileOperation:
        pulito = ""
    if not pulito:
        return "risultato"
    radice, estensione = os.path.splitext(pulito)
    if len(pulito) > 150:
        pulito = radice[: 150 - len(estensione[:20])] + estensione[:20]
    return pulito


# --- writes ------------------------------------------------------------------------------------


def job_crea(
    *,
    user: User,
    tipo: str,
    piano: Piano | None = None,
    ciclo: Ciclo | None = None,
    parametri: dict | None = None,
) -> Job:
    """Queue a job; the worker is told only after the caller's transaction commits."""
    if tipo_registrato(tipo) is None:
        raise ErroreJob(f"Operazione sconosciuta: «{tipo}».")
    with transaction.atomic():
        job = Job.objects.create(
            tipo=tipo,
            utente=user,
            piano=piano,
            # A plan's job names its cycle too, for the list; the plan decides who sees it.
            ciclo_id=ciclo.pk if ciclo is not None else (piano.ciclo_id if piano else None),
            parametri=parametri or {},
            messaggio="In attesa di essere avviato.",
        )
        # robust: whatever happens while dispatching, the user's request has already succeeded.
        transaction.on_commit(lambda: _accoda(job.pk), robust=True)
    return job


def _accoda(job_id: uuid.UUID) -> bool:
    """Tell a worker; False if the broker is unreachable (the job waits for ``lavori_riaccoda``)."""
    try:
        app.tasks[TASK_ESEGUI_JOB].delay(str(job_id))  # registered by PianizonaConfig.ready()
    except (KombuError, OSError):
        # The request goes on; the job stays queued, its page says why, and it is sent again later.
        logger.exception("Impossibile accodare il lavoro %s", job_id)
        Job.objects.filter(pk=job_id, stato=Job.Stato.IN_CODA).update(
            messaggio=MESSAGGIO_NON_ACCODATO, aggiornato_il=timezone.now()
        )
        return False
    return True


def lavori_riaccoda(*, dopo: timedelta) -> int:
    """Send again the jobs still queued ``dopo`` after their last dispatch; how many were sent.

    Their message may never have reached the broker (it was down) or been lost with it. A second
    message for a job already taken is harmless: the claim ignores it.
    """
    adesso = timezone.now()
    inviati = 0
    in_attesa = Job.objects.filter(
        stato=Job.Stato.IN_CODA,
        aggiornato_il__lt=adesso - dopo,
        creato_il__gte=adesso - ATTESA_MASSIMA_IN_CODA,  # older ones are given up by the clean-up
    ).order_by("creato_il")
    for job_id in in_attesa.values_list("pk", flat=True):
        if not _accoda(job_id):
            break  # still unreachable: the next round tries again
        Job.objects.filter(pk=job_id, stato=Job.Stato.IN_CODA).update(
            messaggio="In attesa di essere avviato.", aggiornato_il=timezone.now()
        )
        inviati += 1
    if inviati:
        logger.info("Lavori inviati di nuovo ai worker: %d", inviati)
    return inviati


def lavori_riprendi_interrotti() -> int:
    """Queue again, from scratch, the jobs left *in corso*; how many. Only before the one worker starts.

    The demo's broker (a folder) forgets a message once read: a job whose worker was stopped with
    the demo would otherwise wait for the clean-up to give it up.
    """
    in_corso = Job.objects.filter(stato=Job.Stato.IN_CORSO)
    _falliti(in_corso.filter(tentativi__gte=MAX_TENTATIVI), ERRORE_INTERROTTO)
    interrotti = list(in_corso.order_by("creato_il").values_list("pk", flat=True))
    for job_id in interrotti:
        Job.objects.filter(pk=job_id, stato=Job.Stato.IN_CORSO).update(
            stato=Job.Stato.IN_CODA,
            esecuzione="",
            progresso=0,
            messaggio="In attesa di essere avviato.",
            aggiornato_il=timezone.now(),
        )
        _accoda(job_id)
    return len(interrotti)


class _EsecuzioneRevocata(Exception):
    """This run no longer holds the job (another run took it over, or it was given up)."""


def job_esegui(job_id: uuid.UUID | str, *, ripresa: bool = False) -> None:
    """Run a job once. ``ripresa``: this delivery follows a run known to be over (redelivery, retry).

    Transient errors (``ERRORI_TRANSITORI``) propagate so that the task retries the whole run.
    """
    presa = _prendi_in_carico(job_id, ripresa=ripresa)
    if presa is None:
        return
    job, gettone = presa
    try:
        tipo = tipo_registrato(job.tipo)
        if tipo is None:
            raise LookupError(f"tipo di lavoro non registrato: {job.tipo!r}")
        risultato = tipo.esecutore(job, _avanzamento(job, gettone))
        if not isinstance(risultato, Risultato):
            raise TypeError(f"l'esecutore di {job.tipo!r} non ha restituito un Risultato")
        _concludi_con_file(job, gettone, risultato)
    except _EsecuzioneRevocata:
        logger.warning("Lavoro %s: l'esecuzione %s non ne ha più il controllo", job.pk, gettone)
    except ErroreDominio as err:
        logger.info("Lavoro %s (%s) non riuscito: %s", job.pk, job.tipo, err)
        _concludi_con_errore(job, gettone, str(err))
    except SoftTimeLimitExceeded:
        logger.exception("Lavoro %s (%s) interrotto: tempo scaduto", job.pk, job.tipo)
        _concludi_con_errore(job, gettone, ERRORE_TEMPO)
    except ERRORI_TRANSITORI:
        logger.warning(
            "Lavoro %s (%s): errore transitorio, si riprova", job.pk, job.tipo, exc_info=True
        )
        raise
    except Exception:
        logger.exception("Lavoro %s (%s) non riuscito per un errore imprevisto", job.pk, job.tipo)
        _concludi_con_errore(job, gettone, ERRORE_IMPREVISTO)


def job_segna_fallito(*, job_id: uuid.UUID | str, errore: str) -> bool:
    """Give up a job that is not concluded (the task ran out of retries); True if it was."""
    return bool(
        _falliti(
            Job.objects.filter(pk=job_id, stato__in=[Job.Stato.IN_CODA, Job.Stato.IN_CORSO]),
            errore,
        )
    )


def _falliti(lavori: QuerySet[Job], errore: str) -> int:
    """Conclude these jobs as failed with the Italian ``errore``; how many were."""
    adesso = timezone.now()
    return lavori.update(
        stato=Job.Stato.FALLITO,
        errore=errore,
        messaggio="",
        esecuzione="",
        completato_il=adesso,
        aggiornato_il=adesso,
    )


def _durata_massima_esecuzione() -> timedelta:
    # Celery kills a run at the hard time limit: one started earlier than this is surely over.
    return timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)


def _prendi_in_carico(job_id: uuid.UUID | str, *, ripresa: bool) -> tuple[Job, str] | None:
    """The claim: lock the row, decide whether to run, mark it in corso with a new token."""
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).first()
        if job is None:
            logger.warning("Lavoro %s inesistente: niente da eseguire", job_id)
            return None
        if job.concluso:
            logger.info("Lavoro %s già concluso (%s): non si esegue di nuovo", job.pk, job.stato)
            return None
        adesso = timezone.now()
        if job.stato == Job.Stato.IN_CORSO:
            scaduto = job.iniziato_il is None or job.iniziato_il < adesso - (
                _durata_massima_esecuzione()
            )
            if not (ripresa or scaduto):
                logger.warning("Lavoro %s già in corso altrove: consegna doppia ignorata", job.pk)
                return None
            if job.tentativi >= MAX_TENTATIVI:
                logger.error("Lavoro %s interrotto %d volte: abbandonato", job.pk, job.tentativi)
                job.stato = Job.Stato.FALLITO
                job.errore = ERRORE_INTERROTTO
                job.messaggio = ""
                job.esecuzione = ""
                job.completato_il = adesso
                job.save(
                    update_fields=[
                        "stato",
                        "errore",
                        "messaggio",
                        "esecuzione",
                        "completato_il",
                        "aggiornato_il",
                    ]
                )
                return None
            logger.warning(
                "Lavoro %s: l'esecuzione precedente si è interrotta, si ricomincia da capo "
                "(tentativo %d)",
                job.pk,
                job.tentativi + 1,
            )
        gettone = uuid.uuid4().hex
        job.stato = Job.Stato.IN_CORSO
        job.esecuzione = gettone
        job.tentativi += 1
        job.progresso = 0
        job.messaggio = "Avvio dell'operazione."
        job.errore = ""
        job.iniziato_il = adesso
        job.save(
            update_fields=[
                "stato",
                "esecuzione",
                "tentativi",
                "progresso",
                "messaggio",
                "errore",
                "iniziato_il",
                "aggiornato_il",
            ]
        )
    # Read again with what an esecutore needs (a locking read cannot join the nullable relations).
    return Job.objects.select_related("utente", "piano__ambito", "piano__ciclo", "ciclo").get(
        pk=job.pk
    ), gettone


def _avanzamento(job: Job, gettone: str) -> Avanza:
    def avanza(percentuale: int, messaggio: str) -> None:
        percentuale = max(0, min(100, int(percentuale)))
        # Autocommit, outside the run: the page polling the job sees each step at once.
        aggiornati = Job.objects.filter(
            pk=job.pk, esecuzione=gettone, stato=Job.Stato.IN_CORSO
        ).update(progresso=percentuale, messaggio=messaggio[:300], aggiornato_il=timezone.now())
        if not aggiornati:
            raise _EsecuzioneRevocata
        job.progresso, job.messaggio = percentuale, messaggio[:300]

    return avanza


def _cartella(job_id: uuid.UUID) -> str:
    return f"job/{job_id}"


def _svuota_cartella(job_id: uuid.UUID) -> None:
    """Delete the files in a job's folder (and the folder, on a local disk); missing is fine."""
    cartella = _cartella(job_id)
    try:
        _, nomi = default_storage.listdir(cartella)
    except FileNotFoundError:
        return
    for nome in nomi:
        default_storage.delete(f"{cartella}/{nome}")
    # Not a local disk, or not empty: the folder does no harm.
    with contextlib.suppress(NotImplementedError, OSError):
        os.rmdir(default_storage.path(cartella))


def _concludi_con_file(job: Job, gettone: str, risultato: Risultato) -> None:
    nome = nome_file_sicuro(risultato.nome_file)
    salvato = ""
    try:
        with transaction.atomic():
            bloccato = (
                Job.objects.select_for_update()
                .filter(pk=job.pk, esecuzione=gettone, stato=Job.Stato.IN_CORSO)
                .first()
            )
            if bloccato is None:
                raise _EsecuzioneRevocata
            _svuota_cartella(job.pk)  # whatever an interrupted run left behind
            bloccato.file.save(nome, ContentFile(risultato.contenuto), save=False)
            salvato = bloccato.file.name
            bloccato.nome_file = nome
            bloccato.content_type = risultato.content_type[:150] or "application/octet-stream"
            bloccato.dimensione = len(risultato.contenuto)
            bloccato.stato = Job.Stato.COMPLETATO
            bloccato.progresso = 100
            bloccato.messaggio = "Operazione completata."
            bloccato.esecuzione = ""
            bloccato.completato_il = timezone.now()
            bloccato.save(
                update_fields=[
                    "file",
                    "nome_file",
                    "content_type",
                    "dimensione",
                    "stato",
                    "progresso",
                    "messaggio",
                    "esecuzione",
                    "completato_il",
                    "aggiornato_il",
                ]
            )
    except BaseException:
        if salvato:  # the row was not updated: the file must not outlive it
            default_storage.delete(salvato)
        raise


def _concludi_con_errore(job: Job, gettone: str, errore: str) -> None:
    _falliti(Job.objects.filter(pk=job.pk, esecuzione=gettone, stato=Job.Stato.IN_CORSO), errore)


@dataclass(frozen=True)
class EsitoPulizia:
    file_eliminati: int
    lavori_annullati: int


def lavori_pulisci(*, giorni: int) -> EsitoPulizia:
    """Delete result files older than ``giorni`` days, and give up jobs no worker will finish."""
    adesso = timezone.now()
    vecchi = (
        Job.objects.filter(
            stato=Job.Stato.COMPLETATO, completato_il__lt=adesso - timedelta(days=giorni)
        )
        .exclude(file="")
        .only("pk")
    )
    eliminati = 0
    for job in vecchi.iterator():
        # The file first: if this stops halfway, the next run finds the row again.
        _svuota_cartella(job.pk)
        job.file = ""
        job.file_eliminato_il = adesso
        job.save(update_fields=["file", "file_eliminato_il", "aggiornato_il"])
        eliminati += 1
    # A killed worker's job comes back after the broker's visibility timeout: wait that long too.
    visibilita = timedelta(
        seconds=settings.CELERY_BROKER_TRANSPORT_OPTIONS.get("visibility_timeout", 3600)
    )
    fermi = Job.objects.filter(
        Q(
            stato=Job.Stato.IN_CORSO,
            aggiornato_il__lt=adesso - visibilita - _durata_massima_esecuzione(),
        )
        | Q(stato=Job.Stato.IN_CODA, creato_il__lt=adesso - ATTESA_MASSIMA_IN_CODA)
    )
    annullati = _falliti(fermi, ERRORE_FERMO)
    if eliminati or annullati:
        logger.info("Pulizia lavori: %d file eliminati, %d lavori annullati", eliminati, annullati)
    return EsitoPulizia(file_eliminati=eliminati, lavori_annullati=annullati)
