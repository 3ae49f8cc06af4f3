"""URL patterns of the PDF requests: a plan's, and a cycle's approved plans in one ZIP."""

from django.urls import path

from .views import pdf

urlpatterns: list = [
    path("piani/<int:piano_pk>/pdf/", pdf.pdf_richiedi, name="pdf_richiedi"),
    path("cicli/<int:ciclo_pk>/pdf/", pdf.pdf_ciclo_richiedi, name="pdf_ciclo_richiedi"),
]
