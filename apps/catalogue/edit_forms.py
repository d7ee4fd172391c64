"""Forms for editing a catalogue entry in the intranet.

The form speaks the catalogue interchange shape: ``entry_data()`` turns a valid form and
its contact formset into one entry object for ``services.entry_save``, and
``initial_from_snapshot()`` turns such an object (the current version) back into initial
values. Field names follow the model's translated columns (``title_sv``), so errors
from the service (which uses the same names) land next to the right field.

For an entry imported from Suomi.fi (PTV) the fields PTV owns (``services.PTV_OWNED_FIELDS``)
are disabled and marked "from Suomi.fi": they keep the entry's current values whatever is
posted, and are edited in PTV. The service refuses a change to them all the same.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext_lazy as _

from apps.core import limits
from apps.core.forms import form_field

from . import interchange, opening_hours
from .interchange import entry_to_dict
from .models import Entry, Municipality, Organisation, ServiceLine, key_validator
from .services import PTV_OWNED_FIELDS

LANGUAGES = ("fi", "sv", "en")
LANGUAGE_LEGENDS = {
    "fi": _("Suomeksi"),
    "sv": _("Ruotsiksi (svenska)"),
    "en": _("Englanniksi (English)"),
}
LANGUAGE_SUFFIXES = {"fi": "", "sv": _(" ruotsiksi"), "en": _(" englanniksi")}

LOCALISED = {
    "title": _("Otsikko"),
    "summary": _("Tiivistelmä"),
    "body": _("Kuvaus"),
    "eligibility": _("Kenelle"),
    "how_to_apply": _("Näin haet"),
    "fees": _("Maksut"),
}
MARKDOWN = ("body", "eligibility", "how_to_apply", "fees")
TEXT_LIMITS = {
    "summary": limits.ENTRY_SUMMARY,
    "body": limits.ENTRY_BODY,
    "eligibility": limits.ENTRY_DETAIL,
    "how_to_apply": limits.ENTRY_DETAIL,
    "fees": limits.ENTRY_DETAIL,
}
MARKDOWN_FIELDS = frozenset(f"{name}_{lang}" for name in MARKDOWN for lang in LANGUAGES)
LIST_FIELDS = ("target_groups", "keywords", "legal_basis")
# A disabled PTV field's help text; the template (catalogue/partials/entry_field.html) adds
# the "from Suomi.fi" marker and the link to the service.
PTV_HELP = _("Tulee Suomi.fi:stä: muokataan palvelutietovarannossa (PTV), ei täällä.")
MARKDOWN_HELP = _(
    "Markdown: **lihavointi**, *kursiivi*, rivin alussa - luettelo, "
    "[linkin teksti](https://…). Tyhjä rivi aloittaa uuden kappaleen."
)


class LinesField(forms.CharField):
    """A textarea with one item per line; empty lines are dropped."""

    widget = forms.Textarea(attrs={"rows": 3})

    def __init__(
        self, *, item_max_length: int, max_items: int = limits.ENTRY_LIST_ITEMS, **kwargs: Any
    ) -> None:
        self.item_max_length = item_max_length
        self.max_items = max_items
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, (list, tuple)):
            return "\n".join(value)
        return value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().to_python(value) or ""
        items = [line.strip() for line in text.splitlines()]
        return list(dict.fromkeys(item for item in items if item))

    def validate(self, value: Any) -> None:
        if self.required and not value:
            raise ValidationError(self.error_messages["required"], code="required")
        if len(value) > self.max_items:
            raise ValidationError(
                _("Enintään %(max)s riviä."), code="max_items", params={"max": self.max_items}
            )
        for item in value:
            if len(item) > self.item_max_length:
                raise ValidationError(
                    _("Rivi ”%(item)s…” on liian pitkä (enintään %(max)s merkkiä)."),
                    code="max_length",
                    params={"item": item[:30], "max": self.item_max_length},
                )


class UserChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]  # not subscriptable at run time
    def label_from_instance(self, obj: Any) -> str:
        full = obj.get_full_name()
        return f"{full} ({obj.username})" if full else obj.username


@dataclass(frozen=True)
class FieldRow:
    field: forms.BoundField
    markdown: bool


@dataclass(frozen=True)
class LanguageSection:
    lang: str
    legend: str
    open: bool
    rows: list[FieldRow]


class _Form(forms.Form):
    """Labels without a trailing colon (they read better above the fields)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class EntryForm(_Form):
    """Every field of an entry. ``kind`` and ``key`` only when creating one."""

    kind = forms.ChoiceField(
        label=_("Tyyppi"),
        choices=Entry.Kind.choices,
        widget=forms.RadioSelect,
        initial=Entry.Kind.SERVICE,
    )
    key = forms.CharField(
        label=_("Tunniste"),
        max_length=100,
        validators=[key_validator],
        help_text=_(
            "Pysyvä tunniste osoitteessa, esim. kuljetuspalvelu-kotka. "
            "Vain a–z, 0–9 ja väliviiva; ei voi muuttaa myöhemmin."
        ),
    )
    service_lines: forms.ModelMultipleChoiceField[ServiceLine] = forms.ModelMultipleChoiceField(
        label=_("Palvelulinjat"),
        queryset=ServiceLine.objects.order_by("position", "key"),
        to_field_name="key",
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Palveluilla vähintään yksi."),
    )
    municipalities: forms.ModelMultipleChoiceField[Municipality] = forms.ModelMultipleChoiceField(
        label=_("Kunnat"),
        queryset=Municipality.objects.order_by("name_fi"),
        to_field_name="code",
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Jätä tyhjäksi, jos koskee koko hyvinvointialuetta."),
    )
    organisation: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        label=_("Organisaatio"),
        queryset=Organisation.objects.order_by("name_fi"),
        to_field_name="key",
        required=False,
        help_text=_("Järjestöjen ja seurakuntien tarjonnalle pakollinen."),
    )
    target_groups = LinesField(
        label=_("Kohderyhmät"), item_max_length=100, help_text=_("Yksi kohderyhmä riville.")
    )
    keywords = LinesField(
        label=_("Hakusanat"),
        item_max_length=100,
        help_text=_(
            "Yksi hakusana riville: sanat, joilla neuvojat "
            "hakevat, vaikka teksti ei niitä sisältäisi."
        ),
    )
    legal_basis = LinesField(
        label=_("Lakiperusta"), item_max_length=300, help_text=_("Yksi säädösviittaus riville.")
    )
    owner = UserChoiceField(
        label=_("Vastuuhenkilö"), queryset=None, to_field_name="username", required=False
    )
    review_interval_days = forms.IntegerField(
        label=_("Tarkistusväli (päivää)"),
        min_value=1,
        max_value=3650,
        required=False,
        help_text=_("Tyhjä: oletusväli."),
    )
    comment = forms.CharField(
        label=_("Muutoksen kuvaus"),
        max_length=300,
        required=False,
        help_text=_("Näkyy versiohistoriassa, esim. ”Päivitetty maksut 2026”."),
    )
    base_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args: Any, entry: Entry | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.entry = entry
        if entry is not None:
            del self.fields["kind"]
            del self.fields["key"]
        form_field(self, "owner", forms.ModelChoiceField).queryset = (
            get_user_model()
            .objects.filter(is_active=True)
            .order_by("last_name", "first_name", "username")
        )
        for name, label in LOCALISED.items():
            for lang in LANGUAGES:
                field_name = f"{name}_{lang}"
                required = lang == "fi" and name in ("title", "summary")
                attrs = {"lang": lang}
                if name == "title":
                    field: forms.Field = forms.CharField(
                        max_length=300, required=required, widget=forms.TextInput(attrs=attrs)
                    )
                else:
                    rows = 3 if name == "summary" else 6
                    field = forms.CharField(
                        required=required,
                        strip=True,
                        max_length=TEXT_LIMITS[name],
                        widget=forms.Textarea(attrs={**attrs, "rows": rows}),
                    )
                field.label = f"{label}{LANGUAGE_SUFFIXES[lang]}"
                if name in MARKDOWN:
                    field.help_text = MARKDOWN_HELP
                self.fields[field_name] = field
        self.ptv_fields: frozenset[str] = frozenset()
        if entry is not None and entry.ptv_id is not None:
            self._disable_ptv_fields(entry)

    def _disable_ptv_fields(self, entry: Entry) -> None:
        """PTV's fields show the entry's current values, disabled: a disabled field takes
        its initial value whatever is posted."""
        current, _contacts = initial_from_snapshot(entry_to_dict(entry), version=entry.version)
        self.ptv_fields = frozenset(ptv_form_fields())
        for name in self.ptv_fields:
            field = self.fields[name]
            field.disabled = True
            field.help_text = PTV_HELP
            self.initial[name] = current[name]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        assert cleaned is not None  # Form.clean() returns cleaned_data
        kind = self.entry.kind if self.entry is not None else cleaned.get("kind")
        if (
            kind == Entry.Kind.SERVICE
            and "service_lines" in cleaned
            and not cleaned.get("service_lines")
        ):
            self.add_error("service_lines", _("Valitse palvelulle vähintään yksi palvelulinja."))
        if (
            kind == Entry.Kind.OFFER
            and "organisation" in cleaned
            and not cleaned.get("organisation")
        ):
            self.add_error("organisation", _("Valitse tarjonnalle organisaatio."))
        return cleaned

    def language_sections(self) -> list[LanguageSection]:
        """The localised fields grouped by language, for the template."""
        sections = []
        for lang in LANGUAGES:
            rows = [FieldRow(self[f"{name}_{lang}"], name in MARKDOWN) for name in LOCALISED]
            has_content = any(row.field.value() for row in rows)
            has_errors = any(row.field.errors for row in rows)
            sections.append(
                LanguageSection(
                    lang=lang,
                    legend=str(LANGUAGE_LEGENDS[lang]),
                    open=lang == "fi" or has_content or has_errors,
                    rows=rows,
                )
            )
        return sections


