"""Signing in through a real OpenID Connect provider, end to end in the browser.

The provider is panva's oidc-provider (tests/oidc_provider/provider.mjs), started on a
loopback port; the browser goes through its own sign-in page. Nothing of the protocol is
stubbed: discovery, the authorization code with PKCE, the token and userinfo endpoints,
the ID token's signature from the provider's JWKS, and RP-initiated logout.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.core.cache import cache
from playwright.sync_api import Browser, BrowserContext, Page, Route, expect

from apps.accounts import roles
from apps.accounts.models import User
from tests.oidc_provider.server import CLIENT_ID, CLIENT_SECRET, RunningProvider, running_provider

pytestmark = pytest.mark.django_db(transaction=True)

BUTTON = "Kirjaudu Testi-IdP -tunnuksella"
GROUPS = {
    roles.ADVISOR: ["neuvojat"],
    roles.EDITOR: ["sisallontuottajat"],
    roles.MANAGER: ["esihenkilot"],
}


@pytest.fixture(scope="module")
def provider(live_server, tmp_path_factory) -> Iterator[RunningProvider]:
    with running_provider(tmp_path_factory.mktemp("oidc"), app_url=live_server.url) as running:
        yield running


@pytest.fixture
def oidc_settings(settings, provider: RunningProvider):
    settings.NEUVOKAS_OIDC_ISSUER = provider.issuer
    settings.NEUVOKAS_OIDC_ENABLED = True
    settings.NEUVOKAS_OIDC_PROVIDER_NAME = "Testi-IdP"
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_RP_SCOPES = "openid email profile groups"
    settings.NEUVOKAS_OIDC_ROLE_GROUPS = GROUPS
    settings.SECURE_CSP = {
        **settings.SECURE_CSP,
        "form-action": [*settings.SECURE_CSP["form-action"], provider.issuer],
    }
    cache.clear()
    return settings


@pytest.fixture
def auth_events() -> Iterator[list[str]]:
    """The auth signals the live server sends (the audit trail listens to these)."""
    events: list[str] = []

    def logged_in(sender, request, user, **kwargs):
        events.append(f"in:{user.username}")

    def failed(sender, credentials, request=None, **kwargs):
        events.append("failed")

    def logged_out(sender, request, user, **kwargs):
        events.append(f"out:{user.username if user else ''}")

    user_logged_in.connect(logged_in)
    user_login_failed.connect(failed)
    user_logged_out.connect(logged_out)
    yield events
    user_logged_in.disconnect(logged_in)
    user_login_failed.disconnect(failed)
    user_logged_out.disconnect(logged_out)


def _loopback_only(route: Route) -> None:
    """The provider's development pages load a web font from the internet: nothing but
    loopback is fetched."""
    host = route.request.url.split("/")[2].split(":")[0]
    if host in ("127.0.0.1", "localhost"):
        route.continue_()
    else:
        route.abort()


@pytest.fixture
def context(browser: Browser, live_server) -> Iterator[BrowserContext]:
    context = browser.new_context(
        locale="fi-FI", base_url=live_server.url, viewport={"width": 1280, "height": 800}
    )
    context.set_default_timeout(15_000)
    context.route("**/*", _loopback_only)
    yield context
    context.close()


def _person(groups: list[str], **claims: object) -> dict[str, object]:
    return {
        "given_name": "Maija",
        "family_name": "Virtanen",
        "email": "maija.virtanen@hyvinvointialue.example",
        "preferred_username": "maija.virtanen@hyvinvointialue.example",
        "groups": groups,
        **claims,
    }


def _sign_in(page: Page, login: str = "maija-sub-1", *, next_path: str = "/") -> None:
    """From a page that needs signing in, through the provider's own sign-in form."""
    page.goto(next_path)
    page.wait_for_url("**/kirjaudu/**")
    page.get_by_role("link", name=BUTTON).click()
    page.locator("input[name=login]").fill(login)
    page.locator("input[name=password]").fill("any password")
    page.get_by_role("button", name="Sign-in").click()
    page.wait_for_url(lambda url: "127.0.0.1" not in url.split("/")[2])


def _sign_out(page: Page) -> None:
    """The intranet's sign-out, then the provider's "sign out there too?" page."""
    page.goto("/")
    page.get_by_role("button", name="Kirjaudu ulos").click()
    page.get_by_role("button", name="Yes, sign me out").click()
    page.wait_for_url("**/kirjaudu/")


def _role_names(user: User) -> set[str]:
    return set(user.groups.values_list("name", flat=True))


