from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from apps.contacts import selectors, services
from apps.contacts.models import Channel, RecentEntryView
from tests.catalogue import factories as catalogue
from tests.contacts.factories import contact

pytestmark = pytest.mark.django_db

HELSINKI = ZoneInfo("Europe/Helsinki")


def _at(*args: int) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=HELSINKI)


def test_day_tally_counts_own_contacts_of_the_finnish_day(advisor, manager):
    day = datetime.date(2026, 3, 10)
    contact(at=_at(2026, 3, 9, 23, 59, 59), advisor=advisor)  # yesterday evening
    contact(at=_at(2026, 3, 10, 0, 0), advisor=advisor, solved=True)
    contact(at=_at(2026, 3, 10, 12, 0), advisor=advisor, channel=Channel.CHAT, consulted=True)
    contact(at=_at(2026, 3, 10, 23, 59, 59), advisor=advisor, channel=Channel.CHAT, solved=True)
    contact(at=_at(2026, 3, 11, 0, 0), advisor=advisor)  # tomorrow
    contact(at=_at(2026, 3, 10, 12, 0), advisor=manager)  # someone else's

    tally = selectors.day_tally(advisor, day)

    assert (tally.total, tally.solved, tally.consulted) == (3, 2, 1)
    assert tally.by_channel == [("puhelin", 1), ("chat", 2)]  # only the channels used


def test_day_tally_is_one_query(advisor, django_assert_num_queries):
    with django_assert_num_queries(1):
        selectors.day_tally(advisor)


def test_recent_entries_newest_first_within_the_window(advisor, manager):
    old = catalogue.entry("vanha", title="Vanha")
    first = catalogue.entry("eka", title="Eka")
    second = catalogue.entry("toka", title="Toka")
    others = catalogue.entry("muiden", title="Muiden")
    now = timezone.now()
    RecentEntryView.objects.create(
        user=advisor, entry=old, viewed_at=now - datetime.timedelta(minutes=45)
    )
    RecentEntryView.objects.create(
        user=advisor, entry=first, viewed_at=now - datetime.timedelta(minutes=5)
    )
    RecentEntryView.objects.create(
        user=advisor, entry=second, viewed_at=now - datetime.timedelta(minutes=1)
    )
    RecentEntryView.objects.create(user=manager, entry=others, viewed_at=now)

    assert selectors.recent_entries(advisor) == [second, first]


def test_topic_search_matches_title_and_keyword():
    catalogue.entry("kuljetus", title="Kuljetuspalvelu", keywords=["taksi"])
    catalogue.entry("kotihoito", title="Kotihoito")

    assert [e.key for e in selectors.topic_search("kuljet")] == ["kuljetus"]
    assert [e.key for e in selectors.topic_search("Taksi")] == ["kuljetus"]
    assert selectors.topic_search("k") == []


def test_default_line_is_the_last_contacts_line_else_a_served_line(advisor):
    assert selectors.default_line(advisor) is None
    advisor.service_lines.set([catalogue.line("lapset-perheet")])
    assert selectors.default_line(advisor).key == "lapset-perheet"
    contact(at=timezone.now(), advisor=advisor, line="ikaihmiset")
    assert selectors.default_line(advisor).key == "ikaihmiset"


def test_entry_view_feeds_recent_entries(advisor):
    entry = catalogue.entry("kotihoito")
    services.entry_view_record(user=advisor, entry=entry)
    assert selectors.recent_entries(advisor) == [entry]
