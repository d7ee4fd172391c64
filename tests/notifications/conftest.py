from __future__ import annotations

import pytest


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
