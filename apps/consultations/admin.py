"""Admin of the consultations. The callback's phone number is not in the admin at all:
not in the list, the form, search, filters or lookups (``apps.core.admin`` refuses them
on every admin); only requester and assignee see it, in the intranet, and each display
is recorded. Changing the assignee here goes through ``services.callback_assign``."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import transaction
from django.db.models import QuerySet
from django.forms import BaseInlineFormSet, ModelForm
from django.http import HttpRequest

from apps.core.http import signed_in_user

from . import permissions, services
from .models import Answer, Callback, CallbackEvent, FaqItem, Thread


class AnswerInline(admin.TabularInline[Answer, Thread]):
    model = Answer
    extra = 0
    fields = ("author", "kind", "body", "created_at")
    readonly_fields = ("created_at",)
    raw_id_fields = ("author",)


@admin.register(Thread)
class ThreadAdmin(admin.ModelAdmin[Thread]):
    list_display = ("title", "service_line", "urgency", "status", "author", "created_at")
    list_filter = ("status", "urgency", "service_line")
    search_fields = ("title", "body")
    raw_id_fields = ("author", "claimed_by", "solved_by", "solution")
    filter_horizontal = ("entries",)
    readonly_fields = ("version", "created_at", "updated_at", "last_activity_at")
    inlines = [AnswerInline]

    # Deleting goes through the services: a solved thread's solution link and the search
    # index are handled there (a plain delete breaks ``thread_solved_has_solution``).

    def delete_model(self, request: HttpRequest, obj: Thread) -> None:
        services.thread_delete(thread=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Thread]) -> None:
        with transaction.atomic():
            for thread in queryset:
                services.thread_delete(thread=thread)

    def save_formset(
        self,
        request: HttpRequest,
        form: ModelForm[Thread],
        formset: BaseInlineFormSet[Any, Thread, Any],
        change: bool,
    ) -> None:
        if formset.model is not Answer:
            super().save_formset(request, form, formset, change)
            return
        formset.save(commit=False)  # fills deleted_objects without deleting
        for answer in formset.deleted_objects:
            services.answer_delete(answer=answer)
        for answer in formset.new_objects + [obj for obj, _ in formset.changed_objects]:
            answer.save()
        formset.save_m2m()


class CallbackEventInline(admin.TabularInline[CallbackEvent, Callback]):
    model = CallbackEvent
    extra = 0
    can_delete = False
    fields = ("kind", "actor", "created_at")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Callback | None = None) -> bool:
        return False


@admin.register(Callback)
class CallbackAdmin(admin.ModelAdmin[Callback]):
    list_display = ("__str__", "status", "due_at", "assignee", "service_line", "requester")
    list_filter = ("status", "service_line")
    exclude = ("phone",)
    readonly_fields = (
        "phone_erased_at",
        "overdue_notified_at",
        "done_at",
        "done_by",
        "created_at",
        "updated_at",
    )
    raw_id_fields = ("requester", "assignee", "thread")
    inlines = [CallbackEventInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Callback]:
        return super().get_queryset(request).defer("phone")

    def has_add_permission(self, request: HttpRequest) -> bool:
        # A callback needs the customer's number, which the admin never handles: callbacks
        # are made in the intranet (services.callback_create: guard, event, notice).
        return False

    def get_readonly_fields(
        self, request: HttpRequest, obj: Callback | None = None
    ) -> tuple[str, ...]:
        fields = tuple(super().get_readonly_fields(request, obj))
        if obj is not None and not permissions.can_assign_callback(signed_in_user(request), obj):
            fields += ("assignee",)
        return fields

    def save_model(
        self, request: HttpRequest, obj: Callback, form: ModelForm[Callback], change: bool
    ) -> None:
        """A new assignee goes through ``services.callback_assign`` (an ``assigned``
        event naming the admin, a notice to the assignee), never a silent save."""
        if not (change and "assignee" in form.changed_data):
            super().save_model(request, obj, form, change)
            return
        assignee = obj.assignee
        if assignee is not None:
            # Assign first: the row then always has an assignee or a line in between.
            services.callback_assign(callback=obj, assignee=assignee, by=signed_in_user(request))
            super().save_model(request, obj, form, change)
        else:
            obj.assignee_id = form.initial.get("assignee")
            super().save_model(request, obj, form, change)
            services.callback_assign(callback=obj, assignee=None, by=signed_in_user(request))


@admin.register(FaqItem)
class FaqItemAdmin(admin.ModelAdmin[FaqItem]):
    list_display = ("question", "entry", "position", "source_thread")
    search_fields = ("question", "answer")
    raw_id_fields = ("entry", "source_thread", "created_by")
