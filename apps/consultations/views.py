"""Views of "Kysy kollegalta": parse a form, check a predicate, call one service or
selector, render. htmx requests get the page's partial (``template#name``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import reswap, retarget

from apps.accounts import selectors as account_selectors
from apps.catalogue import selectors as catalogue_selectors
from apps.core.http import AuthenticatedHttpRequest
from apps.core.permissions import ensure, require

from . import permissions, selectors, services
from .forms import (
    AnswerEditForm,
    AnswerForm,
    BoardFilterForm,
    CallbackForm,
    FaqItemForm,
    LinkEntriesForm,
    ThreadEditForm,
    ThreadForm,
)
from .models import Answer, Callback, Thread

if TYPE_CHECKING:
    pass


def _thread(pk: int) -> Thread:
    try:
        return selectors.thread_detail(pk=pk)
    except Thread.DoesNotExist as exc:
        raise Http404 from exc


def _error_text(exc: ValidationError) -> str:
    return " ".join(exc.messages)


# --- Board --------------------------------------------------------------------------


@require_GET
@require(permissions.can_view_threads)
def board(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = BoardFilterForm(request.GET or None)
    filters = form.filters() if request.GET else selectors.BoardFilters()
    context = {
        "form": form,
        "threads": selectors.thread_board(user=request.user, filters=filters),
        "callbacks": selectors.callback_board(user=request.user),
        "now": timezone.now(),
        "poll_query": request.GET.urlencode(),
    }
    template = "consultations/board.html"
    if request.htmx and request.htmx.target in ("board", "board-live"):
        template += "#board"
    return render(request, template, context)


# --- Asking -------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@require(permissions.can_ask)
def ask(request: AuthenticatedHttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = ThreadForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                thread = services.thread_create(
                    author=request.user,
                    title=data["title"],
                    body=data["body"],
                    service_line=data["service_line"],
                    municipality=data["municipality"],
                    urgency=data["urgency"],
                    entries=data["entries"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Kysymys lähetettiin kollegoille."))
                return redirect(thread)
    else:
        lines = account_selectors.user_service_lines(user=request.user)[:1]
        municipality = catalogue_selectors.current_municipality(request)
        form = ThreadForm(
            initial={
                "service_line": lines[0].pk if lines else None,
                "municipality": municipality.pk if municipality else None,
                "title": request.GET.get("title", ""),
            }
        )
    return render(request, "consultations/ask.html", {"form": form})


@require_GET
@require(permissions.can_view_threads)
def suggestions(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Similar threads (open or solved) and the catalogue entries the search finds for the
    title while it is typed, in the form's municipality."""
    title = request.GET.get("title", "")[:200]
    place = catalogue_selectors.municipality_param(request, request.GET.getlist("municipality"))
    context = {
        "title": title,
        "similar_threads": selectors.similar_threads(title=title),
        "similar_entries": selectors.similar_entries(
            title=title, municipality=place.municipality.pk if place.municipality else ""
        ),
    }
    return render(request, "consultations/partials/suggestions.html", context)


# --- A thread -----------------------------------------------------------------------


def _thread_context(
    request: AuthenticatedHttpRequest, thread: Thread, **extra: Any
) -> dict[str, Any]:
    user = request.user
    answers = list(thread.answers.all())
    return {
        "thread": thread,
        "answers": answers,
        "answer_form": extra.pop("answer_form", None) or AnswerForm(),
        "following": selectors.thread_is_following(thread=thread, user=user),
        "can_answer": permissions.can_answer(user, thread),
        "can_edit": permissions.can_edit_thread(user, thread),
        "can_mark_solution": permissions.can_mark_solution(user, thread),
        "can_claim": permissions.can_claim(user, thread),
        "can_release": permissions.can_release_claim(user, thread),
        "can_curate": permissions.can_curate(user, thread),
        "can_request_callback": permissions.can_request_callback(user),
        "editable_answers": {a.pk for a in answers if permissions.can_edit_answer(user, a)},
        "now": timezone.now(),
        **extra,
    }


@require_GET
@require(permissions.can_view_threads)
def thread_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    thread = _thread(pk)
    template = "consultations/thread_detail.html"
    if request.htmx and request.htmx.target == "thread-live":
        template += "#live"
    return render(request, template, _thread_context(request, thread))


def _live_response(request: AuthenticatedHttpRequest, pk: int, *, error: str = "") -> HttpResponse:
    thread = _thread(pk)
    return render(
        request,
        "consultations/thread_detail.html#live",
        _thread_context(request, thread, live_error=error),
    )


