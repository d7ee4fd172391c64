"""The catalogue interchange format ``sote-catalogue/1`` (apps/catalogue/interchange.py)
and its two commands, ``import_catalogue`` and ``export_catalogue``."""

from __future__ import annotations

import copy
import datetime
import io
import json
import threading
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from apps.catalogue.interchange import (
    CatalogueFormatError,
    contact_municipalities,
    dumps,
    entry_to_dict,
    export_catalogue,
    loads,
    validate,
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
from apps.core import limits
from apps.core.privacy import find_personal_identity_codes
from tests.catalogue import factories
from tests.reference_data import seed_reference_data

pytestmark = pytest.mark.django_db

HETU = "131052-308T"  # a valid personal identity code (checksum OK)
FIXTURE = Path(__file__).parent / "fixtures" / "small-catalogue.json"
DEMO = Path(settings.BASE_DIR) / "demo" / "catalogue.json"
DEV_CATALOGUE = Path(settings.BASE_DIR).parent / "shared" / "search-eval" / "dev-catalogue.json"
ENTRY_SECTIONS = ("services", "offers")


# --- Helpers -------------------------------------------------------------------------------


def load(path: Path) -> dict[str, Any]:
    assert path.exists(), f"{path} is missing"
    return json.loads(path.read_text(encoding="utf-8"))


def small() -> dict[str, Any]:
    return load(FIXTURE)


def service(key: str, **fields: Any) -> dict[str, Any]:
    return {
        "key": key,
        "title": {"fi": f"Palvelu {key}"},
        "summary": {"fi": "Lyhyt kuvaus."},
        "service_lines": ["tyoikaiset"],
        **fields,
    }


def offer(key: str, **fields: Any) -> dict[str, Any]:
    return {
        "key": key,
        "title": {"fi": f"Tarjonta {key}"},
        "summary": {"fi": "Lyhyt kuvaus."},
        "organisation": "testiyhdistys",
        **fields,
    }


def db_state() -> dict[str, Any]:
    """Row counts of everything an import can write, plus the whole catalogue as exported
    and every entry's version: equal states mean the database was left as it was."""
    return {
        "counts": {
            model.__name__: model._default_manager.count()
            for model in (
                Municipality,
                ServiceLine,
                Organisation,
                Entry,
                Contact,
                EntryVersion,
                get_user_model(),
            )
        },
        "versions": dict(Entry.objects.values_list("key", "version")),
        "export": dumps(export_catalogue()),
    }


def run_command(name: str, *args: str) -> str:
    out = io.StringIO()
    call_command(name, *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def assert_round_trip(data: dict[str, Any]) -> str:
    """Import ``data``, export, import the export, export again: both exports are the same
    file, the second import changes nothing, and every object of ``data`` comes back as it
    was. Returns the export."""
    import_catalogue(data)
    first = dumps(export_catalogue())
    before = db_state()
    summary = import_catalogue(json.loads(first))
    assert all(c.created == 0 and c.updated == 0 for c in summary.counts.values()), summary
    assert db_state() == before
    second = dumps(export_catalogue())
    assert second == first

    exported = json.loads(first)
    for section in ("municipalities", "service_lines", "organisations", *ENTRY_SECTIONS):
        if section not in data:
            continue
        ident = "code" if section == "municipalities" else "key"
        by_ident = {item[ident]: unordered_references(item) for item in exported[section]}
        assert [by_ident.get(item[ident]) for item in data[section]] == [
            unordered_references(item) for item in data[section]
        ], section
    return first


def unordered_references(item: dict[str, Any]) -> dict[str, Any]:
    """``item`` with its lists of municipalities and service lines sorted: they are sets,
    which the export writes sorted."""
    if isinstance(item.get("contacts"), list):  # the earlier shape: one "municipality"
        item = {
            **item,
            "contacts": [
                {k: v for k, v in c.items() if k not in ("municipality", "municipalities")}
                | ({"municipalities": codes} if (codes := contact_municipalities(c)) else {})
                for c in item["contacts"]
            ],
        }
    return {
        name: sorted(value) if name in ("municipalities", "service_lines") else value
        for name, value in item.items()
    }


# --- Import: valid files -----------------------------------------------------------------


def test_import_catalogue_creates_everything():
    summary = import_catalogue(small())

    assert {s: (c.created, c.updated, c.unchanged) for s, c in summary.counts.items()} == {
        "municipalities": (0, 0, 0),
        "service_lines": (0, 0, 0),
        "organisations": (3, 0, 0),
        "services": (2, 0, 0),
        "offers": (2, 0, 0),
    }
    parish = Organisation.objects.get(key="testikylan-seurakunta")
    assert (parish.name_fi, parish.name_sv, parish.kind) == (
        "Testikylän seurakunta",
        "Testby församling",
        Organisation.Kind.PARISH,
    )
    assert sorted(parish.municipalities.values_list("code", flat=True)) == ["075", "285"]
    assert (parish.website, parish.phone, parish.email) == (
        "https://seurakunta.example.org",
        "040 000 0101",
        "diakonia@example.org",
    )

    home_care = Entry.objects.get(key="testi-kotihoito")
    assert home_care.kind == Entry.Kind.SERVICE
    assert (home_care.title_fi, home_care.title_sv, home_care.title_en) == (
        "Kotihoito (testi)",
        "Hemvård (test)",
        "Home care (test)",
    )
    assert home_care.body_fi.startswith("Kotihoito käy asiakkaan luona **sovittuina")
    assert home_care.fees_fi == "Kuukausimaksu tulojen mukaan."
    assert sorted(home_care.service_lines.values_list("key", flat=True)) == [
        "ikaihmiset",
        "vammaispalvelut",
    ]
    assert sorted(home_care.municipalities.values_list("code", flat=True)) == ["285", "286"]
    assert home_care.organisation.key == "kymenlaakson-hyvinvointialue-testi"
    assert home_care.target_groups == ["ikäihmiset", "omaiset"]
    assert home_care.keywords == ["kotipalvelu", "kotisairaanhoito"]
    assert home_care.legal_basis == ["Sosiaalihuoltolaki 1301/2014, 19 a §"]
    assert home_care.owner.username == "testi.omistaja"
    assert home_care.review_interval_days == 180
    assert home_care.last_reviewed == datetime.date(2026, 11, 20)
    contacts = list(home_care.contacts.order_by("position"))
    assert [
        (c.label_fi, c.phone, sorted(m.code for m in c.municipalities.all())) for c in contacts
    ] == [
        ("Asiakasohjaus, Kotka", "05 000 0201", ["075", "285"]),
        ("Asiakasohjaus, Kouvola", "05 000 0202", ["286"]),
        ("", "05 000 0203", []),
    ]
    assert contacts[0].opening_hours["exceptions"][0] == {
        "from": "2026-12-24",
        "to": "2026-12-26",
        "closed": True,
    }
    assert (contacts[0].hours_fi, contacts[0].hours_sv, contacts[0].address) == (
        "ma–pe 9–12",
        "mån–fre 9–12",
        "Testikatu 1, 48100 Kotka",
    )

    food = Entry.objects.get(key="testi-ruoka-apu")
    assert food.kind == Entry.Kind.OFFER
    assert food.organisation.key == "testikylan-seurakunta"
    assert list(food.service_lines.all()) == []
    assert food.owner is None and food.review_interval_days is None

    # Each imported entry starts its history: version 1, a snapshot of what was imported.
    for entry in Entry.objects.all():
        assert entry.version == 1
        version = EntryVersion.objects.get(entry=entry)
        assert (version.number, version.author, version.comment) == (1, None, "tuonti")
        assert version.snapshot == entry_to_dict(entry)


def test_import_catalogue_again_changes_nothing():
    import_catalogue(small())
    before = db_state()
    updated_at = dict(Entry.objects.values_list("key", "updated_at"))

    summary = import_catalogue(small())

    assert {s: (c.created, c.updated) for s, c in summary.counts.items()} == {
        s: (0, 0) for s in summary.counts
    }
    assert summary.counts["services"].unchanged == 2
    assert summary.counts["offers"].unchanged == 2
    assert summary.counts["organisations"].unchanged == 3
    assert summary.users_created == []
    assert db_state() == before
    assert dict(Entry.objects.values_list("key", "updated_at")) == updated_at
    assert set(EntryVersion.objects.values_list("number", flat=True)) == {1}


def test_import_catalogue_updates_an_existing_key():
    import_catalogue(small())
    data = small()
    home_care = data["services"][0]
    home_care["title"] = {"fi": "Kotihoito ja kotisairaanhoito (testi)"}
    home_care["service_lines"] = ["ikaihmiset"]
    home_care["contacts"] = [{"label": {"fi": "Keskitetty asiakasohjaus"}, "phone": "05 000 0299"}]
    del home_care["owner"]

    summary = import_catalogue(data)

    assert (summary.counts["services"].updated, summary.counts["services"].unchanged) == (1, 1)
    assert summary.counts["offers"].unchanged == 2
    entry = Entry.objects.get(key="testi-kotihoito")
    assert entry.title_fi == "Kotihoito ja kotisairaanhoito (testi)"
    assert entry.title_sv == ""  # the file is the whole truth about the entry
    assert list(entry.service_lines.values_list("key", flat=True)) == ["ikaihmiset"]
    assert [(c.label_fi, c.phone) for c in entry.contacts.all()] == [
        ("Keskitetty asiakasohjaus", "05 000 0299")
    ]
    assert entry.owner is None
    assert entry.version == 2
    assert list(entry.versions.values_list("number", flat=True)) == [2, 1]
    assert entry.versions.get(number=2).snapshot == entry_to_dict(entry)
    assert Entry.objects.get(key="testi-toimeentulotuki").version == 1
    assert Contact.objects.count() == 1 + 1  # the updated entry's one + the food aid's one


def test_import_catalogue_updates_changed_organisation_and_reports_it():
    import_catalogue(small())
    data = small()
    data["organisations"][1]["municipalities"] = ["285"]
    data["organisations"][1]["phone"] = "040 000 0999"

    summary = import_catalogue(data)

    assert (summary.counts["organisations"].updated, summary.counts["organisations"].unchanged) == (
        1,
        2,
    )
    parish = Organisation.objects.get(key="testikylan-seurakunta")
    assert list(parish.municipalities.values_list("code", flat=True)) == ["285"]
    assert parish.phone == "040 000 0999"


def test_import_catalogue_leaves_entries_not_in_the_file_untouched():
    other = factories.entry(
        "muu-kortti", title="Muu kortti", lines=["ikaihmiset"], municipalities=[factories.HAMINA]
    )
    factories.contact(other, municipality=factories.HAMINA, phone="05 000 0777")
    other_org = factories.organisation("muu-yhdistys")
    snapshot = entry_to_dict(other)
    other.refresh_from_db()
    updated_at = other.updated_at

    import_catalogue(small())

    other.refresh_from_db()
    assert entry_to_dict(other) == snapshot
    assert (other.version, other.updated_at) == (0, updated_at)
    assert not other.versions.exists()
    assert Organisation.objects.filter(pk=other_org.pk).exists()
    assert Entry.objects.count() == 5


def test_import_catalogue_adds_municipalities_and_lines_and_renames_them():
    data = {
        "format": "sote-catalogue/1",
        "municipalities": [
            {"code": "999", "name": {"fi": "Testilä", "sv": "Testby"}},
            {"code": "285", "name": {"fi": "Kotkan kaupunki"}},
        ],
        "service_lines": [{"key": "uusi-linja", "name": {"fi": "Uusi linja"}}],
        "services": [
            service(
                "uusi-palvelu",
                service_lines=["uusi-linja"],
                municipalities=["999"],
                contacts=[{"phone": "05 000 0100", "municipality": "999"}],
            )
        ],
    }
    positions = list(ServiceLine.objects.values_list("position", flat=True))

    summary = import_catalogue(data)

    assert (summary.counts["municipalities"].created, summary.counts["municipalities"].updated) == (
        1,
        1,
    )
    assert summary.counts["service_lines"].created == 1
    assert Municipality.objects.get(code="999").name_sv == "Testby"
    kotka = Municipality.objects.get(code="285")
    assert (kotka.name_fi, kotka.name_sv, kotka.name_en) == ("Kotkan kaupunki", "", "")
    # A new line goes after the existing ones in the routing order.
    assert ServiceLine.objects.get(key="uusi-linja").position == max(positions) + 1
    entry = Entry.objects.get(key="uusi-palvelu")
    # A contact in the earlier shape (one "municipality") serves that municipality.
    assert [m.code for m in entry.contacts.get().municipalities.all()] == ["999"]


def test_import_catalogue_creates_missing_owners_inactive_without_password(editor):
    data = small()
    data["offers"][0]["owner"] = "editor"

    summary = import_catalogue(data)

    assert summary.users_created == ["testi.omistaja"]
    owner = get_user_model().objects.get(username="testi.omistaja")
    assert not owner.is_active
    assert not owner.has_usable_password()
    assert not owner.is_staff and not owner.is_superuser
    assert list(owner.owned_entries.order_by("key").values_list("key", flat=True)) == [
        "testi-kotihoito",
        "testi-vertaisryhma",
    ]
    editor.refresh_from_db()
    assert editor.is_active and editor.check_password("pw-editor")
    assert Entry.objects.get(key="testi-ruoka-apu").owner == editor
    # Importing again finds the user it made and makes no other.
    assert import_catalogue(data).users_created == []
    assert get_user_model().objects.filter(username="testi.omistaja").count() == 1


def test_import_catalogue_accepts_empty_and_missing_sections():
    before = db_state()
    summary = import_catalogue({"format": "sote-catalogue/1", "services": [], "offers": None})
    assert all(c.created == c.updated == 0 for c in summary.counts.values())
    assert db_state() == before


def test_import_catalogue_treats_empty_optional_values_as_absent():
    data = {
        "format": "sote-catalogue/1",
        "services": [
            service(
                "tyhjat",
                organisation="",
                owner="",
                last_reviewed="",
                body={"fi": "", "sv": None},
                keywords=[],
                contacts=[],
            )
        ],
    }
    import_catalogue(data)
    assert entry_to_dict(Entry.objects.get(key="tyhjat")) == {
        "key": "tyhjat",
        "title": {"fi": "Palvelu tyhjat"},
        "summary": {"fi": "Lyhyt kuvaus."},
        "service_lines": ["tyoikaiset"],
    }


# --- Import: refused files ---------------------------------------------------------------


@pytest.fixture
def existing_entry() -> Entry:
    """An entry already in the database, which the files below would update."""
    entry = factories.entry("vanha-kortti", title="Vanha kortti", lines=["tyoikaiset"])
    factories.contact(entry, phone="05 000 0300")
    return entry


def good_file() -> dict[str, Any]:
    """The small fixture plus an update of ``vanha-kortti``: good entries that a bad one
    appended after them must not let through."""
    data = small()
    data["services"].append(service("vanha-kortti", title={"fi": "Uusi otsikko"}))
    return data


def _bad_service(**fields: Any) -> dict[str, Any]:
    return service("uusi-huono", **fields)


def _bad_offer(**fields: Any) -> dict[str, Any]:
    return offer("uusi-huono", **fields)


def _without(item: dict[str, Any], name: str) -> dict[str, Any]:
    item = copy.deepcopy(item)
    del item[name]
    return item


# (section, bad entry appended at the end of it, expected error after the entry's path)
BAD_ENTRIES = {
    "unknown entry field": ("services", _bad_service(colour="sininen"), ".colour: unknown field"),
    "unknown contact field": (
        "services",
        _bad_service(contacts=[{"phone": "05 000 0400", "fax": "05 000 0401"}]),
        ".contacts[0].fax: unknown field",
    ),
    "unknown language": (
        "services",
        _bad_service(title={"fi": "Otsikko", "de": "Titel"}),
        ".title.de: unknown language",
    ),
    "unknown language in a contact": (
        "offers",
        _bad_offer(contacts=[{"hours": {"fi": "ma 9–12", "ru": "пн 9–12"}}]),
        ".contacts[0].hours.ru: unknown language",
    ),
    "title without fi": ("services", _bad_service(title={"sv": "Titel"}), ".title.fi: missing"),
    "title with empty fi": (
        "services",
        _bad_service(title={"fi": "  "}),
        ".title.fi: must not be empty",
    ),
    "missing summary": ("offers", _without(_bad_offer(), "summary"), ".summary: missing"),
    "text not localised": (
        "services",
        _bad_service(body="Pelkkä teksti"),
        ".body: expected an object from language code to text",
    ),
    "missing key": ("services", _without(_bad_service(), "key"), ".key: missing"),
    "key with capitals": (
        "services",
        service("Iso-Kirjain"),
        ".key: invalid key (a–z, 0–9 and '-' only) 'Iso-Kirjain'",
    ),
    "key with a space": (
        "offers",
        offer("kaksi sanaa"),
        ".key: invalid key (a–z, 0–9 and '-' only) 'kaksi sanaa'",
    ),
    "key too long": ("services", service("a" * 101), ".key: longer than 100 characters"),
    "unknown municipality": (
        "services",
        _bad_service(municipalities=["285", "999"]),
        ".municipalities[1]: unknown municipality '999'",
    ),
    "bad municipality code": (
        "services",
        _bad_service(municipalities=["Kotka"]),
        ".municipalities[0]: invalid municipality code 'Kotka'",
    ),
    "unknown municipality in a contact": (
        "services",
        _bad_service(contacts=[{"phone": "05 000 0400", "municipality": "998"}]),
        ".contacts[0].municipality: unknown municipality '998'",
    ),
    "unknown municipality among a contact's municipalities": (
        "services",
        _bad_service(contacts=[{"phone": "05 000 0400", "municipalities": ["285", "998"]}]),
        ".contacts[0].municipalities[1]: unknown municipality '998'",
    ),
    "a contact with both municipality keys": (
        "services",
        _bad_service(contacts=[{"municipality": "285", "municipalities": ["075"]}]),
        '.contacts[0].municipality: give either "municipality" or "municipalities"',
    ),
    "opening hours with a bad range": (
        "services",
        _bad_service(contacts=[{"opening_hours": {"weekly": [{"days": {"mon": ["8-16"]}}]}}]),
        ".contacts[0].opening_hours.weekly[0].days.mon[0]: invalid time range '8-16' "
        "(expected HH:MM-HH:MM)",
    ),
    "opening hours on an unknown weekday": (
        "services",
        _bad_service(contacts=[{"opening_hours": {"weekly": [{"days": {"ma": []}}]}}]),
        ".contacts[0].opening_hours.weekly[0].days.ma: unknown weekday (mon, tue, … sun)",
    ),
    "opening hours exception neither closed nor with hours": (
        "services",
        _bad_service(contacts=[{"opening_hours": {"exceptions": [{"from": "2026-12-24"}]}}]),
        '.contacts[0].opening_hours.exceptions[0]: needs "closed": true or "hours"',
    ),
    "opening hours exception ending before it starts": (
        "services",
        _bad_service(
            contacts=[
                {
                    "opening_hours": {
                        "exceptions": [{"from": "2026-12-24", "to": "2026-12-01", "closed": True}]
                    }
                }
            ]
        ),
        ".contacts[0].opening_hours.exceptions[0].to: before from",
    ),
    "unknown service line": (
        "services",
        _bad_service(service_lines=["tyoikaiset", "ei-linjaa"]),
        ".service_lines[1]: unknown service line 'ei-linjaa'",
    ),
    "duplicate service line": (
        "services",
        _bad_service(service_lines=["tyoikaiset", "tyoikaiset"]),
        ".service_lines[1]: duplicate service line 'tyoikaiset'",
    ),
    "unknown organisation": (
        "offers",
        _bad_offer(organisation="ei-ole-olemassa"),
        ".organisation: unknown organisation 'ei-ole-olemassa'",
    ),
    "service without service lines": (
        "services",
        _bad_service(service_lines=[]),
        ".service_lines: a service needs at least one service line",
    ),
    "service with service lines missing": (
        "services",
        _without(_bad_service(), "service_lines"),
        ".service_lines: a service needs at least one service line",
    ),
    "offer without organisation": (
        "offers",
        _without(_bad_offer(), "organisation"),
        ".organisation: missing",
    ),
    "offer with empty organisation": (
        "offers",
        _bad_offer(organisation=""),
        ".organisation: missing",
    ),
    "impossible date": (
        "services",
        _bad_service(last_reviewed="2026-02-30"),
        ".last_reviewed: expected an ISO date (YYYY-MM-DD)",
    ),
    "Finnish date": (
        "offers",
        _bad_offer(last_reviewed="3.12.2026"),
        ".last_reviewed: expected an ISO date (YYYY-MM-DD)",
    ),
    "date as a number": (
        "services",
        _bad_service(last_reviewed=20261203),
        ".last_reviewed: expected an ISO date (YYYY-MM-DD)",
    ),
    "zero review interval": (
        "services",
        _bad_service(review_interval_days=0),
        ".review_interval_days: expected a positive whole number",
    ),
    "review interval as text": (
        "services",
        _bad_service(review_interval_days="180"),
        ".review_interval_days: expected a positive whole number",
    ),
    "keyword not a string": (
        "services",
        _bad_service(keywords=["taksi", 5]),
        ".keywords[1]: expected a string",
    ),
    "empty keyword": (
        "services",
        _bad_service(keywords=["taksi", ""]),
        ".keywords[1]: must not be empty",
    ),
    "keywords not a list": (
        "services",
        _bad_service(keywords="taksi"),
        ".keywords: expected a list",
    ),
    "contacts not a list": (
        "services",
        _bad_service(contacts={"phone": "05 000 0400"}),
        ".contacts: expected a list",
    ),
    "bad contact e-mail": (
        "services",
        _bad_service(contacts=[{"email": "ei-sahkoposti"}]),
        ".contacts[0].email: invalid e-mail address 'ei-sahkoposti'",
    ),
    "bad owner": (
        "services",
        _bad_service(owner="sanna virtanen"),
        ".owner: invalid username 'sanna virtanen'",
    ),
    "NUL character": (
        "services",
        _bad_service(summary={"fi": "Lyhyt\u0000kuvaus."}),
        ".summary.fi: contains a NUL character",
    ),
    "lone surrogate": (
        "services",
        _bad_service(summary={"fi": "Lyhyt\ud800kuvaus."}),
        ".summary.fi: contains a lone surrogate (not a character)",
    ),
    "entry not an object": ("offers", ["uusi-huono"], ": expected an object"),
}


@pytest.mark.parametrize("case", list(BAD_ENTRIES), ids=list(BAD_ENTRIES))
def test_import_catalogue_refuses_a_bad_entry_after_good_ones(case, existing_entry):
    section, bad, expected = BAD_ENTRIES[case]
    data = good_file()
    expected = f"{section}[{len(data[section])}]{expected}"
    data[section].append(copy.deepcopy(bad))
    before = db_state()

    with pytest.raises(CatalogueFormatError) as refused:
        import_catalogue(data)

    assert expected in refused.value.errors, refused.value.errors
    assert db_state() == before
    existing_entry.refresh_from_db()
    assert (existing_entry.title_fi, existing_entry.version) == ("Vanha kortti", 0)
    assert not Entry.objects.filter(key__startswith="testi-").exists()


def test_import_catalogue_names_the_entry_and_field_as_the_spec_does():
    data = {"format": "sote-catalogue/1", "services": [service(f"palvelu-{i}") for i in range(12)]}
    data["services"].append(service("palvelu-12", title={"sv": "Bara svenska"}))

    with pytest.raises(CatalogueFormatError) as refused:
        import_catalogue(data)

    assert refused.value.errors == ["services[12].title.fi: missing"]
    assert str(refused.value) == "services[12].title.fi: missing"
    assert not Entry.objects.exists()


BAD_FILES = {
    "unknown top-level field": (lambda d: d.update(extras=[]), "extras: unknown field"),
    "missing format": (lambda d: d.pop("format"), "format: missing"),
    "other format": (
        lambda d: d.update(format="sote-catalogue/2"),
        "format: expected 'sote-catalogue/1', got 'sote-catalogue/2'",
    ),
    "section not a list": (lambda d: d.update(offers={"key": "x"}), "offers: expected a list"),
    "duplicate key across services and offers": (
        lambda d: d["offers"].append(offer("testi-kotihoito")),
        "offers[2].key: duplicate key 'testi-kotihoito' (also services[0])",
    ),
    "duplicate key within services": (
        lambda d: d["services"].append(service("testi-toimeentulotuki")),
        "services[3].key: duplicate key 'testi-toimeentulotuki' (also services[1])",
    ),
    "unknown organisation field": (
        lambda d: d["organisations"].append(
            {"key": "uusi", "name": {"fi": "Uusi"}, "kind": "association", "y_tunnus": "1"}
        ),
        "organisations[3].y_tunnus: unknown field",
    ),
    "unknown organisation kind": (
        lambda d: d["organisations"].append(
            {"key": "uusi", "name": {"fi": "Uusi"}, "kind": "club"}
        ),
        "organisations[3].kind: unknown kind 'club' (expected one of wellbeing_area, "
        "municipality, state, association, parish, foundation, company)",
    ),
    "organisation with unknown language": (
        lambda d: d["organisations"].append(
            {"key": "uusi", "name": {"fi": "Uusi", "se": "Ny"}, "kind": "company"}
        ),
        "organisations[3].name.se: unknown language",
    ),
    "organisation in an unknown municipality": (
        lambda d: d["organisations"].append(
            {"key": "uusi", "name": {"fi": "Uusi"}, "kind": "parish", "municipalities": ["000"]}
        ),
        "organisations[3].municipalities[0]: unknown municipality '000'",
    ),
    "organisation with a bad website": (
        lambda d: d["organisations"][0].update(website="www.example.org"),
        "organisations[0].website: invalid URL 'www.example.org'",
    ),
    "duplicate organisation": (
        lambda d: d["organisations"].append(copy.deepcopy(d["organisations"][0])),
        "organisations[3].key: duplicate key 'kymenlaakson-hyvinvointialue-testi' "
        "(also organisations[0])",
    ),
    "unknown municipality field": (
        lambda d: d.update(
            municipalities=[{"code": "285", "name": {"fi": "Kotka"}, "population": 50000}]
        ),
        "municipalities[0].population: unknown field",
    ),
    "municipality with unknown language": (
        lambda d: d.update(
            municipalities=[{"code": "075", "name": {"fi": "Hamina", "de": "Hamina"}}]
        ),
        "municipalities[0].name.de: unknown language",
    ),
    "bad municipality code": (
        lambda d: d.update(municipalities=[{"code": "75", "name": {"fi": "Hamina"}}]),
        "municipalities[0].code: invalid municipality code '75'",
    ),
    "service line without name": (
        lambda d: d.update(service_lines=[{"key": "uusi-linja"}]),
        "service_lines[0].name: missing",
    ),
    "service line with a bad key": (
        lambda d: d.update(service_lines=[{"key": "Uusi_linja", "name": {"fi": "Uusi"}}]),
        "service_lines[0].key: invalid key (a–z, 0–9 and '-' only) 'Uusi_linja'",
    ),
}


@pytest.mark.parametrize("case", list(BAD_FILES), ids=list(BAD_FILES))
def test_import_catalogue_refuses_a_bad_file_whole(case, existing_entry):
    change, expected = BAD_FILES[case]
    data = good_file()
    change(data)
    before = db_state()

    with pytest.raises(CatalogueFormatError) as refused:
        import_catalogue(data)

    assert expected in refused.value.errors, refused.value.errors
    assert db_state() == before
    assert Entry.objects.get(key="vanha-kortti").title_fi == "Vanha kortti"


def test_import_catalogue_refuses_a_file_that_is_not_an_object():
    with pytest.raises(CatalogueFormatError) as refused:
        import_catalogue([{"format": "sote-catalogue/1"}])
    assert refused.value.errors == ["(file): expected a JSON object"]


def test_import_catalogue_lists_every_mistake_at_once():
    data = small()
    data["services"][1]["title"] = {}
    data["offers"][0]["organisation"] = "ei-ole"
    data["offers"][1]["kolor"] = "x"

    with pytest.raises(CatalogueFormatError) as refused:
        import_catalogue(data)

    assert refused.value.errors == [
        "services[1].title.fi: missing",
        "offers[0].organisation: unknown organisation 'ei-ole'",
        "offers[1].kolor: unknown field",
    ]


def test_import_catalogue_accepts_references_already_in_the_database():
    factories.organisation("vanha-yhdistys")
    data = {
        "format": "sote-catalogue/1",
        "offers": [
            offer("uusi-tarjous", organisation="vanha-yhdistys", municipalities=["489", "935"])
        ],
    }
    import_catalogue(data)
    assert Entry.objects.get(key="uusi-tarjous").organisation.key == "vanha-yhdistys"


# --- The privacy guard -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "path"),
    [
        (
            lambda e: e.update(body={"fi": f"Esimerkki: asiakas {HETU} soitti."}),
            "services[3].body.fi",
        ),
        (
            lambda e: e.update(summary={"fi": "Lyhyt.", "sv": f"Kund {HETU.lower()}."}),
            "services[3].summary.sv",
        ),
        (lambda e: e.update(keywords=["taksi", HETU]), "services[3].keywords[1]"),
        (lambda e: e.update(legal_basis=[f"Päätös {HETU}"]), "services[3].legal_basis[0]"),
        (
            lambda e: e.update(contacts=[{"label": {"fi": "Ohjaus"}, "address": HETU}]),
            "services[3].contacts[0].address",
        ),
        (
            lambda e: e.update(contacts=[{"hours": {"fi": f"ma 9–12 ({HETU})"}}]),
            "services[3].contacts[0].hours.fi",
        ),
        (lambda e: e.update(key=HETU.lower()), "services[3].key"),
        (lambda e: e.update(owner=HETU), "services[3].owner"),
    ],
    ids=[
        "body",
        "summary-sv",
        "keyword",
        "legal-basis",
        "contact-address",
        "contact-hours",
        "key",
        "owner",
    ],
)
def test_import_catalogue_refuses_a_personal_identity_code(change, path, existing_entry):
    data = good_file()
    bad = service("hetu-kortti")
    change(bad)
    data["services"].append(bad)
    before = db_state()

    with pytest.raises(CatalogueFormatError) as refused:
        import_catalogue(data)

    errors = [e for e in refused.value.errors if e.startswith(f"{path}: ")]
    assert len(errors) == 1, refused.value.errors
    assert "henkilötunnuksen" in errors[0]
    assert HETU not in str(refused.value)  # the error itself does not repeat the code
    assert db_state() == before


def test_import_catalogue_refuses_a_personal_identity_code_in_an_organisation_name():
    data = small()
    data["organisations"][2]["name"]["fi"] = f"Yhdistys {HETU}"
    with pytest.raises(CatalogueFormatError) as refused:
        import_catalogue(data)
    assert [e.split(": ")[0] for e in refused.value.errors] == ["organisations[2].name.fi"]
    assert not Organisation.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("email", f"{HETU}@example.org"),
        ("website", f"https://example.org/{HETU}"),
        ("phone", f"040 {HETU}"),
    ],
)
def test_import_catalogue_refuses_a_personal_identity_code_in_an_organisation_contact(field, value):
    """Found by the importer fuzzing: an organisation's e-mail and website were not guarded
    (a contact's were)."""
    data = small()
    data["organisations"][2][field] = value
    with pytest.raises(CatalogueFormatError) as refused:
        import_catalogue(data)
    assert f"organisations[2].{field}" in [e.split(": ")[0] for e in refused.value.errors]
    assert not Organisation.objects.exists()


