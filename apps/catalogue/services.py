"""Writes to the catalogue: editing with version history, review, problem reports.

Every save of an entry goes through :func:`entry_save`. It refuses personal data,
locks the row, checks the editor's base version (optimistic locking: two editors
who started from the same version cannot overwrite each other), writes the entry
through the interchange format and keeps a snapshot of the result as a new
:class:`EntryVersion`. History is never rewritten: a restore is a new version.
"""

from __future__ import annotations

import contextlib
import datetime
import uuid
import zoneinfo
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, connection, models, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from apps.core.dispatch import enqueue
from apps.core.privacy import ensure_no_personal_data
from apps.notifications.services import notify
from apps.search.services import index_object, index_objects, remove_object

from . import interchange, opening_hours
from .citations import entry_citers
from .diffing import FieldChange, reference_labels, same_text, version_diff
from .interchange import CatalogueFormatError, entry_to_dict
from .models import (
    Contact,
    Entry,
    EntryVersion,
    Municipality,
    Organisation,
    OwnerReminder,
    ProblemReport,
    ServiceLine,
)
from .permissions import can_edit_entry, can_review_entry
from .problems import FieldPath, FormatProblem
from .selectors import SESSION_MUNICIPALITY
from .tasks import notify_problem_report

if TYPE_CHECKING:
    from django.http import HttpRequest

    from apps.accounts.models import User

    from .models import Municipality

HELSINKI = zoneinfo.ZoneInfo("Europe/Helsinki")


def helsinki_today() -> datetime.date:
    return timezone.localdate(timezone=HELSINKI)


def municipality_remember(request: HttpRequest, municipality: Municipality | None) -> None:
    """Store the advisor's municipality in the session (None: all of them).

    Session state, not a catalogue row; ``selectors.current_municipality`` reads it.
    """
    if municipality is None:
        request.session.pop(SESSION_MUNICIPALITY, None)
    else:
        request.session[SESSION_MUNICIPALITY] = municipality.code


class EditConflict(Exception):
    """Someone saved the entry after the editor opened it; nothing was written.

    ``changes`` is what the others changed (the editor's base snapshot → the current
    one), or None when the base snapshot is not in the history. ``versions`` are the
    saves in between, oldest first.
    """

    def __init__(
        self,
        *,
        entry: Entry,
        base_version: int,
        current_version: int,
        changes: list[FieldChange] | None,
        versions: list[EntryVersion],
    ) -> None:
        super().__init__(
            f"entry {entry.pk}: edited from version {base_version}, now {current_version}"
        )
        self.entry = entry
        self.base_version = base_version
        self.current_version = current_version
        self.changes = changes
        self.versions = versions


# --- Entries ----------------------------------------------------------------------------


def entry_free_text(data: Mapping[str, Any], comment: str = "") -> dict[str, str]:
    """Every free-text value of an entry, named like the form fields (``title_sv``,
    ``keywords``, ``contacts.0.hours_fi``) so errors land next to them; the texts are
    those of the interchange's one flattener (``interchange.entry_texts``), named by its
    one mapper (``interchange.entry_form_field``)."""
    texts: dict[str, str] = {"comment": comment}
    for key, text in interchange.entry_texts(data).items():
        field = interchange.entry_form_field(key)
        texts[field] = f"{texts[field]}\n{text}" if field in texts else text
    return texts


def entry_save(
    *,
    entry: Entry | None,
    data: Mapping[str, Any],
    author: User | None,
    base_version: int,
    comment: str = "",
    kind: str | None = None,
) -> Entry:
    """Create (``entry=None``, needs ``kind``) or update an entry and record a version.

    ``data`` is one entry in the interchange shape. ``base_version`` is the version the
    editor started from; if someone has saved since, :class:`EditConflict` is raised and
    nothing is written. ``last_reviewed`` is not edited here (see entry_mark_reviewed).
    The Suomi.fi (PTV) fields of an imported entry (``PTV_OWNED_FIELDS``) are edited in
    PTV: a change to one is refused with a ValidationError naming it, and nothing is
    written (``entry_sync_from_ptv`` is their one writer).
    """
    comment = (comment or "").strip()
    ensure_no_personal_data(entry_free_text(data, comment))
    payload = {k: v for k, v in data.items() if v is not None}
    try:
        return _entry_save(
            entry=entry,
            payload=payload,
            author=author,
            base_version=base_version,
            comment=comment,
            kind=kind,
        )
    except CatalogueFormatError as exc:
        raise format_errors_as_validation_error(exc) from exc


def format_errors_as_validation_error(exc: CatalogueFormatError) -> ValidationError:
    """The format's mistakes in one entry (at ``("entry", "contacts", 0, "label", "fi")``)
    keyed like the form fields (``contacts.0.label_fi``), by their paths."""
    errors: dict[str, list[str]] = {}
    prefix = interchange.ENTRY_PATH
    for problem in exc.problems:
        path = problem.path
        if path[: len(prefix)] == prefix:
            path = path[len(prefix) :]
        errors.setdefault(interchange.entry_form_field(path), []).append(problem.message)
    return ValidationError(errors)


