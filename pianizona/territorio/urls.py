from django.urls import path

from . import views

urlpatterns = [
    path("ambiti/<int:pk>/", views.ambito_detail, name="ambito_detail"),
    path("regioni/<int:pk>/", views.regione_detail, name="regione_detail"),
]
