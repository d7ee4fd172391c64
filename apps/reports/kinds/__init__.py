"""The report kinds: one module of aggregation queries each."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from ..models import Kind
from . import consultations, contacts, freshness, search_gaps, stories

if TYPE_CHECKING:
    from ..periods import Period
    from .base import Progress, Table


class ReportKind(Protocol):
    """What each kind's module provides (a module satisfies this structurally)."""

    def compute(self, period: Period, progress: Progress = ..., /) -> dict[str, Any]: ...

    def tables(self, figures: dict[str, Any], /) -> list[Table]: ...


MODULES: dict[str, ReportKind] = {
    Kind.CONTACTS: contacts,
    Kind.CONSULTATIONS: consultations,
    Kind.FRESHNESS: freshness,
    Kind.SEARCH_GAPS: search_gaps,
    Kind.STORIES: stories,
}


def module(kind: str) -> ReportKind:
    return MODULES[kind]
