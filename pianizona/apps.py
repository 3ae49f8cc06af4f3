from django.apps import AppConfig


class PianizonaConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "pianizona"
    verbose_name = "Piani di Zona – anagrafiche e piani"

    def ready(self) -> None:
        # Jobs are queued by task name: web processes, not only workers, must know the job task;
        # the security notices (a recovery code used) listen to allauth's signals.
        from .accessi import segnali  # noqa: F401
        from .lavori import tasks  # noqa: F401
