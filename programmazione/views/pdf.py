"""Requests for PDFs: a plan's (its draft or a frozen version), a cycle's approved plans as a ZIP.

Each request only queues a job (pianizona.lavori) and sends the user to its page, which follows the
rendering and offers the file. A plan the user may not see, or a version that is not the plan's,
is a 404; the regional batch is for those who see the whole region (funzionari, administrators).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from pianizona.accessi.tenancy import Azione, get_ciclo_for_user, get_piano_for_user
from pianizona.dominio import ErroreDominio
from pianizona.lavori.services import job_crea
from pianizona.models import Versione

from .. import stampa
from ..lavori import TIPO_PDF_CICLO, TIPO_PDF_PIANO


def _numero_versione(valore: str) -> int | None:
    if not valore:
        return None
    if not valore.isdigit():
        raise Http404("Versione non trovata.")
    return int(valore)


@require_POST
@login_required
def pdf_richiedi(request: HttpRequest, piano_pk: int) -> HttpResponse:
    """POST ``versione`` (a number) for a frozen version; without it, the current draft."""
    piano = get_piano_for_user(request.user, piano_pk, Azione.VEDERE)
    numero = _numero_versione(request.POST.get("versione", "").strip())
    if numero is not None and not Versione.objects.filter(piano=piano, numero=numero).exists():
        raise Http404("Versione non trovata.")
    try:
        job = job_crea(
            user=request.user, tipo=TIPO_PDF_PIANO, piano=piano, parametri={"versione": numero}
        )
    except ErroreDominio as err:
        messages.error(request, str(err))
        return redirect("piano_detail", piano.pk)
    return redirect("job_detail", job.pk)


@require_http_methods(["GET", "POST"])
@login_required
def pdf_ciclo_richiedi(request: HttpRequest, ciclo_pk: int) -> HttpResponse:
    """GET: which plans the ZIP will hold, and in which version; POST: queue it."""
    ciclo = get_ciclo_for_user(request.user, ciclo_pk, Azione.PANORAMICA_REGIONALE)
    elenco = stampa.versioni_approvate(ciclo)
    if request.method == "POST":
        if not elenco:
            messages.error(request, "Nel ciclo non c'è ancora nessun piano approvato.")
            return redirect("programmazione:pdf_ciclo_richiedi", ciclo.pk)
        try:
            job = job_crea(user=request.user, tipo=TIPO_PDF_CICLO, ciclo=ciclo)
        except ErroreDominio as err:
            messages.error(request, str(err))
            return redirect("programmazione:pdf_ciclo_richiedi", ciclo.pk)
        return redirect("job_detail", job.pk)
    numeri = dict(
        Versione.objects.filter(pk__in=[pk for _, pk in elenco if pk]).values_list("pk", "numero")
    )
    return render(
        request,
        "programmazione/pdf/ciclo.html",
        {"ciclo": ciclo, "piani": [(piano, numeri.get(pk)) for piano, pk in elenco]},
    )
