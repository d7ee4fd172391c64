"""The catalogue interchange format ``sote-catalogue/1`` (docs/catalogue-format.md).

``validate`` checks a whole file and names the entry and field of every mistake
(``services[12].title.fi: missing``); ``clean_as_format`` checks one model object the
same way. This module only reads and writes the format: the database is written by
``services`` (``import_catalogue``, ``entry_apply``), which import this module and not
the other way round.
``export_catalogue`` writes the whole catalogue back, deterministically, so that
export → import → export gives the same file.

One entry object in the format is also the unit of the version history: a version
snapshot is ``entry_to_dict(entry)`` and restoring one is
``services.entry_apply(entry, snapshot)``.
"""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.validators import UnicodeUsernameValidator
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import models

from apps.core import limits
from apps.core.privacy import ensure_no_personal_data

from . import opening_hours
from .models import Contact, Entry, Municipality, Organisation, ServiceLine
from .problems import FieldPath, FormatProblem, path_text

FORMAT = "sote-catalogue/1"
LANGUAGES = ("fi", "sv", "en")
SECTIONS = ("municipalities", "service_lines", "organisations", "services", "offers")
ENTRY_SECTIONS = {"services": Entry.Kind.SERVICE, "offers": Entry.Kind.OFFER}
SECTION_OF_KIND: dict[str, str] = {kind: section for section, kind in ENTRY_SECTIONS.items()}

# Field order in exported objects follows the spec.
MUNICIPALITY_FIELDS = ("code", "name")
SERVICE_LINE_FIELDS = ("key", "name")
ORGANISATION_FIELDS = ("key", "name", "kind", "municipalities", "website", "phone", "email")
ENTRY_LOCALISED = ("title", "summary", "body", "eligibility", "how_to_apply", "fees")
ENTRY_LISTS = ("target_groups", "keywords", "legal_basis")
ENTRY_FIELDS = (
    "key",
    "title",
    "summary",
    "body",
    "eligibility",
    "how_to_apply",
    "fees",
    "service_lines",
    "municipalities",
    "organisation",
    "target_groups",
    "keywords",
    "contacts",
    "legal_basis",
    "owner",
    "review_interval_days",
    "last_reviewed",
)
CONTACT_FIELDS = ("label", "phone", "email", "address", "hours", "opening_hours", "municipalities")
# Accepted on import for files in the earlier shape (one municipality); never exported.
CONTACT_LEGACY_FIELDS = ("municipality",)
CONTACT_LOCALISED = ("label", "hours")
CONTACT_PLAIN = ("phone", "email", "address")

_KEY_RE = re.compile(r"[a-z0-9-]{1,100}")
_CODE_RE = re.compile(r"[0-9]{3}")
_DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_SURROGATE_RE = re.compile("[\ud800-\udfff]")
_MAX_INT = 2_147_483_647
_MAX_ERRORS = 50
# Where one entry's mistakes are when it is checked alone (the editing form, PTV).
ENTRY_PATH: FieldPath = ("entry",)


class CatalogueFormatError(ValueError):
    """A file (or one entry) that breaks the format; ``problems`` lists every mistake with
    its path as data, ``errors`` the same as text (``services[12].title.fi: missing``)."""

    def __init__(self, problems: Iterable[FormatProblem] | FormatProblem) -> None:
        self.problems = [problems] if isinstance(problems, FormatProblem) else list(problems)
        shown = self.errors[:_MAX_ERRORS]
        more = len(self.problems) - len(shown)
        message = "\n".join(shown) + (f"\n… and {more} more" if more > 0 else "")
        super().__init__(message)

    @property
    def errors(self) -> list[str]:
        return [str(problem) for problem in self.problems]


class CatalogueSyntaxError(CatalogueFormatError):
    """A file that is not JSON at all; ``line``/``column`` say where the parser stopped."""

    def __init__(self, message: str, *, line: int, column: int) -> None:
        self.message, self.line, self.column = message, line, column
        super().__init__(
            FormatProblem((), f"not valid JSON: line {line}, column {column}: {message}")
        )


# --- Reading a file ------------------------------------------------------------------------


