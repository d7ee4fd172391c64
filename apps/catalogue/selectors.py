"""Reads of the catalogue: the one place that shapes catalogue querysets.

One module for every read concern (reading pages, editing and upkeep, the review-due
expressions that admin and reports reuse); it is small enough not to need a package.

Municipality semantics: an entry with no municipalities is available in the whole
wellbeing area, so it matches every municipality; an entry tied to some municipalities
matches only those.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypedDict

from django.conf import settings
from django.db.models import (
    BooleanField,
    Case,
    Count,
    DateField,
    Exists,
    F,
    Func,
    IntegerField,
    Model,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.expressions import CombinedExpression
from django.db.models.functions import Coalesce
from django.db.models.lookups import LessThan
from django.http import HttpRequest
from django.utils import timezone

from .models import (
    Contact,
    Entry,
    EntryVersion,
    Municipality,
    Organisation,
    ProblemReport,
    ServiceLine,
)

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    from apps.accounts.models import User

SESSION_MUNICIPALITY = "municipality"
# The pages' municipality parameter (``?kunta=``), read by ``municipality_param``: the
# catalogue's pages use it, and search's through ``CatalogueFacets.query_param``.
MUNICIPALITY_PARAM = "kunta"
_REQUEST_CACHE = "_catalogue_municipalities"

# The plugin cannot type an automatic through model (it sees ``type[Never]``).
_EntryMunicipality: type[Model] = Entry.municipalities.through


# --- Review due dates, computed in the database -----------------------------------------
#
# An entry is due for review ``review_interval_days`` (or the default interval) after it
# was last reviewed; one never reviewed is overdue at once. This is the database form of
# ``Entry.review_due`` / ``Entry.is_overdue``, for filtering and sorting whole lists.


class ReviewDue(TypedDict):
    review_due_on: datetime.date | None
    review_overdue: bool


def review_due_expression() -> CombinedExpression:
    """``last_reviewed + coalesce(review_interval_days, default)`` as a date (NULL when
    never reviewed). PostgreSQL adds an integer to a date as days."""
    interval = Coalesce(
        F("review_interval_days"),
        Value(settings.NEUVOKAS_DEFAULT_REVIEW_INTERVAL_DAYS),
        output_field=IntegerField(),
    )
    return CombinedExpression(F("last_reviewed"), "+", interval, output_field=DateField())


def overdue_q(today: datetime.date | None = None) -> Q:
    """Entries whose review is overdue on ``today`` (default: today in Helsinki)."""
    today = today or timezone.localdate()
    return Q(last_reviewed__isnull=True) | Q(LessThan(review_due_expression(), today))


def annotate_review_due(
    queryset: QuerySet[Entry], today: datetime.date | None = None
) -> QuerySet[WithAnnotations[Entry, ReviewDue]]:
    """Add ``review_due_on`` (date or None) and ``review_overdue`` (bool) to each row."""
    return queryset.annotate(
        review_due_on=review_due_expression(),
        review_overdue=Case(
            When(overdue_q(today), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
    )


# --- Municipalities and the advisor's choice --------------------------------------------


def municipality_list() -> list[Municipality]:
    return list(Municipality.objects.order_by("name_fi"))


def request_municipalities(request: HttpRequest) -> list[Municipality]:
    """The six municipalities, fetched once per request (views and the header share it)."""
    cached = getattr(request, _REQUEST_CACHE, None)
    if cached is None:
        cached = municipality_list()
        setattr(request, _REQUEST_CACHE, cached)
    return cached


@dataclass(frozen=True)
class MunicipalityParam:
    """What a municipality parameter (``?kunta=``, the picker's ``municipality``, the
    API's ``municipality``, the session's code) said.

    ``given``: the parameter was there at all; ``municipality``: the one it names, None
    for all municipalities (an empty value) or an ``unknown`` value.
    """

    given: bool
    municipality: Municipality | None
    unknown: bool


def municipality_param(request: HttpRequest, values: Iterable[str]) -> MunicipalityParam:
    """The one parser of a municipality parameter: every value of it (``getlist``).

    No value: not given. Values are compared trimmed and case-insensitively with the
    codes; an empty value means all municipalities. Values that disagree
    (``?kunta=a&kunta=b``) or name no municipality are ``unknown``: the caller refuses
    (the API) or ignores them (the pages keep the earlier choice).
    """
    codes = {value.strip().casefold() for value in values}
    if not codes:
        return MunicipalityParam(given=False, municipality=None, unknown=False)
    if len(codes) > 1:
        return MunicipalityParam(given=True, municipality=None, unknown=True)
    (code,) = codes
    if not code:
        return MunicipalityParam(given=True, municipality=None, unknown=False)
    found = next((m for m in request_municipalities(request) if m.code.casefold() == code), None)
    return MunicipalityParam(given=True, municipality=found, unknown=found is None)


def current_municipality(request: HttpRequest) -> Municipality | None:
    """The municipality chosen in this session, or None for all of them."""
    code = request.session.get(SESSION_MUNICIPALITY)
    if not isinstance(code, str):
        return None
    return municipality_param(request, [code]).municipality


# --- Reference lists for filters --------------------------------------------------------


def service_line_list() -> list[ServiceLine]:
    return list(ServiceLine.objects.order_by("position", "key"))


def target_group_list() -> list[str]:
    """Every target group used by some entry, alphabetically."""
    groups = (
        Entry.objects.annotate(group=Func(F("target_groups"), function="unnest"))
        .order_by()
        .values_list("group", flat=True)
        .distinct()
    )
    return sorted(groups, key=str.casefold)


# --- Entry lists ------------------------------------------------------------------------


def _available_in(municipality: Municipality) -> Q:
    tied_anywhere = Exists(_EntryMunicipality._default_manager.filter(entry=OuterRef("pk")))
    tied_here = Exists(
        _EntryMunicipality._default_manager.filter(entry=OuterRef("pk"), municipality=municipality)
    )
    return ~tied_anywhere | tied_here


def entry_filter(
    *,
    municipality: Municipality | None = None,
    line: ServiceLine | None = None,
    kind: str = "",
    target_group: str = "",
    q: str = "",
) -> QuerySet[Entry]:
    """Entries matching every given filter, unordered and without related data."""
    qs = Entry.objects.all()
    if municipality is not None:
        qs = qs.filter(_available_in(municipality))
    if line is not None:
        qs = qs.filter(
            Exists(
                Entry.service_lines.through.objects.filter(entry=OuterRef("pk"), serviceline=line)
            )
        )
    if kind:
        qs = qs.filter(kind=kind)
    if target_group:
        qs = qs.filter(target_groups__contains=[target_group])
    q = q.strip()
    if q:
        qs = qs.filter(
            Q(title__icontains=q)
            | Q(title_fi__icontains=q)
            | Q(summary__icontains=q)
            | Q(summary_fi__icontains=q)
            | Q(keywords__contains=[q.lower()])
        )
    return qs


class EntryFilters(TypedDict):
    """The reading pages' filters, as ``entry_list`` and ``service_line_counts`` take them."""

    municipality: Municipality | None
    kind: str
    target_group: str
    q: str


