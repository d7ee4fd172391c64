from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from apps.catalogue.models import Entry, Municipality, ServiceLine

from .models import Channel, Referral

# Fields a follow-up form keeps from the previous contact (the advisor stays on the
# same line, channel and municipality); the topic and the yes/no answers start empty.
KEPT_FIELDS = ("service_line", "channel", "municipality")
FIELDS = (
    "service_line",
    "channel",
    "municipality",
    "entry",
    "topic_text",
    "solved",
    "consulted",
    "referred_to",
    "anonymous",
    "submission_key",
)


class ContactForm(forms.Form):
    service_line: forms.ModelChoiceField[ServiceLine] = forms.ModelChoiceField(
        ServiceLine.objects.all(), label=_("Linja"), empty_label=None, widget=forms.RadioSelect
    )
    channel = forms.ChoiceField(
        label=_("Kanava"), choices=Channel.choices, widget=forms.RadioSelect, initial=Channel.PHONE
    )
    municipality: forms.ModelChoiceField[Municipality] = forms.ModelChoiceField(
        Municipality.objects.all(), label=_("Kunta"), required=False, empty_label=_("ei tiedossa")
    )
    entry: forms.ModelChoiceField[Entry] = forms.ModelChoiceField(
        Entry.objects.all(), label=_("Aihe palveluista"), required=False
    )
    topic_text = forms.CharField(
        label=_("Tai oma aihe"),
        max_length=200,
        required=False,
        help_text=_("Ei asiakkaan henkilötietoja."),
    )
    solved = forms.BooleanField(label=_("Ratkesi tässä yhteydenotossa"), required=False)
    consulted = forms.BooleanField(label=_("Konsultoin kollegaa"), required=False)
    referred_to = forms.ChoiceField(
        label=_("Ohjattu"), required=False, choices=[("", _("ei ohjattu")), *Referral.choices]
    )
    anonymous = forms.BooleanField(label=_("Asiakas anonyymi"), required=False)
    submission_key = forms.UUIDField(widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None  # Form.clean() returns cleaned_data
        if not self.errors and data.get("entry") is None and not data.get("topic_text"):
            self.add_error("topic_text", _("Valitse aihe palveluista tai kirjoita oma aihe."))
        return data

    def line_focus(self) -> str:
        """The line radio that takes the focus: the chosen one, else the first."""
        value = self["service_line"].value()
        if value in (None, ""):
            field = self.fields["service_line"]
            assert isinstance(field, forms.ModelChoiceField) and field.queryset is not None
            first = field.queryset.first()
            return str(first.pk) if first else ""
        return str(value)

    def service_kwargs(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in FIELDS}

    @classmethod
    def fresh(cls, *, initial: dict[str, Any]) -> ContactForm:
        """An empty form for the next contact, with a new one-time key."""
        return cls(initial={**initial, "submission_key": uuid.uuid4()})

    @staticmethod
    def initial_from(data: QueryDict) -> dict[str, Any]:
        """Values carried in a query string (the no-JavaScript topic search keeps the
        rest of the half-filled form this way)."""
        initial: dict[str, Any] = {}
        for name in FIELDS:
            if data.get(name):
                initial[name] = data.get(name)
        for name in ("solved", "consulted", "anonymous"):
            if name in initial:
                initial[name] = data.get(name) in ("on", "true", "1")
        return initial