def test_import_catalogue_accepts_an_invalid_identity_code_lookalike():
    # Wrong check character: not a personal identity code, so not refused.
    data = {
        "format": "sote-catalogue/1",
        "services": [service("lookalike", body={"fi": "Diaarinumero 131052-308A."})],
    }
    import_catalogue(data)
    assert Entry.objects.filter(key="lookalike").exists()


# --- Export and round trips --------------------------------------------------------------


def test_export_catalogue_is_ordered_and_canonical():
    import_catalogue(small())
    data = export_catalogue()
    assert list(data) == [
        "format",
        "municipalities",
        "service_lines",
        "organisations",
        "services",
        "offers",
    ]
    assert [m["code"] for m in data["municipalities"]] == sorted(
        m["code"] for m in data["municipalities"]
    )
    assert [line["key"] for line in data["service_lines"]][:5] == [
        "vammaispalvelut",
        "ikaihmiset",
        "tyoikaiset",
        "lapset-perheet",
        "viranomaiset",
    ]
    assert [e["key"] for e in data["services"]] == ["testi-kotihoito", "testi-toimeentulotuki"]
    assert [e["key"] for e in data["offers"]] == ["testi-ruoka-apu", "testi-vertaisryhma"]
    validate(data)
    text = dumps(data)
    assert text.endswith("}\n") and "Testikylän" in text  # UTF-8, not \u escapes


