"""Field-by-field differences between two entry snapshots (catalogue interchange shape).

Pure functions over dicts: no database access except :func:`reference_labels`, which
the caller may pass in so codes read as names ("285" → "Kotka").
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import opening_hours

LANGUAGES = ("fi", "sv", "en")
LOCALISED_FIELDS = ("title", "summary", "body", "eligibility", "how_to_apply", "fees")
LIST_FIELDS = ("service_lines", "municipalities", "target_groups", "keywords", "legal_basis")
VALUE_FIELDS = ("key", "organisation", "owner", "review_interval_days", "last_reviewed")
CONTACT_LOCALISED = ("label", "hours")
CONTACT_VALUES = ("phone", "email", "address")

# Which lists and values hold references whose names ``labels`` can supply.
_REFERENCE_FIELDS = {"service_lines", "municipalities", "organisation", "municipality"}

FIELD_LABELS = {
    "key": _("Tunniste"),
    "kind": _("Tyyppi"),
    "title": _("Otsikko"),
    "summary": _("Tiivistelmä"),
    "body": _("Kuvaus"),
    "eligibility": _("Kenelle"),
    "how_to_apply": _("Näin haet"),
    "fees": _("Maksut"),
    "service_lines": _("Palvelulinjat"),
    "municipalities": _("Kunnat"),
    "organisation": _("Organisaatio"),
    "target_groups": _("Kohderyhmät"),
    "keywords": _("Hakusanat"),
    "legal_basis": _("Lakiperusta"),
    "owner": _("Vastuuhenkilö"),
    "review_interval_days": _("Tarkistusväli (pv)"),
    "last_reviewed": _("Tarkistettu viimeksi"),
    "contacts": _("Yhteystiedot"),
    "label": _("nimi"),
    "phone": _("puhelin"),
    "email": _("sähköposti"),
    "address": _("osoite"),
    "hours": _("aukioloajat"),
    "municipality": _("kunta"),
    "opening_hours": _("aukioloajat (rakenteiset)"),
}
LANGUAGE_LABELS = {"fi": _("suomi"), "sv": _("ruotsi"), "en": _("englanti")}

# Texts at least this long (or with a line break) also get an inline word diff.
INLINE_MIN_LENGTH = 60

_TOKEN_RE = re.compile(r"\s+|[^\s]+")


@dataclass(frozen=True)
class FieldChange:
    """One changed field. ``path`` is stable ("body.sv", "contacts[1].phone")."""

    path: str
    label: str
    old: str
    new: str
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    inline: SafeString | None = None

    @property
    def is_list(self) -> bool:
        return bool(self.added or self.removed)


Labels = Mapping[str, Mapping[str, str]]


def reference_labels() -> dict[str, dict[str, str]]:
    """Names for the codes and keys a snapshot refers to, for readable diffs."""
    from .models import Municipality, Organisation, ServiceLine

    municipalities = {m.code: m.name for m in Municipality.objects.all()}
    return {
        "municipalities": municipalities,
        "municipality": municipalities,
        "service_lines": {s.key: s.name for s in ServiceLine.objects.all()},
        "organisation": {o.key: o.name for o in Organisation.objects.all()},
    }


def inline_diff(old: str, new: str) -> SafeString:
    """Word-level diff of two texts as HTML: <del> for removed, <ins> for added words.

    Every piece of text is escaped; only the markup built here is marked safe.
    """
    a = _TOKEN_RE.findall(old or "")
    b = _TOKEN_RE.findall(new or "")
    removed_prefix = escape(gettext("poistettu:")) + " "
    added_prefix = escape(gettext("lisätty:")) + " "
    parts: list[str] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            parts.append(escape("".join(a[i1:i2])))
            continue
        if tag in ("delete", "replace"):
            parts.append(
                f'<del><span class="visually-hidden">{removed_prefix}</span>'
                f"{escape(''.join(a[i1:i2]))}</del>"
            )
        if tag in ("insert", "replace"):
            parts.append(
                f'<ins><span class="visually-hidden">{added_prefix}</span>'
                f"{escape(''.join(b[j1:j2]))}</ins>"
            )
    return mark_safe("".join(parts))  # noqa: S308 - every text part escaped above


def version_diff(
    old: Mapping[str, Any] | None, new: Mapping[str, Any] | None, *, labels: Labels | None = None
) -> list[FieldChange]:
    """What changed from snapshot ``old`` to ``new``, field by field.

    Localised fields are compared per language, lists item by item, contacts by
    position and sub-field. Fields this module does not know are still compared.
    """
    old = old or {}
    new = new or {}
    labels = labels or {}
    changes: list[FieldChange] = []
    known: set[str] = set()

    for field in VALUE_FIELDS[:1]:  # the key first, it is the entry's identity
        known.add(field)
        changes += _value_change(
            field, str(FIELD_LABELS[field]), old.get(field), new.get(field), labels.get(field)
        )
    for field in LOCALISED_FIELDS:
        known.add(field)
        changes += _localised_changes(
            field, str(FIELD_LABELS[field]), old.get(field), new.get(field)
        )
    for field in LIST_FIELDS:
        known.add(field)
        changes += _list_change(
            field, str(FIELD_LABELS[field]), old.get(field), new.get(field), labels.get(field)
        )
    known.add("contacts")
    changes += _contact_changes(old.get("contacts"), new.get("contacts"), labels)
    for field in VALUE_FIELDS[1:]:
        known.add(field)
        changes += _value_change(
            field, str(FIELD_LABELS[field]), old.get(field), new.get(field), labels.get(field)
        )
    for field in sorted((set(old) | set(new)) - known):
        label = str(FIELD_LABELS.get(field, field))
        changes += _value_change(field, label, old.get(field), new.get(field), None)
    return changes


# --- helpers ----------------------------------------------------------------------------


def normalised_text(text: str) -> str:
    """``text`` as the reader sees it: line endings as ``\n`` (browsers post CRLF), no
    whitespace at the ends of lines or around the whole text (forms trim it)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(line.rstrip() for line in lines).strip()