def _entry_save(
    *,
    entry: Entry | None,
    payload: dict[str, Any],
    author: User | None,
    base_version: int,
    comment: str,
    kind: str | None,
) -> Entry:
    if entry is None:
        if not kind:
            raise ValueError("kind is required to create an entry")
        payload["last_reviewed"] = helsinki_today().isoformat()
        try:
            with transaction.atomic():
                saved = entry_apply(None, payload, kind=kind)
                entry_record_version(saved, number=1, author=author, comment=comment)
                return saved
        except IntegrityError as exc:
            # Two people creating the same key at once: the loser is told, not crashed.
            if Entry.objects.filter(key=payload.get("key")).exists():
                raise ValidationError({"key": gettext("Tällä tunnisteella on jo kortti.")}) from exc
            raise

    with transaction.atomic():
        locked = Entry.objects.select_for_update().get(pk=entry.pk)
        if locked.version != base_version:
            raise _conflict(locked, base_version)
        entry_ensure_baseline(locked)
        payload["key"] = locked.key
        before = entry_to_dict(locked)
        payload = keep_unchanged_texts(payload, before)
        payload.pop("last_reviewed", None)
        if locked.last_reviewed is not None:
            payload["last_reviewed"] = locked.last_reviewed.isoformat()
        saved = entry_apply(locked, payload, kind=locked.kind)
        if locked.ptv_id is not None:
            ensure_ptv_fields_unchanged(before, entry_to_dict(saved))  # else rolled back
        entry_record_version(saved, number=base_version + 1, author=author, comment=comment)
        return saved


def keep_unchanged_texts(new: dict[str, Any], old: Mapping[str, Any]) -> dict[str, Any]:
    """``new`` with every text that differs from ``old`` only in line endings or trailing
    whitespace (a browser's CRLF, a form's trimming) put back as it was, so an untouched
    field is no change in the version history."""

    def keep(after: Any, before: Any) -> Any:
        if isinstance(after, str) and isinstance(before, str):
            return before if same_text(before, after) else after
        if isinstance(after, Mapping) and isinstance(before, Mapping):
            return {k: keep(v, before.get(k)) for k, v in after.items()}
        if isinstance(after, list) and isinstance(before, list) and len(after) == len(before):
            return [keep(a, b) for a, b in zip(after, before, strict=True)]
        return after

    return {k: keep(v, old.get(k)) for k, v in new.items()}


def entry_save_with(
    *,
    entry: Entry,
    base_version: int | None,
    author: User | None,
    comment: str,
    write: Callable[[Entry], None],
) -> Entry:
    """Save ``entry`` by ``write`` (Django admin's form and inlines) and record a version.

    The same rules as :func:`entry_save`: an existing entry is locked and refused with
    :class:`EditConflict` when it moved on from ``base_version``; a new one starts as
    reviewed today; a change to a Suomi.fi (PTV) field of an imported entry is refused
    (``ensure_ptv_fields_unchanged``). ``write`` saves the entry and what belongs to it;
    the version and the search index follow in the same transaction.
    """
    with transaction.atomic():
        if entry.pk is not None:
            locked = Entry.objects.select_for_update().get(pk=entry.pk)
            if base_version is None or locked.version != base_version:
                raise _conflict(locked, -1 if base_version is None else base_version)
            entry_ensure_baseline(locked)
            before = entry_to_dict(locked) if locked.ptv_id is not None else None
        else:
            entry.last_reviewed = helsinki_today()
            entry.version = 0
            before = None
        write(entry)
        if before is not None:
            ensure_ptv_fields_unchanged(before, entry_to_dict(entry))  # else rolled back
        entry_record_version(entry, author=author, comment=comment)
    return entry


def entry_record_version(
    entry: Entry,
    *,
    author: User | None,
    comment: str,
    number: int | None = None,
    reindex: bool = True,
) -> EntryVersion:
    """Bump the entry's version (to ``number``, or by one) and keep a snapshot under it.

    The one place versions are written: intranet edits, restores, admin saves and
    imports all come here. The caller holds the entry's row lock (or just created it).
    """
    entry.version = number if number is not None else entry.version + 1
    entry.save(update_fields=["version", "updated_at"])
    version = EntryVersion(
        entry=entry,
        number=entry.version,
        snapshot=entry_to_dict(entry),
        author=author if getattr(author, "pk", None) else None,
        comment=comment[:300],
    )
    version.full_clean()
    version.save()
    if reindex:
        index_object(entry)  # findable as saved, in the same transaction (apps.search)
    return version


def entry_delete(*, entry: Entry) -> None:
    """Delete ``entry`` with everything that belongs to it, in one transaction.

    Its contacts, versions, problem reports, FAQ items and recent views go with it (their
    foreign keys cascade); questions that cited it stay, without it. Contacts in the
    contact log keep the entry's title as their topic (``contacts.services``), and the
    search index forgets it.
    """
    with transaction.atomic():
        locked = Entry.objects.select_for_update().get(pk=entry.pk)
        for citer in entry_citers():
            citer.release(entry=locked)
        remove_object(locked)
        locked.delete()


