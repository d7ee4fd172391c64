"""The report tasks run by a real Celery worker (a thread of this process, in-memory
broker). The separate-process worker and beat are in test_worker_process.py."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail

from apps.reports.models import Kind, Report, ReportSubscription
from apps.reports.tasks import (  # registers the tasks before the worker starts
    generate_report,
    resume_reports,
    schedule_due_reports,
)
from tests.contacts.factories import contact
from tests.helpers import wait_for
from tests.reports.factories import at

pytestmark = pytest.mark.django_db(transaction=True)

APRIL_FIRST = "2026-04-01T03:00:00+03:00"


def _all_done() -> bool:
    return Report.objects.exclude(status="done").count() == 0


def test_schedule_due_reports_fans_out_last_months_runs(
    reference_data_tx, current_celery_app, celery_worker
):
    contact(at=at(2026, 3, 31, 23, 59), solved=True)
    contact(at=at(2026, 4, 1, 0, 0))

    ids = schedule_due_reports.delay(APRIL_FIRST, ["contacts", "search_gaps"], 1).get(timeout=20)
    again = schedule_due_reports.delay(APRIL_FIRST, ["contacts", "search_gaps"], 1).get(timeout=20)

    assert sorted(ids) == sorted(again)
    wait_for(lambda: Report.objects.count() == 2 and _all_done(), 20)
    reports = {r.kind: r for r in Report.objects.all()}
    assert set(reports) == {"contacts", "search_gaps"}
    march = reports["contacts"]
    assert (march.period_start, march.period_end, march.trigger, march.started_by) == (
        datetime.date(2026, 3, 1),
        datetime.date(2026, 3, 31),
        "schedule",
        None,
    )
    assert march.figures["totals"]["count"] == 1


def test_schedule_management_package_every_two_months(
    reference_data_tx, current_celery_app, celery_worker
):
    schedule_due_reports.delay("2026-05-01T03:30:00+03:00", None, 2).get(timeout=20)
    wait_for(lambda: Report.objects.count() == 5 and _all_done(), 20)
    assert set(Report.objects.values_list("kind", "period_start", "period_end")) == {
        (kind, datetime.date(2026, 3, 1), datetime.date(2026, 4, 30)) for kind in Kind.values
    }


def test_generate_report_twice_stores_one_result(
    reference_data_tx, current_celery_app, celery_worker
):
    contact(at=at(2026, 3, 5, 12, 0))
    report = Report.objects.create(
        kind=Kind.CONTACTS,
        period_start=datetime.date(2026, 3, 1),
        period_end=datetime.date(2026, 3, 31),
    )

    first = generate_report.delay(report.pk)
    second = generate_report.delay(report.pk)
    outcomes = sorted([first.get(timeout=20), second.get(timeout=20)])

    assert outcomes in (["already_done", "done"], ["busy", "done"])
    assert Report.objects.count() == 1
    stored = Report.objects.get()
    assert (stored.status, stored.figures["totals"]["count"]) == ("done", 1)


def test_resume_reports_completes_a_run_left_running(
    reference_data_tx, current_celery_app, celery_worker
):
    report = Report.objects.create(
        kind=Kind.FRESHNESS,
        period_start=datetime.date(2026, 3, 1),
        period_end=datetime.date(2026, 3, 31),
        status="running",
        attempts=1,
    )

    assert resume_reports.delay().get(timeout=20) == [report.pk]

    wait_for(_all_done, 20)
    report.refresh_from_db()
    assert report.attempts == 2
    assert report.figures["totals"]["entries"] == 0


def test_scheduled_run_is_mailed_to_subscribers(
    reference_data_tx, current_celery_app, celery_worker, manager
):
    ReportSubscription.objects.create(user=manager, kind=Kind.SEARCH_GAPS)

    schedule_due_reports.delay(APRIL_FIRST, ["search_gaps"], 1).get(timeout=20)

    wait_for(lambda: Report.objects.filter(mailed_at__isnull=False).count() == 1, 20)
    assert [m.to for m in mail.outbox] == [["manager@example.org"]]
    assert mail.outbox[0].attachments[0][0].endswith(".csv")
