"""Password sign-in, and which sign-ins django-axes counts.

Staff sign in through the area's identity provider once OpenID Connect is configured
(``apps.accounts.oidc``); the local password then remains for superusers only (the
way in when the provider is down), and ``NEUVOKAS_LOCAL_LOGIN=false`` turns it off.
Without OpenID Connect (development, the demo) every active user signs in with a
password, as before.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import AnonymousUser, Permission
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from .models import User


def local_login_allowed() -> bool:
    """Password sign-in is offered at all (to everyone, or to superusers only)."""
    return bool(settings.NEUVOKAS_LOCAL_LOGIN)


def password_allowed_for(user: User) -> bool:
    """Whether ``user`` may sign in with a password."""
    if not local_login_allowed():
        return False
    if not settings.NEUVOKAS_OIDC_ENABLED:
        return True
    return user.is_superuser


class PermissionsInOneQuery(ModelBackend):
    """Django's permission checks, with a user's own and their groups' permissions read
    in one query instead of two (every page and search asks for them; the cache on the
    user object is Django's own, which the other ModelBackend-based backends share)."""

    def get_all_permissions(self, user_obj: User | AnonymousUser, obj: Any = None) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            perms = Permission.objects.all()
            if not user_obj.is_superuser:
                perms = perms.filter(Q(user=user_obj) | Q(group__user=user_obj))
            user_obj._perm_cache = {  # type: ignore[attr-defined]
                f"{app_label}.{codename}"
                for app_label, codename in perms.values_list(
                    "content_type__app_label", "codename"
                ).order_by()
            }
        cached: set[str] = user_obj._perm_cache  # type: ignore[attr-defined]
        return cached


class LocalPasswordBackend(PermissionsInOneQuery):
    """Django's username and password check, limited by ``password_allowed_for``."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        if not local_login_allowed():
            return None
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None or not password_allowed_for(user):
            return None
        return user

    def get_user(self, user_id: int) -> User | None:
        """A password session's user, while passwords are still allowed for them: turning
        OpenID Connect on ends ordinary users' password sessions too."""
        user = super().get_user(user_id)
        if user is None or not password_allowed_for(user):
            return None
        return user


def lockout_exempt(request: HttpRequest, credentials: dict[str, Any] | None = None) -> bool:
    """django-axes' whitelist: the identity provider's callback is neither counted nor
    locked. The provider throttles its own password checks; a refusal here (a
    deactivated user, no role) is not guessing, and it carries no username, so counting
    it would lock everyone behind the call centre's one address out of sign-in."""
    return request.path == reverse("oidc_callback")


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """django-axes' answer to a locked-out sign-in (the intranet's or the admin's): the
    Finnish page that says for how long, status 429."""
    return render(
        request,
        "accounts/locked_out.html",
        {
            "failure_limit": settings.AXES_FAILURE_LIMIT,
            "cooloff_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        },
        status=429,
    )
