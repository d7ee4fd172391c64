"""Kind 4, search gaps: what staff searched for, what found nothing, what found
results of which nothing was opened, and which opened results the search found by
meaning only (words alone would have missed them).

Searches from the search page and the API count; a results-as-you-type search counts
only when a result was opened from it (otherwise every keystroke would count as a
search that found nothing useful).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.db.models.functions import Lower, Trim
from django.utils.translation import gettext_lazy as _

from apps.search.models import SearchLog

from ..periods import Period
from .base import Column, Progress, Table, grouped, no_progress, rate

TOP = 20

COUNTED = Q(source__in=[SearchLog.Source.PAGE, SearchLog.Source.API]) | Q(
    source=SearchLog.Source.LIVE, opened_at__isnull=False
)
NO_RESULTS = Q(result_count=0)
NOTHING_OPENED = Q(result_count__gt=0, opened_at__isnull=True)
BY_MEANING = Q(opened_at__isnull=False, opened_path=SearchLog.Path.SEMANTIC)


def compute(period: Period, progress: Progress = no_progress) -> dict[str, Any]:
    start, end = period.bounds()
    logs = (
        SearchLog.objects.filter(COUNTED, created_at__gte=start, created_at__lt=end)
        .annotate(normalised=Lower(Trim("query")))
        .exclude(normalised="")
    )
    counts = {
        "count": Count("pk"),
        "no_results": Count("pk", filter=NO_RESULTS),
        "nothing_opened": Count("pk", filter=NOTHING_OPENED),
        "opened": Count("pk", filter=Q(opened_at__isnull=False)),
        "opened_by_meaning": Count("pk", filter=BY_MEANING),
    }
    totals = logs.aggregate(**counts, distinct_queries=Count("normalised", distinct=True))
    totals["no_results_rate"] = rate(totals["no_results"], totals["count"])
    totals["nothing_opened_rate"] = rate(totals["nothing_opened"], totals["count"])
    totals["opened_by_meaning_rate"] = rate(totals["opened_by_meaning"], totals["opened"])
    progress(25)

    by_query = grouped(logs, ["normalised"], counts)
    top_queries = [
        {"query": r["normalised"], **{k: r[k] for k in counts}}
        for r in by_query.order_by("-count", "normalised")[:TOP]
    ]
    progress(50)
    no_results = [
        {"query": r["normalised"], "count": r["no_results"]}
        for r in by_query.filter(no_results__gt=0).order_by("-no_results", "normalised")[:TOP]
    ]
    progress(75)
    nothing_opened = [
        {"query": r["normalised"], "count": r["nothing_opened"]}
        for r in by_query.filter(nothing_opened__gt=0).order_by("-nothing_opened", "normalised")[
            :TOP
        ]
    ]
    by_meaning = [
        {"query": r["normalised"], "count": r["opened_by_meaning"]}
        for r in by_query.filter(opened_by_meaning__gt=0).order_by(
            "-opened_by_meaning", "normalised"
        )[:TOP]
    ]
    progress(100)
    return {
        "period": period.as_dict(),
        "totals": totals,
        "top_queries": top_queries,
        "no_results": no_results,
        "nothing_opened": nothing_opened,
        "by_meaning": by_meaning,
    }


def tables(figures: dict[str, Any]) -> list[Table]:
    t = figures["totals"]
    return [
        Table(
            "summary",
            _("Yhteenveto"),
            [Column("name", _("Mittari"), "text"), Column("value", _("Jakso"), "auto")],
            [
                {"name": _("Hakuja"), "value": t["count"], "fmt": "int"},
                {"name": _("Eri hakuja"), "value": t["distinct_queries"], "fmt": "int"},
                {"name": _("Ei tuloksia"), "value": t["no_results"], "fmt": "int"},
                {"name": _("Ei tuloksia, osuus"), "value": t["no_results_rate"], "fmt": "pct"},
                {
                    "name": _("Tuloksia, mutta mitään ei avattu"),
                    "value": t["nothing_opened"],
                    "fmt": "int",
                },
                {
                    "name": _("Mitään ei avattu, osuus"),
                    "value": t["nothing_opened_rate"],
                    "fmt": "pct",
                },
                {
                    "name": _("Avattu tulos löytyi vain merkityksen perusteella"),
                    "value": t.get("opened_by_meaning", 0),
                    "fmt": "int",
                },
                {
                    "name": _("Vain merkityksen perusteella, osuus avatuista"),
                    "value": t.get("opened_by_meaning_rate"),
                    "fmt": "pct",
                },
            ],
        ),
        Table(
            "top_queries",
            _("Yleisimmät haut"),
            [
                Column("query", _("Haku"), "text"),
                Column("count", _("Hakuja"), "int"),
                Column("no_results", _("Ei tuloksia"), "int"),
                Column("nothing_opened", _("Mitään ei avattu"), "int"),
                Column("opened", _("Tulos avattu"), "int"),
                Column("opened_by_meaning", _("Avattu, löytyi merkityksestä"), "int"),
            ],
            figures["top_queries"],
            chart="count",
        ),
        Table(
            "no_results",
            _("Haut ilman tuloksia"),
            [Column("query", _("Haku"), "text"), Column("count", _("Kertaa"), "int")],
            figures["no_results"],
            chart="count",
        ),
        Table(
            "nothing_opened",
            _("Haut, joista mitään ei avattu"),
            [Column("query", _("Haku"), "text"), Column("count", _("Kertaa"), "int")],
            figures["nothing_opened"],
            chart="count",
        ),
        Table(
            "by_meaning",
            _("Haut, joiden avattu tulos löytyi vain merkityksen perusteella"),
            [Column("query", _("Haku"), "text"), Column("count", _("Kertaa"), "int")],
            figures.get("by_meaning", []),
            chart="count",
        ),
    ]
