"""The district's pages of the preliminary phase, per plan."""

from django.urls import path

from .views import budget, piano

P = "piani/<int:piano_pk>/risorse/"

urlpatterns: list = [
    path(P, piano.riepilogo, name="riepilogo"),
    path(f"{P}recepimento/", piano.recepimento, name="recepimento"),
    path(f"{P}segnalazioni/", piano.segnalazione_crea, name="segnalazione_crea"),
    path(f"{P}residui/", piano.residui, name="residui"),
    path(f"{P}residui/<int:pk>/", piano.residuo_modifica, name="residuo_modifica"),
    path(f"{P}residui/<int:pk>/elimina/", piano.residuo_elimina, name="residuo_elimina"),
    path(f"{P}altre/", piano.altre_risorse, name="altre_risorse"),
    path(f"{P}altre/<int:pk>/", piano.altra_risorsa_modifica, name="altra_risorsa_modifica"),
    path(f"{P}altre/<int:pk>/elimina/", piano.altra_risorsa_elimina, name="altra_risorsa_elimina"),
    path(f"{P}cofinanziamento/", piano.cofinanziamento, name="cofinanziamento"),
    path(
        f"{P}cofinanziamento/esporta/",
        piano.cofinanziamento_esporta,
        name="cofinanziamento_esporta",
    ),
    path(
        f"{P}cofinanziamento/importa/",
        piano.cofinanziamento_importa,
        name="cofinanziamento_importa",
    ),
    path("piani/<int:piano_pk>/risorse/budget/", budget.budget, name="budget"),
]
