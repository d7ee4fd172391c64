"""The PTV import against a PTV look-alike on loopback (tests/ptv/ptv_server.py): real HTTP,
real PostgreSQL, every write through the catalogue services."""

from __future__ import annotations

import copy
import io
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from apps.catalogue import services
from apps.catalogue.diffing import reference_labels, version_diff
from apps.catalogue.interchange import entry_to_dict
from apps.catalogue.models import Entry, EntryVersion
from apps.catalogue.ptv.client import PtvClient
from apps.catalogue.ptv.sync import PtvImportReport, import_ptv
from tests.catalogue.factories import line

from .ptv_server import (
    LOCATION_CHANNEL,
    ORGANISATION,
    PHONE_CHANNEL,
    SERVICE_A,
    SERVICE_B,
    SERVICE_C,
    SERVICE_D,
    PtvFixtureServer,
)

pytestmark = pytest.mark.django_db

LINE = "vammaispalvelut"


@pytest.fixture
def ptv() -> Iterator[PtvFixtureServer]:
    with PtvFixtureServer() as server:
        yield server


def run(server: PtvFixtureServer) -> PtvImportReport:
    line(LINE)
    # No waiting between retries: the backoff's length is not what these tests check.
    with PtvClient(server.url, timeout=5, backoff=0, sleep=lambda _s: None) as client:
        return import_ptv(client, organisations=[ORGANISATION], service_line=LINE)


def entry_of(ptv_id: str) -> Entry:
    return Entry.objects.get(ptv_id=uuid.UUID(ptv_id))


def give_owner(entry: Entry, owner: Any) -> None:
    """Make ``owner`` the entry's owner through the catalogue services (a saved version)."""
    services.entry_save(
        entry=entry,
        data=dict(entry_to_dict(entry), owner=owner.username),
        author=owner,
        base_version=entry.version,
    )


def snapshot() -> dict[str, Any]:
    return {
        e.key: (entry_to_dict(e), e.version, e.ptv_status, e.ptv_modified, e.updated_at)
        for e in Entry.objects.order_by("key")
    }


def test_a_fresh_database_is_filled_from_both_pages(ptv):
    report = run(ptv)

    assert report.counts["created"] == 2
    assert report.counts["skipped"] == 1  # the archived service is not brought in
    assert report.counts["failed"] == 1
    assert report.errors == [f"{SERVICE_D}: serviceNames: no Finnish name"]
    assert ptv.page_key(1) in ptv.requests and ptv.page_key(2) in ptv.requests
    assert Entry.objects.count() == 2
    assert not Entry.objects.filter(ptv_id__in=[SERVICE_C, SERVICE_D]).exists()

    a = entry_of(SERVICE_A)
    data = entry_to_dict(a)
    assert a.key == f"ptv-{SERVICE_A}"
    assert a.kind == Entry.Kind.SERVICE
    assert a.ptv_status == Entry.PtvStatus.PUBLISHED
    assert a.ptv_modified is not None and a.ptv_modified.isoformat() == "2026-11-20T08:15:00+00:00"
    assert a.suomifi_url == (
        f"https://www.suomi.fi/palvelut/kuljetuspalvelu-vammaispalvelulain-perusteella/{SERVICE_A}"
    )
    assert data["title"] == {
        "fi": "Kuljetuspalvelu vammaispalvelulain perusteella",
        "sv": "Färdtjänst enligt lagen om service för personer med funktionsnedsättning",
        "en": "Transport services for persons with disabilities",
    }
    assert set(data["summary"]) == {"fi", "sv", "en"}
    assert data["eligibility"]["sv"] == "Personer med svår funktionsnedsättning."
    assert data["fees"]["fi"] == "Maksullinen.\n\nMatka maksaa joukkoliikenteen taksan verran."
    assert data["fees"]["en"] == "Subject to a charge."
    assert "https://asiointi.example.org/kuljetuspalvelu" in data["how_to_apply"]["fi"]
    assert data["how_to_apply"]["fi"].startswith("Hae palvelua hakemuksella.")
    assert data["legal_basis"] == ["Vammaispalvelulaki 675/2023"]
    assert data["service_lines"] == [LINE]
    assert "municipalities" not in data  # nationwide: the whole area
    phone, location = data["contacts"]
    assert phone["phone"] == "+358 50000 2000"
    assert phone["email"] == "vammaispalvelut@example.org"
    assert phone["label"]["fi"] == "Vammaispalvelujen puhelinneuvonta (maksullinen: pvm/mpm)"
    assert phone["hours"] == {"fi": "Takaisinsoitto saman päivän aikana"}
    assert phone["opening_hours"] == {
        "weekly": [
            {"days": {"mon": ["09:00-12:00"], "tue": ["09:00-12:00"], "thu": ["12:00-15:00"]}}
        ],
        "exceptions": [{"from": "2026-12-24", "to": "2026-12-26", "closed": True}],
    }
    assert location["address"] == "Keskuskatu 1, 48100 KOTKA"
    assert location["label"] == {
        "fi": "Vammaispalvelutoimisto, Kotka",
        "sv": "Handikappbyrån, Kotka",
    }
    assert location["opening_hours"] == {
        "weekly": [
            {
                "days": {
                    "mon": ["08:00-16:00"],
                    "wed": ["08:00-11:00", "12:00-16:00"],
                    "fri": ["22:00-02:00"],
                }
            },
            {"from": "2026-06-01", "to": "2026-08-31", "days": {"mon": ["09:00-14:00"]}},
        ]
    }
    assert list(a.versions.values_list("number", flat=True)) == [1]

    b = entry_to_dict(entry_of(SERVICE_B))
    assert b["title"] == {"fi": "Omaishoidon tuki"}  # missing languages stay missing
    assert b["municipalities"] == ["075", "285"]
    assert b["fees"] == {"fi": "Maksuton.", "sv": "Avgiftsfri.", "en": "Free of charge."}


