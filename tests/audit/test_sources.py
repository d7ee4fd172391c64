"""The events the apps record themselves: a callback number shown, reassignments and
exports, each through the real page, admin action or command."""

from __future__ import annotations

import datetime
import io

import pytest
from django.contrib.admin import helpers
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from apps.audit.models import Event
from apps.reports import services as report_services
from apps.reports.models import Kind as ReportKind
from apps.reports.models import ReportSubscription
from tests.catalogue.factories import entry
from tests.consultations import factories
from tests.helpers import shows_phone

pytestmark = pytest.mark.django_db

Kind = Event.Kind
PHONE = "040 765 4321"


def _mark() -> int:
    """The newest event's id: set-up (fixtures, force_login) records events too."""
    return Event.objects.order_by("-id").values_list("id", flat=True).first() or 0


def _events(kind: str, after: int = 0) -> list[Event]:
    return list(Event.objects.filter(kind=kind, id__gt=after).order_by("id"))


def _nothing_personal() -> None:
    dump = str(list(Event.objects.values_list()))
    assert not shows_phone(dump, PHONE)  # not "765" alone: microseconds hold it by chance


# --- the callback's phone number -----------------------------------------------------


def test_each_display_of_a_callback_number_is_recorded(client, advisor, colleague, outsider):
    line = factories.line()
    outsider.service_lines.add(line)
    callback = factories.callback(
        requester=advisor, assignee=colleague, service_line=line, phone=PHONE
    )
    url = callback.get_absolute_url()

    client.force_login(outsider)
    assert PHONE not in client.get(url).text
    client.force_login(colleague)
    assert PHONE in client.get(url, REMOTE_ADDR="10.0.0.21").text
    assert PHONE in client.get(url, REMOTE_ADDR="10.0.0.21").text

    shown = _events(Kind.PHONE_SHOWN)
    assert [(e.actor, e.ip, e.target_type, e.target_id) for e in shown] == [
        (colleague, "10.0.0.21", "consultations.callback", str(callback.pk))
    ] * 2
    _nothing_personal()


def test_admin_callback_pages_never_show_the_number_so_record_no_display(
    admin_client, advisor, colleague
):
    """The admin has no way to show the number (apps/core/admin.py guards every admin):
    nothing is shown there, so nothing is recorded as shown."""
    callback = factories.callback(requester=advisor, assignee=colleague, phone=PHONE)
    pages = [
        admin_client.get(reverse("admin:consultations_callback_changelist")),
        admin_client.get(reverse("admin:consultations_callback_change", args=[callback.pk])),
    ]
    assert all(p.status_code == 200 and not shows_phone(p.text, PHONE) for p in pages)
    assert not _events(Kind.PHONE_SHOWN)


# --- reassignments --------------------------------------------------------------------


