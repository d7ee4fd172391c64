"""Writes of the reports: request a run, generate it, mail it.

A run is one ``Report`` row per (kind, period). ``report_generate`` computes the
figures and stores them with ``status = done`` in one transaction, holding a
transaction-level advisory lock on the report for as long as it works:

* a second worker given the same report finds the lock taken and leaves it;
* a worker killed mid-run loses its connection, so PostgreSQL rolls the transaction
  back (nothing half-written) and drops the lock. The row still says ``running``, but
  no one holds its lock: ``reports_to_resume`` finds it and the next run completes it.

The row's ``running`` status and progress are written on a second connection, committed
at once, so the page can show them while the long transaction is still open.
"""

from __future__ import annotations

import datetime
import logging
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from apps.audit import services as audit
from apps.core.dispatch import enqueue

from . import exports
from .kinds import module
from .models import Kind, Report, ReportSubscription
from .periods import Period

if TYPE_CHECKING:
    from apps.accounts.models import User

logger = logging.getLogger(__name__)

# pg_advisory_xact_lock(LOCK_CLASS, report id): "this report is being generated".
LOCK_CLASS = 0x5250  # "RP"
MAX_ATTEMPTS = 3
# A pending run not started after this long has lost its queue message: send another.
PENDING_GRACE = datetime.timedelta(minutes=5)


# --- Requesting a run -------------------------------------------------------------------


def report_request(
    *,
    kind: str,
    period_start: datetime.date,
    period_end: datetime.date,
    started_by: User | None = None,
    rerun: bool = False,
) -> Report:
    """The run for (kind, period): created, or the existing one.

    ``rerun`` resets a finished or failed run to ``pending`` so it is computed again
    (its figures are replaced when the new ones are ready; there is never a second row).
    A run already being generated is left alone: it is about to have fresh figures.
    """
    if kind not in Kind.values:
        raise ValidationError({"kind": _("Tuntematon raportti.")})
    Period(period_start, period_end)  # raises on a reversed period
    trigger = Report.Trigger.MANUAL if started_by else Report.Trigger.SCHEDULE
    with transaction.atomic():
        report, created = Report.objects.get_or_create(
            kind=kind,
            period_start=period_start,
            period_end=period_end,
            defaults={"trigger": trigger, "started_by": started_by},
        )
        if created or not rerun:
            return report
        report = Report.objects.select_for_update().get(pk=report.pk)
        if report.status == Report.Status.RUNNING and _is_locked(report.pk):
            return report
        report.status = Report.Status.PENDING
        report.trigger = trigger
        report.started_by = started_by
        report.progress = 0
        report.error = ""
        report.attempts = 0
        report.requested_at = timezone.now()
        report.mailed_at = None
        report.save(
            update_fields=[
                "status",
                "trigger",
                "started_by",
                "progress",
                "error",
                "attempts",
                "requested_at",
                "mailed_at",
            ]
        )
    return report


# --- Generating -------------------------------------------------------------------------


def _try_lock(report_id: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s, %s)", [LOCK_CLASS, report_id])
        return bool(cursor.fetchone()[0])


def _locked_ids() -> set[int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT objid FROM pg_locks WHERE locktype = 'advisory' AND classid = %s "
            "AND objsubid = 2 AND database = (SELECT oid FROM pg_database "
            "WHERE datname = current_database())",
            [LOCK_CLASS],
        )
        return {int(row[0]) for row in cursor.fetchall()}


def _is_locked(report_id: int) -> bool:
    return report_id in _locked_ids()


class _StatusWriter:
    """Writes the run's status and progress on its own connection, committed at once,
    while the generating transaction is still open."""

    def __init__(self, report_id: int) -> None:
        self.report_id = report_id
        self.connection = connections.create_connection(DEFAULT_DB_ALIAS)
        self.last = -1

    def _update(self, sql: str, params: list[Any]) -> None:
        with self.connection.cursor() as cursor:
            # ``sql`` is one of the fixed column lists below, never user input.
            cursor.execute(
                f"UPDATE reports_report SET {sql} WHERE id = %s",  # noqa: S608
                [*params, self.report_id],
            )

    def start(self) -> None:
        self._update(
            "status = %s, progress = 0, error = '', started_at = %s, "
            "finished_at = NULL, attempts = attempts + 1",
            [Report.Status.RUNNING, timezone.now()],
        )

    def progress(self, percent: int) -> None:
        percent = max(0, min(99, int(percent)))
        if percent > self.last:
            self.last = percent
            self._update("progress = %s", [percent])

    def fail(self, error: str) -> None:
        self._update("status = %s, error = %s", [Report.Status.FAILED, error[:2000]])

    def close(self) -> None:
        self.connection.close()


