"""Long operations as the user sees them: a page that follows one, the list of one's own, the file."""

import logging
import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from pianizona.models import Job

from .selectors import get_job_for_user, jobs_dell_utente

logger = logging.getLogger(__name__)

PER_PAGINA = 20


@require_GET
@login_required
def job_list(request: HttpRequest) -> HttpResponse:
    pagina = Paginator(jobs_dell_utente(request.user), PER_PAGINA).get_page(
        request.GET.get("pagina")
    )
    return render(
        request,
        "pianizona/jobs/elenco.html",
        {
            "pagina": pagina,
            "pagine": list(pagina.paginator.get_elided_page_range(pagina.number)),
            "ellissi": Paginator.ELLIPSIS,
            "giorni_conservazione": settings.PIANIZONA_JOB_CONSERVAZIONE_GIORNI,
        },
    )


@require_GET
@login_required
def job_detail(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    job = get_job_for_user(request.user, pk)
    return render(request, "pianizona/jobs/dettaglio.html", {"job": job})


@require_GET
@login_required
def job_stato(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    """The state fragment the page polls; once the job is concluded it stops asking."""
    job = get_job_for_user(request.user, pk)
    return render(request, "pianizona/jobs/_stato.html", {"job": job})


@require_GET
@login_required
def job_scarica(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    job = get_job_for_user(request.user, pk)
    if job.stato != Job.Stato.COMPLETATO:
        messages.info(request, "Il file non è ancora disponibile: l'operazione non è completata.")
        return redirect("job_detail", pk=job.pk)
    if not job.file:
        return _file_non_disponibile(request, job)
    try:
        contenuto = default_storage.open(job.file.name, "rb")
    except FileNotFoundError:
        logger.warning("Lavoro %s: il file %s manca dal disco", job.pk, job.file.name)
        return _file_non_disponibile(request, job)
    risposta = FileResponse(
        contenuto,
        as_attachment=True,
        filename=job.nome_file or "risultato",
        content_type=job.content_type or "application/octet-stream",
    )
    risposta["X-Content-Type-Options"] = "nosniff"
    risposta["Cache-Control"] = "private, no-store"
    return risposta


def _file_non_disponibile(request: HttpRequest, job: Job) -> HttpResponse:
    return render(request, "pianizona/jobs/file_eliminato.html", {"job": job}, status=410)
