from __future__ import annotations

from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class CoreConfig(AppConfig):
    default = True  # the app's config; NeuvokasAdminConfig below is the admin's
    name = "apps.core"
    verbose_name = "Core"

    def ready(self) -> None:
        # checks registers the system checks; health and request_id connect their
        # Celery signals (web, worker and beat processes all load the apps).
        from . import checks, health, request_id  # noqa: F401


class NeuvokasAdminConfig(admin_apps.AdminConfig):
    """``django.contrib.admin`` whose ``admin.site`` keeps personal data out of every
    ModelAdmin (``apps.core.admin.NeuvokasAdminSite``)."""

    default = False
    default_site = "apps.core.admin.NeuvokasAdminSite"