def entry_ensure_baseline(entry: Entry) -> None:
    """Keep the state before the first tracked save (e.g. an imported entry) as a version."""
    if EntryVersion.objects.filter(entry=entry, number=entry.version).exists():
        return
    EntryVersion.objects.create(
        entry=entry,
        number=entry.version,
        snapshot=entry_to_dict(entry),
        author=None,
        comment=gettext("Lähtötilanne ennen ensimmäistä muokkausta"),
    )


def _conflict(entry: Entry, base_version: int) -> EditConflict:
    versions = list(
        EntryVersion.objects.filter(entry=entry, number__gt=base_version)
        .select_related("author")
        .order_by("number")
    )
    base = EntryVersion.objects.filter(entry=entry, number=base_version).first()
    current = entry_to_dict(entry)
    changes = (
        version_diff(base.snapshot, current, labels=reference_labels())
        if base is not None
        else None
    )
    return EditConflict(
        entry=entry,
        base_version=base_version,
        current_version=entry.version,
        changes=changes,
        versions=versions,
    )


def entry_restore(*, entry: Entry, number: int, author: User | None, base_version: int) -> Entry:
    """Make the content of version ``number`` the entry's content again, as a new version.

    The key and the review date stay as they are now, and so do the Suomi.fi (PTV) fields
    of an imported entry. Raises EntryVersion.DoesNotExist
    for an unknown number and EditConflict if the entry moved on from ``base_version``.
    """
    old = EntryVersion.objects.get(entry=entry, number=number)
    data = dict(old.snapshot)
    data.pop("last_reviewed", None)
    if entry.ptv_id is not None:
        # The Suomi.fi (PTV) fields stay as PTV has them: only the local ones go back.
        current = entry_to_dict(entry)
        data = {k: v for k, v in data.items() if k not in PTV_OWNED_FIELDS}
        data |= {k: v for k, v in current.items() if k in PTV_OWNED_FIELDS}
    return entry_save(
        entry=entry,
        data=data,
        author=author,
        base_version=base_version,
        comment=gettext("Palautettu versio %(number)s") % {"number": number},
    )


def entry_mark_reviewed(*, entry: Entry, user: User) -> Entry:
    """Set the review date to today in Helsinki. Content and version stay as they are."""
    entries_mark_reviewed(entries=Entry.objects.filter(pk=entry.pk), user=user)
    entry.refresh_from_db(fields=["last_reviewed"])
    return entry


def entries_mark_reviewed(*, entries: Iterable[Entry], user: User) -> int:
    """Mark every one of ``entries`` reviewed today (Helsinki), in one update.

    The intranet's button (one entry) and the admin's bulk action (a selection) both
    come here. Refused whole (PermissionDenied) if ``user`` may not review one of them.
    Content and versions stay as they are. Returns how many were marked.
    """
    today = helsinki_today()
    with transaction.atomic():
        locked = list(
            Entry.objects.select_for_update().filter(pk__in=[e.pk for e in entries]).order_by("pk")
        )
        for entry in locked:
            if not can_review_entry(user, entry):
                raise PermissionDenied
        if not locked:
            return 0
        locked[0].last_reviewed = today
        locked[0].clean_fields(
            exclude=[f.name for f in Entry._meta.concrete_fields if f.name != "last_reviewed"]
        )
        return Entry.objects.filter(pk__in=[e.pk for e in locked]).update(
            last_reviewed=today, ptv_changed_at=None
        )


# --- Organisations ------------------------------------------------------------------------


def organisation_reindex_entries(
    *, organisations: Iterable[Organisation], already_indexed: Iterable[int] = ()
) -> None:
    """An organisation's name is part of its entries' search documents: after a change to
    ``organisations`` (the admin's save, an import) their entries are indexed again, but
    those in ``already_indexed`` (entry ids)."""
    index_objects(
        Entry.objects.filter(organisation__in=list(organisations)).exclude(
            pk__in=list(already_indexed)
        )
    )


# --- Import (the interchange format parses and checks; the writes are here) ----------------

_IMPORT_LOCK_ID = 0x736F7465_01  # pg_advisory_xact_lock key of import_catalogue ("sote", 1)


def _ptv_import_errors(entry: Entry, item: dict[str, Any], path: FieldPath) -> list[FormatProblem]:
    """The PTV fields an imported file would change on an entry from Suomi.fi, as format
    problems (``services[3].title.sv: …``)."""
    changed = ptv_owned_changes(
        interchange.entry_to_dict(entry), interchange.canonical_entry(item, kind=entry.kind)
    )
    return [
        FormatProblem((*path, *where), "edited in Suomi.fi (PTV), not here") for where in changed
    ]


