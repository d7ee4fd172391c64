from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StoriesConfig(AppConfig):
    name = "apps.stories"
    verbose_name = _("Onnistumistarinat")
