"""Filter forms of the catalogue's reading pages (edit forms live in ``edit_forms.py``).

Choices come from lists the view has already fetched, so binding, validating and
rendering a filter form never queries the database.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .models import Entry, Municipality, ServiceLine

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class _ReferenceChoicesForm(forms.Form):
    """Turns keys in the query string into the objects they name."""

    def __init__(
        self,
        data: Any = None,
        *,
        lines: Sequence[ServiceLine] = (),
        municipalities: Sequence[Municipality] = (),
        target_groups: Sequence[str] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(data, **kwargs)
        self._set_choices(
            "linja", _("Kaikki palvelulinjat"), [(line.key, line.name) for line in lines]
        )
        self._set_choices("kunta", _("Kaikki kunnat"), [(m.code, m.name) for m in municipalities])
        self._set_choices(
            "kohderyhma",
            _("Kaikki kohderyhmät"),
            [(group, gettext(group)) for group in target_groups],
        )

    def _set_choices(self, name: str, blank: StrOrPromise, choices: list[tuple[str, str]]) -> None:
        field = self.fields.get(name)
        if isinstance(field, forms.ChoiceField):
            field.choices = [("", blank), *choices]

    def value(self, name: str) -> str:
        """The cleaned value of a valid field, or "" when missing or invalid."""
        if not self.is_bound:
            return ""
        self.is_valid()  # invalid fields are left out of cleaned_data
        return self.cleaned_data.get(name) or ""

    def line_among(self, lines: Sequence[ServiceLine]) -> ServiceLine | None:
        """The chosen line, looked up in lines the caller has already fetched."""
        key = self.value("linja")
        return next((line for line in lines if line.key == key), None) if key else None

    @property
    def target_group(self) -> str:
        return self.value("kohderyhma")

    @property
    def kind(self) -> str:
        return self.value("tyyppi")


_KIND_CHOICES = [("", _("Palvelut ja tarjonta")), *Entry.Kind.choices]


class EntryFilterForm(_ReferenceChoicesForm):
    """The catalogue home's filters. The line is chosen with tabs, so it travels hidden."""

    q = forms.CharField(
        label=_("Rajaa"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    kunta = forms.ChoiceField(label=_("Kunta"), required=False)
    tyyppi = forms.ChoiceField(label=_("Tyyppi"), required=False, choices=_KIND_CHOICES)
    kohderyhma = forms.ChoiceField(label=_("Kohderyhmä"), required=False)
    # Chosen with the line tabs; the template renders it as a hidden input.
    linja = forms.SlugField(required=False)

    @property
    def q_value(self) -> str:
        return self.value("q").strip()


class CompareForm(_ReferenceChoicesForm):
    """The municipality comparison: a line, a target group, or both."""

    linja = forms.ChoiceField(label=_("Palvelulinja"), required=False)
    kohderyhma = forms.ChoiceField(label=_("Kohderyhmä"), required=False)
    tyyppi = forms.ChoiceField(label=_("Tyyppi"), required=False, choices=_KIND_CHOICES)

    def __init__(
        self, data: Any = None, *, lines: Sequence[ServiceLine] = (), **kwargs: Any
    ) -> None:
        super().__init__(data, lines=lines, **kwargs)
        self._line_list = list(lines)

    @property
    def line(self) -> ServiceLine | None:
        return self.line_among(self._line_list)

    @property
    def has_subject(self) -> bool:
        return self.line is not None or bool(self.target_group)
