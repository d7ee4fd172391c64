"""Success story pages. Thin: parse a form, check a permission, call one service or
selector, render. Every workflow POST checks the role first (403 for anyone else)."""

from __future__ import annotations

import mimetypes
import uuid
from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.forms import Form
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.audit import services as audit
from apps.core.http import AuthenticatedHttpRequest
from apps.core.permissions import ensure, require

from . import permissions, selectors, services
from .forms import (
    CommentForm,
    PeriodForm,
    ReturnForm,
    ScheduleForm,
    StoryFilterForm,
    StoryForm,
    TransitionCommentForm,
)
from .models import Story
from .services import StoryConflict

PAGE_SIZE = 20


def _visible_story(request: AuthenticatedHttpRequest, pk: int) -> Story:
    """The story, or 404 for anyone who may not see it (drafts are not disclosed)."""
    story = get_object_or_404(Story, pk=pk)
    if not permissions.can_view_story(request.user, story):
        raise Http404
    return story


# --- Reading ------------------------------------------------------------------------


@require_GET
def story_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = StoryFilterForm(request.GET)
    stories = selectors.story_list(**form.filters())
    page = Paginator(stories, PAGE_SIZE).get_page(request.GET.get("sivu"))
    template = "stories/story_list.html"
    if request.htmx:
        template += "#results"
    return render(
        request,
        template,
        {"form": form, "page": page, "can_write": permissions.can_write_story(request.user)},
    )


@require_GET
def story_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    try:
        story = selectors.story_for_page(pk=pk, user=request.user)
    except Story.DoesNotExist:
        raise Http404 from None
    if not permissions.can_view_story(request.user, story):
        raise Http404
    return render(request, "stories/story_detail.html", _detail_context(request, story))


def _detail_context(
    request: AuthenticatedHttpRequest, story: Story, **forms: Form
) -> dict[str, object]:
    user = request.user
    return {
        "story": story,
        "can": {
            "edit": permissions.can_edit_story(user, story),
            "submit": permissions.can_submit_story(user, story),
            "publish": permissions.can_publish_story(user, story),
            "schedule": permissions.can_schedule_story(user, story),
            "return": permissions.can_return_story(user, story),
            "archive": permissions.can_archive_story(user, story),
            "thank": permissions.can_thank_story(user, story),
            "comment": permissions.can_comment_story(user, story),
            "history": permissions.can_see_history(user, story),
        },
        "comment_form": forms.get("comment_form") or CommentForm(),
        "return_form": forms.get("return_form") or ReturnForm(),
        "schedule_form": forms.get("schedule_form")
        or ScheduleForm(
            initial={"publish_at": timezone.localtime(story.publish_at)}
            if story.publish_at
            else None
        ),
        "publish_form": TransitionCommentForm(prefix="publish"),
        "archive_form": TransitionCommentForm(prefix="archive"),
    }


