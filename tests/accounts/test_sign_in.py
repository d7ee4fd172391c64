"""Password sign-in next to OpenID Connect, and the lockout of repeated failures (django-axes)."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.contrib.auth.signals import user_login_failed
from django.urls import reverse

from apps.accounts import services

pytestmark = pytest.mark.django_db

LOGIN = reverse("login")
API_SEARCH = "/api/v1/search?q=toimeentulotuki"


def sign_in(client, username: str, password: str):
    return client.post(LOGIN, {"username": username, "password": password})


def signed_in(client) -> bool:
    return client.get(reverse("home")).status_code == 200


@pytest.fixture
def oidc_on(settings):
    settings.NEUVOKAS_OIDC_ENABLED = True
    settings.NEUVOKAS_OIDC_ISSUER = "http://127.0.0.1:9/unused"
    settings.NEUVOKAS_OIDC_PROVIDER_NAME = "Kymenhva"
    settings.OIDC_RP_CLIENT_ID = "neuvokas"
    return settings


# --- Password sign-in ------------------------------------------------------------------


def test_without_oidc_every_active_user_signs_in_with_a_password(client, advisor):
    page = client.get(LOGIN).content.decode()
    assert "-tunnuksella" not in page
    assert 'name="password"' in page

    response = sign_in(client, "advisor", "pw-advisor")

    assert response.status_code == 302
    assert signed_in(client)


def test_with_oidc_the_page_offers_the_provider_and_passwords_are_for_superusers(
    client, oidc_on, advisor, superuser
):
    page = client.get(LOGIN + "?next=/palvelut/").content.decode()
    assert "Kirjaudu Kymenhva -tunnuksella" in page
    assert 'href="/oidc/kirjaudu/?next=/palvelut/"' in page

    assert sign_in(client, "advisor", "pw-advisor").status_code == 200
    assert not signed_in(client)

    assert sign_in(client, "root", "pw-root").status_code == 302
    assert signed_in(client)


def test_turning_oidc_on_ends_an_ordinary_users_password_session(client, settings, advisor):
    sign_in(client, "advisor", "pw-advisor")
    assert signed_in(client)

    settings.NEUVOKAS_OIDC_ENABLED = True
    settings.OIDC_RP_CLIENT_ID = "neuvokas"

    assert not signed_in(client)


def test_local_sign_in_can_be_switched_off(client, settings, superuser):
    settings.NEUVOKAS_LOCAL_LOGIN = False

    assert 'name="password"' not in client.get(LOGIN).content.decode()
    assert sign_in(client, "root", "pw-root").status_code == 200
    assert not signed_in(client)
    admin = client.post("/admin/login/", {"username": "root", "password": "pw-root"})
    assert admin.status_code == 200
    assert not signed_in(client)


def test_oidc_pages_are_not_found_without_oidc(client):
    assert client.get(reverse("oidc_sign_in")).status_code == 404
    assert client.get(reverse("oidc_callback") + "?code=x&state=y").status_code == 404


def test_unreachable_provider_gives_a_clear_page(client, oidc_on):
    """The issuer above is a closed loopback port: discovery fails."""
    response = client.get(reverse("oidc_sign_in"))

    assert response.status_code == 503
    assert "ei saada yhteyttä" in response.content.decode()


def test_a_password_sign_in_is_not_blocked_by_an_unreachable_provider(client, oidc_on, superuser):
    assert sign_in(client, "root", "pw-root").status_code == 302


# --- Lockout ---------------------------------------------------------------------------


def test_fifty_wrong_passwords_lock_the_right_one_out_until_the_cool_off(client, settings, advisor):
    settings.AXES_FAILURE_LIMIT = 5
    failures: list[object] = []
    user_login_failed.connect(lambda **kw: failures.append(kw), weak=False, dispatch_uid="t50")
    try:
        statuses = [sign_in(client, "advisor", f"wrong-{n}").status_code for n in range(50)]
    finally:
        user_login_failed.disconnect(dispatch_uid="t50")

    assert statuses[:4] == [200] * 4  # the form again, with its error
    assert set(statuses[4:]) == {429}
    assert len(failures) == 50

    response = sign_in(client, "advisor", "pw-advisor")

    assert response.status_code == 429
    page = response.content.decode()
    assert "Kirjautuminen estetty hetkeksi" in page
    assert "15 minuutiksi" in page
    assert not signed_in(client)
    attempt = AccessAttempt.objects.get(username="advisor")
    assert attempt.failures_since_start >= 5
    assert attempt.ip_address == "127.0.0.1"
    assert AccessFailureLog.objects.filter(username="advisor").count() >= 50

    # The cool-off passes (the attempts are made older than it, as time would).
    AccessAttempt.objects.update(attempt_time=attempt.attempt_time - settings.AXES_COOLOFF_TIME)

    assert sign_in(client, "advisor", "pw-advisor").status_code == 302
    assert signed_in(client)


def test_lockout_is_per_username_and_address(client, settings, advisor, colleague):
    """A colleague at the same address (the call centre's one) still signs in."""
    settings.AXES_FAILURE_LIMIT = 3
    for n in range(3):
        sign_in(client, "advisor", f"wrong-{n}")
    assert sign_in(client, "advisor", "pw-advisor").status_code == 429

    assert sign_in(client, "kollega", "pw-kollega").status_code == 302


def test_admin_sign_in_is_locked_out_too(client, settings, superuser):
    settings.AXES_FAILURE_LIMIT = 3
    for n in range(3):
        client.post("/admin/login/", {"username": "root", "password": f"wrong-{n}"})

    response = client.post("/admin/login/", {"username": "root", "password": "pw-root"})

    assert response.status_code == 429
    assert not signed_in(client)


def test_api_token_works_next_to_a_locked_out_password(client, settings, advisor):
    settings.AXES_FAILURE_LIMIT = 3
    for n in range(3):
        sign_in(client, "advisor", f"wrong-{n}")
    _, raw = services.api_token_create(user=advisor)

    response = client.get(API_SEARCH, headers={"Authorization": f"Token {raw}"})

    assert response.status_code == 200
    wrong = client.get(API_SEARCH, headers={"Authorization": "Token nvk_wrong"})
    assert wrong.status_code in (401, 403)


def test_the_provider_callback_is_not_counted_by_the_lockout(client, oidc_on, settings):
    """A refused provider sign-in carries no username: counting it would lock every
    colleague behind the same address out of the provider's sign-in."""
    settings.AXES_FAILURE_LIMIT = 2
    session = client.session
    session["oidc_states"] = {
        f"s{n}": {"nonce": "n", "code_verifier": None, "added_on": 0} for n in range(5)
    }
    session.save()

    for n in range(5):
        response = client.get(reverse("oidc_callback") + f"?code=c&state=s{n}")
        assert response.status_code == 403  # the provider is unreachable: refused, clearly

    assert not AccessAttempt.objects.exists()
