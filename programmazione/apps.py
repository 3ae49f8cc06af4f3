"""Catalogo degli interventi, schede intervento, allocazioni, parte narrativa del piano."""

from django.apps import AppConfig


class ProgrammazioneConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "programmazione"
    verbose_name = "Programmazione"

    def ready(self) -> None:
        from pianizona import registry

        from .controlli import controlli_programmazione

        registry.registra_controllo(controlli_programmazione)
