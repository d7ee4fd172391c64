from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .models import User


@admin.register(User)
class StaffUserAdmin(UserAdmin):
    list_display = ("username", "full_name", "email", "role_names", "is_active", "is_staff")
    list_filter = (*UserAdmin.list_filter, "groups", "service_lines")
    fieldsets = (
        *UserAdmin.fieldsets,
        (_("Neuvokas"), {"fields": ("service_lines", "email_notifications")}),
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        return super().get_queryset(request).prefetch_related("groups")

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "service_lines":
            kwargs.setdefault("widget", forms.CheckboxSelectMultiple)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    @admin.display(description=_("nimi"), ordering="last_name")
    def full_name(self, obj: User) -> str:
        return obj.get_full_name()

    @admin.display(description=_("roolit"))
    def role_names(self, obj: User) -> str:
        return ", ".join(sorted(group.name for group in obj.groups.all()))
