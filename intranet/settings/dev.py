"""A developer's machine: debug on, plain HTTP, mail to the console."""

from __future__ import annotations

import os

os.environ.setdefault("DJANGO_DEBUG", "true")
os.environ.setdefault("DJANGO_SECRET_KEY", "dev-only-not-secret-0a9f7c1e4b")
os.environ.setdefault("DJANGO_SECURE_COOKIES", "false")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("DJANGO_HSTS_SECONDS", "0")
# A fixed, public key: only for data made on a developer's machine or in tests.
os.environ.setdefault(
    "NEUVOKAS_FIELD_ENCRYPTION_KEYS", "bmV1dm9rYXMtdGVzdC1hbmQtZGV2LW5vdC1zZWNyZXQ="
)
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")
os.environ.setdefault("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
os.environ.setdefault("DJANGO_LOG_FORMAT", "text")

from .base import *  # noqa: F403
