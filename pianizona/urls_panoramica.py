from django.urls import path

from .views import panoramica

urlpatterns: list = [
    path("regioni/<int:pk>/piani/", panoramica.regione_piani, name="regione_piani"),
    path(
        "regioni/<int:pk>/piani/esporta/",
        panoramica.regione_piani_esporta,
        name="regione_piani_esporta",
    ),
]
