from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template
from django.test import RequestFactory

from apps.notifications.context_processors import notifications
from apps.notifications.services import notify

pytestmark = pytest.mark.django_db


def _request(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def test_notifications_processor_costs_one_query_however_often_the_count_is_shown(
    alice, django_assert_num_queries
):
    notify(recipients=[alice], verb="answer", text="x", url="/k/", email=False)
    notify(recipients=[alice], verb="answer", text="y", url="/k/", email=False)
    template = Template(
        "{% if unread_notification_count %}[{{ unread_notification_count }}]"
        "[{{ unread_notification_count }}]{% endif %}"
    )

    with django_assert_num_queries(1):
        html = template.render(Context(notifications(_request(alice))))

    assert html == "[2][2]"


def test_notifications_processor_queries_nothing_until_the_count_is_used(
    alice, django_assert_num_queries
):
    with django_assert_num_queries(0):
        notifications(_request(alice))


def test_notifications_processor_gives_anonymous_users_nothing():
    assert notifications(_request(AnonymousUser())) == {}
