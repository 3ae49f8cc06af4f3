from django.urls import path

from .views import workflow

urlpatterns = [
    path("piani/<int:pk>/invio/", workflow.piano_invio, name="piano_invio"),
    path(
        "piani/<int:pk>/presa-in-carico/",
        workflow.piano_presa_in_carico,
        name="piano_presa_in_carico",
    ),
    path(
        "piani/<int:pk>/richiesta-integrazioni/",
        workflow.piano_richiesta_integrazioni,
        name="piano_richiesta_integrazioni",
    ),
    path("piani/<int:pk>/approvazione/", workflow.piano_approvazione, name="piano_approvazione"),
    path("piani/<int:pk>/versioni/", workflow.piano_versioni, name="piano_versioni"),
    path("piani/<int:pk>/versioni/<int:numero>/", workflow.piano_versione, name="piano_versione"),
    path(
        "piani/<int:pk>/aggiornamento-annuale/",
        workflow.piano_attuativo_avvia,
        name="piano_attuativo_avvia",
    ),
]