def _callback_admin_data(callback, **overrides):
    data = {
        "requester": callback.requester_id,
        "assignee": callback.assignee_id or "",
        "service_line": callback.service_line_id or "",
        "thread": "",
        "due_at_0": "2030-01-01",
        "due_at_1": "12:00",
        "reason": callback.reason,
        "status": "open",
        "events-TOTAL_FORMS": "0",
        "events-INITIAL_FORMS": "0",
        "events-MIN_NUM_FORMS": "0",
        "events-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


def test_admin_reassigning_a_callback_is_recorded(client, superuser, advisor, colleague, outsider):
    callback = factories.callback(requester=advisor, assignee=colleague, phone=PHONE)
    client.force_login(superuser)

    response = client.post(
        reverse("admin:consultations_callback_change", args=[callback.pk]),
        _callback_admin_data(callback, assignee=outsider.pk),
        REMOTE_ADDR="10.0.0.31",
    )

    assert response.status_code == 302
    [event] = _events(Kind.REASSIGNED)
    assert (event.actor, event.ip, event.target_id) == (superuser, "10.0.0.31", str(callback.pk))
    assert event.details == {
        "via": "assign",
        "from_user": [colleague.pk, "kollega"],
        "to_user": [outsider.pk, "sivullinen"],
    }
    _nothing_personal()


def test_taking_a_line_callback_is_recorded(client, advisor, colleague):
    line = factories.line()
    colleague.service_lines.add(line)
    callback = factories.callback(requester=advisor, service_line=line, phone=PHONE)
    client.force_login(colleague)

    client.post(reverse("consultations:callback_take", args=[callback.pk]))

    [event] = _events(Kind.REASSIGNED)
    assert (event.actor, event.details["via"], event.details["to_user"]) == (
        colleague,
        "take",
        [colleague.pk, "kollega"],
    )


def test_a_manager_releasing_someone_elses_claim_is_recorded(client, advisor, colleague, manager):
    thread = factories.thread(author=advisor, claimed_by=colleague, claimed_at=timezone.now())
    client.force_login(manager)

    client.post(reverse("consultations:release", args=[thread.pk]))

    thread.refresh_from_db()
    assert thread.claimed_by is None
    [event] = _events(Kind.REASSIGNED)
    assert (event.actor, event.target_type, event.details["from_user"]) == (
        manager,
        "consultations.thread",
        [colleague.pk, "kollega"],
    )


def test_releasing_ones_own_claim_is_not_a_reassignment(client, advisor, colleague):
    thread = factories.thread(author=advisor, claimed_by=colleague, claimed_at=timezone.now())
    client.force_login(colleague)

    client.post(reverse("consultations:release", args=[thread.pk]))

    assert not _events(Kind.REASSIGNED)


def test_a_manager_handing_a_question_to_a_colleague_is_recorded(
    client, advisor, colleague, outsider, manager
):
    thread = factories.thread(author=advisor, claimed_by=colleague, claimed_at=timezone.now())
    client.force_login(manager)

    client.post(
        reverse("desk:thread_assign", args=[thread.pk]),
        {"assignee": outsider.pk, "seen": colleague.pk},
        REMOTE_ADDR="10.0.0.33",
    )

    thread.refresh_from_db()
    assert thread.claimed_by == outsider
    [event] = _events(Kind.REASSIGNED)
    assert (event.actor, event.ip, event.target_type, event.details) == (
        manager,
        "10.0.0.33",
        "consultations.thread",
        {
            "via": "assign",
            "from_user": [colleague.pk, "kollega"],
            "to_user": [outsider.pk, "sivullinen"],
        },
    )


def test_a_manager_reassigning_a_callback_from_the_desk_is_recorded(
    client, advisor, colleague, outsider, manager
):
    callback = factories.callback(requester=advisor, assignee=colleague, phone=PHONE)
    client.force_login(manager)

    client.post(
        reverse("desk:callback_assign", args=[callback.pk]),
        {"assignee": outsider.pk, "seen": colleague.pk},
    )

    callback.refresh_from_db()
    assert callback.assignee == outsider
    [event] = _events(Kind.REASSIGNED)
    assert (event.actor, event.target_id, event.details["to_user"]) == (
        manager,
        str(callback.pk),
        [outsider.pk, "sivullinen"],
    )
    _nothing_personal()


# --- exports ----------------------------------------------------------------------------


@pytest.fixture
def done_report():
    report = report_services.report_request(
        kind=ReportKind.CONTACTS,
        period_start=datetime.date(2026, 3, 1),
        period_end=datetime.date(2026, 3, 31),
    )
    report_services.report_generate(report_id=report.pk)
    report.refresh_from_db()
    return report


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_report_download_is_recorded(client, manager, done_report, fmt):
    client.force_login(manager)

    response = client.get(reverse(f"reports:{fmt}", args=[done_report.pk]), REMOTE_ADDR="10.0.0.41")

    assert response.status_code == 200
    [event] = _events(Kind.EXPORT)
    assert (event.actor, event.ip, event.target_type, event.target_id) == (
        manager,
        "10.0.0.41",
        "reports.report",
        str(done_report.pk),
    )
    assert event.details == {"what": "report", "format": fmt}


def test_a_mailed_report_is_recorded_as_an_export_by_the_system(manager, done_report):
    ReportSubscription.objects.create(user=manager, kind=ReportKind.CONTACTS)

    assert report_services.report_mail(report_id=done_report.pk) == 1

    [event] = _events(Kind.EXPORT)
    assert (event.actor, event.target_id, event.details["mailed_to"]) == (
        None,
        str(done_report.pk),
        1,
    )


def test_catalogue_admin_export_is_recorded(client, superuser):
    chosen = [entry("kuljetus"), entry("ruoka-apu")]
    client.force_login(superuser)

    response = client.post(
        reverse("admin:catalogue_entry_changelist"),
        {"action": "export_selected", helpers.ACTION_CHECKBOX_NAME: [e.pk for e in chosen]},
    )

    assert response.status_code == 200
    [event] = _events(Kind.EXPORT)
    assert (event.actor, event.details) == (
        superuser,
        {"what": "catalogue", "via": "admin", "entries": 2},
    )


def test_export_catalogue_command_is_recorded(tmp_path):
    entry("kuljetus")

    call_command("export_catalogue", str(tmp_path / "out.json"))
    call_command("export_catalogue", "-", stdout=io.StringIO())

    events = _events(Kind.EXPORT)
    assert [(e.actor, e.details["via"], e.details["to"]) for e in events] == [
        (None, "command", "file"),
        (None, "command", "stdout"),
    ]


def test_stories_period_export_is_recorded_only_when_shown(client, manager):
    client.force_login(manager)
    today = timezone.localdate()

    client.get(reverse("stories:report"))  # the empty form: nothing exported yet
    client.get(
        reverse("stories:report"),
        {"start": (today - datetime.timedelta(days=30)).isoformat(), "end": today.isoformat()},
    )

    [event] = _events(Kind.EXPORT)
    assert (event.actor, event.details["what"], event.details["end"]) == (
        manager,
        "stories",
        today.isoformat(),
    )
