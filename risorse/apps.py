"""Fase preliminare: fondi, assegnazioni, residui ed economie, cofinanziamento, budget triennale."""

from django.apps import AppConfig


class RisorseConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "risorse"
    verbose_name = "Risorse"

    def ready(self) -> None:
        from pianizona.registry import registra_demo

        from .demo import crea_dati_demo

        registra_demo(crea_dati_demo)
