"""The browser marks htmx polling as background (static/js/neuvokas.js), so the server's
idle sign-out does not count it as activity; a request the person triggers is not marked."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import Page

from .conftest import login

pytestmark = pytest.mark.django_db(transaction=True)

BADGE = reverse("notifications:badge")


def _add_htmx_element(page: Page, tag: str, trigger: str) -> None:
    page.evaluate(
        """([tag, url, trigger]) => {
            const el = document.createElement(tag);
            el.id = "probe";
            el.textContent = "probe";
            el.setAttribute("hx-get", url);
            el.setAttribute("hx-trigger", trigger);
            el.setAttribute("hx-swap", "none");
            document.body.appendChild(el);
            htmx.process(el);
        }""",
        [tag, BADGE, trigger],
    )


def test_htmx_polling_is_marked_as_background(page: Page, advisor):
    login(page, "advisor")
    page.goto("/")

    with page.expect_request(lambda r: BADGE in r.url) as polled:
        _add_htmx_element(page, "div", "every 200ms")

    assert polled.value.all_headers().get("x-neuvokas-background") == "poll"


def test_a_click_through_htmx_is_not_marked(page: Page, advisor):
    login(page, "advisor")
    page.goto("/")
    _add_htmx_element(page, "button", "click")

    with page.expect_request(lambda r: BADGE in r.url) as clicked:
        page.locator("#probe").click()

    headers = clicked.value.all_headers()
    assert headers.get("hx-request") == "true"
    assert "x-neuvokas-background" not in headers
