from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.accounts import roles
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def test_user_changelist_shows_roles_without_query_per_row(client, superuser, django_user_model):
    client.force_login(superuser)
    make_user(django_user_model, "neuvoja1", roles.ADVISOR)

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("admin:accounts_user_changelist"))
        assert response.status_code == 200
        return len(ctx.captured_queries)

    queries()  # the first request of a session also stamps its last activity
    few = queries()
    for i in range(5):
        make_user(django_user_model, f"toimittaja{i}", roles.EDITOR)
    assert queries() == few
    html = client.get(reverse("admin:accounts_user_changelist")).content.decode()
    assert roles.ADVISOR in html
    assert roles.EDITOR in html


def test_user_change_form_shows_service_lines(client, superuser, advisor):
    client.force_login(superuser)
    response = client.get(reverse("admin:accounts_user_change", args=[advisor.pk]))
    assert response.status_code == 200
    assert 'name="service_lines"' in response.content.decode()
