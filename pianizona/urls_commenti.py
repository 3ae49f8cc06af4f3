from django.urls import path

from .views import commenti as views

urlpatterns: list = [
    path("piani/<int:piano_pk>/osservazioni/", views.piano_commenti, name="piano_commenti"),
    path(
        "piani/<int:piano_pk>/osservazioni/nuova/",
        views.piano_commento_crea,
        name="piano_commento_crea",
    ),
    path(
        "piani/<int:piano_pk>/osservazioni/<int:pk>/risposta/",
        views.piano_commento_rispondi,
        name="piano_commento_rispondi",
    ),
    path(
        "piani/<int:piano_pk>/osservazioni/<int:pk>/risolvi/",
        views.piano_commento_risolvi,
        name="piano_commento_risolvi",
    ),
    path(
        "piani/<int:piano_pk>/osservazioni/<int:pk>/riapri/",
        views.piano_commento_riapri,
        name="piano_commento_riapri",
    ),
]
