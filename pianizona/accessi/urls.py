from django.urls import path

from . import views

urlpatterns = [
    path("contesto/", views.contesto_switch, name="contesto_switch"),
    path("profilo/", views.profilo, name="profilo"),
]
