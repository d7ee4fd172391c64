"""Who is calling an API: the browser session, or a personal token
(``Authorization: Token <t>``, made with ``manage.py create_api_token USERNAME``)."""

from __future__ import annotations

from django.http import HttpRequest

from . import selectors, services
from .models import User


def api_user(request: HttpRequest) -> User | None:
    """The signed-in user, or the owner of a live token in ``Authorization``; ``None``
    for anything else (another scheme, an unknown, revoked or inactive user's token).
    A token header wins over the session."""
    header = request.headers.get("Authorization", "")
    if header:
        scheme, _, raw = header.partition(" ")
        if scheme.lower() != "token":
            return None
        token = selectors.api_token_get(raw.strip())
        if token is None:
            return None
        services.api_token_touch(token=token)
        return token.user
    if request.user.is_authenticated:
        return request.user
    return None
