from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any, TypedDict

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Field, Q
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from apps.core import limits

from . import images, selectors
from .models import Story, Theme
from .services import ImageChange, StoryContent

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def _field(name: str) -> Field[Any, Any]:
    field = Story._meta.get_field(name)
    assert isinstance(field, Field)
    return field


def _label(name: str) -> StrOrPromise:
    return capfirst(_field(name).verbose_name)


def _help(name: str) -> StrOrPromise:
    return _field(name).help_text


class StoryForm(forms.Form):
    """The story as its author writes it. ``autosave=True`` binds the same fields with
    nothing required and no image (autosave never uploads files)."""

    token = forms.UUIDField(required=False, widget=forms.HiddenInput)
    session = forms.UUIDField(required=False, widget=forms.HiddenInput)
    version = forms.IntegerField(min_value=0, initial=0, widget=forms.HiddenInput)
    title = forms.CharField(label=_label("title"), max_length=200)
    lead = forms.CharField(
        label=_label("lead"),
        help_text=_help("lead"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    body = forms.CharField(
        label=_label("body"),
        required=False,
        max_length=limits.STORY_BODY,
        help_text=_(
            "Kerro, mitä tehtiin ja mikä muuttui. "
            "Markdown-muotoilu käy (**lihavointi**, - luettelo)."
        ),
        widget=forms.Textarea(attrs={"rows": 10}),
    )
    themes: forms.ModelMultipleChoiceField[Theme] = forms.ModelMultipleChoiceField(
        label=_("Teemat"),
        queryset=Theme.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    unit = forms.CharField(
        label=_label("unit"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"list": "unit-suggestions", "autocomplete": "off"}),
    )
    waiting_days_before = forms.IntegerField(
        label=_label("waiting_days_before"), min_value=0, max_value=3650, required=False
    )
    waiting_days_after = forms.IntegerField(
        label=_label("waiting_days_after"), min_value=0, max_value=3650, required=False
    )
    partners_count = forms.IntegerField(
        label=_label("partners_count"), min_value=0, max_value=500, required=False
    )
    savings_eur = forms.IntegerField(
        label=_label("savings_eur"), min_value=0, max_value=100_000_000, required=False
    )
    image = forms.FileField(
        label=_("Kuva (valinnainen)"),
        required=False,
        help_text=_(
            "JPEG, PNG tai WebP, enintään 5 Mt. Kuva pienennetään ja sen "
            "metatiedot (esim. sijainti) poistetaan. Ei asiakkaita kuviin."
        ),
        widget=forms.FileInput(attrs={"accept": images.ACCEPT_ATTRIBUTE}),
    )
    image_alt = forms.CharField(
        label=_label("image_alt"), help_text=_help("image_alt"), max_length=300, required=False
    )
    remove_image = forms.BooleanField(label=_("Poista nykyinen kuva"), required=False)

    def __init__(
        self, *args: Any, story: Story | None = None, autosave: bool = False, **kwargs: Any
    ) -> None:
        if story is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_for(story)
        super().__init__(*args, **kwargs)
        self.story = story
        self.autosave = autosave
        # Active themes, plus any retired theme this story already has.
        offered = Q(is_active=True)
        if story is not None and story.pk:
            offered |= Q(pk__in=story.themes.values("pk"))
        themes = self.fields["themes"]
        assert isinstance(themes, forms.ModelMultipleChoiceField)
        themes.queryset = Theme.objects.filter(offered)
        if autosave:
            for field in self.fields.values():
                field.required = False
            del self.fields["image"]
            del self.fields["remove_image"]
        if story is None or not story.image:
            self.fields.pop("remove_image", None)

    @staticmethod
    def initial_for(story: Story) -> dict[str, object]:
        names = [*StoryContent.TEXT_FIELDS, *StoryContent.NUMBER_FIELDS]
        initial: dict[str, object] = {name: getattr(story, name) for name in names}
        initial["themes"] = list(story.themes.all()) if story.pk else []
        initial["version"] = story.version
        return initial

    def clean_image(self) -> ImageChange | None:
        upload = self.cleaned_data.get("image")
        if not upload:
            return None
        return ImageChange(new=images.process_story_image(upload))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None  # Form.clean() returns cleaned_data
        if self.autosave:
            return data
        new_image = data.get("image")
        keeps_image = bool(self.story and self.story.image and not data.get("remove_image"))
        if (new_image or keeps_image) and not (data.get("image_alt") or "").strip():
            self.add_error("image_alt", _("Kirjoita kuvalle tekstivastine."))
        return data

    def content(self) -> StoryContent:
        data = self.cleaned_data
        return StoryContent(
            title=(data.get("title") or "").strip(),
            lead=(data.get("lead") or "").strip(),
            body=(data.get("body") or "").strip(),
            unit=(data.get("unit") or "").strip(),
            themes=tuple(data.get("themes") or ()),
            waiting_days_before=data.get("waiting_days_before"),
            waiting_days_after=data.get("waiting_days_after"),
            partners_count=data.get("partners_count"),
            savings_eur=data.get("savings_eur"),
            image_alt=(data.get("image_alt") or "").strip(),
        )

    def image_change(self) -> ImageChange | None:
        change = self.cleaned_data.get("image")
        if change is None and self.cleaned_data.get("remove_image"):
            return ImageChange(remove=True)
        return change


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("Mitä kirjoittajan pitää muuttaa?"),
        max_length=limits.COMMENT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class TransitionCommentForm(forms.Form):
    comment = forms.CharField(
        label=_("Kommentti (valinnainen)"),
        max_length=limits.COMMENT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ScheduleForm(forms.Form):
    publish_at = forms.DateTimeField(
        label=_("Julkaisuaika"),
        input_formats=["%Y-%m-%dT%H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    def clean_publish_at(self) -> datetime.datetime:
        value: datetime.datetime = self.cleaned_data["publish_at"]
        if value <= timezone.now():
            raise ValidationError(_("Valitse tuleva ajankohta."))
        return value


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Kommentti"), max_length=limits.COMMENT, widget=forms.Textarea(attrs={"rows": 3})
    )


class StoryFilters(TypedDict):
    theme: Theme | None
    unit: str
    year: int | None


class StoryFilterForm(forms.Form):
    theme: forms.ModelChoiceField[Theme] = forms.ModelChoiceField(
        label=_("Teema"),
        queryset=Theme.objects.all(),
        to_field_name="key",
        required=False,
        empty_label=_("Kaikki teemat"),
    )
    unit = forms.ChoiceField(label=_("Yksikkö"), required=False)
    year = forms.TypedChoiceField(label=_("Vuosi"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        theme, unit, year = self.fields["theme"], self.fields["unit"], self.fields["year"]
        assert isinstance(theme, forms.ModelChoiceField)
        assert isinstance(unit, forms.ChoiceField) and isinstance(year, forms.ChoiceField)
        theme.queryset = selectors.theme_choices()
        unit.choices = [("", _("Kaikki yksiköt")), *((u, u) for u in selectors.unit_choices())]
        year.choices = [("", _("Kaikki vuodet")), *((y, y) for y in selectors.year_choices())]

    def filters(self) -> StoryFilters:
        if not self.is_valid():
            return {"theme": None, "unit": "", "year": None}
        data = self.cleaned_data
        return {
            "theme": data.get("theme"),
            "unit": data.get("unit") or "",
            "year": data.get("year"),
        }


class PeriodForm(forms.Form):
    start = forms.DateField(
        label=_("Alkaen"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    end = forms.DateField(
        label=_("Päättyen"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    @staticmethod
    def default_period() -> dict[str, datetime.date]:
        today = timezone.localdate()
        first_of_month = today.replace(day=1)
        previous = (first_of_month - datetime.timedelta(days=1)).replace(day=1)
        return {"start": previous, "end": today}

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None  # Form.clean() returns cleaned_data
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            self.add_error("end", _("Päättymispäivä ei voi olla ennen alkamispäivää."))
        return data
