"""Admin of the consultations. The callback's phone number is not in the admin at all:
not in the list, the form, search or filters (only requester and assignee see it)."""

from __future__ import annotations

from django.contrib import admin

from .models import Answer, Callback, CallbackEvent, FaqItem, Thread


class AnswerInline(admin.TabularInline):
    model = Answer
    extra = 0
    fields = ("author", "kind", "body", "created_at")
    readonly_fields = ("created_at",)
    raw_id_fields = ("author",)


@admin.register(Thread)
class ThreadAdmin(admin.ModelAdmin):
    list_display = ("title", "service_line", "urgency", "status", "author", "created_at")
    list_filter = ("status", "urgency", "service_line")
    search_fields = ("title", "body")
    raw_id_fields = ("author", "claimed_by", "solved_by", "solution")
    filter_horizontal = ("entries",)
    readonly_fields = ("version", "created_at", "updated_at", "last_activity_at")
    inlines = [AnswerInline]


class CallbackEventInline(admin.TabularInline):
    model = CallbackEvent
    extra = 0
    can_delete = False
    fields = ("kind", "actor", "created_at")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Callback)
class CallbackAdmin(admin.ModelAdmin):
    list_display = ("__str__", "status", "due_at", "assignee", "service_line", "requester")
    list_filter = ("status", "service_line")
    exclude = ("phone",)
    readonly_fields = ("phone_erased_at", "overdue_notified_at", "done_at", "done_by",
                       "created_at", "updated_at")
    raw_id_fields = ("requester", "assignee", "thread")
    inlines = [CallbackEventInline]

    def get_queryset(self, request):
        return super().get_queryset(request).defer("phone")


@admin.register(FaqItem)
class FaqItemAdmin(admin.ModelAdmin):
    list_display = ("question", "entry", "position", "source_thread")
    search_fields = ("question", "answer")
    raw_id_fields = ("entry", "source_thread", "created_by")
