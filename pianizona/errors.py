"""Error pages in Italian, inside the site's shell (500 and 503 use templates that need no context)."""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import get_template

# Seconds a browser or a client is told to wait before trying again when the database is away.
RIPROVA_DOPO = 30


def bad_request(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "errori/400.html", status=400)


def permission_denied(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "errori/403.html", status=403)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "errori/403_csrf.html", status=403)


def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "errori/404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # Django calls this inside its except block: the exception being handled says which page fits.
    if isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
        risposta = HttpResponse(get_template("errori/503.html").render(), status=503)
        risposta["Retry-After"] = str(RIPROVA_DOPO)
        return risposta
    return HttpResponse(get_template("errori/500.html").render(), status=500)
