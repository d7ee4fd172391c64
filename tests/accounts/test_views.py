from __future__ import annotations

import pytest
from django.urls import reverse

from apps.catalogue.models import ServiceLine

pytestmark = pytest.mark.django_db

PROFILE = reverse("accounts:profile")


@pytest.fixture
def lines():
    return [ServiceLine.objects.get_or_create(key=key, defaults={"name": name, "position": i})[0]
            for i, (key, name) in enumerate([("g-aikuiset", "Aikuissosiaalityö"),
                                              ("g-lapsiperheet", "Lapsiperheet"),
                                              ("g-ikaantyneet", "Ikääntyneet")])]


def test_profile_requires_login(client):
    response = client.get(PROFILE)

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_profile_post_requires_login(client, advisor, lines):
    response = client.post(PROFILE, {"service_lines": [lines[0].pk]})

    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert not advisor.service_lines.exists()


def test_profile_shows_current_settings(client, advisor, lines):
    advisor.service_lines.set([lines[1]])
    client.force_login(advisor)

    response = client.get(PROFILE)

    assert response.status_code == 200
    html = response.text
    assert "Omat asetukset" in html
    form = response.context["form"]
    assert [line.pk for line in form.initial["service_lines"]] == [lines[1].pk]
    assert form.initial["email_notifications"] is True
    for line in lines:
        assert f'value="{line.pk}"' in html
    assert html.count("checked") == 2  # one line and the e-mail toggle


def test_profile_saves_lines_and_email_toggle(client, advisor, lines):
    advisor.service_lines.set([lines[2]])
    client.force_login(advisor)

    response = client.post(PROFILE, {"service_lines": [lines[0].pk, lines[1].pk]}, follow=True)

    assert response.redirect_chain == [(PROFILE, 302)]
    assert "Asetukset on tallennettu." in response.text
    advisor.refresh_from_db()
    assert set(advisor.service_lines.all()) == {lines[0], lines[1]}
    assert advisor.email_notifications is False  # unticked checkbox


def test_profile_turns_email_back_on_and_clears_lines(client, advisor, lines):
    advisor.email_notifications = False
    advisor.save(update_fields=["email_notifications"])
    advisor.service_lines.set(lines)
    client.force_login(advisor)

    client.post(PROFILE, {"email_notifications": "on"})

    advisor.refresh_from_db()
    assert advisor.email_notifications is True
    assert not advisor.service_lines.exists()


def test_profile_with_unknown_line_shows_error_and_saves_nothing(client, advisor, lines):
    client.force_login(advisor)

    response = client.post(PROFILE, {"service_lines": [lines[0].pk, 999999]})

    assert response.status_code == 200
    assert response.context["form"].errors["service_lines"]
    advisor.refresh_from_db()
    assert advisor.email_notifications is True
    assert not advisor.service_lines.exists()


def test_profile_changes_only_the_logged_in_user(client, advisor, editor, lines):
    client.force_login(advisor)

    client.post(PROFILE, {"service_lines": [lines[0].pk], "email_notifications": "on"})

    assert not editor.service_lines.exists()


def test_profile_warns_when_there_is_no_email_address(client, advisor, lines):
    advisor.email = ""
    advisor.save(update_fields=["email"])
    client.force_login(advisor)

    html = client.get(PROFILE).text

    assert "Sähköpostiosoitettasi ei ole tallennettu" in html


def test_header_links_to_profile_and_inbox(client, advisor):
    client.force_login(advisor)

    html = client.get(PROFILE).text

    assert f'href="{reverse("notifications:inbox")}"' in html
    assert f'class="user-name" href="{PROFILE}"' in html