def test_export_catalogue_of_the_small_fixture_is_the_fixture():
    exported = assert_round_trip(small())
    sections = json.loads(exported)
    assert {k: sections[k] for k in ("organisations", *ENTRY_SECTIONS)} == {
        k: small()[k] for k in ("organisations", *ENTRY_SECTIONS)
    }


def test_round_trip_of_the_demo_catalogue():
    data = load(DEMO)
    exported = assert_round_trip(data)
    # The demo file is written exactly as the export writes it (on a database holding only
    # the migrations' reference data), so `make run` + export gives the same file back.
    assert exported == DEMO.read_text(encoding="utf-8"), "demo/catalogue.json is not canonical"


def test_round_trip_of_the_shared_dev_catalogue():
    assert DEV_CATALOGUE.exists(), f"the shared dev catalogue is missing: {DEV_CATALOGUE}"
    assert_round_trip(load(DEV_CATALOGUE))


def test_demo_catalogue_reads_well_for_a_new_user():
    data = load(DEMO)
    services, offers = data["services"], data["offers"]
    assert 40 <= len(services) + len(offers) <= 50
    # Names of municipalities and lines as the migrations seed them, English included.
    assert {m["code"]: m["name"] for m in data["municipalities"]} == {
        m.code: {"fi": m.name_fi, "sv": m.name_sv, "en": m.name_en}
        for m in Municipality.objects.filter(code__in=["075", "285", "286", "489", "624", "935"])
    }
    lines = {line["key"] for line in data["service_lines"]}
    assert lines == {
        "vammaispalvelut",
        "ikaihmiset",
        "tyoikaiset",
        "lapset-perheet",
        "viranomaiset",
    }
    for line in lines:
        assert any(line in e["service_lines"] for e in services), line
    for code in ("075", "285", "286", "489", "624", "935"):
        assert any(code in o.get("municipalities", []) for o in offers), code
    assert sum(1 for e in services + offers if "sv" in e["title"]) >= 5
    owners = [e.get("owner") for e in services + offers]
    assert owners.count("sisalto") > owners.count("esihenkilo") > 0
    today = datetime.date(2026, 12, 3)
    overdue = fresh = 0
    for e in services + offers:
        reviewed = datetime.date.fromisoformat(e["last_reviewed"])
        interval = e.get("review_interval_days", settings.NEUVOKAS_DEFAULT_REVIEW_INTERVAL_DAYS)
        overdue += reviewed + datetime.timedelta(days=interval) < today
        fresh += today - datetime.timedelta(days=31) <= reviewed < today
    assert overdue >= 3 and fresh >= 5
    text = DEMO.read_text(encoding="utf-8")
    for e in services + offers:
        for contact in e.get("contacts", []):
            if "email" in contact:
                assert contact["email"].endswith("@example.org"), contact
            if "phone" in contact:
                assert contact["phone"].startswith(("05 000 ", "040 000 ")), contact
    for org in data["organisations"]:
        if "website" in org:
            assert urlsplit(org["website"]).hostname.endswith(".example.org"), org
    # Written for the project, not copied from the shared search-evaluation catalogue.
    dev = load(DEV_CATALOGUE)
    dev_texts = {e["summary"]["fi"] for e in dev["services"] + dev["offers"]}
    assert not dev_texts & {e["summary"]["fi"] for e in services + offers}
    assert find_personal_identity_codes(text) == []


