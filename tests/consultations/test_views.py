from __future__ import annotations

import datetime
import logging
import re

import pytest
from cryptography.fernet import Fernet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from apps.consultations.models import Answer, Callback, FaqItem, Thread, Urgency
from apps.notifications.models import Notification
from apps.search.services import index_object
from tests.catalogue import factories as catalogue_factories
from tests.consultations import factories
from tests.helpers import shows_phone

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}
PHONE = "040 765 4321"


@pytest.fixture
def advisor_client(client, advisor):
    client.force_login(advisor)
    return client


def _ask_data(**overrides):
    data = {
        "title": "Kela-taksi",
        "body": "Miten tilataan?",
        "service_line": factories.line().pk,
        "urgency": Urgency.TODAY,
    }
    data.update(overrides)
    return data


# --- board --------------------------------------------------------------------------


def test_board_requires_login(client):
    response = client.get(reverse("consultations:board"))
    assert response.status_code == 302
    assert response["Location"].startswith("/kirjaudu/")


def test_board_refuses_user_without_role(client, django_user_model):
    from tests.conftest import make_user

    client.force_login(make_user(django_user_model, "eiroolia"))
    assert client.get(reverse("consultations:board")).status_code == 403


def test_board_lists_waiting_question_with_ticking_age(advisor_client, colleague):
    factories.thread(author=colleague, title="Soittaja odottaa", urgency=Urgency.WAITING)
    response = advisor_client.get(reverse("consultations:board"))
    html = response.content.decode()
    assert "Soittaja odottaa" in html
    assert "data-age" in html
    assert "js/consultations.js" in html


def test_board_htmx_poll_returns_only_the_board(advisor_client, advisor):
    factories.thread(author=advisor, title="Uusi kysymys")
    response = advisor_client.get(
        reverse("consultations:board") + "?unanswered=on", headers={**HTMX, "HX-Target": "board"}
    )
    html = response.content.decode()
    assert "<html" not in html
    assert 'id="board"' in html
    assert "Uusi kysymys" in html
    # It polls (every 15 s) beside the live refresh.
    trigger = re.search(r'id="board"[^>]*hx-trigger="([^"]*)"', html)
    assert trigger is not None
    assert "every 15s" in trigger.group(1)
    assert "live:question.posted from:body" in trigger.group(1)
    assert "unanswered=on" in html  # the poll keeps the filters


def test_board_callbacks_never_show_the_number(advisor_client, advisor, colleague):
    factories.callback(
        requester=advisor,
        assignee=colleague,
        phone=PHONE,
        due_at=timezone.now() - datetime.timedelta(minutes=5),
    )
    html = advisor_client.get(reverse("consultations:board")).content.decode()
    assert "Myöhässä" in html
    assert not shows_phone(html, PHONE)


# --- asking -------------------------------------------------------------------------


def test_ask_creates_thread_and_redirects(advisor_client, advisor):
    entry = catalogue_factories.entry(title="Kuljetuspalvelu")
    response = advisor_client.post(reverse("consultations:ask"), _ask_data(entries=[entry.pk]))
    thread = Thread.objects.get()
    assert response.status_code == 302
    assert response["Location"] == thread.get_absolute_url()
    assert (thread.author, thread.urgency) == (advisor, Urgency.TODAY)
    assert list(thread.entries.all()) == [entry]


def test_ask_form_has_live_suggestions(advisor_client):
    html = advisor_client.get(reverse("consultations:ask")).content.decode()
    assert f'hx-get="{reverse("consultations:suggestions")}"' in html
    assert 'id="suggestions"' in html


