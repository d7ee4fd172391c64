"""What each app contributes to the search index.

An app declares its searchable models in its own ``search.py`` (discovered at start-up
like ``admin.py``)::

    from apps.search.registry import Document, Source, Text, register

    @register
    class EntrySource(Source):
        model = Entry
        label = "catalogue.entry"

        def queryset(self):
            return Entry.objects.prefetch_related("municipalities")

        def document(self, entry) -> Document | None:   # None: not searchable
            return Document(doc_type="service", key=entry.key, url=..., titles={...},
                            texts=[Text("fi", entry.summary_fi, "B"), ...], ...)

Weights: ``A`` title and keywords, ``B`` summary and target groups, ``C`` the body,
``D`` details (fees, legal basis, organisation, lines). Each text is analysed in its
own language (Finnish with Voikko, Swedish and English with Snowball).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal

from django.db import models

Weight = Literal["A", "B", "C", "D"]


@dataclass(frozen=True)
class Text:
    language: str
    text: str
    weight: Weight


@dataclass
class Document:
    doc_type: str  # service | offer | consultation | story
    url: str
    titles: dict[str, str]  # by language; "fi" required
    texts: list[Text] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)  # Finnish, weight A
    key: str = ""
    organisation: dict[str, str] = field(default_factory=dict)
    snippets: dict[str, str] = field(default_factory=dict)  # plain text, by language
    municipalities: list[str] = field(default_factory=list)  # empty: the whole area
    lines: list[str] = field(default_factory=list)


class Source:
    """How instances of one model become documents."""

    model: ClassVar[type[models.Model]]
    label: ClassVar[str]  # stored in SearchDocument.source, e.g. "catalogue.entry"
    doc_types: ClassVar[tuple[str, ...]] = ()  # the types its documents have
    permission: ClassVar[str | None] = None  # needed to see its documents in results

    def queryset(self) -> models.QuerySet[Any]:
        """Every instance to (re)index, with what ``document`` needs prefetched."""
        return self.model._default_manager.all()

    def document(self, obj: Any) -> Document | None:
        """The document for ``obj``, or None when it must not be found (a draft)."""
        raise NotImplementedError

    def object_id(self, obj: Any) -> str:
        return str(obj.pk)


_SOURCES: dict[type[models.Model], Source] = {}


def register(cls: type[Source]) -> type[Source]:
    """Class decorator: make a model searchable."""
    source = cls()
    _SOURCES[cls.model] = source
    return cls


def source_for(obj_or_model: Any) -> Source | None:
    model = obj_or_model if isinstance(obj_or_model, type) else type(obj_or_model)
    for klass in model.__mro__:
        if klass in _SOURCES:
            return _SOURCES[klass]
    return None


def sources() -> Iterable[Source]:
    return list(_SOURCES.values())


def source_by_label(label: str) -> Source | None:
    return next((s for s in _SOURCES.values() if s.label == label), None)


def visible_types(user: Any) -> list[str]:
    """Document types ``user`` may see in results."""
    out: list[str] = []
    for source in _SOURCES.values():
        if source.permission is None or user.has_perm(source.permission):
            out.extend(t for t in source.doc_types if t not in out)
    return out
