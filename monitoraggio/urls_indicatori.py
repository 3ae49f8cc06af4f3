"""URL routes of monitoraggio: indicatori (the Region's by cycle, the district's by ambito)."""

from django.urls import path

from .views import indicatori

urlpatterns: list = [
    path(
        "cicli/<int:ciclo_pk>/indicatori/",
        indicatori.indicatori_catalogo,
        name="indicatori_catalogo",
    ),
    path(
        "cicli/<int:ciclo_pk>/indicatori/carica/",
        indicatori.indicatori_catalogo_carica,
        name="indicatori_catalogo_carica",
    ),
    path(
        "cicli/<int:ciclo_pk>/indicatori/ricalcola/",
        indicatori.indicatori_ricalcola_regione,
        name="indicatori_ricalcola_regione",
    ),
    path(
        "ambiti/<int:ambito_pk>/indicatori/",
        indicatori.indicatori_ambito,
        name="indicatori_ambito",
    ),
    path(
        "ambiti/<int:ambito_pk>/indicatori/ricalcola/",
        indicatori.indicatori_ricalcola_ambito,
        name="indicatori_ricalcola_ambito",
    ),
    path(
        "ambiti/<int:ambito_pk>/indicatori/<int:indicatore_pk>/",
        indicatori.indicatore_storico,
        name="indicatore_storico",
    ),
]
