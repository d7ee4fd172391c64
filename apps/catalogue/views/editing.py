"""Editing and upkeep of the catalogue in the intranet (not only in the admin).

Views parse a form, check a permission predicate, call one service or selector and
render; writes are POST → redirect → GET, with htmx fragments where a region updates
in place (Markdown preview, resolving a problem report).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.core.http import AuthenticatedHttpRequest, safe_next
from apps.core.markdown import render_markdown
from apps.core.permissions import ensure, require
from apps.core.privacy import find_personal_identity_codes

from .. import selectors, services
from ..diffing import reference_labels, version_diff
from ..edit_forms import (
    CONTACTS_PREFIX,
    MARKDOWN_FIELDS,
    EntryForm,
    ProblemReportForm,
    attach_errors,
    contact_formset,
    entry_data,
    initial_from_snapshot,
)
from ..interchange import entry_to_dict
from ..models import Entry, EntryVersion
from ..permissions import (
    can_add_entry,
    can_edit_entry,
    can_review_entry,
    can_view_catalogue,
    can_view_history,
)

if TYPE_CHECKING:
    pass


def _safe_next(request: AuthenticatedHttpRequest, default: str) -> str:
    return safe_next(request.POST.get("next"), default)


# --- Creating and editing ---------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@require(can_add_entry)
def entry_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    if request.method == "POST":
        return _entry_form_post(request, entry=None)
    form = EntryForm(entry=None, initial={"base_version": 0, "owner": request.user.username})
    formset = contact_formset(None)
    return _render_form(request, entry=None, form=form, formset=formset)


@require_http_methods(["GET", "POST"])
def entry_edit(request: AuthenticatedHttpRequest, key: str) -> HttpResponse:
    entry = get_object_or_404(Entry, key=key)
    ensure(can_edit_entry(request.user, entry))
    if request.method == "POST":
        return _entry_form_post(request, entry=entry)
    initial, contacts = initial_from_snapshot(entry_to_dict(entry), version=entry.version)
    form = EntryForm(entry=entry, initial=initial)
    formset = contact_formset(entry, initial=contacts)
    return _render_form(request, entry=entry, form=form, formset=formset)


def _entry_form_post(request: AuthenticatedHttpRequest, *, entry: Entry | None) -> HttpResponse:
    post: QueryDict = request.POST
    if "_add_contact" in post:
        post = post.copy()
        total = f"{CONTACTS_PREFIX}-TOTAL_FORMS"
        try:
            post[total] = str(int(post.get(total, "0")) + 1)
        except ValueError:
            post[total] = "1"
    form = EntryForm(post, entry=entry)
    formset = contact_formset(entry, post)

    preview_field = post.get("_preview", "")
    if preview_field or "_add_contact" in post:
        # Not a save: show the form again as typed (no-JS preview, one more contact row).
        return _render_form(
            request,
            entry=entry,
            form=form,
            formset=formset,
            **_preview_context(preview_field, post),
        )

    forms_valid = form.is_valid()
    formset_valid = formset.is_valid()
    if not (forms_valid and formset_valid):
        return _render_form(request, entry=entry, form=form, formset=formset)

    data, contact_indices = entry_data(form, formset)
    try:
        saved = services.entry_save(
            entry=entry,
            data=data,
            author=request.user,
            base_version=form.cleaned_data["base_version"],
            comment=form.cleaned_data.get("comment", ""),
            kind=form.cleaned_data.get("kind"),
        )
    except services.EditConflict as conflict:
        # Nothing was written. Keep everything typed, move the base to the current
        # version so that saving again is a deliberate choice.
        rebased = post.copy()
        rebased["base_version"] = str(conflict.current_version)
        # The current entry: Suomi.fi's read-only fields show what it holds now.
        form = EntryForm(rebased, entry=conflict.entry)
        formset = contact_formset(conflict.entry, rebased)
        return _render_form(
            request, entry=entry, form=form, formset=formset, conflict=conflict, status=409
        )
    except ValidationError as exc:
        attach_errors(form, formset, exc, contact_indices)
        return _render_form(request, entry=entry, form=form, formset=formset)

    if entry is None:
        messages.success(request, _("Kortti luotiin (versio 1)."))
    else:
        messages.success(
            request, _("Muutokset tallennettiin versioksi %(number)s.") % {"number": saved.version}
        )
    return redirect(saved)


def _preview_context(field: str, data: QueryDict) -> dict[str, Any]:
    if field not in MARKDOWN_FIELDS:
        return {}
    text = data.get(field, "")
    return {
        "preview_field": field,
        "preview_html": render_markdown(text),
        "preview_has_hetu": bool(find_personal_identity_codes(text)),
    }


def _render_form(
    request: AuthenticatedHttpRequest,
    *,
    entry: Entry | None,
    form: EntryForm,
    formset: Any,
    conflict: services.EditConflict | None = None,
    status: int = 200,
    **extra: Any,
) -> HttpResponse:
    has_errors = bool(
        form.is_bound and (form.errors or any(formset.errors) or formset.non_form_errors())
    )
    return render(
        request,
        "catalogue/entry_form.html",
        {
            "entry": entry,
            "form": form,
            "formset": formset,
            "conflict": conflict,
            "has_errors": has_errors and conflict is None and "preview_field" not in extra,
            **extra,
        },
        status=status,
    )


@require_POST
def entry_preview(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Markdown → sanitised HTML for one textarea of the edit form (htmx)."""
    field = request.POST.get("_preview", "")
    if field not in MARKDOWN_FIELDS:
        raise Http404
    context = _preview_context(field, request.POST)
    return render(request, "catalogue/entry_form.html#preview", context)


