"""Every figure of the success-stories report against a hand-counted fixture."""

from __future__ import annotations

import datetime

import pytest

from apps.reports.kinds import stories
from apps.reports.periods import Period
from apps.stories.models import Story
from tests.reports.factories import at, story

pytestmark = pytest.mark.django_db

MARCH = Period(datetime.date(2026, 3, 1), datetime.date(2026, 3, 31))
KOTKA_UNIT = "Kotkan sosiaaliohjaus"


@pytest.fixture
def fixture_stories():
    story(
        published=at(2026, 3, 1, 0, 0),
        themes=("jonot-lyhenivat", "saastot"),
        unit=KOTKA_UNIT,
        waiting_days_before=30,
        waiting_days_after=10,
        partners_count=3,
        savings_eur=1000,
    )
    story(
        published=at(2026, 3, 31, 23, 59, 59),
        state=Story.State.ARCHIVED,
        themes=("jonot-lyhenivat",),
        unit=KOTKA_UNIT,
        waiting_days_before=20,
        partners_count=2,
    )
    story(published=at(2026, 3, 15, 12, 0))
    # not published in March
    story(published=at(2026, 4, 1, 0, 0), themes=("saastot",), savings_eur=99)
    story(published=at(2026, 2, 28, 23, 59, 59), themes=("saastot",), savings_eur=99)
    story(published=None, state=Story.State.SUBMITTED, themes=("saastot",), savings_eur=99)


def test_stories_totals(fixture_stories):
    assert stories.compute(MARCH)["totals"] == {
        "stories": 3,
        "with_impact": 2,
        "waiting_days_saved": 20,
        "partners": 5,
        "savings": 1000,
    }


def test_stories_by_theme(fixture_stories):
    assert stories.compute(MARCH)["by_theme"] == [
        {
            "key": "jonot-lyhenivat",
            "name": "Jonot lyhenivät",
            "stories": 2,
            "with_impact": 2,
            "waiting_days_saved": 20,
            "partners": 5,
            "savings": 1000,
        },
        {
            "key": "saastot",
            "name": "Säästöt",
            "stories": 1,
            "with_impact": 1,
            "waiting_days_saved": 20,
            "partners": 3,
            "savings": 1000,
        },
        {
            "key": "",
            "name": "ei teemaa",
            "stories": 1,
            "with_impact": 0,
            "waiting_days_saved": 0,
            "partners": 0,
            "savings": 0,
        },
    ]


def test_stories_by_unit(fixture_stories):
    assert stories.compute(MARCH)["by_unit"] == [
        {
            "unit": KOTKA_UNIT,
            "stories": 2,
            "with_impact": 2,
            "waiting_days_saved": 20,
            "partners": 5,
            "savings": 1000,
        },
        {
            "unit": "ei yksikköä",
            "stories": 1,
            "with_impact": 0,
            "waiting_days_saved": 0,
            "partners": 0,
            "savings": 0,
        },
    ]


def test_stories_empty_period(fixture_stories):
    figures = stories.compute(Period(datetime.date(2025, 6, 1), datetime.date(2025, 6, 30)))
    assert figures["totals"] == {
        "stories": 0,
        "with_impact": 0,
        "waiting_days_saved": 0,
        "partners": 0,
        "savings": 0,
    }
    assert figures["by_theme"] == figures["by_unit"] == []