def _owner(username: str | None) -> tuple[Any, bool]:
    """The staff member ``username``; unknown ones are created inactive, unable to log in."""
    if not username:
        return None, False
    User = get_user_model()
    user, created = User._default_manager.get_or_create(
        username=username, defaults={"is_active": False}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user, created


def _resolve(
    model: type[models.Model], name: str, values: list[str], path: FieldPath, what: str
) -> list[Any]:
    found = {getattr(o, name): o for o in model._default_manager.filter(**{f"{name}__in": values})}
    missing = [
        FormatProblem((*path, i), f"unknown {what} {v!r}")
        for i, v in enumerate(values)
        if v not in found
    ]
    if missing:
        raise interchange.CatalogueFormatError(missing)
    return [found[v] for v in values]


def entry_apply(
    entry: Entry | None,
    data: dict[str, Any],
    *,
    kind: str | None = None,
    path: FieldPath = interchange.ENTRY_PATH,
) -> Entry:
    """Write one entry object (format as in ``entry_to_dict``) onto ``entry``, or create one.

    The caller holds the row lock (``select_for_update``) for an existing entry. Contacts
    are replaced by the object's list; the version number is left to the caller.
    """
    kind = kind or (entry.kind if entry is not None else None)
    if kind is None or kind not in interchange.ENTRY_SECTIONS.values():
        raise ValueError(f"unknown entry kind {kind!r}")
    interchange.validate_entry(data, kind=kind, path=path)
    return _apply(entry, data, kind=kind, path=path)


def _apply(entry: Entry | None, data: dict[str, Any], *, kind: str, path: FieldPath) -> Entry:
    """``entry_apply`` for data that has already been validated."""
    with transaction.atomic():
        lines = _resolve(
            ServiceLine,
            "key",
            list(data.get("service_lines") or []),
            (*path, "service_lines"),
            "service line",
        )
        municipalities = _resolve(
            Municipality,
            "code",
            list(data.get("municipalities") or []),
            (*path, "municipalities"),
            "municipality",
        )
        organisation = None
        if data.get("organisation"):
            organisation = _resolve(
                Organisation, "key", [data["organisation"]], (*path, "organisation"), "organisation"
            )[0]
        contact_codes = [interchange.contact_municipalities(c) for c in data.get("contacts") or []]
        contact_municipalities = {
            m.code: m
            for m in Municipality.objects.filter(code__in={c for cs in contact_codes for c in cs})
        }
        owner, _ = _owner(data.get("owner"))

        if entry is None:
            entry = Entry()
        entry.kind = kind
        entry.key = data["key"]
        for name in interchange.ENTRY_LOCALISED:
            interchange.set_loc(entry, name, data.get(name))
        entry.organisation = organisation
        for name in interchange.ENTRY_LISTS:
            setattr(entry, name, list(data.get(name) or []))
        entry.owner = owner
        entry.review_interval_days = data.get("review_interval_days")
        entry.last_reviewed = interchange.parse_date(data.get("last_reviewed"))
        interchange.clean_as_format(entry, path, exclude=["version"])
        entry.save()
        entry.service_lines.set(lines)
        entry.municipalities.set(municipalities)

        Contact.objects.filter(entry=entry).delete()
        contacts = []
        for i, c in enumerate(data.get("contacts") or []):
            contact = Contact(
                entry=entry,
                position=i,
                phone=c.get("phone") or "",
                email=c.get("email") or "",
                address=c.get("address") or "",
                opening_hours=opening_hours.canonical(c.get("opening_hours")),
            )
            for code in contact_codes[i]:
                if code not in contact_municipalities:
                    raise interchange.CatalogueFormatError(
                        FormatProblem(
                            (*path, "contacts", i, "municipalities"),
                            f"unknown municipality {code!r}",
                        )
                    )
            for name in interchange.CONTACT_LOCALISED:
                interchange.set_loc(contact, name, c.get(name))
            interchange.clean_as_format(contact, (*path, "contacts", i), exclude=["entry"])
            contacts.append(contact)
        Contact.objects.bulk_create(contacts)
        Through: type[models.Model] = Contact.municipalities.through
        Through._default_manager.bulk_create(
            [
                Through(contact_id=contact.pk, municipality_id=code)
                for contact, codes in zip(contacts, contact_codes, strict=True)
                for code in codes
            ]
        )
        getattr(entry, "_prefetched_objects_cache", {}).pop("contacts", None)
    return entry


def import_catalogue(data: Any) -> interchange.ImportSummary:
    """Validate the whole file, then upsert it in one transaction. Refused files write nothing.

    Imports run one at a time (a transaction-level advisory lock): a second import of the
    same new keys waits for the first and then finds them unchanged, instead of failing on
    the unique constraints halfway through. A file that would change a Suomi.fi (PTV) field
    of an entry imported from PTV is refused, naming the entry and the field.
    """
    summary = interchange.ImportSummary()
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_IMPORT_LOCK_ID])
        interchange.validate(data)
        sections = interchange.sections(data)

        # Municipalities
        wanted = sections["municipalities"]
        existing_m = {
            m.code: m
            for m in Municipality.objects.select_for_update()
            .filter(code__in=[m["code"] for m in wanted])
            .order_by("code")
        }
        for i, item in enumerate(wanted):
            m = existing_m.get(item["code"])
            counts = summary.counts["municipalities"]
            if m is not None and interchange.municipality_to_dict(
                m
            ) == interchange.canonical_municipality(item):
                counts.unchanged += 1
                continue
            if m is None:
                m = Municipality(code=item["code"])
                counts.created += 1
            else:
                counts.updated += 1
            interchange.set_loc(m, "name", item["name"])
            interchange.clean_as_format(m, ("municipalities", i))
            m.save()

        # Service lines
        wanted = sections["service_lines"]
        existing_l = {
            line.key: line
            for line in ServiceLine.objects.select_for_update()
            .filter(key__in=[s["key"] for s in wanted])
            .order_by("key")
        }
        next_position = (ServiceLine.objects.aggregate(p=models.Max("position"))["p"] or 0) + 1
        for i, item in enumerate(wanted):
            line = existing_l.get(item["key"])
            counts = summary.counts["service_lines"]
            if line is not None and interchange.service_line_to_dict(
                line
            ) == interchange.canonical_service_line(item):
                counts.unchanged += 1
                continue
            if line is None:
                line = ServiceLine(key=item["key"], position=next_position)
                next_position += 1
                counts.created += 1
            else:
                counts.updated += 1
            interchange.set_loc(line, "name", item["name"])
            interchange.clean_as_format(line, ("service_lines", i))
            line.save()

        # Organisations (entries of an updated one are re-indexed: its name is searchable)
        updated_orgs: list[Organisation] = []
        wanted = sections["organisations"]
        existing_o = {
            o.key: o
            for o in Organisation.objects.select_for_update()
            .filter(key__in=[o["key"] for o in wanted])
            .order_by("key")
            .prefetch_related("municipalities")
        }
        for i, item in enumerate(wanted):
            org = existing_o.get(item["key"])
            counts = summary.counts["organisations"]
            if org is not None and interchange.organisation_to_dict(
                org
            ) == interchange.canonical_organisation(item):
                counts.unchanged += 1
                continue
            if org is None:
                org = Organisation(key=item["key"])
                counts.created += 1
            else:
                counts.updated += 1
                updated_orgs.append(org)
            interchange.set_loc(org, "name", item["name"])
            org.kind = item["kind"]
            org.website = item.get("website") or ""
            org.phone = item.get("phone") or ""
            org.email = item.get("email") or ""
            interchange.clean_as_format(org, ("organisations", i))
            org.save()
            org.municipalities.set(
                _resolve(
                    Municipality,
                    "code",
                    list(item.get("municipalities") or []),
                    ("organisations", i, "municipalities"),
                    "municipality",
                )
            )

        # Owners that do not exist yet become inactive users.
        for section in interchange.ENTRY_SECTIONS:
            for item in sections[section]:
                _, created = _owner(item.get("owner"))
                if created:
                    summary.users_created.append(item["owner"])

        # Services and offers
        touched: list[Entry] = []
        keys = [item["key"] for s in interchange.ENTRY_SECTIONS for item in sections[s]]
        existing_e = {
            e.key: e
            for e in Entry.objects.select_for_update(of=("self",))
            .filter(key__in=keys)
            .order_by("key")
            .select_related("organisation", "owner")
            .prefetch_related("service_lines", "municipalities", "contacts__municipalities")
        }
        ptv_errors: list[FormatProblem] = []
        for section, kind in interchange.ENTRY_SECTIONS.items():
            counts = summary.counts[section]
            for i, item in enumerate(sections[section]):
                entry = existing_e.get(item["key"])
                if (
                    entry is not None
                    and entry.kind == kind
                    and interchange.entry_to_dict(entry)
                    == interchange.canonical_entry(item, kind=kind)
                ):
                    counts.unchanged += 1
                    continue
                if entry is not None and entry.ptv_id is not None:
                    # An entry imported from Suomi.fi: its PTV fields are edited in PTV.
                    refused = _ptv_import_errors(entry, item, (section, i))
                    if refused:
                        ptv_errors += refused
                        continue
                if entry is None:
                    counts.created += 1
                else:
                    counts.updated += 1
                entry = _apply(entry, item, kind=kind, path=(section, i))
                entry_record_version(entry, author=None, comment="tuonti", reindex=False)
                touched.append(entry)
        if ptv_errors:
            raise interchange.CatalogueFormatError(ptv_errors)  # rolls the whole file back
        index_objects(touched)  # the search index changes with the catalogue (apps.search)
        organisation_reindex_entries(
            organisations=updated_orgs, already_indexed={e.pk for e in touched}
        )
    return summary


