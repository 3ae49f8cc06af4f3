"""/api/v1/: the core's endpoints and every phase app's, the schema, its documentation, a JSON 404
for the rest; and the open-data catalogue, which lives outside the versioned API (/dati-aperti/)."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import APIRootView, DefaultRouter

from pianizona import registry

from . import dati_aperti, documentazione, viste
from .base import NonTrovato, RegistraChiamate


class RadiceApi(RegistraChiamate, APIRootView):
    """L'elenco delle risorse dell'API."""

    schema = None


class Router(DefaultRouter):
    include_format_suffixes = False  # JSON only: no ".json" twins of every URL
    APIRootView = RadiceApi


def crea_router() -> Router:
    router = Router(use_regex_path=False)
    router.register("regioni", viste.RegioneViewSet, basename="regione")
    router.register("ambiti", viste.AmbitoViewSet, basename="ambito")
    router.register("cicli", viste.CicloViewSet, basename="ciclo")
    router.register("piani", viste.PianoViewSet, basename="piano")
    for risorsa in registry.risorse_api():
        router.register(risorsa.prefisso, risorsa.viewset, basename=risorsa.basename)
    return router


app_name = "api"
urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("documentazione/", documentazione.documentazione, name="documentazione"),
    *crea_router().urls,
    # [\s\S]: any character, newlines included (a "%0A" in a path is still a JSON 404).
    re_path(r"^(?P<resto>[\s\S]+)$", NonTrovato.as_view(), name="non_trovato"),
]


# Mounted at the site's root by pianizona/urls.py: published data, not the versioned API.
dati_aperti_urlpatterns = [
    path("dati-aperti/", dati_aperti.opendata_indice, name="opendata_indice"),
    path("dati-aperti/cicli/<int:pk>/", dati_aperti.opendata_ciclo, name="opendata_ciclo"),
    path(
        "dati-aperti/cicli/<int:pk>/metadati.jsonld",
        dati_aperti.opendata_metadati,
        name="opendata_metadati",
    ),
    path(
        "dati-aperti/cicli/<int:pk>/<slug:codice>.<str:formato>",
        dati_aperti.opendata_dataset,
        name="opendata_dataset",
    ),
]