def test_a_second_run_changes_nothing(ptv):
    run(ptv)
    before = snapshot()
    versions = EntryVersion.objects.count()

    report = run(ptv)

    assert report.counts["unchanged"] == 2 and report.counts["created"] == 0
    assert report.counts["updated"] == 0 and report.counts["marked"] == 0
    assert snapshot() == before
    assert EntryVersion.objects.count() == versions


def test_a_changed_phone_and_hours_make_one_version_with_the_diff_and_keep_local_fields(
    ptv, editor
):
    run(ptv)
    a = entry_of(SERVICE_A)
    local = dict(entry_to_dict(a), keywords=["taksi", "kela-kyyti"], owner=editor.username)
    services.entry_save(entry=a, data=local, author=editor, base_version=a.version)
    a.refresh_from_db()
    assert a.version == 2

    channel = ptv.channels[PHONE_CHANNEL]
    channel["phoneNumbers"][0]["number"] = "50000 2999"
    channel["serviceHours"][0]["openingHour"][0]["to"] = "13:00:00"
    ptv.service(SERVICE_A)["modified"] = "2026-12-01T07:00:00Z"

    report = run(ptv)

    assert report.counts["updated"] == 2  # service B uses the same phone channel
    a.refresh_from_db()
    assert a.version == 3
    assert a.ptv_modified is not None and a.ptv_modified.isoformat() == "2026-12-01T07:00:00+00:00"
    latest = a.versions.get(number=3)
    assert latest.author is None and "Suomi.fi" in latest.comment
    changes = version_diff(
        a.versions.get(number=2).snapshot, latest.snapshot, labels=reference_labels()
    )
    by_path = {c.path: c for c in changes}
    assert set(by_path) == {"contacts[0].phone", "contacts[0].opening_hours"}
    assert (by_path["contacts[0].phone"].old, by_path["contacts[0].phone"].new) == (
        "+358 50000 2000",
        "+358 50000 2999",
    )
    assert "ma 9-13" in str(by_path["contacts[0].opening_hours"].new)
    data = entry_to_dict(a)
    assert data["keywords"] == ["taksi", "kela-kyyti"]  # local fields stay
    assert data["owner"] == editor.username
    assert data["contacts"][0]["phone"] == "+358 50000 2999"

    assert run(ptv).counts["unchanged"] == 2  # and again nothing


def test_an_archived_or_removed_service_is_marked_not_deleted(ptv):
    archived = ptv.service(SERVICE_C)
    archived["publishingStatus"] = "Published"
    run(ptv)
    assert entry_of(SERVICE_C).ptv_status == Entry.PtvStatus.PUBLISHED

    archived["publishingStatus"] = "Deleted"
    report = run(ptv)
    assert report.counts["marked"] == 1
    c = entry_of(SERVICE_C)
    assert c.ptv_status == Entry.PtvStatus.ARCHIVED
    assert c.version == 1  # marked, content untouched

    ptv.pages[0]["itemList"] = [s for s in ptv.pages[0]["itemList"] if s["id"] != SERVICE_B]
    report = run(ptv)
    assert report.counts["removed"] == 1
    assert entry_of(SERVICE_B).ptv_status == Entry.PtvStatus.REMOVED
    assert Entry.objects.count() == 3


