"""The Region's pages of the preliminary phase, per cycle."""

from django.urls import path

from .views import regione as views

urlpatterns: list = [
    path(
        "cicli/<int:ciclo_pk>/configurazione/",
        views.configurazione,
        name="configurazione",
    ),
    path(
        "cicli/<int:ciclo_pk>/configurazione/vincoli/",
        views.vincolo_crea,
        name="vincolo_crea",
    ),
    path(
        "cicli/<int:ciclo_pk>/configurazione/vincoli/<int:pk>/elimina/",
        views.vincolo_elimina,
        name="vincolo_elimina",
    ),
    path(
        "cicli/<int:ciclo_pk>/configurazione/fonti/",
        views.fonte_regionale_crea,
        name="fonte_regionale_crea",
    ),
    path(
        "cicli/<int:ciclo_pk>/configurazione/denominazioni/",
        views.denominazioni,
        name="denominazioni",
    ),
    path("cicli/<int:ciclo_pk>/assegnazioni/", views.assegnazioni, name="assegnazioni"),
    path(
        "cicli/<int:ciclo_pk>/assegnazioni/esporta/",
        views.assegnazioni_esporta,
        name="assegnazioni_esporta",
    ),
    path(
        "cicli/<int:ciclo_pk>/assegnazioni/importa/",
        views.assegnazioni_importa,
        name="assegnazioni_importa",
    ),
    path(
        "cicli/<int:ciclo_pk>/assegnazioni/modello/",
        views.assegnazioni_modello,
        name="assegnazioni_modello",
    ),
    path("cicli/<int:ciclo_pk>/riparto/", views.riparto, name="riparto"),
    path("cicli/<int:ciclo_pk>/criteri/", views.criteri, name="criteri"),
    path(
        "cicli/<int:ciclo_pk>/criteri/<int:pk>/importa/",
        views.criterio_importa,
        name="criterio_importa",
    ),
    path("cicli/<int:ciclo_pk>/segnalazioni/", views.segnalazioni, name="segnalazioni"),
    path(
        "cicli/<int:ciclo_pk>/segnalazioni/<int:pk>/chiudi/",
        views.segnalazione_chiudi,
        name="segnalazione_chiudi",
    ),
]
