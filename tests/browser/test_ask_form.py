"""The new-question form mid-call: it starts in the municipality the advisor chose,
suggests the entries the search finds for a long question, and a phone-number warning
takes the focus instead of appearing below the fold."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from apps.catalogue.services import import_catalogue
from apps.consultations.models import Thread
from tests.catalogue import factories as catalogue_factories
from tests.search.conftest import CATALOGUE

from .conftest import assert_accessible, login, pick_municipality

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def indexed_catalogue(transactional_db):
    import_catalogue(CATALOGUE)


def test_ask_form_mid_call(page: Page, advisor, indexed_catalogue):
    advisor.service_lines.add(catalogue_factories.line("vammaispalvelut"))
    page.set_viewport_size({"width": 1366, "height": 768})
    login(page, "advisor")
    page.goto("/palvelut/")
    pick_municipality(page, label="Virolahti")

    page.goto("/kysymykset/uusi/")
    expect(page.locator("#id_municipality")).to_have_value("935")
    page.get_by_label("Otsikko").fill("Kuljetuspalvelu: voiko SHL-matkoja käyttää kuntoutukseen?")
    suggestions = page.locator("#suggestions")
    expect(suggestions.get_by_role("link", name="Kuljetuspalvelu vammaisille")).to_be_visible()

    page.get_by_label("Kysymys", exact=False).first.fill(
        "Asiakas kysyy matkoista, numero 040 123 4567 soittopyyntöön."
    )
    page.get_by_role("button", name="Lähetä kysymys").click()

    warning = page.locator(".phone-warning")
    expect(warning).to_be_focused()
    expect(warning).to_be_in_viewport()
    assert Thread.objects.count() == 0
    assert_accessible(page)
