from __future__ import annotations

import pytest
from django.test import Client

from apps.accounts import roles
from tests.conftest import make_user
from tests.consultations import factories


@pytest.fixture
def other_line_advisor(django_user_model):
    """An advisor serving another line: hears nothing of this line's questions."""
    user = make_user(django_user_model, "toinenlinja", roles.ADVISOR)
    user.service_lines.add(factories.line("ikaihmiset"))
    return user


def session_cookies(user) -> dict[str, str]:
    """A signed-in session for ``user``, as the cookies a separate HTTP client sends."""
    client = Client()
    client.force_login(user)
    return {"sessionid": client.cookies["sessionid"].value}