# --- History ------------------------------------------------------------------------------


@require_GET
def entry_history(request: AuthenticatedHttpRequest, key: str) -> HttpResponse:
    entry = get_object_or_404(Entry, key=key)
    ensure(can_view_history(request.user, entry))
    return render(
        request,
        "catalogue/entry_history.html",
        {
            "entry": entry,
            "versions": selectors.entry_versions(entry),
            "can_edit": can_edit_entry(request.user, entry),
        },
    )


@require_GET
def entry_version(request: AuthenticatedHttpRequest, key: str, number: int) -> HttpResponse:
    """What version ``number`` changed: against its predecessor, or ``?vs=<n>``."""
    entry = get_object_or_404(Entry, key=key)
    ensure(can_view_history(request.user, entry))
    version = get_object_or_404(selectors.entry_version_queryset(), entry=entry, number=number)
    other: EntryVersion | None
    vs = request.GET.get("vs", "")
    if vs.isdigit():
        other = get_object_or_404(selectors.entry_version_queryset(), entry=entry, number=int(vs))
    else:
        other = selectors.entry_version_before(entry, number)
    old, new = (other, version) if other is None or other.number < number else (version, other)
    changes = version_diff(old.snapshot if old else {}, new.snapshot, labels=reference_labels())
    return render(
        request,
        "catalogue/entry_diff.html",
        {
            "entry": entry,
            "version": version,
            "other": other,
            "old": old,
            "new": new,
            "changes": changes,
            "old_heading": (_("Versio %(number)s") % {"number": old.number}) if old else _("Ennen"),
            "new_heading": _("Versio %(number)s") % {"number": new.number},
            "versions": selectors.entry_versions(entry),
            "can_edit": can_edit_entry(request.user, entry),
            "mode": "diff",
        },
    )


