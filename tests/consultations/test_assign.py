"""A manager hands a question or a callback to a colleague from the desk's team view:
``thread_assign`` and ``callback_reassign``, each refusing a change made from a stale view."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from apps.accounts import roles
from apps.consultations import permissions, services
from apps.consultations.models import Callback, CallbackEvent, Thread
from apps.live import kinds
from apps.live.models import LiveEvent
from apps.notifications.models import Notification
from tests.conftest import make_user
from tests.consultations import factories
from tests.consultations.test_concurrency import run_at_once

pytestmark = pytest.mark.django_db


class TestThreadAssign:
    def test_thread_assign_hands_the_question_to_a_colleague(self, advisor, colleague, manager):
        thread = factories.thread(author=advisor)

        services.thread_assign(
            thread=thread, assignee=colleague, by=manager, seen_claimed_by_id=None
        )

        thread.refresh_from_db()
        assert thread.claimed_by == colleague
        assert thread.claimed_at is not None
        assert thread.follows.filter(user=colleague).exists()
        note = Notification.objects.get(recipient=colleague)
        assert note.verb == "thread_assigned"
        assert note.url == thread.get_absolute_url()

    def test_thread_assign_reaches_the_desks_live(
        self, advisor, colleague, manager, django_capture_on_commit_callbacks
    ):
        """The new assignee (now a follower) and the asker hear of it: their desks reload."""
        thread = factories.thread(author=advisor)

        with django_capture_on_commit_callbacks(execute=True):
            services.thread_assign(
                thread=thread, assignee=colleague, by=manager, seen_claimed_by_id=None
            )

        event = LiveEvent.objects.get(kind=kinds.QUESTION_CLAIMED)
        assert {advisor.pk, colleague.pk} <= set(event.audience)
        assert event.payload["thread"] == thread.pk

    def test_thread_assign_frees_a_claim(self, advisor, colleague, manager):
        thread = factories.thread(author=advisor, claimed_by=colleague)

        services.thread_assign(
            thread=thread, assignee=None, by=manager, seen_claimed_by_id=colleague.pk
        )

        thread.refresh_from_db()
        assert thread.claimed_by is None
        assert thread.claimed_at is None

    def test_thread_assign_refuses_a_stale_view(self, advisor, colleague, manager, editor):
        thread = factories.thread(author=advisor, claimed_by=editor)

        with pytest.raises(ValidationError) as exc:
            services.thread_assign(
                thread=thread, assignee=colleague, by=manager, seen_claimed_by_id=None
            )

        assert exc.value.code == "stale"
        thread.refresh_from_db()
        assert thread.claimed_by == editor
        assert not Notification.objects.filter(recipient=colleague).exists()

    def test_thread_assign_refuses_an_advisor(self, advisor, colleague):
        thread = factories.thread(author=advisor)

        with pytest.raises(PermissionDenied):
            services.thread_assign(
                thread=thread, assignee=colleague, by=advisor, seen_claimed_by_id=None
            )

        thread.refresh_from_db()
        assert thread.claimed_by is None

    def test_thread_assign_refuses_someone_who_cannot_answer(
        self, advisor, manager, django_user_model
    ):
        outsider = django_user_model.objects.create_user(username="ulkopuolinen")
        thread = factories.thread(author=advisor)

        with pytest.raises(ValidationError):
            services.thread_assign(
                thread=thread, assignee=outsider, by=manager, seen_claimed_by_id=None
            )

        assert Thread.objects.get(pk=thread.pk).claimed_by is None

    def test_thread_assign_refuses_a_solved_question(self, advisor, colleague, manager):
        thread = factories.solved_thread(author=advisor, answerer=colleague)

        with pytest.raises(PermissionDenied):
            services.thread_assign(
                thread=thread, assignee=colleague, by=manager, seen_claimed_by_id=None
            )


class TestCallbackReassign:
    def test_callback_reassign_moves_it_and_records_who(self, advisor, colleague, manager):
        callback = factories.callback(requester=advisor, assignee=advisor)

        services.callback_reassign(
            callback=callback, assignee=colleague, by=manager, seen_assignee_id=advisor.pk
        )

        callback.refresh_from_db()
        assert callback.assignee == colleague
        event = callback.events.get(kind=CallbackEvent.Kind.ASSIGNED)
        assert event.actor == manager
        assert Notification.objects.filter(recipient=colleague, verb="callback_assigned").exists()

    def test_callback_reassign_refuses_a_stale_view(self, advisor, colleague, manager):
        callback = factories.callback(requester=advisor, assignee=advisor)

        with pytest.raises(ValidationError) as exc:
            services.callback_reassign(
                callback=callback, assignee=colleague, by=manager, seen_assignee_id=None
            )

        assert exc.value.code == "stale"
        assert Callback.objects.get(pk=callback.pk).assignee == advisor
        assert not callback.events.filter(kind=CallbackEvent.Kind.ASSIGNED).exists()

    def test_callback_reassign_refuses_an_advisor(self, advisor, colleague):
        callback = factories.callback(requester=advisor, assignee=advisor)

        with pytest.raises(PermissionDenied):
            services.callback_reassign(
                callback=callback, assignee=colleague, by=colleague, seen_assignee_id=advisor.pk
            )

        assert Callback.objects.get(pk=callback.pk).assignee == advisor


def test_can_assign_thread_every_branch(advisor, colleague, manager, superuser):
    thread = factories.thread(author=advisor)
    solved = factories.solved_thread(author=advisor, answerer=colleague)

    assert permissions.can_assign_thread(manager, thread)
    assert permissions.can_assign_thread(superuser, thread)
    assert not permissions.can_assign_thread(advisor, thread)  # not even the asker
    assert not permissions.can_assign_thread(manager, solved)
    manager.is_active = False
    assert not permissions.can_assign_thread(manager, thread)


def test_managers_may_reassign_callbacks(advisor, manager, editor):
    """The role migration grants managers (only) the right to change a callback's assignee."""
    callback = factories.callback(requester=advisor, assignee=advisor)

    assert permissions.can_assign_callback(manager, callback)
    assert not permissions.can_assign_callback(advisor, callback)
    assert not permissions.can_assign_callback(editor, callback)


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference_data_tx")
class TestTwoManagersAtOnce:
    """Two managers looking at the same team view choose different colleagues at once:
    one change wins, the other is refused as stale; nothing is overwritten unseen."""

    def test_thread_assign_concurrent_one_wins(
        self, advisor, colleague, editor, manager, django_user_model
    ):
        other_manager = make_user(django_user_model, "esihenkilo2", roles.MANAGER)
        thread = factories.thread(author=advisor)

        results = run_at_once(
            lambda: services.thread_assign(
                thread=thread, assignee=colleague, by=manager, seen_claimed_by_id=None
            ),
            lambda: services.thread_assign(
                thread=thread, assignee=editor, by=other_manager, seen_claimed_by_id=None
            ),
        )

        winners = [r for r in results if isinstance(r, Thread)]
        losers = [r for r in results if isinstance(r, ValidationError)]
        assert len(winners) == 1 and len(losers) == 1, results
        assert losers[0].code == "stale"
        thread.refresh_from_db()
        assert thread.claimed_by == winners[0].claimed_by

    def test_callback_reassign_concurrent_one_wins(
        self, advisor, colleague, editor, manager, django_user_model
    ):
        other_manager = make_user(django_user_model, "esihenkilo2", roles.MANAGER)
        callback = factories.callback(requester=advisor, assignee=advisor)

        results = run_at_once(
            lambda: services.callback_reassign(
                callback=callback, assignee=colleague, by=manager, seen_assignee_id=advisor.pk
            ),
            lambda: services.callback_reassign(
                callback=callback, assignee=editor, by=other_manager, seen_assignee_id=advisor.pk
            ),
        )

        winners = [r for r in results if isinstance(r, Callback)]
        losers = [r for r in results if isinstance(r, ValidationError)]
        assert len(winners) == 1 and len(losers) == 1, results
        callback.refresh_from_db()
        assert callback.assignee == winners[0].assignee
        assert callback.events.filter(kind=CallbackEvent.Kind.ASSIGNED).count() == 1
