"""The test suite: SQLite unless DATABASE_URL says otherwise, tasks in-process, fast hashing."""

import os

os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")

from .base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
# Tests call tasks in-process; tests/stack starts a real worker on Redis explicitly.
CELERY_TASK_ALWAYS_EAGER = True
# Tests approve plans all the time: the PDF ahead of time is tested on its own.
PIANIZONA_PDF_ALL_APPROVAZIONE = False
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
PIANIZONA_MFA_OBBLIGATORIA = True
MEDIA_ROOT = VAR_DIR / "test-media"  # noqa: F405

# Serve static files straight from the source folders, no collectstatic needed.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
