"""Fase preliminare: fondi, assegnazioni, residui ed economie, cofinanziamento, budget triennale."""

from django.apps import AppConfig


class RisorseConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "risorse"
    verbose_name = "Risorse"
