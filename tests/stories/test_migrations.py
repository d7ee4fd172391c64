"""What the data migrations seed (and ``seed_reference_data`` replays)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from apps.accounts import roles
from apps.stories.models import Theme

pytestmark = pytest.mark.django_db


def test_the_five_themes_are_seeded_in_three_languages():
    themes = list(Theme.objects.order_by("position"))

    assert [t.name_fi for t in themes] == [
        "Jonot lyhenivät",
        "Asiakkaat tavoitettiin",
        "Monitoimijainen yhteistyö",
        "Säästöt",
        "Asiakaskokemus",
    ]
    assert all(t.name_sv and t.name_en and t.is_active for t in themes)


@pytest.mark.parametrize("role", roles.ROLES)
def test_every_role_writes_comments_and_thanks(role):
    perms = set(Group.objects.get(name=role).permissions.values_list("codename", flat=True))

    assert {"add_story", "add_storycomment", "add_storythanks"} <= perms


def test_only_managers_publish():
    holders = set(
        Group.objects.filter(permissions__codename="publish_story").values_list("name", flat=True)
    )

    assert holders == {roles.MANAGER}
