"""Roles are Django groups with permissions, created by migrations
(``accounts/migrations/0002_roles.py`` and each later app's own). Views check
permissions, never group or user names."""

from __future__ import annotations

ADVISOR = "Neuvoja"
EDITOR = "Sisällöntuottaja"
MANAGER = "Esihenkilö"
ROLES = (ADVISOR, EDITOR, MANAGER)
