"""The desk (front page) for each role, in a real browser: the advisor's waiting questions
tick and are claimed with the keyboard, panels reload on the live stream's events, the
manager reassigns from the team view, the content editor's upkeep comes first, and the
advisor's desk fits 1366x768 beside a softphone."""

from __future__ import annotations

import datetime
import re
import socket
from collections.abc import Iterator

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from apps.consultations import services
from apps.consultations.models import Callback, Thread, Urgency
from tests.asgi_server import uvicorn_server
from tests.catalogue import factories as catalogue_factories
from tests.consultations import factories

from .conftest import assert_accessible, login

pytestmark = pytest.mark.django_db(transaction=True)

WAITING = Urgency.WAITING

_FOCUS_VISIBLE = "() => getComputedStyle(document.activeElement).outlineStyle !== 'none'"


def _live(page: Page, kind: str) -> None:
    """What the live stream does on an event: a DOM event on <body>."""
    page.evaluate(f"() => document.body.dispatchEvent(new CustomEvent('live:{kind}'))")


@pytest.fixture
def lines(advisor, colleague):
    mine, other = factories.line("vammaispalvelut"), factories.line("ikaihmiset")
    advisor.service_lines.add(mine)
    colleague.service_lines.add(other)
    return mine, other


def test_advisor_desk_ticks_claims_by_keyboard_and_reloads_live(
    page: Page, advisor, colleague, lines, quiet_celery
):
    mine, other = lines
    thread = factories.thread(
        author=colleague,
        title="Asiakas odottaa: kuljetuspalvelu",
        service_line=mine,
        urgency=WAITING,
    )
    Thread.objects.filter(pk=thread.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=2)
    )
    factories.thread(
        author=colleague, title="Toisen linjan odottaja", service_line=other, urgency=WAITING
    )
    factories.callback(requester=colleague, assignee=advisor, reason="Soita omaishoitajalle")
    factories.callback(requester=advisor, assignee=colleague, reason="Kollegan soitto")

    login(page, "advisor")
    page.clock.install()
    page.goto("/")
    waiting = page.locator("#desk-waiting")
    expect(waiting).to_contain_text("Asiakas odottaa: kuljetuspalvelu")
    expect(waiting).not_to_contain_text("Toisen linjan odottaja")
    expect(page.locator("#desk-callbacks")).to_contain_text("Soita omaishoitajalle")
    expect(page.locator("#desk-callbacks")).not_to_contain_text("Kollegan soitto")

    # The waiting time ticks: "2 min 05 s" and on.
    age = waiting.locator("time[data-age]").first
    expect(age).to_have_text(re.compile(r"^2 min \d\d s$"))
    before = age.inner_text()
    page.clock.run_for(3000)
    expect(age).not_to_have_text(before)
    assert_accessible(page)

    # A new caller-waiting question on my line appears when the stream says so.
    factories.thread(
        author=colleague, title="Toinen odottava soittaja", service_line=mine, urgency=WAITING
    )
    _live(page, "question.posted")
    expect(waiting).to_contain_text("Toinen odottava soittaja")

    # Tab from the question's link reaches its claim button, with a visible focus; Enter.
    waiting.get_by_role("link", name="Asiakas odottaa: kuljetuspalvelu").focus()
    page.keyboard.press("Tab")
    expect(page.locator(f"#desk-claim-{thread.pk}")).to_be_focused()
    assert page.evaluate(_FOCUS_VISIBLE)
    page.keyboard.press("Enter")
    expect(
        page.get_by_role("heading", level=1, name="Asiakas odottaa: kuljetuspalvelu")
    ).to_be_visible()
    thread.refresh_from_db()
    assert thread.claimed_by == advisor

    page.goto("/")
    expect(page.locator("#desk-claimed")).to_contain_text("Asiakas odottaa: kuljetuspalvelu")
    expect(page.locator(f"#desk-claim-{thread.pk}")).to_have_count(0)


def test_manager_reassigns_from_the_team_view_by_keyboard(
    page: Page, advisor, colleague, manager, lines, quiet_celery
):
    callback = factories.callback(
        requester=colleague,
        assignee=advisor,
        reason="Soita asiakkaalle asumispalveluista",
        due_at=timezone.now() - datetime.timedelta(minutes=20),
    )
    thread = factories.thread(author=advisor, title="Vastaamaton kysymys", service_line=lines[1])

    login(page, "manager")
    page.goto("/")
    team = page.locator("#desk-team_callbacks")
    expect(team).to_contain_text("Soita asiakkaalle asumispalveluista")
    expect(team).to_contain_text("Myöhässä")
    expect(page.locator("#desk-team_questions")).to_contain_text("Vastaamaton kysymys")
    assert_accessible(page)

    select = page.locator(f"#desk-tc-assignee-{callback.pk}")
    select.focus()
    select.select_option(label="Kollega")

    # While a choice is pending the panel holds still on live events and polling.
    held = page.evaluate(
        """() => {
          let held = null;
          const seen = (e) => {
            if (e.detail.elt.id === "desk-team_callbacks") held = e.defaultPrevented;
          };
          document.addEventListener("htmx:beforeRequest", seen);
          document.body.dispatchEvent(new CustomEvent("live:callback.assigned"));
          document.removeEventListener("htmx:beforeRequest", seen);
          return held;
        }"""
    )
    assert held is True
    expect(select).to_have_value(str(colleague.pk))

    page.keyboard.press("Tab")
    expect(page.locator(f"#desk-tc-save-{callback.pk}")).to_be_focused()
    assert page.evaluate(_FOCUS_VISIBLE)
    page.keyboard.press("Enter")
    expect(page.locator(f"#desk-tc-assignee-{callback.pk}")).to_have_attribute(
        "data-initial", str(colleague.pk)
    )
    assert Callback.objects.get(pk=callback.pk).assignee == colleague

    # The question goes to the advisor the same way; the focus stays on its button.
    page.locator(f"#desk-tq-assignee-{thread.pk}").select_option(label="Advisor")
    page.locator(f"#desk-tq-save-{thread.pk}").focus()
    page.keyboard.press("Enter")
    expect(page.locator(f"#desk-tq-assignee-{thread.pk}")).to_have_attribute(
        "data-initial", str(advisor.pk)
    )
    expect(page.locator(f"#desk-tq-save-{thread.pk}")).to_be_focused()
    assert Thread.objects.get(pk=thread.pk).claimed_by == advisor


