"""Discrepancies flagged by the districts, answered by the Region."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from pianizona.dominio import ErroreDominio
from pianizona.models import Ciclo

from ... import selectors, services
from ...forms.regione import (
    RispostaForm,
)
from ...models import (
    Segnalazione,
)
from ._comune import _ciclo_per, _contesto

CHIUSE_MOSTRATE = 50

# --- Flags from the districts ------------------------------------------------------------------


def _pagina_segnalazioni(
    request: HttpRequest, ciclo: Ciclo, errato: RispostaForm | None = None
) -> HttpResponse:
    aperte = [
        (s, errato if errato and errato.segnalazione.pk == s.pk else RispostaForm(segnalazione=s))
        for s in selectors.segnalazioni_aperte_del_ciclo(ciclo)
    ]
    chiuse = list(
        Segnalazione.objects.filter(piano__ciclo=ciclo, chiusa_il__isnull=False)
        .select_related("piano__ambito", "fonte", "creata_da", "chiusa_da")
        .order_by("-chiusa_il")[:CHIUSE_MOSTRATE]
    )
    return render(
        request,
        "risorse/regione/segnalazioni.html",
        _contesto(request, ciclo, aperte=aperte, chiuse=chiuse, chiuse_mostrate=CHIUSE_MOSTRATE),
    )


@login_required
@require_GET
def segnalazioni(request: HttpRequest, ciclo_pk: int) -> HttpResponse:
    return _pagina_segnalazioni(request, _ciclo_per(request, ciclo_pk))


@login_required
@require_POST
def segnalazione_chiudi(request: HttpRequest, ciclo_pk: int, pk: int) -> HttpResponse:
    ciclo = _ciclo_per(request, ciclo_pk)
    segnalazione = get_object_or_404(
        Segnalazione.objects.select_related("piano__ambito"), pk=pk, piano__ciclo=ciclo
    )
    if not segnalazione.aperta:
        messages.info(request, "La segnalazione era già stata chiusa.")
        return redirect("risorse:segnalazioni", ciclo_pk=ciclo.pk)
    form = RispostaForm(request.POST, segnalazione=segnalazione)
    if form.is_valid():
        try:
            services.segnalazione_chiudi(
                segnalazione=segnalazione, user=request.user, risposta=form.cleaned_data["risposta"]
            )
        except ErroreDominio as err:
            form.add_error("risposta", str(err))
        else:
            messages.success(
                request,
                f"Segnalazione di {segnalazione.piano.ambito.codice} chiusa: "
                "la risposta è visibile all'Ufficio di Piano.",
            )
            return redirect("risorse:segnalazioni", ciclo_pk=ciclo.pk)
    return _pagina_segnalazioni(request, ciclo, errato=form)
