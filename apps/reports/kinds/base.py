"""What every report kind shares: database helpers and the shape of its output.

A kind module has ``compute(period, progress) -> dict`` (the figures, JSON-ready, every
number aggregated in PostgreSQL) and ``tables(figures) -> list[Table]`` (how the page,
the CSV and the XLSX show them, with translated labels).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Aggregate, Expression, FloatField, Func, QuerySet

Progress = Callable[[int], None]


def no_progress(_percent: int) -> None:
    return None


class EpochSeconds(Func):
    """Seconds in an interval (``EXTRACT(EPOCH FROM …)``)."""

    template = "EXTRACT(EPOCH FROM %(expressions)s)"
    output_field = FloatField()


class Median(Aggregate):
    """The median (``percentile_cont(0.5)``) of a numeric expression."""

    function = "percentile_cont"
    name = "Median"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)%(filter)s"
    output_field = FloatField()
    allow_distinct = False

    def __init__(self, expression: Expression | str, **extra: Any) -> None:
        super().__init__(expression, **extra)


def grouped(
    rows: QuerySet[Any, Any],
    by: Sequence[str],
    figures: Mapping[str, Expression],
    *,
    by_expressions: Mapping[str, Expression] | None = None,
) -> QuerySet[Any, dict[str, Any]]:
    """``rows.values(*by, **by_expressions).annotate(**figures)``: one plain dict per group.
    (Figures given as a mapping are keys the type checker cannot see: rows are plain dicts.)"""
    groups: QuerySet[Any, dict[str, Any]] = rows.values(*by, **(by_expressions or {}))
    annotated: QuerySet[Any, dict[str, Any]] = groups.annotate(**figures)
    return annotated


def rate(part: int | None, whole: int | None) -> float | None:
    """``part / whole`` to four decimals; None when there is nothing to divide."""
    if not whole:
        return None
    return round((part or 0) / whole, 4)


def seconds(value: float | None) -> int | None:
    return None if value is None else round(value)


# --- Presentation ---------------------------------------------------------------------


# Formats: text, int, pct (0..1), duration (seconds), eur, change (signed int), date
@dataclass(frozen=True)
class Column:
    key: str
    label: Any
    fmt: str = "int"


@dataclass
class Table:
    key: str
    title: Any
    columns: list[Column]
    rows: list[dict[str, Any]]
    chart: str | None = None  # the column drawn as bars
    chart_previous: str | None = None  # drawn beside it, lighter
    note: Any = ""
    bars: list[tuple[float, float | None]] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.chart:
            values = [row.get(self.chart) or 0 for row in self.rows]
            previous = (
                [row.get(self.chart_previous) or 0 for row in self.rows]
                if self.chart_previous
                else []
            )
            top = max([*values, *previous, 0]) or 1
            self.bars = [
                (
                    round(100 * v / top, 1),
                    round(100 * previous[i] / top, 1) if self.chart_previous else None,
                )
                for i, v in enumerate(values)
            ]

    @property
    def items(self) -> list[tuple[dict[str, Any], tuple[float, float | None] | None]]:
        """Rows with their bar widths (percent of the longest), for the template."""
        bars: list[tuple[float, float | None] | None] = [*self.bars] or [None] * len(self.rows)
        return list(zip(self.rows, bars, strict=True))


def with_change(
    rows: Iterable[dict[str, Any]], current: str = "count", previous: str = "previous"
) -> list[dict[str, Any]]:
    """Add ``change`` (current − previous) to each row."""
    out = []
    for row in rows:
        row = dict(row)
        if row.get(current) is not None and row.get(previous) is not None:
            row["change"] = row[current] - row[previous]
        out.append(row)
    return out