@require_GET
def story_image(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    """The image, only to those who may see the story (MEDIA_ROOT is never served)."""
    story = _visible_story(request, pk)
    if not story.image:
        raise Http404
    content_type = mimetypes.guess_type(story.image.name or "")[0] or "application/octet-stream"
    response = FileResponse(story.image.open("rb"), content_type=content_type)
    response["Cache-Control"] = "private, max-age=86400"
    return response


# --- Writing ------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@require(permissions.can_write_story)
def story_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    if request.method == "GET":
        form = StoryForm(initial={"token": uuid.uuid4(), "version": 0})
        return _render_form(request, form, story=None)
    form = StoryForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render_form(request, form, story=None, status=422)
    token = form.cleaned_data["token"]
    if token is None:
        return HttpResponseBadRequest()
    try:
        story = services.story_create(
            author=request.user,
            token=token,
            content=form.content(),
            version=form.cleaned_data["version"],
            image=form.image_change(),
        )
    except StoryConflict as conflict:
        return _render_form(request, form, story=None, conflict=conflict.story, status=409)
    except ValidationError as exc:
        form.add_error(None, exc)
        return _render_form(request, form, story=None, status=422)
    return _after_save(request, story)


@require_http_methods(["GET", "POST"])
def story_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    story = _visible_story(request, pk)
    ensure(permissions.can_edit_story(request.user, story))
    if request.method == "GET":
        initial = {**StoryForm.initial_for(story), "session": uuid.uuid4()}
        return _render_form(request, StoryForm(story=story, initial=initial), story=story)
    form = StoryForm(request.POST, request.FILES, story=story)
    if not form.is_valid():
        return _render_form(request, form, story=story, status=422)
    try:
        story = services.story_update(
            story=story,
            actor=request.user,
            content=form.content(),
            version=form.cleaned_data["version"],
            session=form.cleaned_data["session"],
            image=form.image_change(),
        )
    except StoryConflict as conflict:
        return _render_form(request, form, story=story, conflict=conflict.story, status=409)
    except ValidationError as exc:
        form.add_error(None, exc)
        return _render_form(request, form, story=story, status=422)
    return _after_save(request, story)


def _after_save(request: AuthenticatedHttpRequest, story: Story) -> HttpResponse:
    if request.POST.get("action") != "submit":
        messages.success(request, _("Tarina tallennettiin."))
        return redirect(story)
    try:
        services.story_submit(story=story, actor=request.user)
    except ValidationError as exc:
        messages.error(
            request,
            _("Tarina tallennettiin luonnoksena, mutta sitä ei voitu lähettää. %(reason)s")
            % {"reason": _not_submitted(exc)},
        )
        return redirect("stories:edit", story.pk)
    except PermissionDenied:
        messages.success(request, _("Tarina tallennettiin."))
        return redirect(story)
    messages.success(request, _("Tarina lähetettiin esihenkilön julkaistavaksi."))
    return redirect(story)


def _not_submitted(exc: ValidationError) -> str:
    """ "Täytä ensin: Otsikko, Teemat." or the transition's own message."""
    if not hasattr(exc, "error_dict"):
        return " ".join(exc.messages)
    labels = [
        str(StoryForm.base_fields[name].label) if name in StoryForm.base_fields else name
        for name in exc.error_dict
    ]
    return _("Täytä ensin: %(fields)s.") % {"fields": ", ".join(labels)}


def _render_form(
    request: AuthenticatedHttpRequest,
    form: StoryForm,
    *,
    story: Story | None,
    conflict: Story | None = None,
    status: int = 200,
) -> HttpResponse:
    autosave = story is None or permissions.can_autosave_story(request.user, story)
    return render(
        request,
        "stories/story_form.html",
        {
            "form": form,
            "story": story,
            "conflict": conflict,
            "autosave": autosave,
            "unit_suggestions": selectors.known_units(),
        },
        status=status,
    )


@require_POST
@require(permissions.can_write_story)
def autosave_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Autosave on the create page: the first save makes the draft (by the form token)."""
    form = StoryForm(request.POST, autosave=True)
    if not form.is_valid() or form.cleaned_data["token"] is None:
        return _autosave_status(request, form=form, status=422)
    content = form.content()
    if content.is_empty() and form.cleaned_data["version"] == 0:
        return _autosave_status(request, form=form)  # nothing typed yet: nothing to save
    try:
        story = services.story_create(
            author=request.user,
            token=form.cleaned_data["token"],
            content=content,
            version=form.cleaned_data["version"],
        )
    except StoryConflict as conflict:
        return _autosave_status(request, form=form, conflict=conflict.story, status=409)
    except ValidationError as exc:
        form.add_error(None, exc)
        return _autosave_status(request, form=form, status=422)
    return _autosave_status(request, form=form, story=story)


@require_POST
def story_autosave(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    story = _visible_story(request, pk)
    ensure(
        permissions.can_author_story(request.user, story)
        or permissions.can_review_stories(request.user)
    )
    form = StoryForm(request.POST, story=story, autosave=True)
    if not form.is_valid():
        return _autosave_status(request, form=form, status=422)
    try:
        story = services.story_update(
            story=story,
            actor=request.user,
            content=form.content(),
            version=form.cleaned_data["version"],
            session=form.cleaned_data["session"],
            autosave=True,
        )
    except StoryConflict as conflict:
        return _autosave_status(request, form=form, conflict=conflict.story, status=409)
    except ValidationError as exc:
        form.add_error(None, exc)
        return _autosave_status(request, form=form, status=422)
    return _autosave_status(request, form=form, story=story)


def _autosave_status(
    request: AuthenticatedHttpRequest,
    *,
    form: StoryForm,
    story: Story | None = None,
    conflict: Story | None = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "stories/partials/autosave_status.html",
        {
            "form": form,
            "story": story,
            "conflict": conflict,
            "saved_at": timezone.now(),
        },
        status=status,
    )


# --- Workflow -----------------------------------------------------------------------


def _reviewer_story(request: AuthenticatedHttpRequest, pk: int) -> Story:
    """For manager actions: 403 unless the sender may publish, whatever the story."""
    ensure(permissions.can_review_stories(request.user))
    return _visible_story(request, pk)


def _refused(request: AuthenticatedHttpRequest, story: Story, exc: ValidationError) -> HttpResponse:
    messages.error(request, " ".join(exc.messages))
    return redirect(story)


@require_POST
def story_submit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    story = _visible_story(request, pk)
    ensure(permissions.can_author_story(request.user, story))
    try:
        services.story_submit(story=story, actor=request.user)
    except ValidationError as exc:
        messages.error(request, _not_submitted(exc))
        return redirect(story)
    messages.success(request, _("Tarina lähetettiin esihenkilön julkaistavaksi."))
    return redirect(story)


def _commented_transition(
    request: AuthenticatedHttpRequest,
    pk: int,
    *,
    prefix: str,
    transition: Callable[..., object],
    done: str,
) -> HttpResponse:
    """A reviewer's move that takes an optional comment (publish, archive)."""
    story = _reviewer_story(request, pk)
    form = TransitionCommentForm(request.POST, prefix=prefix)
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    try:
        transition(story=story, actor=request.user, comment=comment)
    except ValidationError as exc:
        return _refused(request, story, exc)
    messages.success(request, done)
    return redirect(story)


@require_POST
def story_publish(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _commented_transition(
        request,
        pk,
        prefix="publish",
        transition=services.story_publish,
        done=_("Tarina julkaistiin."),
    )


@require_POST
def story_schedule(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    story = _reviewer_story(request, pk)
    form = ScheduleForm(request.POST)
    if form.is_valid():
        try:
            story = services.story_schedule(
                story=story, actor=request.user, publish_at=form.cleaned_data["publish_at"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            when = timezone.localtime(story.publish_at)
            messages.success(
                request,
                _("Tarina julkaistaan %(day)s klo %(time)s.")
                % {
                    "day": formats.date_format(when, "SHORT_DATE_FORMAT"),
                    "time": formats.time_format(when, "TIME_FORMAT"),
                },
            )
            return redirect(story)
    story = selectors.story_for_page(pk=story.pk, user=request.user)
    return render(
        request,
        "stories/story_detail.html",
        _detail_context(request, story, schedule_form=form),
        status=422,
    )


@require_POST
def story_return(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    story = _reviewer_story(request, pk)
    form = ReturnForm(request.POST)
    if form.is_valid():
        try:
            services.story_return(
                story=story, actor=request.user, comment=form.cleaned_data["comment"]
            )
        except ValidationError as exc:
            if not hasattr(exc, "error_dict"):
                return _refused(request, story, exc)
            form.add_error(None, exc)
        else:
            messages.success(request, _("Tarina palautettiin kirjoittajalle."))
            return redirect(story)
    story = selectors.story_for_page(pk=story.pk, user=request.user)
    return render(
        request,
        "stories/story_detail.html",
        _detail_context(request, story, return_form=form),
        status=422,
    )


@require_POST
def story_archive(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _commented_transition(
        request,
        pk,
        prefix="archive",
        transition=services.story_archive,
        done=_("Tarina arkistoitiin."),
    )


# --- Colleagues ---------------------------------------------------------------------


@require_POST
def story_thank(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    story = _visible_story(request, pk)
    ensure(permissions.can_thank_story(request.user, story))
    services.story_thank(story=story, user=request.user)
    if not request.htmx:
        return redirect(story)
    count, thanked = selectors.thanks_summary(story=story, user=request.user)
    return render(
        request,
        "stories/partials/thanks.html",
        {"story": story, "thanks_count": count, "thanked_by_me": thanked, "can_thank": True},
    )


@require_POST
def story_comment(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    story = _visible_story(request, pk)
    ensure(permissions.can_comment_story(request.user, story))
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.comment_post(story=story, author=request.user, body=form.cleaned_data["body"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if not request.htmx:
                return redirect(story.get_absolute_url() + "#kommentit")
            form = CommentForm()
    story = selectors.story_for_page(pk=story.pk, user=request.user)
    context = _detail_context(request, story, comment_form=form)
    if request.htmx:  # the comments region, with the new comment or the form's errors
        return render(request, "stories/story_detail.html#comments", context)
    return render(request, "stories/story_detail.html", context, status=422)


# --- Own and managers' lists ----------------------------------------------------------


@require_GET
@require(permissions.can_write_story)
def my_stories(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(
        request, "stories/my_stories.html", {"stories": selectors.my_stories(user=request.user)}
    )


@require_GET
@require(permissions.can_review_stories)
def review_queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(
        request,
        "stories/review_queue.html",
        {"stories": selectors.review_queue(), "handled": selectors.recently_handled()},
    )


@require_GET
@require(permissions.can_review_stories)
def period_report(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A printable page of a period's published stories for the management meeting."""
    form = PeriodForm(request.GET or None, initial=PeriodForm.default_period())
    report = None
    if form.is_bound and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        report = selectors.period_report(start=start, end=end)
        audit.record(
            audit.Kind.EXPORT,
            request.user,
            audit.Target(type="stories.story", label=f"{start.isoformat()}–{end.isoformat()}"),
            what="stories",
            start=start,
            end=end,
        )
    return render(request, "stories/period_report.html", {"form": form, "report": report})
