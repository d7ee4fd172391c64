"""The admin site: no ModelAdmin filters, searches, orders or displays on personal data.

A model field is sensitive when it says so (``sensitive = True``, e.g.
:class:`apps.core.fields.EncryptedCharField`); an admin may name more of its own model's
fields in ``sensitive_fields``. :class:`SensitiveFieldsAdminMixin` refuses every lookup
whose path reaches a sensitive field, through any chain of relations
(``?phone__startswith=…``, ``?callbacks__phone=…``, ``?user__assigned_callbacks__phone…``),
and drops such paths from search, filters, ordering, columns and forms.

:class:`NeuvokasAdminSite` (the default ``admin.site``, see ``apps.core.apps.NeuvokasAdminConfig``)
mixes the guard into every ModelAdmin registered with it and into their inlines, ours
and third-party ones alike, so a new admin cannot leak a sensitive field by forgetting it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.contrib import admin
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Model
from django.db.models.constants import LOOKUP_SEP

from .admin_widgets import SafeAutocompleteAdminMixin


def is_sensitive_field(field: Any) -> bool:
    return bool(getattr(field, "sensitive", False))


def sensitive_path(model: type[Model], path: str, extra: Iterable[str] = ()) -> bool:
    """Whether the ORM ``path`` (fields and relations, then lookups or transforms, joined
    by ``__``; a leading ``-``, ``^``, ``=`` or ``@`` is ignored) touches a sensitive
    field of ``model`` or of any model it passes through. ``extra`` names more sensitive
    fields of ``model`` itself."""
    parts = str(path).lstrip("-^=@").split(LOOKUP_SEP)
    for position, part in enumerate(parts):
        if position == 0 and part in set(extra):
            return True
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:
            return False  # a lookup, a transform, "pk" or a method name: the path ends
        if is_sensitive_field(field):
            return True
        if not field.is_relation or field.related_model is None:
            return False
        model = field.related_model
    return False


def _path_of(item: Any) -> str | None:
    """The field path a list_display/list_filter/fields entry names, if it names one."""
    if isinstance(item, str):
        return item
    if isinstance(item, (list, tuple)) and item and isinstance(item[0], str):
        return item[0]
    return None


class SensitiveFieldsAdminMixin(SafeAutocompleteAdminMixin):
    """Keep sensitive fields out of an admin's lookups, search, filters, ordering, columns
    and forms (see the module docstring)."""

    sensitive_fields: Sequence[str] = ()
    model: type[Model]

    def _sensitive(self, path: Any) -> bool:
        path = _path_of(path)
        return path is not None and sensitive_path(self.model, path, self.sensitive_fields)

    def _without_sensitive(self, items: Any) -> Any:
        if items is None:
            return items
        kept = [item for item in items if not self._sensitive(item)]
        return type(items)(kept) if isinstance(items, (list, tuple)) else kept

    def _local_sensitive_fields(self) -> list[str]:
        names = set(self.sensitive_fields)
        names |= {f.name for f in self.model._meta.get_fields() if is_sensitive_field(f)}
        return sorted(names)

    def lookup_allowed(self, lookup: str, value: Any, request: Any) -> bool:
        if sensitive_path(self.model, lookup, self.sensitive_fields):
            return False
        return bool(super().lookup_allowed(lookup, value, request))  # type: ignore[misc]

    def to_field_allowed(self, request: Any, to_field: str) -> bool:
        if sensitive_path(self.model, to_field, self.sensitive_fields):
            return False
        return bool(super().to_field_allowed(request, to_field))  # type: ignore[misc]

    def get_search_fields(self, request: Any) -> Any:
        return self._without_sensitive(super().get_search_fields(request))  # type: ignore[misc]

    def get_list_filter(self, request: Any) -> Any:
        return self._without_sensitive(super().get_list_filter(request))  # type: ignore[misc]

    def get_list_display(self, request: Any) -> Any:
        return self._without_sensitive(super().get_list_display(request))  # type: ignore[misc]

    def get_ordering(self, request: Any) -> Any:
        return self._without_sensitive(super().get_ordering(request))  # type: ignore[misc]

    def get_sortable_by(self, request: Any) -> Any:
        return self._without_sensitive(super().get_sortable_by(request))  # type: ignore[misc]

    def get_exclude(self, request: Any, obj: Any = None) -> Any:
        exclude = list(super().get_exclude(request, obj) or [])  # type: ignore[misc]
        return [*exclude, *(n for n in self._local_sensitive_fields() if n not in exclude)]

    def _without_sensitive_fields(self, fields: Any) -> list[Any]:
        """A form's fields; a tuple is a row of fields shown on one line."""
        kept: list[Any] = []
        for item in fields or ():
            if isinstance(item, (list, tuple)):
                row = [name for name in item if not self._sensitive(name)]
                if row:
                    kept.append(tuple(row))
            elif not self._sensitive(item):
                kept.append(item)
        return kept

    def get_fields(self, request: Any, obj: Any = None) -> Any:
        return self._without_sensitive_fields(super().get_fields(request, obj))  # type: ignore[misc]

    def get_readonly_fields(self, request: Any, obj: Any = None) -> Any:
        return self._without_sensitive(super().get_readonly_fields(request, obj))  # type: ignore[misc]

    def get_fieldsets(self, request: Any, obj: Any = None) -> Any:
        fieldsets = super().get_fieldsets(request, obj)  # type: ignore[misc]
        return [
            (name, {**options, "fields": self._without_sensitive_fields(options.get("fields"))})
            for name, options in fieldsets
        ]

    def get_inlines(self, request: Any, obj: Any) -> Any:
        return [guarded(inline) for inline in super().get_inlines(request, obj)]  # type: ignore[misc]

    def log_deletions(self, request: Any, queryset: Any) -> Any:
        """One saved LogEntry per deleted object: Django bulk-creates them for several,
        which sends no ``post_save``, and the audit trail records admin deletions from
        that signal (``apps.audit.receivers``)."""
        from django.contrib.admin.models import DELETION, LogEntry

        return [
            LogEntry.objects.log_actions(
                user_id=request.user.pk,
                queryset=[obj],
                action_flag=DELETION,
                single_object=True,
            )
            for obj in queryset
        ]

    def get_queryset(self, request: Any) -> Any:
        queryset = super().get_queryset(request)  # type: ignore[misc]
        concrete = {f.name for f in self.model._meta.concrete_fields}
        deferred = [n for n in self._local_sensitive_fields() if n in concrete]
        return queryset.defer(*deferred) if deferred else queryset


def guarded(admin_class: Any) -> Any:
    """``admin_class`` with :class:`SensitiveFieldsAdminMixin` mixed in (itself if it
    has it already). Works for ModelAdmins and inlines alike."""
    if issubclass(admin_class, SensitiveFieldsAdminMixin):
        return admin_class
    return type(admin_class)(
        admin_class.__name__,
        (SensitiveFieldsAdminMixin, admin_class),
        {"__module__": admin_class.__module__, "__qualname__": admin_class.__qualname__},
    )


class NeuvokasAdminSite(admin.AdminSite):
    """``admin.site``: every ModelAdmin registered here gets the sensitive-field guard."""

    def register(self, model_or_iterable: Any, admin_class: Any = None, **options: Any) -> None:
        super().register(model_or_iterable, guarded(admin_class or admin.ModelAdmin), **options)
