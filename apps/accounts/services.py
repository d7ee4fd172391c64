"""Writes of the accounts app."""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.core.privacy import validate_no_personal_identity_code as no_identity_code

from . import permissions, roles
from .models import ApiToken, User

if TYPE_CHECKING:
    from apps.catalogue.models import ServiceLine

logger = logging.getLogger(__name__)

TOKEN_PREFIX = "nvk_"  # noqa: S105 - a marker, not a secret


def profile_update(*, user: User, email_notifications: bool) -> User:
    """Save the user's own settings. The user row is locked so two tabs saving at once
    end with one tab's choice. The lines served are not among them
    (``service_lines_assign``)."""
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        locked.email_notifications = email_notifications
        locked.full_clean(validate_unique=False, validate_constraints=False)
        locked.save(update_fields=["email_notifications"])
    user.email_notifications = locked.email_notifications
    return locked


def service_lines_assign(
    *, user: User, service_lines: Iterable[ServiceLine], by: User | None
) -> User:
    """Set the lines ``user`` serves (their line questions and callbacks reach them).

    ``by`` is the manager deciding (``permissions.can_assign_service_lines``); ``None``
    only for the system itself (demo seeding, a future identity-provider sync).
    """
    if by is not None and not permissions.can_assign_service_lines(by):
        raise PermissionDenied
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        locked.service_lines.set(list(service_lines))
    return locked


# --- API tokens -------------------------------------------------------------------------


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def api_token_create(*, user: User, name: str = "") -> tuple[ApiToken, str]:
    """A new personal token; the raw token is returned once and never stored."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name[:100], key_hash=hash_token(raw), prefix=raw[:12]
    )
    return token, raw


def api_token_revoke(*, token: ApiToken) -> None:
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())


def api_token_touch(*, token: ApiToken) -> None:
    """Note when a token was last used (at most every ten minutes, to spare writes)."""
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 600:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)


# --- Sign-in through the identity provider (OpenID Connect) -----------------------------


class SignInRefused(Exception):
    """The provider vouched for someone who may not come in. ``reason`` is one of
    ``"invalid"`` (no usable ``sub``), ``"inactive"`` (deactivated here) or ``"no_role"``
    (none of the provider's groups maps to a role)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


_USERNAME_CHARS = re.compile(r"[^\w.@+-]")


def roles_from_claims(claims: Mapping[str, Any]) -> set[str]:
    """The roles (group names of ``apps.accounts.roles``) that the provider's groups give,
    by ``NEUVOKAS_OIDC_ROLE_GROUPS``. Group values compare case-insensitively (Entra ID
    sends object ids, other providers names or paths)."""
    raw = claims.get(settings.NEUVOKAS_OIDC_GROUPS_CLAIM)
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list | tuple):
        if "_claim_names" in claims:
            # Entra ID's "groups overage": more groups than fit in a token. Assign the
            # roles' groups to the application so that only they are sent.
            logger.warning("OIDC: the groups claim is missing (overage?); no roles given")
        raw = []
    groups = {str(g).casefold() for g in raw}
    mapping: Mapping[str, Iterable[str]] = settings.NEUVOKAS_OIDC_ROLE_GROUPS
    return {
        role
        for role, provider_groups in mapping.items()
        if role in roles.ROLES and groups & {str(g).casefold() for g in provider_groups}
    }


def _clean_name(value: object, *, current: str) -> str:
    """A name claim as stored: at most 150 characters; one holding a henkilötunnus is
    not stored (the model's guard), the current value stays."""
    text = " ".join(str(value or "").split())[:150]
    try:
        no_identity_code(text)
    except ValidationError:
        logger.warning("OIDC: a name claim holds a personal identity code; not stored")
        return current
    return text


def _names(claims: Mapping[str, Any], user: User) -> tuple[str, str]:
    first, last = claims.get("given_name"), claims.get("family_name")
    if not first and not last and claims.get("name"):
        first, _, last = str(claims["name"]).strip().rpartition(" ")
        first, last = (first, last) if first else (last, "")
    return (
        _clean_name(first, current=user.first_name),
        _clean_name(last, current=user.last_name),
    )


def _email(claims: Mapping[str, Any], *, current: str) -> str:
    email = str(claims.get("email") or "").strip()[:254]
    try:
        validate_email(email)
    except ValidationError:
        return current
    return email


def _username_for(claims: Mapping[str, Any], subject: str, *, current: str | None) -> str:
    """The username from ``NEUVOKAS_OIDC_USERNAME_CLAIM`` (Entra ID: the UPN), as Django
    allows it; another account's name (or none) gives a suffix from ``sub``."""
    suffix = hashlib.sha256(subject.encode()).hexdigest()[:8]
    wanted = _USERNAME_CHARS.sub("", str(claims.get(settings.NEUVOKAS_OIDC_USERNAME_CLAIM) or ""))
    wanted = wanted.lower()[:140]
    if not wanted:
        return current or f"user-{suffix}"
    if current is not None and wanted == current.lower():
        return current
    taken = User.objects.filter(username__iexact=wanted).exclude(oidc_subject=subject).exists()
    if not taken:
        return wanted
    return current or f"{wanted}-{suffix}"


def oidc_user_sync(*, claims: Mapping[str, Any]) -> User:
    """Create or update the account for the person the provider vouched for, from the
    token's and the userinfo endpoint's claims, and set their roles from the groups claim:
    at every sign-in, so a person taken out of a group loses the role then.

    The account is found by ``sub`` (``User.oidc_subject``), never by username or
    e-mail. Raises ``SignInRefused``: for a deactivated account (``is_active`` off here
    wins over the provider), and for a new person with no role (no empty account is
    made). An existing account left with no role is still updated (its roles go) and
    returned: the caller refuses it.
    """
    subject = str(claims.get("sub") or "")
    if not subject or len(subject) > 255:
        raise SignInRefused("invalid")
    wanted_roles = roles_from_claims(claims)
    for attempt in range(2):
        try:
            with transaction.atomic():
                user = User.objects.select_for_update().filter(oidc_subject=subject).first()
                if user is None:
                    if not wanted_roles:
                        raise SignInRefused("no_role")
                    user = User(oidc_subject=subject)
                    user.set_unusable_password()
                elif not user.is_active:
                    raise SignInRefused("inactive")
                user.username = _username_for(
                    claims, subject, current=user.username if user.pk else None
                )
                user.first_name, user.last_name = _names(claims, user)
                user.email = _email(claims, current=user.email)
                user.full_clean(validate_unique=False, validate_constraints=False)
                user.save()
                role_groups = list(Group.objects.filter(name__in=roles.ROLES))
                user.groups.remove(*[g for g in role_groups if g.name not in wanted_roles])
                user.groups.add(*[g for g in role_groups if g.name in wanted_roles])
            return user
        except IntegrityError:
            # Two first sign-ins of one person at once: the other made the account (or
            # took the username); the second round finds it.
            if attempt:
                raise
    raise AssertionError("unreachable")


def user_has_role(user: User) -> bool:
    """Whether the account may use the intranet at all: a role, or a superuser."""
    if user.is_superuser:
        return True
    return user.groups.filter(name__in=roles.ROLES).exists()
