from __future__ import annotations

import pytest
from django.urls import reverse

from apps.live import selectors

pytestmark = pytest.mark.django_db


def test_alerts_opt_in_is_saved_and_redirects_to_the_profile(client, advisor):
    client.force_login(advisor)
    page = client.get(reverse("live:alerts"))
    assert page.status_code == 200
    assert "Selainilmoitus ja äänimerkki" in page.content.decode()
    response = client.post(reverse("live:alerts"), {"alerts": "on"})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:profile")
    assert selectors.alerts_enabled(user_id=advisor.pk)


def test_alerts_htmx_post_returns_the_fragment_and_can_turn_it_off(client, advisor):
    client.force_login(advisor)
    client.post(reverse("live:alerts"), {"alerts": "on"})
    response = client.post(reverse("live:alerts"), {}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "<html" not in html
    assert 'id="live-alerts"' in html
    assert "Tallennettu." in html
    assert not selectors.alerts_enabled(user_id=advisor.pk)


def test_alerts_next_is_kept_on_this_site(client, advisor):
    client.force_login(advisor)
    response = client.post(reverse("live:alerts"), {"next": "https://evil.example/"})
    assert response["Location"] == reverse("accounts:profile")


def test_profile_page_loads_the_alerts_form(client, advisor):
    client.force_login(advisor)
    html = client.get(reverse("accounts:profile")).content.decode()
    assert f'hx-get="{reverse("live:alerts")}"' in html


def test_stream_under_wsgi_tells_the_browser_to_keep_polling(client, advisor):
    """Django's test client (WSGI) cannot stream: 204, so EventSource stops and the page
    polls; the pages carry the notice region and the client script."""
    client.force_login(advisor)
    assert client.get(reverse("live:stream")).status_code == 204
    html = client.get(reverse("consultations:board")).content.decode()
    assert 'id="live-notices"' in html
    assert "js/live.js" in html
    assert "live:question.waiting from:body" in html
