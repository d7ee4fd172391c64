from __future__ import annotations

import re
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.contacts.models import Channel, ContactRecord, RecentEntryView
from tests.catalogue import factories as catalogue
from tests.conftest import make_user
from tests.contacts.factories import contact

pytestmark = pytest.mark.django_db

URL = reverse("contacts:record")
HTMX = {"HX-Request": "true"}


@pytest.fixture
def advisor_client(client, advisor):
    client.force_login(advisor)
    return client


def _post_data(**overrides):
    data = {
        "service_line": str(catalogue.line("ikaihmiset").pk),
        "channel": "phone",
        "municipality": "285",
        "topic_text": "Omaishoidon tuki",
        "solved": "on",
        "referred_to": "",
        "submission_key": str(uuid.uuid4()),
    }
    data.update(overrides)
    return data


def _key_in(html: str) -> str:
    return re.search(r'name="submission_key" value="([0-9a-f-]+)"', html).group(1)


def test_record_panel_is_a_fragment_with_recent_entries(advisor_client, advisor):
    entry = catalogue.entry("kotihoito", title="Kotihoito")
    # What the entry page posts once it has loaded.
    advisor_client.post(reverse("contacts:entry_viewed", args=[entry.key]), headers=HTMX)

    response = advisor_client.get(URL, headers=HTMX)

    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert 'id="contact-record"' in html
    assert f'name="entry" value="{entry.pk}"' in html
    assert "Kotihoito" in html
    assert RecentEntryView.objects.filter(user=advisor, entry=entry).exists()


def test_record_post_htmx_saves_and_returns_a_fresh_form(advisor_client, advisor):
    data = _post_data()

    response = advisor_client.post(URL, data, headers=HTMX)

    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert "Yhteydenotto kirjattu." in html
    assert "Tänään kirjattu 1 yhteydenotto" in html
    assert _key_in(html) != data["submission_key"]
    record = ContactRecord.objects.get()
    assert (
        record.advisor,
        record.topic_text,
        record.solved,
        record.consulted,
        record.municipality_id,
    ) == (advisor, "Omaishoidon tuki", True, False, "285")


def test_record_post_resend_records_once(advisor_client):
    data = _post_data()
    advisor_client.post(URL, data, headers=HTMX)
    response = advisor_client.post(URL, data, headers=HTMX)

    assert "oli jo kirjattu" in response.content.decode()
    assert ContactRecord.objects.count() == 1


def test_record_post_without_htmx_goes_back_to_next(advisor_client):
    entry = catalogue.entry("kotihoito")
    back = reverse("catalogue:entry", args=[entry.key])

    response = advisor_client.post(URL, {**_post_data(), "next": back})

    assert response.status_code == 302
    assert response["Location"] == back
    assert ContactRecord.objects.count() == 1


def test_record_post_refuses_offsite_next(advisor_client):
    response = advisor_client.post(URL, {**_post_data(), "next": "https://example.com/"})
    assert response["Location"] == URL


def test_record_post_without_topic_shows_error_and_saves_nothing(advisor_client):
    response = advisor_client.post(URL, _post_data(topic_text=""), headers=HTMX)
    assert response.status_code == 200
    assert "Valitse aihe palveluista tai kirjoita oma aihe." in response.content.decode()
    assert ContactRecord.objects.count() == 0


def test_record_post_with_identity_code_is_refused(advisor_client):
    response = advisor_client.post(URL, _post_data(topic_text="asiakas 131052-308T"), headers=HTMX)
    assert "henkilötunnuksen" in response.content.decode()
    assert ContactRecord.objects.count() == 0


def test_record_post_entry_topic(advisor_client):
    entry = catalogue.entry("kotihoito", title="Kotihoito")
    advisor_client.post(URL, _post_data(topic_text="", entry=str(entry.pk)), headers=HTMX)
    assert ContactRecord.objects.get().entry == entry


def test_record_search_without_javascript_keeps_the_form(advisor_client):
    catalogue.entry("kuljetus", title="Kuljetuspalvelu")
    data = _post_data(topic_text="", topic_q="kuljet", search_topic="1", channel="visit")

    response = advisor_client.post(URL, data)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Kuljetuspalvelu" in html
    assert 'value="visit" required checked' in html
    assert _key_in(html) == data["submission_key"]
    assert ContactRecord.objects.count() == 0


def test_topic_search_returns_result_radios(advisor_client):
    entry = catalogue.entry("kuljetus", title="Kuljetuspalvelu")
    response = advisor_client.get(
        reverse("contacts:topic_search"), {"topic_q": "kulj"}, headers=HTMX
    )
    html = response.content.decode()
    assert 'id="topic-results"' in html
    assert f'name="entry" value="{entry.pk}"' in html


@pytest.mark.parametrize("who", ["editor", None])
def test_record_needs_the_permission(client, request, who):
    if who:
        client.force_login(request.getfixturevalue(who))
    response = client.get(URL)
    assert response.status_code in (302, 403)
    if who:
        assert response.status_code == 403


def test_header_shows_the_button_to_advisors_only(client, advisor, editor):
    client.force_login(advisor)
    assert "data-contact-open" in client.get(reverse("catalogue:home")).content.decode()
    client.force_login(editor)
    assert "data-contact-open" not in client.get(reverse("catalogue:home")).content.decode()


def test_entry_viewed_records_the_opened_entry(advisor_client, advisor):
    entry = catalogue.entry("kotihoito")
    url = reverse("contacts:entry_viewed", args=[entry.key])

    response = advisor_client.post(url, headers=HTMX)

    assert response.status_code == 204
    assert RecentEntryView.objects.filter(user=advisor, entry=entry).exists()


def test_entry_viewed_refuses_get_unknown_entries_and_outsiders(
    advisor_client, client, django_user_model
):
    entry = catalogue.entry("kotihoito")
    url = reverse("contacts:entry_viewed", args=[entry.key])

    assert advisor_client.get(url).status_code == 405
    missing = reverse("contacts:entry_viewed", args=["ei-ole"])
    assert advisor_client.post(missing).status_code == 404
    client.logout()
    client.force_login(make_user(django_user_model, "ulkopuolinen"))
    assert client.post(url).status_code == 403
    assert not RecentEntryView.objects.exists()


def test_record_panel_tally_reads_naturally(advisor_client, advisor):
    now = timezone.now()
    for channel in [Channel.PHONE, Channel.PHONE, Channel.VISIT, Channel.PHONE]:
        contact(at=now, advisor=advisor, channel=channel)

    html = advisor_client.get(URL, headers=HTMX).content.decode()

    tally = re.search(r'id="contact-tally">(.*?)</p>', html, re.S)
    assert tally
    text = " ".join(re.sub(r"<[^>]+>", "", tally[1]).split())
    assert text.endswith("(puhelin 3, käynti 1)")
