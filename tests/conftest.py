from __future__ import annotations

import os

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.utils import translation

from apps.accounts import roles
from tests.reference_data import seed_reference_data

# Playwright's sync API runs an event loop in the test thread; Django's ORM is still
# used synchronously from it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """With --reuse-db, a previous run's transactional test may have flushed the data
    migrations' rows (municipalities, roles): put them back once per session."""
    with django_db_blocker.unblock():
        seed_reference_data()


@pytest.fixture(autouse=True)
def finnish_to_start_with():
    """Each test starts in Finnish. A request in another language leaves that language
    active in the thread (LocaleMiddleware), and modeltranslation writes ``title=`` into
    the active language's field: a factory after it would write Swedish."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


def make_user(django_user_model, username: str, role: str | None = None, **extra):
    user = django_user_model.objects.create_user(
        username=username,
        password="pw-" + username,
        email=f"{username}@example.org",
        first_name=username.capitalize(),
        **extra,
    )
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def advisor(django_user_model):
    return make_user(django_user_model, "advisor", roles.ADVISOR)


@pytest.fixture
def colleague(django_user_model):
    """A second advisor."""
    return make_user(django_user_model, "kollega", roles.ADVISOR)


@pytest.fixture
def editor(django_user_model):
    return make_user(django_user_model, "editor", roles.EDITOR)


@pytest.fixture
def manager(django_user_model):
    return make_user(django_user_model, "manager", roles.MANAGER)


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser(
        username="root", password="pw-root", email="root@example.org"
    )


@pytest.fixture
def reference_data_tx(transactional_db) -> None:
    """A transactional test's flush empties what data migrations seeded; put it back."""
    seed_reference_data()


@pytest.fixture(scope="session")
def celery_config() -> dict[str, object]:
    """``celery_worker`` runs a worker thread (the solo pool: one task at a time, in
    order) on an in-memory broker; results are kept so a test can wait for a task. The
    broker is polled often so the tests don't wait a second per message."""
    return {
        "broker_url": "memory://",
        "result_backend": "cache+memory://",
        "task_acks_late": True,
        "broker_transport_options": {"polling_interval": 0.05},
    }


@pytest.fixture
def current_celery_app(celery_app):
    """Tasks our code enqueues (shared_task proxies) go to the test app and its worker."""
    celery_app.set_current()
    return celery_app
