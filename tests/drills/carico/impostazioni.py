"""Settings of the load drill: production, served over plain HTTP on localhost.

What differs from production and why: no HTTPS redirect, HSTS or secure-only cookies (gunicorn
answers plain HTTP on 127.0.0.1, with no proxy in front); no mandatory second factor
(``PIANIZONA_MFA_OBBLIGATORIA`` off, because the load users log in with their password only);
the cache and Celery keys on the shared Redis under a prefix of this run; and a URL conf that adds
the bare view the drill compares pages with. Everything else (DEBUG off, manifest static files,
sessions in the database, password hashing, middleware) is production's.
"""

import os

# Production refuses to start without a secret: this one signs only the drill's sessions.
os.environ.setdefault("SECRET_KEY", "carico-" + "solo-per-la-prova-di-carico-su-localhost-" * 2)
os.environ.setdefault("PIANIZONA_MFA_OBBLIGATORIA", "false")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("SECURE_HSTS_SECONDS", "0")

from pianizona.settings.production import *  # noqa: F403

ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
MFA_TRUST_COOKIE_SECURE = False
ROOT_URLCONF = "tests.drills.carico.urls"

_PREFISSO = os.environ.get("PIANIZONA_CARICO_PREFISSO", "pianizona-carico")
if REDIS_URL:  # noqa: F405
    CACHES["default"]["KEY_PREFIX"] = _PREFISSO  # noqa: F405
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        **CELERY_BROKER_TRANSPORT_OPTIONS,  # noqa: F405
        "global_keyprefix": f"{_PREFISSO}:",
    }
