"""Issue 2's "done when", as one new user would walk it on the demo catalogue: log in,
find and read a service in Finnish, switch the municipality, edit the entry, see its
history."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from apps.catalogue.models import Entry

from .conftest import assert_accessible, login, pick_municipality

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo_catalogue(quiet_celery):
    call_command("import_catalogue", "demo/catalogue.json", stdout=io.StringIO())


def test_new_user_finds_reads_switches_municipality_edits_and_sees_history(
    page: Page, editor, demo_catalogue
):
    login(page, "editor")
    page.get_by_role("navigation", name="Päävalikko").get_by_role(
        "link", name="Palvelut", exact=True
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Palvelut ja tarjonta")

    # Find: the live filter narrows the list while typing.
    page.get_by_role("searchbox", name="Rajaa").fill("omaishoidon tuki")
    result = page.locator("#results").get_by_role("link", name="Omaishoidon tuki", exact=True)
    expect(result).to_be_visible()
    result.click()

    # Read, in Finnish.
    expect(page.get_by_role("heading", level=1)).to_have_text("Omaishoidon tuki")
    expect(page.locator("html")).to_have_attribute("lang", "fi")
    expect(page.get_by_role("heading", name="Kenelle")).to_be_visible()
    assert_accessible(page)

    # Switch the municipality in the header: the choice stays while browsing.
    pick_municipality(page, label="Kouvola")
    contacts = page.locator(".contact-card")
    expect(contacts.first).to_contain_text("Kouvola")
    page.get_by_role("navigation", name="Päävalikko").get_by_role(
        "link", name="Kuntavertailu"
    ).click()
    expect(page.get_by_label("Kunta", exact=True)).to_have_value("286")
    page.go_back()

    # Edit the summary and save.
    page.get_by_role("link", name="Muokkaa korttia").click()
    summary = page.get_by_label("Tiivistelmä", exact=True)
    summary.fill("Hoitopalkkio ja vapaapäivät omaishoitajalle, joka hoitaa läheistään kotona.")
    page.get_by_label("Muutoksen kuvaus").fill("Vapaapäivät mainittu")
    page.get_by_role("button", name="Tallenna", exact=True).click()
    expect(page.get_by_text("Hoitopalkkio ja vapaapäivät omaishoitajalle")).to_be_visible()

    # History: the import (version 1) and this edit (version 2), with the diff.
    page.get_by_role("link", name="Versiohistoria").click()
    expect(page.locator("tbody tr")).to_have_count(2)
    expect(page.locator("tbody")).to_contain_text("Vapaapäivät mainittu")
    assert_accessible(page)
    page.locator("tbody tr").first.get_by_role(
        "link", name=re.compile("muutokset|Näytä", re.I)
    ).first.click()
    expect(page.locator("ins").first).to_contain_text("vapaapäivät")
    assert Entry.objects.get(key="omaishoidon-tuki").version == 2
