"""Archivio documentale condiviso e adesioni all'Accordo di programma."""

from django.apps import AppConfig


class ArchivioConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "archivio"
    verbose_name = "Archivio"
