"""The desk's panels: what each role sees, in which order, and nothing of other lines'
waiting questions or other people's callbacks."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from apps.consultations.models import Thread, Urgency
from apps.desk import selectors
from tests.catalogue import factories as catalogue_factories
from tests.conftest import make_user
from tests.consultations import factories

pytestmark = pytest.mark.django_db

WAITING = Urgency.WAITING


@pytest.fixture
def lines(advisor):
    """The advisor serves "vammaispalvelut"; "ikaihmiset" is another line."""
    mine, other = factories.line("vammaispalvelut"), factories.line("ikaihmiset")
    advisor.service_lines.add(mine)
    return mine, other


def _ago(minutes: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(minutes=minutes)


def _titles(threads):
    return [t.title for t in threads]


class TestWaitingQuestions:
    def test_waiting_questions_on_my_lines_only_longest_wait_first(self, advisor, colleague, lines):
        mine, other = lines
        newer = factories.thread(
            author=colleague, title="Uudempi", service_line=mine, urgency=WAITING
        )
        older = factories.thread(
            author=colleague, title="Vanhempi", service_line=mine, urgency=WAITING
        )
        Thread.objects.filter(pk=older.pk).update(created_at=_ago(5))
        Thread.objects.filter(pk=newer.pk).update(created_at=_ago(1))
        factories.thread(
            author=colleague, title="Toinen linja", service_line=other, urgency=WAITING
        )
        factories.thread(author=colleague, title="Ei kiire", service_line=mine)
        factories.solved_thread(
            author=colleague,
            answerer=advisor,
            title="Ratkaistu",
            service_line=mine,
            urgency=WAITING,
        )

        assert _titles(selectors.waiting_questions(user=advisor)) == ["Vanhempi", "Uudempi"]

    def test_waiting_questions_none_without_lines(self, editor, colleague, lines):
        factories.thread(author=colleague, service_line=lines[0], urgency=WAITING)

        assert selectors.waiting_questions(user=editor) == []


def test_answerable_questions_unanswered_first_not_mine_not_claimed(
    advisor, colleague, manager, lines
):
    mine, other = lines
    answered = factories.thread(author=colleague, title="Vastattu", service_line=mine)
    factories.answer(thread=answered, author=manager)
    factories.thread(author=colleague, title="Vastaamaton", service_line=mine)
    factories.thread(author=colleague, title="Odottaa", service_line=mine, urgency=WAITING)
    factories.thread(author=advisor, title="Oma", service_line=mine)
    factories.thread(author=colleague, title="Selvityksessä", service_line=mine, claimed_by=manager)
    factories.thread(author=colleague, title="Toinen linja", service_line=other)

    found = selectors.answerable_questions(user=advisor)

    assert _titles(found) == ["Vastaamaton", "Vastattu"]
    assert [t.answer_count for t in found] == [0, 1]


def test_claimed_questions_mine_open_waiting_first(advisor, colleague, lines):
    mine, other = lines
    factories.thread(author=colleague, title="Tavallinen", service_line=other, claimed_by=advisor)
    factories.thread(
        author=colleague, title="Odottava", service_line=other, urgency=WAITING, claimed_by=advisor
    )
    factories.thread(author=colleague, title="Kollegan", service_line=mine, claimed_by=colleague)
    factories.solved_thread(
        author=colleague, answerer=advisor, title="Ratkaistu", claimed_by=advisor
    )

    assert _titles(selectors.claimed_questions(user=advisor)) == ["Odottava", "Tavallinen"]


def test_my_callbacks_assigned_to_me_overdue_first(advisor, colleague, lines):
    later = factories.callback(
        requester=colleague, assignee=advisor, due_at=timezone.now() + datetime.timedelta(hours=3)
    )
    overdue = factories.callback(requester=colleague, assignee=advisor, due_at=_ago(10))
    factories.callback(requester=advisor, assignee=colleague)  # asked by me, not mine to call
    factories.callback(requester=colleague, service_line=lines[0])  # the line's, not assigned
    factories.callback(requester=colleague, assignee=advisor, status="done", done_at=_ago(1))

    found = selectors.my_callbacks(user=advisor)

    assert found == [overdue, later]
    assert found[0].is_overdue


class TestTeam:
    def test_team_questions_every_line_waiting_then_unanswered(self, advisor, colleague, lines):
        mine, other = lines
        unanswered = factories.thread(author=colleague, title="Vastaamaton", service_line=other)
        waiting = factories.thread(
            author=colleague, title="Odottaa", service_line=mine, urgency=WAITING
        )
        answered = factories.thread(author=colleague, title="Vastattu", service_line=mine)
        factories.answer(thread=answered, author=advisor)
        factories.solved_thread(author=colleague, answerer=advisor, title="Ratkaistu")
        Thread.objects.filter(pk=unanswered.pk).update(created_at=_ago(30))
        Thread.objects.filter(pk=waiting.pk).update(created_at=_ago(1))

        assert _titles(selectors.team_questions()) == ["Odottaa", "Vastaamaton"]

    def test_team_callbacks_every_open_one_by_deadline(self, advisor, colleague, lines):
        a = factories.callback(requester=advisor, assignee=colleague, due_at=_ago(5))
        b = factories.callback(requester=colleague, service_line=lines[1])
        factories.callback(requester=colleague, assignee=advisor, status="done", done_at=_ago(1))

        assert selectors.team_callbacks() == [a, b]

    def test_team_lists_never_load_the_phone_number(self, advisor, colleague):
        factories.callback(requester=advisor, assignee=colleague)

        assert "phone" in selectors.team_callbacks()[0].get_deferred_fields()


def test_assignable_staff_active_staff_who_may_answer(
    advisor, colleague, editor, manager, django_user_model
):
    make_user(django_user_model, "lahtenyt", "Neuvoja", is_active=False)
    make_user(django_user_model, "vieras")  # no role: may not answer

    assert {u.username for u in selectors.assignable_staff()} == {
        "advisor",
        "kollega",
        "editor",
        "manager",
    }


def test_editor_panels_overdue_entries_and_open_reports(editor, advisor):
    overdue = catalogue_factories.entry(title="Vanha kortti", owner=editor, last_reviewed=None)
    catalogue_factories.entry(title="Tuore kortti", owner=editor)
    catalogue_factories.entry(title="Toisen kortti", owner=advisor, last_reviewed=None)
    report = catalogue_factories.problem_report(overdue, reporter=advisor)
    catalogue_factories.problem_report(overdue, status="resolved")

    assert selectors.overdue_entries(user=editor) == [overdue]
    assert selectors.problem_reports(user=editor) == [report]
