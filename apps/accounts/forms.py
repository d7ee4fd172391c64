from __future__ import annotations

from django import forms
from django.http import QueryDict

from apps.catalogue.models import ServiceLine

from .models import User

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
        queryset=ServiceLine.objects.order_by("position", "key"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_lines_field.verbose_name,
    )

    @classmethod
    def for_user(cls, user: User, data: QueryDict | None = None) -> StaffLinesForm:
        return cls(data, initial={"service_lines": list(user.service_lines.all())})


class StaffFilterForm(forms.Form):
    q = forms.CharField(required=False, max_length=100, label="")
