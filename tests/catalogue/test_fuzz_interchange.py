"""Fuzzing the catalogue importer (``interchange.loads`` + ``import_catalogue`` and the
``import_catalogue`` command) with Hypothesis.

Valid files are mutated the ways real and hostile files go wrong: wrong types, missing
and unknown fields, Unicode, NUL and lone surrogates, huge strings, unknown municipality
codes, identity codes typed the ways people type them, duplicate keys, deep nesting,
bytes that are not UTF-8 and truncated JSON. Whatever the file:

- the importer raises nothing but its own clean error (``CatalogueFormatError`` from the
  function, ``CommandError`` from the command; never a database error that validation
  should have caught first);
- nothing it stores holds a valid personal identity code;
- a refused file leaves the database exactly as it was (row counts and a content hash
  of every table an import writes).

Budgets are fixed and the runs derandomized, so CI sees the same cases every time.
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from apps.catalogue.interchange import (
    CatalogueFormatError,
    dumps,
    export_catalogue,
    loads,
)
from apps.catalogue.models import (
    Contact,
    Entry,
    EntryVersion,
    Municipality,
    Organisation,
    ServiceLine,
)
from apps.catalogue.services import import_catalogue
from apps.search.models import SearchDocument

pytestmark = pytest.mark.django_db

FIXTURE = Path(__file__).parent / "fixtures" / "small-catalogue.json"
FUZZ = settings(
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)


# --- The database before and after -----------------------------------------------------------


TABLES = [
    model._meta.db_table
    for model in (
        Municipality,
        ServiceLine,
        Organisation,
        Entry,
        Contact,
        EntryVersion,
        SearchDocument,
        get_user_model(),
    )
]
TABLES += [
    Entry.service_lines.through._meta.db_table,
    Entry.municipalities.through._meta.db_table,
    Organisation.municipalities.through._meta.db_table,
]


_FINGERPRINT_SQL = (
    "SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM {} t"
)


def db_fingerprint() -> dict[str, tuple[int, str]]:
    """Row count and an md5 of every row (as text, sorted) of each table an import writes."""
    out = {}
    with connection.cursor() as cursor:
        for table in TABLES:  # names from the models, not from input
            cursor.execute(_FINGERPRINT_SQL.format(connection.ops.quote_name(table)))
            out[table] = cursor.fetchone()
    return out


# --- Identity codes, as people type them -----------------------------------------------------

_CHECK = "0123456789ABCDEFHJKLMNPRSTUVWXY"
_CENTURY = {"+": 1800, "-": 1900, "A": 2000}


@st.composite
def identity_codes(draw) -> str:
    """A valid henkilötunnus (date and checksum right)."""
    sign = draw(st.sampled_from(sorted(_CENTURY)))
    year = draw(st.integers(0, 99))
    month = draw(st.integers(1, 12))
    day = draw(st.integers(1, 28))
    serial = draw(st.integers(2, 899))
    digits = f"{day:02d}{month:02d}{year:02d}{serial:03d}"
    return f"{digits[:6]}{sign}{digits[6:]}{_CHECK[int(digits) % 31]}"


def _typed(code: str, how: str) -> str:
    """``code`` the way a person or a copy-paste writes it."""
    head, sign, tail = code[:6], code[6], code[7:]
    dash = sign == "-"
    return {
        "plain": code,
        "lower": code.lower(),
        "spaces around the sign": f"{head} {sign} {tail}",
        "space before the check": f"{head}{sign}{tail[:3]} {tail[3]}",
        "en dash": f"{head}{'–' if dash else sign}{tail}",
        "non-breaking hyphen": f"{head}{'‑' if dash else sign}{tail}",
        "minus sign": f"{head}{'−' if dash else sign}{tail}",
        "zero width inside": f"{head[:3]}\u200b{head[3:]}{sign}{tail}",
    }[how]


HOW_TYPED = [
    "plain",
    "lower",
    "spaces around the sign",
    "space before the check",
    "en dash",
    "non-breaking hyphen",
    "minus sign",
    "zero width inside",
]


@st.composite
def texts_with_identity_code(draw) -> tuple[str, str]:
    code = draw(identity_codes())
    typed = _typed(code, draw(st.sampled_from(HOW_TYPED)))
    glue = draw(
        st.sampled_from(
            [("", ""), ("asiakas ", " soitti"), ("asiakas", "soitti"), ("hetu: ", "."), ("(", ")")]
        )
    )
    return f"{glue[0]}{typed}{glue[1]}", code


def _skeleton(text: str) -> str:
    """Letters and digits only, lower case, format characters dropped: a code typed any
    of the ways above leaves its skeleton in the text."""
    return re.sub(r"[^0-9a-z]", "", text.lower())


def assert_no_identity_code_stored(codes: list[str]) -> None:
    stored = _skeleton(dumps(export_catalogue()))
    stored += _skeleton(" ".join(get_user_model().objects.values_list("username", flat=True)))
    for code in codes:
        assert _skeleton(code) not in stored, f"{code} was stored"


# --- Mutations of a valid file ---------------------------------------------------------------


def base_file() -> dict[str, Any]:
    data = json.loads(FIXTURE.read_text(encoding="utf-8"))
    data["municipalities"] = [{"code": "999", "name": {"fi": "Testikunta"}}]
    return data


def _containers(node: Any, path: tuple = ()) -> list[tuple[tuple, Any]]:
    """Every (path, dict or list) in ``node``, the root first."""
    out = [(path, node)] if isinstance(node, dict | list) else []
    if isinstance(node, dict):
        for k, v in node.items():
            out += _containers(v, (*path, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += _containers(v, (*path, i))
    return out


FREE_TEXT = {"fi", "sv", "en", "phone", "address"}  # keys of free-text strings


def _string_leaves(node: Any) -> list[tuple[Any, Any]]:
    """Every (container, key) whose value is a string."""
    out = []
    for container in (n for _p, n in _containers(node)):
        items = container.items() if isinstance(container, dict) else enumerate(container)
        out += [(container, k) for k, v in items if isinstance(v, str)]
    return out


hostile_strings = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=40),
    st.sampled_from(
        [
            "",
            " ",
            "\x00",
            "a\x00b",
            "\ud800",
            "x\udfffy",
            "\u200b",
            "\ufeff",
            "<script>alert(1)</script>",
            "../../etc/passwd",
            "Ä" * 301,
            "0" * 5000,
            "999",
            "000",
            "12a",
            "kotka",
            "[]",
            "{}",
            "null",
        ]
    ),
    st.integers(1, 200_000).map(lambda n: "x" * n),
)
wrong_values = st.one_of(
    hostile_strings,
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.none(), max_size=2),
)


@st.composite
def mutated_files(draw) -> tuple[bytes, list[str]]:
    """A valid file with a few mutations, as bytes; and the identity codes planted."""
    data = base_file()
    codes: list[str] = []
    placeholders: dict[str, str] = {}  # text-level edits done after serialising
    for _ in range(draw(st.integers(1, 3))):
        what = draw(
            st.sampled_from(
                [
                    "text",
                    "text",
                    "text",
                    "code",
                    "code",
                    "string",
                    "replace",
                    "delete",
                    "add",
                    "municipality",
                    "duplicate",
                    "nest",
                ]
            )
        )
        if what in ("text", "code", "string"):
            # A string the file already has (mostly free text): the rest of the file stays
            # valid, so the value itself decides whether the file is imported.
            leaves = _string_leaves(data)
            free = [(n, k) for n, k in leaves if k in FREE_TEXT] or leaves
            node, key = draw(st.sampled_from(leaves if what == "string" else free))
            if what != "code":
                node[key] = draw(hostile_strings)
                continue
        else:
            _where, node = draw(st.sampled_from(_containers(data)))
            keys = list(node) if isinstance(node, dict) else list(range(len(node)))
            if what in ("replace", "municipality", "nest") and not keys:
                what = "add"
            if what == "delete" and not keys:
                continue
            key = draw(st.sampled_from(keys)) if keys else None
        if what == "replace":
            node[key] = draw(wrong_values)
        elif what == "delete":
            del node[key]
        elif what == "add":
            if isinstance(node, dict):
                node[draw(st.text(max_size=12))] = draw(wrong_values)
            else:
                node.append(draw(wrong_values))
        elif what == "code":
            text, code = draw(texts_with_identity_code())
            node[key] = text
            codes.append(code)
        elif what == "municipality":
            node[key] = draw(st.sampled_from(["000", "998", "28", "2850", "285 ", "２８５"]))
        elif what == "duplicate" and isinstance(node, dict):
            marker = f"DUPLICATE-{len(placeholders)}"
            node[marker] = draw(wrong_values)
            placeholders[json.dumps(marker)] = json.dumps(str(key))
        elif what == "nest":
            marker = f"NESTED-{len(placeholders)}"
            node[key] = marker
            depth = draw(st.integers(1, 5000))
            placeholders[json.dumps(marker)] = "[" * depth + "]" * depth
    text = json.dumps(data, ensure_ascii=draw(st.booleans()))
    for marker, replacement in placeholders.items():
        text = text.replace(marker, replacement)
    raw = text.encode("utf-8", errors="surrogatepass")
    damage = draw(st.sampled_from(["none", "none", "none", "none", "truncate", "bytes"]))
    if damage == "truncate":
        raw = raw[: draw(st.integers(0, len(raw)))]
    elif damage == "bytes":
        at = draw(st.integers(0, len(raw)))
        raw = (
            raw[:at]
            + draw(
                st.sampled_from(
                    [b"\xff", b"\xc3", b"\xed\xa0\x80", b"\x00", b"\xef\xbb\xbf", b"\x80\x80"]
                )
            )
            + raw[at:]
        )
    return raw, codes


# --- Properties ----------------------------------------------------------------------------


def _import_file(raw: bytes) -> None:
    import_catalogue(loads(raw))


@settings(FUZZ, max_examples=120)
@given(case=mutated_files())
def test_fuzzed_files_are_imported_or_refused_cleanly(case):
    raw, codes = case
    before = db_fingerprint()
    try:
        _import_file(raw)
    except CatalogueFormatError as exc:
        event("refused")
        assert exc.errors and all(isinstance(e, str) for e in exc.errors)
        assert db_fingerprint() == before
    else:
        event("imported")
    assert_no_identity_code_stored(codes)


@settings(FUZZ, max_examples=40)
@given(case=mutated_files())
def test_fuzzed_files_through_the_command_give_only_its_own_error(case, tmp_path_factory):
    raw, codes = case
    path = tmp_path_factory.mktemp("fuzz") / "catalogue.json"
    path.write_bytes(raw)
    before = db_fingerprint()
    try:
        call_command("import_catalogue", str(path), stdout=_Sink(), stderr=_Sink())
    except CommandError as exc:
        # Validation refuses what the database would: an import never starts and fails.
        assert not str(exc).startswith("Tuonti keskeytyi"), str(exc)
        assert db_fingerprint() == before
    assert_no_identity_code_stored(codes)


class _Sink:
    def write(self, text: str) -> None:
        text.encode("utf-8")  # what a terminal would have to print

    def flush(self) -> None:
        pass


# --- Duplicate keys at any depth ---------------------------------------------------------------


@st.composite
def files_with_a_duplicate_key(draw) -> tuple[str, str]:
    """A valid file with one key repeated in one object at a random depth; and the error
    naming that object (``services[1].title: duplicate key "fi"``)."""
    data = base_file()
    objects = [(p, n) for p, n in _containers(data) if isinstance(n, dict) and n]
    where, node = draw(st.sampled_from(objects))
    key = draw(st.sampled_from(sorted(node)))
    node["DUPLICATE"] = draw(st.one_of(st.just(node[key]), wrong_values))
    names = list(node)
    random.Random(draw(st.integers(0, 1000))).shuffle(names)  # anywhere in the object
    reordered = {n: node[n] for n in names}
    node.clear()
    node.update(reordered)
    text = json.dumps(data).replace('"DUPLICATE"', json.dumps(key))
    path = ""
    for step in where:
        path += f"[{step}]" if isinstance(step, int) else (f".{step}" if path else step)
    return text, f"{path or '(file)'}: duplicate key {json.dumps(key, ensure_ascii=False)}"


@settings(FUZZ, max_examples=80)
@given(case=files_with_a_duplicate_key())
def test_a_duplicate_key_at_any_depth_is_refused_naming_its_path(case):
    text, expected = case
    before = db_fingerprint()

    with pytest.raises(CatalogueFormatError) as refused:
        _import_file(text.encode("utf-8"))

    assert expected in refused.value.errors, refused.value.errors
    assert db_fingerprint() == before
