from __future__ import annotations

from django.contrib import admin

from .models import Report, ReportSubscription


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin[Report]):
    list_display = (
        "kind",
        "period_start",
        "period_end",
        "status",
        "trigger",
        "started_by",
        "finished_at",
    )
    list_filter = ("kind", "status", "trigger")
    date_hierarchy = "period_end"
    readonly_fields = (
        "figures",
        "progress",
        "error",
        "attempts",
        "requested_at",
        "started_at",
        "finished_at",
        "mailed_at",
    )
    raw_id_fields = ("started_by",)


@admin.register(ReportSubscription)
class ReportSubscriptionAdmin(admin.ModelAdmin[ReportSubscription]):
    list_display = ("user", "kind", "created_at")
    list_filter = ("kind",)
    raw_id_fields = ("user",)
