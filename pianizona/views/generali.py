from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from .. import commenti, registry, selectors, workflow
from ..forms import ContestoForm
from ..models import Piano, Ruolo
from ..tenancy import (
    Azione,
    can,
    get_ambito_for_user,
    get_piano_for_user,
    get_regione_for_user,
    membership_attiva,
    membership_set_attiva,
    regioni_for_user,
)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Send each user to the home of the role they are working in."""
    membership = membership_attiva(request)
    if membership is None:
        regioni = regioni_for_user(request.user) if request.user.is_superuser else []
        return render(request, "pianizona/home_senza_ruolo.html", {"regioni": regioni})
    if membership.ruolo == Ruolo.FUNZIONARIO:
        return redirect("regione_detail", pk=membership.regione_id)
    return redirect("ambito_detail", pk=membership.ambito_id)


@login_required
def ambito_detail(request: HttpRequest, pk: int) -> HttpResponse:
    ambito = get_ambito_for_user(request.user, pk)
    comuni = list(selectors.comuni_dell_ambito(ambito))
    return render(
        request,
        "pianizona/ambito_detail.html",
        {
            "ambito": ambito,
            "piani": selectors.piani_dell_ambito(ambito),
            "comuni": comuni,
            "popolazione": sum(c.popolazione for c in comuni),
            "puo_vedere_regione": can(request.user, Azione.PANORAMICA_REGIONALE, ambito.regione),
            "pagine_ambito": [
                (p, reverse(p.url_name, args=[ambito.pk])) for p in registry.pagine_ambito()
            ],
        },
    )


@login_required
def piano_detail(request: HttpRequest, pk: int) -> HttpResponse:
    piano = get_piano_for_user(request.user, pk)
    return render(
        request,
        "pianizona/piano_detail.html",
        {
            "piano": piano,
            "ambito": piano.ambito,
            "collegati": selectors.piani_collegati(piano),
            "sezioni": [
                (s, reverse(s.url_name, args=[piano.pk])) for s in registry.sezioni_piano()
            ],
            "puo_modificare": can(request.user, Azione.MODIFICARE, piano) and piano.modificabile,
            "azioni": workflow.azioni_possibili(piano, request.user),
            "commenti_aperti": commenti.commenti_aperti(piano),
            "parziali": registry.parziali_piano(),
            "ultima_transizione": piano.transizioni.select_related("utente")
            .order_by("-eseguita_il", "-pk")
            .first(),
            "ultima_versione": piano.versioni.defer("contenuto").order_by("-numero").first(),
            "puo_avviare_attuativo": piano.stato == Piano.Stato.APPROVATO
            and can(request.user, Azione.MODIFICARE, piano),
        },
    )


@login_required
def regione_detail(request: HttpRequest, pk: int) -> HttpResponse:
    regione = get_regione_for_user(request.user, pk, Azione.PANORAMICA_REGIONALE)
    ciclo_id = request.GET.get("ciclo", "")
    panoramica = selectors.panoramica_regionale(
        regione, int(ciclo_id) if ciclo_id.isdigit() else None
    )
    pagine = []
    if panoramica.ciclo is not None:
        pagine = [
            (p, reverse(p.url_name, args=[panoramica.ciclo.pk])) for p in registry.pagine_ciclo()
        ]
    return render(
        request,
        "pianizona/regione_detail.html",
        {
            "panoramica": panoramica,
            "pagine_ciclo": pagine,
            "pagine_regione": [
                (p, reverse(p.url_name, args=[regione.pk])) for p in registry.pagine_regione()
            ],
        },
    )


@require_POST
@login_required
def contesto_switch(request: HttpRequest) -> HttpResponse:
    form = ContestoForm(request.POST, user=request.user)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("home")
    membership = membership_set_attiva(request, form.cleaned_data["membership"])
    messages.success(request, f"Ora lavori come {membership}.")
    return redirect("home")


@require_GET
def accessibilita(request: HttpRequest) -> HttpResponse:
    return render(request, "pianizona/accessibilita.html")


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database and the broker answer, 503 when either is down."""
    stato = {"database": _controlla_database(), "broker": _controlla_broker()}
    ok = all(v in ("ok", "in-process") for v in stato.values())
    return JsonResponse({"stato": "ok" if ok else "errore", **stato}, status=200 if ok else 503)


def _controlla_database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any driver error means the database is not usable
        return "non raggiungibile"
    return "ok"


def _controlla_broker() -> str:
    from ..celery import app

    if app.conf.task_always_eager:
        return "in-process"
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception:  # kombu raises transport-specific errors
        return "non raggiungibile"
    return "ok"
