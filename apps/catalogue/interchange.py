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
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import models

from apps.core import limits
from apps.core.privacy import ensure_no_personal_data

from . import opening_hours
from .models import Contact, Entry, Municipality, Organisation, ServiceLine

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


class CatalogueFormatError(ValueError):
    """A file (or one entry) that breaks the format; ``errors`` lists every mistake."""

    def __init__(self, errors: list[str] | str) -> None:
        self.errors = [errors] if isinstance(errors, str) else list(errors)
        shown = self.errors[:_MAX_ERRORS]
        more = len(self.errors) - len(shown)
        message = "\n".join(shown) + (f"\n… and {more} more" if more > 0 else "")
        super().__init__(message)


class CatalogueSyntaxError(CatalogueFormatError):
    """A file that is not JSON at all; ``line``/``column`` say where the parser stopped."""

    def __init__(self, message: str, *, line: int, column: int) -> None:
        self.message, self.line, self.column = message, line, column
        super().__init__(f"(file): not valid JSON: line {line}, column {column}: {message}")


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
            raise CatalogueFormatError(f"(file): not UTF-8 text (byte {exc.start})") from exc
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
        raise CatalogueFormatError(f"(file): not valid JSON: {exc}") from exc
    if duplicates:
        raise CatalogueFormatError(_duplicate_errors(data, duplicates))
    return data