class OpeningHoursField(forms.CharField):
    """Structured opening hours typed in the editors' syntax (``opening_hours.parse_text``);
    cleans to the canonical value, shows a value back as text. A mistake names the
    clause and keeps what was typed."""

    widget = forms.Textarea

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Aukioloajat (rakenteiset)"))
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 2000)
        kwargs.setdefault(
            "help_text",
            _(
                "Esim. ”ma-pe 8-11, 12-16; la 10-14”. Poikkeukset omille riveilleen: "
                "”24.12.2026-26.12.2026 suljettu”, ”31.12.2026 9-12”. Jakso: "
                "”1.6.2026-31.8.2026: ma-pe 9-15”. Pyhäpäivinä suljettu, ellei kirjoita "
                "”pyhäpäivinä auki”."
            ),
        )
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("rows", 3)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, dict):
            return opening_hours.to_text(value)
        return value

    def has_changed(self, initial: Any, data: Any) -> bool:
        try:
            typed = opening_hours.parse_text(data or "")
        except opening_hours.OpeningHoursSyntaxError:
            return True
        if isinstance(initial, str):
            return initial.strip() != opening_hours.to_text(typed)
        return opening_hours.canonical(initial or {}) != typed

    def clean(self, value: Any) -> dict[str, Any]:
        text = super().clean(value)
        try:
            return opening_hours.parse_text(text or "")
        except opening_hours.OpeningHoursSyntaxError as exc:
            raise ValidationError(str(exc), code="opening_hours") from exc


