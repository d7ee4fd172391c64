"""Every figure of the search-gaps report against a hand-counted fixture."""

from __future__ import annotations

import datetime

import pytest

from apps.reports.kinds import search_gaps
from apps.reports.periods import Period
from apps.search.models import SearchLog
from tests.reports.factories import at, search

pytestmark = pytest.mark.django_db

MARCH = Period(datetime.date(2026, 3, 1), datetime.date(2026, 3, 31))
LIVE = SearchLog.Source.LIVE


@pytest.fixture
def fixture_logs():
    search(
        when=at(2026, 3, 1, 0, 0),
        query="Kuljetuspalvelu",
        results=5,
        opened=True,
        path=SearchLog.Path.SEMANTIC,
    )
    search(when=at(2026, 3, 2, 10, 0), query=" kuljetuspalvelu ", results=5)
    search(when=at(2026, 3, 3, 10, 0), query="omaishoidon tuki", results=0)
    search(when=at(2026, 3, 4, 10, 0), query="Omaishoidon tuki", results=0)
    search(when=at(2026, 3, 5, 10, 0), query="asumistuki", results=2)
    search(
        when=at(2026, 3, 31, 23, 59, 59),
        query="asumistuki",
        results=2,
        opened=True,
        path=SearchLog.Path.BOTH,
    )
    search(when=at(2026, 3, 6, 10, 0), query="kulj", results=3, source=LIVE)  # typing
    search(when=at(2026, 3, 7, 10, 0), query="kuljetus", results=3, opened=True, source=LIVE)
    search(when=at(2026, 3, 8, 10, 0), query="   ", results=0)
    search(when=at(2026, 4, 1, 0, 0), query="kuljetuspalvelu", results=0)
    search(when=at(2026, 2, 28, 23, 59, 59), query="kuljetuspalvelu", results=0)


def test_search_gaps_totals(fixture_logs):
    assert search_gaps.compute(MARCH)["totals"] == {
        "count": 7,
        "no_results": 2,
        "nothing_opened": 2,
        "opened": 3,
        "opened_by_meaning": 1,
        "distinct_queries": 4,
        "no_results_rate": 0.2857,
        "nothing_opened_rate": 0.2857,
        "opened_by_meaning_rate": 0.3333,
    }


def test_search_gaps_top_queries(fixture_logs):
    def row(query, count, no_results, nothing_opened, opened, by_meaning=0):
        return {
            "query": query,
            "count": count,
            "no_results": no_results,
            "nothing_opened": nothing_opened,
            "opened": opened,
            "opened_by_meaning": by_meaning,
        }

    assert search_gaps.compute(MARCH)["top_queries"] == [
        row("asumistuki", 2, 0, 1, 1),
        row("kuljetuspalvelu", 2, 0, 1, 1, by_meaning=1),
        row("omaishoidon tuki", 2, 2, 0, 0),
        row("kuljetus", 1, 0, 0, 1),
    ]


def test_search_gaps_opened_results_found_by_meaning_only(fixture_logs):
    # An opened result words also found ("both") is no gap of the words.
    figures = search_gaps.compute(MARCH)
    assert figures["by_meaning"] == [{"query": "kuljetuspalvelu", "count": 1}]
    table = next(t for t in search_gaps.tables(figures) if t.key == "by_meaning")
    assert table.rows == figures["by_meaning"]


def test_search_gaps_no_results_and_nothing_opened(fixture_logs):
    figures = search_gaps.compute(MARCH)
    assert figures["no_results"] == [{"query": "omaishoidon tuki", "count": 2}]
    assert figures["nothing_opened"] == [
        {"query": "asumistuki", "count": 1},
        {"query": "kuljetuspalvelu", "count": 1},
    ]


def test_search_gaps_empty_period(fixture_logs):
    figures = search_gaps.compute(Period(datetime.date(2025, 6, 1), datetime.date(2025, 6, 30)))
    assert figures["totals"]["count"] == 0
    assert figures["totals"]["no_results_rate"] is None
    assert figures["top_queries"] == figures["no_results"] == figures["nothing_opened"] == []
