"""URL routes of monitoraggio: fondi (an ambito's year and lines, the report's moves, the Region's list)."""

from django.urls import path

from .views import fondi

urlpatterns: list = [
    path("ambiti/<int:pk>/fondi/", fondi.fondi_ambito, name="fondi_ambito"),
    path("ambiti/<int:pk>/fondi/apri/", fondi.fondi_apri, name="fondi_apri"),
    path(
        "ambiti/<int:pk>/fondi/<int:anno>/linee/<int:fonte>-<int:obiettivo>-<int:area>/",
        fondi.fondi_linea,
        name="fondi_linea",
    ),
    path("rendicontazioni/<int:pk>/invia/", fondi.fondi_invia, name="fondi_invia"),
    path("rendicontazioni/<int:pk>/accetta/", fondi.fondi_accetta, name="fondi_accetta"),
    path(
        "rendicontazioni/<int:pk>/restituisci/", fondi.fondi_restituisci, name="fondi_restituisci"
    ),
    path("regioni/<int:pk>/fondi/", fondi.fondi_regione, name="fondi_regione"),
    path("cicli/<int:pk>/fondi/", fondi.fondi_ciclo, name="fondi_ciclo"),
]