def _duplicate_errors(
    data: Any, duplicates: dict[int, tuple[dict[str, Any], list[str]]]
) -> list[str]:
    """Name each object with a duplicate key by its path, an object before its contents.

    An object inside a value that a later duplicate replaced is no longer in the data;
    the duplicate that replaced it is reported instead. Walks without recursion: the data
    may be nested as deep as the parser allows.
    """
    errors: list[str] = []
    stack: list[tuple[Any, str]] = [(data, "")]
    while stack:
        node, path = stack.pop()
        if isinstance(node, dict):
            found = duplicates.get(id(node))
            if found is not None and found[0] is node:
                errors += [
                    f"{path or '(file)'}: duplicate key {json.dumps(name, ensure_ascii=False)}"
                    for name in found[1]
                ]
            children = [(v, f"{path}.{k}" if path else k) for k, v in node.items()]
        elif isinstance(node, list):
            children = [(v, f"{path}[{i}]") for i, v in enumerate(node)]
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
        self.errors: list[str] = []
        # lookup(what, value) -> known? ; what is "municipality"/"service line"/"organisation"
        self._lookup = lookup

    def error(self, path: str, message: str) -> None:
        self.errors.append(f"{path}: {message}")

    # Primitive shapes. Each returns True when the value is usable for deeper checks.

    def obj(self, value: Any, path: str, allowed: Iterable[str]) -> bool:
        if not isinstance(value, dict):
            self.error(path, "expected an object")
            return False
        allowed = set(allowed)
        for name in value:
            if name not in allowed:
                self.error(f"{path}.{name}", "unknown field")
        return True

    def string(
        self,
        value: Any,
        path: str,
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
        self, container: dict[str, Any], name: str, path: str, *, required: bool, max_length: int
    ) -> None:
        path = f"{path}.{name}"
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
                self.error(f"{path}.{lang}", "unknown language")
                continue
            if text is not None:
                self.string(text, f"{path}.{lang}", max_length=max_length)
        if required:
            fi = value.get("fi")
            if fi is None:
                self.error(f"{path}.fi", "missing")
            elif isinstance(fi, str) and not fi.strip():
                self.error(f"{path}.fi", "must not be empty")

    def optional_string(
        self,
        container: dict[str, Any],
        name: str,
        path: str,
        *,
        max_length: int,
        validator: Callable[[str], None] | None = None,
        what: str = "",
    ) -> None:
        value = container.get(name)
        if value is None:
            return
        if self.string(value, f"{path}.{name}", max_length=max_length) and value and validator:
            try:
                validator(value)
            except ValidationError:
                self.error(f"{path}.{name}", f"invalid {what} {value!r}")

    def string_list(
        self, container: dict[str, Any], name: str, path: str, *, max_length: int, max_items: int
    ) -> None:
        value = container.get(name)
        if value is None:
            return
        path = f"{path}.{name}"
        if not isinstance(value, list):
            self.error(path, "expected a list")
            return
        if len(value) > max_items:
            self.error(path, f"more than {max_items} items")
            return
        for i, item in enumerate(value):
            self.string(item, f"{path}[{i}]", max_length=max_length, required=True)

    def reference(self, value: Any, path: str, what: str) -> None:
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

    def references(self, container: dict[str, Any], name: str, path: str, what: str) -> int:
        """Check a list of references; return how many there are."""
        value = container.get(name)
        if value is None:
            return 0
        path = f"{path}.{name}"
        if not isinstance(value, list):
            self.error(path, "expected a list")
            return 0
        seen: set[Any] = set()
        for i, item in enumerate(value):
            if isinstance(item, str) and item in seen:
                self.error(f"{path}[{i}]", f"duplicate {what} {item!r}")
                continue
            if isinstance(item, str):
                seen.add(item)
            self.reference(item, f"{path}[{i}]", what)
        return len(value)

    # Objects of the format.

    def municipality(self, item: Any, path: str) -> None:
        if not self.obj(item, path, MUNICIPALITY_FIELDS):
            return
        if "code" not in item:
            self.error(f"{path}.code", "missing")
        else:
            self.string(
                item["code"],
                f"{path}.code",
                max_length=3,
                pattern=_CODE_RE,
                what="municipality code",
            )
        self.localised(
            item, "name", path, required=True, max_length=_max_length(Municipality, "name")
        )
        self.privacy(_localised_texts(item, "name", path))

    def service_line(self, item: Any, path: str) -> None:
        if not self.obj(item, path, SERVICE_LINE_FIELDS):
            return
        self._key(item, path, max_length=_max_length(ServiceLine, "key"))
        self.localised(
            item, "name", path, required=True, max_length=_max_length(ServiceLine, "name")
        )
        self.privacy(_localised_texts(item, "name", path))

    def organisation(self, item: Any, path: str) -> None:
        if not self.obj(item, path, ORGANISATION_FIELDS):
            return
        self._key(item, path, max_length=_max_length(Organisation, "key"))
        self.localised(
            item, "name", path, required=True, max_length=_max_length(Organisation, "name")
        )
        kind = item.get("kind")
        if kind is None:
            self.error(f"{path}.kind", "missing")
        elif kind not in Organisation.Kind.values:
            self.error(
                f"{path}.kind",
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
        self.privacy(
            {
                **_plain_texts(item, ("key", "website", "phone", "email"), path),
                **_localised_texts(item, "name", path),
            }
        )

    def entry(self, item: Any, path: str, *, kind: str) -> None:
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
            self.error(f"{path}.service_lines", "a service needs at least one service line")
        self.references(item, "municipalities", path, "municipality")
        # An optional reference may be null or "" (absent); a required one may not.
        if item.get("organisation") not in (None, ""):
            self.reference(item["organisation"], f"{path}.organisation", "organisation")
        elif kind == Entry.Kind.OFFER:
            self.error(f"{path}.organisation", "missing")
        for name in ENTRY_LISTS:
            list_field = Entry._meta.get_field(name)
            assert isinstance(list_field, ArrayField)  # bounded lists of bounded strings
            max_length, max_items = list_field.base_field.max_length, list_field.size
            assert max_length is not None and max_items is not None
            self.string_list(item, name, path, max_length=max_length, max_items=max_items)
        contacts = item.get("contacts")
        if contacts is not None:
            if not isinstance(contacts, list):
                self.error(f"{path}.contacts", "expected a list")
            elif len(contacts) > limits.ENTRY_CONTACTS:
                self.error(f"{path}.contacts", f"more than {limits.ENTRY_CONTACTS} items")
            else:
                for i, contact in enumerate(contacts):
                    self.contact(contact, f"{path}.contacts[{i}]")
        owner = item.get("owner")
        if owner not in (None, ""):
            self.string(owner, f"{path}.owner", max_length=150, required=True)
            if isinstance(owner, str) and owner.strip():
                try:
                    UnicodeUsernameValidator()(owner)
                except ValidationError:
                    self.error(f"{path}.owner", f"invalid username {owner!r}")
        days = item.get("review_interval_days")
        if days is not None and (
            not isinstance(days, int) or isinstance(days, bool) or not 0 < days <= _MAX_INT
        ):
            self.error(f"{path}.review_interval_days", "expected a positive whole number")
        reviewed = item.get("last_reviewed")
        if reviewed not in (None, "") and parse_date(reviewed) is None:
            self.error(f"{path}.last_reviewed", "expected an ISO date (YYYY-MM-DD)")
        for key, messages in privacy_errors(entry_texts(item)).items():
            for message in messages:
                self.error(text_path(key, path), message)

    def contact(self, item: Any, path: str) -> None:
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
            self.reference(item["municipality"], f"{path}.municipality", "municipality")
            if item.get("municipalities"):
                self.error(f"{path}.municipality", 'give either "municipality" or "municipalities"')
        self.references(item, "municipalities", path, "municipality")
        if item.get("opening_hours") is not None:
            self.errors += opening_hours.validate(item["opening_hours"], f"{path}.opening_hours")

    def privacy(self, texts: dict[str, str]) -> None:
        try:
            ensure_no_personal_data(texts)
        except ValidationError as exc:
            for name, errors in exc.error_dict.items():
                for error in errors:
                    self.error(name, " ".join(error.messages))

    def _key(self, item: dict[str, Any], path: str, *, max_length: int) -> None:
        if "key" not in item or item["key"] is None:
            self.error(f"{path}.key", "missing")
            return
        self.string(
            item["key"],
            f"{path}.key",
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


def _localised_texts(item: dict[str, Any], name: str, path: str) -> dict[str, str]:
    """The strings of one localised field, keyed by path (``services[0].title.fi``)."""
    value = item.get(name)
    if not isinstance(value, dict):
        return {}
    return {f"{path}.{name}.{lang}": text for lang, text in value.items() if isinstance(text, str)}


def _plain_texts(item: dict[str, Any], names: Iterable[str], path: str) -> dict[str, str]:
    return {f"{path}.{name}": item[name] for name in names if isinstance(item.get(name), str)}


TextKey = tuple[str | int, ...]


def entry_texts(item: Mapping[str, Any]) -> dict[TextKey, str]:
    """Every string of one entry a person could type an identity code into, keyed by its
    field: ``("title", "fi")``, ``("keywords", 2)``, ``("contacts", 0, "hours", "fi")``.

    The one flattener for the privacy guard: the editing form names an error's field
    with :func:`text_form_field`, the importer its place in the file with
    :func:`text_path`. The key and owner count: a key becomes a URL.
    """
    texts: dict[TextKey, str] = {}
    for name in ("key", "owner"):
        if isinstance(item.get(name), str):
            texts[(name,)] = item[name]
    for name in ENTRY_LOCALISED:
        texts |= _localised_field(item, name, ())
    for name in ENTRY_LISTS:
        value = item.get(name)
        if isinstance(value, list):
            texts |= {(name, i): text for i, text in enumerate(value) if isinstance(text, str)}
    contacts = item.get("contacts")
    if isinstance(contacts, list):
        for i, contact in enumerate(contacts):
            if not isinstance(contact, Mapping):
                continue
            for name in CONTACT_LOCALISED:
                texts |= _localised_field(contact, name, ("contacts", i))
            for name in CONTACT_PLAIN:
                if isinstance(contact.get(name), str):
                    texts[("contacts", i, name)] = contact[name]
    return texts


def _localised_field(item: Mapping[str, Any], name: str, prefix: TextKey) -> dict[TextKey, str]:
    value = item.get(name)
    if isinstance(value, str):  # a plain string is the Finnish text
        return {(*prefix, name, "fi"): value}
    if not isinstance(value, Mapping):
        return {}
    return {(*prefix, name, lang): text for lang, text in value.items() if isinstance(text, str)}


def text_path(key: TextKey, prefix: str) -> str:
    """Where a text is in the file: ``services[0].contacts[1].hours.fi``."""
    return prefix + "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in key)


def text_form_field(key: TextKey) -> str:
    """The editing form's field of a text: ``title_sv``, ``contacts.0.hours_fi``, and
    ``keywords`` for any of its items (a list is one text area)."""
    if key[0] == "contacts" and len(key) >= 3:
        field = f"contacts.{key[1]}.{key[2]}"
        return field + (f"_{key[3]}" if len(key) > 3 else "")
    if len(key) == 2 and isinstance(key[1], str):
        return f"{key[0]}_{key[1]}"
    return str(key[0])


def privacy_errors(texts: Mapping[TextKey, str]) -> dict[TextKey, list[str]]:
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
        raise CatalogueFormatError("(file): expected a JSON object")
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
            check.error(name, "unknown field")
    if "format" not in data:
        check.error("format", "missing")
    elif data["format"] != FORMAT:
        check.error("format", f"expected {FORMAT!r}, got {data['format']!r}")

    section_checks: dict[str, tuple[Callable[[Any, str], None], str]] = {
        "municipalities": (check.municipality, "code"),
        "service_lines": (check.service_line, "key"),
        "organisations": (check.organisation, "key"),
        "services": (lambda item, path: check.entry(item, path, kind=Entry.Kind.SERVICE), "key"),
        "offers": (lambda item, path: check.entry(item, path, kind=Entry.Kind.OFFER), "key"),
    }
    entry_keys: dict[str, str] = {}  # key -> path of its first use, across services and offers
    for section, (check_item, id_name) in section_checks.items():
        items = data.get(section)
        if items is None:
            continue
        if not isinstance(items, list):
            check.error(section, "expected a list")
            continue
        seen = entry_keys if section in ENTRY_SECTIONS else {}
        for i, item in enumerate(items):
            path = f"{section}[{i}]"
            check_item(item, path)
            ident = item.get(id_name) if isinstance(item, dict) else None
            if isinstance(ident, str):
                if ident in seen:
                    check.error(
                        f"{path}.{id_name}", f"duplicate {id_name} {ident!r} (also {seen[ident]})"
                    )
                else:
                    seen[ident] = path
    if check.errors:
        raise CatalogueFormatError(check.errors)


def validate_entry(data: Any, *, kind: str, path: str = "entry") -> None:
    """Check one entry object against the format and the references in the database."""
    check = _Checker(lookup=_DbLookup())
    check.entry(data, path, kind=kind)
    if check.errors:
        raise CatalogueFormatError(check.errors)


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


def clean_as_format(obj: models.Model, path: str, *, exclude: list[str] | None = None) -> None:
    """``full_clean`` whose errors name paths in the format (``title_fi`` → ``title.fi``)."""
    try:
        obj.full_clean(exclude=exclude)
    except ValidationError as exc:
        errors = []
        for name, messages in exc.message_dict.items():
            base, _, lang = name.rpartition("_")
            where = f"{base}.{lang}" if lang in LANGUAGES and base else name
            errors += [f"{path}.{where}: {message}" for message in messages]
        raise CatalogueFormatError(errors) from exc


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