def loads(text: str | bytes) -> Any:
    """Parse the text of a catalogue file: the one JSON loader of every import path.

    Stricter than ``json.loads``: a key twice in one object (where ``json`` silently keeps
    the last value) is a format error naming the object (``services[12].title: duplicate
    key "fi"``), and every other way the text can be broken (not UTF-8, not JSON, nested
    beyond the parser's limit, an integer of thousands of digits) is a
    ``CatalogueFormatError`` too, never another exception.
    """
    if isinstance(text, bytes | bytearray):
        try:
            text = bytes(text).decode("utf-8")
        except UnicodeDecodeError as exc:
            raise CatalogueFormatError(
                FormatProblem((), f"not UTF-8 text (byte {exc.start})")
            ) from exc
    duplicates: dict[int, tuple[dict[str, Any], list[str]]] = {}

    def object_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        obj: dict[str, Any] = {}
        for name, value in pairs:
            if name in obj:
                duplicates.setdefault(id(obj), (obj, []))[1].append(name)
            obj[name] = value
        return obj

    try:
        data = json.loads(text, object_pairs_hook=object_pairs)
    except json.JSONDecodeError as exc:
        raise CatalogueSyntaxError(exc.msg, line=exc.lineno, column=exc.colno) from exc
    except (ValueError, RecursionError) as exc:  # too-long integer, nesting beyond the limit
        raise CatalogueFormatError(FormatProblem((), f"not valid JSON: {exc}")) from exc
    if duplicates:
        raise CatalogueFormatError(_duplicate_errors(data, duplicates))
    return data


def _duplicate_errors(
    data: Any, duplicates: dict[int, tuple[dict[str, Any], list[str]]]
) -> list[FormatProblem]:
    """Name each object with a duplicate key by its path, an object before its contents.

    An object inside a value that a later duplicate replaced is no longer in the data;
    the duplicate that replaced it is reported instead. Walks without recursion: the data
    may be nested as deep as the parser allows.
    """
    errors: list[FormatProblem] = []
    stack: list[tuple[Any, FieldPath]] = [(data, ())]
    while stack:
        node, path = stack.pop()
        children: list[tuple[Any, FieldPath]]
        if isinstance(node, dict):
            found = duplicates.get(id(node))
            if found is not None and found[0] is node:
                errors += [
                    FormatProblem(path, f"duplicate key {json.dumps(name, ensure_ascii=False)}")
                    for name in found[1]
                ]
            children = [(v, (*path, k)) for k, v in node.items()]
        elif isinstance(node, list):
            children = [(v, (*path, i)) for i, v in enumerate(node)]
        else:
            continue
        stack.extend(reversed(children))
    return errors


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class ImportSummary:
    counts: dict[str, Counts] = field(default_factory=lambda: {s: Counts() for s in SECTIONS})
    users_created: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [
            f"{section}: {c.created} created, {c.updated} updated, {c.unchanged} unchanged"
            for section, c in self.counts.items()
        ]
        if self.users_created:
            out.append(
                f"users created (inactive): {len(self.users_created)} "
                f"({', '.join(self.users_created)})"
            )
        return out

    def __str__(self) -> str:
        return "\n".join(self.lines())


# --- Validation ----------------------------------------------------------------------------


def _max_length(model: type[models.Model], name: str) -> int:
    return model._meta.get_field(name).max_length or 1_000_000  # type: ignore[union-attr]


