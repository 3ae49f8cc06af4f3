"""URL patterns of the catalogo pages: the Region's catalogue of interventions, per cycle."""

from django.urls import path

from .views import catalogo as views

urlpatterns: list = [
    path("cicli/<int:ciclo_pk>/catalogo/", views.catalogo, name="catalogo"),
    path("cicli/<int:ciclo_pk>/catalogo/nuova/", views.voce_crea, name="voce_crea"),
    path(
        "cicli/<int:ciclo_pk>/catalogo/esporta/",
        views.catalogo_esporta,
        name="catalogo_esporta",
    ),
    path(
        "cicli/<int:ciclo_pk>/catalogo/importa/",
        views.catalogo_importa,
        name="catalogo_importa",
    ),
    path("cicli/<int:ciclo_pk>/catalogo/<int:pk>/", views.voce_modifica, name="voce_modifica"),
    path(
        "cicli/<int:ciclo_pk>/catalogo/<int:pk>/elimina/",
        views.voce_elimina,
        name="voce_elimina",
    ),
]
