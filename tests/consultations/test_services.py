from __future__ import annotations

import datetime
import importlib
import logging
from types import SimpleNamespace

import pytest
from django.core.exceptions import FieldError, PermissionDenied, ValidationError
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from apps.consultations import services
from apps.consultations.models import (
    Answer,
    AnswerRevision,
    Callback,
    CallbackEvent,
    FaqItem,
    Follow,
    Thread,
    ThreadRevision,
    Urgency,
)
from apps.core import fields
from apps.notifications.models import Notification
from apps.search.models import SearchDocument
from tests.catalogue import factories as catalogue_factories
from tests.consultations import factories

pytestmark = pytest.mark.django_db

VALID_CODES = [
    "131052-308T",
    "131052Y308T",
    "131052U308T",
    "010101A123N",
    "010101B123N",
    "010101F123N",
    "010101+123N",
]


def _notified(verb: str | None = None) -> list[tuple[str, str]]:
    qs = Notification.objects.order_by("recipient__username")
    if verb:
        qs = qs.filter(verb=verb)
    return list(qs.values_list("recipient__username", "verb"))


# --- thread_create ------------------------------------------------------------------


def test_thread_create_saves_revision_and_follows(advisor):
    entry = catalogue_factories.entry(title="Kuljetuspalvelu")
    thread = services.thread_create(
        author=advisor,
        title="  Kela-taksi  ",
        body="Miten **tilataan**?",
        service_line=factories.line(),
        urgency=Urgency.TODAY,
        entries=[entry],
    )

    assert thread.title == "Kela-taksi"
    assert thread.status == Thread.Status.OPEN
    assert list(thread.entries.all()) == [entry]
    assert list(ThreadRevision.objects.values_list("number", "title")) == [(1, "Kela-taksi")]
    assert Follow.objects.filter(thread=thread, user=advisor).exists()


@pytest.mark.parametrize("code", VALID_CODES)
def test_thread_create_refuses_personal_identity_code(advisor, code):
    with pytest.raises(ValidationError) as exc:
        services.thread_create(
            author=advisor,
            title="Asiakas",
            service_line=factories.line(),
            body=f"Asiakkaan tunnus on {code}, mitä teen?",
        )

    assert "body" in exc.value.message_dict
    assert code[:6] in exc.value.message_dict["body"][0]
    assert code[7:] not in exc.value.message_dict["body"][0]  # the code is masked
    assert Thread.objects.count() == 0
    assert ThreadRevision.objects.count() == 0


@pytest.mark.parametrize("code", ["131052-308U", "131352-308T", "131052G308T"])
def test_thread_create_accepts_invalid_codes(advisor, code):
    thread = services.thread_create(
        author=advisor, title="Lomake", body=f"Lomakkeen nro {code}", service_line=factories.line()
    )
    assert thread.pk


def test_thread_create_refuses_code_in_title(advisor):
    with pytest.raises(ValidationError) as exc:
        services.thread_create(
            author=advisor, title="010101A123N soitti", body="x", service_line=factories.line()
        )
    assert set(exc.value.message_dict) == {"title"}
    assert Thread.objects.count() == 0


def test_thread_create_caller_waiting_alerts_line_staff(advisor, colleague, outsider):
    line = factories.line("ikaihmiset")
    colleague.service_lines.add(line)
    advisor.service_lines.add(line)  # the asker is not told about their own question
    outsider.service_lines.add(factories.line("vammaispalvelut"))

    services.thread_create(
        author=advisor,
        title="Asiakas odottaa",
        body="Kotihoito?",
        service_line=line,
        urgency=Urgency.WAITING,
    )

    assert _notified() == [("kollega", "caller_waiting")]


def test_thread_create_not_waiting_alerts_nobody(advisor, colleague):
    colleague.service_lines.add(factories.line())
    services.thread_create(
        author=advisor,
        title="Ei kiire",
        body="x",
        service_line=factories.line(),
        urgency=Urgency.TODAY,
    )
    assert _notified() == []


