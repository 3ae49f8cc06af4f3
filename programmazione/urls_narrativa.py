"""URL patterns of the narrativa pages and of the allocation spreadsheet round-trip."""

from django.urls import path

from .views import foglio, narrativa

P = "piani/<int:piano_pk>/"

urlpatterns: list = [
    path(f"{P}narrativa/", narrativa.narrativa, name="narrativa"),
    # Before the chapter pattern: "anteprima" is not a chapter.
    path(f"{P}narrativa/anteprima/", narrativa.narrativa_anteprima, name="narrativa_anteprima"),
    path(f"{P}narrativa/<str:capitolo>/", narrativa.narrativa_modifica, name="narrativa_modifica"),
    path(f"{P}allocazioni/esporta/", foglio.allocazioni_esporta, name="allocazioni_esporta"),
    path(f"{P}allocazioni/importa/", foglio.allocazioni_importa, name="allocazioni_importa"),
]