def entry_list(
    *,
    municipality: Municipality | None = None,
    line: ServiceLine | None = None,
    kind: str = "",
    target_group: str = "",
    q: str = "",
) -> QuerySet[Entry]:
    """Entries for a list page: organisation joined, municipalities prefetched, by title."""
    return (
        entry_filter(
            municipality=municipality, line=line, kind=kind, target_group=target_group, q=q
        )
        .select_related("organisation")
        .prefetch_related(_municipalities_prefetch())
        .order_by("title_fi", "key")
    )


def service_line_counts(
    *,
    municipality: Municipality | None = None,
    kind: str = "",
    target_group: str = "",
    q: str = "",
) -> tuple[list[ServiceLine], int]:
    """Each line annotated with ``entry_count`` under the other filters, and the total."""
    base = entry_filter(municipality=municipality, kind=kind, target_group=target_group, q=q)
    lines: list[ServiceLine] = list(
        ServiceLine.objects.annotate(
            entry_count=Count("entries", filter=Q(entries__in=base.values("pk")))
        ).order_by("position", "key")
    )
    return lines, base.count()


def _municipalities_prefetch() -> Prefetch[str, QuerySet[Municipality], str]:
    return Prefetch("municipalities", queryset=Municipality.objects.order_by("name_fi"))


