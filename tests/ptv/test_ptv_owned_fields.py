"""The fields of an entry imported from Suomi.fi (PTV) are edited in PTV: the services
refuse an intranet or admin change to one (``services.ensure_ptv_fields_unchanged``),
the edit form and the admin show them marked and read-only, the local fields stay
editable, and the sync (``entry_sync_from_ptv``) still writes them."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from apps.catalogue import services
from apps.catalogue.edit_forms import (
    EntryForm,
    attach_errors,
    contact_formset,
    entry_data,
    initial_from_snapshot,
)
from apps.catalogue.interchange import entry_to_dict
from apps.catalogue.models import Contact, Entry, EntryVersion, Organisation
from tests.catalogue.factories import HAMINA, KOTKA, entry, line, organisation

pytestmark = pytest.mark.django_db

LINE = "vammaispalvelut"
PTV_ID = uuid.UUID("6f1c1a3e-2b8d-4d6a-9c2e-0a1b2c3dff01")
PTV_ORGANISATION = uuid.UUID("0a1b2c3d-0000-4000-8000-0000000000ff")
PHONE = "+358 50000 2000"


def ptv_data(**changes: Any) -> dict[str, Any]:
    """A PTV service's fields, as ``ptv.mapping.map_service`` gives them."""
    data: dict[str, Any] = {
        "title": {"fi": "Kuljetuspalvelu", "sv": "Färdtjänst"},
        "summary": {"fi": "Taksimatkat vaikeavammaisille."},
        "body": {"fi": "Matkat asiointiin ja virkistykseen."},
        "eligibility": {},
        "how_to_apply": {"fi": "Hae hakemuksella."},
        "fees": {"fi": "Maksuton."},
        "municipalities": [KOTKA],
        "contacts": [
            {
                "label": {"fi": "Vammaispalvelujen neuvonta"},
                "phone": PHONE,
                "opening_hours": {"weekly": [{"days": {"mon": ["09:00-12:00"]}}]},
            }
        ],
        "legal_basis": ["Vammaispalvelulaki 675/2023"],
        "organisation": f"ptv-{PTV_ORGANISATION}",
    }
    return data | changes


def sync(**changes: Any) -> str:
    return services.entry_sync_from_ptv(
        ptv_id=PTV_ID,
        data=ptv_data(**changes),
        status=Entry.PtvStatus.PUBLISHED,
        modified=None,
        service_line=LINE,
    )


@pytest.fixture
def ptv_entry(editor) -> Entry:
    """Imported from PTV, then given an owner and a keyword in the intranet (version 2)."""
    line(LINE)
    line("ikaihmiset")
    services.organisation_sync_from_ptv(
        ptv_id=PTV_ORGANISATION,
        name={"fi": "Esimerkin hyvinvointialue", "sv": "Exempels välfärdsområde"},
        kind=Organisation.Kind.WELLBEING_AREA,
    )
    assert sync() == "created"
    imported = Entry.objects.get(ptv_id=PTV_ID)
    data = dict(entry_to_dict(imported), owner=editor.username, keywords=["taksi"])
    return services.entry_save(
        entry=imported, data=data, author=editor, base_version=imported.version
    )


def current(e: Entry) -> dict[str, Any]:
    return entry_to_dict(Entry.objects.get(pk=e.pk))


# --- Services ---------------------------------------------------------------------------------


def _phone(d: dict[str, Any]) -> dict[str, Any]:
    return dict(d, contacts=[dict(d["contacts"][0], phone="+358 50000 2999")])


PTV_CHANGES: list[tuple[Callable[[dict[str, Any]], dict[str, Any]], set[str]]] = [
    (lambda d: dict(d, title=dict(d["title"], sv="Ny färdtjänst")), {"title_sv"}),
    (lambda d: dict(d, body={"fi": "Toinen kuvaus.", "en": "Other."}), {"body_fi", "body_en"}),
    (lambda d: dict(d, municipalities=[HAMINA, KOTKA]), {"municipalities"}),
    (lambda d: dict(d, organisation=None), {"organisation"}),
    (lambda d: dict(d, legal_basis=[]), {"legal_basis"}),
    (_phone, {"contacts"}),
    (lambda d: dict(d, contacts=[]), {"contacts"}),
]


