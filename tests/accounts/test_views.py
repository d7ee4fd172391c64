from __future__ import annotations

import pytest
from django.urls import reverse

from apps.catalogue.models import ServiceLine

pytestmark = pytest.mark.django_db

PROFILE = reverse("accounts:profile")


@pytest.fixture
def lines():
    return [
        ServiceLine.objects.get_or_create(key=key, defaults={"name": name, "position": i})[0]
        for i, (key, name) in enumerate(
            [
                ("g-aikuiset", "Aikuissosiaalityö"),
                ("g-lapsiperheet", "Lapsiperheet"),
                ("g-ikaantyneet", "Ikääntyneet"),
            ]
        )
    ]


def test_profile_requires_login(client):
    response = client.get(PROFILE)

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_profile_post_requires_login(client, advisor, lines):
    response = client.post(PROFILE, {"service_lines": [lines[0].pk]})

    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert not advisor.service_lines.exists()


def test_profile_shows_lines_but_offers_no_way_to_change_them(client, advisor, lines):
    advisor.service_lines.set([lines[1]])
    client.force_login(advisor)

    response = client.get(PROFILE)

    assert response.status_code == 200
    html = response.text
    assert "Omat asetukset" in html
    form = response.context["form"]
    assert "service_lines" not in form.fields
    assert form.initial["email_notifications"] is True
    assert lines[1].name in html and lines[0].name not in html
    assert 'name="service_lines"' not in html
    assert html.count("checked") == 1  # the e-mail toggle
    assert "Esihenkilö määrittää" in html


def test_profile_post_with_service_lines_changes_no_lines(client, advisor, lines):
    """A staff member cannot add lines to themselves (and so take the line's callbacks
    and see their numbers): the profile ignores service_lines."""
    advisor.service_lines.set([lines[2]])
    client.force_login(advisor)

    response = client.post(PROFILE, {"service_lines": [lines[0].pk, lines[1].pk]}, follow=True)

    assert response.redirect_chain == [(PROFILE, 302)]
    assert "Asetukset on tallennettu." in response.text
    advisor.refresh_from_db()
    assert list(advisor.service_lines.all()) == [lines[2]]
    assert advisor.email_notifications is False  # unticked checkbox


def test_profile_turns_email_back_on_and_keeps_lines(client, advisor, lines):
    advisor.email_notifications = False
    advisor.save(update_fields=["email_notifications"])
    advisor.service_lines.set(lines)
    client.force_login(advisor)

    client.post(PROFILE, {"email_notifications": "on"})

    advisor.refresh_from_db()
    assert advisor.email_notifications is True
    assert set(advisor.service_lines.all()) == set(lines)


def test_profile_changes_only_the_logged_in_user(client, advisor, editor, lines):
    editor.email_notifications = False
    editor.save(update_fields=["email_notifications"])
    client.force_login(advisor)

    client.post(PROFILE, {"service_lines": [lines[0].pk], "email_notifications": "on"})

    editor.refresh_from_db()
    assert editor.email_notifications is False
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


STAFF_LINES = reverse("accounts:staff_lines")


def _edit_url(user) -> str:
    return reverse("accounts:staff_lines_edit", args=[user.pk])


def test_manager_sets_a_staff_members_lines(client, manager, advisor, lines):
    advisor.service_lines.set([lines[2]])
    client.force_login(manager)

    page = client.get(_edit_url(advisor))
    response = client.post(
        _edit_url(advisor), {"service_lines": [lines[0].pk, lines[1].pk]}, follow=True
    )

    assert page.status_code == 200 and 'name="service_lines"' in page.text
    assert response.redirect_chain == [(STAFF_LINES, 302)]
    assert "palvelulinjat tallennettiin" in response.text
    assert set(advisor.service_lines.all()) == {lines[0], lines[1]}


def test_manager_edit_with_unknown_line_saves_nothing(client, manager, advisor, lines):
    client.force_login(manager)

    response = client.post(_edit_url(advisor), {"service_lines": [lines[0].pk, 999999]})

    assert response.status_code == 400
    assert response.context["form"].errors["service_lines"]
    assert not advisor.service_lines.exists()


def test_staff_lines_lists_staff_with_lines_and_filters_by_name(
    client, manager, advisor, editor, lines
):
    advisor.service_lines.set([lines[0]])
    client.force_login(manager)

    page = client.get(STAFF_LINES)
    partial = client.get(STAFF_LINES, {"q": "advisor"}, headers={"HX-Request": "true"})

    assert page.status_code == 200
    assert lines[0].name in page.text and _edit_url(editor) in page.text
    assert "<html" not in partial.text and 'id="results"' in partial.text
    assert _edit_url(advisor) in partial.text and _edit_url(editor) not in partial.text


@pytest.mark.parametrize("who", ["advisor", "editor"])
def test_staff_lines_pages_are_for_managers_only(request, client, who, manager, lines):
    user = request.getfixturevalue(who)
    client.force_login(user)

    listing = client.get(STAFF_LINES)
    edit = client.get(_edit_url(user))
    post = client.post(_edit_url(user), {"service_lines": [lines[0].pk]})

    assert listing.status_code == edit.status_code == post.status_code == 403
    assert not user.service_lines.exists()
    assert STAFF_LINES not in client.get(PROFILE).text


def test_manager_finds_the_staff_lines_page_in_the_menu(client, manager):
    client.force_login(manager)

    assert f'href="{STAFF_LINES}"' in client.get(PROFILE).text
