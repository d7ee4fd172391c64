"""Editing the catalogue in a real browser: htmx Markdown preview, saving, history and
restore, the conflict page, problem reports, and axe-core on each page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from apps.catalogue import services
from apps.catalogue.interchange import entry_to_dict
from apps.catalogue.models import Entry, ProblemReport
from tests.catalogue.factories import contact, entry

from .conftest import assert_accessible, login

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def transport(editor) -> Entry:
    found = entry(
        "kuljetuspalvelu",
        title="Kuljetuspalvelu",
        lines=["vammaispalvelut"],
        body="Matkoja saa 18 kuukaudessa.",
        owner=editor,
        last_reviewed=None,
    )
    contact(found, label="Asiakasohjaus")
    return found


def test_edit_with_preview_then_history_and_restore(page: Page, editor, transport):
    login(page, "editor")
    page.goto(transport.get_absolute_url())
    assert_accessible(page)
    page.get_by_role("link", name="Muokkaa korttia").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Muokkaa")
    assert_accessible(page)

    # htmx preview: the rendered Markdown appears under the textarea, the page stays.
    page.get_by_label("Kuvaus", exact=True).fill("**Tärkeää:** matkoja saa 16.")
    page.get_by_role("button", name="Esikatselu: Kuvaus", exact=True).click()
    preview = page.locator("#preview-body_fi")
    expect(preview.locator("strong")).to_have_text("Tärkeää:")
    expect(page).to_have_url(re.compile(r"/muokkaa/$"))

    # Swedish texts sit in a collapsed section.
    page.locator("summary", has_text="Ruotsiksi").click()
    page.get_by_label("Otsikko ruotsiksi").fill("Färdtjänst")
    page.get_by_label("Muutoksen kuvaus").fill("Matkojen määrä päivitetty")
    page.get_by_role("button", name="Tallenna", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("versioksi 1")

    page.get_by_role("link", name="Versiohistoria").click()
    expect(page.locator("tbody tr")).to_have_count(2)  # baseline 0 and version 1
    assert_accessible(page)
    page.get_by_role("link", name="Muutokset (versio 1)").click()
    expect(page.locator(".diff-table")).to_contain_text("Färdtjänst")
    expect(page.locator(".diff-table del")).to_contain_text("18")
    assert_accessible(page)

    page.goto(f"/palvelut/kortti/{transport.key}/historia/0/palauta/")
    assert_accessible(page)
    page.get_by_role("button", name=re.compile("Palauta tämä versio")).click()
    expect(page.locator(".messages")).to_contain_text("Versio 0 palautettiin")
    transport.refresh_from_db()
    assert transport.version == 2
    assert transport.title_sv == ""


def test_conflict_page_keeps_my_text(page: Page, editor, django_user_model, transport):
    login(page, "editor")
    page.goto(f"/palvelut/kortti/{transport.key}/muokkaa/")
    page.get_by_label("Maksut", exact=True).fill("Omavastuu 3 €.")

    other = django_user_model.objects.create_user(
        username="kollega", first_name="Kaisa", last_name="Kollega"
    )
    fresh = Entry.objects.get(pk=transport.pk)
    services.entry_save(
        entry=fresh,
        data=entry_to_dict(fresh) | {"title": {"fi": "Uusi nimi"}},
        author=other,
        base_version=0,
        comment="Nimi vaihdettu",
    )

    page.get_by_role("button", name="Tallenna", exact=True).click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Joku muu tallensi kortin")
    expect(alert).to_contain_text("Kaisa Kollega")
    expect(alert).to_contain_text("Uusi nimi")
    expect(page.get_by_label("Maksut", exact=True)).to_have_value("Omavastuu 3 €.")
    assert_accessible(page)
    assert Entry.objects.get(pk=transport.pk).fees_fi == ""

    page.get_by_role("button", name="Tallenna silti omat muutokseni").click()
    expect(page.locator(".messages")).to_contain_text("versioksi 2")
    assert Entry.objects.get(pk=transport.pk).fees_fi == "Omavastuu 3 €."


def test_problem_report_round_trip(
    page: Page, browser, live_server, advisor, editor, transport, quiet_celery
):
    login(page, "advisor")
    page.goto(transport.get_absolute_url())
    page.get_by_role("link", name="Ilmoita virheestä").click()
    assert_accessible(page)
    page.get_by_label("Mikä on väärin?").fill("Puhelinnumero on vaihtunut")
    page.get_by_role("button", name="Lähetä ilmoitus").click()
    expect(page.get_by_role("status")).to_contain_text("Kiitos!")  # htmx fragment
    assert ProblemReport.objects.filter(status="open").count() == 1

    editor_context = browser.new_context(locale="fi-FI", base_url=live_server.url)
    editor_page = editor_context.new_page()
    login(editor_page, "editor")
    editor_page.goto("/palvelut/omat/")
    expect(editor_page.locator("#overdue-heading")).to_contain_text("1")
    expect(editor_page.get_by_text("Puhelinnumero on vaihtunut")).to_be_visible()
    assert_accessible(editor_page)

    editor_page.goto(transport.get_absolute_url())
    reports = editor_page.locator("#problem-reports")
    expect(reports).to_contain_text("Puhelinnumero on vaihtunut")
    reports.get_by_role("button", name=re.compile("Merkitse käsitellyksi")).click()
    expect(reports).to_contain_text("Ilmoitus merkittiin käsitellyksi")
    expect(reports).not_to_contain_text("Puhelinnumero on vaihtunut")
    assert ProblemReport.objects.get().status == "resolved"

    assert_accessible(editor_page)
    editor_page.get_by_role("button", name="Merkitse tarkistetuksi").click()
    expect(editor_page.locator(".messages")).to_contain_text("Merkitty tarkistetuksi")
    transport.refresh_from_db()
    assert transport.last_reviewed is not None
    editor_context.close()
