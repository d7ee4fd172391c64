"""The audit trail in the admin: browse, filter, search, read one event, export the
filtered list as CSV (the export is itself recorded). Nobody adds, changes or deletes
events here, superusers included; the database refuses it anyway."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ERROR_FLAG
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import services
from .models import Event
from .services import Kind, Target

CSV_COLUMNS = (
    "created_at",
    "kind",
    "actor_id",
    "actor_username",
    "ip",
    "target_type",
    "target_id",
    "target_label",
    "details",
)


class _Echo:
    def write(self, value: str) -> str:
        return value


def _cell(value: Any) -> str:
    """A CSV cell that a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def csv_rows(events: QuerySet[Event]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(CSV_COLUMNS)
    for event in events.iterator(chunk_size=2000):
        yield writer.writerow(
            [
                _cell(event.created_at.isoformat()),
                _cell(event.kind),
                _cell(event.actor_id),
                _cell(event.actor_username),
                _cell(event.ip),
                _cell(event.target_type),
                _cell(event.target_id),
                _cell(event.target_label),
                _cell(services.details_json(event.details)),
            ]
        )


@admin.register(Event)
class EventAdmin(admin.ModelAdmin[Event]):
    list_display = ("created_at", "kind", "actor_username", "ip", "target_type", "target_label")
    list_filter = (
        "kind",
        # Every user (a small table), not only those in the trail: RelatedOnly would scan
        # the whole trail for its distinct actors at every page load.
        "actor",
        ("created_at", admin.DateFieldListFilter),
    )
    search_fields = ("actor_username", "target_label", "=target_id", "target_type")
    date_hierarchy = "created_at"
    list_per_page = 100
    show_full_result_count = False
    fields = (
        "created_at",
        "kind",
        "actor",
        "actor_username",
        "ip",
        "target_type",
        "target_id",
        "target_label",
        "details",
    )
    readonly_fields = fields
    change_list_template = "admin/audit/event/change_list.html"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Event | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Event | None = None) -> bool:
        return False

    def get_urls(self) -> list[URLPattern]:
        export = path(
            "export/",
            self.admin_site.admin_view(self.export_view),
            name="audit_event_export",
        )
        return [export, *super().get_urls()]

    def export_view(self, request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
        """The list as filtered and searched on the page, as CSV."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        try:
            changelist = self.get_changelist_instance(request)
        except IncorrectLookupParameters:
            # As the list page does: back to it, which says the filter was not valid.
            changelist_url = reverse("admin:audit_event_changelist")
            return HttpResponseRedirect(f"{changelist_url}?{ERROR_FLAG}=1")
        events = changelist.queryset.order_by("-created_at", "-id")
        filters = {key: request.GET.getlist(key) for key in request.GET}
        recorded = services.record(
            Kind.EXPORT,
            request.user,
            Target(type="audit.event", label=str(_("lokitapahtumat"))),
            what="audit",
            rows=events.count(),
            filters=filters,
        )
        events = events.exclude(pk=recorded.pk)  # the file is the list as it was asked for
        name = f"neuvokas-audit-{timezone.localdate().isoformat()}.csv"
        response = StreamingHttpResponse(csv_rows(events), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        response["Cache-Control"] = "no-store, private"
        return response
