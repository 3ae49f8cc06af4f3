"""Error pages in Italian, inside the site's shell (500 uses a template that needs no context)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import get_template


def bad_request(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "errori/400.html", status=400)


def permission_denied(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "errori/403.html", status=403)


def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "errori/404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    return HttpResponse(get_template("errori/500.html").render(), status=500)