# --- Commands ----------------------------------------------------------------------------


def test_import_command_imports_a_file_and_reports_counts():
    out = run_command("import_catalogue", str(FIXTURE))

    assert "organisaatiot: 3 uutta, 0 päivitetty, 0 ennallaan" in out
    assert "palvelut: 2 uutta, 0 päivitetty, 0 ennallaan" in out
    assert "järjestöjen ja seurakuntien tarjonta: 2 uutta, 0 päivitetty, 0 ennallaan" in out
    assert "Uudet käyttäjätunnukset (ei voimassa, ei salasanaa): testi.omistaja" in out
    assert Entry.objects.count() == 4

    again = run_command("import_catalogue", str(FIXTURE))
    assert "palvelut: 0 uutta, 0 päivitetty, 2 ennallaan" in again
    assert "käyttäjätunnukset" not in again


def test_import_command_reads_standard_input(monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO(FIXTURE.read_text(encoding="utf-8")))
    out = run_command("import_catalogue", "-")
    assert "palvelut: 2 uutta" in out
    assert Entry.objects.filter(key="testi-kotihoito").exists()


def test_import_command_refuses_a_bad_file_and_leaves_the_database(tmp_path, existing_entry):
    data = good_file()
    data["services"].append(service("uusi", title={"fi": "Uusi"}, colour="punainen"))
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    before = db_state()

    with pytest.raises(CommandError) as refused:
        run_command("import_catalogue", str(bad))

    message = str(refused.value)
    assert message.startswith("Tiedostoa ei tuotu, tietokantaa ei muutettu:")
    assert "services[3].colour: unknown field" in message
    assert db_state() == before