def test_thread_create_mention_notifies_once(advisor, colleague):
    line = factories.line()
    colleague.service_lines.add(line)
    services.thread_create(
        author=advisor,
        title="Kysymys",
        body="@Kollega tiedätkö? @kollega.",
        service_line=line,
        urgency=Urgency.WAITING,
    )
    # Mentioned and on the line: one notification, the mention.
    assert _notified() == [("kollega", "mention")]


# --- answer_post --------------------------------------------------------------------


def test_answer_post_notifies_asker_and_followers(advisor, colleague, outsider, manager):
    thread = factories.thread(author=advisor)
    Follow.objects.create(thread=thread, user=advisor)
    Follow.objects.create(thread=thread, user=manager)
    before = thread.last_activity_at

    answer = services.answer_post(thread=thread, author=colleague, body="Soita Kelaan.")

    assert answer.kind == Answer.Kind.ANSWER
    assert AnswerRevision.objects.filter(answer=answer, number=1).exists()
    assert _notified() == [("advisor", "answer"), ("manager", "followed_thread")]
    assert "Kysymys" in Notification.objects.get(recipient=advisor).text
    thread.refresh_from_db()
    assert thread.last_activity_at > before
    assert Follow.objects.filter(thread=thread, user=colleague).exists()


def test_answer_post_mention_wins_over_answer_notice(advisor, colleague):
    thread = factories.thread(author=advisor)
    services.answer_post(thread=thread, author=colleague, body="@advisor katso tämä")
    assert _notified() == [("advisor", "mention")]


def test_answer_post_mention_of_unknown_or_inactive_user_is_ignored(advisor, colleague, outsider):
    outsider.is_active = False
    outsider.save()
    thread = factories.thread(author=advisor)
    services.answer_post(
        thread=thread, author=colleague, body="@eiole @sivullinen sähköposti foo@advisor.fi"
    )
    assert _notified() == [("advisor", "answer")]


def test_answer_post_refuses_personal_identity_code(advisor, colleague):
    thread = factories.thread(author=advisor)
    with pytest.raises(ValidationError) as exc:
        services.answer_post(thread=thread, author=colleague, body="Hetu 131052-308T")
    assert "131052-****" in exc.value.message_dict["body"][0]
    assert Answer.objects.count() == 0
    assert Notification.objects.count() == 0


def test_answer_post_comment_notifies_asker_as_comment(advisor, colleague):
    thread = factories.thread(author=advisor)
    services.answer_post(
        thread=thread, author=colleague, body="Tarkennus?", kind=Answer.Kind.COMMENT
    )
    assert "kommentoi" in Notification.objects.get().text


# --- edits --------------------------------------------------------------------------


def test_thread_update_keeps_history(advisor):
    thread = factories.thread(author=advisor, title="Vanha", body="Vanha teksti")

    services.thread_update(
        thread=thread, editor=advisor, base_version=1, title="Uusi", body="Uusi teksti"
    )

    thread.refresh_from_db()
    assert (thread.title, thread.version) == ("Uusi", 2)
    assert list(thread.revisions.values_list("number", "title")) == [(2, "Uusi"), (1, "Vanha")]


def test_thread_update_conflict_writes_nothing(advisor, manager):
    thread = factories.thread(author=advisor, title="Alku")
    services.thread_update(
        thread=thread, editor=manager, base_version=1, title="Esihenkilön", body="x"
    )

    with pytest.raises(services.EditConflict) as exc:
        services.thread_update(
            thread=thread, editor=advisor, base_version=1, title="Minun", body="y"
        )

    assert exc.value.current.title == "Esihenkilön"
    assert exc.value.editors == [manager]
    thread.refresh_from_db()
    assert (thread.title, thread.version) == ("Esihenkilön", 2)
    assert thread.revisions.count() == 2


