"""Swedish and English pages show an entry's Finnish text where it has none of its own,
and say so: the text carries lang="fi" and a "Finnish only" note; target groups read in
the page's language where they are translated, and in Finnish (lang="fi") where not."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.catalogue.factories import entry

pytestmark = pytest.mark.django_db


@pytest.fixture
def card():
    return entry(
        "kotihoito",
        title="Kotihoito",
        title_sv="Hemvård",
        summary="Apua kotiin.",
        summary_sv="Hjälp hem.",
        body="Kotihoito auttaa arjessa.",
        target_groups=["ikäihmiset", "kalastajat"],
    )


def page(client, user, card, language: str) -> str:
    client.force_login(user)
    return client.get(
        card.get_absolute_url(), headers={"accept-language": language}
    ).content.decode()


def test_swedish_page_marks_the_finnish_fallback(client, advisor, card):
    html = page(client, advisor, card, "sv")

    assert '<html lang="sv">' in html
    assert re.search(r'<h1 id="entry-title">Hemvård</h1>', html)
    assert '<p class="entry-lead">Hjälp hem.</p>' in html
    body = re.search(
        r'<section class="entry-section" aria-labelledby="sec-body">.*?</section>', html, re.S
    )
    assert body and "endast på finska" in body[0]
    assert '<div lang="fi"><p>Kotihoito auttaa arjessa.</p>' in body[0]
    assert "Det här kortet finns bara på finska." not in html  # title and summary are Swedish


def test_english_page_of_a_finnish_only_card_says_so(client, advisor, card):
    card.title_sv = card.summary_sv = ""
    card.save()

    html = page(client, advisor, card, "en")

    assert re.search(r'<h1 id="entry-title" lang="fi">Kotihoito</h1>', html)
    assert "This card is in Finnish only." in html
    assert '<p class="entry-lead" lang="fi">Apua kotiin.</p>' in html


def test_finnish_page_has_no_fallback_marks(client, advisor, card):
    html = page(client, advisor, card, "fi")

    assert 'lang="fi">' not in html.split("<body", 1)[1]
    assert "vain suomeksi" not in html


def test_target_groups_in_the_page_language(client, advisor, card):
    html = page(client, advisor, card, "sv")

    assert re.search(r'kohderyhma=ik%C3%A4ihmiset">äldre</a>', html)
    assert re.search(r'kohderyhma=kalastajat" lang="fi">kalastajat</a>', html)


def test_entry_list_marks_finnish_titles(client, advisor, card):
    entry("ruoka-apu", title="Ruoka-apu", summary="Ruokaa.")
    client.force_login(advisor)

    html = client.get(reverse("catalogue:home"), headers={"accept-language": "sv"}).content.decode()

    assert re.search(r'<a href="/palvelut/kortti/ruoka-apu/" lang="fi">Ruoka-apu</a>', html)
    assert re.search(r'<a href="/palvelut/kortti/kotihoito/">Hemvård</a>', html)
