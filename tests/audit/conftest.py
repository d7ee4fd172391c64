from __future__ import annotations

import pytest

from apps.accounts import roles
from tests.conftest import make_user


@pytest.fixture
def outsider(django_user_model):
    """A third advisor, neither requester nor assignee of anything."""
    return make_user(django_user_model, "sivullinen", roles.ADVISOR)
