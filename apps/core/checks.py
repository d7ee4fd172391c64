"""System checks of the core app: the keys that encrypt personal data at rest."""

from __future__ import annotations

from typing import Any

from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from . import fields


@checks.register(checks.Tags.security)
def field_encryption_keys_check(
    app_configs: Any = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    """Without NEUVOKAS_FIELD_ENCRYPTION_KEYS no callback can be stored or read."""
    try:
        fields.fernet()
    except ImproperlyConfigured as exc:
        return [
            checks.Error(
                str(exc),
                hint="Set NEUVOKAS_FIELD_ENCRYPTION_KEYS in the environment (see README, "
                "Configuration). Keep the old key after the new one until every row is "
                "re-encrypted; a lost key makes the stored numbers unreadable.",
                id="core.E001",
            )
        ]
    return []
