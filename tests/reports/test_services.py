from __future__ import annotations

import datetime
import threading

import psycopg
import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from apps.reports import services
from apps.reports.models import Kind, Report, ReportSubscription
from tests.conftest import make_user
from tests.contacts.factories import contact
from tests.helpers import wait_for
from tests.reports.factories import at

pytestmark = pytest.mark.django_db

D = datetime.date
MARCH = {"period_start": D(2026, 3, 1), "period_end": D(2026, 3, 31)}


def _request(kind: str = Kind.CONTACTS, **extra) -> Report:
    return services.report_request(kind=kind, **MARCH, **extra)


class TestReportRequest:
    def test_creates_once_per_kind_and_period(self, manager):
        first = _request(started_by=manager)
        again = _request()
        other_kind = _request(Kind.STORIES)
        assert again.pk == first.pk
        assert other_kind.pk != first.pk
        assert Report.objects.count() == 2
        assert (first.trigger, first.started_by, first.status) == ("manual", manager, "pending")

    def test_without_a_user_is_the_schedule(self):
        assert _request().trigger == Report.Trigger.SCHEDULE

    def test_rerun_resets_a_done_run_and_keeps_one_row(self, manager):
        report = _request()
        services.report_generate(report_id=report.pk)
        Report.objects.filter(pk=report.pk).update(mailed_at=timezone.now())

        again = _request(started_by=manager, rerun=True)

        assert again.pk == report.pk
        assert Report.objects.count() == 1
        again.refresh_from_db()
        assert (again.status, again.trigger, again.started_by, again.mailed_at, again.progress) == (
            "pending",
            "manual",
            manager,
            None,
            0,
        )

    def test_refuses_unknown_kind_and_reversed_period(self):
        with pytest.raises(ValidationError):
            services.report_request(kind="bogus", **MARCH)
        with pytest.raises(ValueError):
            services.report_request(
                kind=Kind.CONTACTS, period_start=D(2026, 3, 2), period_end=D(2026, 3, 1)
            )
        assert Report.objects.count() == 0


class TestReportGenerate:
    def test_stores_figures_and_done(self):
        contact(at=at(2026, 3, 5, 12, 0), solved=True)
        report = _request()

        assert services.report_generate(report_id=report.pk) == "done"

        report.refresh_from_db()
        assert (report.status, report.progress, report.error) == ("done", 100, "")
        assert report.finished_at is not None
        assert report.figures["totals"]["count"] == 1
        assert report.figures["totals"]["resolution_rate"] == 1.0

    def test_second_run_of_a_done_report_does_nothing(self):
        report = _request()
        services.report_generate(report_id=report.pk)
        finished = Report.objects.get(pk=report.pk).finished_at
        assert services.report_generate(report_id=report.pk) == "already_done"
        assert Report.objects.get(pk=report.pk).finished_at == finished

    def test_rerun_replaces_the_figures(self, manager):
        contact(at=at(2026, 3, 5, 12, 0))
        report = _request()
        services.report_generate(report_id=report.pk)
        contact(at=at(2026, 3, 6, 12, 0))

        _request(started_by=manager, rerun=True)
        services.report_generate(report_id=report.pk)

        assert Report.objects.count() == 1
        assert Report.objects.get().figures["totals"]["count"] == 2

    def test_missing_report(self):
        assert services.report_generate(report_id=987654) == "missing"

    def test_every_kind_generates(self):
        for kind in Kind.values:
            report = _request(kind)
            assert services.report_generate(report_id=report.pk) == "done"
        assert set(Report.objects.values_list("status", flat=True)) == {"done"}


def _hold_lock(report_id: int) -> psycopg.Connection:
    """Another database session holding the report's generation lock, as a worker
    in the middle of a run does."""
    other = _connect()
    other.execute("SELECT pg_advisory_lock(%s, %s)", [services.LOCK_CLASS, report_id])
    return other


