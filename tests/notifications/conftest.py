from __future__ import annotations

import pytest

from tests.conftest import make_user


@pytest.fixture
def alice(django_user_model):
    return make_user(django_user_model, "alice")


@pytest.fixture
def bob(django_user_model):
    return make_user(django_user_model, "bob")


@pytest.fixture
def carol(django_user_model):
    return make_user(django_user_model, "carol")