class _Checker:
    """Walks a file (or one entry) and records every mistake with its path."""

    def __init__(self, *, lookup: Callable[[str, str], bool]) -> None:
        self.problems: list[FormatProblem] = []
        # lookup(what, value) -> known? ; what is "municipality"/"service line"/"organisation"
        self._lookup = lookup

    def error(self, path: FieldPath, message: str) -> None:
        self.problems.append(FormatProblem(path, message))

    # Primitive shapes. Each returns True when the value is usable for deeper checks.

    def obj(self, value: Any, path: FieldPath, allowed: Iterable[str]) -> bool:
        if not isinstance(value, dict):
            self.error(path, "expected an object")
            return False
        allowed = set(allowed)
        for name in value:
            if name not in allowed:
                self.error((*path, name), "unknown field")
        return True

    def string(
        self,
        value: Any,
        path: FieldPath,
        *,
        max_length: int,
        required: bool = False,
        pattern: re.Pattern[str] | None = None,
        what: str = "",
    ) -> bool:
        if not isinstance(value, str):
            self.error(path, "expected a string")
            return False
        if "\x00" in value:  # valid JSON ("\u0000"), but PostgreSQL cannot store it
            self.error(path, "contains a NUL character")
            return False
        if _SURROGATE_RE.search(value):  # valid JSON ("\ud800"), but not UTF-8 text
            self.error(path, "contains a lone surrogate (not a character)")
            return False
        if required and not value.strip():
            self.error(path, "must not be empty")
            return False
        if len(value) > max_length:
            self.error(path, f"longer than {max_length} characters")
            return False
        if pattern is not None and not pattern.fullmatch(value):
            self.error(path, f"invalid {what} {value!r}")
            return False
        return True

    def localised(
        self,
        container: dict[str, Any],
        name: str,
        path: FieldPath,
        *,
        required: bool,
        max_length: int,
    ) -> None:
        path = (*path, name)
        value = container.get(name)
        if value is None:
            if required:
                self.error(path, "missing")
            return
        if not isinstance(value, dict):
            self.error(path, "expected an object from language code to text")
            return
        for lang, text in value.items():
            if lang not in LANGUAGES:
                self.error((*path, lang), "unknown language")
                continue
            if text is not None:
                self.string(text, (*path, lang), max_length=max_length)
        if required:
            fi = value.get("fi")
            if fi is None:
                self.error((*path, "fi"), "missing")
            elif isinstance(fi, str) and not fi.strip():
                self.error((*path, "fi"), "must not be empty")

    def optional_string(
        self,
        container: dict[str, Any],
        name: str,
        path: FieldPath,
        *,
        max_length: int,
        validator: Callable[[str], None] | None = None,
        what: str = "",
    ) -> None:
        value = container.get(name)
        if value is None:
            return
        if self.string(value, (*path, name), max_length=max_length) and value and validator:
            try:
                validator(value)
            except ValidationError:
                self.error((*path, name), f"invalid {what} {value!r}")

    def string_list(
        self,
        container: dict[str, Any],
        name: str,
        path: FieldPath,
        *,
        max_length: int,
        max_items: int,
    ) -> None:
        value = container.get(name)
        if value is None:
            return
        path = (*path, name)
        if not isinstance(value, list):
            self.error(path, "expected a list")
            return
        if len(value) > max_items:
            self.error(path, f"more than {max_items} items")
            return
        for i, item in enumerate(value):
            self.string(item, (*path, i), max_length=max_length, required=True)

    def reference(self, value: Any, path: FieldPath, what: str) -> None:
        pattern = _CODE_RE if what == "municipality" else _KEY_RE
        if not self.string(
            value,
            path,
            max_length=100,
            required=True,
            pattern=pattern,
            what="municipality code" if what == "municipality" else "key",
        ):
            return
        if not self._lookup(what, value):
            self.error(path, f"unknown {what} {value!r}")

    def references(self, container: dict[str, Any], name: str, path: FieldPath, what: str) -> int:
        """Check a list of references; return how many there are."""
        value = container.get(name)
        if value is None:
            return 0
        path = (*path, name)
        if not isinstance(value, list):
            self.error(path, "expected a list")
            return 0
        seen: set[Any] = set()
        for i, item in enumerate(value):
            if isinstance(item, str) and item in seen:
                self.error((*path, i), f"duplicate {what} {item!r}")
                continue
            if isinstance(item, str):
                seen.add(item)
            self.reference(item, (*path, i), what)
        return len(value)

    # Objects of the format.

    def municipality(self, item: Any, path: FieldPath) -> None:
        if not self.obj(item, path, MUNICIPALITY_FIELDS):
            return
        if "code" not in item:
            self.error((*path, "code"), "missing")
        else:
            self.string(
                item["code"],
                (*path, "code"),
                max_length=3,
                pattern=_CODE_RE,
                what="municipality code",
            )
        self.localised(
            item, "name", path, required=True, max_length=_max_length(Municipality, "name")
        )
        self.privacy(item, MUNICIPALITY_TEXTS, path)

    def service_line(self, item: Any, path: FieldPath) -> None:
        if not self.obj(item, path, SERVICE_LINE_FIELDS):
            return
        self._key(item, path, max_length=_max_length(ServiceLine, "key"))
        self.localised(
            item, "name", path, required=True, max_length=_max_length(ServiceLine, "name")
        )
        self.privacy(item, SERVICE_LINE_TEXTS, path)

    def organisation(self, item: Any, path: FieldPath) -> None:
        if not self.obj(item, path, ORGANISATION_FIELDS):
            return
        self._key(item, path, max_length=_max_length(Organisation, "key"))
        self.localised(
            item, "name", path, required=True, max_length=_max_length(Organisation, "name")
        )
        kind = item.get("kind")
        if kind is None:
            self.error((*path, "kind"), "missing")
        elif kind not in Organisation.Kind.values:
            self.error(
                (*path, "kind"),
                f"unknown kind {kind!r} (expected one of {', '.join(Organisation.Kind.values)})",
            )
        self.references(item, "municipalities", path, "municipality")
        self.optional_string(
            item,
            "website",
            path,
            max_length=_max_length(Organisation, "website"),
            validator=URLValidator(),
            what="URL",
        )
        self.optional_string(item, "phone", path, max_length=_max_length(Organisation, "phone"))
        self.optional_string(
            item,
            "email",
            path,
            max_length=_max_length(Organisation, "email"),
            validator=validate_email,
            what="e-mail address",
        )
        self.privacy(item, ORGANISATION_TEXTS, path)

    def entry(self, item: Any, path: FieldPath, *, kind: str) -> None:
        if not self.obj(item, path, ENTRY_FIELDS):
            return
        self._key(item, path, max_length=_max_length(Entry, "key"))
        for name in ENTRY_LOCALISED:
            self.localised(
                item,
                name,
                path,
                required=name in ("title", "summary"),
                max_length=_max_length(Entry, f"{name}_fi"),
            )
        lines = self.references(item, "service_lines", path, "service line")
        if (
            kind == Entry.Kind.SERVICE
            and lines == 0
            and isinstance(item.get("service_lines"), list | None)
        ):
            self.error((*path, "service_lines"), "a service needs at least one service line")
        self.references(item, "municipalities", path, "municipality")
        # An optional reference may be null or "" (absent); a required one may not.
        if item.get("organisation") not in (None, ""):
            self.reference(item["organisation"], (*path, "organisation"), "organisation")
        elif kind == Entry.Kind.OFFER:
            self.error((*path, "organisation"), "missing")
        for name in ENTRY_LISTS:
            list_field = Entry._meta.get_field(name)
            assert isinstance(list_field, ArrayField)  # bounded lists of bounded strings
            max_length, max_items = list_field.base_field.max_length, list_field.size
            assert max_length is not None and max_items is not None
            self.string_list(item, name, path, max_length=max_length, max_items=max_items)
        contacts = item.get("contacts")
        if contacts is not None:
            if not isinstance(contacts, list):
                self.error((*path, "contacts"), "expected a list")
            elif len(contacts) > limits.ENTRY_CONTACTS:
                self.error((*path, "contacts"), f"more than {limits.ENTRY_CONTACTS} items")
            else:
                for i, contact in enumerate(contacts):
                    self.contact(contact, (*path, "contacts", i))
        owner = item.get("owner")
        if owner not in (None, ""):
            self.string(owner, (*path, "owner"), max_length=150, required=True)
            if isinstance(owner, str) and owner.strip():
                try:
                    UnicodeUsernameValidator()(owner)
                except ValidationError:
                    self.error((*path, "owner"), f"invalid username {owner!r}")
        days = item.get("review_interval_days")
        if days is not None and (
            not isinstance(days, int) or isinstance(days, bool) or not 0 < days <= _MAX_INT
        ):
            self.error((*path, "review_interval_days"), "expected a positive whole number")
        reviewed = item.get("last_reviewed")
        if reviewed not in (None, "") and parse_date(reviewed) is None:
            self.error((*path, "last_reviewed"), "expected an ISO date (YYYY-MM-DD)")
        self.privacy(item, ENTRY_TEXTS, path)

    def contact(self, item: Any, path: FieldPath) -> None:
        if not self.obj(item, path, CONTACT_FIELDS + CONTACT_LEGACY_FIELDS):
            return
        for name in CONTACT_LOCALISED:
            self.localised(
                item, name, path, required=False, max_length=_max_length(Contact, f"{name}_fi")
            )
        for name in CONTACT_PLAIN:
            self.optional_string(
                item,
                name,
                path,
                max_length=_max_length(Contact, name),
                validator=validate_email if name == "email" else None,
                what="e-mail address",
            )
        if item.get("municipality") not in (None, ""):
            self.reference(item["municipality"], (*path, "municipality"), "municipality")
            if item.get("municipalities"):
                self.error(
                    (*path, "municipality"), 'give either "municipality" or "municipalities"'
                )
        self.references(item, "municipalities", path, "municipality")
        if item.get("opening_hours") is not None:
            self.problems += opening_hours.problems(item["opening_hours"], (*path, "opening_hours"))

    def privacy(self, item: Mapping[str, Any], fields: TextFields, path: FieldPath) -> None:
        for key, messages in privacy_errors(free_texts(item, fields)).items():
            for message in messages:
                self.error((*path, *key), message)

    def _key(self, item: dict[str, Any], path: FieldPath, *, max_length: int) -> None:
        if "key" not in item or item["key"] is None:
            self.error((*path, "key"), "missing")
            return
        self.string(
            item["key"],
            (*path, "key"),
            max_length=max_length,
            pattern=_KEY_RE,
            what="key (a–z, 0–9 and '-' only)",
        )


