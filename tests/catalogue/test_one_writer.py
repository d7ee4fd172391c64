"""One writer per entity: the intranet form, Django admin, the importer and a restore all
write an entry through ``apps.catalogue.services``, so one entry keeps ONE version history
and the search index follows every save."""

from __future__ import annotations

import ast
import copy
import datetime
from pathlib import Path
from typing import Any

import pytest
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from apps.catalogue import interchange, services
from apps.catalogue.edit_forms import initial_from_snapshot
from apps.catalogue.interchange import dumps, entry_to_dict, export_catalogue
from apps.catalogue.models import Entry, EntryVersion
from apps.search.models import SearchDocument
from tests.catalogue.factories import entry, line

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def days_ago(n: int) -> datetime.date:
    return services.helsinki_today() - datetime.timedelta(days=n)


def _title_in_index(e: Entry) -> str:
    document = SearchDocument.objects.get(source="catalogue.entry", object_id=str(e.pk))
    return str(document.titles["fi"])


def _intranet_form(e: Entry, title: str) -> dict[str, Any]:
    initial, contacts = initial_from_snapshot(entry_to_dict(e), version=e.version)
    data = {k: v for k, v in initial.items() if v not in (None, "")}
    data |= {
        "contacts-TOTAL_FORMS": str(len(contacts)),
        "contacts-INITIAL_FORMS": str(len(contacts)),
        "contacts-MIN_NUM_FORMS": "0",
        "contacts-MAX_NUM_FORMS": "1000",
        "title_fi": title,
        "comment": "Lomakkeella",
    }
    for i, contact in enumerate(contacts):
        data |= {f"contacts-{i}-{k}": v for k, v in contact.items() if v}
    return data


def _admin_form(e: Entry, title: str) -> dict[str, Any]:
    data: dict[str, Any] = {
        "kind": e.kind,
        "key": e.key,
        "base_version": e.version,
        "organisation": "",
        "owner": "",
        "title_fi": title,
        "summary_fi": e.summary_fi,
        "service_lines": [x.pk for x in e.service_lines.all()],
        "municipalities": [],
        "target_groups": "",
        "keywords": "",
        "legal_basis": "",
        "review_interval_days": "",
        "contacts-TOTAL_FORMS": 0,
        "contacts-INITIAL_FORMS": 0,
        "contacts-MIN_NUM_FORMS": 0,
        "contacts-MAX_NUM_FORMS": 1000,
    }
    for name in ("title", "summary", "body", "eligibility", "how_to_apply", "fees"):
        for lang in ("sv", "en") if name in ("title", "summary") else ("fi", "sv", "en"):
            data[f"{name}_{lang}"] = ""
    return data