def test_thread_update_by_other_advisor_is_denied(advisor, colleague):
    thread = factories.thread(author=advisor)
    with pytest.raises(PermissionDenied):
        services.thread_update(thread=thread, editor=colleague, base_version=1, title="x", body="y")


def test_thread_update_notifies_only_new_mentions(advisor, colleague, outsider):
    thread = factories.thread(author=advisor, body="@kollega auta")
    services.thread_update(
        thread=thread,
        editor=advisor,
        base_version=1,
        title=thread.title,
        body="@kollega auta, myös @sivullinen",
    )
    assert _notified("mention") == [("sivullinen", "mention")]


def test_answer_update_conflict_and_history(advisor, colleague, manager):
    thread = factories.thread(author=advisor)
    answer = services.answer_post(thread=thread, author=colleague, body="Eka")
    services.answer_update(answer=answer, editor=colleague, base_version=1, body="Toka")

    with pytest.raises(services.EditConflict):
        services.answer_update(answer=answer, editor=manager, base_version=1, body="Kolmas")

    answer.refresh_from_db()
    assert (answer.body, answer.version) == ("Toka", 2)
    assert answer.edited_at is not None
    assert list(answer.revisions.values_list("number", "body")) == [(2, "Toka"), (1, "Eka")]


def test_answer_update_refuses_code_and_keeps_text(advisor, colleague):
    thread = factories.thread(author=advisor)
    answer = services.answer_post(thread=thread, author=colleague, body="Eka")
    with pytest.raises(ValidationError):
        services.answer_update(answer=answer, editor=colleague, base_version=1, body="010594Y9032")
    answer.refresh_from_db()
    assert (answer.body, answer.version) == ("Eka", 1)


# --- claims -------------------------------------------------------------------------


def test_thread_claim_second_colleague_is_refused(advisor, colleague, outsider):
    thread = factories.thread(author=advisor)
    services.thread_claim(thread=thread, user=colleague)

    with pytest.raises(ValidationError) as exc:
        services.thread_claim(thread=thread, user=outsider)

    assert "Kollega" in exc.value.messages[0]
    thread.refresh_from_db()
    assert thread.claimed_by == colleague


def test_thread_release_by_claimer_or_manager_only(advisor, colleague, outsider, manager):
    thread = factories.thread(author=advisor)
    services.thread_claim(thread=thread, user=colleague)
    with pytest.raises(PermissionDenied):
        services.thread_release(thread=thread, user=outsider)

    services.thread_release(thread=thread, user=manager)

    thread.refresh_from_db()
    assert thread.claimed_by is None
    services.thread_claim(thread=thread, user=outsider)
    services.thread_release(thread=thread, user=outsider)
    thread.refresh_from_db()
    assert thread.claimed_by is None


# --- solving ------------------------------------------------------------------------


def test_thread_solve_by_asker_notifies_and_indexes(advisor, colleague, outsider, editor):
    owner_entry = catalogue_factories.entry(title="Omaishoidon tuki", owner=editor)
    thread = factories.thread(author=advisor, title="Omaishoidon tuki yli 65-vuotiaalle")
    thread.entries.add(owner_entry)
    Follow.objects.create(thread=thread, user=outsider)
    answer = services.answer_post(thread=thread, author=colleague, body="Hakemus Kelaan.")
    Notification.objects.all().delete()

    services.thread_solve(thread=thread, answer=answer, by=advisor)

    thread.refresh_from_db()
    assert thread.status == Thread.Status.SOLVED
    assert (thread.solution, thread.solved_by) == (answer, advisor)
    assert _notified() == [
        ("editor", "entry_thread_solved"),
        ("kollega", "solved"),
        ("sivullinen", "solved"),
    ]
    assert "Omaishoidon tuki" in Notification.objects.get(recipient=editor).text
    document = SearchDocument.objects.get(source="consultations.thread", object_id=str(thread.pk))
    assert document.doc_type == "consultation"


