from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContactsConfig(AppConfig):
    name = "apps.contacts"
    verbose_name = _("Yhteydenotot")

    def ready(self) -> None:
        # The catalogue asks the contact log (above it) what cites an entry it deletes.
        from .citations import register

        register()