def parse_date(value: Any) -> datetime.date | None:
    if not isinstance(value, str) or not _DATE_RE.fullmatch(value):
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        return None


@dataclass(frozen=True)
class TextFields:
    """Where one kind of object of the format keeps what a person types: plain strings,
    localised ones (``{"fi": …}``), lists of strings, and lists of objects with fields of
    their own (an entry's contacts)."""

    plain: tuple[str, ...] = ()
    localised: tuple[str, ...] = ()
    lists: tuple[str, ...] = ()
    nested: tuple[tuple[str, TextFields], ...] = ()


# The key and owner count: a key becomes a URL, a username is shown.
CONTACT_TEXTS = TextFields(localised=CONTACT_LOCALISED, plain=CONTACT_PLAIN)
ENTRY_TEXTS = TextFields(
    plain=("key", "owner"),
    localised=ENTRY_LOCALISED,
    lists=ENTRY_LISTS,
    nested=(("contacts", CONTACT_TEXTS),),
)
MUNICIPALITY_TEXTS = TextFields(localised=("name",))
SERVICE_LINE_TEXTS = TextFields(localised=("name",))
ORGANISATION_TEXTS = TextFields(plain=("key", "website", "phone", "email"), localised=("name",))


def free_texts(item: Mapping[str, Any], fields: TextFields) -> dict[FieldPath, str]:
    """Every string of one object a person could type an identity code into, keyed by its
    field: ``("title", "fi")``, ``("keywords", 2)``, ``("contacts", 0, "hours", "fi")``.

    The one flattener for the privacy guard, for every kind of object (``ENTRY_TEXTS``,
    ``ORGANISATION_TEXTS``, …): the editing form names an error's field with
    :func:`entry_form_field`, the importer its place in the file by putting the object's
    own path in front.
    """
    texts: dict[FieldPath, str] = {}
    for name in fields.plain:
        if isinstance(item.get(name), str):
            texts[(name,)] = item[name]
    for name in fields.localised:
        value = item.get(name)
        if isinstance(value, str):  # a plain string is the Finnish text
            texts[(name, "fi")] = value
        elif isinstance(value, Mapping):
            texts |= {(name, lang): text for lang, text in value.items() if isinstance(text, str)}
    for name in fields.lists:
        value = item.get(name)
        if isinstance(value, list):
            texts |= {(name, i): text for i, text in enumerate(value) if isinstance(text, str)}
    for name, inner in fields.nested:
        value = item.get(name)
        if isinstance(value, list):
            for i, child in enumerate(value):
                if isinstance(child, Mapping):
                    texts |= {(name, i, *key): t for key, t in free_texts(child, inner).items()}
    return texts


