"""Recording a contact with the keyboard only, from an entry page, in a real browser."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from apps.contacts.models import ContactRecord
from tests.catalogue.factories import KOTKA, entry, line

from .conftest import assert_accessible, htmx_settled, login

pytestmark = pytest.mark.django_db(transaction=True)


def _focused(page: Page):
    return page.locator(":focus")


def test_record_contact_by_keyboard_without_leaving_the_page(page: Page, advisor):
    advisor.service_lines.set([line("vammaispalvelut")])
    transport = entry("kuljetuspalvelu", title="Kuljetuspalvelu", lines=["vammaispalvelut"])
    login(page, "advisor")
    # The page tells the contact log it was opened with a POST once loaded.
    with page.expect_response(lambda r: "/avattu/" in r.url and r.status == 204):
        page.goto(f"/palvelut/kortti/{transport.key}/")
    entry_url = page.url

    page.keyboard.press("c")
    panel = page.locator("#contact-panel")
    expect(panel).to_contain_text("Kirjaa yhteydenotto")
    expect(panel).to_contain_text("Tänään kirjattu 0 yhteydenottoa")
    # The focus starts on the line, where the advisor's own line is already chosen.
    expect(_focused(page)).to_have_attribute("name", "service_line")
    expect(_focused(page)).to_be_checked()
    htmx_settled(page)
    assert_accessible(page)

    page.keyboard.press("ArrowRight")  # Vammaispalvelut → Ikäihmisten palvelut
    page.keyboard.press("Tab")
    expect(_focused(page)).to_have_attribute("name", "channel")
    page.keyboard.press("ArrowRight")  # puhelin → chat
    page.keyboard.press("Tab")
    expect(_focused(page)).to_have_attribute("name", "municipality")
    page.keyboard.type("Kot")
    page.keyboard.press("Tab")
    # The entry opened a moment ago is offered first.
    expect(_focused(page)).to_have_attribute("value", str(transport.pk))
    page.keyboard.press("Space")
    for name in ("topic_q", "topic_text", "solved"):
        page.keyboard.press("Tab")
        expect(_focused(page)).to_have_attribute("name", name)
    page.keyboard.press("Space")
    page.keyboard.press("Control+Enter")

    expect(panel).to_contain_text("Yhteydenotto kirjattu.")
    expect(panel).to_contain_text("Tänään kirjattu 1 yhteydenotto")
    assert page.url == entry_url
    record = ContactRecord.objects.get()
    assert (
        record.service_line.key,
        record.channel,
        record.municipality_id,
        record.entry,
        record.solved,
        record.consulted,
        record.advisor,
    ) == ("ikaihmiset", "chat", KOTKA, transport, True, False, advisor)

    # The next contact keeps line and channel; a double press saves it once.
    expect(_focused(page)).to_have_attribute("name", "service_line")
    expect(page.locator("input[name=service_line]:checked")).to_have_value(
        str(line("ikaihmiset").pk)
    )
    page.locator("#id_topic_text").focus()
    page.keyboard.type("Omaishoidon tuki")
    page.keyboard.press("Control+Enter")
    page.keyboard.press("Control+Enter")
    expect(panel).to_contain_text("Tänään kirjattu 2 yhteydenottoa")
    # Both presses sent their save (or dropped it) before returning. htmx marks a form
    # with htmx-request while its request runs: once none is marked, every save the
    # presses sent has been answered, and the server has committed it.
    expect(page.locator("[data-contact-form].htmx-request")).to_have_count(0)
    assert ContactRecord.objects.count() == 2
    assert ContactRecord.objects.filter(topic_text="Omaishoidon tuki", channel="chat").exists()

    # Esc closes the panel and gives the focus back to the header button.
    page.keyboard.press("Escape")
    expect(panel).to_be_empty()
    expect(_focused(page)).to_have_attribute("data-contact-open", "")


def test_topic_search_by_keyboard(page: Page, advisor):
    advisor.service_lines.set([line("ikaihmiset")])
    entry("omaishoito", title="Omaishoidon tuki")
    login(page, "advisor")
    page.goto("/palvelut/")
    page.keyboard.press("c")
    # The opened panel puts the focus on its first field; only then move on, or the
    # panel's own focus could land after ours and swallow the typing. htmx wires the
    # topic search up a moment after the swap: wait for that too.
    expect(_focused(page)).to_have_attribute("name", "service_line")
    htmx_settled(page)
    page.locator("#contact-topic-q").focus()
    page.keyboard.type("omaishoi")
    expect(page.locator("#topic-results")).to_contain_text("Omaishoidon tuki")
    page.keyboard.press("Enter")  # to the first result, not a save
    expect(_focused(page)).to_be_checked()
    page.keyboard.press("Control+Enter")
    expect(page.locator("#contact-panel")).to_contain_text("Yhteydenotto kirjattu.")
    assert ContactRecord.objects.get().entry.key == "omaishoito"


def test_drawer_save_button_is_in_view_at_768px(page: Page, advisor):
    """A laptop beside the softphone: 1366×768 and five recently opened entries make the
    form longer than the drawer; the save button stays in view without scrolling."""
    advisor.service_lines.set([line("vammaispalvelut")])
    page.set_viewport_size({"width": 1366, "height": 768})
    login(page, "advisor")
    for n in range(5):
        card = entry(f"palvelu-{n}", title=f"Palvelu {n}", lines=["vammaispalvelut"])
        with page.expect_response(lambda r: "/avattu/" in r.url and r.status == 204):
            page.goto(f"/palvelut/kortti/{card.key}/")

    page.keyboard.press("c")
    panel = page.locator("#contact-panel")
    expect(panel).to_contain_text("Palvelu 0")

    save = panel.get_by_role("button", name="Tallenna")
    expect(save).to_be_in_viewport()
    assert panel.evaluate("p => p.scrollHeight > p.clientHeight"), "the form fits anyway"