# --- Problem reports ----------------------------------------------------------------------


def problem_report_create(
    *, entry: Entry, reporter: User, what_is_wrong: str, what_tried: str = ""
) -> ProblemReport:
    """'Ilmoita virheestä': store the report and tell the owner once it is committed."""
    what_is_wrong = (what_is_wrong or "").strip()
    what_tried = (what_tried or "").strip()
    ensure_no_personal_data({"what_is_wrong": what_is_wrong, "what_tried": what_tried})
    with transaction.atomic():
        report = ProblemReport(
            entry=entry, reporter=reporter, what_is_wrong=what_is_wrong, what_tried=what_tried
        )
        report.full_clean()
        report.save()
        # In the inbox at once; the e-mail (which must reach an owner even with the
        # inbox e-mails turned off) goes through its own task.
        notify(
            recipients=problem_report_recipients(report=report),
            verb="problem_report",
            text=gettext("Virheilmoitus kortista: %(title)s") % {"title": entry.title},
            url=entry.get_absolute_url(),
            actor=reporter,
            email=False,
            dedupe_key=f"problem_report:{report.pk}",
        )
        enqueue(notify_problem_report, report.pk)
    return report


def problem_report_resolve(*, report: ProblemReport, user: User) -> ProblemReport:
    """Mark a report handled. Only those who may edit the entry; doing it twice is fine."""
    with transaction.atomic():
        locked = (
            ProblemReport.objects.select_for_update(of=("self",))
            .select_related("entry")
            .get(pk=report.pk)
        )
        if not can_edit_entry(user, locked.entry):
            raise PermissionDenied
        if locked.status == ProblemReport.Status.RESOLVED:
            return locked
        locked.status = ProblemReport.Status.RESOLVED
        locked.resolved_by = user
        locked.resolved_at = timezone.now()
        locked.full_clean()
        locked.save(update_fields=["status", "resolved_by", "resolved_at", "updated_at"])
    return locked