@pytest.mark.parametrize(("change", "fields"), PTV_CHANGES)
def test_entry_save_refuses_a_change_to_a_ptv_field_and_writes_nothing(
    ptv_entry, editor, change, fields
):
    before = current(ptv_entry)
    versions = EntryVersion.objects.count()
    # A local change alongside: refused with the rest, nothing half-saved.
    data = change(dict(before, keywords=["taksi", "kela-kyyti"]))

    with pytest.raises(ValidationError) as refused:
        services.entry_save(
            entry=ptv_entry, data=data, author=editor, base_version=ptv_entry.version
        )

    assert set(refused.value.message_dict) == fields
    for messages in refused.value.message_dict.values():
        assert "Suomi.fi" in messages[0] and "PTV" in messages[0]
    assert current(ptv_entry) == before
    assert EntryVersion.objects.count() == versions
    assert Entry.objects.get(pk=ptv_entry.pk).version == ptv_entry.version


def test_the_refusal_names_the_field(ptv_entry, editor):
    data = dict(current(ptv_entry), title={"fi": "Kuljetuspalvelu", "sv": "Ny"})
    with pytest.raises(ValidationError) as refused:
        services.entry_save(
            entry=ptv_entry, data=data, author=editor, base_version=ptv_entry.version
        )
    assert refused.value.message_dict["title_sv"] == [
        "”otsikko (sv)” tulee Suomi.fi:stä: muuta se palvelutietovarannossa (PTV), ei intranetissä."
    ]


def test_entry_save_allows_the_local_fields_of_a_ptv_entry(ptv_entry, editor, manager):
    before = current(ptv_entry)
    data = dict(
        before,
        keywords=["taksi", "kela-kyyti"],
        target_groups=["vaikeavammaiset"],
        service_lines=[LINE, "ikaihmiset"],
        owner=manager.username,
        review_interval_days=90,
    )

    saved = services.entry_save(
        entry=ptv_entry, data=data, author=editor, base_version=ptv_entry.version
    )

    assert saved.version == ptv_entry.version + 1
    after = current(ptv_entry)
    assert after["keywords"] == ["taksi", "kela-kyyti"]
    assert after["service_lines"] == sorted([LINE, "ikaihmiset"])
    assert (after["owner"], after["review_interval_days"]) == (manager.username, 90)
    assert {k: after[k] for k in services.PTV_OWNED_FIELDS if k in after} == {
        k: before[k] for k in services.PTV_OWNED_FIELDS if k in before
    }


def test_a_local_entry_is_edited_as_before(editor):
    line(LINE)
    local = entry("oma", title="Oma", lines=[LINE])
    data = dict(entry_to_dict(local), title={"fi": "Oma, uusi nimi"}, municipalities=[KOTKA])
    saved = services.entry_save(entry=local, data=data, author=editor, base_version=local.version)
    assert saved.title_fi == "Oma, uusi nimi"


def test_the_sync_still_writes_the_ptv_fields_and_keeps_the_local_ones(ptv_entry):
    assert sync(title={"fi": "Kuljetuspalvelu (uusi)"}, municipalities=[]) == "updated"

    after = Entry.objects.get(pk=ptv_entry.pk)
    data = entry_to_dict(after)
    assert data["title"] == {"fi": "Kuljetuspalvelu (uusi)"}
    assert "municipalities" not in data  # the whole area
    assert data["keywords"] == ["taksi"]
    assert after.ptv_changed_at is not None
    assert after.version == ptv_entry.version + 1


def test_a_restore_brings_back_local_fields_and_keeps_what_ptv_has(ptv_entry, editor):
    sync(title={"fi": "Kuljetuspalvelu (uusi)"})
    e = Entry.objects.get(pk=ptv_entry.pk)

    services.entry_restore(entry=e, number=1, author=editor, base_version=e.version)

    data = current(e)
    assert data["title"] == {"fi": "Kuljetuspalvelu (uusi)"}  # as in PTV now
    assert "keywords" not in data and "owner" not in data  # as in version 1


def test_an_admin_save_that_changes_a_ptv_field_is_refused(ptv_entry, editor):
    before = current(ptv_entry)

    def write(e: Entry) -> None:
        e.title_fi = "Ylläpidossa muutettu"
        e.keywords = ["ylläpito"]
        e.save()

    with pytest.raises(ValidationError) as refused:
        services.entry_save_with(
            entry=Entry.objects.get(pk=ptv_entry.pk),
            base_version=ptv_entry.version,
            author=editor,
            comment="",
            write=write,
        )
    assert set(refused.value.message_dict) == {"title_fi"}
    assert current(ptv_entry) == before