class ContactForm(_Form):
    label_fi = forms.CharField(label=_("Nimi"), max_length=300, required=False)
    label_sv = forms.CharField(
        label=_("Nimi ruotsiksi"),
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"lang": "sv"}),
    )
    label_en = forms.CharField(
        label=_("Nimi englanniksi"),
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"lang": "en"}),
    )
    phone = forms.CharField(label=_("Puhelin"), max_length=50, required=False)
    email = forms.EmailField(label=_("Sähköposti"), max_length=254, required=False)
    address = forms.CharField(label=_("Osoite"), max_length=300, required=False)
    hours_fi = forms.CharField(label=_("Aukioloajat"), max_length=300, required=False)
    hours_sv = forms.CharField(
        label=_("Aukioloajat ruotsiksi"),
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"lang": "sv"}),
    )
    hours_en = forms.CharField(
        label=_("Aukioloajat englanniksi"),
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"lang": "en"}),
    )
    opening_hours = OpeningHoursField()
    municipalities: forms.ModelMultipleChoiceField[Municipality] = forms.ModelMultipleChoiceField(
        label=_("Kunnat"),
        queryset=Municipality.objects.order_by("name_fi"),
        to_field_name="code",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Ei valintaa: koko alue."),
    )


class PtvContactForm(ContactForm):
    """A contact of an entry imported from Suomi.fi: shown, not edited (every field
    disabled: it keeps its initial value whatever is posted)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.disabled = True


class BasePtvContactFormSet(forms.BaseFormSet):  # type: ignore[type-arg]  # not subscriptable at run time
    """Exactly the entry's contacts: a posted form count cannot add or drop one."""

    def initial_form_count(self) -> int:
        return len(self.initial or [])

    def total_form_count(self) -> int:
        return len(self.initial or [])


