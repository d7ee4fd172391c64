"""Ask → answer → solve, with two colleagues in two browsers."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from apps.consultations.models import Thread
from tests.conftest import make_user
from tests.consultations import factories

from .conftest import assert_accessible, login

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def colleague_page(browser: Browser, live_server) -> Iterator[Page]:
    context = browser.new_context(
        locale="fi-FI", base_url=live_server.url, viewport={"width": 1280, "height": 800}
    )
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def test_ask_answer_solve(page: Page, colleague_page: Page, advisor, django_user_model):
    colleague = make_user(django_user_model, "kollega", "Neuvoja")
    line = factories.line("ikaihmiset")
    colleague.service_lines.add(line)
    factories.solved_thread(
        author=colleague, answerer=colleague, title="Omaishoidon tuen hakeminen"
    )

    # The advisor asks; a similar solved question appears while the title is typed.
    login(page, "advisor")
    page.goto("/kysymykset/")
    page.get_by_role("link", name="Uusi kysymys").click()
    page.get_by_label("Otsikko").press_sequentially("Omaishoidon tuki", delay=20)
    expect(
        page.locator("#suggestions").get_by_role("link", name="Omaishoidon tuen hakeminen")
    ).to_be_visible()
    page.get_by_label(re.compile(r"^Kysymys")).fill("Asiakas kysyy, mistä tukea haetaan.")
    page.get_by_label("Palvelulinja").select_option(label=line.name)
    page.get_by_label("Asiakas odottaa linjalla").check()
    assert_accessible(page)
    page.get_by_role("button", name="Lähetä kysymys").click()
    expect(page.get_by_role("heading", level=1, name="Omaishoidon tuki")).to_be_visible()
    thread = Thread.objects.get(title="Omaishoidon tuki")
    page.clock.install()
    page.reload()

    # The colleague sees it on top of the board, claims it and answers.
    login(colleague_page, "kollega")
    colleague_page.goto("/kysymykset/")
    first = colleague_page.locator(".thread-item").first
    expect(first).to_contain_text("Omaishoidon tuki")
    expect(first).to_contain_text("Asiakas odottaa linjalla")
    first.get_by_role("link", name="Omaishoidon tuki").click()
    colleague_page.get_by_role("button", name="Otan tämän").click()
    expect(colleague_page.get_by_text("Kollega selvittää tätä")).to_be_visible()
    colleague_page.get_by_label("Vastauksesi").fill(
        "@advisor Hakemus tehdään hyvinvointialueen lomakkeella."
    )
    colleague_page.get_by_role("button", name="Lähetä", exact=True).click()
    expect(colleague_page.locator(".answer")).to_contain_text("hyvinvointialueen lomakkeella")
    expect(colleague_page.get_by_label("Vastauksesi")).to_have_value("")
    assert_accessible(colleague_page)

    # The asker's page shows the answer without a reload, and the asker solves it.
    page.clock.fast_forward("00:11")
    expect(page.locator(".answer")).to_contain_text("hyvinvointialueen lomakkeella")
    page.get_by_role("button", name=re.compile("Merkitse ratkaisuksi")).click()
    expect(page.locator("#thread-live").get_by_text("Ratkaistu", exact=True)).to_be_visible()
    assert_accessible(page)
    thread.refresh_from_db()
    assert thread.status == Thread.Status.SOLVED
    assert thread.solution.author == colleague


def test_ask_refuses_identity_code_next_to_the_field(page: Page, advisor):
    login(page, "advisor")
    page.goto("/kysymykset/uusi/")
    page.get_by_label("Otsikko").fill("Asiakkaan asia")
    page.get_by_label(re.compile(r"^Kysymys")).fill("Tunnus 131052-308T, mitä teen?")
    page.get_by_role("button", name="Lähetä kysymys").click()
    expect(page.get_by_text(re.compile(r"henkilötunnuksen \(131052-\*\*\*\*"))).to_be_visible()
    assert Thread.objects.count() == 0
    assert_accessible(page)
