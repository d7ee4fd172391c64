from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Kind
from .periods import month_of

MAX_DAYS = 2 * 366


class RunReportForm(forms.Form):
    kind = forms.ChoiceField(label=_("Raportti"), choices=Kind.choices)
    period_start = forms.DateField(label=_("Alkaa"), widget=forms.DateInput(attrs={"type": "date"}))
    period_end = forms.DateField(
        label=_("Päättyy (mukaan lukien)"), widget=forms.DateInput(attrs={"type": "date"})
    )

    @classmethod
    def for_last_month(cls) -> RunReportForm:
        last_month = month_of(timezone.localdate().replace(day=1) - datetime.timedelta(days=1))
        return cls(
            initial={
                "kind": Kind.CONTACTS,
                "period_start": last_month.start,
                "period_end": last_month.end,
            }
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None  # Form.clean() returns cleaned_data
        start, end = data.get("period_start"), data.get("period_end")
        if start and end:
            if end < start:
                self.add_error("period_end", _("Jakso päättyy ennen kuin se alkaa."))
            elif (end - start).days >= MAX_DAYS:
                self.add_error("period_end", _("Jakso voi olla enintään kaksi vuotta."))
        return data


class SubscriptionForm(forms.Form):
    kind = forms.ChoiceField(choices=Kind.choices)
    subscribed = forms.BooleanField(required=False)