@require_http_methods(["GET", "POST"])
def entry_restore(request: AuthenticatedHttpRequest, key: str, number: int) -> HttpResponse:
    """GET asks for confirmation (showing what would change); POST restores as a new version."""
    entry = get_object_or_404(Entry, key=key)
    ensure(can_edit_entry(request.user, entry))
    version = get_object_or_404(selectors.entry_version_queryset(), entry=entry, number=number)
    conflict = None
    base_version = entry.version
    status = 200
    if request.method == "POST":
        try:
            base_version = int(request.POST.get("base_version", ""))
        except ValueError:
            base_version = -1
        try:
            saved = services.entry_restore(
                entry=entry, number=number, author=request.user, base_version=base_version
            )
        except services.EditConflict as exc:
            conflict = exc
            base_version = exc.current_version
            status = 409
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("Versio %(old)s palautettiin; se on nyt versio %(new)s.")
                % {"old": number, "new": saved.version},
            )
            return redirect("catalogue:entry_history", key=entry.key)
    if request.method == "POST":
        entry.refresh_from_db()  # show what restoring would change from now on
    changes = version_diff(entry_to_dict(entry), version.snapshot, labels=reference_labels())
    return render(
        request,
        "catalogue/entry_diff.html",
        {
            "entry": entry,
            "version": version,
            "changes": changes,
            "base_version": base_version,
            "conflict": conflict,
            "can_edit": True,
            "mode": "restore",
        },
        status=status,
    )


# --- Review ---------------------------------------------------------------------------------


@require_POST
def entry_mark_reviewed(request: AuthenticatedHttpRequest, key: str) -> HttpResponse:
    entry = get_object_or_404(Entry, key=key)
    ensure(can_review_entry(request.user, entry))
    entry = services.entry_mark_reviewed(entry=entry, user=request.user)
    assert entry.last_reviewed is not None and entry.review_due is not None  # just reviewed
    messages.success(
        request,
        _("Merkitty tarkistetuksi %(date)s. Seuraava tarkistus viimeistään %(due)s.")
        % {
            "date": date_format(entry.last_reviewed, "SHORT_DATE_FORMAT"),
            "due": date_format(entry.review_due, "SHORT_DATE_FORMAT"),
        },
    )
    return redirect(_safe_next(request, entry.get_absolute_url()))


# --- Problem reports --------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@require(can_view_catalogue)
def problem_report_create(request: AuthenticatedHttpRequest, key: str) -> HttpResponse:
    entry = get_object_or_404(Entry, key=key)
    template = "catalogue/problem_report_form.html"
    if request.htmx:
        template += "#report_form"
    form = ProblemReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.problem_report_create(
                entry=entry,
                reporter=request.user,
                what_is_wrong=form.cleaned_data["what_is_wrong"],
                what_tried=form.cleaned_data["what_tried"],
            )
        except ValidationError as exc:
            for name, errors in exc.error_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            thanks = _("Kiitos! Ilmoitus välitettiin kortin vastuuhenkilölle.")
            if request.htmx:
                return render(request, template, {"entry": entry, "sent": True, "thanks": thanks})
            messages.success(request, thanks)
            return redirect(entry)
    return render(request, template, {"entry": entry, "form": form})


@require_POST
def problem_report_resolve(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(selectors.problem_report_queryset(), pk=pk)
    services.problem_report_resolve(report=report, user=request.user)  # 403 if not allowed
    entry = report.entry
    if request.htmx:
        return render(
            request,
            "catalogue/partials/problem_reports.html",
            {
                "entry": entry,
                "can_edit": True,
                "open_reports": selectors.open_problem_reports(entry),
                "resolved_now": True,
            },
        )
    messages.success(request, _("Virheilmoitus merkittiin käsitellyksi."))
    return redirect(_safe_next(request, entry.get_absolute_url()))


# --- The owner's own list ---------------------------------------------------------------------


@require_GET
def my_entries(request: AuthenticatedHttpRequest) -> HttpResponse:
    """'Omat sisällöt': the entries I own, overdue first, and their open problem reports."""
    entries = selectors.owned_entries(request.user, today=services.helsinki_today())
    return render(
        request,
        "catalogue/my_entries.html",
        {
            "overdue": [e for e in entries if e.review_overdue],
            "up_to_date": [e for e in entries if not e.review_overdue],
            "reports": selectors.open_reports_for_owner(request.user),
            "can_create": can_add_entry(request.user),
            "my_entries_url": reverse("catalogue:my_entries"),
        },
    )
