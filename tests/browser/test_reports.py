"""A manager runs a report now and watches it finish, in a real browser with a real
Celery worker (a thread of this process, in-memory broker)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from apps.reports.models import Report
from apps.reports.tasks import generate_report  # noqa: F401 - registers the task
from tests.contacts.factories import contact
from tests.reports.factories import at

from .conftest import assert_accessible, login

pytestmark = pytest.mark.django_db(transaction=True)


def test_run_report_now_ends_with_the_charts(
    page: Page, manager, current_celery_app, celery_worker
):
    contact(at=at(2026, 3, 2, 10, 0), solved=True)
    contact(at=at(2026, 2, 2, 10, 0))
    login(page, "manager")
    page.goto("/raportit/")
    assert_accessible(page)

    page.get_by_label("Raportti:", exact=True).select_option("contacts")
    page.get_by_label("Alkaa:", exact=True).fill("2026-03-01")
    page.get_by_label("Päättyy (mukaan lukien):", exact=True).fill("2026-03-31")
    page.get_by_role("button", name="Aja", exact=True).click()

    # The page polls its status fragment until the worker is done, then shows charts.
    expect(page.get_by_role("heading", name="Linjoittain")).to_be_visible(timeout=20_000)
    expect(page.locator("svg.bar").first).to_be_visible()
    expect(page.get_by_role("link", name="Lataa XLSX")).to_be_visible()
    report = Report.objects.get()
    assert (report.status, report.started_by, report.figures["totals"]["count"]) == (
        "done",
        manager,
        1,
    )
    assert_accessible(page)
