"""Every figure of the contacts report against a hand-counted fixture.

March 2026 in Finland: 1.3. 00.00 is UTC+2, 31.3. 23.59 is UTC+3 (summer time began on
the 29th). A contact just after midnight on 1.4. is 21.00 UTC on 31.3., inside March
for a report cut at UTC midnight: these boundaries catch that.
"""

from __future__ import annotations

import datetime

import pytest

from apps.contacts.models import Channel, Referral
from apps.reports.kinds import contacts
from apps.reports.periods import Period
from tests.catalogue import factories as catalogue
from tests.contacts.factories import contact
from tests.reports.factories import at

pytestmark = pytest.mark.django_db

MARCH = Period(datetime.date(2026, 3, 1), datetime.date(2026, 3, 31))
LINES = ["vammaispalvelut", "ikaihmiset", "tyoikaiset", "lapset-perheet", "viranomaiset"]


@pytest.fixture
def fixture_contacts(advisor):
    kuljetus = catalogue.entry("kuljetus", title="Kuljetuspalvelu")
    # March
    contact(
        at=at(2026, 3, 1, 0, 0),
        advisor=advisor,
        line="vammaispalvelut",
        municipality="285",
        entry=kuljetus,
        solved=True,
    )
    contact(
        at=at(2026, 3, 15, 12, 0),
        line="vammaispalvelut",
        channel=Channel.CHAT,
        municipality="285",
        entry=kuljetus,
        consulted=True,
        referred_to=Referral.KELA,
    )
    contact(
        at=at(2026, 3, 31, 23, 59, 59),
        line="ikaihmiset",
        channel=Channel.VISIT,
        topic_text="Omaishoidon tuki",
        solved=True,
        consulted=True,
        referred_to=Referral.THIRD_SECTOR,
        anonymous=True,
    )
    contact(
        at=at(2026, 3, 20, 9, 0),
        line="ikaihmiset",
        municipality="075",
        topic_text="omaishoidon tuki",
        solved=True,
    )
    # April: in neither period
    contact(at=at(2026, 4, 1, 0, 0), line="tyoikaiset", topic_text="Toimeentulotuki")
    # February: the previous period
    contact(
        at=at(2026, 2, 28, 23, 59, 59), line="vammaispalvelut", municipality="285", entry=kuljetus
    )
    contact(
        at=at(2026, 2, 1, 0, 0),
        line="lapset-perheet",
        channel=Channel.AUTHORITY,
        municipality="286",
        topic_text="Asumistuki",
        solved=True,
        referred_to=Referral.AREA_SERVICE,
    )
    # January: in neither
    contact(at=at(2026, 1, 31, 23, 59, 59), line="vammaispalvelut", topic_text="Asumistuki")


def _rows(figures, name):
    return {
        row["key"]: {k: v for k, v in row.items() if k not in ("key", "name")}
        for row in figures[name]
    }


def test_contacts_totals_and_rates(fixture_contacts):
    figures = contacts.compute(MARCH)

    assert figures["period"] == {"start": "2026-03-01", "end": "2026-03-31"}
    assert figures["previous_period"] == {"start": "2026-02-01", "end": "2026-02-28"}
    assert figures["totals"] == {
        "count": 4,
        "solved": 3,
        "consulted": 2,
        "referred": 2,
        "anonymous": 1,
        "previous": 2,
        "previous_solved": 1,
        "previous_consulted": 0,
        "previous_referred": 1,
        "previous_anonymous": 0,
        "resolution_rate": 0.75,
        "consultation_rate": 0.5,
        "referral_rate": 0.5,
        "previous_resolution_rate": 0.5,
        "previous_consultation_rate": 0.0,
        "previous_referral_rate": 0.5,
    }