ContactFormSet = forms.formset_factory(
    ContactForm, extra=1, can_delete=True, max_num=limits.ENTRY_CONTACTS, validate_max=True
)
PtvContactFormSet = forms.formset_factory(
    PtvContactForm, formset=BasePtvContactFormSet, extra=0, can_delete=False
)
CONTACTS_PREFIX = "contacts"


def ptv_form_fields() -> list[str]:
    """The edit form's fields that hold ``PTV_OWNED_FIELDS`` (the contacts aside)."""
    names: list[str] = []
    for name in PTV_OWNED_FIELDS:
        if name in LOCALISED:
            names += [f"{name}_{lang}" for lang in LANGUAGES]
        elif name != "contacts":
            names.append(name)
    return names


def contact_formset(
    entry: Entry | None,
    data: Mapping[str, Any] | None = None,
    *,
    initial: list[dict[str, Any]] | None = None,
) -> forms.BaseFormSet[ContactForm]:
    """The contacts of the edit form: editable, or for an entry imported from Suomi.fi its
    current contacts, read-only."""
    if entry is not None and entry.ptv_id is not None:
        _initial, contacts = initial_from_snapshot(entry_to_dict(entry), version=entry.version)
        return PtvContactFormSet(data, prefix=CONTACTS_PREFIX, initial=contacts)
    return ContactFormSet(data, prefix=CONTACTS_PREFIX, initial=initial)


def _localised(cleaned: Mapping[str, Any], name: str) -> dict[str, str]:
    return {lang: cleaned[f"{name}_{lang}"] for lang in LANGUAGES if cleaned.get(f"{name}_{lang}")}