def entry_texts(item: Mapping[str, Any]) -> dict[FieldPath, str]:
    """:func:`free_texts` of one entry."""
    return free_texts(item, ENTRY_TEXTS)


def entry_form_field(path: FieldPath) -> str:
    """The editing form's field for a place in one entry (a path inside it): ``title_sv``
    for ``("title", "sv")``, ``contacts.0.hours_fi``, ``contacts.0.opening_hours`` for any
    place inside a contact's opening hours, ``keywords`` for any of its items (a list is
    one text area), ``NON_FIELD_ERRORS`` for the entry itself. The one mapper from a path
    to a form field, for privacy refusals and format mistakes alike; a name the form has
    no field for is the caller's to put on the form as a whole."""
    if not path:
        return NON_FIELD_ERRORS
    if path[0] == "contacts" and len(path) >= 3 and isinstance(path[1], int):
        return f"contacts.{path[1]}.{_form_field_name(path[2:])}"
    return _form_field_name(path)


def _form_field_name(path: FieldPath) -> str:
    name = str(path[0])
    if len(path) >= 2 and path[1] in LANGUAGES:
        return f"{name}_{path[1]}"
    return name


def privacy_errors(texts: Mapping[FieldPath, str]) -> dict[FieldPath, list[str]]:
    """The privacy guard's refusals (``apps.core.privacy``), keyed like ``texts``."""
    keys = list(texts)
    try:
        ensure_no_personal_data({str(i): text for i, text in enumerate(texts.values())})
    except ValidationError as exc:
        return {
            keys[int(name)]: [" ".join(error.messages) for error in errors]
            for name, errors in exc.error_dict.items()
        }
    return {}


