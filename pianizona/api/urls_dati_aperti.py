from django.urls import path

from . import dati_aperti as views

urlpatterns = [
    path("dati-aperti/", views.opendata_indice, name="opendata_indice"),
    path("dati-aperti/cicli/<int:pk>/", views.opendata_ciclo, name="opendata_ciclo"),
    path(
        "dati-aperti/cicli/<int:pk>/metadati.jsonld",
        views.opendata_metadati,
        name="opendata_metadati",
    ),
    path(
        "dati-aperti/cicli/<int:pk>/<slug:codice>.<str:formato>",
        views.opendata_dataset,
        name="opendata_dataset",
    ),
]
