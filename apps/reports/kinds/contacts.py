"""Kind 1, contacts: per line, channel and municipality, first-contact resolution,
consultations, referrals and top topics, each beside the previous period."""

from __future__ import annotations

from typing import Any

from django.db.models import Case, CharField, Count, Q, Value, When
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from apps.catalogue.models import Municipality, ServiceLine
from apps.contacts.models import Channel, ContactRecord, Referral

from ..periods import Period
from .base import Column, Progress, Table, grouped, no_progress, rate, with_change

TOP_TOPICS = 10


# Aggregate aliases may not shadow the fields they filter on ("solved"), so the
# database sees these names and the figures get the readable ones.
_NAMES = {
    "n": "count",
    "n_solved": "solved",
    "n_consulted": "consulted",
    "p": "previous",
    "p_solved": "previous_solved",
    "p_consulted": "previous_consulted",
    "n_referred": "referred",
    "n_anonymous": "anonymous",
    "p_referred": "previous_referred",
    "p_anonymous": "previous_anonymous",
}


def _counts(current: Q, previous: Q) -> dict[str, Count]:
    """Contacts, solved and consulted, in the period and in the one before."""
    return {
        "n": Count("pk", filter=current),
        "n_solved": Count("pk", filter=current & Q(solved=True)),
        "n_consulted": Count("pk", filter=current & Q(consulted=True)),
        "p": Count("pk", filter=previous),
        "p_solved": Count("pk", filter=previous & Q(solved=True)),
        "p_consulted": Count("pk", filter=previous & Q(consulted=True)),
    }


def _named(row: dict[str, Any]) -> dict[str, Any]:
    return {_NAMES.get(key, key): value for key, value in row.items()}


def _rates(row: dict[str, Any]) -> dict[str, Any]:
    row["resolution_rate"] = rate(row["solved"], row["count"])
    row["consultation_rate"] = rate(row["consulted"], row["count"])
    row["previous_resolution_rate"] = rate(row["previous_solved"], row["previous"])
    row["previous_consultation_rate"] = rate(row["previous_consulted"], row["previous"])
    return row


_ZERO = {
    "count": 0,
    "solved": 0,
    "consulted": 0,
    "previous": 0,
    "previous_solved": 0,
    "previous_consulted": 0,
}


def compute(period: Period, progress: Progress = no_progress) -> dict[str, Any]:
    previous_period = period.previous()
    start, end = period.bounds()
    previous_start = previous_period.bounds()[0]
    rows = ContactRecord.objects.filter(created_at__gte=previous_start, created_at__lt=end)
    current, previous = Q(created_at__gte=start), Q(created_at__lt=start)
    counts = _counts(current, previous)

    totals = _rates(
        _named(
            rows.aggregate(
                **counts,
                n_referred=Count("pk", filter=current & ~Q(referred_to="")),
                n_anonymous=Count("pk", filter=current & Q(anonymous=True)),
                p_referred=Count("pk", filter=previous & ~Q(referred_to="")),
                p_anonymous=Count("pk", filter=previous & Q(anonymous=True)),
            )
        )
    )
    totals["referral_rate"] = rate(totals["referred"], totals["count"])
    totals["previous_referral_rate"] = rate(totals["previous_referred"], totals["previous"])
    progress(20)

    by_line_db = {
        r.pop("service_line"): _named(r) for r in grouped(rows, ["service_line"], counts).order_by()
    }
    by_line = [
        _rates({"key": line.key, "name": line.name_fi, **by_line_db.get(line.pk, _ZERO)})
        for line in ServiceLine.objects.order_by("position", "key")
    ]
    progress(40)

    by_channel_db = {
        r.pop("channel"): _named(r) for r in grouped(rows, ["channel"], counts).order_by()
    }
    by_channel = [
        _rates({"key": value, "name": str(label), **by_channel_db.get(value, _ZERO)})
        for value, label in Channel.choices
    ]
    progress(55)

    by_municipality_db = {
        r.pop("municipality"): _named(r) for r in grouped(rows, ["municipality"], counts).order_by()
    }
    by_municipality = [
        _rates({"key": m.code, "name": m.name_fi, **by_municipality_db.get(m.code, _ZERO)})
        for m in Municipality.objects.order_by("name_fi")
    ]
    by_municipality.append(
        _rates({"key": "", "name": str(_("ei tiedossa")), **by_municipality_db.get(None, _ZERO)})
    )
    progress(70)

    referral_counts = {
        "count": Count("pk", filter=current),
        "previous": Count("pk", filter=previous),
    }
    referrals_db = {
        r.pop("referred_to"): r
        for r in grouped(rows.exclude(referred_to=""), ["referred_to"], referral_counts).order_by()
    }
    referrals = [
        {"key": value, "name": str(label), **referrals_db.get(value, {"count": 0, "previous": 0})}
        for value, label in Referral.choices
    ]
    progress(80)

    free_topic = Case(
        When(entry__isnull=True, then=Lower("topic_text")),
        default=Value(""),
        output_field=CharField(),
    )
    top = (
        grouped(
            rows,
            ["entry", "entry__key", "entry__title_fi"],
            referral_counts,
            by_expressions={"free_topic": free_topic},
        )
        .filter(count__gt=0)
        .order_by("-count", "entry__title_fi", "free_topic")[:TOP_TOPICS]
    )
    top_topics = [
        {
            "topic": r["entry__title_fi"] or r["free_topic"],
            "entry_key": r["entry__key"] or "",
            "count": r["count"],
            "previous": r["previous"],
        }
        for r in top
    ]
    progress(100)

    return {
        "period": period.as_dict(),
        "previous_period": previous_period.as_dict(),
        "totals": totals,
        "by_line": by_line,
        "by_channel": by_channel,
        "by_municipality": by_municipality,
        "referrals": referrals,
        "top_topics": top_topics,
    }


