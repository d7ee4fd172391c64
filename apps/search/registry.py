"""What each app contributes to the search index.

An app declares its searchable models in its own ``search.py`` (discovered at start-up
like ``admin.py``)::

    from apps.search.registry import Document, Source, Text, register

    @register
    class EntrySource(Source):
        model = Entry
        label = "catalogue.entry"
        doc_types = ("service", "offer")
        doc_type_labels = {"service": _("palvelu"), "offer": _("järjestöjen tarjonta")}
        permission = "catalogue.view_entry"   # to see its documents in results

        def queryset(self):
            return Entry.objects.prefetch_related("municipalities")

        def document(self, entry) -> Document | None:   # None: not searchable
            return Document(doc_type="service", key=entry.key, url=..., titles={...},
                            texts=[Text("fi", entry.summary_fi, "B"), ...], ...)

Weights: ``A`` title and keywords, ``B`` summary and target groups, ``C`` the body,
``D`` details (fees, legal basis, organisation, lines). Each text is analysed in its
own language (Finnish with Voikko, Swedish and English with Snowball).

Search knows the other apps only through what they register here: the document types
(with their labels, offered as the type filter), who may see them, where place
names live (``register_places``), so a query naming a municipality is understood, and
the municipality and line filters (``register_facets``: the catalogue's reference data
and the advisor's remembered municipality).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Literal, Protocol

from django.db import models
from django.http import HttpRequest
from django.utils.functional import Promise

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from apps.accounts.models import User


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
    doc_type_labels: ClassVar[dict[str, str | Promise]] = {}  # shown in results and filters
    position: ClassVar[int] = 100  # where its types come in the type filter
    permission: ClassVar[str | None] = None  # needed to see its documents in results
    # Renders ``details`` under each of its hits on the results page ("" = nothing).
    details_template: ClassVar[str] = ""

    def queryset(self) -> models.QuerySet[Any]:
        """Every instance to (re)index, with what ``document`` needs prefetched."""
        return self.model._default_manager.all()

    def document(self, obj: Any) -> Document | None:
        """The document for ``obj``, or None when it must not be found (a draft)."""
        raise NotImplementedError

    def object_id(self, obj: Any) -> str:
        return str(obj.pk)

    def hit_details(self, keys: list[str], *, municipality: Any | None) -> Mapping[str, Any]:
        """What the results page shows under hits beyond the index, by document key,
        fetched for the whole page at once (the catalogue: phone numbers with their
        opening status). ``municipality``: the advisor's, or None."""
        return {}


@dataclass(frozen=True)
class Places:
    """Where the place names a query may hold ("kotihoito kotka") are stored: a table
    with a code column and name columns (one per language)."""

    table: str
    code: str
    names: tuple[str, ...]


class MunicipalityParam(Protocol):
    """What a municipality parameter said: ``given`` at all; the ``municipality`` it
    names (None: all, or unknown); ``unknown``: a value naming none (refuse or ignore)."""

    @property
    def given(self) -> bool: ...

    @property
    def municipality(self) -> Any | None: ...

    @property
    def unknown(self) -> bool: ...


@dataclass(frozen=True)
class _NoMunicipality:
    given: bool
    municipality: None
    unknown: bool


class Facets(Protocol):
    """The municipality and line filters. Municipalities have ``code`` and ``name``,
    lines ``key`` and ``name``."""

    def municipalities(self) -> list[Any]: ...

    def lines(self) -> list[Any]: ...

    @property
    def query_param(self) -> str:
        """The pages' name of the municipality parameter (``?kunta=``)."""
        ...

    def municipality_param(self, request: HttpRequest, values: Iterable[str]) -> MunicipalityParam:
        """The one parser of a municipality parameter (every value of it, ``getlist``)."""
        ...

    def current_municipality(self, request: HttpRequest) -> Any | None:
        """The advisor's municipality, remembered across pages."""
        ...

    def remember_municipality(self, request: HttpRequest, municipality: Any | None) -> None: ...


class NoFacets:
    """Before any app registers its filters: nothing to filter by."""

    def municipalities(self) -> list[Any]:
        return []

    def lines(self) -> list[Any]:
        return []

    # No municipalities to choose from: no parameter names one.
    query_param = ""

    def municipality_param(self, request: HttpRequest, values: Iterable[str]) -> MunicipalityParam:
        codes = [value.strip() for value in values]
        return _NoMunicipality(given=bool(codes), municipality=None, unknown=any(codes))

    def current_municipality(self, request: HttpRequest) -> Any | None:
        return None

    def remember_municipality(self, request: HttpRequest, municipality: Any | None) -> None:
        return None


_SOURCES: dict[type[models.Model], Source] = {}
_PLACES: list[Places] = []
_FACETS: list[Facets] = []


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


def visible_types(user: User | AnonymousUser) -> list[str]:
    """Document types ``user`` may see in results."""
    out: list[str] = []
    for source in _SOURCES.values():
        if source.permission is None or user.has_perm(source.permission):
            out.extend(t for t in source.doc_types if t not in out)
    return out


def doc_types() -> list[str]:
    """Every registered document type, in the order the type filter offers them."""
    out: list[str] = []
    for source in sorted(_SOURCES.values(), key=lambda s: s.position):
        out.extend(t for t in source.doc_types if t not in out)
    return out


def doc_type_label(doc_type: str) -> str:
    for source in _SOURCES.values():
        if doc_type in source.doc_type_labels:
            return str(source.doc_type_labels[doc_type])
    return doc_type


def doc_type_choices() -> list[tuple[str, str]]:
    return [(t, doc_type_label(t)) for t in doc_types()]


@dataclass(frozen=True)
class HitDetails:
    """What a source adds under one hit: ``details`` rendered by ``template``."""

    template: str
    details: Any


def hit_details(hits: Iterable[Any], *, municipality: Any | None) -> dict[tuple[str, str], Any]:
    """``HitDetails`` by (doc_type, key) for the hits (``doc_type`` and ``key``), one
    ``Source.hit_details`` call per source that shows any."""
    by_source: dict[int, tuple[Source, list[Any]]] = {}
    for hit in hits:
        for source in _SOURCES.values():
            if source.details_template and hit.doc_type in source.doc_types:
                by_source.setdefault(id(source), (source, []))[1].append(hit)
    out: dict[tuple[str, str], Any] = {}
    for source, found in by_source.values():
        details = source.hit_details([hit.key for hit in found], municipality=municipality)
        for hit in found:
            if hit.key in details:
                out[(hit.doc_type, hit.key)] = HitDetails(
                    template=source.details_template, details=details[hit.key]
                )
    return out


def register_places(places: Places) -> None:
    """Tell search where place names live (the catalogue's municipalities)."""
    if places not in _PLACES:
        _PLACES.append(places)


def places() -> list[Places]:
    return list(_PLACES)


def register_facets(facets: Facets) -> None:
    """Tell search how to filter by municipality and line (the catalogue does)."""
    _FACETS[:] = [facets]


def facets() -> Facets:
    return _FACETS[0] if _FACETS else NoFacets()
