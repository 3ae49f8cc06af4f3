"""Settings of the Celery worker that tests/stack/test_job_worker.py starts and kills.

The test settings, plus: keys of its own on the shared Redis (``global_keyprefix``), the test's
media folder, and a visibility timeout of seconds, so that the message a killed worker left
unacknowledged comes back to the next worker at once instead of after an hour.
"""

import os

from pianizona.settings.test import *  # noqa: F403

CELERY_TASK_ALWAYS_EAGER = False
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "global_keyprefix": os.environ["PIANIZONA_TEST_PREFISSO_BROKER"],
    "visibility_timeout": int(os.environ.get("PIANIZONA_TEST_VISIBILITA", "2")),
}
MEDIA_ROOT = os.environ["PIANIZONA_TEST_MEDIA_ROOT"]
