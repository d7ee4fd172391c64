"""Success stories in a real browser: an advisor writes (autosave) and submits, a
manager publishes, the story reaches the front page; a colleague thanks with htmx.
axe-core runs on each page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

import apps.stories.tasks  # noqa: F401 - registers the shared tasks before any test Celery app
from apps.stories.models import Story
from tests.stories.factories import story

from .conftest import assert_accessible, login

# Notification e-mails enqueued by the live server go to an in-memory broker.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("quiet_celery")]


def logout(page: Page) -> None:
    page.get_by_role("button", name="Kirjaudu ulos").click()
    page.wait_for_url("**/kirjaudu/")


def test_write_submit_publish_then_front_page(page: Page, advisor, manager):
    login(page, "advisor")
    page.goto("/")
    expect(page.get_by_text("Ei vielä julkaistuja onnistumistarinoita.")).to_be_visible()
    page.get_by_role("link", name="Kirjoita onnistumistarina").click()
    page.wait_for_url("**/tarinat/uusi/")
    assert_accessible(page)

    # Autosave: typing makes the draft, and the page says when it was saved.
    page.get_by_label("Otsikko").fill("Kuljetuspalvelun jono purettiin")
    expect(page.locator("#autosave-status")).to_contain_text(
        re.compile(r"Tallennettu klo \d{1,2}\.\d{2}"), timeout=8000
    )
    assert Story.objects.get().title == "Kuljetuspalvelun jono purettiin"

    page.get_by_label("Ingressi").fill("Hakemukset käsitellään nyt viikossa.")
    page.get_by_label("Tarina:", exact=True).fill(
        "Sovimme **yhteisestä** käsittelypäivästä kolmen toimijan kesken."
    )
    page.get_by_label("Jonot lyhenivät").check()
    page.get_by_label("Monitoimijainen yhteistyö").check()
    page.get_by_label("Tiimi tai yksikkö").fill("Kotkan vammaispalvelut")
    page.get_by_label("Odotusaika ennen (pv)").fill("45")
    page.get_by_label("Odotusaika jälkeen (pv)").fill("7")
    page.get_by_role("button", name="Tallenna ja lähetä julkaistavaksi").click()

    expect(page.locator(".messages")).to_contain_text("lähetettiin esihenkilön julkaistavaksi")
    expect(page.get_by_role("heading", level=1)).to_have_text("Kuljetuspalvelun jono purettiin")
    expect(page.get_by_role("button", name="Julkaise nyt")).to_have_count(0)
    assert_accessible(page)
    assert Story.objects.count() == 1  # the autosaved draft, not a second story
    logout(page)

    login(page, "manager")
    page.goto("/tarinat/tarkastettavat/")
    assert_accessible(page)
    page.get_by_role("link", name="Kuljetuspalvelun jono purettiin").click()
    expect(page.locator(".story-body strong")).to_have_text("yhteisestä")
    page.get_by_role("button", name="Julkaise nyt").click()
    expect(page.locator(".messages")).to_contain_text("Tarina julkaistiin.")

    page.goto("/")
    latest = page.get_by_role("region", name="Tuoreimmat onnistumiset")
    expect(latest.get_by_role("link", name="Kuljetuspalvelun jono purettiin")).to_be_visible()
    expect(latest).to_contain_text("Advisor")  # the desk's panel: title, author, date
    assert_accessible(page)
    page.get_by_role("link", name="Kaikki onnistumistarinat ›").click()
    card = page.locator(".story-card", has_text="Kuljetuspalvelun jono purettiin")
    expect(card).to_contain_text("Kotkan vammaispalvelut")  # the full card names the team
    logout(page)

    # The author was told, in the inbox.
    login(page, "advisor")
    page.goto("/ilmoitukset/")
    published_note = re.compile("Kuljetuspalvelun jono purettiin.*julkaistu")
    expect(page.get_by_text(published_note)).to_be_visible()


def test_colleague_thanks_once_with_htmx_and_comments(page: Page, advisor, manager):
    published = story(author=advisor, state=Story.State.PUBLISHED, title="Asiakas tavoitettiin")
    login(page, "manager")
    page.goto(published.get_absolute_url())
    assert_accessible(page)

    page.get_by_role("button", name="Kiitos!").click()
    expect(page.get_by_text("Kiitit tästä tarinasta.")).to_be_visible()
    expect(page.locator(".thanks-count")).to_contain_text("1 kollega on kiittänyt")
    expect(page.get_by_role("button", name="Kiitos!")).to_have_count(0)

    page.get_by_label("Kommentti:", exact=True).fill("Tästä otetaan mallia!")
    page.get_by_role("button", name="Kommentoi").click()
    expect(page.locator(".comment-list")).to_contain_text("Tästä otetaan mallia!")
    expect(page.get_by_role("heading", name="Kommentit (1)")).to_be_visible()
    assert_accessible(page)

    page.reload()
    expect(page.locator(".thanks-count")).to_contain_text("1 kollega on kiittänyt")


def test_autosave_survives_a_network_hiccup(page: Page, advisor):
    login(page, "advisor")
    page.goto("/tarinat/uusi/")

    page.context.set_offline(True)
    page.get_by_label("Otsikko").fill("Kirjoitettu katkon aikana")
    status = page.locator("#autosave-status")
    expect(status).to_contain_text("Ei yhteyttä", timeout=8000)
    assert not Story.objects.exists()

    page.context.set_offline(False)  # the page retries by itself
    expect(status).to_contain_text(re.compile(r"Tallennettu klo \d{1,2}\.\d{2}"), timeout=10000)
    assert Story.objects.get().title == "Kirjoitettu katkon aikana"
    expect(page.get_by_label("Otsikko")).to_have_value("Kirjoitettu katkon aikana")


def test_stale_tab_autosave_shows_a_conflict_and_overwrites_nothing(page: Page, advisor):
    draft = story(author=advisor, title="Alkuperäinen")
    login(page, "advisor")
    page.goto(f"/tarinat/{draft.pk}/muokkaa/")
    other = page.context.new_page()
    other.goto(f"/tarinat/{draft.pk}/muokkaa/")

    other.get_by_label("Otsikko").fill("Toisen välilehden otsikko")
    expect(other.locator("#autosave-status")).to_contain_text("Tallennettu klo", timeout=8000)
    page.get_by_label("Otsikko").fill("Vanhan välilehden otsikko")

    expect(page.locator("#autosave-status")).to_contain_text(
        "muutettu toisessa ikkunassa", timeout=8000
    )
    draft.refresh_from_db()
    assert draft.title == "Toisen välilehden otsikko"
