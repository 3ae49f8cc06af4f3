"""Monitoraggio dei fondi, indicatori e loro ricalcolo, cruscotti, esportazione SIOSS."""

from django.apps import AppConfig


class MonitoraggioConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "monitoraggio"
    verbose_name = "Monitoraggio"
