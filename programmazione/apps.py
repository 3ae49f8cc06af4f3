"""Catalogo degli interventi, schede intervento, allocazioni, parte narrativa del piano."""

from django.apps import AppConfig


class ProgrammazioneConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "programmazione"
    verbose_name = "Programmazione"
