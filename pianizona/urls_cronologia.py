from django.urls import path

from .views import cronologia

urlpatterns: list = [
    path("piani/<int:pk>/cronologia/", cronologia.piano_cronologia, name="piano_cronologia"),
    path(
        "piani/<int:pk>/cronologia/esporta/",
        cronologia.piano_cronologia_esporta,
        name="piano_cronologia_esporta",
    ),
]
