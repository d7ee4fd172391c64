from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from django_htmx.http import HTMX_STOP_POLLING

from apps.reports import services
from apps.reports.models import Kind, Report, ReportSubscription
from tests.contacts.factories import contact
from tests.reports.factories import at

pytestmark = pytest.mark.django_db

MARCH = {"period_start": datetime.date(2026, 3, 1), "period_end": datetime.date(2026, 3, 31)}
HTMX = {"HX-Request": "true"}


@pytest.fixture
def done_report():
    contact(at=at(2026, 3, 2, 10, 0), solved=True)
    contact(at=at(2026, 2, 2, 10, 0))
    report = services.report_request(kind=Kind.CONTACTS, **MARCH)
    services.report_generate(report_id=report.pk)
    report.refresh_from_db()
    return report


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    return client


def _urls(report):
    return [
        reverse("reports:index"),
        reverse("reports:detail", args=[report.pk]),
        reverse("reports:csv", args=[report.pk]),
        reverse("reports:xlsx", args=[report.pk]),
    ]


@pytest.mark.parametrize("who", ["advisor", "editor"])
def test_report_pages_are_for_managers_only(client, request, done_report, who):
    client.force_login(request.getfixturevalue(who))
    for url in _urls(done_report):
        assert client.get(url).status_code == 403, url
    response = client.post(
        reverse("reports:run"),
        {"kind": "contacts", "period_start": "2026-03-01", "period_end": "2026-03-31"},
    )
    assert response.status_code == 403


def test_report_pages_need_login(client, done_report):
    for url in _urls(done_report):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_report_pages_open_to_managers(manager_client, done_report):
    for url in _urls(done_report):
        assert manager_client.get(url).status_code == 200, url


def test_header_link_shown_with_the_permission(client, manager, advisor):
    link = f'href="{reverse("reports:index")}"'
    client.force_login(manager)
    assert link in client.get(reverse("catalogue:home")).content.decode()
    client.force_login(advisor)
    assert link not in client.get(reverse("catalogue:home")).content.decode()


def test_index_lists_runs(manager_client, done_report):
    html = manager_client.get(reverse("reports:index")).content.decode()
    assert reverse("reports:detail", args=[done_report.pk]) in html
    assert "1.3.2026–31.3.2026" in html
    assert "valmis" in html


def test_detail_shows_charts_server_side_without_inline_styles(manager_client, done_report):
    html = manager_client.get(reverse("reports:detail", args=[done_report.pk])).content.decode()
    assert "<svg" in html
    assert 'class="bar-now" x="0" y="0" height="5" width="100.0"' in html
    assert "Vammaispalvelut" in html
    assert 'hx-trigger="every 2s"' not in html
    assert not re.search(r"\sstyle=", html)
    assert not re.search(r"<script(?![^>]*\ssrc=)", html)


def test_run_requests_and_shows_progress(
    manager_client, manager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = manager_client.post(
            reverse("reports:run"),
            {"kind": "search_gaps", "period_start": "2026-03-01", "period_end": "2026-03-31"},
        )
    report = Report.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:detail", args=[report.pk])
    assert (report.kind, report.trigger, report.started_by, report.status) == (
        "search_gaps",
        "manual",
        manager,
        "pending",
    )
    assert len(callbacks) == 1  # generate_report enqueued after the commit

    html = manager_client.get(response["Location"]).content.decode()
    assert 'hx-trigger="every 2s"' in html
    assert "<progress" in html


def test_run_rerun_keeps_one_row(manager_client, done_report, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        manager_client.post(
            reverse("reports:run"),
            {"kind": "contacts", "period_start": "2026-03-01", "period_end": "2026-03-31"},
        )
    assert Report.objects.count() == 1
    assert Report.objects.get().status == "pending"


def test_run_refuses_reversed_period(manager_client):
    response = manager_client.post(
        reverse("reports:run"),
        {"kind": "contacts", "period_start": "2026-03-31", "period_end": "2026-03-01"},
    )
    assert response.status_code == 400
    assert "Jakso päättyy ennen kuin se alkaa." in response.content.decode()
    assert Report.objects.count() == 0


def test_status_poll_continues_while_running_and_stops_when_done(manager_client, done_report):
    url = reverse("reports:detail", args=[done_report.pk])
    Report.objects.filter(pk=done_report.pk).update(status="running", progress=40)
    running = manager_client.get(url, headers=HTMX)
    assert running.status_code == 200
    body = running.content.decode()
    assert "<html" not in body
    assert 'hx-trigger="every 2s"' in body
    assert 'value="40"' in body

    Report.objects.filter(pk=done_report.pk).update(status="done", progress=100)
    finished = manager_client.get(url, headers=HTMX)
    assert finished.status_code == HTMX_STOP_POLLING
    assert 'hx-trigger="every 2s"' not in finished.content.decode()
    assert "Linjoittain" in finished.content.decode()


def test_csv_download(manager_client, done_report):
    response = manager_client.get(reverse("reports:csv", args=[done_report.pk]))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="neuvokas-contacts-20260301-20260331.csv"'
    )
    assert "Yhteydenottoja;1;1" in response.content.decode("utf-8-sig")


def test_xlsx_download(manager_client, done_report):
    response = manager_client.get(reverse("reports:xlsx", args=[done_report.pk]))
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response.content[:2] == b"PK"


def test_download_of_unfinished_report_is_404(manager_client):
    report = services.report_request(kind=Kind.CONTACTS, **MARCH)
    assert manager_client.get(reverse("reports:csv", args=[report.pk])).status_code == 404


def test_subscribe_and_unsubscribe(manager_client, manager):
    url = reverse("reports:subscribe")
    manager_client.post(url, {"kind": "stories", "subscribed": "on"})
    manager_client.post(url, {"kind": "stories", "subscribed": "on"})
    assert list(ReportSubscription.objects.values_list("user", "kind")) == [(manager.pk, "stories")]
    assert "Peru tilaus" in manager_client.get(reverse("reports:index")).content.decode()
    manager_client.post(url, {"kind": "stories"})
    assert ReportSubscription.objects.count() == 0