def report_generate(*, report_id: int) -> str:
    """Compute and store one run. Returns what happened: ``done``, ``already_done``,
    ``busy`` (another worker has it), or ``missing``."""
    with transaction.atomic():
        if not _try_lock(report_id):
            return "busy"
        report = Report.objects.filter(pk=report_id).first()
        if report is None:
            return "missing"
        if report.status == Report.Status.DONE:
            return "already_done"
        writer = _StatusWriter(report_id)
        try:
            writer.start()
            with translation.override(settings.LANGUAGE_CODE):
                figures = module(report.kind).compute(report.period, writer.progress)
        except BaseException as exc:
            # Not for a killed worker (no Python runs then): the row stays ``running``
            # with no lock held, and reports_to_resume() picks it up.
            writer.fail(f"{type(exc).__name__}: {exc}")
            raise
        finally:
            writer.close()
        finished = timezone.now()
        Report.objects.filter(pk=report_id).update(
            figures=figures, status=Report.Status.DONE, progress=100, error="", finished_at=finished
        )
        if report.trigger == Report.Trigger.SCHEDULE:
            from .tasks import mail_report

            enqueue(mail_report, report_id)
    return "done"


def reports_to_resume(*, now: datetime.datetime | None = None) -> list[int]:
    """Runs that should be running but are not: ``running`` with no worker holding
    their lock (the worker died), ``failed`` with attempts left, or ``pending`` so long
    that their queue message must have been lost."""
    now = now or timezone.now()
    candidates = list(
        Report.objects.filter(
            Q(status=Report.Status.RUNNING)
            | Q(status=Report.Status.FAILED, attempts__lt=MAX_ATTEMPTS)
            | Q(status=Report.Status.PENDING, requested_at__lt=now - PENDING_GRACE)
        )
        .order_by("requested_at")
        .values_list("pk", flat=True)
    )
    if not candidates:
        return []
    locked = _locked_ids()
    return [pk for pk in candidates if pk not in locked]


# --- Mailing ----------------------------------------------------------------------------


def subscription_set(*, user: User, kind: str, subscribed: bool) -> None:
    if kind not in Kind.values:
        raise ValidationError({"kind": _("Tuntematon raportti.")})
    if subscribed:
        ReportSubscription.objects.get_or_create(user=user, kind=kind)
    else:
        ReportSubscription.objects.filter(user=user, kind=kind).delete()


def report_mail(*, report_id: int) -> int:
    """E-mail a finished run to its kind's subscribers, once. Returns mails sent."""
    with transaction.atomic():
        report = Report.objects.select_for_update().filter(pk=report_id).first()
        if report is None or report.status != Report.Status.DONE or report.mailed_at:
            return 0
        recipients = sorted(
            {
                s.user.email
                for s in ReportSubscription.objects.filter(kind=report.kind).select_related("user")
                if s.user.is_active and s.user.email and s.user.has_perm("reports.view_report")
            }
        )
        sent = 0
        if recipients:
            with translation.override(settings.LANGUAGE_CODE):
                context = {
                    "report": report,
                    "tables": exports.report_tables(report),
                    "url": settings.NEUVOKAS_SITE_URL.rstrip("/")
                    + reverse("reports:detail", args=[report.pk]),
                }
                subject = " ".join(render_to_string("reports/email_subject.txt", context).split())
                body = render_to_string("reports/email_body.txt", context)
                attachment = (exports.filename(report, "csv"), exports.to_csv(report), "text/csv")
            messages = []
            for address in recipients:
                message = EmailMessage(subject=subject, body=body, to=[address])
                message.attach(*attachment)
                messages.append(message)
            sent = get_connection().send_messages(messages) or 0
            audit.record(
                audit.Kind.EXPORT, None, report, what="report", format="csv", mailed_to=sent
            )
        report.mailed_at = timezone.now()
        report.save(update_fields=["mailed_at"])
    return sent
