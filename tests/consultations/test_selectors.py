from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from apps.catalogue.models import Municipality
from apps.catalogue.services import import_catalogue
from apps.consultations import selectors
from apps.consultations.models import Answer, Callback, Follow, Thread, Urgency
from apps.consultations.selectors import BoardFilters
from tests.consultations import factories
from tests.search.conftest import CATALOGUE as SEARCH_CATALOGUE

pytestmark = pytest.mark.django_db


def _ago(minutes: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(minutes=minutes)


def _titles(threads: list[Thread]) -> list[str]:
    return [t.title for t in threads]


def test_thread_board_orders_waiting_then_unanswered_then_rest(advisor, colleague):
    answered_recent = factories.thread(author=advisor, title="vastattu tuore")
    factories.answer(thread=answered_recent, author=colleague)
    Thread.objects.filter(pk=answered_recent.pk).update(last_activity_at=_ago(1))
    answered_old = factories.thread(author=advisor, title="vastattu vanha")
    factories.answer(thread=answered_old, author=colleague)
    Thread.objects.filter(pk=answered_old.pk).update(last_activity_at=_ago(100))
    unanswered = factories.thread(author=advisor, title="vastaamaton")
    commented = factories.thread(author=advisor, title="vain kommentti")
    factories.answer(thread=commented, author=colleague, kind=Answer.Kind.COMMENT)
    waiting_new = factories.thread(author=advisor, title="odottaa 2", urgency=Urgency.WAITING)
    waiting_old = factories.thread(author=advisor, title="odottaa 1", urgency=Urgency.WAITING)
    Thread.objects.filter(pk=waiting_old.pk).update(created_at=_ago(10))
    Thread.objects.filter(pk=waiting_new.pk).update(created_at=_ago(2))
    factories.answer(thread=waiting_new, author=colleague)  # still on top: caller waits
    Thread.objects.filter(pk__in=[unanswered.pk, commented.pk]).update(last_activity_at=_ago(50))
    factories.solved_thread(author=advisor, answerer=colleague, title="ratkaistu")

    board = selectors.thread_board(user=advisor, filters=BoardFilters())

    assert _titles(board)[:2] == ["odottaa 1", "odottaa 2"]
    assert set(_titles(board)[2:4]) == {"vastaamaton", "vain kommentti"}
    assert _titles(board)[4:] == ["vastattu tuore", "vastattu vanha"]
    assert board[1].answer_count == 1
    assert board[2].answered is False


def test_thread_board_filters(advisor, colleague):
    kotka = Municipality.objects.get(code="285")
    line = factories.line("ikaihmiset")
    advisor.service_lines.add(line)
    on_my_line = factories.thread(
        author=colleague, title="linjalla", service_line=line, municipality=kotka
    )
    mine = factories.thread(author=advisor, title="oma")
    claimed = factories.thread(author=colleague, title="otettu", claimed_by=advisor)
    followed = factories.thread(author=colleague, title="seurattu")
    Follow.objects.create(thread=followed, user=advisor)
    answered = factories.thread(author=colleague, title="vastattu")
    factories.answer(thread=answered, author=advisor)
    factories.solved_thread(author=colleague, answerer=advisor, title="ratkaistu")

    def board(**kw):
        return set(_titles(selectors.thread_board(user=advisor, filters=BoardFilters(**kw))))

    assert board(line="omat") == {"linjalla"}
    assert board(line="ikaihmiset") == {"linjalla"}
    assert board(municipality="285") == {"linjalla"}
    assert board(mine=True) == {"oma", "otettu", "seurattu"}
    assert board(unanswered=True) == {"linjalla", "oma", "otettu", "seurattu"}
    assert board(status="solved") == {"ratkaistu"}
    assert len(board(status="all")) == 6
    assert board(q="seura") == {"seurattu"}
    assert on_my_line and mine and claimed


def test_thread_board_query_count(advisor, colleague, django_assert_max_num_queries):
    for i in range(5):
        t = factories.thread(author=advisor, title=f"k{i}", claimed_by=colleague)
        factories.answer(thread=t, author=colleague)
    with django_assert_max_num_queries(2):
        board = selectors.thread_board(user=advisor, filters=BoardFilters())
        [(t.author.username, t.service_line.name, t.claimed_by.username) for t in board]


def test_similar_threads_finds_open_and_solved(advisor, colleague):
    factories.solved_thread(author=advisor, answerer=colleague, title="Omaishoidon tuen hakeminen")
    factories.thread(author=advisor, title="Omaishoidon tuen hakeminen kesken")
    factories.solved_thread(
        author=advisor, answerer=colleague, title="Kela-taksin tilaus", body="Miten taksi tilataan?"
    )

    found = selectors.similar_threads(title="omaishoidon tuki")

    assert sorted(_titles(found)) == [
        "Omaishoidon tuen hakeminen",
        "Omaishoidon tuen hakeminen kesken",
    ]
    assert selectors.similar_threads(title="om") == []


def test_similar_threads_finds_a_short_title_inside_a_long_question(advisor):
    factories.thread(author=advisor, title="SHL-kuljetuspalvelu")
    factories.thread(author=advisor, title="Kela-taksin tilaus")

    found = selectors.similar_threads(
        title="Kuljetuspalvelu: voiko SHL-matkoja käyttää kuntoutukseen?"
    )

    assert _titles(found) == ["SHL-kuljetuspalvelu"]


@pytest.mark.django_db(transaction=True)
def test_similar_entries_are_what_the_search_finds(reference_data_tx):
    import_catalogue(SEARCH_CATALOGUE)

    found = selectors.similar_entries(
        title="Kuljetuspalvelu: voiko SHL-matkoja käyttää kuntoutukseen?"
    )
    assert found and found[0].key == "kuljetuspalvelu"
    assert [e.key for e in selectors.similar_entries(title="omaishoidon tuen")][:1] == [
        "omaishoidon-tuki"
    ]
    assert selectors.similar_entries(title="kul") == []


def test_callback_board_shows_mine_and_my_lines_without_phone(advisor, colleague, outsider):
    line = factories.line("ikaihmiset")
    advisor.service_lines.add(line)
    assigned = factories.callback(requester=colleague, assignee=advisor)
    requested = factories.callback(requester=advisor, assignee=colleague)
    on_line = factories.callback(requester=colleague, service_line=line)
    factories.callback(requester=colleague, assignee=outsider)  # not mine
    factories.callback(requester=colleague, service_line=line, assignee=outsider)  # taken
    factories.callback(
        requester=advisor, assignee=colleague, status=Callback.Status.DONE, done_at=timezone.now()
    )

    board = selectors.callback_board(user=advisor)

    assert {c.pk for c in board} == {assigned.pk, requested.pk, on_line.pk}
    assert all("phone" in c.get_deferred_fields() for c in board)


def test_callbacks_due_for_erasure_and_newly_overdue(advisor, colleague, settings):
    settings.NEUVOKAS_CALLBACK_RETENTION_DAYS = 7
    now = timezone.now()
    due = factories.callback(
        requester=advisor,
        assignee=colleague,
        status="done",
        done_at=now - datetime.timedelta(days=7, minutes=1),
    )
    factories.callback(
        requester=advisor,
        assignee=colleague,
        status="done",
        done_at=now - datetime.timedelta(days=6),
    )
    factories.callback(
        requester=advisor,
        assignee=colleague,
        status="done",
        phone="",
        phone_erased_at=now,
        done_at=now - datetime.timedelta(days=9),
    )
    overdue = factories.callback(
        requester=advisor, assignee=colleague, due_at=now - datetime.timedelta(minutes=1)
    )
    factories.callback(
        requester=advisor,
        assignee=colleague,
        due_at=now - datetime.timedelta(minutes=1),
        overdue_notified_at=now,
    )

    assert selectors.callbacks_due_for_erasure(now=now) == [due.pk]
    assert selectors.callbacks_newly_overdue(now=now) == [overdue.pk]