# --- One entry --------------------------------------------------------------------------


def entry_detail_queryset() -> QuerySet[Entry]:
    """Everything the entry page shows, in a fixed number of queries."""
    return Entry.objects.select_related("organisation", "owner").prefetch_related(
        Prefetch("service_lines", queryset=ServiceLine.objects.order_by("position", "key")),
        _municipalities_prefetch(),
        _contacts_prefetch(),
        # "Usein kysyttyä", shown by consultations' partial on the page (the reverse
        # accessor by name: the catalogue imports nothing of consultations).
        "faq_items",
    )


def _contacts_prefetch() -> Prefetch[str, QuerySet[Contact], str]:
    return Prefetch(
        "contacts",
        queryset=Contact.objects.prefetch_related(
            Prefetch("municipalities", queryset=Municipality.objects.order_by("name_fi"))
        ).order_by("position", "id"),
    )


def entry_is_available_in(entry: Entry, municipality: Municipality | None) -> bool:
    """True when the entry serves the municipality (or no municipality is chosen)."""
    if municipality is None:
        return True
    codes = {m.code for m in entry.municipalities.all()}
    return not codes or municipality.code in codes


def contact_serves(contact: Contact, municipality: Municipality | None) -> bool:
    """True when one of the contact's municipalities is ``municipality``."""
    return municipality is not None and any(
        m.code == municipality.code for m in contact.municipalities.all()
    )


def contacts_for(entry: Entry, municipality: Municipality | None) -> list[Contact]:
    """The entry's contacts: those serving the chosen municipality first (whichever of
    their municipalities it is), then area-wide ones, then the others. Each carries
    ``serves_chosen`` for the page to mark it."""
    return _ranked(entry.contacts.all(), municipality)


def _ranked(contacts: Iterable[Contact], municipality: Municipality | None) -> list[Contact]:
    def rank(contact: Contact) -> tuple[int, int, int]:
        if contact_serves(contact, municipality):
            group = 0
        elif not contact.municipalities.all():
            group = 1
        else:
            group = 2
        return (group, contact.position, contact.pk)

    ranked = sorted(contacts, key=rank)
    for contact in ranked:
        contact.serves_chosen = contact_serves(contact, municipality)  # type: ignore[attr-defined]
    return ranked


def entry_contacts(
    keys: Iterable[str], *, municipality: Municipality | None
) -> dict[str, list[Contact]]:
    """The contacts of the entries ``keys``, ordered as ``contacts_for``, by entry key:
    the search results' phone numbers, in two queries for the whole page."""
    keys = list(keys)
    if not keys:
        return {}
    contacts = (
        Contact.objects.filter(entry__key__in=keys)
        .annotate(entry_key=F("entry__key"))
        .prefetch_related(
            Prefetch("municipalities", queryset=Municipality.objects.order_by("name_fi"))
        )
    )
    by_key: dict[str, list[Contact]] = {}
    for contact in contacts:
        by_key.setdefault(contact.entry_key, []).append(contact)
    return {key: _ranked(found, municipality) for key, found in by_key.items()}


def open_problem_reports(entry: Entry) -> list[ProblemReport]:
    """Open problem reports about the entry, newest first."""
    return list(
        ProblemReport.objects.filter(entry=entry, status=ProblemReport.Status.OPEN)
        .select_related("reporter")
        .order_by("-created_at", "-id")
    )


# --- Organisations ----------------------------------------------------------------------


def organisation_detail_queryset() -> QuerySet[Organisation]:
    return Organisation.objects.prefetch_related(_municipalities_prefetch())


@dataclass
class OrganisationEntries:
    services: list[Entry] = field(default_factory=list)
    offers: list[Entry] = field(default_factory=list)
    hidden_count: int = 0  # entries not available in the chosen municipality


