"""The application's URLs plus the bare view, mounted only by the load drill's settings."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path

from pianizona.urls import handler400, handler403, handler404, handler500  # noqa: F401


def nudo(request: HttpRequest) -> HttpResponse:
    """The cheapest page the stack can serve: the yardstick the heaviest page is measured against."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("carico/nudo/", nudo, name="carico_nudo"),
    path("", include("pianizona.urls")),
]
