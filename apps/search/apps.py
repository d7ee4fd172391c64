from __future__ import annotations

from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "apps.search"
    verbose_name = _("Haku")

    def ready(self) -> None:
        # Each app's search.py registers what it contributes to the index.
        autodiscover_modules("search")
        from . import checks  # noqa: F401 - registers the system check
