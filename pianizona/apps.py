from django.apps import AppConfig


class PianizonaConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "pianizona"
    verbose_name = "Piani di Zona – anagrafiche e piani"

    def ready(self) -> None:
        # Jobs are queued by task name: web processes, not only workers, must know the job task.
        from .lavori import tasks  # noqa: F401
