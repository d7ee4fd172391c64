from __future__ import annotations

import pytest

from apps.accounts import roles
from tests.conftest import make_user


@pytest.fixture(scope="session")
def celery_config() -> dict[str, object]:
    """``celery_worker`` runs a worker thread on an in-memory broker; results are kept so
    a test can wait for a task."""
    return {"broker_url": "memory://", "result_backend": "cache+memory://",
            "broker_transport_options": {"polling_interval": 0.05}}


@pytest.fixture
def colleague(django_user_model):
    """A second advisor."""
    return make_user(django_user_model, "kollega", roles.ADVISOR)


@pytest.fixture
def outsider(django_user_model):
    """A third advisor, neither requester nor assignee of anything."""
    return make_user(django_user_model, "sivullinen", roles.ADVISOR)