class _DbLookup:
    """Knows the references a file defines, and asks the database (once each) for others."""

    MODELS: dict[str, tuple[type[models.Model], str]] = {
        "municipality": (Municipality, "code"),
        "service line": (ServiceLine, "key"),
        "organisation": (Organisation, "key"),
    }

    def __init__(self, defined: dict[str, set[str]] | None = None) -> None:
        self.defined = defined or {}
        self.cache: dict[tuple[str, str], bool] = {}

    def __call__(self, what: str, value: str) -> bool:
        if value in self.defined.get(what, set()):
            return True
        if (what, value) not in self.cache:
            model, name = self.MODELS[what]
            self.cache[(what, value)] = model._default_manager.filter(**{name: value}).exists()
        return self.cache[(what, value)]


def _defined(data: dict[str, Any], section: str, name: str) -> set[str]:
    items = data.get(section)
    if not isinstance(items, list):
        return set()
    return {
        item[name] for item in items if isinstance(item, dict) and isinstance(item.get(name), str)
    }


def sections(data: dict[str, Any]) -> dict[str, list[Any]]:
    return {s: data.get(s) or [] for s in SECTIONS}


def validate(data: Any) -> None:
    """Raise ``CatalogueFormatError`` naming every mistake in a ``sote-catalogue/1`` file."""
    if not isinstance(data, dict):
        raise CatalogueFormatError(FormatProblem((), "expected a JSON object"))
    check = _Checker(
        lookup=_DbLookup(
            {
                "municipality": _defined(data, "municipalities", "code"),
                "service line": _defined(data, "service_lines", "key"),
                "organisation": _defined(data, "organisations", "key"),
            }
        )
    )
    for name in data:
        if name != "format" and name not in SECTIONS:
            check.error((name,), "unknown field")
    if "format" not in data:
        check.error(("format",), "missing")
    elif data["format"] != FORMAT:
        check.error(("format",), f"expected {FORMAT!r}, got {data['format']!r}")

    section_checks: dict[str, tuple[Callable[[Any, FieldPath], None], str]] = {
        "municipalities": (check.municipality, "code"),
        "service_lines": (check.service_line, "key"),
        "organisations": (check.organisation, "key"),
        "services": (lambda item, path: check.entry(item, path, kind=Entry.Kind.SERVICE), "key"),
        "offers": (lambda item, path: check.entry(item, path, kind=Entry.Kind.OFFER), "key"),
    }
    entry_keys: dict[
        str, FieldPath
    ] = {}  # key -> path of its first use, across services and offers
    for section, (check_item, id_name) in section_checks.items():
        items = data.get(section)
        if items is None:
            continue
        if not isinstance(items, list):
            check.error((section,), "expected a list")
            continue
        seen = entry_keys if section in ENTRY_SECTIONS else {}
        for i, item in enumerate(items):
            path: FieldPath = (section, i)
            check_item(item, path)
            ident = item.get(id_name) if isinstance(item, dict) else None
            if isinstance(ident, str):
                if ident in seen:
                    check.error(
                        (*path, id_name),
                        f"duplicate {id_name} {ident!r} (also {path_text(seen[ident])})",
                    )
                else:
                    seen[ident] = path
    if check.problems:
        raise CatalogueFormatError(check.problems)