def same_text(a: str, b: str) -> bool:
    """Whether two texts differ only in line endings or trailing whitespace: no change."""
    return a == b or normalised_text(a) == normalised_text(b)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float, bool)):
        return str(value)
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _localised(value: Any) -> dict[str, str]:
    if isinstance(value, Mapping):
        return {lang: _text(value.get(lang)) for lang in LANGUAGES} | {
            k: _text(v) for k, v in value.items() if k not in LANGUAGES
        }
    # A plain string is Finnish (tolerated for older snapshots).
    return {"fi": _text(value), "sv": "", "en": ""}


def _localised_changes(path: str, label: str, old: Any, new: Any) -> list[FieldChange]:
    a, b = _localised(old), _localised(new)
    out = []
    for lang in [*LANGUAGES, *sorted((set(a) | set(b)) - set(LANGUAGES))]:
        before, after = a.get(lang, ""), b.get(lang, "")
        if same_text(before, after):
            continue
        long_text = (
            max(len(before), len(after)) >= INLINE_MIN_LENGTH or "\n" in before or "\n" in after
        )
        out.append(
            FieldChange(
                path=f"{path}.{lang}",
                label=f"{label} ({LANGUAGE_LABELS.get(lang, lang)})",
                old=before,
                new=after,
                inline=inline_diff(before, after) if long_text and before and after else None,
            )
        )
    return out


def _name(value: str, names: Mapping[str, str] | None) -> str:
    if names and value in names:
        return f"{names[value]} ({value})"
    return value


def _list_change(
    path: str, label: str, old: Any, new: Any, names: Mapping[str, str] | None
) -> list[FieldChange]:
    a = [_text(v) for v in (old or [])]
    b = [_text(v) for v in (new or [])]
    if a == b:
        return []
    removed = tuple(_name(v, names) for v in a if v not in b)
    added = tuple(_name(v, names) for v in b if v not in a)
    return [
        FieldChange(
            path=path,
            label=label,
            old=", ".join(_name(v, names) for v in a),
            new=", ".join(_name(v, names) for v in b),
            added=added,
            removed=removed,
        )
    ]


def _value_change(
    path: str, label: str, old: Any, new: Any, names: Mapping[str, str] | None
) -> list[FieldChange]:
    a, b = _text(old), _text(new)
    if same_text(a, b):
        return []
    return [
        FieldChange(
            path=path,
            label=label,
            old=_name(a, names) if a else "",
            new=_name(b, names) if b else "",
        )
    ]


def _contact(value: Any) -> dict[str, Any]:
    """One contact of a snapshot; the earlier shape's ``municipality`` (snapshots saved
    before contacts served several) read as ``municipalities``."""
    contact = dict(value) if isinstance(value, Mapping) else {}
    if "municipality" in contact:
        code = contact.pop("municipality")
        codes = set(contact.get("municipalities") or []) | ({code} if code else set())
        contact["municipalities"] = sorted(codes)
    return contact


def _contact_changes(old: Any, new: Any, labels: Labels) -> list[FieldChange]:
    a = list(old or [])
    b = list(new or [])
    out: list[FieldChange] = []
    for index in range(max(len(a), len(b))):
        before = _contact(a[index] if index < len(a) else {})
        after = _contact(b[index] if index < len(b) else {})
        prefix = gettext("Yhteystieto %(number)s") % {"number": index + 1}
        for field in CONTACT_LOCALISED:
            out += _localised_changes(
                f"contacts[{index}].{field}",
                f"{prefix}: {FIELD_LABELS[field]}",
                before.get(field),
                after.get(field),
            )
        for field in CONTACT_VALUES:
            out += _value_change(
                f"contacts[{index}].{field}",
                f"{prefix}: {FIELD_LABELS[field]}",
                before.get(field),
                after.get(field),
                labels.get(field) if field in _REFERENCE_FIELDS else None,
            )
        out += _list_change(
            f"contacts[{index}].municipalities",
            f"{prefix}: {str(FIELD_LABELS['municipalities']).lower()}",
            before.get("municipalities"),
            after.get("municipalities"),
            labels.get("municipalities"),
        )
        out += _value_change(
            f"contacts[{index}].opening_hours",
            f"{prefix}: {FIELD_LABELS['opening_hours']}",
            opening_hours.to_text(before.get("opening_hours")),
            opening_hours.to_text(after.get("opening_hours")),
            None,
        )
        known = {*CONTACT_LOCALISED, *CONTACT_VALUES, "municipalities", "opening_hours"}
        extra = (set(before) | set(after)) - known
        for field in sorted(extra):
            out += _value_change(
                f"contacts[{index}].{field}",
                f"{prefix}: {field}",
                before.get(field),
                after.get(field),
                None,
            )
    return out
