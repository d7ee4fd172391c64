from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from apps.notifications import selectors
from apps.notifications.services import mark_read, notify

pytestmark = pytest.mark.django_db


def _notify(recipients, text="Ilmoitus."):
    return notify(recipients=recipients, verb="answer", text=text, url="/k/", email=False)


def test_unread_count_counts_only_the_users_unread(alice, bob, django_assert_num_queries):
    _notify([alice, bob])
    _notify([alice])
    (read,) = _notify([alice])
    mark_read(user=alice, notification_ids=[read.pk])

    with django_assert_num_queries(1):
        assert selectors.unread_count(alice) == 2
    assert selectors.unread_count(bob) == 1


def test_unread_count_of_an_anonymous_user_is_zero_without_a_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert selectors.unread_count(AnonymousUser()) == 0


def test_inbox_lists_the_users_notifications_newest_first(alice, bob):
    _notify([alice], "ensimmäinen")
    _notify([bob], "bobin")
    _notify([alice], "toinen")

    assert [n.text for n in selectors.inbox(alice)] == ["toinen", "ensimmäinen"]


def test_inbox_fetches_actors_in_the_same_query(alice, bob, carol, django_assert_num_queries):
    notify(recipients=[alice], actor=bob, verb="mention", text="a", url="/k/", email=False)
    notify(recipients=[alice], actor=carol, verb="mention", text="b", url="/k/", email=False)

    with django_assert_num_queries(1):
        assert {str(n.actor) for n in selectors.inbox(alice)} == {"Bob", "Carol"}
