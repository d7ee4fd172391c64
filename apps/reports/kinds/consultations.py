"""Kind 2, consultations: questions asked and solved per line, median time to the first
answer and to the solution, questions left unanswered over 24 hours, and callbacks
done late.

Questions are those asked in the period (their later answers and solutions count, up to
the moment the report is made). Callbacks are those due in the period.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, DateTimeField, F, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.catalogue.models import ServiceLine
from apps.consultations.models import Answer, Callback, Thread

from ..periods import Period
from .base import Column, EpochSeconds, Median, Progress, Table, grouped, no_progress, rate, seconds

UNANSWERED_AFTER = datetime.timedelta(hours=24)


def _threads(period: Period) -> QuerySet[Thread]:
    start, end = period.bounds()
    first_answer = (
        Answer.objects.filter(thread=OuterRef("pk"), kind=Answer.Kind.ANSWER)
        .order_by("created_at")
        .values("created_at")[:1]
    )
    return Thread.objects.filter(created_at__gte=start, created_at__lt=end).annotate(
        first_answer_at=Subquery(first_answer, output_field=DateTimeField())
    )


def _thread_figures(now: datetime.datetime) -> dict[str, Any]:
    late = F("created_at") + UNANSWERED_AFTER
    return {
        "asked": Count("pk"),
        "solved": Count("pk", filter=Q(status=Thread.Status.SOLVED)),
        "answered": Count("pk", filter=Q(first_answer_at__isnull=False)),
        "median_first_answer": Median(EpochSeconds(F("first_answer_at") - F("created_at"))),
        "median_solution": Median(
            EpochSeconds(F("solved_at") - F("created_at")), filter=Q(status=Thread.Status.SOLVED)
        ),
        # No answer within 24 hours: answered later, or not at all and 24 hours are up.
        "unanswered_24h": Count(
            "pk",
            filter=Q(first_answer_at__gt=late)
            | Q(first_answer_at__isnull=True, created_at__lt=now - UNANSWERED_AFTER),
        ),
    }


def _callback_figures(now: datetime.datetime) -> dict[str, Any]:
    return {
        "callbacks_due": Count("pk"),
        "callbacks_done": Count("pk", filter=Q(status=Callback.Status.DONE)),
        "callbacks_done_late": Count(
            "pk", filter=Q(status=Callback.Status.DONE, done_at__gt=F("due_at"))
        ),
        "callbacks_open_overdue": Count(
            "pk", filter=Q(status=Callback.Status.OPEN, due_at__lt=now)
        ),
    }


def _clean(row: dict[str, Any]) -> dict[str, Any]:
    for name in ("median_first_answer", "median_solution"):
        if name in row:
            row[name] = seconds(row[name])
    if "asked" in row:
        row["solved_rate"] = rate(row["solved"], row["asked"])
    if "callbacks_due" in row:
        row["callbacks_late_rate"] = rate(row["callbacks_done_late"], row["callbacks_done"])
    return row


_NO_THREADS = {
    "asked": 0,
    "solved": 0,
    "answered": 0,
    "median_first_answer": None,
    "median_solution": None,
    "unanswered_24h": 0,
}
_NO_CALLBACKS = {
    "callbacks_due": 0,
    "callbacks_done": 0,
    "callbacks_done_late": 0,
    "callbacks_open_overdue": 0,
}


def compute(
    period: Period, progress: Progress = no_progress, now: datetime.datetime | None = None
) -> dict[str, Any]:
    now = now or timezone.now()
    start, end = period.bounds()
    threads = _threads(period)
    thread_figures = _thread_figures(now)
    totals = _clean(threads.aggregate(**thread_figures))
    progress(25)
    per_line = {
        r.pop("service_line"): _clean(r)
        for r in grouped(threads, ["service_line"], thread_figures).order_by()
    }
    progress(60)

    callbacks = Callback.objects.filter(due_at__gte=start, due_at__lt=end)
    callback_figures = _callback_figures(now)
    totals.update(_clean(callbacks.aggregate(**callback_figures)))
    callbacks_per_line = {
        r.pop("service_line"): _clean(r)
        for r in grouped(callbacks, ["service_line"], callback_figures).order_by()
    }
    progress(90)

    by_line = []
    for line in ServiceLine.objects.order_by("position", "key"):
        row = {"key": line.key, "name": line.name_fi}
        row.update(per_line.get(line.pk) or _clean(dict(_NO_THREADS)))
        row.update(callbacks_per_line.get(line.pk) or _clean(dict(_NO_CALLBACKS)))
        by_line.append(row)
    if None in callbacks_per_line:  # callbacks asked of a person, not a line
        row = {"key": "", "name": str(_("ei linjaa (henkilölle)"))}
        row.update(_clean(dict(_NO_THREADS)))
        row.update(callbacks_per_line[None])
        by_line.append(row)
    progress(100)
    return {
        "period": period.as_dict(),
        "generated_at": now.isoformat(),
        "totals": totals,
        "by_line": by_line,
    }


def tables(figures: dict[str, Any]) -> list[Table]:
    t = figures["totals"]
    summary = [
        {"name": _("Kysymyksiä"), "value": t["asked"], "fmt": "int"},
        {"name": _("Ratkaistu"), "value": t["solved"], "fmt": "int"},
        {"name": _("Ratkaisuaste"), "value": t["solved_rate"], "fmt": "pct"},
        {
            "name": _("Mediaaniaika ensimmäiseen vastaukseen"),
            "value": t["median_first_answer"],
            "fmt": "duration",
        },
        {"name": _("Mediaaniaika ratkaisuun"), "value": t["median_solution"], "fmt": "duration"},
        {"name": _("Vailla vastausta yli 24 h"), "value": t["unanswered_24h"], "fmt": "int"},
        {"name": _("Soittopyyntöjä erääntyi"), "value": t["callbacks_due"], "fmt": "int"},
        {"name": _("Soitettu myöhässä"), "value": t["callbacks_done_late"], "fmt": "int"},
        {"name": _("Soittamatta, myöhässä"), "value": t["callbacks_open_overdue"], "fmt": "int"},
    ]
    return [
        Table(
            "summary",
            _("Yhteenveto"),
            [Column("name", _("Mittari"), "text"), Column("value", _("Jakso"), "auto")],
            summary,
        ),
        Table(
            "questions",
            _("Kysymykset linjoittain"),
            [
                Column("name", _("Linja"), "text"),
                Column("asked", _("Kysytty"), "int"),
                Column("solved", _("Ratkaistu"), "int"),
                Column("solved_rate", _("Ratkaisuaste"), "pct"),
                Column("median_first_answer", _("Mediaani 1. vastaukseen"), "duration"),
                Column("median_solution", _("Mediaani ratkaisuun"), "duration"),
                Column("unanswered_24h", _("Vailla vastausta yli 24 h"), "int"),
            ],
            [r for r in figures["by_line"] if r["key"]],
            chart="asked",
        ),
        Table(
            "callbacks",
            _("Soittopyynnöt linjoittain"),
            [
                Column("name", _("Linja"), "text"),
                Column("callbacks_due", _("Erääntyi"), "int"),
                Column("callbacks_done", _("Soitettu"), "int"),
                Column("callbacks_done_late", _("Soitettu myöhässä"), "int"),
                Column("callbacks_late_rate", _("Myöhässä soitetuista"), "pct"),
                Column("callbacks_open_overdue", _("Soittamatta, myöhässä"), "int"),
            ],
            figures["by_line"],
            chart="callbacks_done_late",
        ),
    ]
