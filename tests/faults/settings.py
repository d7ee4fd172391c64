"""Settings of the processes the fault tests start (web, worker, beat): the test
settings on the test's own PostgreSQL and Redis (DATABASE_URL, CELERY_BROKER_URL), with
e-mail written to files the test counts, and a dead worker's message handed out again
within seconds instead of minutes (CELERY_VISIBILITY_TIMEOUT from the test)."""

from __future__ import annotations

import os

from intranet.settings.test import *  # noqa: F403

EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = os.environ["FAULTS_MAIL_DIR"]
assert CELERY_BROKER_URL.startswith("redis://")  # noqa: F405
CELERY_BROKER_TRANSPORT_OPTIONS = {
    **CELERY_BROKER_TRANSPORT_OPTIONS,  # noqa: F405 - production's, with the test's timeout
    # Look for unacknowledged messages past their visibility timeout every second.
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}