def validate_entry(data: Any, *, kind: str, path: FieldPath = ENTRY_PATH) -> None:
    """Check one entry object against the format and the references in the database."""
    check = _Checker(lookup=_DbLookup())
    check.entry(data, path, kind=kind)
    if check.problems:
        raise CatalogueFormatError(check.problems)


# --- Canonical form (what export writes; what import compares) ------------------------------


def _loc(value: dict[str, Any] | None) -> dict[str, str]:
    """A localised object with only its non-empty languages, in fi/sv/en order."""
    value = value or {}
    return {lang: value[lang] for lang in LANGUAGES if value.get(lang)}


def _loc_from(obj: models.Model, name: str) -> dict[str, str]:
    return _loc({lang: getattr(obj, f"{name}_{lang}") for lang in LANGUAGES})


def set_loc(obj: models.Model, name: str, value: dict[str, Any] | None) -> None:
    value = value or {}
    for lang in LANGUAGES:
        setattr(obj, f"{name}_{lang}", value.get(lang) or "")


def _compact(d: dict[str, Any]) -> dict[str, Any]:
    """Drop empty optional values (None, "", [], {})."""
    return {k: v for k, v in d.items() if v not in (None, "", [], {})}


def contact_municipalities(c: Mapping[str, Any]) -> list[str]:
    """A contact's municipality codes, sorted: ``municipalities``, or the one of the
    earlier shape's ``municipality``; empty: the whole area."""
    codes = set(c.get("municipalities") or [])
    if c.get("municipality"):
        codes.add(c["municipality"])
    return sorted(codes)


def _canonical_contact(c: dict[str, Any]) -> dict[str, Any]:
    return _compact(
        {
            "label": _loc(c.get("label")),
            "phone": c.get("phone") or "",
            "email": c.get("email") or "",
            "address": c.get("address") or "",
            "hours": _loc(c.get("hours")),
            "opening_hours": opening_hours.canonical(c.get("opening_hours")),
            "municipalities": contact_municipalities(c),
        }
    )


def canonical_entry(data: dict[str, Any], *, kind: str) -> dict[str, Any]:
    """The entry object exactly as ``entry_to_dict`` would give it after applying ``data``."""
    out: dict[str, Any] = {"key": data["key"]}
    for name in ENTRY_LOCALISED:
        out[name] = _loc(data.get(name))
    out["service_lines"] = sorted(data.get("service_lines") or [])
    out["municipalities"] = sorted(data.get("municipalities") or [])
    out["organisation"] = data.get("organisation")
    out["target_groups"] = list(data.get("target_groups") or [])
    out["keywords"] = list(data.get("keywords") or [])
    out["contacts"] = [_canonical_contact(c) for c in data.get("contacts") or []]
    out["legal_basis"] = list(data.get("legal_basis") or [])
    out["owner"] = data.get("owner")
    out["review_interval_days"] = data.get("review_interval_days")
    out["last_reviewed"] = data.get("last_reviewed")
    out = _compact(out)
    # Required fields stay even when empty, so that a broken entry shows as broken.
    for name in ("title", "summary"):
        out.setdefault(name, {})
    if kind == Entry.Kind.SERVICE:
        out.setdefault("service_lines", [])
    return {name: out[name] for name in ENTRY_FIELDS if name in out}


