from __future__ import annotations

from django.contrib import admin

from .models import ContactRecord


@admin.register(ContactRecord)
class ContactRecordAdmin(admin.ModelAdmin[ContactRecord]):
    list_display = (
        "created_at",
        "service_line",
        "channel",
        "municipality",
        "topic",
        "solved",
        "consulted",
        "referred_to",
        "advisor",
    )
    list_filter = (
        "service_line",
        "channel",
        "municipality",
        "solved",
        "consulted",
        "referred_to",
        "anonymous",
    )
    date_hierarchy = "created_at"
    raw_id_fields = ("advisor", "entry")
    readonly_fields = ("submission_key",)
    list_select_related = ("service_line", "municipality", "entry", "advisor")
