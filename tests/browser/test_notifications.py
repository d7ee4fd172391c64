from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from apps.catalogue.models import ServiceLine
from apps.notifications.models import Notification
from apps.notifications.services import notify

from .conftest import assert_accessible, login

pytestmark = pytest.mark.django_db(transaction=True)


def _notify(user, text: str, url: str = "/palvelut/") -> None:
    notify(recipients=[user], verb="answer", text=text, url=url, email=False)


def test_inbox_by_keyboard_opens_marks_read_and_counts_down(page: Page, advisor):
    _notify(advisor, "Ensimmäinen ilmoitus")
    _notify(advisor, "Toinen ilmoitus", url="/palvelut/vertailu/")
    login(page, "advisor")

    inbox_link = page.get_by_role("link", name="Ilmoitukset 2 lukematonta")
    inbox_link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/ilmoitukset/")
    expect(page.get_by_role("heading", level=1, name="Ilmoitukset")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name=re.compile("Toinen ilmoitus")).focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/palvelut/vertailu/")
    banner = page.get_by_role("banner")
    expect(banner.get_by_role("link", name="Ilmoitukset 1 lukematonta")).to_be_visible()


def test_inbox_mark_all_read_with_htmx_updates_list_badge_and_focus(page: Page, advisor):
    _notify(advisor, "Luettava ilmoitus")
    login(page, "advisor")
    page.goto("/ilmoitukset/")

    page.get_by_role("button", name="Merkitse kaikki luetuiksi").focus()
    page.keyboard.press("Enter")

    status = page.get_by_role("status").filter(has_text="Kaikki ilmoitukset on merkitty luetuiksi.")
    expect(status).to_be_focused()
    expect(page.get_by_role("link", name="Ilmoitukset", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Merkitse kaikki luetuiksi")).to_have_count(0)
    assert page.url.endswith("/ilmoitukset/")
    assert not Notification.objects.filter(read_at__isnull=True).exists()
    assert_accessible(page)


def test_header_badge_refreshes_without_reload(page: Page, advisor):
    page.clock.install()
    login(page, "advisor")
    header = page.get_by_role("banner")
    expect(header.get_by_role("link", name="Ilmoitukset", exact=True)).to_be_visible()

    _notify(advisor, "Uusi ilmoitus kesken työn")
    page.clock.fast_forward("00:31")

    expect(header.get_by_role("link", name="Ilmoitukset 1 lukematonta")).to_be_visible()


def test_profile_by_keyboard_saves_email_choice_and_only_shows_lines(page: Page, advisor):
    line = ServiceLine.objects.order_by("position", "key").first()
    advisor.service_lines.set([line])
    login(page, "advisor")

    page.get_by_role("link", name=re.compile("omat asetukset")).focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/profiili/")
    expect(page.get_by_role("heading", level=1, name="Omat asetukset")).to_be_visible()
    assert_accessible(page)
    lines = page.get_by_role("region", name="Palvelemani linjat")
    expect(lines).to_contain_text(line.name)
    expect(lines.get_by_role("checkbox")).to_have_count(0)

    page.get_by_label("Ilmoitukset sähköpostiin").focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Tallenna asetukset").focus()
    page.keyboard.press("Enter")

    expect(page.get_by_role("status")).to_contain_text("Asetukset on tallennettu.")
    advisor.refresh_from_db()
    assert list(advisor.service_lines.all()) == [line]
    assert advisor.email_notifications is False
    expect(page.get_by_label("Ilmoitukset sähköpostiin")).not_to_be_checked()


def test_manager_sets_a_staff_members_lines_by_keyboard(page: Page, manager, advisor):
    line = ServiceLine.objects.order_by("position", "key").first()
    login(page, "manager")

    page.get_by_role("link", name="Henkilöstön palvelulinjat").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/profiili/palvelulinjat/")
    assert_accessible(page)
    page.get_by_label("Nimi tai käyttäjätunnus").fill("advisor")
    edit = page.get_by_role("link", name=f"Muokkaa: {advisor}")
    expect(page.get_by_role("link", name=f"Muokkaa: {manager}")).to_have_count(0)
    edit.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/profiili/palvelulinjat/{advisor.pk}/")
    assert_accessible(page)
    page.get_by_label(line.name).focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Tallenna linjat").focus()
    page.keyboard.press("Enter")

    expect(page.get_by_role("status")).to_contain_text("palvelulinjat tallennettiin")
    assert list(advisor.service_lines.all()) == [line]
