"""The demo and local development: embedded SQLite, console e-mail, in-process tasks."""

import os

os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
# The demo lets officers in without a second factor; production always requires it.
os.environ.setdefault("PIANIZONA_MFA_OBBLIGATORIA", "false")

from .base import *  # noqa: F403

STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}

# Serve static files straight from the source folders, no collectstatic needed.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
