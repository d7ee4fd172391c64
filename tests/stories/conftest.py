from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded images go to a temporary folder, never the checkout's var/media."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"
