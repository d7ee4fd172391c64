"""The tools an advisor uses on an entry mid-call: a copy button beside every phone
number and e-mail address (also in search results, which arrive by htmx), and a print
button."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.catalogue.factories import contact, entry

from .conftest import assert_accessible, login

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def transport():
    card = entry("kuljetuspalvelu", title="Kuljetuspalvelu", lines=["vammaispalvelut"])
    contact(card, label="Asiakasohjaus", phone="05 234 5000", email="ohjaus@example.fi")
    return card


def clipboard(page: Page) -> str:
    return page.evaluate("navigator.clipboard.readText()")


def test_copy_buttons_copy_phone_and_email(page: Page, advisor, transport):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    login(page, "advisor")
    page.goto(transport.get_absolute_url())

    page.get_by_role("button", name="Kopioi: 05 234 5000").click()
    expect(page.get_by_role("button", name="Kopioi: 05 234 5000")).to_have_text("Kopioitu")
    assert clipboard(page) == "05 234 5000"

    page.get_by_role("button", name="Kopioi: ohjaus@example.fi").focus()
    page.keyboard.press("Enter")
    page.wait_for_function("navigator.clipboard.readText().then(t => t === 'ohjaus@example.fi')")
    assert_accessible(page)


def test_print_button_prints_the_entry(page: Page, advisor, transport):
    login(page, "advisor")
    page.goto(transport.get_absolute_url())
    page.evaluate(
        "() => { window.print = () => { window.__printed = (window.__printed || 0) + 1; }; }"
    )

    page.get_by_role("button", name="Tulosta kortti").click()

    assert page.evaluate("window.__printed") == 1


def test_address_links_to_a_map(page: Page, advisor, transport):
    contact(transport, label="Toimisto", phone="", address="Kirkkokatu 2, Kotka")
    login(page, "advisor")
    page.goto(transport.get_absolute_url())

    link = page.get_by_role("link", name=re.compile("Kirkkokatu 2, Kotka"))
    expect(link).to_have_attribute(
        "href", "https://www.openstreetmap.org/search?query=Kirkkokatu+2%2C+Kotka"
    )
    expect(link).to_have_attribute("target", "_blank")
