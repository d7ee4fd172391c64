"""The opening status beside each phone number, in a real browser: on the entry page
and in the search results, for a Virolahti caller whose number serves Hamina,
Miehikkälä and Virolahti. The hours are built around the test's own clock, so the
status is known whatever the time of day: one contact is always open (24 h, holidays
too), one closed until a date far ahead."""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import Page, expect

from apps.catalogue.opening_hours import DAYS, HELSINKI
from apps.search.services import index_object
from tests.catalogue.factories import HAMINA, KOTKA, MIEHIKKALA, VIROLAHTI, contact, entry

from .conftest import assert_accessible, login, pick_municipality

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def home_care():
    today = datetime.datetime.now(HELSINKI).date()
    e = entry("kotihoito", title="Kotihoito", lines=["ikaihmiset"])
    contact(
        e,
        municipalities=[KOTKA],
        label="Kotkan ohjaus",
        phone="05 000 2210",
        position=0,
        opening_hours={
            "weekly": [{"days": {day: ["08:00-16:00"] for day in DAYS}}],
            "exceptions": [
                {
                    "from": (today - datetime.timedelta(days=1)).isoformat(),
                    "to": (today + datetime.timedelta(days=30)).isoformat(),
                    "closed": True,
                }
            ],
            "public_holidays": "open",
        },
    )
    contact(
        e,
        municipalities=[HAMINA, MIEHIKKALA, VIROLAHTI],
        label="Haminan seudun ohjaus",
        phone="05 000 2230",
        position=1,
        opening_hours={
            "weekly": [{"days": {day: ["00:00-24:00"] for day in DAYS}}],
            "public_holidays": "open",
        },
    )
    index_object(e)
    return e


def test_open_now_shows_beside_the_phone_number(page: Page, advisor, home_care):
    login(page, "advisor")
    page.goto("/palvelut/")
    pick_municipality(page, value=VIROLAHTI)

    page.goto(home_care.get_absolute_url())
    cards = page.locator(".contact-card")
    # The Virolahti caller's number comes first, marked, with its status beside it.
    first = cards.nth(0)
    expect(first).to_contain_text("Haminan seudun ohjaus")
    expect(first).to_contain_text("Hamina, Miehikkälä, Virolahti")
    number = first.locator("a.tel")
    expect(number).to_have_text("05 000 2230")
    status = number.locator("xpath=following-sibling::span[@data-opening-status]")
    expect(status).to_have_text("auki nyt, ympäri vuorokauden")
    closed = cards.nth(1).locator("[data-opening-status]")
    expect(closed).to_contain_text("suljettu, avautuu")
    assert_accessible(page)

    page.goto("/haku/?q=kotihoito")
    hit = page.locator(".search-hit", has_text="Kotihoito")
    contacts = hit.locator(".hit-contact")
    expect(contacts.nth(0)).to_contain_text("05 000 2230")
    expect(contacts.nth(0).locator("[data-opening-status]")).to_have_text(
        "auki nyt, ympäri vuorokauden"
    )
    expect(contacts.nth(1).locator("[data-opening-status]")).to_contain_text("suljettu")
