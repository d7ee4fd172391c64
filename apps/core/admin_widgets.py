"""Admin autocomplete widgets that survive submitted values of the wrong type.

Django's ``AutocompleteSelect`` looks up the submitted (or ``?organisation=…`` initial)
values to render the chosen options, with ``filter(pk__in=values)``: a value that is no
primary key (``1e9999``, text) raises ``ValueError`` there, a 500 when a form with errors
is shown again. These widgets look up only values the target field accepts; the form
field still reports the others as invalid choices.
"""

from __future__ import annotations

from typing import Any

from django.contrib.admin import widgets
from django.core.exceptions import ValidationError


class _ValidValuesMixin:
    field: Any

    def optgroups(self, name: str, value: Any, attr: Any = None) -> Any:
        remote = self.field.remote_field
        target = remote.model._meta.get_field(
            getattr(remote, "field_name", None) or remote.model._meta.pk.name
        )
        valid = []
        for v in value:
            try:
                target.to_python(v)
            except (ValidationError, ValueError, TypeError):
                continue
            valid.append(v)
        return super().optgroups(name, valid, attr)  # type: ignore[misc]


class AutocompleteSelect(_ValidValuesMixin, widgets.AutocompleteSelect):
    pass


class AutocompleteSelectMultiple(_ValidValuesMixin, widgets.AutocompleteSelectMultiple):
    pass


class SafeAutocompleteAdminMixin:
    """ModelAdmin (and inline) mixin: autocomplete fields use the widgets above."""

    def formfield_for_foreignkey(self, db_field: Any, request: Any, **kwargs: Any) -> Any:
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):  # type: ignore[attr-defined]
            kwargs["widget"] = AutocompleteSelect(
                db_field,
                self.admin_site,  # type: ignore[attr-defined]
                using=kwargs.get("using"),
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]

    def formfield_for_manytomany(self, db_field: Any, request: Any, **kwargs: Any) -> Any:
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):  # type: ignore[attr-defined]
            kwargs["widget"] = AutocompleteSelectMultiple(
                db_field,
                self.admin_site,  # type: ignore[attr-defined]
                using=kwargs.get("using"),
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)  # type: ignore[misc]
