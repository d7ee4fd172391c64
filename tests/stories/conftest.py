from __future__ import annotations

import pytest

from apps.accounts import roles
from tests.conftest import make_user


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded images go to a temporary folder, never the checkout's var/media."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


@pytest.fixture
def colleague(django_user_model):
    """A second advisor, who reads and thanks."""
    return make_user(django_user_model, "kollega", roles.ADVISOR)