@pytest.mark.django_db(transaction=True)
class TestConcurrencyAndRecovery:
    def test_generate_leaves_a_report_another_worker_holds(self, reference_data_tx):
        report = _request()
        other = _hold_lock(report.pk)
        try:
            assert services.report_generate(report_id=report.pk) == "busy"
            assert Report.objects.get(pk=report.pk).status == "pending"
        finally:
            # Unlock before closing: a closed session's backend lets go of its locks a
            # moment later, and the run below then found it "busy" now and then.
            other.execute("SELECT pg_advisory_unlock(%s, %s)", [services.LOCK_CLASS, report.pk])
            other.close()
        assert services.report_generate(report_id=report.pk) == "done"

    def test_reports_to_resume(self, reference_data_tx):
        now = timezone.now()
        old = now - datetime.timedelta(minutes=30)

        def make(kind, **fields):
            report = _request(kind)
            Report.objects.filter(pk=report.pk).update(**fields)
            return report.pk

        dead = make(Kind.CONTACTS, status="running", requested_at=old)
        alive = make(Kind.CONSULTATIONS, status="running", requested_at=old)
        retry = make(Kind.FRESHNESS, status="failed", attempts=1, requested_at=old)
        given_up = make(Kind.SEARCH_GAPS, status="failed", attempts=services.MAX_ATTEMPTS)
        lost = make(Kind.STORIES, status="pending", requested_at=old)
        queued = services.report_request(
            kind=Kind.STORIES, period_start=D(2026, 4, 1), period_end=D(2026, 4, 30)
        ).pk
        done = services.report_request(
            kind=Kind.CONTACTS, period_start=D(2026, 4, 1), period_end=D(2026, 4, 30)
        ).pk
        services.report_generate(report_id=done)
        other = _hold_lock(alive)
        try:
            resumable = services.reports_to_resume(now=now)
        finally:
            other.close()
        assert sorted(resumable) == sorted([dead, retry, lost])
        assert not {alive, given_up, queued, done} & set(resumable)

    def test_generate_failure_is_recorded(self, reference_data_tx):
        report = _request()
        Report.objects.filter(pk=report.pk).update(kind="removed_kind")
        with pytest.raises(KeyError):
            services.report_generate(report_id=report.pk)
        report.refresh_from_db()
        assert (report.status, report.attempts) == ("failed", 1)
        assert "removed_kind" in report.error
        assert report.figures == {}
        assert services.reports_to_resume() == [report.pk]

    def test_generate_marks_running_while_it_works(self, reference_data_tx):
        """The running status is committed while the run's own transaction is still
        open, so a second session (the progress page) sees it; the figures are not
        there until the run commits."""
        report = _request()
        blocker = _connect()
        blocker.execute("BEGIN")
        blocker.execute("LOCK TABLE contacts_contactrecord IN ACCESS EXCLUSIVE MODE")
        outcome = []

        def run() -> None:
            try:
                outcome.append(services.report_generate(report_id=report.pk))
            finally:
                connection.close()

        worker = threading.Thread(target=run)
        worker.start()
        try:
            observer = _connect()

            def seen() -> tuple[str, str]:
                return observer.execute(
                    "SELECT status, figures::text FROM reports_report WHERE id = %s", [report.pk]
                ).fetchone()

            wait_for(lambda: seen() == ("running", "{}"), what="the committed running status")
            assert seen() == ("running", "{}")
        finally:
            blocker.execute("ROLLBACK")
            blocker.close()
            worker.join(timeout=30)
        assert outcome == ["done"]
        assert Report.objects.get(pk=report.pk).status == "done"
        observer.close()


def _connect() -> psycopg.Connection:
    settings = connection.settings_dict
    return psycopg.connect(
        host=settings["HOST"],
        port=settings["PORT"] or 5432,
        user=settings["USER"],
        dbname=settings["NAME"],
        autocommit=True,
    )


class TestReportMail:
    def test_mails_each_subscriber_once_with_csv(self, manager, advisor, django_user_model):
        other_manager = make_user(django_user_model, "toinen", "Esihenkilö")
        gone = make_user(django_user_model, "poissa", "Esihenkilö", is_active=False)
        for user in (manager, other_manager, gone, advisor):  # advisor: no permission
            ReportSubscription.objects.create(user=user, kind=Kind.CONTACTS)
        ReportSubscription.objects.create(user=manager, kind=Kind.STORIES)
        contact(at=at(2026, 3, 5, 12, 0))
        report = _request()
        services.report_generate(report_id=report.pk)

        assert services.report_mail(report_id=report.pk) == 2
        assert services.report_mail(report_id=report.pk) == 0

        assert sorted(m.to[0] for m in mail.outbox) == ["manager@example.org", "toinen@example.org"]
        message = mail.outbox[0]
        assert "Yhteydenotot 1.3.2026–31.3.2026" in message.subject
        assert f"/raportit/{report.pk}/" in message.body
        name, content, mimetype = message.attachments[0]
        assert name == "neuvokas-contacts-20260301-20260331.csv"
        assert mimetype == "text/csv"
        assert "Yhteydenottoja;1;0" in content

    def test_not_done_is_not_mailed(self, manager):
        ReportSubscription.objects.create(user=manager, kind=Kind.CONTACTS)
        report = _request()
        assert services.report_mail(report_id=report.pk) == 0
        assert mail.outbox == []
