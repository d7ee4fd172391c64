"""Kind 3, knowledge freshness: entries overdue for review, and entries changed in Suomi.fi
(PTV) that their owner has not reviewed yet, per owner and per line.

A snapshot on the period's last day (today when the period has not ended yet): an
entry is overdue when its review fell due before that day, or it was never reviewed
(``apps.catalogue.selectors.overdue_q``). The catalogue keeps no history of reviews, so
a rerun for a past period uses today's review dates. Likewise "changed in Suomi.fi" is
the state when the report runs (``Entry.ptv_changed_at`` set, cleared by a review).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.catalogue.models import Entry, ServiceLine
from apps.catalogue.selectors import overdue_q

from ..periods import Period
from .base import Column, Progress, Table, grouped, no_progress, rate


def compute(period: Period, progress: Progress = no_progress) -> dict[str, Any]:
    as_of = min(period.end, timezone.localdate())
    overdue = overdue_q(as_of)
    figures = {
        "entries": Count("pk", distinct=True),
        "overdue": Count("pk", filter=overdue, distinct=True),
        "never_reviewed": Count("pk", filter=Q(last_reviewed__isnull=True), distinct=True),
        "ptv_changed": Count("pk", filter=Q(ptv_changed_at__isnull=False), distinct=True),
    }
    entries = Entry.objects.all()
    totals = entries.aggregate(**figures)
    totals["overdue_rate"] = rate(totals["overdue"], totals["entries"])
    progress(30)

    by_owner = [
        {
            "owner_id": r["owner"],
            "name": (
                " ".join(filter(None, [r["owner__first_name"], r["owner__last_name"]]))
                or r["owner__username"]
                or str(_("ei vastuuhenkilöä"))
            ),
            "username": r["owner__username"] or "",
            "entries": r["entries"],
            "overdue": r["overdue"],
            "never_reviewed": r["never_reviewed"],
            "ptv_changed": r["ptv_changed"],
            "overdue_rate": rate(r["overdue"], r["entries"]),
        }
        for r in grouped(
            entries, ["owner", "owner__username", "owner__first_name", "owner__last_name"], figures
        ).order_by("-overdue", "owner__username")
    ]
    progress(65)

    per_line = {
        r.pop("service_lines"): r for r in grouped(entries, ["service_lines"], figures).order_by()
    }
    zero = {"entries": 0, "overdue": 0, "never_reviewed": 0, "ptv_changed": 0}
    by_line = []
    for line in ServiceLine.objects.order_by("position", "key"):
        row = {"key": line.key, "name": line.name_fi, **per_line.get(line.pk, zero)}
        by_line.append(row)
    if None in per_line:
        by_line.append({"key": "", "name": str(_("ei linjaa")), **per_line[None]})
    for row in by_line:
        row["overdue_rate"] = rate(row["overdue"], row["entries"])
    progress(100)
    return {
        "period": period.as_dict(),
        "as_of": as_of.isoformat(),
        "totals": totals,
        "by_owner": by_owner,
        "by_line": by_line,
    }


def tables(figures: dict[str, Any]) -> list[Table]:
    t = figures["totals"]
    columns = [
        Column("entries", _("Sisältöjä"), "int"),
        Column("overdue", _("Tarkistus myöhässä"), "int"),
        Column("overdue_rate", _("Osuus"), "pct"),
        Column("never_reviewed", _("Ei koskaan tarkistettu"), "int"),
        Column("ptv_changed", _("Muuttunut Suomi.fi:ssä, tarkistamatta"), "int"),
    ]
    return [
        Table(
            "summary",
            _("Yhteenveto"),
            [Column("name", _("Mittari"), "text"), Column("value", _("Arvo"), "auto")],
            [
                {"name": _("Tilanne päivänä"), "value": figures["as_of"], "fmt": "date"},
                {"name": _("Sisältöjä"), "value": t["entries"], "fmt": "int"},
                {"name": _("Tarkistus myöhässä"), "value": t["overdue"], "fmt": "int"},
                {"name": _("Osuus"), "value": t["overdue_rate"], "fmt": "pct"},
                {"name": _("Ei koskaan tarkistettu"), "value": t["never_reviewed"], "fmt": "int"},
                {
                    "name": _("Muuttunut Suomi.fi:ssä, tarkistamatta"),
                    # A report stored before the count existed shows "–".
                    "value": t.get("ptv_changed"),
                    "fmt": "int",
                },
            ],
        ),
        Table(
            "by_owner",
            _("Vastuuhenkilöittäin"),
            [Column("name", _("Vastuuhenkilö"), "text"), *columns],
            figures["by_owner"],
            chart="overdue",
        ),
        Table(
            "by_line",
            _("Linjoittain"),
            [Column("name", _("Linja"), "text"), *columns],
            figures["by_line"],
            chart="overdue",
            note=_("Usealla linjalla oleva sisältö lasketaan jokaiselle linjalleen."),
        ),
    ]