def test_editor_desk_upkeep_first(page: Page, editor, advisor):
    entry = catalogue_factories.entry(title="Omaishoidon tuki", owner=editor, last_reviewed=None)
    catalogue_factories.problem_report(entry, reporter=advisor, what_is_wrong="Numero on vanha.")

    login(page, "editor")
    page.goto("/")

    headings = page.locator(".desk h2")
    expect(headings.nth(0)).to_have_text(re.compile("^Tarkistamatta olevat korttini"))
    expect(headings.nth(1)).to_have_text(re.compile("^Avoimet virheilmoitukset"))
    expect(page.locator("#desk-overdue")).to_contain_text("Omaishoidon tuki")
    expect(page.locator("#desk-reports")).to_contain_text("Numero on vanha.")
    assert_accessible(page)
    page.locator("#desk-overdue").get_by_role("link", name="Omaishoidon tuki").click()
    expect(page.get_by_role("heading", level=1, name="Omaishoidon tuki")).to_be_visible()


@pytest.fixture
def small_page(browser: Browser, live_server) -> Iterator[Page]:
    """1366x768, the advisor's screen with a softphone beside the browser."""
    context = browser.new_context(
        locale="fi-FI", base_url=live_server.url, viewport={"width": 1366, "height": 768}
    )
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def test_advisor_desk_fits_1366x768(small_page: Page, advisor, colleague, lines, tmp_path):
    for n in range(3):
        factories.thread(
            author=colleague, title=f"Odottava soittaja {n}", service_line=lines[0], urgency=WAITING
        )
    factories.callback(requester=colleague, assignee=advisor)

    login(small_page, "advisor")
    small_page.goto("/")
    expect(small_page.locator("#desk-waiting")).to_contain_text("Odottava soittaja 2")
    small_page.screenshot(path=tmp_path / "desk-1366x768.png")

    assert small_page.evaluate("() => document.documentElement.scrollWidth") <= 1366
    # Every waiting caller's claim button is on the first screen, no scrolling.
    buttons = small_page.locator("#desk-waiting button")
    expect(buttons).to_have_count(3)
    for i in range(3):
        box = buttons.nth(i).bounding_box()
        assert box is not None and box["y"] + box["height"] <= 768, box
    # The side panels sit beside the questions, not below them.
    side = small_page.locator("#desk-tally").bounding_box()
    main = small_page.locator("#desk-waiting").bounding_box()
    assert side is not None and main is not None and side["x"] > main["x"] + main["width"]


def _desk_port() -> int:
    """A free port of this file's own range (8200-8219), apart from the live tests'."""
    for port in range(8200, 8220):
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port in 8200-8219")


def test_advisor_desk_reloads_on_the_real_stream(
    browser: Browser, tmp_path, advisor, colleague, lines, quiet_celery
):
    """Against uvicorn (the stream needs ASGI): a colleague posts a caller-waiting question
    on my line; the stream's event reaches my desk and the waiting panel shows it."""
    with uvicorn_server(tmp_path, port=_desk_port()) as server:
        context = browser.new_context(
            locale="fi-FI", base_url=server.url, viewport={"width": 1366, "height": 768}
        )
        context.set_default_timeout(15_000)
        page = context.new_page()
        try:
            login(page, "advisor")
            page.goto("/")
            expect(page.locator("html")).to_have_attribute("data-live", "on")
            page.evaluate(
                """() => {
                  window.deskHeard = [];
                  window.deskReloads = [];
                  document.body.addEventListener("live:question.waiting",
                    (e) => window.deskHeard.push(e.detail.thread));
                  document.body.addEventListener("htmx:beforeRequest", (e) => {
                    const config = e.detail.requestConfig;
                    const cause = config && config.triggeringEvent;
                    if (e.detail.elt.id !== "desk-waiting") return;
                    window.deskReloads.push(cause && cause.type);
                  });
                }"""
            )

            thread = services.thread_create(
                author=colleague,
                title="Soittaja odottaa: asumistuki",
                body="Asiakas kysyy asumistuesta.",
                service_line=lines[0],
                urgency=WAITING,
            )

            expect(page.locator("#desk-waiting")).to_contain_text("Soittaja odottaa: asumistuki")
            assert page.evaluate("() => window.deskHeard") == [thread.pk]
            # The panel reloaded because of the event, not because a poll came round.
            assert "live:question.waiting" in page.evaluate("() => window.deskReloads")
        finally:
            context.close()
