from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from apps.consultations import permissions
from apps.consultations.models import Callback
from tests.consultations import factories

pytestmark = pytest.mark.django_db


class TestCallbackPhone:
    """Who may see a callback's number: the requester and the assignee, nobody else."""

    @pytest.fixture
    def setup(self, advisor, colleague, outsider, manager, superuser):
        line = factories.line()
        outsider.service_lines.add(line)
        callback = factories.callback(requester=advisor, assignee=colleague, service_line=line)
        return callback

    def test_requester_sees_it(self, setup, advisor):
        assert permissions.can_see_callback_phone(advisor, setup)

    def test_assignee_sees_it(self, setup, colleague):
        assert permissions.can_see_callback_phone(colleague, setup)

    def test_line_staff_sees_callback_but_not_number(self, setup, outsider):
        assert permissions.can_view_callback(outsider, setup)
        assert not permissions.can_see_callback_phone(outsider, setup)

    def test_manager_sees_callback_but_not_number(self, setup, manager):
        assert permissions.can_view_callback(manager, setup)
        assert not permissions.can_see_callback_phone(manager, setup)

    def test_superuser_does_not_see_number(self, setup, superuser):
        assert not permissions.can_see_callback_phone(superuser, setup)

    def test_anonymous_and_inactive_see_nothing(self, setup, advisor):
        assert not permissions.can_see_callback_phone(AnonymousUser(), setup)
        assert not permissions.can_view_callback(AnonymousUser(), setup)
        advisor.is_active = False
        assert not permissions.can_see_callback_phone(advisor, setup)

    def test_erased_number_is_seen_by_nobody(self, setup, advisor):
        setup.phone, setup.phone_erased_at = "", timezone.now()
        assert not permissions.can_see_callback_phone(advisor, setup)

    def test_unrelated_advisor_sees_nothing(self, setup, django_user_model):
        from tests.conftest import make_user

        stranger = make_user(django_user_model, "vieras", "Neuvoja")
        assert not permissions.can_view_callback(stranger, setup)
        assert not permissions.can_see_callback_phone(stranger, setup)


class TestMarkSolution:
    @pytest.fixture
    def thread(self, advisor):
        return factories.thread(author=advisor)

    def test_asker_may(self, thread, advisor):
        assert permissions.can_mark_solution(advisor, thread)

    def test_other_advisor_may_not(self, thread, colleague):
        assert not permissions.can_mark_solution(colleague, thread)

    def test_editor_may_not(self, thread, editor):
        assert not permissions.can_mark_solution(editor, thread)

    def test_manager_may(self, thread, manager):
        assert permissions.can_mark_solution(manager, thread)

    def test_superuser_may(self, thread, superuser):
        assert permissions.can_mark_solution(superuser, thread)

    def test_inactive_asker_may_not(self, thread, advisor):
        advisor.is_active = False
        assert not permissions.can_mark_solution(advisor, thread)

    def test_anonymous_may_not(self, thread):
        assert not permissions.can_mark_solution(AnonymousUser(), thread)


def test_can_take_callback_branches(advisor, colleague, outsider):
    line = factories.line()
    colleague.service_lines.add(line)
    line_callback = factories.callback(requester=advisor, service_line=line)
    assigned = factories.callback(requester=advisor, assignee=outsider, service_line=line)
    done = factories.callback(
        requester=advisor, service_line=line, status=Callback.Status.DONE, done_at=timezone.now()
    )

    assert permissions.can_take_callback(colleague, line_callback)
    assert not permissions.can_take_callback(outsider, line_callback)  # not on the line
    assert not permissions.can_take_callback(colleague, assigned)
    assert not permissions.can_take_callback(colleague, done)


def test_can_complete_callback_branches(advisor, colleague, outsider):
    callback = factories.callback(requester=advisor, assignee=colleague)
    assert permissions.can_complete_callback(colleague, callback)
    assert permissions.can_complete_callback(advisor, callback)
    assert not permissions.can_complete_callback(outsider, callback)
    callback.status = Callback.Status.DONE
    assert not permissions.can_complete_callback(colleague, callback)


def test_can_edit_thread_and_answer(advisor, colleague, manager):
    thread = factories.thread(author=advisor)
    answer = factories.answer(thread=thread, author=colleague)
    assert permissions.can_edit_thread(advisor, thread)
    assert not permissions.can_edit_thread(colleague, thread)
    assert permissions.can_edit_thread(manager, thread)
    assert permissions.can_edit_answer(colleague, answer)
    assert not permissions.can_edit_answer(advisor, answer)
    assert permissions.can_edit_answer(manager, answer)


def test_can_claim_and_release(advisor, colleague, manager):
    thread = factories.thread(author=advisor)
    assert permissions.can_claim(colleague, thread)
    assert not permissions.can_release_claim(colleague, thread)
    thread.claimed_by = colleague
    assert not permissions.can_claim(advisor, thread)
    assert permissions.can_release_claim(colleague, thread)
    assert not permissions.can_release_claim(advisor, thread)
    assert permissions.can_release_claim(manager, thread)


def test_can_curate_needs_faq_permission_and_solved_thread(advisor, colleague, editor, manager):
    solved = factories.solved_thread(author=advisor, answerer=colleague)
    open_thread = factories.thread(author=advisor)
    assert permissions.can_curate(editor, solved)
    assert not permissions.can_curate(editor, open_thread)
    assert not permissions.can_curate(advisor, solved)
    assert not permissions.can_curate(manager, solved)


@pytest.mark.parametrize("fixture", ["advisor", "editor", "manager"])
def test_every_role_may_ask_answer_and_request_callbacks(request, fixture):
    user = request.getfixturevalue(fixture)
    thread = factories.thread(author=user)
    assert permissions.can_view_threads(user)
    assert permissions.can_ask(user)
    assert permissions.can_answer(user, thread)
    assert permissions.can_request_callback(user)


def test_user_without_role_may_not_ask(django_user_model):
    from tests.conftest import make_user

    nobody = make_user(django_user_model, "eiroolia")
    assert not permissions.can_view_threads(nobody)
    assert not permissions.can_ask(nobody)
