"""Two advisors in two browsers against a real uvicorn (the stream needs ASGI): a
caller-waiting question reaches the colleague on any page without a reload; the
colleague claims and answers; the asker sees both without a reload."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.asgi_server import uvicorn_server
from tests.conftest import make_user
from tests.consultations import factories

from .conftest import login

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def asgi_url(tmp_path) -> Iterator[str]:
    with uvicorn_server(tmp_path) as server:
        yield server.url


def new_page(browser: Browser, base_url: str) -> tuple[BrowserContext, Page]:
    context = browser.new_context(
        locale="fi-FI", base_url=base_url, viewport={"width": 1366, "height": 768}
    )
    context.set_default_timeout(15_000)
    return context, context.new_page()


def stream_open(page: Page) -> None:
    expect(page.locator("html")).to_have_attribute("data-live", "on")


def test_waiting_question_claim_and_answer_arrive_live(
    browser: Browser, asgi_url: str, django_user_model
):
    line = factories.line("ikaihmiset")
    for name in ("asker", "helper"):
        make_user(django_user_model, name, "Neuvoja").service_lines.add(line)
    asker_context, asker = new_page(browser, asgi_url)
    helper_context, helper = new_page(browser, asgi_url)
    try:
        # The colleague is reading the catalogue, not the board.
        login(helper, "helper")
        helper.goto("/palvelut/")
        stream_open(helper)

        login(asker, "asker")
        asker.goto("/kysymykset/uusi/")
        asker.get_by_label("Otsikko").fill("Kuljetuspalvelu ja SHL-matkat")
        asker.get_by_label(re.compile(r"^Kysymys")).fill("Voiko matkoja yhdistää?")
        asker.get_by_label("Palvelulinja").select_option(label=line.name)
        asker.get_by_label("Asiakas odottaa linjalla").check()
        asker.get_by_role("button", name="Lähetä kysymys").click()
        expect(asker.get_by_role("heading", level=1)).to_have_text("Kuljetuspalvelu ja SHL-matkat")
        # Timers stand still on the asker's page from here on: the thread page's 10 s
        # polling never fires, so whatever changes there came through the stream.
        asker.clock.install()
        asker.reload()
        stream_open(asker)

        # The notice appears on the colleague's page, with a link to the question.
        notice = helper.locator("#live-notices .live-notice")
        expect(notice).to_contain_text("Asiakas odottaa linjalla")
        expect(notice).to_contain_text("Kuljetuspalvelu ja SHL-matkat")
        assert helper.url.endswith("/palvelut/")
        notice.get_by_role("link", name="Kuljetuspalvelu ja SHL-matkat").click()
        helper.get_by_role("button", name="Otan tämän").click()
        expect(asker.locator("#thread-live")).to_contain_text("Helper selvittää tätä")

        helper.get_by_label("Vastauksesi").fill("Kyllä, kun matkat ovat samana päivänä.")
        helper.get_by_role("button", name="Lähetä", exact=True).click()
        expect(asker.locator(".answer")).to_contain_text("kun matkat ovat samana päivänä")
    finally:
        asker_context.close()
        helper_context.close()


def test_notice_is_dismissed_with_the_keyboard(browser: Browser, asgi_url: str, django_user_model):
    from apps.consultations import services
    from apps.consultations.models import Urgency

    line = factories.line("ikaihmiset")
    asker = make_user(django_user_model, "asker", "Neuvoja")
    make_user(django_user_model, "helper", "Neuvoja").service_lines.add(line)
    context, page = new_page(browser, asgi_url)
    try:
        login(page, "helper")
        page.goto("/palvelut/")
        stream_open(page)
        services.thread_create(
            author=asker,
            title="Omaishoidon vapaat",
            body="Miten vapaat järjestetään?",
            service_line=line,
            urgency=Urgency.WAITING,
        )
        notice = page.locator("#live-notices .live-notice")
        expect(notice).to_contain_text("Omaishoidon vapaat")
        expect(page.locator("#live-notices")).to_have_attribute("aria-live", "polite")
        notice.get_by_role("link").focus()
        page.keyboard.press("Escape")
        expect(notice).to_have_count(0)
    finally:
        context.close()