def bad_in_every_section() -> dict[str, Any]:
    """A file with one mistake of each kind, in every section, each with its place."""
    data = good_file()
    data["municipalities"] = [{"code": "998", "name": {"fi": f"Kunta {HETU}"}}]
    data["service_lines"] = [{"key": "uusi-linja", "name": {"fi": "x" * 301}}]
    data["organisations"][1]["website"] = f"https://example.org/{HETU}"
    data["services"].append(
        service(
            "uusi",
            colour="punainen",
            keywords=["taksi", f"asiakas {HETU}"],
            contacts=[
                {"email": "ei-osoite", "municipalities": ["999"]},
                {"opening_hours": {"weekly": [{"days": {"mon": ["25:00-26:00"]}}]}},
            ],
        )
    )
    return data


def test_a_refused_file_names_each_mistake_by_its_path_as_data():
    with pytest.raises(CatalogueFormatError) as refused:
        validate(bad_in_every_section())

    places = {problem.path: problem.message for problem in refused.value.problems}
    assert places[("municipalities", 0, "name", "fi")].startswith(
        "Teksti sisältää henkilötunnuksen"
    )
    assert places[("service_lines", 0, "name", "fi")] == "longer than 200 characters"
    assert places[("organisations", 1, "website")].startswith("Teksti sisältää henkilötunnuksen")
    assert places[("services", 3, "colour")] == "unknown field"
    assert places[("services", 3, "keywords", 1)].startswith("Teksti sisältää henkilötunnuksen")
    assert places[("services", 3, "contacts", 0, "email")] == "invalid e-mail address 'ei-osoite'"
    assert places[("services", 3, "contacts", 0, "municipalities", 0)] == (
        "unknown municipality '999'"
    )
    assert places[
        ("services", 3, "contacts", 1, "opening_hours", "weekly", 0, "days", "mon", 0)
    ].startswith("invalid time range '25:00-26:00'")
    # The same mistakes as text: each path as the format's documentation writes it.
    assert refused.value.errors == [str(problem) for problem in refused.value.problems]
    assert "services[3].contacts[0].municipalities[0]: unknown municipality '999'" in (
        refused.value.errors
    )