@require_POST
@require(permissions.can_view_threads)
def answer_post(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    thread = get_object_or_404(Thread, pk=pk)
    ensure(permissions.can_answer(request.user, thread))
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            answer = services.answer_post(
                thread=thread,
                author=request.user,
                body=form.cleaned_data["body"],
                kind=form.cleaned_data["kind"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if not request.htmx:
                return redirect(answer.get_absolute_url())
            context = _thread_context(request, _thread(pk), oob=True)
            return HttpResponse(
                render_to_string("consultations/thread_detail.html#live", context, request)
                + render_to_string("consultations/thread_detail.html#answer_form", context, request)
            )
    context = _thread_context(request, _thread(pk), answer_form=form)
    if request.htmx:
        response = render(request, "consultations/thread_detail.html#answer_form", context)
        return reswap(retarget(response, "#answer-form"), "outerHTML")
    return render(request, "consultations/thread_detail.html", context, status=400)


def _thread_action(
    request: AuthenticatedHttpRequest, pk: int, action: Callable[[Thread], Any], done: str
) -> HttpResponse:
    thread = get_object_or_404(Thread, pk=pk)
    error = ""
    try:
        action(thread)
    except ValidationError as exc:
        error = _error_text(exc)
    if request.htmx:
        return _live_response(request, pk, error=error)
    if error:
        messages.error(request, error)
    elif done:
        messages.success(request, done)
    return redirect(thread)


@require_POST
@require(permissions.can_view_threads)
def claim(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _thread_action(
        request,
        pk,
        lambda t: services.thread_claim(thread=t, user=request.user),
        _("Otit kysymyksen selvitettäväksi."),
    )


@require_POST
@require(permissions.can_view_threads)
def release(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _thread_action(
        request,
        pk,
        lambda t: services.thread_release(thread=t, user=request.user),
        _("Kysymys vapautettiin muiden selvitettäväksi."),
    )


@require_POST
@require(permissions.can_view_threads)
def follow(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    if request.POST.get("follow") == "0":
        action = lambda t: services.thread_unfollow(thread=t, user=request.user)  # noqa: E731
    else:
        action = lambda t: services.thread_follow(thread=t, user=request.user)  # noqa: E731
    return _thread_action(request, pk, action, "")


@require_POST
@require(permissions.can_view_threads)
def solve(request: AuthenticatedHttpRequest, pk: int, answer_pk: int) -> HttpResponse:
    thread = get_object_or_404(Thread, pk=pk)
    answer = get_object_or_404(Answer, pk=answer_pk, thread=thread)
    ensure(permissions.can_mark_solution(request.user, thread))
    return _thread_action(
        request,
        pk,
        lambda t: services.thread_solve(thread=t, answer=answer, by=request.user),
        _("Vastaus merkittiin ratkaisuksi."),
    )


@require_http_methods(["GET", "POST"])
@require(permissions.can_view_threads)
def thread_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    thread = get_object_or_404(selectors.thread_edit_queryset(), pk=pk)
    ensure(permissions.can_edit_thread(request.user, thread))
    conflict = None
    if request.method == "POST":
        form = ThreadEditForm(request.POST, instance=thread)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.thread_update(
                    thread=thread,
                    editor=request.user,
                    base_version=data["base_version"],
                    title=data["title"],
                    body=data["body"],
                    service_line=data["service_line"],
                    urgency=data["urgency"],
                    municipality=data["municipality"],
                )
            except services.EditConflict as exc:
                conflict = exc
                form = _rebased(form, exc.current.version)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Muutokset tallennettiin."))
                return redirect(thread)
    else:
        form = ThreadEditForm(instance=thread, initial={"base_version": thread.version})
    return render(
        request,
        "consultations/thread_edit.html",
        {"thread": thread, "form": form, "conflict": conflict},
    )


def _rebased(form: Any, version: int) -> Any:
    """The writer's text again, now based on the current version, so saving once more
    deliberately overwrites; the conflict notice shows what the others saved."""
    data = form.data.copy()
    data["base_version"] = str(version)
    rebased = type(form)(data, **({"instance": form.instance} if hasattr(form, "instance") else {}))
    rebased.is_valid()
    return rebased


@require_http_methods(["GET", "POST"])
@require(permissions.can_view_threads)
def answer_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    answer = get_object_or_404(selectors.answer_edit_queryset(), pk=pk)
    ensure(permissions.can_edit_answer(request.user, answer))
    conflict = None
    if request.method == "POST":
        form = AnswerEditForm(request.POST)
        if form.is_valid():
            try:
                services.answer_update(
                    answer=answer,
                    editor=request.user,
                    base_version=form.cleaned_data["base_version"],
                    body=form.cleaned_data["body"],
                )
            except services.EditConflict as exc:
                conflict = exc
                form = _rebased(form, exc.current.version)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Vastaus päivitettiin."))
                return redirect(answer.get_absolute_url())
    else:
        form = AnswerEditForm(initial={"body": answer.body, "base_version": answer.version})
    return render(
        request,
        "consultations/answer_edit.html",
        {"answer": answer, "thread": answer.thread, "form": form, "conflict": conflict},
    )


@require_GET
@require(permissions.can_view_threads)
def history(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    thread = get_object_or_404(Thread, pk=pk)
    return render(
        request,
        "consultations/history.html",
        {"thread": thread, **selectors.thread_history(thread=thread)},
    )


# --- Knowledge loop -----------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@require(permissions.can_view_threads)
def curate(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Link a solved thread to entries and turn its solution into a FAQ item."""
    thread = _thread(pk)
    ensure(permissions.can_curate(request.user, thread))
    solution = thread.solution
    faq_form = FaqItemForm(
        thread=thread,
        initial={"question": thread.title, "answer": solution.body if solution else ""},
    )
    link_form = LinkEntriesForm()
    if request.method == "POST" and request.POST.get("action") == "link":
        link_form = LinkEntriesForm(request.POST)
        if link_form.is_valid():
            services.thread_link_entries(
                thread=thread, by=request.user, entries=link_form.cleaned_data["entries"]
            )
            messages.success(request, _("Kysymys liitettiin palveluihin."))
            return redirect("consultations:curate", pk=pk)
    elif request.method == "POST":
        faq_form = FaqItemForm(request.POST, thread=thread)
        if faq_form.is_valid():
            data = faq_form.cleaned_data
            try:
                item = services.faq_item_create(
                    thread=thread,
                    entry=data["entry"],
                    question=data["question"],
                    answer=data["answer"],
                    by=request.user,
                )
            except ValidationError as exc:
                faq_form.add_error(None, exc)
            else:
                messages.success(request, _("Usein kysytty -kohta lisättiin palveluun."))
                return redirect(item.entry)
    return render(
        request,
        "consultations/curate.html",
        {"thread": thread, "faq_form": faq_form, "link_form": link_form},
    )


# --- Callbacks ----------------------------------------------------------------------


@require_GET
@require(permissions.can_view_threads)
def callback_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    include_done = request.GET.get("kaikki") == "1"
    return render(
        request,
        "consultations/callback_list.html",
        {
            "callbacks": selectors.callback_list(user=request.user, include_done=include_done),
            "include_done": include_done,
            "now": timezone.now(),
        },
    )


@require_http_methods(["GET", "POST"])
@require(permissions.can_request_callback)
def callback_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    thread = None
    thread_pk = request.POST.get("thread") or request.GET.get("kysymys")
    if thread_pk and str(thread_pk).isdigit():
        thread = selectors.thread_or_none(pk=int(thread_pk))
    if request.method == "POST":
        form = CallbackForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                callback = services.callback_create(
                    requester=request.user,
                    assignee=data["assignee"],
                    service_line=data["service_line"],
                    due_at=data["due_at"],
                    reason=data["reason"],
                    phone=data["phone"],
                    thread=thread,
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Soittopyyntö lähetettiin."))
                return redirect(callback)
    else:
        form = CallbackForm(initial={"service_line": thread.service_line_id if thread else None})
    return render(request, "consultations/callback_form.html", {"form": form, "thread": thread})


def _callback_for(request: AuthenticatedHttpRequest, pk: int) -> Callback:
    try:
        callback = selectors.callback_detail(pk=pk)
    except Callback.DoesNotExist as exc:
        raise Http404 from exc
    ensure(permissions.can_view_callback(request.user, callback))
    return callback


@require_GET
def callback_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    callback = _callback_for(request, pk)
    user = request.user
    show_phone = permissions.can_see_callback_phone(user, callback)
    # Showing the number is recorded (a "viewed" event) before the page is rendered.
    phone = services.callback_phone_show(callback=callback, user=user) if show_phone else ""
    response = render(
        request,
        "consultations/callback_detail.html",
        {
            "callback": callback,
            "show_phone": show_phone,
            "phone": phone,
            "can_take": permissions.can_take_callback(user, callback),
            "can_complete": permissions.can_complete_callback(user, callback),
            "now": timezone.now(),
        },
    )
    # The page may hold a customer's number: never keep it in a shared cache.
    response["Cache-Control"] = "no-store, private"
    return response


@require_POST
def callback_take(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    callback = _callback_for(request, pk)
    try:
        services.callback_take(callback=callback, user=request.user)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("Soittopyyntö on nyt sinulla."))
    return redirect(callback)


@require_POST
def callback_complete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    callback = _callback_for(request, pk)
    ensure(permissions.can_complete_callback(request.user, callback))
    services.callback_complete(callback=callback, user=request.user)
    messages.success(request, _("Soittopyyntö merkittiin hoidetuksi."))
    return redirect(callback)
