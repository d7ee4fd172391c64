"""The test run: production settings with plain HTTP, fast hashing and in-memory mail."""

from __future__ import annotations

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-not-secret-51c2d8")
os.environ.setdefault("DJANGO_SECURE_COOKIES", "false")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("DJANGO_HSTS_SECONDS", "0")
# A fixed, public key: only for data made on a developer's machine or in tests.
os.environ.setdefault(
    "NEUVOKAS_FIELD_ENCRYPTION_KEYS", "bmV1dm9rYXMtdGVzdC1hbmQtZGV2LW5vdC1zZWNyZXQ="
)
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
# The suite's own processes open a connection per thread, as Django's test cases expect;
# the production stack's tests (tests/ops, tests/faults) run with the pool.
os.environ.setdefault("DJANGO_DB_POOL_MAX", "0")

from .base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True

# Tests never share the development broker folder: a message a test enqueues must not
# reach the worker of `make run`.
if CELERY_BROKER_URL == "filesystem://":  # noqa: F405
    _test_broker = VAR_DIR / "test-broker"  # noqa: F405
    for _sub in ("queue", "processed", "control"):
        (_test_broker / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_test_broker / "queue"),
        "data_folder_out": str(_test_broker / "queue"),
        "processed_folder": str(_test_broker / "processed"),
        "control_folder": str(_test_broker / "control"),
        "store_processed": False,
    }

# Search by meaning (apps.search.semantic) is off in the suite: a worker started by a
# test would otherwise spend seconds embedding every entry it indexes. The tests of
# semantic search (tests/search/test_semantic.py) turn it on; the benchmarks set
# NEUVOKAS_SEARCH_SEMANTIC=1.
NEUVOKAS_SEARCH_SEMANTIC = os.environ.get("NEUVOKAS_SEARCH_SEMANTIC", "") == "1"
NEUVOKAS_SEARCH_VECTOR_RELOAD_SECONDS = 0
