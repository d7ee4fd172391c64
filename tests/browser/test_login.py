from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from .conftest import assert_accessible, login

pytestmark = pytest.mark.django_db(transaction=True)


def test_login_shows_catalogue_home_in_finnish_then_logs_out(page: Page, advisor):
    login(page, "advisor")
    nav = page.get_by_role("navigation", name="Päävalikko")
    nav.get_by_role("link", name="Palvelut", exact=True).click()

    page.wait_for_url("**/palvelut/")
    expect(page.locator("html")).to_have_attribute("lang", "fi")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.get_by_role("button", name="Kirjaudu ulos")).to_be_visible()

    page.get_by_role("button", name="Kirjaudu ulos").click()
    page.wait_for_url("**/kirjaudu/")
    page.goto("/palvelut/")
    page.wait_for_url("**/kirjaudu/?next=/palvelut/")
    expect(page.get_by_label("Käyttäjätunnus")).to_be_visible()


def test_login_with_wrong_password_shows_error(page: Page, advisor):
    page.goto("/kirjaudu/")
    page.get_by_label("Käyttäjätunnus").fill("advisor")
    page.get_by_label("Salasana").fill("wrong-password")
    page.get_by_role("button", name="Kirjaudu").click()

    expect(page.get_by_role("alert")).to_contain_text("salasana")
    assert "/kirjaudu/" in page.url
    expect(page.get_by_role("navigation", name="Päävalikko")).to_have_count(0)


def test_login_page_and_catalogue_home_are_accessible(page: Page, advisor):
    page.goto("/kirjaudu/")
    assert_accessible(page)
    login(page, "advisor")
    page.goto("/palvelut/")
    assert_accessible(page)
