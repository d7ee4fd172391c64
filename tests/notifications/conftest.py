from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def celery_config() -> dict[str, object]:
    """The worker of ``celery_worker`` runs in a thread of the test process, on an
    in-memory broker; results are kept so a test can wait for a task to finish. The
    broker is polled often so the tests don't wait a second per message."""
    return {"broker_url": "memory://", "result_backend": "cache+memory://",
            "broker_transport_options": {"polling_interval": 0.05}}


def _user(django_user_model, username: str):
    return django_user_model.objects.create_user(
        username=username, password="pw-" + username, email=f"{username}@example.org",
        first_name=username.capitalize())


@pytest.fixture
def alice(django_user_model):
    return _user(django_user_model, "alice")


@pytest.fixture
def bob(django_user_model):
    return _user(django_user_model, "bob")


@pytest.fixture
def carol(django_user_model):
    return _user(django_user_model, "carol")
