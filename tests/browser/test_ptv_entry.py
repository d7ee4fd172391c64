"""An entry imported from Suomi.fi (PTV), in a real browser: its Suomi.fi link, the
structured opening hours from PTV's service hours, and "Muuttunut Suomi.fi:ssä" after a
sync changed it, until its owner marks it reviewed; in the edit form, PTV's fields are
marked "Suomi.fi:stä" and cannot be typed into, the local ones save."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.ptv.ptv_server import PHONE_CHANNEL, SERVICE_A, PtvFixtureServer
from tests.ptv.test_import_ptv import entry_of, give_owner, run

from .conftest import assert_accessible, login

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_imported_entry_shows_its_source_hours_and_a_change_to_check(page: Page, editor):
    with PtvFixtureServer() as ptv:
        run(ptv)
        a = entry_of(SERVICE_A)
        give_owner(a, editor)
        ptv.channels[PHONE_CHANNEL]["phoneNumbers"][0]["number"] = "50000 2999"
        run(ptv)
    a.refresh_from_db()

    login(page, "editor")
    page.goto(a.get_absolute_url())
    expect(page.locator(".ptv-changed")).to_contain_text("Muuttunut Suomi.fi:ssä")
    link = page.get_by_role("link", name="Palvelu Suomi.fi:ssä")
    expect(link).to_have_attribute("href", a.suomifi_url)
    phone_card = page.locator(".contact-card", has_text="Vammaispalvelujen puhelinneuvonta")
    expect(phone_card.locator("a.tel")).to_have_text("+358 50000 2999")
    expect(phone_card.locator(".opening-hours")).to_contain_text("ma")
    expect(phone_card.locator(".opening-hours")).to_contain_text("24.12.2026")
    assert_accessible(page)

    page.get_by_role("button", name="Merkitse tarkistetuksi").click()
    expect(page.locator(".ptv-changed")).to_have_count(0)


def test_the_edit_form_marks_the_suomifi_fields_and_they_cannot_be_typed_into(page: Page, editor):
    with PtvFixtureServer() as ptv:
        run(ptv)
    a = entry_of(SERVICE_A)
    give_owner(a, editor)
    a.refresh_from_db()
    title = a.title_fi

    login(page, "editor")
    page.goto(f"/palvelut/kortti/{a.key}/muokkaa/")
    title_field = page.get_by_label("Otsikko", exact=True)
    marker = page.locator("#id_title_fi_helptext")
    expect(marker).to_contain_text("Suomi.fi:stä")
    expect(marker.get_by_role("link", name="Palvelu Suomi.fi:ssä")).to_have_attribute(
        "href", a.suomifi_url
    )
    expect(title_field).to_have_accessible_description(re.compile("Suomi.fi"))
    expect(title_field).to_be_disabled()
    expect(page.locator("#id_contacts-0-phone")).to_be_disabled()
    expect(page.get_by_role("button", name="Lisää yhteystieto")).to_have_count(0)
    assert_accessible(page)

    # Typing at the title goes nowhere; a local field takes it and saves.
    title_field.click(force=True)
    page.keyboard.type("Muutettu")
    expect(title_field).to_have_value(title)
    keywords = page.get_by_label("Hakusanat")
    expect(keywords).to_be_editable()
    keywords.fill("taksi\nkela-kyyti")
    page.get_by_role("button", name="Tallenna", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("versioksi 3")

    a.refresh_from_db()
    assert a.title_fi == title
    assert a.keywords == ["taksi", "kela-kyyti"]