def test_every_write_path_keeps_one_history_and_the_index(
    client, django_user_model, editor, tmp_path
):
    boss = django_user_model.objects.create_superuser("boss", "boss@example.org", "pw-boss")
    created = services.entry_save(
        entry=None,
        data={
            "key": "kuljetus",
            "title": {"fi": "Alku"},
            "summary": {"fi": "Taksimatkat."},
            "service_lines": ["vammaispalvelut"],
        },
        author=editor,
        base_version=0,
        kind=Entry.Kind.SERVICE,
    )
    assert _title_in_index(created) == "Alku"

    # 1. The intranet's edit form.
    client.force_login(editor)
    e = Entry.objects.get(pk=created.pk)
    response = client.post(
        reverse("catalogue:entry_edit", args=[e.key]), _intranet_form(e, "Lomake")
    )
    assert response.status_code == 302
    assert _title_in_index(e) == "Lomake"

    # 2. Django admin's change view.
    client.force_login(boss)
    e = Entry.objects.get(pk=created.pk)
    response = client.post(
        reverse("admin:catalogue_entry_change", args=[e.pk]), _admin_form(e, "Ylläpito")
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert _title_in_index(e) == "Ylläpito"

    # 3. The importer, on a file.
    data = export_catalogue()
    [item] = data["services"]
    item["title"] = {"fi": "Tuotu"}
    path = tmp_path / "catalogue.json"
    path.write_text(dumps(data), encoding="utf-8")
    call_command("import_catalogue", str(path), stdout=open(tmp_path / "out", "w"))  # noqa: SIM115
    assert _title_in_index(e) == "Tuotu"

    # 4. A restore of the form's version.
    client.force_login(editor)
    e = Entry.objects.get(pk=created.pk)
    response = client.post(
        reverse("catalogue:entry_restore", args=[e.key, 2]), {"base_version": e.version}
    )
    assert response.status_code == 302
    assert _title_in_index(e) == "Lomake"

    history = [
        (v.number, v.author.username if v.author else None, v.snapshot["title"]["fi"])
        for v in EntryVersion.objects.filter(entry=created).order_by("number")
    ]
    assert history == [
        (1, "editor", "Alku"),
        (2, "editor", "Lomake"),
        (3, "boss", "Ylläpito"),
        (4, None, "Tuotu"),
        (5, "editor", "Lomake"),
    ]
    comments = list(
        EntryVersion.objects.filter(entry=created)
        .order_by("number")
        .values_list("comment", flat=True)
    )
    assert comments[1:4] == ["Lomakkeella", "Muokattu ylläpidossa", "tuonti"]
    assert Entry.objects.get(pk=created.pk).version == 5


def test_admin_bulk_mark_reviewed_is_the_service(admin_client, editor):
    reviewer = editor
    chosen = [entry(last_reviewed=days_ago(400)), entry(last_reviewed=None)]
    by_service = entry(last_reviewed=days_ago(400), lines=[line()])
    versions_before = EntryVersion.objects.count()

    response = admin_client.post(
        reverse("admin:catalogue_entry_changelist"),
        {"action": "mark_reviewed", helpers.ACTION_CHECKBOX_NAME: [e.pk for e in chosen]},
    )
    services.entry_mark_reviewed(entry=by_service, user=reviewer)

    assert response.status_code == 302
    today = services.helsinki_today()
    after = [Entry.objects.get(pk=e.pk) for e in [*chosen, by_service]]
    assert [e.last_reviewed for e in after] == [today, today, today]
    # Neither writes a version nor changes the content's version number.
    assert EntryVersion.objects.count() == versions_before
    assert {e.version for e in after} == {e.version for e in [*chosen, by_service]}


# --- No other writer ----------------------------------------------------------------------

WRITES = {"save", "update", "create", "delete", "bulk_create", "bulk_update", "get_or_create"}
ALLOWED: dict[str, str] = {
    "apps/catalogue/services.py": "the writer",
}


def _entry_writes(source: str, *, catalogue: bool = True) -> list[int]:
    """Lines that call a write on ``Entry.objects``/``Entry._default_manager``, or (in the
    catalogue app, where these names mean an entry) on ``entry``, ``locked``, ``saved``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        if node.func.attr not in WRITES:
            continue
        target = ast.unparse(node.func.value)
        if target.startswith("Entry.") or (catalogue and target in {"entry", "locked", "saved"}):
            found.append(node.lineno)
    return found


def test_no_module_but_the_services_writes_entries():
    offenders = []
    for path in sorted((ROOT / "apps").rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if "/migrations/" in relative or relative in ALLOWED:
            continue
        catalogue = relative.startswith("apps/catalogue/")
        for lineno in _entry_writes(path.read_text(encoding="utf-8"), catalogue=catalogue):
            offenders.append(f"{relative}:{lineno}")
    assert offenders == []


def test_the_write_check_finds_a_write():
    assert _entry_writes("Entry.objects.filter(pk=1).update(x=1)\nentry.save()\n") == [1, 2]
    assert _entry_writes("thing.save()\n") == []


def test_no_import_cycle_between_services_and_interchange():
    source = (ROOT / "apps/catalogue/interchange.py").read_text(encoding="utf-8")
    imports = [
        ast.unparse(node)
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.ImportFrom)
        and (node.module or "").endswith("services")
        and node.level > 0
    ]
    assert imports == []


# --- One privacy flattener ----------------------------------------------------------------

HETU = "131052-308T"


def test_form_and_import_refuse_an_identity_code_in_the_same_texts(editor):
    """Each text of an entry holding a henkilötunnus is refused by the form's service (on
    its form field) and by the importer (at its place in the file), from one flattener."""
    item: dict[str, Any] = {
        "key": "kuljetus",
        "title": {"fi": "Kuljetus", "sv": "Färdtjänst"},
        "summary": {"fi": "Taksimatkat."},
        "service_lines": ["vammaispalvelut"],
        "keywords": ["taksi", "kela"],
        "contacts": [{"label": {"fi": "Ohjaus"}, "hours": {"fi": "ma–pe"}, "phone": "05 1"}],
    }
    places = {
        ("title", "sv"): ("title_sv", "services[0].title.sv"),
        ("keywords", 1): ("keywords", "services[0].keywords[1]"),
        ("contacts", 0, "hours", "fi"): ("contacts.0.hours_fi", "services[0].contacts[0].hours.fi"),
        ("contacts", 0, "phone"): ("contacts.0.phone", "services[0].contacts[0].phone"),
    }
    assert set(places) <= set(interchange.entry_texts(item))
    for (name, *rest), (form_field, file_path) in places.items():
        bad = copy.deepcopy(item)
        target = bad[name]
        for part in rest[:-1]:
            target = target[part]
        target[rest[-1]] = f"{target[rest[-1]]} {HETU}"

        with pytest.raises(ValidationError) as form_error:
            services.entry_save(
                entry=None, data=bad, author=editor, base_version=0, kind=Entry.Kind.SERVICE
            )
        assert form_field in form_error.value.message_dict
        with pytest.raises(interchange.CatalogueFormatError) as file_error:
            interchange.validate({"format": "sote-catalogue/1", "services": [bad]})
        assert any(line.startswith(f"{file_path}: ") for line in file_error.value.errors)
    assert not Entry.objects.exists()


@pytest.mark.parametrize(
    ("section", "item", "fields"),
    [
        (
            "municipalities",
            {"code": "998", "name": {"fi": "Kunta", "sv": "Kommun"}},
            [("name", "sv")],
        ),
        ("service_lines", {"key": "linja", "name": {"fi": "Linja"}}, [("name", "fi")]),
        (
            "organisations",
            {
                "key": "yhdistys",
                "name": {"fi": "Yhdistys"},
                "kind": "association",
                "website": "https://example.org/",
                "phone": "05 000 1",
                "email": "info@example.org",
            },
            [("key",), ("name", "fi"), ("website",), ("phone",), ("email",)],
        ),
    ],
)
def test_reference_data_is_checked_for_identity_codes_by_the_one_flattener(section, item, fields):
    """Municipalities, lines and organisations go through the same keyed flattener as
    entries: each text is found by its field and refused at its place in the file."""
    kind = {
        "municipalities": interchange.MUNICIPALITY_TEXTS,
        "service_lines": interchange.SERVICE_LINE_TEXTS,
        "organisations": interchange.ORGANISATION_TEXTS,
    }[section]
    assert set(fields) <= set(interchange.free_texts(item, kind))
    for field in fields:
        bad = copy.deepcopy(item)
        target = bad
        for part in field[:-1]:
            target = target[part]
        # The key must be a key (lower case): the identity code is refused as one too.
        target[field[-1]] = "131052-308t" if field == ("key",) else f"{target[field[-1]]} {HETU}"
        with pytest.raises(interchange.CatalogueFormatError) as refused:
            interchange.validate({"format": "sote-catalogue/1", section: [bad]})
        messages = [p.message for p in refused.value.problems if p.path == (section, 0, *field)]
        assert any(m.startswith("Teksti sisältää henkilötunnuksen") for m in messages), messages


def test_one_privacy_flattener_in_the_interchange():
    """The interchange asks the privacy guard in one place, over ``free_texts``."""
    tree = ast.parse((ROOT / "apps/catalogue/interchange.py").read_text(encoding="utf-8"))
    callers = {
        function.name
        for function in ast.walk(tree)
        if isinstance(function, ast.FunctionDef)
        for node in ast.walk(function)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "ensure_no_personal_data"
    }
    assert callers == {"privacy_errors"}
    flatteners = [
        node.name
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef) and node.name.endswith("_texts")
    ]
    assert flatteners == ["free_texts", "entry_texts"]


def test_format_errors_reach_the_form_by_their_paths_not_by_reading_messages():
    """The entry services map a format mistake to its form field by its path (data): they
    use no regular expressions and never read the mistakes as text (``.errors``)."""
    for module in ("services.py", "edit_forms.py", "views/editing.py"):
        tree = ast.parse((ROOT / "apps/catalogue" / module).read_text(encoding="utf-8"))
        imported = {
            alias.name
            for node in ast.walk(tree)
            if isinstance(node, ast.Import)
            for alias in node.names
        }
        assert "re" not in imported, module
        read_as_text = [
            ast.unparse(node)
            for node in ast.walk(tree)
            if isinstance(node, ast.Attribute)
            and node.attr == "errors"
            and ast.unparse(node.value) in ("exc", "error", "caught", "refused")
        ]
        assert read_as_text == [], module
