"""The catalogue's reading pages in a real browser: live filter, municipality picker,
comparison table, and axe-core on each page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from apps.catalogue.models import Entry
from tests.catalogue.factories import KOTKA, KOUVOLA, contact, entry, organisation

from .conftest import assert_accessible, login, pick_municipality

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def catalogue():
    org = organisation(
        "kotkan-srk", name="Kotkan seurakuntayhtymä", kind="parish", municipalities=[KOTKA]
    )
    transport = entry(
        "kuljetuspalvelu",
        title="Kuljetuspalvelu",
        lines=["vammaispalvelut"],
        eligibility="Vaikeavammaiset",
        how_to_apply="Soita",
        fees="Taksa",
        target_groups=["vammaiset"],
        last_reviewed=None,
    )
    contact(transport, municipality=KOTKA, label="Kotkan ohjaus")
    contact(transport, label="Alueen ohjaus")
    entry(
        "ruoka-apu",
        title="Ruoka-apu",
        kind=Entry.Kind.OFFER,
        organisation=org,
        municipalities=[KOTKA],
        lines=["tyoikaiset"],
    )
    entry(
        "kouvolan-kerho",
        title="Kouvolan kerho",
        kind=Entry.Kind.OFFER,
        municipalities=[KOUVOLA],
        lines=["vammaispalvelut"],
    )
    return transport


def test_home_live_filter_and_municipality_picker(page: Page, advisor, catalogue):
    login(page, "advisor")
    page.goto("/palvelut/")
    results = page.locator("#results")
    expect(results).to_contain_text("Kouvolan kerho")
    assert_accessible(page)

    # Typing filters live (htmx) and pushes the URL.
    page.get_by_label("Rajaa", exact=True).fill("kuljetus")
    expect(results).not_to_contain_text("Ruoka-apu")
    expect(results).to_contain_text("Kuljetuspalvelu")
    expect(page).to_have_url(re.compile(r"q=kuljetus"))
    page.get_by_label("Rajaa", exact=True).fill("")
    expect(results).to_contain_text("Ruoka-apu")

    # Choosing a municipality in the filter updates the header picker out of band.
    page.locator("#id_kunta").select_option(KOTKA)
    expect(results).not_to_contain_text("Kouvolan kerho")
    expect(page.locator("#municipality-select")).to_have_value(KOTKA)

    # A line tab narrows the list; the hidden line input follows, so filters keep it.
    page.get_by_role("link", name=re.compile("^Vammaispalvelut")).click()
    expect(results).not_to_contain_text("Ruoka-apu")
    expect(page.locator("#filter-linja")).to_have_value("vammaispalvelut")
    page.locator("#id_tyyppi").select_option("service")
    # Both held before this request too: wait for what only its response does (the
    # pushed URL), so no request is still open when the picker below navigates.
    expect(page).to_have_url(re.compile(r"tyyppi=service"))
    expect(results).to_contain_text("Kuljetuspalvelu")
    expect(page).to_have_url(re.compile(r"linja=vammaispalvelut"))

    # The header picker persists across pages.
    pick_municipality(page, value=KOUVOLA)
    expect(page).not_to_have_url(re.compile(r"kunta="))  # the server's redirect
    expect(page.locator("#municipality-select")).to_have_value(KOUVOLA)
    page.goto("/palvelut/kortti/ruoka-apu/")
    expect(page.get_by_text("Ei saatavilla valitussa kunnassa: Kouvola")).to_be_visible()


def test_entry_page_is_accessible_and_warns_when_overdue(page: Page, advisor, catalogue):
    login(page, "advisor")
    page.goto("/palvelut/kortti/kuljetuspalvelu/?kunta=" + KOTKA)
    expect(page.get_by_role("heading", name="Kuljetuspalvelu", level=1)).to_be_visible()
    expect(page.locator(".review-overdue")).to_be_visible()
    cards = page.locator(".contact-card h3")
    expect(cards.first).to_have_text("Kotkan ohjaus")
    assert_accessible(page)
    page.goto("/palvelut/organisaatio/kotkan-srk/")
    expect(page.get_by_role("heading", name="Kotkan seurakuntayhtymä")).to_be_visible()
    assert_accessible(page)


def test_compare_page_works_and_is_accessible(page: Page, advisor, catalogue):
    login(page, "advisor")
    page.goto("/palvelut/vertailu/")
    page.get_by_label("Palvelulinja").select_option("vammaispalvelut")
    table = page.locator("table.compare")
    expect(table).to_contain_text("Kuljetuspalvelu")
    expect(table).to_contain_text("Kouvolan kerho")
    expect(page).to_have_url(re.compile(r"linja=vammaispalvelut"))
    assert_accessible(page)
    page.set_viewport_size({"width": 480, "height": 800})
    region = page.locator(".compare-table")
    assert region.evaluate("el => el.scrollWidth > el.clientWidth")