def test_contacts_by_line(fixture_contacts):
    by_line = _rows(contacts.compute(MARCH), "by_line")

    assert list(by_line) == LINES
    assert by_line["vammaispalvelut"] == {
        "count": 2,
        "solved": 1,
        "consulted": 1,
        "previous": 1,
        "previous_solved": 0,
        "previous_consulted": 0,
        "resolution_rate": 0.5,
        "consultation_rate": 0.5,
        "previous_resolution_rate": 0.0,
        "previous_consultation_rate": 0.0,
    }
    assert by_line["ikaihmiset"] == {
        "count": 2,
        "solved": 2,
        "consulted": 1,
        "previous": 0,
        "previous_solved": 0,
        "previous_consulted": 0,
        "resolution_rate": 1.0,
        "consultation_rate": 0.5,
        "previous_resolution_rate": None,
        "previous_consultation_rate": None,
    }
    assert by_line["lapset-perheet"]["count"] == 0
    assert by_line["lapset-perheet"]["previous"] == 1
    assert by_line["lapset-perheet"]["previous_resolution_rate"] == 1.0
    assert by_line["tyoikaiset"]["count"] == 0  # the April contact is not in March
    assert by_line["tyoikaiset"]["resolution_rate"] is None


def test_contacts_by_channel(fixture_contacts):
    by_channel = _rows(contacts.compute(MARCH), "by_channel")
    assert {k: (v["count"], v["previous"]) for k, v in by_channel.items()} == {
        "phone": (2, 1),
        "chat": (1, 0),
        "visit": (1, 0),
        "authority": (0, 1),
    }
    assert by_channel["phone"]["resolution_rate"] == 1.0


def test_contacts_by_municipality_with_unknown_last(fixture_contacts):
    figures = contacts.compute(MARCH)
    rows = [(r["key"], r["name"], r["count"], r["previous"]) for r in figures["by_municipality"]]
    assert rows == [
        ("075", "Hamina", 1, 0),
        ("285", "Kotka", 2, 1),
        ("286", "Kouvola", 0, 1),
        ("489", "Miehikkälä", 0, 0),
        ("624", "Pyhtää", 0, 0),
        ("935", "Virolahti", 0, 0),
        ("", "ei tiedossa", 1, 0),
    ]


def test_contacts_referrals(fixture_contacts):
    referrals = _rows(contacts.compute(MARCH), "referrals")
    assert referrals == {
        "area_service": {"count": 0, "previous": 1},
        "kela": {"count": 1, "previous": 0},
        "third_sector": {"count": 1, "previous": 0},
        "other": {"count": 0, "previous": 0},
    }


def test_contacts_top_topics_join_free_topics_case_insensitively(fixture_contacts):
    assert contacts.compute(MARCH)["top_topics"] == [
        {"topic": "Kuljetuspalvelu", "entry_key": "kuljetus", "count": 2, "previous": 1},
        {"topic": "omaishoidon tuki", "entry_key": "", "count": 2, "previous": 0},
    ]


def test_contacts_top_topics_keeps_the_ten_commonest(advisor):
    for n in range(12):
        for _ in range(n + 1):
            contact(at=at(2026, 3, 10, 12, 0), topic_text=f"aihe {n:02d}")
    top = contacts.compute(MARCH)["top_topics"]
    assert [t["topic"] for t in top] == [f"aihe {n:02d}" for n in range(11, 1, -1)]
    assert top[0]["count"] == 12


def test_contacts_empty_period(fixture_contacts):
    figures = contacts.compute(Period(datetime.date(2025, 6, 1), datetime.date(2025, 6, 30)))
    assert figures["totals"]["count"] == 0
    assert figures["totals"]["previous"] == 0
    assert figures["totals"]["resolution_rate"] is None
    assert figures["top_topics"] == []
    assert all(r["count"] == 0 for r in figures["by_line"])
    assert [t.key for t in contacts.tables(figures)] == [
        "summary",
        "by_line",
        "by_channel",
        "by_municipality",
        "referrals",
        "top_topics",
    ]


def test_contacts_two_month_period_compares_with_the_two_months_before(fixture_contacts):
    figures = contacts.compute(Period(datetime.date(2026, 3, 1), datetime.date(2026, 4, 30)))
    assert figures["previous_period"] == {"start": "2026-01-01", "end": "2026-02-28"}
    assert (figures["totals"]["count"], figures["totals"]["previous"]) == (5, 3)


def test_contacts_compute_query_count_does_not_grow_with_rows(
    fixture_contacts, django_assert_max_num_queries
):
    with django_assert_max_num_queries(9):
        contacts.compute(MARCH)