def test_thread_solve_by_other_advisor_is_denied(advisor, colleague, outsider):
    thread = factories.thread(author=advisor)
    answer = factories.answer(thread=thread, author=colleague)
    with pytest.raises(PermissionDenied):
        services.thread_solve(thread=thread, answer=answer, by=outsider)
    thread.refresh_from_db()
    assert thread.status == Thread.Status.OPEN


def test_thread_solve_by_manager_and_moving_the_solution(advisor, colleague, manager):
    thread = factories.thread(author=advisor)
    first = factories.answer(thread=thread, author=colleague, body="Eka")
    second = factories.answer(thread=thread, author=manager, body="Toka")

    services.thread_solve(thread=thread, answer=first, by=manager)
    services.thread_solve(thread=thread, answer=second, by=advisor)

    thread.refresh_from_db()
    assert thread.solution == second


def test_thread_solve_refuses_comment_or_foreign_answer(advisor, colleague):
    thread = factories.thread(author=advisor)
    other = factories.thread(author=advisor)
    comment = factories.answer(thread=thread, author=colleague, kind=Answer.Kind.COMMENT)
    foreign = factories.answer(thread=other, author=colleague)
    for answer in (comment, foreign):
        with pytest.raises(ValidationError):
            services.thread_solve(thread=thread, answer=answer, by=advisor)
    thread.refresh_from_db()
    assert thread.status == Thread.Status.OPEN


def test_thread_update_of_solved_thread_reindexes(advisor, colleague):
    thread = factories.solved_thread(author=advisor, answerer=colleague)
    services.thread_update(
        thread=thread, editor=advisor, base_version=1, title="Omaishoitajan vapaat", body="x"
    )
    document = SearchDocument.objects.get(source="consultations.thread", object_id=str(thread.pk))
    assert document.titles == {"fi": "Omaishoitajan vapaat"}


# --- knowledge loop -----------------------------------------------------------------


def test_faq_item_create_links_thread_and_refuses_duplicates(advisor, colleague, editor):
    thread = factories.solved_thread(author=advisor, answerer=colleague)
    entry = catalogue_factories.entry(title="Omaishoidon tuki")

    item = services.faq_item_create(
        thread=thread, entry=entry, question="Mistä haetaan?", answer="Lomakkeella.", by=editor
    )

    assert (item.position, item.source_thread) == (1, thread)
    assert list(thread.entries.all()) == [entry]
    with pytest.raises(ValidationError):
        services.faq_item_create(
            thread=thread, entry=entry, question="Uudestaan", answer="x", by=editor
        )
    assert FaqItem.objects.count() == 1


def test_faq_item_create_needs_permission_and_solved_thread(advisor, colleague, editor):
    solved = factories.solved_thread(author=advisor, answerer=colleague)
    open_thread = factories.thread(author=advisor)
    entry = catalogue_factories.entry()
    with pytest.raises(PermissionDenied):
        services.faq_item_create(thread=solved, entry=entry, question="q", answer="a", by=advisor)
    with pytest.raises(PermissionDenied):
        services.faq_item_create(
            thread=open_thread, entry=entry, question="q", answer="a", by=editor
        )
    assert FaqItem.objects.count() == 0


def test_faq_item_create_refuses_personal_identity_code(advisor, colleague, editor):
    thread = factories.solved_thread(author=advisor, answerer=colleague)
    with pytest.raises(ValidationError) as exc:
        services.faq_item_create(
            thread=thread,
            entry=catalogue_factories.entry(),
            question="q",
            answer="Esim. 131052-308T",
            by=editor,
        )
    assert set(exc.value.message_dict) == {"answer"}
    assert FaqItem.objects.count() == 0


