from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme
from django_htmx.middleware import HtmxDetails

if TYPE_CHECKING:
    from apps.accounts.models import User


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


class AuthenticatedHttpRequest(HtmxHttpRequest):
    """A request behind ``LoginRequiredMiddleware``: its user is signed in (never anonymous).

    For type checking only; views that ``login_not_required`` must keep ``HtmxHttpRequest``.
    """

    user: User


def signed_in_user(request: HttpRequest) -> User:
    """The signed-in user of a request that only staff reach (the admin, views behind
    ``LoginRequiredMiddleware``), typed as such; an anonymous one is refused."""
    user = request.user
    if not user.is_authenticated:
        raise PermissionDenied
    return user


def is_same_site_path(url: str | None) -> bool:
    """A path on this site (``/x/?y``): never another host, scheme, ``//host`` or ``/\\host``.

    The one open-redirect guard: every ``next``, ``to`` and stored link goes through it.
    """
    return bool(
        url
        and url.startswith("/")
        and not url.startswith(("//", "/\\"))
        and not any(ch < " " or ch == "\x7f" for ch in url)
        and url_has_allowed_host_and_scheme(url, allowed_hosts=set())
    )


def safe_next(url: str | None, default: str = "") -> str:
    """``url`` when it is a path on this site, else ``default``."""
    return url if url is not None and is_same_site_path(url) else default