# --- The intranet's edit form -------------------------------------------------------------------


def _tag(html: str, name: str) -> str:
    found = re.search(rf'<(?:input|textarea|select)\b[^>]*\bname="{re.escape(name)}"[^>]*>', html)
    assert found, name
    return found.group(0)


def _posted(e: Entry, **changes: str) -> dict[str, Any]:
    """The edit form as the browser posts it: disabled fields are not sent."""
    initial, contacts = initial_from_snapshot(entry_to_dict(e), version=e.version)
    form = EntryForm(entry=e)
    data = {
        k: v
        for k, v in initial.items()
        if v not in (None, "") and k in form.fields and not form.fields[k].disabled
    }
    data |= {
        "contacts-TOTAL_FORMS": str(len(contacts)),
        "contacts-INITIAL_FORMS": str(len(contacts)),
        "contacts-MIN_NUM_FORMS": "0",
        "contacts-MAX_NUM_FORMS": "1000",
    }
    return data | changes


def test_the_edit_form_disables_and_marks_the_ptv_fields(client, editor, ptv_entry):
    client.force_login(editor)
    response = client.get(reverse("catalogue:entry_edit", args=[ptv_entry.key]))
    html = response.content.decode()

    form = response.context["form"]
    for name in ("title_fi", "title_sv", "summary_fi", "body_en", "fees_fi"):
        assert form.fields[name].disabled, name
        assert " disabled" in _tag(html, name)
    for name in ("municipalities", "organisation", "legal_basis"):
        assert form.fields[name].disabled, name
    for name in ("keywords", "target_groups", "service_lines", "owner", "review_interval_days"):
        assert not form.fields[name].disabled, name
        assert " disabled" not in _tag(html, name)
    assert " disabled" in _tag(html, "contacts-0-phone")
    assert 'name="contacts-0-DELETE"' not in html
    assert 'name="_add_contact"' not in html
    assert 'value="body_fi"' not in html  # no Markdown preview for a field not edited here
    # A marker and the link to the service next to each PTV field (6 texts × 3 languages,
    # municipalities, organisation, legal basis) and on the contact.
    assert html.count("badge-ptv") == 6 * 3 + 3 + 1
    assert html.count(f'href="{ptv_entry.suomifi_url}"') >= 6 * 3 + 3 + 1
    assert 'aria-describedby="id_title_fi_helptext"' in _tag(html, "title_fi")


def test_a_local_entrys_form_is_editable(editor):
    line(LINE)
    form = EntryForm(entry=entry("oma", lines=[LINE]))
    assert not any(field.disabled for field in form.fields.values())


def test_a_post_cannot_change_a_ptv_field_and_saves_the_local_ones(client, editor, ptv_entry):
    client.force_login(editor)
    before = current(ptv_entry)
    data = _posted(
        ptv_entry,
        title_fi="Yritetty muuttaa",
        summary_sv="Försök",
        legal_basis="Keksitty laki",
        municipalities=HAMINA,
        **{"contacts-0-phone": "+358 40 000 0000", "contacts-TOTAL_FORMS": "0"},
        keywords="taksi\nkela-kyyti",
        comment="Hakusanat",
    )

    response = client.post(reverse("catalogue:entry_edit", args=[ptv_entry.key]), data)

    assert response.status_code == 302
    after = current(ptv_entry)
    assert after["keywords"] == ["taksi", "kela-kyyti"]
    assert {k: after.get(k) for k in services.PTV_OWNED_FIELDS} == {
        k: before.get(k) for k in services.PTV_OWNED_FIELDS
    }
    assert Contact.objects.filter(entry=ptv_entry, phone=PHONE).count() == 1


