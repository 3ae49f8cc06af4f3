"""The Region's cycles: the list with the form that opens one, a cycle's page, its late plans, closing it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from pianizona.accessi.tenancy import Azione, can, get_ciclo_for_user, get_regione_for_user
from pianizona.models import Ciclo
from pianizona.testo import plurale

from .. import cicli
from ..forms import CicloForm


def _azione(request: HttpRequest) -> Azione:
    """Reading is for who sees the Region's overview; any write is for who configures it."""
    lettura = request.method in ("GET", "HEAD")
    return Azione.PANORAMICA_REGIONALE if lettura else Azione.CONFIGURARE


@login_required
@require_http_methods(["GET", "POST"])
def regione_cicli(request: HttpRequest, pk: int) -> HttpResponse:
    regione = get_regione_for_user(request.user, pk, _azione(request))
    form = CicloForm(request.POST if request.method == "POST" else None, regione=regione)
    if request.method == "POST" and form.is_valid():
        try:
            esito = cicli.ciclo_apri(
                regione=regione,
                nome=form.cleaned_data["nome"],
                tipo=form.cleaned_data["tipo"],
                anno_inizio=form.cleaned_data["anno_inizio"],
                anno_fine=form.cleaned_data["anno_fine"],
                origine=form.cleaned_data["origine"],
                user=request.user,
            )
        except cicli.CicloNonValido as err:
            form.add_error(None, str(err))
        else:
            if esito.creato:
                messages.success(
                    request,
                    f"Ciclo «{esito.ciclo.nome}» aperto: "
                    + plurale(
                        esito.piani_creati, "piano in bozza creato.", "piani in bozza creati."
                    ),
                )
                for messaggio in esito.messaggi:
                    messages.info(request, messaggio)
            else:
                messages.info(request, f"Il ciclo «{esito.ciclo.nome}» era già aperto.")
            return redirect("ciclo_detail", pk=esito.ciclo.pk)
    return render(
        request,
        "pianizona/cicli/regione_cicli.html",
        {
            "regione": regione,
            "righe": cicli.cicli_con_conteggi(regione),
            "form": form,
            "puo_configurare": can(request.user, Azione.CONFIGURARE, regione),
        },
        status=400 if form.errors else 200,
    )


def _pagina_ciclo(request: HttpRequest, ciclo: Ciclo) -> HttpResponse:
    piani = list(ciclo.piani.select_related("ambito").order_by("ambito__codice", "tipo", "anno"))
    return render(
        request,
        "pianizona/cicli/ciclo_detail.html",
        {
            "ciclo": ciclo,
            "piani": piani,
            "senza_piano": cicli.ambiti_senza_piano(ciclo),
            "puo_configurare": can(request.user, Azione.CONFIGURARE, ciclo),
        },
    )


@login_required
@require_http_methods(["GET"])
def ciclo_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _pagina_ciclo(request, get_ciclo_for_user(request.user, pk, _azione(request)))


@login_required
@require_POST
def ciclo_piani_mancanti(request: HttpRequest, pk: int) -> HttpResponse:
    ciclo = get_ciclo_for_user(request.user, pk, _azione(request))
    try:
        creati = cicli.ciclo_crea_piani_mancanti(ciclo=ciclo, user=request.user)
    except cicli.CicloNonValido as err:
        messages.error(request, str(err))
    else:
        if creati:
            messages.success(request, f"Piani in bozza creati: {creati}.")
        else:
            messages.info(request, "Ogni ambito ha già il suo piano: nessun piano creato.")
    return redirect("ciclo_detail", pk=ciclo.pk)


@login_required
@require_POST
def ciclo_chiusura(request: HttpRequest, pk: int) -> HttpResponse:
    ciclo = get_ciclo_for_user(request.user, pk, _azione(request))
    if not request.POST.get("conferma"):
        messages.error(request, "Per chiudere il ciclo spuntare la conferma.")
        return redirect("ciclo_detail", pk=ciclo.pk)
    cicli.ciclo_chiudi(ciclo=ciclo, user=request.user)
    messages.success(
        request, f"Ciclo «{ciclo.nome}» chiuso: i suoi piani sono ora in sola lettura."
    )
    return redirect("ciclo_detail", pk=ciclo.pk)
