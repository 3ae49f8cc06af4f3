"""Monitoraggio dei fondi, indicatori e loro ricalcolo, cruscotti, esportazione SIOSS."""

from django.apps import AppConfig


class MonitoraggioConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "monitoraggio"
    verbose_name = "Monitoraggio"

    def ready(self) -> None:
        # Each subject registers its pages, jobs, hooks and demo data here, one block each.
        # -- fondi --
        # -- indicatori --
        # -- cruscotti e SIOSS --
        pass
