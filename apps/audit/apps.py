from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "apps.audit"
    verbose_name = _("Tapahtumaloki")

    def ready(self) -> None:
        from . import receivers  # noqa: F401 - connects the signal receivers
