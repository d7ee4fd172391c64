"""The desk's one form: hand a question or a callback to a colleague (managers)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import User
from apps.core.forms import form_field

from . import selectors


class AssignForm(forms.Form):
    """``seen`` is the assignee the manager saw (empty: nobody); the service refuses the
    change if it is no longer so. An empty ``assignee`` frees the question, or leaves a
    callback to its line. The desk renders the select itself (one staff list for every
    row); this form only validates the post."""

    assignee: forms.ModelChoiceField[User] = forms.ModelChoiceField(
        label=_("Siirrä"), queryset=User.objects.none(), required=False
    )
    seen = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(
            self, "assignee", forms.ModelChoiceField
        ).queryset = selectors.assignable_staff_queryset()
