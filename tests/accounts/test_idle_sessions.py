"""Sessions end after NEUVOKAS_SESSION_IDLE_MINUTES without the person's own activity.

Time passing is the session's last-activity stamp set back, as an idle hour would leave
it; polling and the live stream do not move it forward."""

from __future__ import annotations

import time

import pytest
from django.contrib.auth.signals import user_logged_out
from django.urls import reverse

from apps.accounts.middleware import BACKGROUND_HEADER, LAST_ACTIVITY_KEY

pytestmark = pytest.mark.django_db

PAGE = reverse("home")
POLL = reverse("notifications:badge")
IDLE_MINUTES = 45


@pytest.fixture
def signed_in(client, settings, advisor):
    settings.NEUVOKAS_SESSION_IDLE_MINUTES = IDLE_MINUTES
    client.force_login(advisor)
    assert client.get(PAGE).status_code == 200  # the first request stamps the session
    return client


def idle_for(client, seconds: float) -> None:
    session = client.session
    session[LAST_ACTIVITY_KEY] = time.time() - seconds
    session.save()


def last_activity(client) -> float:
    return float(client.session[LAST_ACTIVITY_KEY])


def test_an_idle_session_ends(signed_in):
    outs: list[object] = []
    user_logged_out.connect(lambda **kw: outs.append(kw["user"]), weak=False, dispatch_uid="idle")
    try:
        idle_for(signed_in, IDLE_MINUTES * 60 + 5)
        response = signed_in.get(PAGE)
    finally:
        user_logged_out.disconnect(dispatch_uid="idle")

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert len(outs) == 1
    page = signed_in.get(response["Location"]).content.decode()
    assert "Istuntosi päättyi" in page
    assert signed_in.get(PAGE).status_code == 302


def test_an_active_session_does_not_end(signed_in):
    # Active a minute before the limit, three times over: more than the idle time in all.
    for _ in range(3):
        idle_for(signed_in, IDLE_MINUTES * 60 - 60)
        assert signed_in.get(PAGE).status_code == 200
        assert time.time() - last_activity(signed_in) < 5


@pytest.mark.parametrize(
    ("path", "headers"),
    [
        (POLL, {"HX-Request": "true", BACKGROUND_HEADER: "poll"}),
        ("/live/", {}),
    ],
)
def test_polling_and_the_live_stream_are_not_activity(signed_in, path, headers):
    idle_for(signed_in, IDLE_MINUTES * 60 - 60)
    before = last_activity(signed_in)

    signed_in.get(path, headers=headers)

    assert last_activity(signed_in) == before
    idle_for(signed_in, IDLE_MINUTES * 60 + 5)
    assert signed_in.get(PAGE).status_code == 302


def test_an_expired_htmx_request_reloads_the_page_at_sign_in(signed_in):
    idle_for(signed_in, IDLE_MINUTES * 60 + 5)

    response = signed_in.get(
        POLL,
        headers={
            "HX-Request": "true",
            BACKGROUND_HEADER: "poll",
            "HX-Current-URL": "http://testserver/palvelut/?kunta=286",
        },
    )

    assert response.status_code == 200
    assert response["HX-Redirect"] == "/kirjaudu/?next=%2Fpalvelut%2F%3Fkunta%3D286"


def test_a_request_the_person_makes_through_htmx_is_activity(signed_in):
    idle_for(signed_in, IDLE_MINUTES * 60 - 60)

    signed_in.get(POLL, headers={"HX-Request": "true"})

    assert time.time() - last_activity(signed_in) < 5
