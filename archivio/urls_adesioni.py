"""URL routes of archivio: adesioni (a public form, and the Ufficio di Piano's pages)."""

from django.urls import path

from .views import adesioni as views

urlpatterns = [
    path("accordo/", views.adesioni_pubbliche, name="adesioni_pubbliche"),
    path("accordo/<str:regione>/<str:codice>/adesione/", views.adesione, name="adesione"),
    # The address links sent before codes could repeat across Regions: redirected when unambiguous.
    path(
        "accordo/<str:codice>/adesione/",
        views.adesione_indirizzo_precedente,
        name="adesione_indirizzo_precedente",
    ),
    path(
        "accordo/<str:regione>/<str:codice>/adesione/inviata/",
        views.adesione_ricevuta,
        name="adesione_ricevuta",
    ),
    path(
        "accordo/<str:regione>/<str:codice>/informativa/",
        views.adesione_informativa,
        name="adesione_informativa",
    ),
    path(
        "accordo/<str:regione>/<str:codice>/modulo-adesione.pdf",
        views.adesione_modulo_vuoto,
        name="adesione_modulo_vuoto",
    ),
    path("ambiti/<int:ambito_pk>/adesioni/", views.adesioni_elenco, name="adesioni"),
    path("adesioni/<int:pk>/", views.adesione_dettaglio, name="adesione_dettaglio"),
    path("adesioni/<int:pk>/decidi/", views.adesione_decidi, name="adesione_decidi"),
    path("adesioni/<int:pk>/revoca/", views.adesione_revoca, name="adesione_revoca"),
    path("adesioni/<int:pk>/modulo/", views.adesione_modulo, name="adesione_modulo"),
    path("piani/<int:piano_pk>/aderenti/", views.aderenti_piano, name="aderenti_piano"),
]
