"""apps/catalogue/edit_forms.py: the entry form and its contact formset speak the
interchange shape both ways, and a service's errors land next to the fields."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.datastructures import MultiValueDict

from apps.catalogue import services
from apps.catalogue.edit_forms import (
    CONTACTS_PREFIX,
    ContactFormSet,
    EntryForm,
    LinesField,
    UserChoiceField,
    attach_errors,
    entry_data,
    initial_from_snapshot,
)
from apps.catalogue.interchange import entry_to_dict
from apps.catalogue.models import Entry
from tests.catalogue.factories import HAMINA, KOTKA, contact, entry, organisation
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def _post(
    initial: dict[str, Any], contacts: list[dict[str, Any]] = (), **changes: Any
) -> MultiValueDict:
    """What the browser posts for a form showing ``initial`` and ``contacts``."""
    values = {**initial, **changes}
    data = MultiValueDict()
    for name, value in values.items():
        if isinstance(value, (list, tuple)):
            data.setlist(name, [str(v) for v in value])
        elif value is not None:
            data[name] = str(value)
    data[f"{CONTACTS_PREFIX}-TOTAL_FORMS"] = str(len(contacts))
    data[f"{CONTACTS_PREFIX}-INITIAL_FORMS"] = str(len(contacts))
    for index, row in enumerate(contacts):
        for name, value in row.items():
            if isinstance(value, (list, tuple)):
                data.setlist(f"{CONTACTS_PREFIX}-{index}-{name}", [str(v) for v in value])
            elif value not in (None, False):
                data[f"{CONTACTS_PREFIX}-{index}-{name}"] = str(value)
    return data


def _bound(data: MultiValueDict, entry: Entry | None = None):
    form = EntryForm(data, entry=entry)
    formset = ContactFormSet(data, prefix=CONTACTS_PREFIX)
    return form, formset


@pytest.fixture
def transport(editor) -> Entry:
    found = entry(
        "kuljetuspalvelu",
        title="Kuljetuspalvelu",
        lines=["vammaispalvelut"],
        municipalities=[KOTKA, HAMINA],
        owner=editor,
        review_interval_days=180,
        body="Matkoja saa **18** kuukaudessa.",
        title_sv="Färdtjänst",
        fees="Taksa",
        fees_fi="Taksa",
        keywords=["taksi", "kela-kyyti"],
        target_groups=["vaikeavammaiset"],
    )
    contact(found, label="Kotkan ohjaus", municipality=KOTKA, phone="05 000 1000")
    contact(found, label="Alueen ohjaus", phone="05 000 2000", email="ohjaus@example.org")
    return found


# --- LinesField and UserChoiceField ---------------------------------------------------


class TestLinesField:
    def test_one_item_per_line_stripped_without_empties_or_repeats(self):
        field = LinesField(item_max_length=20)
        assert field.clean(" taksi \n\nkela-kyyti\ntaksi\n  \n") == ["taksi", "kela-kyyti"]
        assert field.clean("") == []

    def test_shows_a_list_one_item_per_line(self):
        field = LinesField(item_max_length=20)
        assert field.prepare_value(["taksi", "kela-kyyti"]) == "taksi\nkela-kyyti"
        assert field.prepare_value("taksi") == "taksi"

    def test_refuses_a_too_long_line_naming_it(self):
        field = LinesField(item_max_length=5)
        with pytest.raises(ValidationError) as caught:
            field.clean("taksi\nkuljetuspalvelu")
        assert caught.value.error_list[0].code == "max_length"
        assert "kuljetuspalvelu" in caught.value.messages[0]

    def test_required_needs_one_item(self):
        field = LinesField(item_max_length=5, required=True)
        with pytest.raises(ValidationError):
            field.clean("\n \n")


def test_user_choice_label_is_the_full_name_and_username(django_user_model):
    named = make_user(django_user_model, "kaisa", last_name="Kollega")
    bare = django_user_model.objects.create_user(username="tunnus")
    field = UserChoiceField(queryset=django_user_model.objects.all())
    assert field.label_from_instance(named) == "Kaisa Kollega (kaisa)"
    assert field.label_from_instance(bare) == "tunnus"


# --- EntryForm --------------------------------------------------------------------------


class TestEntryForm:
    def test_new_entry_asks_kind_and_key_an_existing_one_does_not(self, transport):
        assert {"kind", "key"} <= set(EntryForm(entry=None).fields)
        assert not {"kind", "key"} & set(EntryForm(entry=transport).fields)

    def test_every_text_in_every_language_only_finnish_title_and_summary_required(self):
        fields = EntryForm(entry=None).fields
        for name in ("title", "summary", "body", "eligibility", "how_to_apply", "fees"):
            for lang in ("fi", "sv", "en"):
                field = fields[f"{name}_{lang}"]
                assert field.widget.attrs["lang"] == lang
                assert field.required is (lang == "fi" and name in ("title", "summary"))

    def test_owner_choices_are_active_users(self, editor, django_user_model):
        make_user(django_user_model, "lahtenyt", is_active=False)
        owners = EntryForm(entry=None).fields["owner"].queryset
        assert editor in owners
        assert not owners.filter(username="lahtenyt").exists()

    def test_service_needs_a_line(self):
        form, _ = _bound(
            _post(
                {
                    "kind": "service",
                    "key": "uusi",
                    "title_fi": "Uusi",
                    "summary_fi": "Lyhyesti.",
                    "base_version": 0,
                }
            )
        )
        assert not form.is_valid()
        assert list(form.errors) == ["service_lines"]

    def test_offer_needs_an_organisation(self):
        form, _ = _bound(
            _post(
                {
                    "kind": "offer",
                    "key": "uusi",
                    "title_fi": "Uusi",
                    "summary_fi": "Lyhyesti.",
                    "base_version": 0,
                }
            )
        )
        assert not form.is_valid()
        assert list(form.errors) == ["organisation"]

    def test_existing_entrys_own_kind_decides(self, transport):
        initial, _ = initial_from_snapshot(entry_to_dict(transport), version=0)
        form, _ = _bound(_post(initial, service_lines=[]), entry=transport)
        assert not form.is_valid()
        assert list(form.errors) == ["service_lines"]

    def test_language_sections_open_finnish_and_what_has_content_or_errors(self, transport):
        initial, _ = initial_from_snapshot(entry_to_dict(transport), version=0)
        sections = EntryForm(entry=transport, initial=initial).language_sections()
        assert [(s.lang, s.open) for s in sections] == [("fi", True), ("sv", True), ("en", False)]
        assert [row.markdown for row in sections[0].rows] == [False, False, True, True, True, True]
        form, _ = _bound(_post(initial, title_en="x" * 301), entry=transport)
        assert not form.is_valid()
        assert [s.open for s in form.language_sections()] == [True, True, True]


# --- entry_data and initial_from_snapshot ----------------------------------------------


class TestRoundTrip:
    def test_form_shows_an_entry_and_gives_back_the_same_object(self, transport):
        snapshot = entry_to_dict(transport)
        initial, contacts = initial_from_snapshot(snapshot, version=transport.version)
        form, formset = _bound(_post(initial, contacts), entry=transport)
        assert form.is_valid(), form.errors
        assert formset.is_valid(), formset.errors

        data, indices = entry_data(form, formset)

        assert indices == [0, 1]
        # The snapshot leaves empty values out; review dates are not edited here.
        assert {name: value for name, value in data.items() if value not in ([], {})} == {
            name: value for name, value in snapshot.items() if name != "last_reviewed"
        }
        assert (data["title"], data["owner"], data["review_interval_days"]) == (
            {"fi": "Kuljetuspalvelu", "sv": "Färdtjänst"},
            "editor",
            180,
        )
        assert data["municipalities"] == sorted([KOTKA, HAMINA])
        assert len(data["contacts"]) == 2
        assert initial["base_version"] == transport.version
        assert initial["keywords"] == "taksi\nkela-kyyti"

    def test_saving_the_form_through_the_service_records_the_change(self, transport, editor):
        initial, contacts = initial_from_snapshot(
            entry_to_dict(transport), version=transport.version
        )
        form, formset = _bound(
            _post(initial, contacts, summary_fi="Uusi tiivistelmä."), entry=transport
        )
        assert form.is_valid() and formset.is_valid()
        data, _ = entry_data(form, formset)

        saved = services.entry_save(
            entry=transport,
            data=data,
            author=editor,
            base_version=form.cleaned_data["base_version"],
        )

        assert saved.summary_fi == "Uusi tiivistelmä."
        assert saved.title_sv == "Färdtjänst"
        assert sorted(c.label_fi for c in saved.contacts.all()) == [
            "Alueen ohjaus",
            "Kotkan ohjaus",
        ]

    def test_deleted_and_empty_contact_rows_are_left_out(self, transport):
        initial, contacts = initial_from_snapshot(entry_to_dict(transport), version=0)
        rows = [{**contacts[0], "DELETE": "on"}, {"label_fi": "", "phone": ""}, contacts[1]]
        form, formset = _bound(_post(initial, rows), entry=transport)
        assert form.is_valid() and formset.is_valid(), formset.errors

        data, indices = entry_data(form, formset)

        assert indices == [2]
        assert [c["label"]["fi"] for c in data["contacts"]] == [contacts[1]["label_fi"]]

    def test_new_offer_carries_key_and_organisation(self):
        org = organisation("kotkan-srk", name="Kotkan seurakunta")
        form, formset = _bound(
            _post(
                {
                    "kind": "offer",
                    "key": "ruoka-apu",
                    "title_fi": "Ruoka-apu",
                    "summary_fi": "Ruokakassit.",
                    "organisation": org.key,
                    "base_version": 0,
                }
            )
        )
        assert form.is_valid(), form.errors

        data, indices = entry_data(form, formset)

        assert (data["key"], data["organisation"], data["title"], indices) == (
            "ruoka-apu",
            "kotkan-srk",
            {"fi": "Ruoka-apu"},
            [],
        )
        assert "body" not in data  # an empty optional text is left out


# --- attach_errors ----------------------------------------------------------------------


class TestAttachErrors:
    @pytest.fixture
    def bound(self, transport):
        initial, contacts = initial_from_snapshot(entry_to_dict(transport), version=0)
        rows = [{**contacts[0], "DELETE": "on"}, contacts[1]]
        form, formset = _bound(_post(initial, rows), entry=transport)
        assert form.is_valid() and formset.is_valid()
        _data, indices = entry_data(form, formset)
        return form, formset, indices

    def test_field_errors_go_next_to_their_fields(self, bound):
        form, formset, indices = bound
        attach_errors(
            form,
            formset,
            ValidationError(
                {
                    "summary_fi": "Henkilötunnus tekstissä.",
                    "contacts.0.phone": "Ei puhelinnumero.",
                }
            ),
            indices,
        )
        assert form.errors["summary_fi"] == ["Henkilötunnus tekstissä."]
        # The service's contact 0 is the formset's second row (the first was deleted).
        assert formset.forms[1].errors["phone"] == ["Ei puhelinnumero."]
        assert not formset.forms[0].errors

    def test_unknown_names_and_the_base_version_become_form_errors(self, bound):
        form, formset, indices = bound
        attach_errors(
            form,
            formset,
            ValidationError(
                {
                    "no_such_field": "Outo.",
                    "base_version": "Vanha.",
                    NON_FIELD_ERRORS: "Yleinen.",
                    "contacts.5.phone": "Ei riviä.",
                }
            ),
            indices,
        )
        assert sorted(form.non_field_errors()) == ["Ei riviä.", "Outo.", "Vanha.", "Yleinen."]

    def test_unknown_contact_field_is_that_rows_own_error(self, bound):
        form, formset, indices = bound
        attach_errors(form, formset, ValidationError({"contacts.0.position": "Outo."}), indices)
        assert formset.forms[1].non_field_errors() == ["Outo."]

    def test_an_error_without_fields_is_a_form_error(self, bound):
        form, formset, indices = bound
        attach_errors(form, formset, ValidationError("Jokin meni pieleen."), indices)
        assert form.non_field_errors() == ["Jokin meni pieleen."]


# --- The format's mistakes on the form -----------------------------------------------------


def _with(data: dict[str, Any], path: tuple[str | int, ...], value: Any) -> dict[str, Any]:
    """``data`` with the value at ``path`` replaced (the path's containers copied)."""
    out = {**data}
    target: Any = out
    for part in path[:-1]:
        child = target[part]
        target[part] = child = {**child} if isinstance(child, dict) else [*child]
        target = child
    target[path[-1]] = value
    return out


@pytest.mark.parametrize(
    ("path", "value", "field", "message"),
    [
        (("title", "sv"), "x" * 301, "title_sv", "longer than 300 characters"),
        (("title",), {"sv": "Färdtjänst"}, "title_fi", "missing"),
        (("keywords",), ["taksi", "x" * 101], "keywords", "longer than 100 characters"),
        (("service_lines",), ["ei-ole"], "service_lines", "unknown service line 'ei-ole'"),
        (("municipalities",), ["999"], "municipalities", "unknown municipality '999'"),
        (("organisation",), "ei-ole", "organisation", "unknown organisation 'ei-ole'"),
        (("owner",), "ei kelpaa", "owner", "invalid username 'ei kelpaa'"),
        (("review_interval_days",), 0, "review_interval_days", "expected a positive whole"),
        (("contacts", 0, "label"), {"fi": "x" * 301}, "contacts.0.label_fi", "longer than 300"),
        (("contacts", 1, "email"), "ei-osoite", "contacts.1.email", "invalid e-mail address"),
        (
            ("contacts", 1, "municipalities"),
            ["999"],
            "contacts.1.municipalities",
            "unknown municipality '999'",
        ),
        (
            ("contacts", 0, "opening_hours"),
            {"weekly": [{"days": {"mon": ["25:00-26:00"]}}]},
            "contacts.0.opening_hours",
            "invalid time range '25:00-26:00'",
        ),
    ],
)
def test_each_format_mistake_lands_on_its_form_field(
    editor, transport, path, value, field, message
):
    """The service refuses data the form let through (a reference deleted meanwhile, a
    limit the form does not know): its mistake is put on the field it is about, by the
    mistake's path, not by reading the message."""
    initial, contacts = initial_from_snapshot(entry_to_dict(transport), version=0)
    form, formset = _bound(_post(initial, contacts), entry=transport)
    assert form.is_valid() and formset.is_valid()
    data, indices = entry_data(form, formset)

    with pytest.raises(ValidationError) as caught:
        services.entry_save(
            entry=transport, data=_with(data, path, value), author=editor, base_version=0
        )
    assert list(caught.value.message_dict) == [field]
    attach_errors(form, formset, caught.value, indices)

    if field.startswith(f"{CONTACTS_PREFIX}."):
        _, index, name = field.split(".")
        errors = formset.forms[int(index)].errors[name]
    else:
        errors = form.errors[field]
    assert any(message in error for error in errors), errors
    assert not form.non_field_errors()
    transport.refresh_from_db()
    assert transport.version == 0


def test_a_mistake_about_no_form_field_is_the_forms_own(editor, transport):
    data = {**entry_to_dict(transport), "colour": "punainen"}
    with pytest.raises(ValidationError) as caught:
        services.entry_save(entry=transport, data=data, author=editor, base_version=0)
    assert caught.value.message_dict == {"colour": ["unknown field"]}

    initial, contacts = initial_from_snapshot(entry_to_dict(transport), version=0)
    form, formset = _bound(_post(initial, contacts), entry=transport)
    assert form.is_valid() and formset.is_valid()
    attach_errors(form, formset, caught.value, entry_data(form, formset)[1])
    assert form.non_field_errors() == ["unknown field"]
