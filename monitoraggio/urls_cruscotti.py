"""URL routes of monitoraggio: cruscotti and the SIOSS export."""

from django.urls import path

from .views import cruscotti, sioss

urlpatterns: list = [
    path(
        "regioni/<int:pk>/cruscotto/",
        cruscotti.cruscotto_regione,
        name="cruscotto_regione",
    ),
    path(
        "regioni/<int:pk>/cruscotto/csv/",
        cruscotti.cruscotto_regione_csv,
        name="cruscotto_regione_csv",
    ),
    path("cicli/<int:ciclo_pk>/cruscotto/", cruscotti.cruscotto_ciclo, name="cruscotto_ciclo"),
    path("ambiti/<int:pk>/cruscotto/", cruscotti.cruscotto_ambito_view, name="cruscotto_ambito"),
    path(
        "ambiti/<int:pk>/cruscotto/csv/",
        cruscotti.cruscotto_ambito_csv,
        name="cruscotto_ambito_csv",
    ),
    path("ambiti/<int:pk>/sioss/", sioss.sioss_pagina, name="sioss"),
    path("ambiti/<int:pk>/sioss/<int:anno>/csv/", sioss.sioss_csv, name="sioss_csv"),
    path("ambiti/<int:pk>/sioss/<int:anno>/xlsx/", sioss.sioss_xlsx, name="sioss_xlsx"),
]
