"""Admin: editors maintain synonym groups; the search log and API tokens can be viewed."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from . import services
from .models import ApiToken, SearchLog, SynonymGroup


@admin.register(SynonymGroup)
class SynonymGroupAdmin(admin.ModelAdmin):
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
class SearchLogAdmin(admin.ModelAdmin):
    list_display = ["created_at", "query", "source", "municipality", "line", "result_count",
                    "opened_position", "user"]
    list_filter = ["source", "municipality", "corrected"]
    search_fields = ["query"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["user", "name", "prefix", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["revoked_at"]
    readonly_fields = ["user", "prefix", "created_at", "last_used_at", "revoked_at"]
    fields = ["user", "name", "prefix", "created_at", "last_used_at", "revoked_at"]
    actions = ["revoke"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # tokens are made with manage.py create_api_token (shown once)

    @admin.action(description=_("Peru valitut API-avaimet"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        for token in queryset:
            services.api_token_revoke(token=token)
