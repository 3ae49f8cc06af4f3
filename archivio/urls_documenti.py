"""URL routes of archivio: documenti."""

from django.urls import path

from .views import documenti as views

urlpatterns = [
    path("ambiti/<int:ambito_pk>/archivio/", views.documenti, name="documenti"),
    path("ambiti/<int:ambito_pk>/archivio/nuovo/", views.documento_nuovo, name="documento_nuovo"),
    path("regioni/<int:regione_pk>/archivio/", views.documenti_regione, name="documenti_regione"),
    path(
        "regioni/<int:regione_pk>/archivio/nuovo/",
        views.documento_nuovo_regione,
        name="documento_nuovo_regione",
    ),
    path("archivio/documenti/<int:pk>/", views.documento, name="documento"),
    path(
        "archivio/documenti/<int:pk>/versioni/nuova/", views.versione_nuova, name="versione_nuova"
    ),
    path("archivio/documenti/<int:pk>/elimina/", views.documento_elimina, name="documento_elimina"),
    path("archivio/versioni/<int:pk>/scarica/", views.versione_scarica, name="versione_scarica"),
]
