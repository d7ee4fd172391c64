"""The desk: the front page, per role, made of panels that refresh on their own.

Each panel is a ``{% partialdef %}`` of ``desk/home.html`` with its own GET endpoint
(``desk:panel``). A panel reloads when the live stream dispatches one of its
``live:<kind>`` events on ``<body>``, and by polling when no stream runs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from apps.catalogue import permissions as catalogue_permissions
from apps.consultations import permissions as consultation_permissions
from apps.consultations import services as consultation_services
from apps.consultations.models import Callback, Thread
from apps.contacts import permissions as contact_permissions
from apps.core.permissions import ensure, require

from . import permissions, selectors
from .forms import AssignForm

if TYPE_CHECKING:
    from apps.accounts.models import User
    from apps.core.http import AuthenticatedHttpRequest

type Predicate = Callable[[User | AnonymousUser], bool]


@dataclass(frozen=True)
class Row[T]:
    """A listed object and whether the viewer may act on it (claim, reassign)."""

    obj: T
    may_act: bool


def _anyone(user: User | AnonymousUser) -> bool:
    return user.is_authenticated


def _waiting(user: User) -> dict[str, object]:
    threads = selectors.waiting_questions(user=user)
    return {"waiting": [Row(t, consultation_permissions.can_claim(user, t)) for t in threads]}


def _answerable(user: User) -> dict[str, object]:
    threads = selectors.answerable_questions(user=user)
    return {"answerable": [Row(t, consultation_permissions.can_claim(user, t)) for t in threads]}


def _team_callbacks(user: User) -> dict[str, object]:
    return {
        "team_callbacks": [
            Row(c, consultation_permissions.can_assign_callback(user, c))
            for c in selectors.team_callbacks()
        ],
    }


def _team_questions(user: User) -> dict[str, object]:
    return {
        "team_questions": [
            Row(t, consultation_permissions.can_assign_thread(user, t))
            for t in selectors.team_questions()
        ],
    }


@dataclass(frozen=True)
class Panel:
    allowed: Predicate
    context: Callable[[User], dict[str, object]]


# In the order the page shows them; a content editor's upkeep comes first.
PANELS: dict[str, Panel] = {
    "overdue": Panel(
        catalogue_permissions.can_edit_entries,
        lambda u: {"overdue": selectors.overdue_entries(user=u)},
    ),
    "reports": Panel(
        catalogue_permissions.can_edit_entries,
        lambda u: {"reports": selectors.problem_reports(user=u)},
    ),
    "waiting": Panel(consultation_permissions.can_view_threads, _waiting),
    "claimed": Panel(
        consultation_permissions.can_view_threads,
        lambda u: {"claimed": selectors.claimed_questions(user=u)},
    ),
    "callbacks": Panel(
        consultation_permissions.can_view_threads,
        lambda u: {"callbacks": selectors.my_callbacks(user=u)},
    ),
    "answerable": Panel(consultation_permissions.can_view_threads, _answerable),
    "team_questions": Panel(permissions.can_view_team, _team_questions),
    "team_callbacks": Panel(permissions.can_view_team, _team_callbacks),
    "tally": Panel(
        contact_permissions.can_record_contact,
        lambda u: {"tally": selectors.day_tally(user=u)},
    ),
    "recent": Panel(
        contact_permissions.can_record_contact,
        lambda u: {"recent": selectors.recent_entries(user=u)},
    ),
    "stories": Panel(_anyone, lambda u: {"stories": selectors.latest_stories()}),
}


TEAM_PANELS = {"team_questions", "team_callbacks"}


def _panels_context(user: User, names: list[str]) -> dict[str, object]:
    context: dict[str, object] = {"now": timezone.now(), "panels": names}
    for name in names:
        context.update(PANELS[name].context(user))
    if TEAM_PANELS & set(names):
        context["staff"] = selectors.assignable_staff()  # once for both team panels
    return context


@require_GET
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The desk: every panel the user may see."""
    user = request.user
    names = [name for name, panel in PANELS.items() if panel.allowed(user)]
    return render(request, "desk/home.html", _panels_context(user, names))


@require_GET
def panel(request: AuthenticatedHttpRequest, name: str) -> HttpResponse:
    """One panel, for htmx to swap in (the live stream's events and polling)."""
    spec = PANELS.get(name)
    if spec is None:
        raise Http404
    ensure(spec.allowed(request.user))
    return render(request, f"desk/home.html#{name}", _panels_context(request.user, [name]))


def _after_assign(
    request: AuthenticatedHttpRequest, name: str, error: str, done: str
) -> HttpResponse:
    if request.htmx:
        context = _panels_context(request.user, [name])
        context["error"] = {name: error}
        return render(request, f"desk/home.html#{name}", context)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, done)
    return redirect("home")


def _error_text(exc: ValidationError) -> str:
    return " ".join(exc.messages)


@require_POST
@require(permissions.can_view_team)
def thread_assign(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Hand a question to a colleague, or free it (the team view)."""
    thread = get_object_or_404(Thread, pk=pk)
    ensure(consultation_permissions.can_assign_thread(request.user, thread))
    form = AssignForm(request.POST)
    error = ""
    if not form.is_valid():
        error = _("Valitse kollega listalta.")
    else:
        try:
            consultation_services.thread_assign(
                thread=thread,
                assignee=form.cleaned_data["assignee"],
                by=request.user,
                seen_claimed_by_id=form.cleaned_data["seen"],
            )
        except ValidationError as exc:
            error = _error_text(exc)
    return _after_assign(request, "team_questions", error, _("Kysymyksen selvittäjä vaihdettiin."))


@require_POST
@require(permissions.can_view_team)
def callback_assign(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Hand a callback to a colleague, or back to its line (the team view)."""
    callback = get_object_or_404(Callback, pk=pk)
    ensure(consultation_permissions.can_assign_callback(request.user, callback))
    form = AssignForm(request.POST)
    error = ""
    if not form.is_valid():
        error = _("Valitse kollega listalta.")
    else:
        try:
            consultation_services.callback_reassign(
                callback=callback,
                assignee=form.cleaned_data["assignee"],
                by=request.user,
                seen_assignee_id=form.cleaned_data["seen"],
            )
        except ValidationError as exc:
            error = _error_text(exc)
    return _after_assign(request, "team_callbacks", error, _("Soittopyynnön soittaja vaihdettiin."))
