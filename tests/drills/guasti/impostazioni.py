"""Settings of the fault drill: the pytest process, its Celery workers and its gunicorn.

The test settings, plus what production has and the test suite replaces: Redis (the drill's
own) as broker and cache, tasks sent to a worker instead of run in-process. The visibility
timeout is seconds, so a message a killed worker left unacknowledged comes back at once.
"""

import os

from pianizona.settings.test import *  # noqa: F403

REDIS_URL = os.environ["REDIS_URL"]
CELERY_BROKER_URL = REDIS_URL
CELERY_TASK_ALWAYS_EAGER = False
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": int(os.environ.get("PIANIZONA_GUASTI_VISIBILITA", "3")),
}
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "pianizona",
    }
}
MEDIA_ROOT = os.environ["PIANIZONA_GUASTI_MEDIA"]
# A queued job is sent again after a second, not five minutes: the drill calls the beat task.
PIANIZONA_JOB_RIACCODA_SECONDI = 1
