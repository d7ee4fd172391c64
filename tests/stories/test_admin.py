from __future__ import annotations

import pytest
from django.urls import reverse

from apps.stories.models import Story, Theme

from .factories import story

pytestmark = pytest.mark.django_db


def test_theme_admin_edits_names_in_every_language(client, superuser):
    client.force_login(superuser)
    found = Theme.objects.get(key="saastot")
    url = reverse("admin:stories_theme_change", args=[found.pk])

    response = client.post(
        url,
        {
            "key": "saastot",
            "name_fi": "Säästöt ja tehokkuus",
            "name_sv": "Besparingar",
            "name_en": "Savings",
            "position": "3",
            "is_active": "on",
        },
    )

    assert response.status_code == 302
    found.refresh_from_db()
    assert found.name_fi == "Säästöt ja tehokkuus"


def test_theme_admin_adds_a_theme(client, superuser):
    client.force_login(superuser)

    client.post(
        reverse("admin:stories_theme_add"),
        {
            "key": "hyvinvointi",
            "name_fi": "Hyvinvointi",
            "name_sv": "",
            "name_en": "",
            "position": "9",
            "is_active": "on",
        },
    )

    assert Theme.objects.filter(key="hyvinvointi").exists()


def test_theme_admin_refuses_personal_identity_code(client, superuser):
    client.force_login(superuser)

    response = client.post(
        reverse("admin:stories_theme_add"),
        {
            "key": "x",
            "name_fi": "Asiakas 131052-308T",
            "name_sv": "",
            "name_en": "",
            "position": "9",
            "is_active": "on",
        },
    )

    assert response.status_code == 200
    assert "henkilötunnuksen" in response.content.decode()
    assert not Theme.objects.filter(key="x").exists()


def test_story_admin_is_read_only(client, superuser, advisor):
    submitted = story(author=advisor, state=Story.State.SUBMITTED)
    client.force_login(superuser)

    assert client.get(reverse("admin:stories_story_changelist")).status_code == 200
    page = client.get(reverse("admin:stories_story_change", args=[submitted.pk]))
    assert page.status_code == 200
    assert 'name="state"' not in page.content.decode()
    assert client.get(reverse("admin:stories_story_add")).status_code == 403
