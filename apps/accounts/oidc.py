"""Sign-in through the area's identity provider (OpenID Connect, authorization code flow
with PKCE). mozilla-django-oidc does the protocol; this module gives it

- the provider's endpoints from ``<issuer>/.well-known/openid-configuration`` (cached
  for an hour; an explicit endpoint setting wins), fetched only when someone signs in
  through the provider, so a provider that is down never breaks password sign-in;
- the account from the claims (``services.oidc_user_sync``: found by ``sub``, names,
  e-mail, roles from the groups claim at every sign-in);
- refusals as a page that says why (deactivated, no role, provider unreachable) instead
  of an empty intranet, and RP-initiated logout at sign-out.

Every path fires Django's auth signals as the password path does: ``user_logged_in``
(``auth.login``), ``user_login_failed`` (the backend returns ``None`` for every refusal,
so ``authenticate`` sends it; ``request.sign_in_refusal`` says why) and
``user_logged_out`` (``auth.logout``).
"""

from __future__ import annotations

import hashlib
import logging
from typing import Any
from urllib.parse import urlencode

import jwt
import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.views import LogoutView
from django.core.cache import cache
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views import View
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from . import services
from .models import User

logger = logging.getLogger(__name__)

DISCOVERY_CACHE_SECONDS = 60 * 60

# mozilla-django-oidc's endpoint settings, and the discovery document's names for them.
_DISCOVERED = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
    "NEUVOKAS_OIDC_END_SESSION_ENDPOINT": "end_session_endpoint",
}


class ProviderUnavailable(Exception):
    """The provider's discovery document could not be read (or names another issuer)."""


def oidc_enabled() -> bool:
    return bool(settings.NEUVOKAS_OIDC_ENABLED)


def provider_metadata() -> dict[str, Any]:
    """The issuer's discovery document, cached; ``{}`` without an issuer setting."""
    issuer = settings.NEUVOKAS_OIDC_ISSUER
    if not issuer:
        return {}
    key = "oidc-discovery:" + hashlib.sha256(issuer.encode()).hexdigest()
    data = cache.get(key)
    if isinstance(data, dict):
        return data
    try:
        response = requests.get(
            f"{issuer}/.well-known/openid-configuration", timeout=settings.OIDC_TIMEOUT
        )
        response.raise_for_status()
        data = response.json()
    except (requests.RequestException, ValueError) as exc:
        raise ProviderUnavailable(str(exc)) from exc
    if not isinstance(data, dict) or str(data.get("issuer", "")).rstrip("/") != issuer:
        raise ProviderUnavailable("the discovery document names another issuer")
    cache.set(key, data, DISCOVERY_CACHE_SECONDS)
    return data


def oidc_setting(attr: str, *default: Any) -> Any:
    """mozilla-django-oidc's ``get_settings``: endpoints come from the explicit setting,
    else from discovery; everything else from Django's settings."""
    if attr in _DISCOVERED:
        explicit = getattr(settings, attr, "")
        if explicit:
            return explicit
        found = provider_metadata().get(_DISCOVERED[attr])
        if found:
            return found
        return default[0] if default else ""
    return import_from_settings(attr, *default)


def _refusal_page(request: HttpRequest, reason: str, *, status: int = 403) -> HttpResponse:
    return render(
        request,
        "accounts/sign_in_refused.html",
        {"reason": reason, "provider_name": settings.NEUVOKAS_OIDC_PROVIDER_NAME},
        status=status,
    )