def test_import_command_names_the_path_and_message_of_each_mistake(tmp_path, existing_entry):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(bad_in_every_section()), encoding="utf-8")
    before = db_state()

    with pytest.raises(CommandError) as refused:
        run_command("import_catalogue", str(bad))

    lines = str(refused.value).splitlines()
    assert lines[0] == "Tiedostoa ei tuotu, tietokantaa ei muutettu:"
    assert "service_lines[0].name.fi: longer than 200 characters" in lines
    assert "services[3].colour: unknown field" in lines
    assert "services[3].contacts[0].email: invalid e-mail address 'ei-osoite'" in lines
    assert "services[3].contacts[0].municipalities[0]: unknown municipality '999'" in lines
    assert (
        "services[3].contacts[1].opening_hours.weekly[0].days.mon[0]: invalid time range "
        "'25:00-26:00' (expected HH:MM-HH:MM)"
    ) in lines
    for place in (
        "municipalities[0].name.fi",
        "organisations[1].website",
        "services[3].keywords[1]",
    ):
        assert any(
            line.startswith(f"{place}: Teksti sisältää henkilötunnuksen") for line in lines
        ), place
    assert HETU not in str(refused.value)
    assert db_state() == before


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            b'{"format": "sote-catalogue/1",\n "services": [}',
            "Tiedosto ei ole kelvollista JSONia: rivi 2",
        ),
        (b"\xff\xfe{}", "Tiedostoa ei voi lukea"),
    ],
    ids=["not-json", "not-utf8"],
)
def test_import_command_refuses_unreadable_files(tmp_path, content, expected):
    path = tmp_path / "broken.json"
    path.write_bytes(content)
    before = db_state()
    with pytest.raises(CommandError, match=expected):
        run_command("import_catalogue", str(path))
    assert db_state() == before


