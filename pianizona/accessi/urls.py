from django.urls import path

from . import views

urlpatterns = [
    path("contesto/", views.contesto_switch, name="contesto_switch"),
    # Before allauth's own /accounts/email/, which would let a session change the login address.
    path("accounts/email/", views.indirizzo_email, name="account_email"),
    path("profilo/", views.profilo, name="profilo"),
]
