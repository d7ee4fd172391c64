"""PostgreSQL restarted under a running web server (uvicorn, two workers, as in
production): while it is down every page answers at once with a clean 503 ("try again
in a moment", no traceback, no hang); once it is back the same web server serves again,
not restarted: with production's pool of connections (checked when borrowed), with
per-request connections and with kept ones (CONN_MAX_AGE + CONN_HEALTH_CHECKS)."""

from __future__ import annotations

import pytest

from apps.accounts import roles
from tests.faults.servers import free_port
from tests.faults.web import Browser, staff

PAGES = ["/", "/palvelut/", "/kysymykset/", "/raportit/"]
# Far below a hang, with room for a loaded 2-core machine.
MAX_SECONDS = 10.0


CONNECTIONS = {
    "pool": {"DJANGO_DB_POOL_MAX": "10", "DJANGO_CONN_MAX_AGE": "0"},
    "per-request": {"DJANGO_DB_POOL_MAX": "0", "DJANGO_CONN_MAX_AGE": "0"},
    "kept": {"DJANGO_DB_POOL_MAX": "0", "DJANGO_CONN_MAX_AGE": "60"},
}


@pytest.mark.parametrize("connections", CONNECTIONS)
def test_postgres_restart_fails_requests_cleanly_then_serves_without_a_web_restart(
    processes, own_postgres, connections
):
    processes.env |= CONNECTIONS[connections]
    manager = staff(roles.MANAGER)
    port = free_port()
    web = processes.web(port)
    browser = Browser(port)
    try:
        browser.wait_up(processes.details)
        browser.sign_in(manager)
        for path in PAGES * 2:  # both uvicorn workers, with connections kept if so set
            response, _ = browser.get(path)
            assert response.status_code == 200, (path, response.status_code)

        own_postgres.stop()
        try:
            for path in PAGES * 2:
                response, took = browser.get(path)
                assert response.status_code == 503, (path, response.status_code)
                assert took < MAX_SECONDS, (path, took)
                assert "Neuvokas on hetken tauolla" in response.text
                assert response.headers["Retry-After"] == "10"
                for leak in ("Traceback", "psycopg", "OperationalError", "127.0.0.1"):
                    assert leak not in response.text, leak
        finally:
            own_postgres.start()

        for path in PAGES * 2:
            response, _ = browser.get(path)
            assert response.status_code == 200, (path, response.status_code)
        assert web.poll() is None  # the same server process all along
    finally:
        browser.close()