def problem_report_recipients(*, report: ProblemReport) -> list[Any]:
    """Who is told about a report: the entry's owner, or when it has no owner with an
    e-mail address, everyone who may edit the catalogue (falling back to superusers).

    Kept apart from the sending so an in-app inbox can reuse it.
    """
    owner = report.entry.owner
    if owner is not None and owner.is_active and owner.email:
        return [owner]
    User = get_user_model()
    editors = list(
        User.objects.with_perm(
            "catalogue.change_entry",
            include_superusers=False,
            backend="django.contrib.auth.backends.ModelBackend",  # several are configured
        )
        .filter(is_active=True)
        .exclude(email="")
        .order_by("username")
    )
    if editors:
        return editors
    return list(
        User.objects.filter(is_superuser=True, is_active=True)
        .exclude(email="")
        .order_by("username")
    )


def problem_report_notify(*, report_id: int) -> int:
    """E-mail the recipients about a new report, once. Returns how many were sent.

    The mail names the entry and links to it; the report's text stays in the intranet.
    """
    with transaction.atomic():
        report = (
            ProblemReport.objects.select_for_update(of=("self",))
            .select_related("entry", "entry__owner")
            .filter(pk=report_id)
            .first()
        )
        if report is None or report.notified_at is not None:
            return 0
        recipients = problem_report_recipients(report=report)
        messages = _problem_report_messages(report, recipients)
        if messages:
            with get_connection() as connection:
                connection.send_messages(messages)
        report.notified_at = timezone.now()
        report.save(update_fields=["notified_at"])
    return len(messages)


def _problem_report_messages(
    report: ProblemReport, recipients: Iterable[Any]
) -> list[EmailMessage]:
    site = settings.NEUVOKAS_SITE_URL.rstrip("/")
    with translation.override(settings.LANGUAGE_CODE):
        url = site + reverse("catalogue:entry", args=[report.entry.key])
        messages = []
        for user in recipients:
            context = {
                "entry_title": report.entry.title_fi,
                "url": url,
                "is_owner": user.pk == report.entry.owner_id,
                "reported_on": timezone.localtime(report.created_at, HELSINKI).date(),
            }
            subject = render_to_string("emails/problem_report_subject.txt", context)
            body = render_to_string("emails/problem_report_body.txt", context)
            messages.append(
                EmailMessage(subject=" ".join(subject.split()), body=body, to=[user.email])
            )
    return messages


# --- Owners' weekly reminder ------------------------------------------------------


def owner_remind(
    *, owner_id: int, week_start: datetime.date, today: datetime.date | None = None
) -> bool:
    """The weekly e-mail listing one owner's overdue entries; at most once a week."""
    from apps.accounts.models import User

    from .selectors import overdue_entries_of

    with transaction.atomic():
        owner = User.objects.filter(pk=owner_id, is_active=True).exclude(email="").first()
        if owner is None:
            return False
        if OwnerReminder.objects.filter(owner=owner, week_start=week_start).exists():
            return False
        entries = overdue_entries_of(owner, today=today)
        if not entries:
            return False
        _reminder, created = OwnerReminder.objects.get_or_create(
            owner=owner, week_start=week_start, defaults={"entry_count": len(entries)}
        )
        if not created:
            return False
        base = settings.NEUVOKAS_SITE_URL.rstrip("/")
        with translation.override(settings.LANGUAGE_CODE):
            context = {
                "owner": owner,
                "entries": entries,
                "base_url": base,
                "my_entries_url": base + reverse("catalogue:my_entries"),
            }
            subject = " ".join(
                render_to_string("catalogue/owner_reminder_subject.txt", context).split()
            )
            body = render_to_string("catalogue/owner_reminder_body.txt", context)
        # Inside the transaction: if sending fails the reminder row goes too, and the
        # retried task sends again.
        EmailMessage(subject=subject, body=body, to=[owner.email]).send()
    return True