class ProviderBackend(OIDCAuthenticationBackend):  # type: ignore[misc]
    """Authenticates the provider's callback (``authenticate(request, nonce=…,
    code_verifier=…)``); any other ``authenticate`` call (a password) is not for it."""

    get_settings = staticmethod(oidc_setting)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # The library reads every endpoint here, on each authenticate() of any kind;
        # they are read in authenticate() instead, only for the provider's callback.
        self.UserModel = get_user_model()

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> User | None:
        if request is None or "nonce" not in kwargs or not oidc_enabled():
            return None
        try:
            self.OIDC_OP_TOKEN_ENDPOINT = oidc_setting("OIDC_OP_TOKEN_ENDPOINT")
            self.OIDC_OP_USER_ENDPOINT = oidc_setting("OIDC_OP_USER_ENDPOINT")
            self.OIDC_OP_JWKS_ENDPOINT = oidc_setting("OIDC_OP_JWKS_ENDPOINT")
            self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
            self.OIDC_RP_CLIENT_SECRET = settings.OIDC_RP_CLIENT_SECRET
            self.OIDC_RP_SIGN_ALGO = settings.OIDC_RP_SIGN_ALGO
            self.OIDC_RP_IDP_SIGN_KEY = None
            user = super().authenticate(request, **kwargs)
        except services.SignInRefused as refused:
            request.sign_in_refusal = refused.reason  # type: ignore[attr-defined]
            return None
        except (
            ProviderUnavailable,
            requests.RequestException,
            SuspiciousOperation,
            jwt.PyJWTError,
        ) as exc:
            logger.warning("OIDC sign-in failed: %s", exc)
            request.sign_in_refusal = "failed"  # type: ignore[attr-defined]
            return None
        if user is None:
            request.sign_in_refusal = "failed"  # type: ignore[attr-defined]
        return user if isinstance(user, User) else None

    def verify_token(self, token: str, **kwargs: Any) -> dict[str, Any]:
        """The library checks the signature, expiry and nonce; the issuer and the audience
        are checked here."""
        payload: dict[str, Any] = super().verify_token(token, **kwargs)
        issuer = settings.NEUVOKAS_OIDC_ISSUER
        if issuer and str(payload.get("iss", "")).rstrip("/") != issuer:
            raise SuspiciousOperation("the ID token names another issuer")
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if settings.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("the ID token is for another client")
        return payload

    def get_or_create_user(
        self, access_token: str, id_token: str, payload: dict[str, Any]
    ) -> User | None:
        """The account for the ID token's and userinfo's claims (userinfo wins; Entra ID
        sends the groups in the ID token only); refused without a role."""
        userinfo = self.get_userinfo(access_token, id_token, payload)
        if userinfo.get("sub") != payload.get("sub"):
            raise SuspiciousOperation("userinfo is about someone else")
        user = services.oidc_user_sync(claims={**payload, **userinfo})
        if not services.user_has_role(user):
            raise services.SignInRefused("no_role")
        return user

    def get_user(self, user_id: int) -> AbstractBaseUser | None:
        """A session's user, as Django's own backend gives it: a deactivated account's
        sessions end at their next request (the library's ``get_user`` would keep them)."""
        return ModelBackend.get_user(self, user_id)


class ProviderSignInView(OIDCAuthenticationRequestView):  # type: ignore[misc]
    """``/oidc/kirjaudu/?next=…``: off to the provider's sign-in page."""

    get_settings = staticmethod(oidc_setting)

    def __init__(self, **kwargs: Any) -> None:
        View.__init__(self, **kwargs)  # the endpoints are looked up in get()

    def get(self, request: HttpRequest) -> HttpResponse:
        if not oidc_enabled():
            raise Http404
        try:
            self.OIDC_OP_AUTH_ENDPOINT = oidc_setting("OIDC_OP_AUTHORIZATION_ENDPOINT")
        except ProviderUnavailable as exc:
            logger.warning("OIDC provider unreachable: %s", exc)
            return _refusal_page(request, "unavailable", status=503)
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        response: HttpResponse = super().get(request)
        return response


class ProviderCallbackView(OIDCAuthenticationCallbackView):  # type: ignore[misc]
    """``/oidc/callback/``: the provider sends the browser back here with a code."""

    get_settings = staticmethod(oidc_setting)

    def get(self, request: HttpRequest) -> HttpResponse:
        if not oidc_enabled():
            raise Http404
        response: HttpResponse = super().get(request)
        return response

    def login_failure(self) -> HttpResponse:
        return _refusal_page(self.request, getattr(self.request, "sign_in_refusal", "failed"))


def provider_logout_url(request: HttpRequest) -> str | None:
    """The provider's end-session address (RP-initiated logout) for a session signed in
    through it, coming back to the sign-in page; ``None`` when there is none."""
    id_token = request.session.get("oidc_id_token")
    if not id_token or not oidc_enabled():
        return None
    try:
        endpoint = oidc_setting("NEUVOKAS_OIDC_END_SESSION_ENDPOINT")
    except ProviderUnavailable:
        return None
    if not endpoint:
        return None
    query = urlencode(
        {
            "id_token_hint": id_token,
            "client_id": settings.OIDC_RP_CLIENT_ID,
            "post_logout_redirect_uri": request.build_absolute_uri(reverse("login")),
        }
    )
    return f"{endpoint}?{query}"


class SignOutView(LogoutView):
    """Sign-out (POST): ends the session here and, for a provider sign-in whose provider
    has an end-session endpoint, there too."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        provider_url = provider_logout_url(request)  # read before the session is flushed
        response = super().post(request, *args, **kwargs)
        if provider_url:
            return HttpResponseRedirect(provider_url)
        return response