def test_thread_link_entries_notifies_new_owners(advisor, colleague, editor, manager):
    thread = factories.solved_thread(author=advisor, answerer=colleague)
    owned = catalogue_factories.entry(owner=manager)
    services.thread_link_entries(thread=thread, entries=[owned], by=editor)
    services.thread_link_entries(thread=thread, entries=[owned], by=editor)  # no-op
    assert _notified() == [("manager", "entry_thread_solved")]


# --- callbacks ----------------------------------------------------------------------


def test_callback_create_notifies_assignee_without_the_number(advisor, colleague):
    due = timezone.now() + datetime.timedelta(hours=1)
    callback = services.callback_create(
        requester=advisor,
        assignee=colleague,
        due_at=due,
        reason="Kuljetuspalvelu",
        phone="040 765 4321",
    )

    assert callback.phone == "040 765 4321"
    assert "4321" not in str(callback)
    notification = Notification.objects.get()
    assert (notification.recipient, notification.verb) == (colleague, "callback_assigned")
    assert "765" not in notification.text and "4321" not in notification.text
    assert list(CallbackEvent.objects.values_list("kind", flat=True)) == ["created"]


def test_callback_create_for_a_line_notifies_its_staff(advisor, colleague, outsider):
    line = factories.line("ikaihmiset")
    colleague.service_lines.add(line)
    services.callback_create(
        requester=advisor, service_line=line, phone="0401234567", reason="x", due_at=timezone.now()
    )
    assert _notified() == [("kollega", "callback_assigned")]


def test_callback_create_refuses_code_and_requires_phone_and_target(advisor, colleague):
    due = timezone.now()
    with pytest.raises(ValidationError) as exc:
        services.callback_create(
            requester=advisor,
            assignee=colleague,
            due_at=due,
            reason="Asiakas 131052-308T",
            phone="040 123 4567",
        )
    assert set(exc.value.message_dict) == {"reason"}
    with pytest.raises(ValidationError):
        services.callback_create(
            requester=advisor, assignee=colleague, due_at=due, reason="x", phone=""
        )
    with pytest.raises(ValidationError):
        services.callback_create(requester=advisor, due_at=due, reason="x", phone="040 123 4567")
    with pytest.raises(ValidationError):
        services.callback_create(
            requester=advisor,
            assignee=colleague,
            due_at=due,
            reason="x",
            phone="soita iltapäivällä",
        )
    assert Callback.objects.count() == 0


def test_callback_take_by_line_staff_once(advisor, colleague, outsider):
    line = factories.line()
    colleague.service_lines.add(line)
    outsider.service_lines.add(line)
    callback = factories.callback(requester=advisor, service_line=line)

    services.callback_take(callback=callback, user=colleague)
    with pytest.raises(ValidationError):
        services.callback_take(callback=callback, user=outsider)

    callback.refresh_from_db()
    assert callback.assignee == colleague


def test_callback_take_by_someone_off_the_line_is_denied(advisor, outsider):
    callback = factories.callback(requester=advisor, service_line=factories.line())
    with pytest.raises(PermissionDenied):
        services.callback_take(callback=callback, user=outsider)


def test_callback_complete_by_assignee(advisor, colleague, outsider):
    callback = factories.callback(requester=advisor, assignee=colleague)
    with pytest.raises(PermissionDenied):
        services.callback_complete(callback=callback, user=outsider)

    services.callback_complete(callback=callback, user=colleague)

    callback.refresh_from_db()
    assert (callback.status, callback.done_by) == (Callback.Status.DONE, colleague)
    assert callback.phone  # kept until the retention period has passed


