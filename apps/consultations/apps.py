from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationsConfig(AppConfig):
    name = "apps.consultations"
    verbose_name = _("Kysy kollegalta")
