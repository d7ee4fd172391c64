from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from .models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin[Notification]):
    """Read-only: for finding out why someone did or did not hear of something."""

    list_display = ("created_at", "recipient", "verb", "text", "read_at", "emailed_at")
    list_filter = (
        "verb",
        ("read_at", admin.EmptyFieldListFilter),
        ("emailed_at", admin.EmptyFieldListFilter),
    )
    search_fields = ("recipient__username", "recipient__last_name", "text")
    list_select_related = ("recipient",)
    date_hierarchy = "created_at"
    ordering = ("-created_at", "-id")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Notification | None = None) -> bool:
        return False