def test_ask_refuses_personal_identity_code_and_points_at_it(advisor_client):
    response = advisor_client.post(
        reverse("consultations:ask"), _ask_data(body="Asiakas 010594Y9032 kysyy")
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "henkilötunnuksen" in html
    assert "010594Y****" in html
    assert "merkit 9–19" in html
    assert Thread.objects.count() == 0


def test_ask_warns_about_phone_number_until_confirmed(advisor_client):
    data = _ask_data(body=f"Asiakas soitti numerosta {PHONE}")
    response = advisor_client.post(reverse("consultations:ask"), data)
    html = response.content.decode()
    assert "Poista asiakkaan puhelinnumero" in html
    assert Thread.objects.count() == 0

    response = advisor_client.post(reverse("consultations:ask"), {**data, "confirm_phone": "on"})
    assert response.status_code == 302
    assert Thread.objects.count() == 1


def test_suggestions_show_similar_solved_threads_and_entries(advisor_client, advisor, colleague):
    factories.solved_thread(author=advisor, answerer=colleague, title="Omaishoidon tuen hakeminen")
    entry = catalogue_factories.entry(title="Omaishoidon tuki")
    index_object(entry)  # entries are suggested as the search finds them
    response = advisor_client.get(
        reverse("consultations:suggestions"), {"title": "omaishoidon tuki"}, headers=HTMX
    )
    html = response.content.decode()
    assert "<html" not in html
    assert "Omaishoidon tuen hakeminen" in html
    assert entry.get_absolute_url() in html
    assert f'form="ask-form" name="entries" value="{entry.pk}"' in html


def test_suggestions_keep_to_the_forms_municipality(advisor_client, advisor):
    kotka = catalogue_factories.municipality("285")
    hamina = catalogue_factories.municipality("075")
    in_kotka = catalogue_factories.entry(title="Omaishoidon tuki Kotkassa", municipalities=[kotka])
    in_hamina = catalogue_factories.entry(
        title="Omaishoidon tuki Haminassa", municipalities=[hamina]
    )
    index_object(in_kotka)
    index_object(in_hamina)

    html = advisor_client.get(
        reverse("consultations:suggestions"),
        {"title": "omaishoidon tuki", "municipality": "075"},
        headers=HTMX,
    ).content.decode()

    assert in_hamina.get_absolute_url() in html
    assert in_kotka.get_absolute_url() not in html


def test_ask_form_starts_with_the_chosen_municipality(advisor_client):
    advisor_client.post(reverse("catalogue:set_municipality"), {"municipality": "285"})

    html = advisor_client.get(reverse("consultations:ask")).content.decode()

    assert re.search(r'<option value="285" selected>Kotka</option>', html)


# --- a thread -----------------------------------------------------------------------


def test_thread_detail_renders_answers_and_markdown(advisor_client, advisor, colleague):
    thread = factories.thread(author=advisor, body="**Tärkeä** kysymys")
    factories.answer(thread=thread, author=colleague, body="Vastaus _tähän_")
    html = advisor_client.get(thread.get_absolute_url()).content.decode()
    assert "<strong>Tärkeä</strong>" in html
    assert "<em>tähän</em>" in html
    assert "Merkitse ratkaisuksi" in html  # the asker may
    assert "Otan tämän" in html


def test_answer_post_htmx_returns_fragment_with_fresh_form(client, advisor, colleague):
    thread = factories.thread(author=advisor)
    client.force_login(colleague)
    response = client.post(
        reverse("consultations:answer", args=[thread.pk]),
        {"body": "Soita Kelaan.", "kind": "answer"},
        headers=HTMX,
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert 'id="thread-live"' in html
    assert "Soita Kelaan." in html
    assert 'id="answer-form" class="panel answer-form" hx-swap-oob="true"' in html
    assert Answer.objects.get().author == colleague
    assert Notification.objects.get().recipient == advisor


def test_answer_post_without_htmx_redirects(client, advisor, colleague):
    thread = factories.thread(author=advisor)
    client.force_login(colleague)
    response = client.post(
        reverse("consultations:answer", args=[thread.pk]), {"body": "Vastaus", "kind": "answer"}
    )
    assert response.status_code == 302
    assert response["Location"] == Answer.objects.get().get_absolute_url()


def test_answer_post_with_code_retargets_form_and_saves_nothing(client, advisor, colleague):
    thread = factories.thread(author=advisor)
    client.force_login(colleague)
    response = client.post(
        reverse("consultations:answer", args=[thread.pk]),
        {"body": "131052-308T", "kind": "answer"},
        headers=HTMX,
    )
    html = response.content.decode()
    assert response["HX-Retarget"] == "#answer-form"
    assert response["HX-Reswap"] == "outerHTML"
    assert "131052-****" in html
    assert Answer.objects.count() == 0


def test_solve_by_asker_marks_solution(advisor_client, advisor, colleague):
    thread = factories.thread(author=advisor)
    answer = factories.answer(thread=thread, author=colleague)
    response = advisor_client.post(
        reverse("consultations:solve", args=[thread.pk, answer.pk]), headers=HTMX
    )
    assert response.status_code == 200
    assert "Ratkaistu" in response.content.decode()
    thread.refresh_from_db()
    assert thread.solution == answer


def test_solve_by_other_advisor_is_forbidden(client, advisor, colleague, outsider):
    thread = factories.thread(author=advisor)
    answer = factories.answer(thread=thread, author=colleague)
    client.force_login(outsider)
    response = client.post(reverse("consultations:solve", args=[thread.pk, answer.pk]))
    assert response.status_code == 403
    thread.refresh_from_db()
    assert thread.status == Thread.Status.OPEN
    html = client.get(thread.get_absolute_url()).content.decode()
    assert "Merkitse ratkaisuksi" not in html


def test_claim_shows_on_board_and_second_claim_gets_message(client, advisor, colleague, outsider):
    thread = factories.thread(author=advisor)
    client.force_login(colleague)
    response = client.post(reverse("consultations:claim", args=[thread.pk]), headers=HTMX)
    assert "Kollega selvittää tätä" in response.content.decode()
    client.force_login(outsider)
    assert "Kollega selvittää" in client.get(reverse("consultations:board")).content.decode()
    response = client.post(reverse("consultations:claim", args=[thread.pk]), headers=HTMX)
    assert response.status_code == 200
    thread.refresh_from_db()
    assert thread.claimed_by == colleague


def test_follow_and_unfollow(advisor_client, advisor, colleague):
    thread = factories.thread(author=colleague)
    url = reverse("consultations:follow", args=[thread.pk])
    assert (
        "Lopeta seuraaminen"
        in advisor_client.post(url, {"follow": "1"}, headers=HTMX).content.decode()
    )
    assert thread.followers.filter(pk=advisor.pk).exists()
    advisor_client.post(url, {"follow": "0"})
    assert not thread.followers.filter(pk=advisor.pk).exists()


def test_thread_edit_conflict_keeps_text_and_shows_current(client, advisor, manager):
    thread = factories.thread(author=advisor, title="Alku")
    client.force_login(manager)
    client.post(
        reverse("consultations:edit", args=[thread.pk]),
        {
            "title": "Esihenkilön otsikko",
            "body": "x",
            "base_version": 1,
            "service_line": thread.service_line_id,
            "urgency": "none",
        },
    )
    client.force_login(advisor)
    response = client.post(
        reverse("consultations:edit", args=[thread.pk]),
        {
            "title": "Minun otsikkoni",
            "body": "y",
            "base_version": 1,
            "service_line": thread.service_line_id,
            "urgency": "none",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Joku muu tallensi" in html
    assert "Esihenkilön otsikko" in html
    assert 'value="Minun otsikkoni"' in html
    assert 'name="base_version" value="2"' in html
    thread.refresh_from_db()
    assert thread.title == "Esihenkilön otsikko"


def test_thread_edit_by_other_advisor_is_forbidden(client, advisor, colleague):
    thread = factories.thread(author=advisor)
    client.force_login(colleague)
    assert client.get(reverse("consultations:edit", args=[thread.pk])).status_code == 403


def test_answer_edit_and_history(client, advisor, colleague):
    thread = factories.thread(author=advisor)
    client.force_login(colleague)
    client.post(
        reverse("consultations:answer", args=[thread.pk]), {"body": "Ensimmäinen", "kind": "answer"}
    )
    answer = Answer.objects.get()
    response = client.post(
        reverse("consultations:answer_edit", args=[answer.pk]),
        {"body": "Korjattu", "base_version": 1},
    )
    assert response.status_code == 302
    html = client.get(reverse("consultations:history", args=[thread.pk])).content.decode()
    assert "Ensimmäinen" in html and "Korjattu" in html


# --- knowledge loop -----------------------------------------------------------------


def test_curate_creates_faq_item_shown_on_entry(client, advisor, colleague, editor):
    thread = factories.solved_thread(author=advisor, answerer=colleague)
    entry = catalogue_factories.entry(title="Omaishoidon tuki")
    client.force_login(editor)
    response = client.post(
        reverse("consultations:curate", args=[thread.pk]),
        {
            "action": "faq",
            "entry": entry.pk,
            "question": "Mistä haetaan?",
            "answer": "Lomakkeella **heti**.",
        },
    )
    assert response.status_code == 302
    assert FaqItem.objects.get().entry == entry
    html = render_to_string("consultations/partials/entry_faq.html", {"entry": entry})
    assert "Usein kysyttyä" in html
    assert "Mistä haetaan?" in html
    assert "<strong>heti</strong>" in html


def test_entry_faq_partial_is_empty_without_items():
    entry = catalogue_factories.entry()
    assert "Usein kysyttyä" not in render_to_string(
        "consultations/partials/entry_faq.html", {"entry": entry}
    )


def test_curate_forbidden_for_advisor(advisor_client, advisor, colleague):
    thread = factories.solved_thread(author=advisor, answerer=colleague)
    assert advisor_client.get(reverse("consultations:curate", args=[thread.pk])).status_code == 403


# --- callbacks ----------------------------------------------------------------------


def _callback_data(**overrides):
    due = timezone.localtime() + datetime.timedelta(hours=1)
    data = {
        "due_at": due.strftime("%Y-%m-%dT%H:%M"),
        "reason": "Kysyy kuljetuksesta",
        "phone": PHONE,
    }
    data.update(overrides)
    return data


def test_callback_create_and_visibility(client, advisor, colleague, outsider, manager):
    line = factories.line()
    outsider.service_lines.add(line)
    client.force_login(advisor)
    response = client.post(
        reverse("consultations:callback_create"),
        _callback_data(assignee=colleague.pk, service_line=line.pk),
    )
    callback = Callback.objects.get()
    assert response.status_code == 302
    assert callback.phone == PHONE
    url = callback.get_absolute_url()

    for user, sees_number in (
        (advisor, True),
        (colleague, True),
        (outsider, False),
        (manager, False),
    ):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200, user
        assert (PHONE in response.content.decode()) is sees_number, user
        assert "no-store" in response["Cache-Control"]


def test_callback_detail_forbidden_for_unrelated_user(client, advisor, colleague, outsider):
    callback = factories.callback(requester=advisor, assignee=colleague)
    client.force_login(outsider)
    assert client.get(callback.get_absolute_url()).status_code == 403


def test_callback_number_not_in_lists_or_notifications(client, advisor, colleague):
    client.force_login(advisor)
    client.post(reverse("consultations:callback_create"), _callback_data(assignee=colleague.pk))
    client.force_login(colleague)
    for url in (
        reverse("consultations:callbacks"),
        reverse("consultations:board"),
        reverse("notifications:inbox"),
    ):
        html = client.get(url).content.decode()
        assert not number_shown(html), url
    assert not number_shown(Notification.objects.get().text)


def number_shown(text: str) -> bool:
    return shows_phone(text, PHONE)


def test_callback_create_refuses_code_in_reason(advisor_client, colleague):
    response = advisor_client.post(
        reverse("consultations:callback_create"),
        _callback_data(assignee=colleague.pk, reason="Asiakas 131052-308T"),
    )
    assert "131052-****" in response.content.decode()
    assert Callback.objects.count() == 0


def test_callback_create_needs_assignee_or_line(advisor_client):
    response = advisor_client.post(reverse("consultations:callback_create"), _callback_data())
    assert "Valitse kollega tai palvelulinja." in response.content.decode()
    assert Callback.objects.count() == 0


def test_callback_take_and_complete(client, advisor, colleague):
    line = factories.line()
    colleague.service_lines.add(line)
    callback = factories.callback(requester=advisor, service_line=line, phone=PHONE)
    client.force_login(colleague)
    assert PHONE not in client.get(callback.get_absolute_url()).content.decode()
    client.post(reverse("consultations:callback_take", args=[callback.pk]))
    assert PHONE in client.get(callback.get_absolute_url()).content.decode()
    client.post(reverse("consultations:callback_complete", args=[callback.pk]))
    callback.refresh_from_db()
    assert callback.status == Callback.Status.DONE


def test_callback_complete_forbidden_for_line_staff(client, advisor, colleague, outsider):
    line = factories.line()
    outsider.service_lines.add(line)
    callback = factories.callback(requester=advisor, assignee=colleague, service_line=line)
    client.force_login(outsider)
    response = client.post(reverse("consultations:callback_complete", args=[callback.pk]))
    assert response.status_code == 403


def test_entry_page_shows_faq_items(advisor_client, advisor, colleague, editor):
    from apps.consultations import services

    thread = factories.solved_thread(author=advisor, answerer=colleague)
    entry = catalogue_factories.entry(title="Omaishoidon tuki")
    services.faq_item_create(
        thread=thread, entry=entry, question="Kuka voi hakea?", answer="Omaishoitaja.", by=editor
    )
    html = advisor_client.get(entry.get_absolute_url()).content.decode()
    assert "Usein kysyttyä" in html
    assert "Kuka voi hakea?" in html
    assert thread.get_absolute_url() in html


def test_callback_detail_records_each_display_of_the_number(client, advisor, colleague, outsider):
    line = factories.line()
    outsider.service_lines.add(line)
    callback = factories.callback(
        requester=advisor, assignee=colleague, service_line=line, phone=PHONE
    )
    url = callback.get_absolute_url()

    client.force_login(outsider)
    assert PHONE not in client.get(url).text
    client.force_login(colleague)
    assert PHONE in client.get(url).text
    client.force_login(advisor)
    assert PHONE in client.get(url).text

    assert list(callback.events.values_list("kind", "actor")) == [
        ("viewed", colleague.pk),
        ("viewed", advisor.pk),
    ]


def test_callback_number_under_a_lost_key_is_a_clear_message_not_a_500(
    advisor_client, advisor, colleague, caplog, settings
):
    callback = factories.callback(requester=advisor, assignee=colleague, phone=PHONE)
    settings.NEUVOKAS_FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]

    with caplog.at_level(logging.ERROR, logger="apps.core.fields"):
        response = advisor_client.get(callback.get_absolute_url())

    assert response.status_code == 200
    assert "Numeroa ei voi näyttää: salausavain puuttuu tai on vaihtunut" in response.text
    assert not shows_phone(response.text, PHONE) and 'href="tel:' not in response.text
    assert "cannot be decrypted" in caplog.text and not shows_phone(caplog.text, PHONE)


def test_callback_pages_work_without_any_key_configured(
    advisor_client, advisor, colleague, settings
):
    callback = factories.callback(requester=advisor, assignee=colleague, phone=PHONE)
    settings.NEUVOKAS_FIELD_ENCRYPTION_KEYS = []

    detail = advisor_client.get(callback.get_absolute_url())
    listing = advisor_client.get(reverse("consultations:callbacks"))

    assert detail.status_code == listing.status_code == 200
    assert "salausavain puuttuu" in detail.text
