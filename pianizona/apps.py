from django.apps import AppConfig


class PianizonaConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "pianizona"
    verbose_name = "Piani di Zona – anagrafiche e piani"