def _breakdown(key: str, title: Any, first: Any, rows: list[dict[str, Any]]) -> Table:
    return Table(
        key=key,
        title=title,
        columns=[
            Column("name", first, "text"),
            Column("count", _("Yhteydenottoja"), "int"),
            Column("previous", _("Edellinen jakso"), "int"),
            Column("change", _("Muutos"), "change"),
            Column("resolution_rate", _("Ratkesi heti"), "pct"),
            Column("previous_resolution_rate", _("Ratkesi heti, edellinen"), "pct"),
            Column("consultation_rate", _("Konsultoitu"), "pct"),
            Column("previous_consultation_rate", _("Konsultoitu, edellinen"), "pct"),
        ],
        rows=with_change(rows),
        chart="count",
        chart_previous="previous",
    )


def tables(figures: dict[str, Any]) -> list[Table]:
    t = figures["totals"]
    summary = [
        {"name": _("Yhteydenottoja"), "value": t["count"], "previous": t["previous"], "fmt": "int"},
        {
            "name": _("Ratkesi ensimmäisellä yhteydenotolla"),
            "value": t["resolution_rate"],
            "previous": t["previous_resolution_rate"],
            "fmt": "pct",
        },
        {
            "name": _("Kollegaa konsultoitu"),
            "value": t["consultation_rate"],
            "previous": t["previous_consultation_rate"],
            "fmt": "pct",
        },
        {
            "name": _("Ohjattu eteenpäin"),
            "value": t["referral_rate"],
            "previous": t["previous_referral_rate"],
            "fmt": "pct",
        },
        {
            "name": _("Anonyymejä yhteydenottoja"),
            "value": t["anonymous"],
            "previous": t["previous_anonymous"],
            "fmt": "int",
        },
    ]
    return [
        Table(
            "summary",
            _("Yhteenveto"),
            [
                Column("name", _("Mittari"), "text"),
                Column("value", _("Jakso"), "auto"),
                Column("previous", _("Edellinen jakso"), "auto"),
            ],
            summary,
        ),
        _breakdown("by_line", _("Linjoittain"), _("Linja"), figures["by_line"]),
        _breakdown("by_channel", _("Kanavittain"), _("Kanava"), figures["by_channel"]),
        _breakdown("by_municipality", _("Kunnittain"), _("Kunta"), figures["by_municipality"]),
        Table(
            "referrals",
            _("Ohjaukset"),
            [
                Column("name", _("Ohjattu"), "text"),
                Column("count", _("Jakso"), "int"),
                Column("previous", _("Edellinen jakso"), "int"),
                Column("change", _("Muutos"), "change"),
            ],
            with_change(figures["referrals"]),
            chart="count",
            chart_previous="previous",
        ),
        Table(
            "top_topics",
            _("Yleisimmät aiheet"),
            [
                Column("topic", _("Aihe"), "text"),
                Column("count", _("Jakso"), "int"),
                Column("previous", _("Edellinen jakso"), "int"),
                Column("change", _("Muutos"), "change"),
            ],
            with_change(figures["top_topics"]),
            chart="count",
            chart_previous="previous",
        ),
    ]