def test_a_refused_ptv_change_lands_next_to_its_field_keeping_what_was_typed(editor, ptv_entry):
    """The form cannot post a PTV change (its PTV fields are disabled); should the data
    hold one all the same, the service's refusal is shown next to the field and the
    local fields keep what was typed."""
    e = Entry.objects.get(pk=ptv_entry.pk)
    form = EntryForm(_posted(e, keywords="uusi hakusana"), entry=e)
    formset = contact_formset(e, _posted(e))
    assert form.is_valid() and formset.is_valid(), (form.errors, formset.errors)
    data, indices = entry_data(form, formset)
    data["title"] = dict(data["title"], sv="Ny")

    with pytest.raises(ValidationError) as refused:
        services.entry_save(entry=e, data=data, author=editor, base_version=e.version)
    attach_errors(form, formset, refused.value, indices)

    assert "otsikko (sv)" in form.errors["title_sv"][0]
    assert form["keywords"].value() == "uusi hakusana"
    assert current(e)["keywords"] == ["taksi"]


# --- Django admin -------------------------------------------------------------------------------


def test_the_admin_shows_the_ptv_fields_read_only(client, superuser, ptv_entry):
    client.force_login(superuser)
    url = reverse("admin:catalogue_entry_change", args=[ptv_entry.pk])
    html = client.get(url).content.decode()

    for name in ("title_fi", "summary_sv", "body_en", "municipalities", "legal_basis"):
        assert f'name="{name}"' not in html, name
    assert 'name="organisation"' not in html
    for name in ("keywords", "target_groups", "service_lines", "review_interval_days"):
        assert f'name="{name}"' in html, name
    assert 'name="contacts-0-phone"' not in html and PHONE in html
    assert "ma 9-12" in html  # the contact's opening hours, as text
    assert 'name="contacts-0-DELETE"' not in html
    assert ptv_entry.suomifi_url in html


def test_an_admin_save_keeps_the_ptv_fields_and_saves_the_local_ones(client, superuser, ptv_entry):
    client.force_login(superuser)
    e = Entry.objects.get(pk=ptv_entry.pk)
    before = current(e)
    contact = e.contacts.get()
    data = {
        "kind": e.kind,
        "key": e.key,
        "base_version": e.version,
        "owner": e.owner_id,
        "title_fi": "Yritetty ylläpidossa",  # read-only: not taken
        "service_lines": [x.pk for x in e.service_lines.all()],
        "target_groups": "vaikeavammaiset",
        "keywords": "taksi,kela-kyyti",
        "review_interval_days": "",
        "contacts-TOTAL_FORMS": "1",
        "contacts-INITIAL_FORMS": "1",
        "contacts-MIN_NUM_FORMS": "0",
        "contacts-MAX_NUM_FORMS": "1000",
        "contacts-0-id": str(contact.pk),
        "contacts-0-entry": str(e.pk),
        "contacts-0-phone": "+358 40 000 0000",  # read-only: not taken
    }

    response = client.post(reverse("admin:catalogue_entry_change", args=[e.pk]), data)

    assert response.status_code == 302, response.content.decode()[:2000]
    after = current(e)
    assert after["keywords"] == ["taksi", "kela-kyyti"]
    assert after["target_groups"] == ["vaikeavammaiset"]
    assert {k: after.get(k) for k in services.PTV_OWNED_FIELDS} == {
        k: before.get(k) for k in services.PTV_OWNED_FIELDS
    }


def test_a_local_entry_in_the_admin_is_editable(client, superuser):
    client.force_login(superuser)
    line(LINE)
    local = entry("oma", lines=[LINE], organisation=organisation("yhdistys"))
    html = client.get(reverse("admin:catalogue_entry_change", args=[local.pk])).content.decode()
    assert 'name="title_fi"' in html and 'name="municipalities"' in html


# --- The catalogue file import ------------------------------------------------------------------


def test_a_catalogue_file_cannot_change_a_ptv_field(ptv_entry):
    from apps.catalogue.interchange import CatalogueFormatError, export_catalogue

    data = export_catalogue()
    assert services.import_catalogue(data).counts["services"].unchanged == 1  # as it is: fine

    before = current(ptv_entry)
    item = next(i for i in data["services"] if i["key"] == ptv_entry.key)
    item["title"]["sv"] = "Ny"
    item["keywords"] = ["tiedostosta"]
    with pytest.raises(CatalogueFormatError) as refused:
        services.import_catalogue(data)
    assert refused.value.errors == ["services[0].title.sv: edited in Suomi.fi (PTV), not here"]
    assert current(ptv_entry) == before

    item["title"]["sv"] = before["title"]["sv"]
    services.import_catalogue(data)  # the local field alone imports
    assert current(ptv_entry)["keywords"] == ["tiedostosta"]
