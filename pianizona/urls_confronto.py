from django.urls import path

from .views import confronto as views

urlpatterns = [
    path("piani/<int:pk>/confronto/", views.piano_confronto, name="piano_confronto"),
    path(
        "piani/<int:pk>/confronto/standard/",
        views.piano_confronto_standard,
        name="piano_confronto_standard",
    ),
    path(
        "piani/<int:pk>/confronto/excel/", views.piano_confronto_xlsx, name="piano_confronto_xlsx"
    ),
]
