"""Who sees the desk's team view."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from apps.desk.permissions import can_view_team

pytestmark = pytest.mark.django_db


def test_can_view_team_every_branch(advisor, editor, manager, superuser):
    assert can_view_team(manager)
    assert can_view_team(superuser)
    assert not can_view_team(advisor)
    assert not can_view_team(editor)
    assert not can_view_team(AnonymousUser())
    manager.is_active = False
    assert not can_view_team(manager)
