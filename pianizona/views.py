"""The pages outside any wing: the entry that sends each user to their work, accessibility, health."""

import logging

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from pianizona.accessi.tenancy import membership_attiva, regioni_for_user

from .celery import app
from .models import Ruolo

logger = logging.getLogger(__name__)


def home(request: HttpRequest) -> HttpResponse:
    """Send each user to the home of the role they are working in; show visitors the public pages."""
    if not request.user.is_authenticated:
        return render(request, "pianizona/home_pubblica.html")
    membership = membership_attiva(request)
    if membership is None:
        regioni = regioni_for_user(request.user) if request.user.is_superuser else []
        return render(request, "pianizona/home_senza_ruolo.html", {"regioni": regioni})
    if membership.ruolo == Ruolo.FUNZIONARIO:
        return redirect("regione_detail", pk=membership.regione_id)
    return redirect("ambito_detail", pk=membership.ambito_id)


@require_GET
def accessibilita(request: HttpRequest) -> HttpResponse:
    return render(request, "pianizona/accessibilita.html")


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database and the broker answer, 503 when either is down.

    Anyone may call it (probes, by IP, without a session), so it says ok or ko and nothing
    else; which component is down goes to the log, where the operators look.
    """
    stato = {"database": _controlla_database(), "broker": _controlla_broker()}
    guasti = {k: v for k, v in stato.items() if v not in ("ok", "in-process")}
    if guasti:
        logger.error("Controllo di salute fallito: %s", guasti)
    return JsonResponse({"stato": "errore" if guasti else "ok"}, status=503 if guasti else 200)


def _controlla_database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any driver error means the database is not usable
        return "non raggiungibile"
    return "ok"


def _controlla_broker() -> str:
    if app.conf.task_always_eager:
        return "in-process"
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception:  # kombu raises transport-specific errors
        return "non raggiungibile"
    return "ok"
