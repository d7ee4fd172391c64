from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from apps.catalogue.models import Entry, EntryVersion
from tests.catalogue.factories import contact, entry

from .conftest import login

pytestmark = pytest.mark.django_db(transaction=True)


def test_superuser_edits_an_overdue_entry_in_admin(page: Page, superuser):
    long_ago = timezone.localdate() - datetime.timedelta(days=800)
    overdue = entry(
        "kuljetuspalvelu",
        title="Kuljetuspalvelu",
        lines=["vammaispalvelut"],
        summary="Vanha tiivistelmä.",
        last_reviewed=long_ago,
    )
    contact(overdue)
    entry("omaishoito", title="Omaishoidon tuki", lines=["ikaihmiset"])
    csp_errors: list[str] = []
    page.on(
        "console",
        lambda msg: csp_errors.append(msg.text) if "Content Security Policy" in msg.text else None,
    )

    login(page, "root")
    page.get_by_role("link", name="Ylläpito").click()
    page.get_by_role("link", name="Palvelut ja tarjoukset").first.click()
    expect(page.get_by_role("link", name="Omaishoidon tuki")).to_be_visible()

    page.locator("#changelist-filter").get_by_role("link", name="Myöhässä").click()
    expect(page.get_by_role("link", name="Omaishoidon tuki")).to_have_count(0)
    page.get_by_role("link", name="Kuljetuspalvelu").click()

    summary = page.locator("#id_summary_fi")
    expect(summary).to_have_value("Vanha tiivistelmä.")
    summary.fill("Taksimatkat asiointiin ja vapaa-aikaan.")
    page.get_by_role("button", name="Tallenna ja poistu").click()

    expect(page.locator(".messagelist .success")).to_contain_text("Kuljetuspalvelu")
    assert not csp_errors, csp_errors
    overdue.refresh_from_db()
    assert overdue.summary_fi == "Taksimatkat asiointiin ja vapaa-aikaan."
    assert overdue.version == 1
    assert EntryVersion.objects.filter(entry=overdue).count() == 2  # baseline + this save
    assert Entry.objects.get(key="omaishoito").version == 0


def test_superuser_adds_an_entry_with_a_contact(page: Page, superuser):
    csp_errors: list[str] = []
    page.on(
        "console",
        lambda msg: csp_errors.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    login(page, "root")
    page.goto("/admin/catalogue/entry/add/")

    page.get_by_label("Tyyppi").select_option("service")
    page.get_by_label("Tunniste").fill("omaishoidon-tuki")
    page.locator("#id_title_fi").fill("Omaishoidon tuki")
    page.locator("#id_summary_fi").fill("Tukea läheistään hoitavalle.")
    page.get_by_role("checkbox", name="Ikäihmisten palvelut").check()
    page.locator("#id_keywords").fill("omaishoitaja, vapaapäivät")
    page.get_by_role("button", name="Lisää toinen Yhteystieto").click()
    page.locator("#id_contacts-0-label_fi").fill("Omaishoidon tiimi")
    page.locator("#id_contacts-0-phone").fill("05 000 3000")
    page.get_by_role("button", name="Tallenna ja poistu").click()

    expect(page.locator(".messagelist .success")).to_contain_text("Omaishoidon tuki")
    assert not csp_errors, csp_errors
    created = Entry.objects.get(key="omaishoidon-tuki")
    assert created.keywords == ["omaishoitaja", "vapaapäivät"]
    assert [c.label_fi for c in created.contacts.all()] == ["Omaishoidon tiimi"]
    assert created.versions.get().number == 1