@override_settings(NEUVOKAS_CALLBACK_RETENTION_DAYS=7)
def test_callback_erase_number_after_retention_only(advisor, colleague, caplog):
    now = timezone.now()
    callback = factories.callback(
        requester=advisor,
        assignee=colleague,
        phone="040 999 8877",
        status=Callback.Status.DONE,
        done_at=now - datetime.timedelta(days=6, hours=23),
    )
    open_one = factories.callback(requester=advisor, assignee=colleague)

    assert services.callback_erase_number(callback_id=callback.pk, now=now) is False
    assert (
        services.callback_erase_number(
            callback_id=open_one.pk, now=now + datetime.timedelta(days=30)
        )
        is False
    )
    later = now + datetime.timedelta(hours=2)
    with caplog.at_level(logging.INFO, logger="apps.consultations.services"):
        assert services.callback_erase_number(callback_id=callback.pk, now=later) is True
    assert services.callback_erase_number(callback_id=callback.pk, now=later) is False

    callback.refresh_from_db()
    assert (callback.phone, callback.phone_erased_at) == ("", later)
    assert CallbackEvent.objects.filter(callback=callback, kind="erased").count() == 1
    assert f"Callback {callback.pk}" in caplog.text
    assert "8877" not in caplog.text
    open_one.refresh_from_db()
    assert open_one.phone


def test_callback_flag_overdue_notifies_once(advisor, colleague):
    callback = factories.callback(
        requester=advisor, assignee=colleague, due_at=timezone.now() - datetime.timedelta(minutes=5)
    )
    assert services.callback_flag_overdue(callback_id=callback.pk) is True
    assert services.callback_flag_overdue(callback_id=callback.pk) is False

    assert _notified() == [("kollega", "callback_overdue")]
    assert "4567" not in Notification.objects.get().text
    callback.refresh_from_db()
    assert callback.overdue_notified_at is not None


def test_callback_flag_overdue_ignores_not_yet_due_and_done(advisor, colleague):
    future = factories.callback(requester=advisor, assignee=colleague)
    done = factories.callback(
        requester=advisor,
        assignee=colleague,
        due_at=timezone.now() - datetime.timedelta(hours=1),
        status=Callback.Status.DONE,
        done_at=timezone.now(),
    )
    assert services.callback_flag_overdue(callback_id=future.pk) is False
    assert services.callback_flag_overdue(callback_id=done.pk) is False
    assert Notification.objects.count() == 0


def test_mentioned_users_parses_usernames(advisor, colleague):
    assert services.mentioned_users("Hei @advisor, ja @KOLLEGA. @nobody") in (
        [advisor, colleague],
        [colleague, advisor],
    )
    assert services.mentioned_users("posti: x@advisor") == []


# --- the number at rest, its displays and reassignment -------------------------------


def _raw_phone(callback: Callback) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone FROM consultations_callback WHERE id = %s", [callback.pk])
        return cursor.fetchone()[0]


def test_callback_number_is_encrypted_in_the_database(advisor, colleague):
    callback = services.callback_create(
        requester=advisor,
        assignee=colleague,
        due_at=timezone.now(),
        reason="Kuljetus",
        phone="040 765 4321",
    )

    raw = _raw_phone(callback)

    assert raw and raw.startswith("gAAAA")  # a Fernet token
    # No clear form of the number; a short digit run like "765" can occur in base64 by
    # chance, so the check is on the whole number, and the token decrypts to it.
    assert not any(clear in raw for clear in ("040 765 4321", "0407654321", "407654321"))
    assert fields.decrypt(raw) == "040 765 4321"
    assert Callback.objects.get(pk=callback.pk).phone == "040 765 4321"


@override_settings(NEUVOKAS_CALLBACK_RETENTION_DAYS=7)
def test_erased_number_is_empty_in_the_database(advisor, colleague):
    now = timezone.now()
    callback = factories.callback(
        requester=advisor,
        assignee=colleague,
        phone="040 999 8877",
        status=Callback.Status.DONE,
        done_at=now - datetime.timedelta(days=8),
    )

    assert services.callback_erase_number(callback_id=callback.pk, now=now) is True

    assert _raw_phone(callback) == ""


