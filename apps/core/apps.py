from __future__ import annotations

from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class CoreConfig(AppConfig):
    default = True  # the app's config; NeuvokasAdminConfig below is the admin's
    name = "apps.core"
    verbose_name = "Core"

    def ready(self) -> None:
        from . import checks  # noqa: F401 - registers the system checks


class NeuvokasAdminConfig(admin_apps.AdminConfig):
    """``django.contrib.admin`` whose ``admin.site`` keeps personal data out of every
    ModelAdmin (``apps.core.admin.NeuvokasAdminSite``)."""

    default = False
    default_site = "apps.core.admin.NeuvokasAdminSite"