def test_import_command_refuses_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="Tiedostoa ei voi lukea"):
        run_command("import_catalogue", str(tmp_path / "ei-ole.json"))


def test_export_command_writes_standard_output():
    import_catalogue(small())
    out = run_command("export_catalogue", "-")
    assert out == dumps(export_catalogue())
    assert json.loads(out)["services"][0]["key"] == "testi-kotihoito"


def test_export_command_writes_a_file_that_imports_unchanged(tmp_path):
    import_catalogue(small())
    target = tmp_path / "catalogue.json"
    run_command("export_catalogue", str(target))
    assert target.read_text(encoding="utf-8") == dumps(export_catalogue())
    assert [p.name for p in tmp_path.iterdir()] == ["catalogue.json"]  # no temp files left

    before = db_state()
    out = run_command("import_catalogue", str(target))
    assert "palvelut: 0 uutta, 0 päivitetty, 2 ennallaan" in out
    assert db_state() == before


def test_export_command_refuses_an_unwritable_target(tmp_path):
    with pytest.raises(CommandError, match="Tiedostoa ei voi kirjoittaa"):
        run_command("export_catalogue", str(tmp_path / "ei-kansiota" / "catalogue.json"))


# --- Concurrency -------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_import_catalogue_two_imports_at_once_both_succeed_and_write_once():
    seed_reference_data()  # an earlier transactional test's flush may have emptied it
    barrier = threading.Barrier(2, timeout=10)
    summaries: list[Any] = []
    failures: list[BaseException] = []

    def run() -> None:
        try:
            data = small()
            barrier.wait()
            summaries.append(import_catalogue(data))
        except BaseException as exc:  # reported by the assertion below
            failures.append(exc)
        finally:
            connection.close()  # each thread has its own connection

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)

    assert failures == []
    created = sorted(s.counts["services"].created + s.counts["offers"].created for s in summaries)
    assert created == [0, 4]  # the second import found the first one's work unchanged
    assert Entry.objects.count() == 4
    assert sorted(EntryVersion.objects.values_list("entry__key", "number")) == [
        ("testi-kotihoito", 1),
        ("testi-ruoka-apu", 1),
        ("testi-toimeentulotuki", 1),
        ("testi-vertaisryhma", 1),
    ]
    assert get_user_model().objects.filter(username="testi.omistaja").count() == 1


# --- Duplicate keys ------------------------------------------------------------------------


DUPLICATE_KEY_FILES = {
    "in a localised text": (
        '{"format": "sote-catalogue/1", "services": [{"key": "kaksi", '
        '"title": {"fi": "Eka", "fi": "Toka"}, "summary": {"fi": "S"}, '
        '"service_lines": ["tyoikaiset"]}]}',
        'services[0].title: duplicate key "fi"',
    ),
    "in an entry": (
        '{"format": "sote-catalogue/1", "offers": [{"key": "kaksi", "key": "kolme", '
        '"title": {"fi": "T"}, "summary": {"fi": "S"}, "organisation": "testiyhdistys"}]}',
        'offers[0]: duplicate key "key"',
    ),
    "at the top": (
        '{"format": "sote-catalogue/1", "services": [], "services": []}',
        '(file): duplicate key "services"',
    ),
    "spelled with an escape": (
        '{"format": "sote-catalogue/1", "municipalities": '
        '[{"code": "999", "name": {"fi": "A", "\\u0066i": "B"}}]}',
        'municipalities[0].name: duplicate key "fi"',
    ),
    "inside a value that a duplicate replaced": (
        '{"format": "sote-catalogue/1", "services": [{"a": 1, "a": 2}], "services": []}',
        '(file): duplicate key "services"',
    ),
}


@pytest.mark.parametrize("case", list(DUPLICATE_KEY_FILES), ids=list(DUPLICATE_KEY_FILES))
def test_loads_refuses_a_key_twice_in_one_object_naming_the_path(case):
    text, expected = DUPLICATE_KEY_FILES[case]

    with pytest.raises(CatalogueFormatError) as refused:
        loads(text)

    assert expected in refused.value.errors, refused.value.errors


def test_loads_lists_every_duplicate_an_object_before_its_contents():
    text = (
        '{"format": "sote-catalogue/1", "services": [{"key": "a", "key": "b"}, '
        '{"title": {"sv": "x", "sv": "y"}}], "offers": [], "offers": []}'
    )

    with pytest.raises(CatalogueFormatError) as refused:
        loads(text)

    assert refused.value.errors == [
        '(file): duplicate key "offers"',
        'services[0]: duplicate key "key"',
        'services[1].title: duplicate key "sv"',
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"format": "sote-catalogue/1",\n "services": [}', "line 2"),
        ("[" * 100_000, "(file): not valid JSON"),
        ('{"format": ' + "1" * 5000 + "}", "(file): not valid JSON"),
        (b"\xff\xfe{}", "(file): not UTF-8"),
    ],
    ids=["syntax", "too-deep", "huge-integer", "not-utf8"],
)
def test_loads_refuses_malformed_json_with_a_format_error(text, expected):
    with pytest.raises(CatalogueFormatError) as refused:
        loads(text)

    assert expected in str(refused.value)


