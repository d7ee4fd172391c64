"""Form helpers shared by the apps."""

from __future__ import annotations

from django import forms


def form_field[F: forms.Field](form: forms.BaseForm, name: str, kind: type[F]) -> F:
    """``form.fields[name]`` as the field class it is: Django types ``fields`` as plain
    ``Field``, so setting a ``queryset``, ``choices`` or ``empty_label`` goes through here."""
    field = form.fields[name]
    if not isinstance(field, kind):
        raise TypeError(f"{name}: {type(field).__name__} is not a {kind.__name__}")
    return field
