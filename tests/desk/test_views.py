"""The desk (front page) per role, its panel endpoints and the team view's reassignment."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.consultations.models import Callback, Thread, Urgency
from apps.desk.views import PANELS
from apps.stories.models import Story
from tests.catalogue import factories as catalogue_factories
from tests.consultations import factories
from tests.stories.factories import story

pytestmark = pytest.mark.django_db

State = Story.State
WAITING = Urgency.WAITING
HTMX = {"HX-Request": "true"}


@pytest.fixture
def lines(advisor, colleague):
    mine, other = factories.line("vammaispalvelut"), factories.line("ikaihmiset")
    advisor.service_lines.add(mine)
    colleague.service_lines.add(other)
    return mine, other


def _panel(name: str) -> str:
    return reverse("desk:panel", args=[name])


def _desk_content(rows: int, *, advisor, colleague, manager, editor, lines) -> None:
    """``rows`` of everything every panel lists, for the fixed-query-count tests."""
    mine, other = lines
    for _ in range(rows):
        factories.thread(author=colleague, service_line=mine, urgency=WAITING)
        factories.thread(author=colleague, service_line=other, urgency=WAITING)
        answered = factories.thread(author=colleague, service_line=mine)
        factories.answer(thread=answered, author=manager)
        factories.thread(author=colleague, service_line=mine, claimed_by=advisor)
        factories.callback(requester=colleague, assignee=advisor)
        factories.callback(requester=advisor, service_line=other)
        story(author=advisor, state=State.PUBLISHED)
        entry = catalogue_factories.entry(owner=editor, last_reviewed=None)
        catalogue_factories.problem_report(entry, reporter=advisor)


class TestHome:
    def test_home_shows_the_latest_published_stories_only(self, client, advisor):
        story(author=advisor, state=State.PUBLISHED, title="Julkaistu onnistuminen")
        story(author=advisor, state=State.SUBMITTED, title="Odottava tarina")
        story(author=advisor, state=State.ARCHIVED, title="Arkistoitu tarina")
        client.force_login(advisor)

        body = client.get(reverse("home")).content.decode()

        assert "Julkaistu onnistuminen" in body
        assert "Odottava tarina" not in body
        assert "Arkistoitu tarina" not in body
        assert reverse("stories:list") in body

    def test_home_requires_login(self, client):
        response = client.get(reverse("home"))

        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))

    def test_advisor_desk_my_lines_and_my_callbacks_only(self, client, advisor, colleague, lines):
        mine, other = lines
        factories.thread(
            author=colleague, title="Odottaa minun linjallani", service_line=mine, urgency=WAITING
        )
        factories.thread(
            author=colleague, title="Odottaa toisella linjalla", service_line=other, urgency=WAITING
        )
        factories.callback(requester=colleague, assignee=advisor, reason="Minulle soitettavaksi")
        factories.callback(requester=advisor, assignee=colleague, reason="Kollegan soitettavaksi")
        client.force_login(advisor)

        body = client.get(reverse("home")).content.decode()

        assert "Odottaa minun linjallani" in body
        assert "Odottaa toisella linjalla" not in body
        assert "Minulle soitettavaksi" in body
        assert "Kollegan soitettavaksi" not in body
        assert 'id="desk-team_questions"' not in body
        assert 'id="desk-overdue"' not in body
        assert "040 123 4567" not in body

    def test_advisor_claims_from_the_desk_with_the_claim_service(
        self, client, advisor, colleague, lines
    ):
        thread = factories.thread(author=colleague, service_line=lines[0], urgency=WAITING)
        client.force_login(advisor)
        body = client.get(reverse("home")).content.decode()
        claim_url = reverse("consultations:claim", args=[thread.pk])
        assert f'action="{claim_url}"' in body

        response = client.post(claim_url)

        assert response.status_code == 302
        thread.refresh_from_db()
        assert thread.claimed_by == advisor
        assert thread.title in client.get(_panel("claimed"), headers=HTMX).content.decode()

    def test_manager_desk_has_the_team_view(self, client, advisor, colleague, manager, lines):
        factories.thread(author=colleague, title="Toisen linjan kysymys", service_line=lines[1])
        factories.callback(requester=colleague, assignee=advisor, reason="Neuvojan soitto")
        client.force_login(manager)

        body = client.get(reverse("home")).content.decode()

        assert 'id="desk-team_questions"' in body
        assert "Toisen linjan kysymys" in body
        assert "Neuvojan soitto" in body
        assert reverse("desk:callback_assign", args=[Callback.objects.get().pk]) in body

    def test_editor_desk_upkeep_comes_first(self, client, editor, advisor):
        entry = catalogue_factories.entry(
            title="Tarkistamaton kortti", owner=editor, last_reviewed=None
        )
        catalogue_factories.problem_report(
            entry, reporter=advisor, what_is_wrong="Osoite on vaihtunut."
        )
        client.force_login(editor)

        body = client.get(reverse("home")).content.decode()

        assert "Tarkistamaton kortti" in body
        assert "Osoite on vaihtunut." in body
        assert body.index('id="desk-overdue"') < body.index('id="desk-reports"')
        assert body.index('id="desk-reports"') < body.index('id="desk-waiting"')


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("advisor", 13),
        ("editor", 13),
        ("manager", 16),
    ],
)
def test_home_query_count_is_fixed(
    request,
    role,
    expected,
    client,
    advisor,
    colleague,
    manager,
    editor,
    lines,
    django_assert_num_queries,
):
    people = {"advisor": advisor, "colleague": colleague, "manager": manager, "editor": editor}
    user = request.getfixturevalue(role)
    client.force_login(user)
    _desk_content(1, lines=lines, **{k: v for k, v in people.items()})
    client.get(reverse("home"))  # warm the session and caches
    with django_assert_num_queries(expected):
        client.get(reverse("home"))
    _desk_content(3, lines=lines, **{k: v for k, v in people.items()})
    with django_assert_num_queries(expected):
        client.get(reverse("home"))


class TestPanels:
    @pytest.mark.parametrize("name", list(PANELS))
    def test_each_panel_is_a_fragment_with_a_fixed_query_count(
        self,
        name,
        client,
        advisor,
        colleague,
        manager,
        editor,
        superuser,
        lines,
        django_assert_num_queries,
    ):
        """A superuser sees every panel; the rows are there for each panel to list."""
        people = {"advisor": advisor, "colleague": colleague, "manager": manager, "editor": editor}
        superuser.service_lines.add(*lines)
        client.force_login(superuser)
        _desk_content(1, lines=lines, **people)
        response = client.get(_panel(name), headers=HTMX)
        body = response.content.decode()
        assert response.status_code == 200
        assert "<html" not in body
        assert f'id="desk-{name}"' in body
        assert f'hx-get="{_panel(name)}"' in body
        with django_assert_num_queries(PANEL_QUERIES[name]):
            client.get(_panel(name), headers=HTMX)
        _desk_content(3, lines=lines, **people)
        with django_assert_num_queries(PANEL_QUERIES[name]):
            client.get(_panel(name), headers=HTMX)

    def test_unknown_panel_is_404(self, client, advisor):
        client.force_login(advisor)

        assert client.get(_panel("ei-ole")).status_code == 404

    @pytest.mark.parametrize("name", ["team_questions", "team_callbacks"])
    def test_team_panels_refuse_an_advisor(self, name, client, advisor):
        client.force_login(advisor)

        assert client.get(_panel(name), headers=HTMX).status_code == 403

    @pytest.mark.parametrize("name", ["overdue", "reports"])
    def test_upkeep_panels_refuse_an_advisor(self, name, client, advisor):
        client.force_login(advisor)

        assert client.get(_panel(name), headers=HTMX).status_code == 403

    def test_panels_listen_to_the_live_stream(self, client, advisor, lines):
        client.force_login(advisor)

        body = client.get(reverse("home")).content.decode()

        assert "live:question.posted from:body" in body
        assert "live:callback.assigned from:body" in body


class TestThreadAssign:
    def test_manager_reassigns_a_question_htmx_gets_the_panel(
        self, client, advisor, colleague, manager, lines
    ):
        thread = factories.thread(author=advisor, service_line=lines[0], claimed_by=advisor)
        client.force_login(manager)
        url = reverse("desk:thread_assign", args=[thread.pk])

        response = client.post(url, {"assignee": colleague.pk, "seen": advisor.pk}, headers=HTMX)

        assert response.status_code == 200
        body = response.content.decode()
        assert "<html" not in body and 'id="desk-team_questions"' in body
        thread.refresh_from_db()
        assert thread.claimed_by == colleague

    def test_a_stale_view_changes_nothing_and_says_so(
        self, client, advisor, colleague, manager, editor, lines
    ):
        thread = factories.thread(author=advisor, service_line=lines[0], claimed_by=editor)
        client.force_login(manager)

        response = client.post(
            reverse("desk:thread_assign", args=[thread.pk]),
            {"assignee": colleague.pk, "seen": ""},
            headers=HTMX,
        )

        assert "Selvittäjä ehti vaihtua" in response.content.decode()
        assert Thread.objects.get(pk=thread.pk).claimed_by == editor

    def test_without_htmx_it_redirects_to_the_desk(self, client, advisor, colleague, manager):
        thread = factories.thread(author=advisor)
        client.force_login(manager)

        response = client.post(
            reverse("desk:thread_assign", args=[thread.pk]), {"assignee": colleague.pk}
        )

        assert response.status_code == 302 and response.url == reverse("home")
        assert Thread.objects.get(pk=thread.pk).claimed_by == colleague

    def test_an_unknown_assignee_is_refused(self, client, advisor, manager):
        thread = factories.thread(author=advisor)
        client.force_login(manager)

        response = client.post(
            reverse("desk:thread_assign", args=[thread.pk]), {"assignee": 999999}, headers=HTMX
        )

        assert "Valitse kollega listalta." in response.content.decode()
        assert Thread.objects.get(pk=thread.pk).claimed_by is None

    def test_an_advisor_may_not(self, client, advisor, colleague):
        thread = factories.thread(author=colleague)
        client.force_login(advisor)

        response = client.post(
            reverse("desk:thread_assign", args=[thread.pk]), {"assignee": advisor.pk}
        )

        assert response.status_code == 403
        assert Thread.objects.get(pk=thread.pk).claimed_by is None


class TestCallbackAssign:
    def test_manager_reassigns_a_callback(self, client, advisor, colleague, manager):
        callback = factories.callback(requester=advisor, assignee=advisor)
        client.force_login(manager)

        response = client.post(
            reverse("desk:callback_assign", args=[callback.pk]),
            {"assignee": colleague.pk, "seen": advisor.pk},
            headers=HTMX,
        )

        body = response.content.decode()
        assert 'id="desk-team_callbacks"' in body and "<html" not in body
        assert "040 123 4567" not in body
        assert Callback.objects.get(pk=callback.pk).assignee == colleague

    def test_back_to_the_line(self, client, advisor, colleague, manager, lines):
        callback = factories.callback(requester=advisor, assignee=colleague, service_line=lines[0])
        client.force_login(manager)

        client.post(
            reverse("desk:callback_assign", args=[callback.pk]),
            {"assignee": "", "seen": colleague.pk},
            headers=HTMX,
        )

        assert Callback.objects.get(pk=callback.pk).assignee is None

    def test_an_advisor_may_not(self, client, advisor, colleague):
        callback = factories.callback(requester=colleague, assignee=colleague)
        client.force_login(advisor)

        response = client.post(
            reverse("desk:callback_assign", args=[callback.pk]),
            {"assignee": advisor.pk, "seen": colleague.pk},
        )

        assert response.status_code == 403
        assert Callback.objects.get(pk=callback.pk).assignee == colleague

    def test_a_done_callback_is_not_reassigned(self, client, advisor, colleague, manager):
        callback = factories.callback(
            requester=advisor, assignee=advisor, status="done", done_at=timezone.now()
        )
        client.force_login(manager)

        response = client.post(
            reverse("desk:callback_assign", args=[callback.pk]),
            {"assignee": colleague.pk, "seen": advisor.pk},
        )

        assert response.status_code == 403
        assert Callback.objects.get(pk=callback.pk).assignee == advisor


# Queries of one panel request (as a superuser: no permission look-ups): the session, the
# user, the header's municipality list (a context processor), then the panel's own one
# read; the team panels add the staff list for reassignment, stories their themes.
PANEL_QUERIES: dict[str, int] = {
    "overdue": 4,
    "reports": 4,
    "waiting": 4,
    "claimed": 4,
    "callbacks": 4,
    "answerable": 4,
    "team_questions": 5,
    "team_callbacks": 5,
    "tally": 4,
    "recent": 4,
    "stories": 5,
}
