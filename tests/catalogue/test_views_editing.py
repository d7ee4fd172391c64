from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.catalogue import services
from apps.catalogue.edit_forms import initial_from_snapshot
from apps.catalogue.interchange import entry_to_dict
from apps.catalogue.models import Entry, EntryVersion, ProblemReport
from apps.core import limits
from tests.catalogue import factories
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

HETU = "131052-308T"


def create_entry(author: Any, key: str = "kuljetus", **overrides: Any) -> Entry:
    data: dict[str, Any] = {
        "key": key,
        "title": {"fi": "Kuljetuspalvelu"},
        "summary": {"fi": "Taksimatkat asiointiin."},
        "body": {"fi": "Matkoja saa 18 kuukaudessa."},
        "service_lines": ["vammaispalvelut"],
        "contacts": [{"label": {"fi": "Asiakasohjaus"}, "phone": "05 000 2000"}],
    } | overrides
    return services.entry_save(
        entry=None, data=data, author=author, base_version=0, kind=Entry.Kind.SERVICE
    )


def form_data(entry: Entry, **changes: Any) -> dict[str, Any]:
    """What the edit form posts when nothing is touched, plus ``changes``."""
    initial, contacts = initial_from_snapshot(entry_to_dict(entry), version=entry.version)
    data = {k: v for k, v in initial.items() if v not in (None, "")}
    data |= {
        "contacts-TOTAL_FORMS": str(len(contacts)),
        "contacts-INITIAL_FORMS": str(len(contacts)),
        "contacts-MIN_NUM_FORMS": "0",
        "contacts-MAX_NUM_FORMS": "1000",
    }
    for i, contact in enumerate(contacts):
        data |= {f"contacts-{i}-{k}": v for k, v in contact.items() if v}
    data |= changes
    return data


def login(client, user) -> None:
    client.force_login(user)


# --- edit form ------------------------------------------------------------------------------


def test_entry_edit_shows_current_values_languages_and_base_version(client, editor):
    entry = create_entry(editor)
    login(client, editor)

    response = client.get(reverse("catalogue:entry_edit", args=[entry.key]))

    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="base_version" value="1"' in html
    assert "Kuljetuspalvelu" in html
    assert 'name="title_sv"' in html and 'name="body_en"' in html
    assert 'lang="sv"' in html
    assert 'name="contacts-0-phone"' in html and "05 000 2000" in html
    assert 'name="_preview" value="body_fi"' in html
    assert f'hx-post="{reverse("catalogue:entry_preview")}"' in html


@pytest.mark.parametrize("who", ["advisor", "manager"])
def test_entry_edit_refused_for_readers(client, editor, who, request):
    entry = create_entry(editor)
    login(client, request.getfixturevalue(who))
    url = reverse("catalogue:entry_edit", args=[entry.key])
    assert client.get(url).status_code == 403
    assert client.post(url, form_data(entry, title_fi="Hakkeroitu")).status_code == 403
    entry.refresh_from_db()
    assert entry.title_fi == "Kuljetuspalvelu"


def test_entry_edit_allowed_for_owner_without_role(client, editor, django_user_model):
    owner = make_user(django_user_model, "omistaja")
    entry = create_entry(editor)
    Entry.objects.filter(pk=entry.pk).update(owner=owner)
    login(client, owner)
    assert client.get(reverse("catalogue:entry_edit", args=[entry.key])).status_code == 200


def test_entry_edit_post_saves_a_version_and_redirects(client, editor):
    entry = create_entry(editor)
    login(client, editor)

    response = client.post(
        reverse("catalogue:entry_edit", args=[entry.key]),
        form_data(
            entry, title_sv="Färdtjänst", keywords="taksi\n\nkela-kyyti\n", comment="Ruotsiksi"
        ),
    )

    assert response.status_code == 302
    assert response["Location"] == entry.get_absolute_url()
    entry.refresh_from_db()
    assert entry.version == 2
    assert entry.title_sv == "Färdtjänst"
    assert entry.keywords == ["taksi", "kela-kyyti"]
    assert entry.contacts.get().phone == "05 000 2000"
    assert EntryVersion.objects.get(entry=entry, number=2).comment == "Ruotsiksi"


