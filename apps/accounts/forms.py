from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.http import QueryDict

from apps.core.forms import form_field

from .models import User

if TYPE_CHECKING:
    from apps.catalogue.models import ServiceLine

_lines_field = User._meta.get_field("service_lines")
_email_field = User._meta.get_field("email_notifications")


class ProfileForm(forms.Form):
    """The user's own settings: whether to e-mail notifications. The lines a person
    serves are not theirs to choose (a manager sets them: ``StaffLinesForm``)."""

    email_notifications = forms.BooleanField(
        required=False,
        label=_email_field.verbose_name,
        help_text=_email_field.help_text,
    )

    @classmethod
    def for_user(cls, user: User, data: QueryDict | None = None) -> ProfileForm:
        return cls(data, initial={"email_notifications": user.email_notifications})


class StaffLinesForm(forms.Form):
    """A manager sets the lines one staff member serves."""

    service_lines: forms.ModelMultipleChoiceField[ServiceLine] = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_lines_field.verbose_name,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The lines are the catalogue's (User.service_lines names "catalogue.ServiceLine");
        # taken from the relation, so accounts imports nothing from the app above it.
        lines = cast("type[ServiceLine]", _lines_field.related_model)
        form_field(
            self, "service_lines", forms.ModelMultipleChoiceField
        ).queryset = lines._default_manager.order_by("position", "key")

    @classmethod
    def for_user(cls, user: User, data: QueryDict | None = None) -> StaffLinesForm:
        return cls(data, initial={"service_lines": list(user.service_lines.all())})


class StaffFilterForm(forms.Form):
    q = forms.CharField(required=False, max_length=100, label="")
