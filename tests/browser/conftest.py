"""Browser tests: Debian's chromium driven by Playwright, against Django's live server."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, sync_playwright

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
BROWSER_DIR = Path(__file__).parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test in this directory is a browser test (``-m "not browser"`` skips them)."""
    for item in items:
        if BROWSER_DIR in item.path.parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(autouse=True)
def reference_data(reference_data_tx) -> None:
    """Browser tests run against the live server, so they are transactional: the flush
    after each one empties what data migrations seeded. Put it back before each test.
    Mark browser tests plainly ``pytest.mark.django_db(transaction=True)``."""


@pytest.fixture
def quiet_celery(celery_app):
    """Whatever the live server enqueues (notifications, e-mails) goes to the in-memory
    broker of the test app (tests/conftest.py's celery_config), not to var/. No worker
    runs it unless the test also asks for ``celery_worker``."""
    celery_app.set_default()
    return celery_app


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser, live_server) -> Iterator[Page]:
    context = browser.new_context(
        locale="fi-FI", base_url=live_server.url, viewport={"width": 1280, "height": 800}
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


def login(page: Page, username: str, password: str | None = None) -> None:
    """Log in through the real login form."""
    page.goto("/kirjaudu/")
    page.get_by_label("Käyttäjätunnus").fill(username)
    page.get_by_label("Salasana").fill(password or "pw-" + username)
    page.get_by_role("button", name="Kirjaudu").click()
    page.wait_for_url(lambda url: "/kirjaudu/" not in url)


def pick_municipality(page: Page, **option: str) -> None:
    """Choose in the header's municipality picker and wait for the page it leads to.

    The picker submits its form; the server stores the choice and redirects back. Moving
    on (``goto``, a click) before that page has loaded cancels the request that stores
    the choice, so a test that doesn't wait passes only when the server is quick."""
    with page.expect_navigation():
        page.locator("#municipality-select").select_option(**option)


def assert_accessible(page: Page) -> None:
    """axe-core on the current page: zero serious or critical violations."""
    results = Axe().run(page)
    bad = [v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]
    assert not bad, "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(n["target"][0] if n["target"] else "?" for n in v["nodes"][:5])
        for v in bad
    )