def test_loads_reads_a_valid_file():
    assert loads(FIXTURE.read_bytes()) == small()


def test_import_command_refuses_a_duplicate_key_and_leaves_the_database(tmp_path, existing_entry):
    text = json.dumps(good_file(), ensure_ascii=False)
    # Without the check, the last value would win and the entry's title would change.
    text = text.replace(
        '"title": {"fi": "Uusi otsikko"', '"title": {"fi": "Vanha kortti", "fi": "Uusi otsikko"', 1
    )
    assert '"fi": "Vanha kortti", "fi"' in text
    path = tmp_path / "dup.json"
    path.write_text(text, encoding="utf-8")
    before = db_state()

    with pytest.raises(CommandError) as refused:
        run_command("import_catalogue", str(path))

    message = str(refused.value)
    assert message.startswith("Tiedostoa ei tuotu, tietokantaa ei muutettu:")
    assert '.title: duplicate key "fi"' in message
    assert db_state() == before


# --- Bounded sizes ---------------------------------------------------------------------------


def test_import_catalogue_refuses_a_million_character_entry_body(existing_entry):
    """Issue 15: a 1,000,000-character body imported, and a search that hit it ran for
    over ten minutes. The importer refuses it like any other format error."""
    data = {"format": "sote-catalogue/1", "services": [service(f"palvelu-{i}") for i in range(12)]}
    data["services"].append(service("palvelu-12", body={"fi": "sana " * 200_000}))
    before = db_state()

    with pytest.raises(CatalogueFormatError) as refused:
        import_catalogue(data)

    assert refused.value.errors == [
        f"services[12].body.fi: longer than {limits.ENTRY_BODY} characters"
    ]
    assert db_state() == before


@pytest.mark.parametrize(
    ("name", "limit"),
    [
        ("summary", limits.ENTRY_SUMMARY),
        ("body", limits.ENTRY_BODY),
        ("eligibility", limits.ENTRY_DETAIL),
        ("how_to_apply", limits.ENTRY_DETAIL),
        ("fees", limits.ENTRY_DETAIL),
    ],
)
def test_import_catalogue_text_limits_are_the_models(name, limit):
    at_limit = {
        "format": "sote-catalogue/1",
        "services": [service("rajalla", **{name: {"fi": "x" * limit, "sv": "y" * limit}})],
    }
    import_catalogue(at_limit)
    assert len(getattr(Entry.objects.get(key="rajalla"), f"{name}_sv")) == limit

    over = {
        "format": "sote-catalogue/1",
        "services": [service("yli", **{name: {"fi": "ok", "en": "x" * (limit + 1)}})],
    }
    with pytest.raises(CatalogueFormatError) as refused:
        import_catalogue(over)
    assert refused.value.errors == [f"services[0].{name}.en: longer than {limit} characters"]


@pytest.mark.parametrize("name", ["keywords", "target_groups", "legal_basis"])
def test_import_catalogue_refuses_a_list_over_its_item_limit(name):
    items = [f"sana-{i}" for i in range(limits.ENTRY_LIST_ITEMS + 1)]
    data = {"format": "sote-catalogue/1", "services": [service("pitka", **{name: items})]}
    with pytest.raises(CatalogueFormatError) as refused:
        import_catalogue(data)
    assert refused.value.errors == [
        f"services[0].{name}: more than {limits.ENTRY_LIST_ITEMS} items"
    ]

    data["services"][0][name] = items[:-1]
    import_catalogue(data)
    assert len(getattr(Entry.objects.get(key="pitka"), name)) == limits.ENTRY_LIST_ITEMS


def test_import_catalogue_refuses_more_contacts_than_the_edit_form_holds():
    contacts = [{"phone": "05 000 2000"}] * (limits.ENTRY_CONTACTS + 1)
    data = {"format": "sote-catalogue/1", "services": [service("yhteystiedot", contacts=contacts)]}
    with pytest.raises(CatalogueFormatError) as refused:
        import_catalogue(data)
    assert refused.value.errors == [
        f"services[0].contacts: more than {limits.ENTRY_CONTACTS} items"
    ]


def test_import_of_the_earlier_contact_shape_and_export_in_the_extended_one():
    """A file of today's shape (one ``municipality`` on a contact) imports; the export
    writes ``municipalities`` and the structured hours, and imports back unchanged."""
    hours = {
        "weekly": [{"days": {"mon": ["12:00-16:00", "08:00-11:00"]}}],
        "exceptions": [{"from": "2026-12-24", "to": "2026-12-24", "closed": True}],
        "public_holidays": "closed",
    }
    data = {
        "format": "sote-catalogue/1",
        "services": [
            service(
                "monta-kuntaa",
                contacts=[
                    {"phone": "05 000 0100", "municipality": "285"},
                    {"phone": "05 000 0200", "municipalities": ["935", "075", "489"]},
                    {"phone": "05 000 0300", "opening_hours": hours},
                ],
            )
        ],
    }
    import_catalogue(data)

    exported = json.loads(dumps(export_catalogue()))
    contacts = exported["services"][0]["contacts"]
    assert contacts == [
        {"phone": "05 000 0100", "municipalities": ["285"]},
        {"phone": "05 000 0200", "municipalities": ["075", "489", "935"]},
        {
            "phone": "05 000 0300",
            "opening_hours": {
                "weekly": [{"days": {"mon": ["08:00-11:00", "12:00-16:00"]}}],
                "exceptions": [{"from": "2026-12-24", "closed": True}],
            },
        },
    ]
    assert_round_trip(exported)
    entry = Entry.objects.get(key="monta-kuntaa")
    assert entry.version == 1  # the canonical export changed nothing on import


def test_restoring_a_version_saved_in_the_earlier_contact_shape(editor):
    """Snapshots saved before contacts served several municipalities still restore."""
    from apps.catalogue import services as catalogue_services

    import_catalogue({"format": "sote-catalogue/1", "services": [service("vanha")]})
    entry = Entry.objects.get(key="vanha")
    EntryVersion.objects.create(
        entry=entry,
        number=50,
        snapshot={**entry_to_dict(entry), "contacts": [{"phone": "1", "municipality": "075"}]},
    )
    restored = catalogue_services.entry_restore(
        entry=entry, number=50, author=editor, base_version=entry.version
    )
    assert [[m.code for m in c.municipalities.all()] for c in restored.contacts.all()] == [["075"]]
