"""The request id: accepted from the proxy or made, echoed, on every log line of the
request, and carried into the tasks it enqueued (a real worker runs them)."""

from __future__ import annotations

import datetime
import json
import logging
import re
from collections.abc import Iterator

import pytest
from django.conf import settings

from apps.core.request_id import RequestIdFilter
from apps.reports.models import Report
from apps.reports.tasks import generate_report  # noqa: F401 - registered before the worker starts
from tests.helpers import wait_for

pytestmark = pytest.mark.django_db

HEX32 = re.compile(r"[0-9a-f]{32}")


class Collect(logging.Handler):
    """Records as the production console handler sees them (its request id filter)."""

    def __init__(self) -> None:
        super().__init__(level=logging.INFO)
        self.addFilter(RequestIdFilter())
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def ids(self, logger: str, contains: str = "") -> list[str]:
        return [
            r.request_id
            for r in list(self.records)
            if r.name == logger and contains in r.getMessage()
        ]


@pytest.fixture
def logs() -> Iterator[Collect]:
    """After ``celery_worker`` when both are used: the worker's start resets the root
    logger's handlers."""
    handler = Collect()
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield handler
    finally:
        root.removeHandler(handler)


def test_a_sane_request_id_from_the_proxy_is_echoed_and_logged(client, logs):
    response = client.get("/healthz", headers={"X-Request-ID": "nginx-4f2a.1_b"})

    assert response["X-Request-ID"] == "nginx-4f2a.1_b"
    assert logs.ids("neuvokas.request", "/healthz") == ["nginx-4f2a.1_b"]


@pytest.mark.parametrize("sent", ["a b", "x" * 65, "id;drop", "ä", ""])
def test_an_unusable_request_id_is_replaced_by_a_new_one(client, sent):
    response = client.get("/healthz", headers={"X-Request-ID": sent})
    assert HEX32.fullmatch(response["X-Request-ID"])


def test_each_request_gets_its_own_id(client):
    first = client.get("/healthz")["X-Request-ID"]
    second = client.get("/kirjaudu/")["X-Request-ID"]
    assert HEX32.fullmatch(first) and HEX32.fullmatch(second) and first != second


def test_djangos_own_log_line_carries_the_id_and_no_query_string(admin_client, logs):
    response = admin_client.get(
        "/palvelut/kortti/ei-ole/", {"q": "Matti Meikäläinen"}, headers={"X-Request-ID": "r-404"}
    )
    assert response.status_code == 404
    assert logs.ids("django.request") == ["r-404"]
    [record] = [r for r in logs.records if r.name == "django.request"]
    assert record.request == "GET /palvelut/kortti/ei-ole/"


def test_the_production_log_line_is_json_with_the_request_id(client):
    client.get("/healthz")  # a finished request leaves no id behind
    config = settings.LOGGING
    handler_config = config["handlers"]["console"]
    assert handler_config["filters"] == ["request_id"]
    assert config["formatters"][handler_config["formatter"]]["()"] == (
        "pythonjsonlogger.json.JsonFormatter"
    )
    from pythonjsonlogger.json import JsonFormatter

    json_config = config["formatters"]["json"]
    formatter = JsonFormatter(json_config["format"], rename_fields=json_config["rename_fields"])
    record = logging.LogRecord("neuvokas.request", logging.INFO, __file__, 1, "GET / 200", (), None)
    RequestIdFilter().filter(record)
    line = json.loads(formatter.format(record))
    assert (line["level"], line["logger"], line["request_id"], line["message"]) == (
        "INFO",
        "neuvokas.request",
        "-",
        "GET / 200",
    )


@pytest.mark.django_db(transaction=True)
def test_a_task_enqueued_by_a_request_logs_with_the_requests_id(
    reference_data_tx, manager, client, current_celery_app, celery_worker, logs
):
    client.force_login(manager)
    today = datetime.date.today()
    response = client.post(
        "/raportit/aja/",
        {
            "kind": "contacts",
            "period_start": (today - datetime.timedelta(days=30)).isoformat(),
            "period_end": today.isoformat(),
        },
        headers={"X-Request-ID": "run-report-7"},
    )
    assert response.status_code == 302, response.content[:500]

    wait_for(lambda: Report.objects.filter(status="done").exists(), 20)
    wait_for(lambda: logs.ids("celery.app.trace", "reports.generate_report"), 10)
    assert logs.ids("neuvokas.request", "/raportit/aja/") == ["run-report-7"]
    assert logs.ids("celery.app.trace", "reports.generate_report") == ["run-report-7"]
