from __future__ import annotations

from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data for ``make run``: the logins (``manage.py seed_demo``) and the content
    around the demo catalogue (``manage.py seed_demo_content``). The top layer: it may
    use every other app, and no app uses it."""

    name = "apps.demo"
    verbose_name = "Demo"
