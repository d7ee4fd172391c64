"""Forms of the consultations. Every free-text field passes the personal-data guard here
(so errors land beside the field) and again in the service (so no path skips it)."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.catalogue.models import Entry, Municipality, ServiceLine
from apps.core import limits, privacy
from apps.core.forms import form_field

from . import selectors
from .models import Answer, Callback, Thread, Urgency


class PrivacyGuardMixin:
    """Refuse a henkilötunnus in ``privacy_fields``; warn about phone numbers in
    ``phone_warning_fields`` until the writer confirms (``confirm_phone``)."""

    privacy_fields: tuple[str, ...] = ()
    phone_warning_fields: tuple[str, ...] = ()
    phone_warnings: dict[str, list[str]]

    def _guard(self, cleaned: dict[str, Any]) -> None:
        self.phone_warnings = {}
        texts = {
            name: cleaned.get(name)
            for name in self.privacy_fields
            if isinstance(cleaned.get(name), str)
        }
        try:
            privacy.ensure_no_personal_data(texts)
        except ValidationError as exc:
            for field, errors in exc.error_dict.items():
                for error in errors:
                    self.add_error(field, error)  # type: ignore[attr-defined]
            return
        warnings = privacy.phone_number_warnings(
            {name: cleaned.get(name) for name in self.phone_warning_fields}
        )
        if warnings and not cleaned.get("confirm_phone"):
            self.phone_warnings = {
                str(self.fields[name].label): numbers  # type: ignore[attr-defined]
                for name, numbers in warnings.items()
            }
            self.add_error(  # type: ignore[attr-defined]
                "confirm_phone",
                ValidationError(
                    _(
                        "Tekstissä näyttää olevan puhelinnumero. "
                        "Poista asiakkaan numero: se kuuluu "
                        "vain soittopyyntöön. Jos numero on palvelun oma, vahvista ja tallenna."
                    ),
                    code="phone_number",
                ),
            )


class _ConfirmPhoneField(forms.BooleanField):
    def __init__(self) -> None:
        super().__init__(required=False, label=_("Numero ei ole asiakkaan, tallenna silti"))


# forms.ModelForm[Model] is not subscriptable at runtime (django-stubs-ext would patch it).
class ThreadForm(PrivacyGuardMixin, forms.ModelForm):  # type: ignore[type-arg]  # see above
    privacy_fields = ("title", "body")
    phone_warning_fields = ("title", "body")

    entries: forms.ModelMultipleChoiceField[Entry] = forms.ModelMultipleChoiceField(
        queryset=Entry.objects.none(),
        required=False,
        label=_("Liittyvät palvelut"),
        help_text=_("Valinnainen. Valitse useampi Ctrl- tai Cmd-näppäimellä."),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    confirm_phone = _ConfirmPhoneField()
    suggest = True

    class Meta:
        model = Thread
        fields = ["title", "body", "service_line", "municipality", "urgency", "entries"]
        widgets = {
            "urgency": forms.RadioSelect,
            "body": forms.Textarea(attrs={"rows": 8}),
            "title": forms.TextInput(attrs={"autocomplete": "off"}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(
            self, "entries", forms.ModelMultipleChoiceField
        ).queryset = selectors.entry_choices()
        form_field(
            self, "service_line", forms.ModelChoiceField
        ).queryset = ServiceLine.objects.order_by("position", "key")
        municipality = form_field(self, "municipality", forms.ModelChoiceField)
        municipality.queryset = Municipality.objects.order_by("name_fi")
        municipality.empty_label = _("Ei kuntaa / koko alue")
        form_field(self, "urgency", forms.ChoiceField).choices = Urgency.choices
        if self.suggest:
            # While the title is typed (or the municipality changes), similar threads and
            # the entries available in that municipality appear beside it.
            suggest = {
                "hx-get": reverse("consultations:suggestions"),
                "hx-target": "#suggestions",
                "hx-include": "#id_title, #id_municipality",
                "hx-sync": "#suggestions:replace",
            }
            self.fields["title"].widget.attrs.update(
                suggest | {"hx-trigger": "input changed delay:400ms"}
            )
            self.fields["municipality"].widget.attrs.update(suggest | {"hx-trigger": "change"})

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        assert cleaned is not None  # Form.clean() returns cleaned_data
        self._guard(cleaned)
        return cleaned


class ThreadEditForm(ThreadForm):
    suggest = False
    base_version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta(ThreadForm.Meta):
        fields = ["title", "body", "service_line", "municipality", "urgency"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["entries"]


class AnswerForm(PrivacyGuardMixin, forms.Form):
    privacy_fields = ("body",)
    phone_warning_fields = ("body",)

    kind = forms.ChoiceField(
        label=_("Tyyppi"),
        choices=Answer.Kind.choices,
        initial=Answer.Kind.ANSWER,
        widget=forms.RadioSelect,
    )
    body = forms.CharField(
        label=_("Vastauksesi"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=limits.ANSWER_BODY,
        help_text=_("Markdown. Mainitse kollega: @käyttäjätunnus."),
    )
    confirm_phone = _ConfirmPhoneField()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        assert cleaned is not None  # Form.clean() returns cleaned_data
        self._guard(cleaned)
        return cleaned


class AnswerEditForm(AnswerForm):
    base_version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["kind"]


class BoardFilterForm(forms.Form):
    q = forms.CharField(label=_("Hae"), required=False)
    line = forms.ChoiceField(label=_("Linja"), required=False)
    municipality = forms.ChoiceField(label=_("Kunta"), required=False)
    status = forms.ChoiceField(
        label=_("Tila"),
        required=False,
        choices=[("open", _("Avoimet")), ("solved", _("Ratkaistut")), ("all", _("Kaikki"))],
    )
    mine = forms.BooleanField(label=_("Omat"), required=False)
    unanswered = forms.BooleanField(label=_("Vastaamattomat"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "line", forms.ChoiceField).choices = [
            ("", _("Kaikki linjat")),
            ("omat", _("Omat linjani")),
            *((line.key, line.name) for line in ServiceLine.objects.order_by("position", "key")),
        ]
        form_field(self, "municipality", forms.ChoiceField).choices = [
            ("", _("Kaikki kunnat")),
            *((m.code, m.name) for m in Municipality.objects.order_by("name_fi")),
        ]

    def filters(self) -> selectors.BoardFilters:
        data = self.cleaned_data if self.is_valid() else {}
        return selectors.BoardFilters(
            line=data.get("line") or "",
            municipality=data.get("municipality") or "",
            mine=bool(data.get("mine")),
            unanswered=bool(data.get("unanswered")),
            status=data.get("status") or "open",
            q=(data.get("q") or "").strip(),
        )


class CallbackForm(PrivacyGuardMixin, forms.ModelForm):  # type: ignore[type-arg]  # as above
    privacy_fields = ("reason", "phone")
    phone_warning_fields = ("reason",)

    confirm_phone = _ConfirmPhoneField()

    class Meta:
        model = Callback
        fields = ["assignee", "service_line", "due_at", "reason", "phone"]
        widgets = {
            "due_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "reason": forms.Textarea(attrs={"rows": 3}),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
        }
        help_texts = {
            "phone": _(
                "Näkyy vain sinulle ja soittajalle. Poistetaan, kun soittopyyntö on "
                "hoidettu ja säilytysaika on kulunut."
            ),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        assignee = form_field(self, "assignee", forms.ModelChoiceField)
        assignee.queryset = (
            get_user_model()
            .objects.filter(is_active=True)
            .order_by("first_name", "last_name", "username")
        )
        assignee.label = _("Kollega")
        assignee.help_text = _("Valitse kollega tai palvelulinja.")
        assignee.empty_label = _("Ei valittu")
        service_line = form_field(self, "service_line", forms.ModelChoiceField)
        service_line.label = _("tai palvelulinja")
        service_line.queryset = ServiceLine.objects.order_by("position", "key")
        service_line.empty_label = _("Ei valittu")
        self.fields["phone"].required = True
        if not self.is_bound and not self.initial.get("due_at"):
            due = timezone.localtime() + datetime.timedelta(hours=2)
            self.initial["due_at"] = due.replace(second=0, microsecond=0)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        assert cleaned is not None  # Form.clean() returns cleaned_data
        if not cleaned.get("assignee") and not cleaned.get("service_line"):
            self.add_error("assignee", _("Valitse kollega tai palvelulinja."))
        self._guard(cleaned)
        return cleaned

    def _post_clean(self) -> None:
        # The model's own checks run in the service (callback_create → full_clean).
        pass


class FaqItemForm(PrivacyGuardMixin, forms.Form):
    privacy_fields = ("question", "answer")
    phone_warning_fields = ()

    entry: forms.ModelChoiceField[Entry] = forms.ModelChoiceField(
        queryset=Entry.objects.none(), label=_("Palvelu")
    )
    question = forms.CharField(label=_("Kysymys"), max_length=300)
    answer = forms.CharField(
        label=_("Vastaus"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=limits.FAQ_ANSWER,
        help_text=_("Markdown. Muokkaa vastaus yleispäteväksi."),
    )

    def __init__(self, *args: Any, thread: Thread, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "entry", forms.ModelChoiceField).queryset = selectors.entry_choices()
        linked = list(thread.entries.all())
        if linked and not self.is_bound:
            self.initial.setdefault("entry", linked[0].pk)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        assert cleaned is not None  # Form.clean() returns cleaned_data
        self._guard(cleaned)
        return cleaned


class LinkEntriesForm(forms.Form):
    entries: forms.ModelMultipleChoiceField[Entry] = forms.ModelMultipleChoiceField(
        queryset=Entry.objects.none(),
        label=_("Liitä palveluihin"),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(
            self, "entries", forms.ModelMultipleChoiceField
        ).queryset = selectors.entry_choices()
