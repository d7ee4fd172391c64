"""The report kinds: one module of aggregation queries each."""

from __future__ import annotations

from types import ModuleType

from ..models import Kind
from . import consultations, contacts, freshness, search_gaps, stories

MODULES: dict[str, ModuleType] = {
    Kind.CONTACTS: contacts,
    Kind.CONSULTATIONS: consultations,
    Kind.FRESHNESS: freshness,
    Kind.SEARCH_GAPS: search_gaps,
    Kind.STORIES: stories,
}


def module(kind: str) -> ModuleType:
    return MODULES[kind]
