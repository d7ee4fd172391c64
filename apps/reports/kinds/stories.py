"""Kind 5, success stories: stories published in the period, per theme and per unit,
with their impact figures summed.

A story published in the period counts even if it has been archived since. A story
with several themes counts under each; the totals count each story once. Waiting
days saved are summed over stories that give both the before and the after figure.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, F, Q, Sum
from django.utils.translation import gettext_lazy as _

from apps.stories.models import Story, Theme

from ..periods import Period
from .base import Column, Progress, Table, grouped, no_progress

PUBLISHED = Q(state__in=[Story.State.PUBLISHED, Story.State.ARCHIVED])
BOTH_WAITS = Q(waiting_days_before__isnull=False, waiting_days_after__isnull=False)


def _sums() -> dict[str, Any]:
    return {
        "stories": Count("pk", distinct=True),
        "with_impact": Count(
            "pk",
            distinct=True,
            filter=(
                Q(waiting_days_before__isnull=False)
                | Q(waiting_days_after__isnull=False)
                | Q(partners_count__isnull=False)
                | Q(savings_eur__isnull=False)
            ),
        ),
        "waiting_days_saved": Sum(
            F("waiting_days_before") - F("waiting_days_after"), filter=BOTH_WAITS
        ),
        "partners": Sum("partners_count"),
        "savings": Sum("savings_eur"),
    }


def _zeros(row: dict[str, Any]) -> dict[str, Any]:
    for name in ("waiting_days_saved", "partners", "savings"):
        row[name] = row.get(name) or 0
    return row


def compute(period: Period, progress: Progress = no_progress) -> dict[str, Any]:
    start, end = period.bounds()
    stories = Story.objects.filter(PUBLISHED, published_at__gte=start, published_at__lt=end)
    totals = _zeros(stories.aggregate(**_sums()))
    progress(30)

    # Sums per theme come from a join through the themes: one story row per theme, so
    # ``Sum`` adds each story once per theme it has, which is what a per-theme sum means.
    per_theme = {
        r.pop("themes"): _zeros(r) for r in grouped(stories, ["themes"], _sums()).order_by()
    }
    by_theme = [
        {"key": theme.key, "name": theme.name_fi, **per_theme[theme.pk]}
        for theme in Theme.objects.order_by("position", "key")
        if theme.pk in per_theme
    ]
    if None in per_theme:
        by_theme.append({"key": "", "name": str(_("ei teemaa")), **per_theme[None]})
    progress(65)

    by_unit = [
        {"unit": r.pop("unit") or str(_("ei yksikköä")), **_zeros(r)}
        for r in grouped(stories, ["unit"], _sums()).order_by("-stories", "unit")
    ]
    progress(100)
    return {"period": period.as_dict(), "totals": totals, "by_theme": by_theme, "by_unit": by_unit}


def tables(figures: dict[str, Any]) -> list[Table]:
    t = figures["totals"]
    columns = [
        Column("stories", _("Tarinoita"), "int"),
        Column("with_impact", _("Vaikutus kerrottu"), "int"),
        Column("waiting_days_saved", _("Odotuspäiviä vähemmän"), "int"),
        Column("partners", _("Yhteistyötahoja"), "int"),
        Column("savings", _("Arvioitu säästö (€)"), "eur"),
    ]
    return [
        Table(
            "summary",
            _("Yhteenveto"),
            [Column("name", _("Mittari"), "text"), Column("value", _("Jakso"), "auto")],
            [
                {"name": _("Julkaistuja tarinoita"), "value": t["stories"], "fmt": "int"},
                {"name": _("Vaikutus kerrottu"), "value": t["with_impact"], "fmt": "int"},
                {
                    "name": _("Odotuspäiviä vähemmän yhteensä"),
                    "value": t["waiting_days_saved"],
                    "fmt": "int",
                },
                {"name": _("Yhteistyötahoja yhteensä"), "value": t["partners"], "fmt": "int"},
                {"name": _("Arvioitu säästö yhteensä"), "value": t["savings"], "fmt": "eur"},
            ],
        ),
        Table(
            "by_theme",
            _("Teemoittain"),
            [Column("name", _("Teema"), "text"), *columns],
            figures["by_theme"],
            chart="stories",
            note=_("Usean teeman tarina lasketaan jokaiselle teemalleen."),
        ),
        Table(
            "by_unit",
            _("Yksiköittäin"),
            [Column("unit", _("Yksikkö"), "text"), *columns],
            figures["by_unit"],
            chart="stories",
        ),
    ]