def entry_to_dict(entry: Entry) -> dict[str, Any]:
    """One entry in the interchange format (also the version-history snapshot)."""
    contacts = sorted(entry.contacts.all(), key=lambda c: (c.position, c.pk))
    return canonical_entry(
        {
            "key": entry.key,
            **{name: _loc_from(entry, name) for name in ENTRY_LOCALISED},
            "service_lines": [line.key for line in entry.service_lines.all()],
            "municipalities": [m.code for m in entry.municipalities.all()],
            "organisation": entry.organisation.key if entry.organisation else None,
            "target_groups": entry.target_groups,
            "keywords": entry.keywords,
            "contacts": [
                {
                    "label": _loc_from(c, "label"),
                    "phone": c.phone,
                    "email": c.email,
                    "address": c.address,
                    "hours": _loc_from(c, "hours"),
                    "opening_hours": c.opening_hours,
                    "municipalities": [m.code for m in c.municipalities.all()],
                }
                for c in contacts
            ],
            "legal_basis": entry.legal_basis,
            "owner": entry.owner.username if entry.owner else None,
            "review_interval_days": entry.review_interval_days,
            "last_reviewed": entry.last_reviewed.isoformat() if entry.last_reviewed else None,
        },
        kind=entry.kind,
    )


def municipality_to_dict(m: Municipality) -> dict[str, Any]:
    return {"code": m.code, "name": _loc_from(m, "name")}


def canonical_municipality(data: dict[str, Any]) -> dict[str, Any]:
    return {"code": data["code"], "name": _loc(data["name"])}


def service_line_to_dict(line: ServiceLine) -> dict[str, Any]:
    return {"key": line.key, "name": _loc_from(line, "name")}


def canonical_service_line(data: dict[str, Any]) -> dict[str, Any]:
    return {"key": data["key"], "name": _loc(data["name"])}


def canonical_organisation(data: dict[str, Any]) -> dict[str, Any]:
    out = _compact(
        {
            "key": data["key"],
            "name": _loc(data["name"]),
            "kind": data["kind"],
            "municipalities": sorted(data.get("municipalities") or []),
            "website": data.get("website") or "",
            "phone": data.get("phone") or "",
            "email": data.get("email") or "",
        }
    )
    return out


def organisation_to_dict(org: Organisation) -> dict[str, Any]:
    return canonical_organisation(
        {
            "key": org.key,
            "name": _loc_from(org, "name"),
            "kind": org.kind,
            "municipalities": [m.code for m in org.municipalities.all()],
            "website": org.website,
            "phone": org.phone,
            "email": org.email,
        }
    )


# --- Checking model objects ----------------------------------------------------------------


def clean_as_format(
    obj: models.Model, path: FieldPath, *, exclude: list[str] | None = None
) -> None:
    """``full_clean`` whose errors name paths in the format (``title_fi`` → ``title.fi``)."""
    try:
        obj.full_clean(exclude=exclude)
    except ValidationError as exc:
        problems = []
        for name, messages in exc.message_dict.items():
            problems += [
                FormatProblem((*path, *_model_field_path(name)), message) for message in messages
            ]
        raise CatalogueFormatError(problems) from exc


def _model_field_path(name: str) -> FieldPath:
    """A model field's place in the format: ``title_fi`` → ``("title", "fi")``, and the
    object itself for an error about no one field."""
    if name == NON_FIELD_ERRORS:
        return ()
    base, _, lang = name.rpartition("_")
    return (base, lang) if lang in LANGUAGES and base else (name,)


# --- Reading -------------------------------------------------------------------------------


def export_catalogue() -> dict[str, Any]:
    """The whole catalogue in the format, deterministically ordered."""
    entries = (
        Entry.objects.select_related("organisation", "owner")
        .prefetch_related("service_lines", "municipalities", "contacts__municipalities")
        .order_by("key")
    )
    data: dict[str, Any] = {"format": FORMAT}
    data["municipalities"] = [
        municipality_to_dict(m) for m in Municipality.objects.order_by("code")
    ]
    # Lines keep their routing order (position); the format has no field for it.
    data["service_lines"] = [
        service_line_to_dict(line) for line in ServiceLine.objects.order_by("position", "key")
    ]
    data["organisations"] = [
        organisation_to_dict(org)
        for org in Organisation.objects.prefetch_related("municipalities").order_by("key")
    ]
    by_kind: dict[str, list[dict[str, Any]]] = {section: [] for section in ENTRY_SECTIONS}
    for entry in entries:
        by_kind[SECTION_OF_KIND[entry.kind]].append(entry_to_dict(entry))
    data.update(by_kind)
    return data


def dumps(data: dict[str, Any]) -> str:
    """The file text of a catalogue."""
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
