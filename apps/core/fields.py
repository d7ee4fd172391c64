"""Model fields that keep personal data encrypted at rest.

:class:`EncryptedCharField` stores a Fernet token (AES-128-CBC + HMAC-SHA256, from
``cryptography``) instead of the text, so a database dump or a backup holds no numbers
in clear. The keys come from ``settings.NEUVOKAS_FIELD_ENCRYPTION_KEYS`` (the
environment variable of the same name, comma-separated, newest first): the first key
encrypts, every key decrypts (``MultiFernet``), so a key is rotated by putting a new one
in front, re-saving the rows (or waiting: callback numbers are erased within days) and
then dropping the old key.

The keys are dedicated: they are not derived from ``SECRET_KEY``, so rotating the
session secret never makes stored data unreadable, and a leaked ``SECRET_KEY`` does not
decrypt anything.

Encrypted values cannot be searched: every lookup but "is empty" (``exact`` with ``""``
and ``isnull``) is refused with a ``FieldError``. The empty string is stored as it is,
so an erased value stays recognisable (and check constraints on ``""`` keep working).

A stored value that no configured key opens (lost or changed key) is read as an
:class:`UnreadableValue`: the page says so, the error is logged (never the value), and
saving the row again keeps the stored token untouched, so restoring the key restores the
data.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.db import models
from django.db.models.expressions import Combinable
from django.db.models.lookups import Exact, IsNull

logger = logging.getLogger(__name__)

KEYS_SETTING = "NEUVOKAS_FIELD_ENCRYPTION_KEYS"


class UnreadableValue:
    """A stored value that cannot be decrypted with the configured keys.

    Truthy (there is a value), never equal to any text, and it renders as nothing: the
    template checks ``value.unreadable`` and shows its own message. It carries the stored
    token so that saving the row again writes back exactly what was there.
    """

    unreadable = True

    def __init__(self, token: str) -> None:
        self.token = token

    def __bool__(self) -> bool:
        return True

    def __str__(self) -> str:
        return ""

    def __repr__(self) -> str:
        return "<UnreadableValue>"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, UnreadableValue) and other.token == self.token

    def __hash__(self) -> int:
        return hash(self.token)


def configured_keys() -> tuple[str, ...]:
    keys = getattr(settings, KEYS_SETTING, None) or ()
    if isinstance(keys, str):
        keys = keys.split(",")
    return tuple(k.strip() for k in keys if k and k.strip())


@lru_cache(maxsize=8)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured(
            f"{KEYS_SETTING} is not set: personal data (callback phone numbers) cannot be "
            "encrypted or decrypted. Set it to one or more comma-separated Fernet keys, "
            'newest first (generate one with `python -c "from cryptography.fernet import '
            'Fernet; print(Fernet.generate_key().decode())"`).'
        )
    try:
        return MultiFernet([Fernet(key) for key in keys])
    except (ValueError, TypeError) as exc:
        raise ImproperlyConfigured(
            f"{KEYS_SETTING} holds a value that is not a Fernet key (32 url-safe base64 "
            "encoded bytes); keys are comma-separated, newest first."
        ) from exc


def fernet() -> MultiFernet:
    """The MultiFernet of the configured keys; ImproperlyConfigured if there are none."""
    return _fernet(configured_keys())


def encrypt(text: str) -> str:
    return fernet().encrypt(text.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    """The text of ``token``; raises InvalidToken if no configured key opens it."""
    return fernet().decrypt(token.encode("ascii")).decode("utf-8")


def is_token(value: str) -> bool:
    """Whether ``value`` is a token some configured key opens (used by the data
    migration so running it twice never encrypts twice)."""
    try:
        decrypt(value)
    except (InvalidToken, UnicodeError, ValueError):
        return False
    return True


class _EmptyOnlyExact(Exact):
    """``field=""`` (is it erased?) is the one comparison an encrypted value allows."""

    def get_prep_lookup(self) -> Any:
        if self.rhs != "":
            raise FieldError(
                f"{self.lhs.output_field.name}: an encrypted field cannot be "
                "compared with a value; only = '' and isnull are allowed."
            )
        return super().get_prep_lookup()


class EncryptedCharField(models.CharField):  # type: ignore[type-arg]  # not subscriptable at run time
    """A CharField stored as a Fernet token in a ``text`` column.

    ``max_length`` and the validators apply to the clear text. Personal data: the admin
    never filters, searches, orders or displays on it (``apps.core.admin``).
    """

    sensitive = True
    description = "Encrypted text"

    def get_internal_type(self) -> str:
        return "TextField"

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name == "exact":
            return _EmptyOnlyExact
        if lookup_name == "isnull":
            return IsNull
        return None

    def get_transform(self, lookup_name: str) -> Any:
        return None

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None or value == "":
            return value
        try:
            return decrypt(value)
        except (InvalidToken, UnicodeError, ValueError, ImproperlyConfigured) as exc:
            model = self.model._meta.label if hasattr(self, "model") else "?"
            logger.error(
                "%s.%s: a stored value cannot be decrypted (%s): the encryption "
                "key is missing or has changed",
                model,
                self.name,
                type(exc).__name__,
            )
            return UnreadableValue(value)

    def to_python(self, value: Any) -> Any:
        if isinstance(value, UnreadableValue):
            return value
        return super().to_python(value)

    def get_prep_value(self, value: Any) -> Any:
        if isinstance(value, UnreadableValue):
            return value.token
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(str(value))

    def run_validators(self, value: Any) -> None:
        if isinstance(value, UnreadableValue):
            return
        super().run_validators(value)

    def validate(self, value: Any, model_instance: Any) -> None:
        if isinstance(value, UnreadableValue):
            return
        super().validate(value, model_instance)


def free_text_field(
    verbose_name: Any, *, limit: int, **kwargs: Any
) -> models.TextField[str | Combinable, str]:
    """A free-text column staff write to: at most ``limit`` characters (checked by
    ``full_clean`` too, which a plain TextField's max_length is not) and never a
    personal identity code. Limits come from ``apps.core.limits``."""
    from django.core.validators import MaxLengthValidator

    from .privacy import validate_no_personal_identity_code

    return models.TextField(
        verbose_name,
        max_length=limit,
        validators=[MaxLengthValidator(limit), validate_no_personal_identity_code],
        **kwargs,
    )
