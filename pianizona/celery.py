"""The Celery application; with no broker configured tasks run in-process (see settings)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pianizona.settings.dev")

app = Celery("pianizona")
app.config_from_object("django.conf:settings", namespace="CELERY")
# Each installed app's tasks.py, and those that live with their subject in a subpackage.
app.autodiscover_tasks()
app.autodiscover_tasks(
    ["pianizona.accessi", "pianizona.iter", "pianizona.lavori", "monitoraggio.fondi"]
)