def test_a_malformed_record_leaves_its_entry_as_it_was_and_the_rest_import(ptv):
    run(ptv)
    before = snapshot()[f"ptv-{SERVICE_A}"]
    service = ptv.service(SERVICE_A)
    service["serviceNames"] = [n for n in service["serviceNames"] if n["language"] != "fi"]
    ptv.channels[LOCATION_CHANNEL]["serviceHours"][0]["openingHour"][0]["from"] = "25:00:00"
    ptv.service(SERVICE_B)["serviceNames"][0]["value"] = "Omaishoidon tuki (uusi nimi)"

    report = run(ptv)

    assert f"{SERVICE_A}: serviceNames: no Finnish name" in report.errors
    assert snapshot()[f"ptv-{SERVICE_A}"] == before
    assert entry_of(SERVICE_B).title_fi == "Omaishoidon tuki (uusi nimi)"
    assert report.counts["removed"] == 0  # a failed service is still in PTV

    service["serviceNames"].append({"type": "Name", "language": "fi", "value": "Kuljetus"})
    report = run(ptv)
    assert report.errors[0] == (
        f"{SERVICE_A}: channel {LOCATION_CHANNEL}: serviceHours[0].openingHour[0].from: "
        "not a time: '25:00:00'"
    )
    assert snapshot()[f"ptv-{SERVICE_A}"] == before


def test_a_server_error_is_retried_and_the_import_completes(ptv):
    ptv.fail[ptv.page_key(2)] = 1
    ptv.fail[PtvFixtureServer.key(f"/api/v11/ServiceChannel/{PHONE_CHANNEL}")] = 2

    report = run(ptv)

    assert ptv.requests.count(ptv.page_key(2)) == 2
    assert report.counts["created"] == 2 and report.complete
    assert entry_to_dict(entry_of(SERVICE_B))["contacts"][0]["phone"] == "+358 50000 2000"


def test_a_page_that_keeps_failing_is_reported_and_marks_nothing_removed(ptv):
    run(ptv)
    ptv.fail[ptv.page_key(1)] = 10

    report = run(ptv)

    assert not report.complete
    assert any(e.startswith(f"{ORGANISATION}: services:") for e in report.errors)
    assert report.counts["removed"] == 0
    assert set(Entry.objects.values_list("ptv_status", flat=True)) == {"published"}


def test_the_command_imports_and_names_the_failed_record(ptv, settings):
    line(LINE)
    settings.NEUVOKAS_PTV_ORGANISATIONS = [ORGANISATION]
    settings.NEUVOKAS_PTV_SERVICE_LINE = LINE
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match="1 PTV record"):
        call_command("import_ptv", "--api-url", ptv.url, stdout=out, stderr=err)
    assert "created 2" in out.getvalue()
    assert f"{SERVICE_D}: serviceNames: no Finnish name" in err.getvalue()

    ptv.service(SERVICE_D)["serviceNames"].append(
        {"type": "Name", "language": "fi", "value": "Omaishoidon tuki, ruotsinkielinen"}
    )
    ptv.service(SERVICE_D)["serviceDescriptions"].append(
        {"type": "Summary", "language": "fi", "value": "Myös suomeksi."}
    )
    out = io.StringIO()
    call_command("import_ptv", "--api-url", ptv.url, stdout=out, stderr=io.StringIO())
    assert "created 1" in out.getvalue() and "unchanged 2" in out.getvalue()
    assert copy.deepcopy(entry_to_dict(entry_of(SERVICE_D))["title"]) == {
        "fi": "Omaishoidon tuki, ruotsinkielinen",
        "sv": "Stöd för närståendevård",
    }


def test_a_change_from_ptv_asks_the_owner_to_check_until_reviewed(ptv, editor, client):
    from django.urls import reverse

    from apps.notifications.models import Notification

    run(ptv)
    a = entry_of(SERVICE_A)
    give_owner(a, editor)
    client.force_login(editor)
    page = client.get(a.get_absolute_url()).content.decode()
    assert a.suomifi_url in page and "Muuttunut Suomi.fi:ssä" not in page
    assert not Notification.objects.filter(verb="ptv_changed").exists()

    ptv.channels[PHONE_CHANNEL]["phoneNumbers"][0]["number"] = "50000 2999"
    run(ptv)

    a.refresh_from_db()
    assert a.ptv_changed_at is not None
    task = Notification.objects.get(verb="ptv_changed", recipient=editor, url__contains=a.key)
    assert task.url == reverse("catalogue:entry_version", args=[a.key, a.version])
    assert a.title_fi in task.text
    page = client.get(a.get_absolute_url()).content.decode()
    assert "Muuttunut Suomi.fi:ssä" in page and "+358 50000 2999" in page

    tasks = Notification.objects.filter(verb="ptv_changed").count()
    run(ptv)  # nothing changed: no second task
    assert Notification.objects.filter(verb="ptv_changed").count() == tasks

    services.entry_mark_reviewed(entry=a, user=editor)
    a.refresh_from_db()
    assert a.ptv_changed_at is None
    assert "Muuttunut Suomi.fi:ssä" not in client.get(a.get_absolute_url()).content.decode()