@pytest.mark.parametrize(
    "lookup",
    [
        {"phone": "040 765 4321"},
        {"phone__startswith": "040"},
        {"phone__contains": "765"},
        {"phone__in": ["040 765 4321"]},
        {"phone__regex": "^0"},
        {"phone__gt": "0"},
    ],
)
def test_the_number_cannot_be_used_in_a_lookup(advisor, colleague, lookup):
    factories.callback(requester=advisor, assignee=colleague, phone="040 765 4321")
    with pytest.raises(FieldError):
        list(Callback.objects.filter(**lookup))


def test_only_emptiness_of_the_number_can_be_queried(advisor, colleague):
    kept = factories.callback(requester=advisor, assignee=colleague, phone="040 765 4321")
    erased = factories.callback(requester=advisor, assignee=colleague, phone="")

    assert list(Callback.objects.filter(phone="")) == [erased]
    assert list(Callback.objects.exclude(phone="")) == [kept]


def test_callback_phone_show_records_who_saw_it(advisor, colleague, outsider):
    callback = factories.callback(requester=advisor, assignee=colleague, phone="040 765 4321")

    assert services.callback_phone_show(callback=callback, user=colleague) == "040 765 4321"
    with pytest.raises(PermissionDenied):
        services.callback_phone_show(callback=callback, user=outsider)

    assert list(callback.events.values_list("kind", "actor")) == [
        (CallbackEvent.Kind.VIEWED, colleague.pk)
    ]


def test_callback_assign_records_and_notifies(advisor, colleague, outsider, superuser):
    callback = factories.callback(requester=advisor, assignee=colleague)

    services.callback_assign(callback=callback, assignee=outsider, by=superuser)
    services.callback_assign(callback=callback, assignee=outsider, by=superuser)  # no change

    callback.refresh_from_db()
    assert callback.assignee == outsider
    assert list(callback.events.values_list("kind", "actor")) == [
        (CallbackEvent.Kind.ASSIGNED, superuser.pk)
    ]
    assert Notification.objects.filter(recipient=outsider, verb="callback_assigned").count() == 1


# Managers may (consultations 0005: the desk's team view reassigns callbacks).
@pytest.mark.parametrize("who", ["advisor", "editor"])
def test_callback_assign_needs_the_change_permission(request, who, advisor, colleague):
    actor = request.getfixturevalue(who)
    callback = factories.callback(requester=advisor, assignee=colleague)
    with pytest.raises(PermissionDenied):
        services.callback_assign(callback=callback, assignee=actor, by=actor)
    callback.refresh_from_db()
    assert callback.assignee == colleague
    assert not callback.events.exists()


def test_callback_assign_refuses_a_done_callback(advisor, colleague, superuser):
    callback = factories.callback(
        requester=advisor, assignee=colleague, status=Callback.Status.DONE, done_at=timezone.now()
    )
    with pytest.raises(PermissionDenied):
        services.callback_assign(callback=callback, assignee=superuser, by=superuser)


def test_data_migration_encrypts_numbers_stored_in_clear_once(advisor, colleague):
    migration = importlib.import_module(
        "apps.consultations.migrations.0003_callback_phone_encrypted"
    )
    callback = factories.callback(requester=advisor, assignee=colleague, phone="040 765 4321")
    erased = factories.callback(requester=advisor, assignee=colleague, phone="")
    with connection.cursor() as cursor:  # as it was before the migration
        cursor.execute(
            "UPDATE consultations_callback SET phone = %s WHERE id = %s",
            ["040 765 4321", callback.pk],
        )
    editor = SimpleNamespace(connection=connection)

    migration.encrypt_numbers(None, editor)
    once = _raw_phone(callback)
    migration.encrypt_numbers(None, editor)

    assert fields.is_token(once) and fields.decrypt(once) == "040 765 4321"
    assert _raw_phone(callback) == once
    assert _raw_phone(erased) == ""
    assert Callback.objects.get(pk=callback.pk).phone == "040 765 4321"
    migration.decrypt_numbers(None, editor)
    assert _raw_phone(callback) == "040 765 4321"
