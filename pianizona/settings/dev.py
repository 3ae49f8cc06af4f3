"""The demo (`make run`) and local development: embedded SQLite, console e-mail, a worker beside it.

The demo behaves like production: DEBUG off (the Italian error pages; ``DEBUG=true`` for
tracebacks), SQLite set up for a web server and a worker writing at once, and tasks sent to the
worker that ``manage.py demo`` starts on a broker that is a folder (``CELERY_BROKER_URL=filesystem://``).
Without a broker (a bare ``runserver``) tasks still run in-process.
"""

import os

os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
# The demo lets officers in without a second factor; production always requires it.
os.environ.setdefault("PIANIZONA_MFA_OBBLIGATORIA", "false")
# `make run HOST=… PORT=…`: links in e-mails and the accepted Host header follow the address served.
DEMO_HOST = os.environ.get("HOST") or "127.0.0.1"
DEMO_PORT = os.environ.get("PORT") or "8000"
# A server bound to every interface is reached by some address of the machine, not by 0.0.0.0.
_HOST_DEI_LINK = "127.0.0.1" if DEMO_HOST in ("0.0.0.0", "::") else DEMO_HOST
os.environ.setdefault(
    "SITE_URL",
    f"http://[{_HOST_DEI_LINK}]:{DEMO_PORT}"
    if ":" in _HOST_DEI_LINK
    else f"http://{_HOST_DEI_LINK}:{DEMO_PORT}",
)
os.environ.setdefault(
    "ALLOWED_HOSTS",
    "*" if DEMO_HOST in ("0.0.0.0", "::") else f"127.0.0.1,localhost,[::1],{DEMO_HOST}",
)

from .base import *  # noqa: E402,F403

STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}

# Serve static files straight from the source folders, no collectstatic needed (also with DEBUG off).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# SQLite shared by the web server's threads and the worker: a transaction takes the write lock when
# it begins (a deferred one that reads first cannot wait for it and fails with "database is
# locked"), waits up to 20 s for it, and readers never block the writer (WAL).
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["OPTIONS"] = {  # noqa: F405
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

# The demo's broker is a folder (kombu's filesystem transport): no server to install or start.
if CELERY_BROKER_URL.startswith("filesystem://"):  # noqa: F405
    _coda = Path(env_str("CELERY_BROKER_FOLDER", str(VAR_DIR / "coda")))  # noqa: F405
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        # Web server and worker write to and read from the same folder.
        "data_folder_in": str(_coda / "messaggi"),
        "data_folder_out": str(_coda / "messaggi"),
        "control_folder": str(_coda / "controllo"),
        "store_processed": False,
    }