def organisation_entries(
    organisation: Organisation, *, municipality: Municipality | None = None
) -> OrganisationEntries:
    """The organisation's entries available in the municipality, services and offers apart."""
    everything = (
        Entry.objects.filter(organisation=organisation)
        .select_related("organisation")
        .prefetch_related(_municipalities_prefetch())
        .order_by("title_fi", "key")
    )
    result = OrganisationEntries()
    for entry in everything:
        if not entry_is_available_in(entry, municipality):
            result.hidden_count += 1
        elif entry.kind == Entry.Kind.SERVICE:
            result.services.append(entry)
        else:
            result.offers.append(entry)
    return result


# --- Municipality comparison ------------------------------------------------------------


@dataclass
class ComparisonColumn:
    municipality: Municipality
    entries: list[Entry]


@dataclass
class Comparison:
    area_wide: list[Entry]
    columns: list[ComparisonColumn]

    @property
    def is_empty(self) -> bool:
        return not self.area_wide and not any(c.entries for c in self.columns)


def municipality_comparison(
    *,
    municipalities: Iterable[Municipality],
    line: ServiceLine | None = None,
    target_group: str = "",
    kind: str = "",
) -> Comparison:
    """What each municipality offers for a line and/or target group.

    Area-wide entries are listed once; each column lists the entries tied to that
    municipality (an entry in two municipalities appears in both columns).
    """
    entries = list(
        entry_filter(line=line, target_group=target_group, kind=kind)
        .select_related("organisation")
        .prefetch_related(_municipalities_prefetch())
        .order_by("title_fi", "key")
    )
    entries.sort(key=lambda e: e.kind != Entry.Kind.SERVICE)  # services first, stable
    area_wide = [e for e in entries if not e.municipalities.all()]
    columns = []
    for municipality in municipalities:
        here = [
            e for e in entries if any(m.code == municipality.code for m in e.municipalities.all())
        ]
        columns.append(ComparisonColumn(municipality=municipality, entries=here))
    return Comparison(area_wide=area_wide, columns=columns)


# --- Owners' weekly reminder ------------------------------------------------------


def owners_with_overdue_entries(*, today: datetime.date | None = None) -> list[int]:
    today = today or timezone.localdate()
    return list(
        Entry.objects.filter(overdue_q(today), owner__isnull=False, owner__is_active=True)
        .exclude(owner__email="")
        .values_list("owner", flat=True)
        .distinct()
        .order_by("owner")
    )


def overdue_entries_of(owner: User, *, today: datetime.date | None = None) -> list[Entry]:
    today = today or timezone.localdate()
    return list(
        annotate_review_due(Entry.objects.filter(overdue_q(today), owner=owner), today).order_by(
            "review_due_on", "title_fi"
        )
    )


# --- Editing and upkeep: versions, an owner's entries and reports ----------------------


def entry_versions(entry: Entry) -> list[EntryVersion]:
    """Every saved version of the entry, newest first, with its author."""
    return list(
        EntryVersion.objects.filter(entry=entry).select_related("author").order_by("-number")
    )


def entry_version_before(entry: Entry, number: int) -> EntryVersion | None:
    """The version saved just before ``number`` (numbers may have gaps)."""
    return (
        EntryVersion.objects.filter(entry=entry, number__lt=number)
        .select_related("author")
        .order_by("-number")
        .first()
    )


def entry_version_queryset() -> QuerySet[EntryVersion]:
    """Versions with their author, for looking one up by entry and number."""
    return EntryVersion.objects.select_related("author")


def problem_report_queryset() -> QuerySet[ProblemReport]:
    """Problem reports with their entry, for looking one up by id."""
    return ProblemReport.objects.select_related("entry")


def owned_entries(user: User, *, today: datetime.date) -> list[WithAnnotations[Entry, ReviewDue]]:
    """The user's entries, overdue ones first, then by review due date.

    Each carries ``review_due_on`` (None when never reviewed) and ``review_overdue``.
    """
    return list(
        annotate_review_due(Entry.objects.filter(owner=user), today).order_by(
            "-review_overdue", F("review_due_on").asc(nulls_first=True), "title_fi", "key"
        )
    )


def open_reports_for_owner(user: User) -> list[ProblemReport]:
    """Open problem reports about the user's entries, newest first."""
    return list(
        ProblemReport.objects.filter(entry__owner=user, status=ProblemReport.Status.OPEN)
        .select_related("entry", "reporter")
        .order_by("-created_at", "-id")
    )
