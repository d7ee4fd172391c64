"""Who calls the API: the session's user, or the owner of a live personal token."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from apps.accounts.authentication import api_user
from apps.accounts.services import api_token_create

pytestmark = pytest.mark.django_db


def _request(user=None, **headers):
    request = RequestFactory().get("/api/v1/search", headers=headers)
    request.user = user or AnonymousUser()
    return request


def test_api_user_is_the_session_user(advisor):
    assert api_user(_request(advisor)) == advisor


def test_api_user_is_the_token_owner_and_the_token_wins_over_the_session(advisor, editor):
    token, raw = api_token_create(user=advisor)

    assert api_user(_request(editor, Authorization=f"Token {raw}")) == advisor
    token.refresh_from_db()
    assert token.last_used_at is not None


@pytest.mark.parametrize("header", ["Token nvk_wrong", "Token ", "Bearer abc"])
def test_api_user_refuses_other_credentials_even_with_a_session(advisor, header):
    assert api_user(_request(advisor, Authorization=header)) is None


def test_api_user_is_none_for_anonymous():
    assert api_user(_request()) is None