# --- Suomi.fi (PTV) sync (apps.catalogue.ptv maps the records; the writes are here) ----------

# The entry fields a PTV sync writes: for an imported entry they are edited in PTV, never in
# the intranet (``ensure_ptv_fields_unchanged``). The others (key, service lines, target
# groups, keywords, owner, review dates) and what hangs off the entry (FAQ) are local.
PTV_OWNED_FIELDS = (
    "title",
    "summary",
    "body",
    "eligibility",
    "how_to_apply",
    "fees",
    "municipalities",
    "organisation",
    "contacts",
    "legal_basis",
)


def ptv_owned_changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[FieldPath]:
    """The PTV-owned fields that differ between two entry objects, as paths in the entry
    (``("title", "sv")``, ``("municipalities",)``, ``("contacts",)``)."""
    changed: list[FieldPath] = []
    for name in PTV_OWNED_FIELDS:
        old, new = before.get(name), after.get(name)
        if old == new:
            continue
        if name in interchange.ENTRY_LOCALISED:
            old, new = old or {}, new or {}
            changed += [
                (name, lang) for lang in interchange.LANGUAGES if old.get(lang) != new.get(lang)
            ]
        else:
            changed.append((name,))
    return changed


def ensure_ptv_fields_unchanged(before: Mapping[str, Any], after: Mapping[str, Any]) -> None:
    """Refuse (ValidationError, one message per form field, named by
    ``interchange.entry_form_field``) an intranet or admin edit that changes a Suomi.fi
    (PTV) field of an imported entry: those are edited in PTV."""
    changed = ptv_owned_changes(before, after)
    if not changed:
        return
    raise ValidationError(
        {
            interchange.entry_form_field(path): ValidationError(
                gettext(
                    "”%(field)s” tulee Suomi.fi:stä: muuta se palvelutietovarannossa (PTV), "
                    "ei intranetissä."
                ),
                code="ptv_owned",
                params={"field": _ptv_field_label(path)},
            )
            for path in changed
        }
    )


def _ptv_field_label(path: FieldPath) -> str:
    name = str(path[0])
    if len(path) == 2:
        return f"{_entry_field_label(name)} ({path[1]})"
    if name == "contacts":
        return gettext("yhteystiedot")
    return _entry_field_label(name)


def _entry_field_label(name: str) -> str:
    field = Entry._meta.get_field(name)
    return str(getattr(field, "verbose_name", name))


def entry_sync_from_ptv(
    *,
    ptv_id: uuid.UUID,
    data: Mapping[str, Any],
    status: str,
    modified: datetime.datetime | None,
    service_line: str,
) -> str:
    """Create or update the entry of PTV service ``ptv_id`` from ``data`` (its PTV fields
    in the interchange shape), in one transaction. Returns what happened: ``created``,
    ``updated`` (a new version with the change), ``marked`` (only its PTV status or time
    changed: no new version), ``unchanged`` or ``skipped`` (not published and not here).

    Only ``PTV_OWNED_FIELDS`` come from PTV; the entry's local fields stay as they are.
    A new entry is a service filed under ``service_line``, keyed ``ptv-<id>``. Raises
    ValidationError (nothing written) when the data breaks the format or holds personal
    data.
    """
    payload = {name: data[name] for name in PTV_OWNED_FIELDS if name in data}
    ensure_no_personal_data(entry_free_text(payload))
    comment = gettext("Päivitetty Suomi.fi:stä")
    try:
        with transaction.atomic():
            entry = Entry.objects.select_for_update(of=("self",)).filter(ptv_id=ptv_id).first()
            if entry is None:
                if status != Entry.PtvStatus.PUBLISHED:
                    return "skipped"
                payload |= {
                    "key": f"ptv-{ptv_id}",
                    "service_lines": [service_line],
                    "last_reviewed": helsinki_today().isoformat(),
                }
                created = entry_apply(None, payload, kind=Entry.Kind.SERVICE)
                _ptv_source_set(created, ptv_id=ptv_id, status=status, modified=modified)
                entry_record_version(
                    created, number=1, author=None, comment=gettext("Tuotu Suomi.fi:stä")
                )
                return "created"
            current = entry_to_dict(entry)
            # A PTV field the data does not carry (the organisation when its record could
            # not be read) stays as it is.
            merged = {k: v for k, v in current.items() if k not in payload}
            merged |= payload
            if interchange.canonical_entry(merged, kind=entry.kind) == current:
                if (entry.ptv_status, entry.ptv_modified) == (status, modified):
                    return "unchanged"
                _ptv_source_set(entry, ptv_id=ptv_id, status=status, modified=modified)
                return "marked"
            entry_ensure_baseline(entry)
            saved = entry_apply(entry, merged, kind=entry.kind)
            _ptv_source_set(saved, ptv_id=ptv_id, status=status, modified=modified)
            version = entry_record_version(saved, author=None, comment=comment)
            _ptv_changed(saved, version)
            return "updated"
    except CatalogueFormatError as exc:
        raise format_errors_as_validation_error(exc) from exc