def test_sign_in_creates_the_user_with_the_role_from_groups(
    oidc_settings, provider, context, auth_events
):
    provider.set_accounts({"maija-sub-1": _person(["neuvojat"])})
    page = context.new_page()

    _sign_in(page, next_path="/palvelut/")

    page.wait_for_url("**/palvelut/")
    expect(page.get_by_role("navigation", name="Päävalikko")).to_be_visible()
    user = User.objects.get(oidc_subject="maija-sub-1")
    assert user.username == "maija.virtanen@hyvinvointialue.example"
    assert (user.first_name, user.last_name) == ("Maija", "Virtanen")
    assert user.email == "maija.virtanen@hyvinvointialue.example"
    assert not user.has_usable_password()
    assert _role_names(user) == {roles.ADVISOR}
    assert auth_events == [f"in:{user.username}"]


def test_groups_map_to_roles(oidc_settings, provider, context):
    provider.set_accounts(
        {"maija-sub-1": _person(["sisallontuottajat", "esihenkilot", "kaikki-tyontekijat"])}
    )
    page = context.new_page()

    _sign_in(page, next_path="/raportit/")

    page.wait_for_url("**/raportit/")
    response = page.goto("/raportit/")
    assert response is not None and response.status == 200
    user = User.objects.get(oidc_subject="maija-sub-1")
    assert _role_names(user) == {roles.EDITOR, roles.MANAGER}


def test_role_removed_at_next_sign_in_and_sign_out_ends_the_provider_session(
    oidc_settings, provider, context, auth_events
):
    provider.set_accounts({"maija-sub-1": _person(["neuvojat", "esihenkilot"])})
    page = context.new_page()
    _sign_in(page)
    user = User.objects.get(oidc_subject="maija-sub-1")
    assert _role_names(user) == {roles.ADVISOR, roles.MANAGER}
    response = page.goto("/raportit/")
    assert response is not None and response.status == 200

    _sign_out(page)
    page.goto("/palvelut/")
    page.wait_for_url("**/kirjaudu/?next=/palvelut/")

    # Taken out of the managers' group at the provider: the role goes at the next sign-in.
    # The provider asks for the password again: its session ended at sign-out too.
    provider.set_accounts({"maija-sub-1": _person(["neuvojat"])})
    _sign_in(page)
    assert _role_names(user) == {roles.ADVISOR}
    response = page.goto("/raportit/")
    assert response is not None and response.status == 403

    # Out of every group: no access page, no session, and the last role is gone too.
    _sign_out(page)
    provider.set_accounts({"maija-sub-1": _person(["kaikki-tyontekijat"])})
    _sign_in(page)
    expect(page.get_by_role("heading", name="Ei pääsyä")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("ei ole käyttöoikeutta")
    assert _role_names(user) == set()
    page.goto("/")
    page.wait_for_url("**/kirjaudu/?next=/")

    name = user.username
    assert auth_events == [f"in:{name}", f"out:{name}", f"in:{name}", f"out:{name}", "failed"]


def test_deactivated_user_cannot_get_in(oidc_settings, provider, context, auth_events):
    provider.set_accounts({"maija-sub-1": _person(["neuvojat"])})
    page = context.new_page()
    _sign_in(page)
    User.objects.filter(oidc_subject="maija-sub-1").update(is_active=False)

    # The open session ends at its next request...
    page.goto("/palvelut/")
    page.wait_for_url("**/kirjaudu/?next=/palvelut/")
    # ...and the provider's word does not let the person back in.
    page.get_by_role("link", name=BUTTON).click()
    page.wait_for_url("**/oidc/callback/**")
    expect(page.get_by_role("heading", name="Ei pääsyä")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("poistettu käytöstä")
    page.goto("/")
    page.wait_for_url("**/kirjaudu/?next=/")
    assert auth_events[-1] == "failed"
    assert not User.objects.get(oidc_subject="maija-sub-1").is_active


def test_no_user_is_made_for_someone_without_a_role(oidc_settings, provider, context):
    provider.set_accounts({"ulkopuolinen": _person(["kaikki-tyontekijat"])})
    page = context.new_page()

    _sign_in(page, "ulkopuolinen")

    expect(page.get_by_role("heading", name="Ei pääsyä")).to_be_visible()
    assert not User.objects.filter(oidc_subject="ulkopuolinen").exists()


def test_password_sign_in_is_for_superusers_only_when_the_provider_is_on(
    oidc_settings, context, advisor, superuser
):
    page = context.new_page()
    page.goto("/kirjaudu/")
    expect(page.get_by_role("link", name=BUTTON)).to_be_visible()
    page.get_by_label("Käyttäjätunnus").fill("advisor")
    page.get_by_label("Salasana").fill("pw-advisor")
    page.get_by_role("button", name="Kirjaudu", exact=True).click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert "/kirjaudu/" in page.url

    page.get_by_label("Käyttäjätunnus").fill("root")
    page.get_by_label("Salasana").fill("pw-root")
    page.get_by_role("button", name="Kirjaudu", exact=True).click()
    page.wait_for_url(lambda url: "/kirjaudu/" not in url)
    expect(page.get_by_role("button", name="Kirjaudu ulos")).to_be_visible()
