"""Admin: themes are edited here; stories are only looked at (the workflow, the privacy
guard and the search index live in ``services``, which the admin must not bypass)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import Count, Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from apps.core.privacy import ensure_no_personal_data

from .models import Story, StoryComment, StoryTransition, Theme


class ThemeForm(forms.ModelForm):  # type: ignore[type-arg]  # not subscriptable at runtime
    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None  # ModelForm.clean() returns cleaned_data
        ensure_no_personal_data(
            {name: data.get(name) for name in ("name_fi", "name_sv", "name_en")}
        )
        return data


@admin.register(Theme)
class ThemeAdmin(TranslationAdmin[Theme]):
    form = ThemeForm
    list_display = ("name", "key", "position", "is_active", "story_count")
    list_editable = ("position", "is_active")
    search_fields = ("name_fi", "name_sv", "name_en", "key")
    ordering = ("position", "key")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Theme]:
        return super().get_queryset(request).annotate(story_count=Count("stories"))

    @admin.display(description=_("tarinoita"), ordering="story_count")
    def story_count(self, theme: Theme) -> int:
        return int(theme.story_count)  # type: ignore[attr-defined]  # annotated in get_queryset

    def has_delete_permission(self, request: HttpRequest, obj: Theme | None = None) -> bool:
        # Retire a theme with "käytössä" instead: stories keep theirs.
        return False


class ReadOnlyInline(admin.TabularInline[Model, Story]):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Story | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Story | None = None) -> bool:
        return False


class TransitionInline(ReadOnlyInline):
    model = StoryTransition
    fields = ("at", "from_state", "to_state", "actor", "comment")
    readonly_fields = fields


class CommentInline(ReadOnlyInline):
    model = StoryComment
    fields = ("created_at", "author", "body")
    readonly_fields = fields


@admin.register(Story)
class StoryAdmin(admin.ModelAdmin[Story]):
    """Read-only: for seeing who did what. Changes go through the intranet's pages."""

    list_display = ("__str__", "author", "unit", "state", "published_at", "updated_at")
    list_filter = ("state", "themes")
    search_fields = ("title", "unit", "author__username", "author__last_name")
    list_select_related = ("author",)
    date_hierarchy = "created_at"
    inlines = [TransitionInline, CommentInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Story | None = None) -> bool:
        return False