def organisation_sync_from_ptv(
    *, ptv_id: uuid.UUID, name: Mapping[str, str], kind: str
) -> tuple[Organisation, str]:
    """Create or update the catalogue organisation of PTV organisation ``ptv_id`` (keyed
    ``ptv-<id>``) with its name from PTV (fi/sv/en), in one transaction. Returns it and
    what happened: ``created``, ``updated`` or ``unchanged`` (a second run).

    Only the name comes from PTV; ``kind`` is set on creation and then left to the admin,
    as are the organisation's municipalities and contact details. The entries of a
    renamed organisation are indexed again (its name is part of their search documents).
    Raises ValidationError (nothing written) for a name the format refuses.
    """
    key = f"ptv-{ptv_id}"
    texts = {f"name_{lang}": text for lang, text in name.items()}
    ensure_no_personal_data(texts)
    try:
        with transaction.atomic():
            org = Organisation.objects.select_for_update().filter(key=key).first()
            if org is not None:
                current = interchange.organisation_to_dict(org)
                if current == interchange.canonical_organisation(current | {"name": name}):
                    return org, "unchanged"
                outcome = "updated"
            else:
                org = Organisation(key=key, kind=kind)
                outcome = "created"
            interchange.set_loc(org, "name", dict(name))
            interchange.clean_as_format(org, ("organisation",))
            org.save()
            if outcome == "updated":
                organisation_reindex_entries(organisations=[org])
            return org, outcome
    except CatalogueFormatError as exc:
        raise format_errors_as_validation_error(exc) from exc


def _ptv_source_set(
    entry: Entry, *, ptv_id: uuid.UUID, status: str, modified: datetime.datetime | None
) -> None:
    entry.ptv_id = ptv_id
    entry.ptv_status = status
    entry.ptv_modified = modified
    entry.full_clean(validate_unique=False, validate_constraints=False)
    entry.save(update_fields=["ptv_id", "ptv_status", "ptv_modified", "updated_at"])


def _ptv_changed(entry: Entry, version: EntryVersion) -> None:
    """Mark the entry "muuttunut Suomi.fi:ssä" and put a "check this" task in its owner's
    inbox (or the content editors'), linking to the version with the diff."""
    entry.ptv_changed_at = timezone.now()
    entry.save(update_fields=["ptv_changed_at"])
    notify(
        recipients=_owner_or_editors(entry),
        verb="ptv_changed",
        text=gettext("Muuttunut Suomi.fi:ssä, tarkista: %(title)s") % {"title": entry.title_fi},
        url=reverse("catalogue:entry_version", args=[entry.key, version.number]),
        dedupe_key=f"ptv_changed:{entry.pk}:{version.number}",
    )


def _owner_or_editors(entry: Entry) -> list[Any]:
    owner = entry.owner
    if owner is not None and owner.is_active:
        return [owner]
    User = get_user_model()
    return list(
        User.objects.with_perm(
            "catalogue.change_entry",
            include_superusers=False,
            backend="django.contrib.auth.backends.ModelBackend",  # several are configured
        )
        .filter(is_active=True)
        .order_by("username")
    )


def entries_mark_removed_from_ptv(*, seen: Iterable[uuid.UUID]) -> int:
    """Every PTV-sourced entry not in ``seen`` (a complete run's services) is marked
    removed in PTV: kept, not deleted, for its owner to decide. Returns how many."""
    with transaction.atomic():
        gone = (
            Entry.objects.select_for_update()
            .filter(ptv_id__isnull=False)
            .exclude(ptv_id__in=list(seen))
            .exclude(ptv_status=Entry.PtvStatus.REMOVED)
            .order_by("pk")
        )
        ids = [e.pk for e in gone]
        return Entry.objects.filter(pk__in=ids).update(
            ptv_status=Entry.PtvStatus.REMOVED, updated_at=timezone.now()
        )


_PTV_LOCK_ID = 0x736F7465_02  # pg_advisory_lock key of the PTV sync ("sote", 2)


@contextlib.contextmanager
def ptv_sync_lock() -> Iterator[bool]:
    """One PTV sync at a time (a session-level advisory lock: the run writes each entry
    in its own transaction). Yields False, holding nothing, when another run has it."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [_PTV_LOCK_ID])
        acquired = bool(cursor.fetchone()[0])
    try:
        yield acquired
    finally:
        if acquired:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [_PTV_LOCK_ID])