def entry_data(
    form: EntryForm, formset: forms.BaseFormSet[ContactForm]
) -> tuple[dict[str, Any], list[int]]:
    """One entry object in the interchange shape from a valid form and formset, and for
    each of its contacts the index of the formset form it came from."""
    cleaned = form.cleaned_data
    data: dict[str, Any] = {}
    if "key" in cleaned:
        data["key"] = cleaned["key"]
    elif form.entry is not None:
        data["key"] = form.entry.key
    for name in LOCALISED:
        value = _localised(cleaned, name)
        if value or name in ("title", "summary"):
            data[name] = value
    data["service_lines"] = [line.key for line in cleaned.get("service_lines") or []]
    data["municipalities"] = [m.code for m in cleaned.get("municipalities") or []]
    if cleaned.get("organisation"):
        data["organisation"] = cleaned["organisation"].key
    for name in LIST_FIELDS:
        data[name] = list(cleaned.get(name) or [])
    if cleaned.get("owner"):
        data["owner"] = cleaned["owner"].username
    if cleaned.get("review_interval_days"):
        data["review_interval_days"] = cleaned["review_interval_days"]
    contacts = []
    indices = []
    for index, contact_form in enumerate(formset.forms):
        c = getattr(contact_form, "cleaned_data", None)
        if not c or c.get("DELETE"):
            continue
        contact: dict[str, Any] = {}
        for name in ("label", "hours"):
            value = _localised(c, name)
            if value:
                contact[name] = value
        for name in ("phone", "email", "address"):
            if c.get(name):
                contact[name] = c[name]
        if c.get("opening_hours"):
            contact["opening_hours"] = c["opening_hours"]
        if c.get("municipalities"):
            contact["municipalities"] = sorted(m.code for m in c["municipalities"])
        if contact:
            contacts.append(contact)
            indices.append(index)
    data["contacts"] = contacts
    return data, indices


def initial_from_snapshot(
    snapshot: Mapping[str, Any],
    *,
    version: int,
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Initial values for EntryForm and ContactFormSet from one entry object."""
    initial: dict[str, Any] = {"base_version": version}
    for name in LOCALISED:
        value = snapshot.get(name) or {}
        for lang in LANGUAGES:
            initial[f"{name}_{lang}"] = value.get(lang, "")
    initial["service_lines"] = list(snapshot.get("service_lines") or [])
    initial["municipalities"] = list(snapshot.get("municipalities") or [])
    initial["organisation"] = snapshot.get("organisation")
    for name in LIST_FIELDS:
        initial[name] = "\n".join(snapshot.get(name) or [])
    initial["owner"] = snapshot.get("owner")
    initial["review_interval_days"] = snapshot.get("review_interval_days")
    contacts = []
    for c in snapshot.get("contacts") or []:
        row: dict[str, Any] = {}
        for name in ("label", "hours"):
            for lang in LANGUAGES:
                row[f"{name}_{lang}"] = (c.get(name) or {}).get(lang, "")
        for name in ("phone", "email", "address"):
            row[name] = c.get(name) or ""
        row["opening_hours"] = opening_hours.to_text(c.get("opening_hours"))
        row["municipalities"] = interchange.contact_municipalities(c)
        contacts.append(row)
    return initial, contacts


def attach_errors(
    form: EntryForm,
    formset: forms.BaseFormSet[ContactForm],
    error: ValidationError,
    contact_indices: list[int],
) -> None:
    """Put a service's ValidationError next to the fields it names."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        if name.startswith(f"{CONTACTS_PREFIX}."):
            _, index, field = name.split(".", 2)
            position = int(index)
            if position < len(contact_indices):
                contact_form = formset.forms[contact_indices[position]]
                contact_form.add_error(field if field in contact_form.fields else None, errors)
                continue
        if name != NON_FIELD_ERRORS and name in form.fields and name != "base_version":
            form.add_error(name, errors)
        else:
            form.add_error(None, errors)


class ProblemReportForm(_Form):
    what_is_wrong = forms.CharField(
        label=_("Mikä on väärin?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=limits.PROBLEM_REPORT,
        help_text=_("Esim. ”Puhelinnumero on vaihtunut” tai ”Maksu on noussut vuodelle 2026”."),
    )
    what_tried = forms.CharField(
        label=_("Mitä yritit tehdä?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=limits.PROBLEM_REPORT,
        required=False,
        help_text=_(
            "Esim. ”Yritin ohjata asiakkaan hakemaan palvelua.” Älä kirjoita asiakkaan tietoja."
        ),
    )