def test_entry_edit_deleting_a_contact(client, editor):
    entry = create_entry(editor)
    login(client, editor)
    client.post(
        reverse("catalogue:entry_edit", args=[entry.key]),
        form_data(entry, **{"contacts-0-DELETE": "on"}),
    )
    assert entry.contacts.count() == 0


def test_entry_edit_privacy_error_is_shown_next_to_the_field_and_keeps_the_text(client, editor):
    entry = create_entry(editor)
    login(client, editor)
    typed = f"Asiakas {HETU} soitti. Muu teksti säilyy."

    response = client.post(
        reverse("catalogue:entry_edit", args=[entry.key]),
        form_data(entry, body_sv=typed, title_fi="Uusi otsikko"),
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="alert"' in html
    assert "henkilötunnuksen" in html
    # The error is attached to body_sv (Django links it with aria-describedby/aria-invalid).
    assert re.search(r'<textarea[^>]*name="body_sv"[^>]*aria-invalid="true"', html)
    assert "Muu teksti säilyy." in html and 'value="Uusi otsikko"' in html
    entry.refresh_from_db()
    assert entry.version == 1
    assert entry.title_fi == "Kuljetuspalvelu"


def test_entry_edit_form_errors_rerender(client, editor):
    entry = create_entry(editor)
    login(client, editor)
    data = form_data(entry, title_fi="")
    data.pop("service_lines")
    response = client.post(reverse("catalogue:entry_edit", args=[entry.key]), data)
    assert response.status_code == 200
    assert response.context["form"].errors.keys() >= {"title_fi", "service_lines"}
    assert Entry.objects.get(pk=entry.pk).version == 1


def test_entry_edit_conflict_shows_what_changed_and_overwrites_nothing(
    client, editor, django_user_model
):
    other = make_user(django_user_model, "kollega", "Sisällöntuottaja", last_name="Kollega")
    entry = create_entry(editor)
    login(client, editor)
    mine = form_data(entry, fees_fi="Maksu 3 euroa.", body_fi="Minun kuvaukseni.")
    theirs = entry_to_dict(entry) | {"title": {"fi": "Kollegan otsikko"}}
    services.entry_save(
        entry=entry, data=theirs, author=other, base_version=1, comment="Otsikko korjattu"
    )

    response = client.post(reverse("catalogue:entry_edit", args=[entry.key]), mine)

    assert response.status_code == 409
    html = response.content.decode()
    conflict = html[html.index('class="entry-conflict" role="alert"') : html.index("</section>")]
    assert "Kollega Kollega" in conflict  # the other editor, by name
    assert "Otsikko korjattu" in conflict
    assert "Kollegan otsikko" in conflict and "Otsikko (suomi)" in conflict
    assert "versiosta 1" in conflict and "versiossa 2" in conflict
    assert "Minun kuvaukseni." in html and "Maksu 3 euroa." in html  # my text kept
    assert 'name="base_version" value="2"' in html
    entry.refresh_from_db()
    assert entry.version == 2
    assert entry.title_fi == "Kollegan otsikko"
    assert entry.fees_fi == ""

    # Saving again from the conflict page is a deliberate save on top of version 2.
    again = dict(mine, base_version="2")
    response = client.post(reverse("catalogue:entry_edit", args=[entry.key]), again)
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.version == 3
    assert entry.fees_fi == "Maksu 3 euroa."


def test_entry_preview_htmx_returns_a_sanitised_fragment(client, editor):
    login(client, editor)
    response = client.post(
        reverse("catalogue:entry_preview"),
        {"_preview": "body_fi", "body_fi": "**Tärkeää** <script>alert(1)</script>\n\n- yksi"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert "<strong>Tärkeää</strong>" in html
    assert "<li>yksi</li>" in html
    assert "<script>" not in html


def test_entry_preview_refuses_unknown_fields(client, editor):
    login(client, editor)
    response = client.post(reverse("catalogue:entry_preview"), {"_preview": "password"})
    assert response.status_code == 404


def test_entry_preview_warns_about_identity_codes(client, editor):
    login(client, editor)
    response = client.post(
        reverse("catalogue:entry_preview"), {"_preview": "fees_sv", "fees_sv": f"hetu {HETU}"}
    )
    assert "henkilötunnus" in response.content.decode()


def test_entry_edit_preview_without_js_rerenders_the_form_and_saves_nothing(client, editor):
    entry = create_entry(editor)
    login(client, editor)
    response = client.post(
        reverse("catalogue:entry_edit", args=[entry.key]),
        form_data(entry, body_fi="*kursiivi*", _preview="body_fi"),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" in html
    assert "<em>kursiivi</em>" in html
    preview_region = html[html.index('id="preview-body_fi"') :]
    assert preview_region.index("<em>kursiivi</em>") < preview_region.index('id="preview-body_sv"')
    assert Entry.objects.get(pk=entry.pk).version == 1


def test_entry_edit_add_contact_row_without_saving(client, editor):
    entry = create_entry(editor)
    login(client, editor)
    response = client.post(
        reverse("catalogue:entry_edit", args=[entry.key]),
        form_data(entry, _add_contact="1", title_fi="Kesken"),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="contacts-1-phone"' in html
    assert 'value="Kesken"' in html
    assert Entry.objects.get(pk=entry.pk).version == 1


# --- create -----------------------------------------------------------------------------------


def test_entry_create_by_editor(client, editor):
    login(client, editor)
    url = reverse("catalogue:entry_create")
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "kind": "offer",
            "key": "ruoka-apu",
            "title_fi": "Ruoka-apu",
            "summary_fi": "Ruokajakelu tiistaisin.",
            "organisation": factories.organisation("srk").key,
            "base_version": "0",
            "owner": "editor",
            "contacts-TOTAL_FORMS": "1",
            "contacts-INITIAL_FORMS": "0",
            "contacts-MIN_NUM_FORMS": "0",
            "contacts-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 302
    entry = Entry.objects.get(key="ruoka-apu")
    assert entry.kind == Entry.Kind.OFFER
    assert entry.owner == editor
    assert entry.version == 1
    assert response["Location"] == entry.get_absolute_url()


def test_entry_create_refused_for_advisor(client, advisor):
    login(client, advisor)
    assert client.get(reverse("catalogue:entry_create")).status_code == 403


# --- history, diff, restore -------------------------------------------------------------------


@pytest.fixture
def edited(editor, django_user_model) -> Entry:
    entry = create_entry(editor)
    services.entry_save(
        entry=entry,
        data=entry_to_dict(entry) | {"title": {"fi": "Toinen"}},
        author=editor,
        base_version=1,
        comment="toinen versio",
    )
    services.entry_save(
        entry=entry,
        data=entry_to_dict(entry) | {"title": {"fi": "Kolmas"}},
        author=editor,
        base_version=2,
        comment="kolmas versio",
    )
    entry.refresh_from_db()
    return entry


def test_entry_history_lists_versions_newest_first(client, editor, edited):
    login(client, editor)
    response = client.get(reverse("catalogue:entry_history", args=[edited.key]))
    assert response.status_code == 200
    assert [v.number for v in response.context["versions"]] == [3, 2, 1]
    html = response.content.decode()
    assert html.index("kolmas versio") < html.index("toinen versio")
    assert reverse("catalogue:entry_restore", args=[edited.key, 1]) in html
    assert reverse("catalogue:entry_restore", args=[edited.key, 3]) not in html  # current


def test_entry_history_manager_may_read_but_not_restore(client, manager, edited):
    login(client, manager)
    response = client.get(reverse("catalogue:entry_history", args=[edited.key]))
    assert response.status_code == 200
    assert reverse("catalogue:entry_restore", args=[edited.key, 1]) not in (
        response.content.decode()
    )


def test_entry_history_refused_for_advisor(client, advisor, edited):
    login(client, advisor)
    assert client.get(reverse("catalogue:entry_history", args=[edited.key])).status_code == 403
    assert client.get(reverse("catalogue:entry_version", args=[edited.key, 2])).status_code == 403


def test_entry_version_diff_against_predecessor_and_chosen_version(client, editor, edited):
    login(client, editor)
    url = reverse("catalogue:entry_version", args=[edited.key, 3])
    response = client.get(url)
    assert response.status_code == 200
    assert [(c.old, c.new) for c in response.context["changes"]] == [("Toinen", "Kolmas")]

    response = client.get(url, {"vs": "1"})
    assert [(c.old, c.new) for c in response.context["changes"]] == [("Kuljetuspalvelu", "Kolmas")]
    assert "<del>" in response.content.decode()


@pytest.mark.parametrize("who", ["advisor", "manager"])
def test_entry_restore_refused_for_readers(client, edited, who, request):
    login(client, request.getfixturevalue(who))
    url = reverse("catalogue:entry_restore", args=[edited.key, 1])
    assert client.get(url).status_code == 403
    assert client.post(url, {"base_version": "3"}).status_code == 403
    assert Entry.objects.get(pk=edited.pk).version == 3


def test_entry_restore_confirms_then_restores_as_new_version(client, editor, edited):
    login(client, editor)
    url = reverse("catalogue:entry_restore", args=[edited.key, 1])

    confirm = client.get(url)
    assert confirm.status_code == 200
    assert 'name="base_version" value="3"' in confirm.content.decode()
    assert [(c.old, c.new) for c in confirm.context["changes"]] == [("Kolmas", "Kuljetuspalvelu")]
    assert Entry.objects.get(pk=edited.pk).version == 3  # GET changes nothing

    response = client.post(url, {"base_version": "3"})
    assert response.status_code == 302
    edited.refresh_from_db()
    assert edited.version == 4
    assert edited.title_fi == "Kuljetuspalvelu"


def test_entry_restore_conflict(client, editor, edited):
    login(client, editor)
    response = client.post(
        reverse("catalogue:entry_restore", args=[edited.key, 1]), {"base_version": "2"}
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert 'role="alert"' in html
    assert 'name="base_version" value="3"' in html
    assert Entry.objects.get(pk=edited.pk).title_fi == "Kolmas"


# --- review -----------------------------------------------------------------------------------


def test_entry_mark_reviewed_sets_date_and_shows_it(client, editor):
    entry = factories.entry("x", last_reviewed=datetime.date(2024, 1, 1))
    login(client, editor)
    response = client.post(reverse("catalogue:entry_mark_reviewed", args=[entry.key]), follow=True)
    assert response.redirect_chain[-1][0] == entry.get_absolute_url()
    entry.refresh_from_db()
    assert entry.last_reviewed == services.helsinki_today()
    assert "Merkitty tarkistetuksi" in response.content.decode()


def test_entry_mark_reviewed_refused_for_advisor_and_needs_post(client, advisor, editor):
    entry = factories.entry("x", last_reviewed=None)
    url = reverse("catalogue:entry_mark_reviewed", args=[entry.key])
    login(client, editor)
    assert client.get(url).status_code == 405
    login(client, advisor)
    assert client.post(url).status_code == 403
    entry.refresh_from_db()
    assert entry.last_reviewed is None


def test_entry_page_sidebar_shows_actions_by_permission(client, editor, advisor):
    entry = factories.entry("x", lines=["vammaispalvelut"])
    factories.problem_report(entry, what_is_wrong="Osoite on vanha")
    url = entry.get_absolute_url()

    login(client, editor)
    html = client.get(url).content.decode()
    assert reverse("catalogue:entry_edit", args=["x"]) in html
    assert reverse("catalogue:entry_mark_reviewed", args=["x"]) in html
    assert "Osoite on vanha" in html and "Merkitse käsitellyksi" in html

    login(client, advisor)
    html = client.get(url).content.decode()
    assert reverse("catalogue:entry_edit", args=["x"]) not in html
    assert reverse("catalogue:entry_mark_reviewed", args=["x"]) not in html
    assert "Osoite on vanha" not in html
    assert reverse("catalogue:problem_report_create", args=["x"]) in html


# --- problem reports ----------------------------------------------------------------------------


def test_problem_report_create_by_advisor_thanks_and_redirects(client, advisor):
    entry = factories.entry("x")
    login(client, advisor)
    url = reverse("catalogue:problem_report_create", args=[entry.key])
    assert client.get(url).status_code == 200

    response = client.post(
        url, {"what_is_wrong": "Numero vaihtunut", "what_tried": "Ohjasin asiakasta"}, follow=True
    )

    assert response.redirect_chain[-1][0] == entry.get_absolute_url()
    assert "Kiitos!" in response.content.decode()
    report = ProblemReport.objects.get()
    assert (report.entry, report.reporter, report.what_tried) == (
        entry,
        advisor,
        "Ohjasin asiakasta",
    )


def test_problem_report_create_htmx_returns_thanks_fragment(client, advisor):
    entry = factories.entry("x")
    login(client, advisor)
    response = client.post(
        reverse("catalogue:problem_report_create", args=[entry.key]),
        {"what_is_wrong": "Vanha tieto"},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert 'role="status"' in html and "Kiitos!" in html
    assert ProblemReport.objects.count() == 1


def test_problem_report_create_privacy_error_keeps_text_and_saves_nothing(client, advisor):
    entry = factories.entry("x")
    login(client, advisor)
    response = client.post(
        reverse("catalogue:problem_report_create", args=[entry.key]),
        {"what_is_wrong": "Tämä", "what_tried": f"Asiakas {HETU}"},
    )
    assert response.status_code == 200
    assert "what_tried" in response.context["form"].errors
    assert f"Asiakas {HETU}" in response.content.decode()
    assert ProblemReport.objects.count() == 0


def test_problem_report_resolve_htmx_returns_the_updated_list(client, editor):
    entry = factories.entry("x")
    first = factories.problem_report(entry, what_is_wrong="Eka")
    factories.problem_report(entry, what_is_wrong="Toka")
    login(client, editor)

    response = client.post(
        reverse("catalogue:problem_report_resolve", args=[first.pk]), headers={"HX-Request": "true"}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert 'id="problem-reports"' in html
    assert "Toka" in html and "Eka" not in html
    first.refresh_from_db()
    assert first.status == ProblemReport.Status.RESOLVED


def test_problem_report_resolve_without_js_redirects_to_next(client, editor):
    report = factories.problem_report(factories.entry("x"))
    login(client, editor)
    response = client.post(
        reverse("catalogue:problem_report_resolve", args=[report.pk]),
        {"next": reverse("catalogue:my_entries")},
    )
    assert response["Location"] == reverse("catalogue:my_entries")
    response = client.post(
        reverse("catalogue:problem_report_resolve", args=[report.pk]),
        {"next": "https://evil.example/"},
    )
    assert response["Location"] == report.entry.get_absolute_url()


def test_problem_report_resolve_refused_for_advisor(client, advisor):
    report = factories.problem_report(factories.entry("x"))
    login(client, advisor)
    assert (
        client.post(reverse("catalogue:problem_report_resolve", args=[report.pk])).status_code
        == 403
    )
    report.refresh_from_db()
    assert report.status == ProblemReport.Status.OPEN


# --- my entries -------------------------------------------------------------------------------


def test_my_entries_lists_overdue_first_with_due_dates(client, editor, django_user_model):
    today = timezone.localdate()
    factories.entry(
        "ajan-tasalla",
        title="Ajan tasalla",
        owner=editor,
        last_reviewed=today - datetime.timedelta(days=10),
        review_interval_days=30,
    )
    factories.entry(
        "hiukan-myohassa",
        title="Hiukan myöhässä",
        owner=editor,
        last_reviewed=today - datetime.timedelta(days=40),
        review_interval_days=30,
    )
    factories.entry(
        "pahasti-myohassa",
        title="Pahasti myöhässä",
        owner=editor,
        last_reviewed=today - datetime.timedelta(days=400),
        review_interval_days=30,
    )
    factories.entry("ei-koskaan", title="Ei koskaan", owner=editor, last_reviewed=None)
    factories.entry(
        "muiden", title="Jonkun muun", owner=make_user(django_user_model, "muu"), last_reviewed=None
    )
    mine_reported = Entry.objects.get(key="ajan-tasalla")
    factories.problem_report(mine_reported, what_is_wrong="Aukioloajat muuttuneet")
    login(client, editor)

    response = client.get(reverse("catalogue:my_entries"))

    assert response.status_code == 200
    assert [e.key for e in response.context["overdue"]] == [
        "ei-koskaan",
        "pahasti-myohassa",
        "hiukan-myohassa",
    ]
    assert [e.key for e in response.context["up_to_date"]] == ["ajan-tasalla"]
    html = response.content.decode()
    assert "Jonkun muun" not in html
    assert "Aukioloajat muuttuneet" in html
    due = today - datetime.timedelta(days=10)
    assert response.context["overdue"][2].review_due_on == due
    overdue = html[html.index('id="overdue-heading"') : html.index('id="uptodate-heading"')]
    assert (
        overdue.index("Ei koskaan")
        < overdue.index("Pahasti myöhässä")
        < overdue.index("Hiukan myöhässä")
    )
    assert "Ajan tasalla" not in overdue
    assert due.strftime("%-d.%-m.%Y") in html


def test_my_entries_is_empty_for_a_reader_without_entries(client, advisor):
    login(client, advisor)
    response = client.get(reverse("catalogue:my_entries"))
    assert response.status_code == 200
    assert response.context["overdue"] == []


def test_entry_edit_refuses_a_list_over_its_item_limit(client, editor):
    entry = create_entry(editor)
    login(client, editor)
    keywords = "\n".join(f"sana-{i}" for i in range(limits.ENTRY_LIST_ITEMS + 1))

    response = client.post(
        reverse("catalogue:entry_edit", args=[entry.key]), form_data(entry, keywords=keywords)
    )

    assert response.status_code != 302
    assert f"Enintään {limits.ENTRY_LIST_ITEMS} riviä." in response.content.decode()
    entry.refresh_from_db()
    assert (entry.version, entry.keywords) == (1, [])


# --- contacts: several municipalities, structured opening hours --------------------------


def test_entry_edit_contact_municipalities_and_opening_hours_save_and_show_again(client, editor):
    entry = create_entry(editor)
    login(client, editor)
    url = reverse("catalogue:entry_edit", args=[entry.key])
    data = form_data(
        entry,
        **{
            "contacts-0-opening_hours": "ma-pe 8-11, 12-16\n24.12.2026 suljettu",
            "contacts-0-municipalities": ["075", "489", "935"],
        },
    )

    response = client.post(url, data)

    assert response.status_code == 302
    contact = entry.contacts.get()
    assert sorted(m.code for m in contact.municipalities.all()) == ["075", "489", "935"]
    assert contact.opening_hours == {
        "weekly": [
            {
                "days": {
                    d: ["08:00-11:00", "12:00-16:00"] for d in ("mon", "tue", "wed", "thu", "fri")
                }
            }
        ],
        "exceptions": [{"from": "2026-12-24", "closed": True}],
    }
    html = client.get(url).content.decode()
    assert "ma-pe 8-11, 12-16\n24.12.2026 suljettu" in html
    assert re.search(
        r'<input[^>]*name="contacts-0-municipalities"[^>]*value="935"[^>]*checked', html
    )
    # The version's diff names the change in words.
    version = EntryVersion.objects.get(entry=entry, number=2)
    assert version.snapshot["contacts"][0]["municipalities"] == ["075", "489", "935"]


def test_entry_edit_opening_hours_error_points_at_the_field_and_keeps_the_text(client, editor):
    entry = create_entry(editor)
    login(client, editor)
    typed = "ma-pe 8-16; la 10-14x"

    response = client.post(
        reverse("catalogue:entry_edit", args=[entry.key]),
        form_data(entry, title_fi="Uusi otsikko", **{"contacts-0-opening_hours": typed}),
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r'<textarea[^>]*name="contacts-0-opening_hours"[^>]*aria-invalid="true"', html)
    assert "”la 10-14x”" in html
    assert typed in html and 'value="Uusi otsikko"' in html
    assert Entry.objects.get(pk=entry.pk).version == 1
