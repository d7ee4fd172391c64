"""Settings for the Celery worker and beat processes the process tests start.

The test settings, with the test database and a queue of the test's own on the shared
Redis, so no other worker takes these tasks and these workers take no other tasks.
"""

from __future__ import annotations

import os

from intranet.settings.test import *  # noqa: F403

CELERY_BROKER_URL = os.environ["REPORTS_TEST_BROKER"]
CELERY_TASK_DEFAULT_QUEUE = os.environ["REPORTS_TEST_QUEUE"]
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
if CELERY_BROKER_URL == "filesystem://":
    _folder = os.environ["REPORTS_TEST_BROKER_FOLDER"]
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": _folder,
        "data_folder_out": _folder,
        "control_folder": _folder + "-control",
    }
