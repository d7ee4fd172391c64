"""The header search in a real browser: "/" focuses it, results appear as you type,
arrow keys move through them, Enter opens one (and the opening is logged); Enter
without a chosen result opens the full results page, where arrows move too."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from apps.catalogue.services import import_catalogue
from apps.search.models import SearchLog
from tests.search.conftest import CATALOGUE

from .conftest import assert_accessible, login

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def indexed_catalogue(transactional_db):
    import_catalogue(CATALOGUE)


def test_search_as_you_type_then_keyboard_opens_a_result(page: Page, advisor, indexed_catalogue):
    login(page, "advisor")
    page.keyboard.press("/")
    box = page.get_by_role("combobox", name=re.compile("Hae"))
    expect(box).to_be_focused()

    box.press_sequentially("omaishoitajan vap", delay=30)
    options = page.get_by_role("option")
    expect(options.first).to_contain_text("Omaishoitajan vapaapäivät")
    expect(box).to_have_attribute("aria-expanded", "true")
    expect(page.locator("#site-search-live-footer")).to_contain_text("Näytä")
    assert_accessible(page)

    box.press("ArrowDown")
    expect(box).to_have_attribute("aria-activedescendant", "site-search-option-1")
    expect(options.first).to_have_attribute("aria-selected", "true")
    box.press("ArrowDown")
    box.press("ArrowUp")
    expect(options.first).to_have_attribute("aria-selected", "true")
    box.press("Enter")

    expect(page).to_have_url(re.compile(r"/palvelut/kortti/omaishoitajan-vapaat/$"))
    opened = SearchLog.objects.exclude(opened_at=None).get()
    assert (opened.opened_position, opened.opened_key) == (1, "omaishoitajan-vapaat")
    assert opened.source == SearchLog.Source.LIVE


def test_escape_closes_live_results_and_enter_opens_results_page(
    page: Page, advisor, indexed_catalogue
):
    login(page, "advisor")
    box = page.get_by_role("combobox", name=re.compile("Hae"))
    box.click()
    box.press_sequentially("kuljetus", delay=30)
    expect(page.get_by_role("option").first).to_contain_text("Kuljetuspalvelu")
    box.press("Escape")
    expect(page.locator("[data-search-live]")).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")

    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/haku/\?q=kuljetus"))
    results = page.locator(".search-hit-list [data-search-hit]")
    expect(results.first).to_contain_text("Kuljetuspalvelu")
    expect(page.locator(".search-hit-list mark").first).to_have_text("Kuljetuspalvelu")
    assert_accessible(page)

    # Arrow keys move from the page's search box through the results; Enter opens one.
    page.get_by_label("Hakusanat").press("ArrowDown")
    expect(results.first).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/palvelut/kortti/kuljetuspalvelu/$"))


def test_results_page_filters_change_results_without_reload(page: Page, advisor, indexed_catalogue):
    login(page, "advisor")
    page.goto("/haku/?q=ruoka-apu")
    hits = page.locator(".search-hit-list [data-search-hit]")
    expect(hits).to_have_count(2)
    page.get_by_label("Hae kunnasta").select_option(label="Kouvola")
    expect(hits).to_have_count(1)
    expect(hits.first).to_contain_text("Kouvolassa")
    expect(page).to_have_url(re.compile(r"kunta=286"))


def test_live_correction_and_show_all_link_are_readable(page: Page, advisor, indexed_catalogue):
    """The live panel's "Tarkoititko" suggestion and "show all" link once inherited the
    header's white text on the panel's white background."""
    login(page, "advisor")
    box = page.get_by_role("combobox", name=re.compile("Hae"))
    box.click()
    box.press_sequentially("kuljetuspalvlu", delay=30)
    footer = page.locator("#site-search-live-footer")
    expect(footer.locator(".live-correction a")).to_have_text("kuljetuspalvelu")
    expect(footer.locator(".live-all")).to_be_visible()
    assert_accessible(page)
