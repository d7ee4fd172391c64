from __future__ import annotations

from django.apps import AppConfig


class DeskConfig(AppConfig):
    """The front page an advisor lands on after logging in."""

    name = "apps.desk"
    verbose_name = "Desk"
