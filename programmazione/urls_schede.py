"""URL patterns of the schede pages: a plan's intervention sheets and the live allocation panel."""

from django.urls import path

from .views import pannello, schede

P = "piani/<int:piano_pk>/"

urlpatterns: list = [
    path(f"{P}schede/", schede.schede, name="schede"),
    path(f"{P}schede/nuova/<str:sezione>/", schede.scheda_crea, name="scheda_crea"),
    path(f"{P}schede/copia/", schede.schede_copia, name="schede_copia"),
    path(f"{P}schede/<int:pk>/", schede.scheda_modifica, name="scheda_modifica"),
    path(f"{P}schede/<int:pk>/elimina/", schede.scheda_elimina, name="scheda_elimina"),
    path(f"{P}schede/<int:pk>/duplica/", schede.scheda_duplica, name="scheda_duplica"),
    path(f"{P}pannello/", pannello.pannello, name="pannello"),
]
