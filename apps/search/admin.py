"""Admin: editors maintain synonym groups; the search log can be viewed."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from . import services
from .models import SearchLog, SynonymGroup


@admin.register(SynonymGroup)
class SynonymGroupAdmin(admin.ModelAdmin[SynonymGroup]):
    list_display = ["__str__", "note", "is_active", "updated_at", "updated_by"]
    list_filter = ["is_active"]
    search_fields = ["terms", "note"]
    fields = ["terms", "note", "is_active"]

    def save_model(self, request: HttpRequest, obj: SynonymGroup, form: Any, change: bool) -> None:
        # Analyse the members at once: the next search already uses the group.
        try:
            services.synonym_group_save(group=obj, user=request.user)
        except ValidationError as exc:
            messages.error(request, "; ".join(exc.messages))


@admin.register(SearchLog)
class SearchLogAdmin(admin.ModelAdmin[SearchLog]):
    list_display = [
        "created_at",
        "query",
        "source",
        "municipality",
        "line",
        "result_count",
        "opened_position",
        "user",
    ]
    list_filter = ["source", "municipality", "corrected"]
    search_fields = ["query"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