def test_the_daily_sync_is_scheduled_and_runs_the_import(ptv, settings):
    from django_celery_beat.models import PeriodicTask

    from apps.catalogue.tasks import sync_ptv

    schedule = PeriodicTask.objects.get(task="catalogue.sync_ptv")
    assert schedule.enabled and schedule.crontab is not None
    assert sync_ptv.apply().get() == {}  # not configured: nothing to do

    line(LINE)
    settings.NEUVOKAS_PTV_API_URL = ptv.url
    settings.NEUVOKAS_PTV_ORGANISATIONS = [ORGANISATION]
    settings.NEUVOKAS_PTV_SERVICE_LINE = LINE
    counts = sync_ptv.apply().get()
    assert counts["created"] == 2 and counts["failed"] == 1
    assert sync_ptv.apply().get()["unchanged"] == 2


def test_a_second_import_at_the_same_time_does_nothing(ptv):
    from django.db import connections

    other = connections["default"].copy()  # another session: a run already in progress
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [services._PTV_LOCK_ID])
        report = run(ptv)
        assert report.errors == ["another PTV import is running; nothing done"]
        assert not Entry.objects.exists() and ptv.requests == []
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [services._PTV_LOCK_ID])
    finally:
        other.close()
    assert run(ptv).counts["created"] == 2


def test_the_followed_organisation_names_the_imported_entries_organisation(ptv):
    from apps.catalogue.interchange import organisation_to_dict
    from apps.catalogue.models import Organisation

    report = run(ptv)

    assert report.counts["organisation_created"] == 1
    assert "organisations: created 1" in report.summary()
    org = Organisation.objects.get(key=f"ptv-{ORGANISATION}")
    assert (org.name_fi, org.name_sv, org.name_en) == (
        "Esimerkin hyvinvointialue",
        "Exempels välfärdsområde",
        "Example Wellbeing Services County",
    )
    assert org.kind == Organisation.Kind.WELLBEING_AREA
    assert entry_to_dict(entry_of(SERVICE_A))["organisation"] == org.key
    assert entry_of(SERVICE_B).organisation_id == org.pk

    # A second run changes nothing.
    before = (organisation_to_dict(org), snapshot(), EntryVersion.objects.count())
    report = run(ptv)
    assert report.counts["organisation_unchanged"] == 1
    assert report.counts["unchanged"] == 2
    assert Organisation.objects.count() == 1
    org.refresh_from_db()
    assert (organisation_to_dict(org), snapshot(), EntryVersion.objects.count()) == before

    # Renamed in PTV: the name follows (the entries refer to it by key: no new version);
    # its kind, once set, is the admin's.
    Organisation.objects.filter(pk=org.pk).update(kind=Organisation.Kind.MUNICIPALITY)
    ptv.organisations[ORGANISATION]["organizationNames"][1]["value"] = "Exempels välfärdsområde!"
    report = run(ptv)
    assert report.counts["organisation_updated"] == 1 and report.counts["unchanged"] == 2
    org.refresh_from_db()
    assert org.name_sv == "Exempels välfärdsområde!"
    assert org.kind == Organisation.Kind.MUNICIPALITY
    assert EntryVersion.objects.count() == before[2]


def test_an_organisation_that_cannot_be_read_is_reported_and_its_entries_keep_theirs(ptv):
    run(ptv)
    org = entry_of(SERVICE_A).organisation
    assert org is not None
    ptv.fail[PtvFixtureServer.key(f"/api/v11/Organization/{ORGANISATION}")] = 10

    report = run(ptv)

    assert report.counts["organisation_failed"] == 1
    assert any(e.startswith(f"{ORGANISATION}: organisation:") for e in report.errors)
    assert report.counts["unchanged"] == 2  # the services still sync
    assert entry_of(SERVICE_A).organisation == org


def test_a_service_listed_by_two_followed_organisations_is_imported_once(ptv):
    from apps.catalogue.models import Organisation

    other = "0a1b2c3d-0000-4000-8000-00000000000b"
    ptv.organisations[other] = dict(
        ptv.organisations[ORGANISATION],
        id=other,
        organizationNames=[{"type": "Name", "language": "fi", "value": "Toinen"}],
    )
    ptv.listing.add(other)  # the same services are the other organisation's too
    line(LINE)
    with PtvClient(ptv.url, timeout=5, backoff=0, sleep=lambda _s: None) as client:
        first = import_ptv(client, organisations=[ORGANISATION, other], service_line=LINE)
        again = import_ptv(client, organisations=[ORGANISATION, other], service_line=LINE)

    assert first.counts["created"] == 2 and again.counts["unchanged"] == 2
    assert again.counts["updated"] == 0
    assert Organisation.objects.filter(key=f"ptv-{other}").exists()
    assert entry_of(SERVICE_A).organisation.key == f"ptv-{ORGANISATION}"  # the first one's
