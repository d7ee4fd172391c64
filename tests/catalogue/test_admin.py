from __future__ import annotations

import datetime
import json
import threading
from typing import Any

import pytest
from django.contrib.admin import helpers
from django.contrib.auth.models import Permission
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.catalogue import interchange
from apps.catalogue.models import Contact, Entry, EntryVersion, ProblemReport
from apps.catalogue.selectors import annotate_review_due, overdue_q
from apps.search.models import SearchDocument
from tests.catalogue.factories import (
    HAMINA,
    KOTKA,
    contact,
    entry,
    line,
    municipality,
    organisation,
    problem_report,
)
from tests.helpers import wait_for

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:catalogue_entry_changelist"


def today() -> datetime.date:
    return timezone.localdate()


def days_ago(n: int) -> datetime.date:
    return today() - datetime.timedelta(days=n)


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


def listed(response) -> list[str]:
    assert response.status_code == 200
    return sorted(e.key for e in response.context["cl"].result_list)


# --- Overdue in the database ------------------------------------------------------------------


@pytest.fixture
def review_cases(settings):
    settings.NEUVOKAS_DEFAULT_REVIEW_INTERVAL_DAYS = 365
    return {
        "never": entry("never", last_reviewed=None),
        "old-default": entry("old-default", last_reviewed=days_ago(366)),
        "fresh-default": entry("fresh-default", last_reviewed=days_ago(364)),
        "due-today": entry("due-today", last_reviewed=days_ago(10), review_interval_days=10),
        "short-overdue": entry(
            "short-overdue", last_reviewed=days_ago(11), review_interval_days=10
        ),
        "long-fresh": entry("long-fresh", last_reviewed=days_ago(400), review_interval_days=500),
    }


OVERDUE = ["never", "old-default", "short-overdue"]
UP_TO_DATE = ["due-today", "fresh-default", "long-fresh"]


def test_overdue_q_matches_model_property(review_cases):
    in_db = sorted(Entry.objects.filter(overdue_q(today())).values_list("key", flat=True))
    assert in_db == OVERDUE
    assert sorted(e.key for e in review_cases.values() if e.is_overdue) == OVERDUE


def test_annotate_review_due_computes_due_date(review_cases):
    rows = {e.key: e for e in annotate_review_due(Entry.objects.all(), today())}
    assert rows["never"].review_due_on is None
    assert rows["never"].review_overdue is True
    assert rows["due-today"].review_due_on == today()
    assert rows["due-today"].review_overdue is False
    assert rows["long-fresh"].review_due_on == days_ago(400) + datetime.timedelta(days=500)


def test_overdue_q_uses_default_interval_setting(settings):
    entry("reviewed-40-days-ago", last_reviewed=days_ago(40))
    settings.NEUVOKAS_DEFAULT_REVIEW_INTERVAL_DAYS = 30
    assert Entry.objects.filter(overdue_q(today())).count() == 1
    settings.NEUVOKAS_DEFAULT_REVIEW_INTERVAL_DAYS = 60
    assert Entry.objects.filter(overdue_q(today())).count() == 0


# --- Changelist: filters, search, query count -------------------------------------------------


def test_entry_changelist_review_filter_returns_overdue_or_up_to_date(admin_client, review_cases):
    url = reverse(CHANGELIST)
    assert listed(admin_client.get(url, {"tarkistus": "myohassa"})) == OVERDUE
    assert listed(admin_client.get(url, {"tarkistus": "ajan-tasalla"})) == UP_TO_DATE
    assert listed(admin_client.get(url)) == sorted(OVERDUE + UP_TO_DATE)


def test_entry_changelist_overdue_column_and_whole_area(admin_client, review_cases):
    response = admin_client.get(reverse(CHANGELIST))
    html = response.content.decode()
    assert "koko alue" in html
    assert html.count('alt="True"') == len(OVERDUE)


def test_entry_changelist_sorts_by_overdue_column(admin_client, review_cases):
    url = reverse(CHANGELIST)
    for column in range(1, 9):
        assert admin_client.get(url, {"o": column}).status_code == 200
    ordered = [e.key for e in admin_client.get(url, {"o": "8"}).context["cl"].result_list]
    assert ordered[0] == "never"
    assert ordered[1:] == sorted(ordered[1:], key=lambda k: review_cases[k].review_due)


def test_entry_changelist_filters_by_line_municipality_kind_and_owner(admin_client, editor):
    entry("vammais-kotka", lines=["vammaispalvelut"], municipalities=[KOTKA], owner=editor)
    entry("vammais-hamina", lines=["vammaispalvelut"], municipalities=[HAMINA])
    entry("ikaihmiset-koko", lines=["ikaihmiset"])
    entry("tarjous", kind=Entry.Kind.OFFER, organisation=organisation("yhdistys"))
    url = reverse(CHANGELIST)

    by_line = admin_client.get(url, {"service_lines__id__exact": line("vammaispalvelut").pk})
    assert listed(by_line) == ["vammais-hamina", "vammais-kotka"]
    by_municipality = admin_client.get(url, {"municipalities__code__exact": KOTKA})
    assert listed(by_municipality) == ["vammais-kotka"]
    assert listed(admin_client.get(url, {"kind__exact": Entry.Kind.OFFER})) == ["tarjous"]
    assert listed(admin_client.get(url, {"owner__id__exact": editor.pk})) == ["vammais-kotka"]


def test_entry_changelist_owner_filter_lists_only_owners(admin_client, editor, advisor):
    entry(owner=editor)
    response = admin_client.get(reverse(CHANGELIST))
    owner_filter = next(
        spec
        for spec in response.context["cl"].filter_specs
        if getattr(spec, "field_path", "") == "owner"
    )
    assert [label for _pk, label in owner_filter.lookup_choices] == [str(editor)]


def test_entry_search_finds_by_title_keyword_and_organisation(admin_client):
    entry("kuljetus", title="Kuljetuspalvelu", keywords=["taksi", "kela-kyyti"])
    entry("omaishoito", title="Omaishoidon tuki", keywords=["hoitaja"])
    entry(
        "ruoka",
        kind=Entry.Kind.OFFER,
        title="Ruoka-apu",
        organisation=organisation("kotkan-seurakunta", name="Kotkan seurakuntayhtymä"),
    )
    url = reverse(CHANGELIST)

    assert listed(admin_client.get(url, {"q": "kuljetus"})) == ["kuljetus"]
    assert listed(admin_client.get(url, {"q": "kela-kyyti"})) == ["kuljetus"]
    assert listed(admin_client.get(url, {"q": "TAKSI"})) == ["kuljetus"]
    assert listed(admin_client.get(url, {"q": "seurakuntayhtymä"})) == ["ruoka"]
    assert listed(admin_client.get(url, {"q": "olematon"})) == []


def _changelist_queries(client, params: dict[str, Any]) -> int:
    # Uncounted first: the first request after sign-in (or a minute on) writes the session's
    # activity time (IdleSessionMiddleware), which is not the changelist's doing.
    assert client.get(reverse(CHANGELIST), params).status_code == 200
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse(CHANGELIST), params)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("params", [{}, {"tarkistus": "myohassa"}, {"q": "palvelu"}])
def test_entry_changelist_query_count_does_not_grow_with_rows(admin_client, editor, params):
    def add(n: int) -> None:
        for _ in range(n):
            e = entry(
                title="Palvelu",
                lines=["vammaispalvelut", "ikaihmiset"],
                municipalities=[KOTKA, HAMINA],
                owner=editor,
                last_reviewed=None,
                organisation=organisation(),
            )
            contact(e)

    add(2)
    few = _changelist_queries(admin_client, params)
    add(10)
    many = _changelist_queries(admin_client, params)
    assert Entry.objects.count() == 12
    assert many == few


# --- Actions ----------------------------------------------------------------------------------


def _action(client, action: str, entries: list[Entry]):
    return client.post(
        reverse(CHANGELIST),
        {"action": action, helpers.ACTION_CHECKBOX_NAME: [e.pk for e in entries]},
    )


def test_mark_reviewed_sets_today_for_selection_in_one_update(admin_client):
    chosen = [entry(last_reviewed=None), entry(last_reviewed=days_ago(500))]
    other = entry(last_reviewed=days_ago(500))

    with CaptureQueriesContext(connection) as ctx:
        response = _action(admin_client, "mark_reviewed", chosen)

    assert response.status_code == 302
    updates = [
        q["sql"] for q in ctx.captured_queries if q["sql"].startswith('UPDATE "catalogue_entry"')
    ]
    assert len(updates) == 1
    assert [Entry.objects.get(pk=e.pk).last_reviewed for e in chosen] == [today(), today()]
    assert Entry.objects.get(pk=other.pk).last_reviewed == days_ago(500)
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == ["2 korttia merkitty tarkistetuksi."]


def test_mark_reviewed_needs_review_permission(client, django_user_model):
    staff = django_user_model.objects.create_user("staff", is_staff=True)
    staff.user_permissions.add(
        Permission.objects.get(codename="view_entry", content_type__app_label="catalogue")
    )
    client.force_login(staff)
    stale = entry(last_reviewed=days_ago(500))

    actions = dict(client.get(reverse(CHANGELIST)).context["action_form"].fields["action"].choices)
    assert "mark_reviewed" not in actions
    assert "export_selected" in actions
    _action(client, "mark_reviewed", [stale])
    assert Entry.objects.get(pk=stale.pk).last_reviewed == days_ago(500)


def test_entry_change_permission_follows_can_edit_entry(client, django_user_model):
    owner = django_user_model.objects.create_user("owner", is_staff=True)
    own, others = entry(owner=owner), entry()
    client.force_login(owner)

    assert client.get(reverse("admin:catalogue_entry_change", args=[own.pk])).status_code == 200
    assert client.get(reverse("admin:catalogue_entry_change", args=[others.pk])).status_code == 403


def test_export_selected_returns_catalogue_with_selected_entries_only(admin_client):
    yhdistys = organisation("kotkan-yhdistys", municipalities=[KOTKA])
    organisation("muu-yhdistys")
    service = entry("kuljetus", lines=["vammaispalvelut"], keywords=["taksi"])
    contact(service, municipality=KOTKA)
    offer = entry("ruoka-apu", kind=Entry.Kind.OFFER, organisation=yhdistys)
    entry("ei-valittu", lines=["ikaihmiset"])

    response = _action(admin_client, "export_selected", [service, offer])

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"].startswith('attachment; filename="neuvokas-')
    data = json.loads(response.content)
    interchange.validate(data)
    assert data["format"] == "sote-catalogue/1"
    assert [s["key"] for s in data["services"]] == ["kuljetus"]
    assert [o["key"] for o in data["offers"]] == ["ruoka-apu"]
    assert [o["key"] for o in data["organisations"]] == ["kotkan-yhdistys"]
    assert data["services"][0] == interchange.entry_to_dict(service)


# --- Add and change through the form ----------------------------------------------------------


def _entry_post(
    e: Entry | None = None, *, contacts: list[dict[str, Any]] = (), **overrides: Any
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "kind": Entry.Kind.SERVICE,
        "key": "uusi-palvelu",
        "organisation": "",
        "owner": "",
        "title_fi": "Uusi palvelu",
        "summary_fi": "Tiivistelmä.",
        "title_sv": "",
        "title_en": "",
        "summary_sv": "",
        "summary_en": "",
        "service_lines": [line("vammaispalvelut").pk],
        "municipalities": [],
        "target_groups": "",
        "keywords": "taksi, matkat,",
        "legal_basis": "Vammaispalvelulaki 675/2023\n\n",
        "review_interval_days": "",
    }
    for name in ("body", "eligibility", "how_to_apply", "fees"):
        for lang in ("fi", "sv", "en"):
            data[f"{name}_{lang}"] = ""
    if e is not None:
        data.update(
            {
                "kind": e.kind,
                "key": e.key,
                "base_version": e.version,
                "title_fi": e.title_fi,
                "summary_fi": e.summary_fi,
                "service_lines": [x.pk for x in e.service_lines.all()],
            }
        )
    existing = list(e.contacts.all()) if e is not None else []
    data.update(
        {
            "contacts-TOTAL_FORMS": len(existing) + len(contacts),
            "contacts-INITIAL_FORMS": len(existing),
            "contacts-MIN_NUM_FORMS": 0,
            "contacts-MAX_NUM_FORMS": 1000,
        }
    )
    for i, c in enumerate(existing):
        data.update(
            {
                f"contacts-{i}-id": c.pk,
                f"contacts-{i}-entry": e.pk,
                f"contacts-{i}-position": c.position,
                f"contacts-{i}-label_fi": c.label_fi,
                f"contacts-{i}-phone": c.phone,
            }
        )
    for i, c in enumerate(contacts, start=len(existing)):
        data.update({f"contacts-{i}-position": i, **{f"contacts-{i}-{k}": v for k, v in c.items()}})
    data.update(overrides)
    return data


def test_entry_add_with_contact_creates_first_version(admin_client, superuser):
    response = admin_client.post(
        reverse("admin:catalogue_entry_add"),
        _entry_post(
            contacts=[
                {
                    "label_fi": "Asiakasohjaus",
                    "phone": "05 000 2000",
                    "hours_fi": "ma–pe 9–12",
                    "municipalities": [KOTKA, HAMINA],
                    "opening_hours": "ma-pe 8-16",
                }
            ]
        ),
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    created = Entry.objects.get(key="uusi-palvelu")
    assert created.version == 1
    assert created.last_reviewed == today()
    assert created.keywords == ["taksi", "matkat"]
    assert created.legal_basis == ["Vammaispalvelulaki 675/2023"]
    assert [
        (c.label_fi, sorted(m.code for m in c.municipalities.all()), c.opening_hours)
        for c in created.contacts.all()
    ] == [
        (
            "Asiakasohjaus",
            sorted([KOTKA, HAMINA]),
            {
                "weekly": [
                    {"days": {d: ["08:00-16:00"] for d in ("mon", "tue", "wed", "thu", "fri")}}
                ]
            },
        )
    ]
    version = EntryVersion.objects.get(entry=created)
    assert (version.number, version.author) == (1, superuser)
    assert version.snapshot == interchange.entry_to_dict(created)
    assert version.snapshot["contacts"][0]["hours"] == {"fi": "ma–pe 9–12"}


def test_entry_change_keeps_baseline_and_new_version(admin_client):
    existing = entry("kuljetus", lines=["vammaispalvelut"], summary="Vanha tiivistelmä.")
    contact(existing, label="Vanha numero")
    url = reverse("admin:catalogue_entry_change", args=[existing.pk])

    response = admin_client.post(
        url,
        _entry_post(
            existing,
            summary_fi="Uusi tiivistelmä.",
            contacts=[{"label_fi": "Toinen", "email": "toinen@example.org"}],
        ),
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    existing.refresh_from_db()
    assert existing.version == 1
    assert existing.summary_fi == "Uusi tiivistelmä."
    assert existing.contacts.count() == 2
    baseline, new = EntryVersion.objects.filter(entry=existing).order_by("number")
    assert (baseline.number, baseline.snapshot["summary"]) == (0, {"fi": "Vanha tiivistelmä."})
    assert (new.number, new.snapshot["summary"]) == (1, {"fi": "Uusi tiivistelmä."})
    assert len(new.snapshot["contacts"]) == 2


def test_entry_change_snapshot_and_search_index_follow_new_lines(admin_client):
    existing = entry("kuljetus", title="Kuljetuspalvelu", lines=["vammaispalvelut"])
    url = reverse("admin:catalogue_entry_change", args=[existing.pk])

    response = admin_client.post(
        url,
        _entry_post(
            existing,
            title_fi="Kuljetuspalvelu ja saattaja",
            service_lines=[line("ikaihmiset").pk],
            municipalities=[KOTKA],
        ),
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    snapshot = EntryVersion.objects.get(entry=existing, number=1).snapshot
    assert (snapshot["service_lines"], snapshot["municipalities"]) == (["ikaihmiset"], [KOTKA])
    document = SearchDocument.objects.get(source="catalogue.entry", object_id=str(existing.pk))
    assert document.titles["fi"] == "Kuljetuspalvelu ja saattaja"


def test_entry_delete_removes_it_from_search_index(admin_client):
    existing = entry("kuljetus", lines=["vammaispalvelut"])
    admin_client.post(
        reverse("admin:catalogue_entry_change", args=[existing.pk]), _entry_post(existing)
    )
    assert SearchDocument.objects.filter(object_id=str(existing.pk)).exists()

    response = admin_client.post(
        reverse("admin:catalogue_entry_delete", args=[existing.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    assert not Entry.objects.exists()
    assert not SearchDocument.objects.filter(source="catalogue.entry").exists()


def test_entry_change_from_stale_version_is_refused(admin_client):
    existing = entry("kuljetus", lines=["vammaispalvelut"], summary="Alkuperäinen.")
    url = reverse("admin:catalogue_entry_change", args=[existing.pk])
    stale = _entry_post(existing, summary_fi="Ensimmäinen muutos.")
    assert admin_client.post(url, stale).status_code == 302

    response = admin_client.post(url, {**stale, "summary_fi": "Toinen muutos."})

    assert response.status_code == 200
    assert "Joku muu tallensi" in response.content.decode()
    existing.refresh_from_db()
    assert (existing.version, existing.summary_fi) == (1, "Ensimmäinen muutos.")


def test_entry_form_refuses_personal_identity_code(admin_client):
    response = admin_client.post(
        reverse("admin:catalogue_entry_add"),
        _entry_post(
            body_fi="Asiakas 131052-308T soitti.", contacts=[{"label_fi": "Henkilö 131052-308T"}]
        ),
    )

    assert response.status_code == 200
    assert "body_fi" in response.context["adminform"].form.errors
    assert response.context["inline_admin_formsets"][0].formset.errors[0]["label_fi"]
    assert not Entry.objects.exists()


def test_entry_form_applies_format_rules_per_kind(admin_client):
    response = admin_client.post(
        reverse("admin:catalogue_entry_add"), _entry_post(kind=Entry.Kind.OFFER, service_lines=[])
    )
    assert set(response.context["adminform"].form.errors) == {"organisation"}
    response = admin_client.post(
        reverse("admin:catalogue_entry_add"), _entry_post(service_lines=[])
    )
    assert set(response.context["adminform"].form.errors) == {"service_lines"}


def test_entry_change_form_renders_with_links(admin_client):
    existing = entry("kuljetus", lines=["vammaispalvelut"])
    contact(existing)
    response = admin_client.get(reverse("admin:catalogue_entry_change", args=[existing.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert f"?entry__id__exact={existing.pk}" in html
    assert existing.get_absolute_url() in html
    assert 'name="base_version"' in html


# --- Version history and problem reports ------------------------------------------------------


def test_entry_version_admin_is_read_only(admin_client, superuser):
    existing = entry("kuljetus", lines=["vammaispalvelut"])
    version = EntryVersion.objects.create(
        entry=existing, number=1, author=superuser, snapshot=interchange.entry_to_dict(existing)
    )
    change_url = reverse("admin:catalogue_entryversion_change", args=[version.pk])

    listing = admin_client.get(
        reverse("admin:catalogue_entryversion_changelist"), {"entry__id__exact": existing.pk}
    )
    assert listing.status_code == 200
    assert reverse("admin:catalogue_entry_change", args=[existing.pk]) in listing.content.decode()
    page = admin_client.get(change_url)
    assert page.status_code == 200
    assert 'type="submit"' not in page.content.decode().split('id="content-main"')[1]
    assert admin_client.get(reverse("admin:catalogue_entryversion_add")).status_code == 403
    admin_client.post(change_url, {"number": 5, "comment": "muutettu"})
    assert (
        admin_client.get(
            reverse("admin:catalogue_entryversion_delete", args=[version.pk])
        ).status_code
        == 403
    )
    version.refresh_from_db()
    assert (version.number, version.comment) == (1, "")


def test_problem_report_resolve_action_records_who(admin_client, superuser, advisor):
    report = problem_report(entry(), reporter=advisor)
    response = admin_client.post(
        reverse("admin:catalogue_problemreport_changelist"),
        {"action": "mark_resolved", helpers.ACTION_CHECKBOX_NAME: [report.pk]},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ProblemReport.Status.RESOLVED
    assert report.resolved_by == superuser
    assert report.resolved_at is not None


def test_problem_report_resolved_in_change_form_records_who(admin_client, superuser, advisor):
    report = problem_report(entry(), reporter=advisor)
    url = reverse("admin:catalogue_problemreport_change", args=[report.pk])
    response = admin_client.post(url, {"status": ProblemReport.Status.RESOLVED})
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.status, report.resolved_by) == (ProblemReport.Status.RESOLVED, superuser)

    admin_client.post(url, {"status": ProblemReport.Status.OPEN})
    report.refresh_from_db()
    assert (report.status, report.resolved_by, report.resolved_at) == (
        ProblemReport.Status.OPEN,
        None,
        None,
    )


@pytest.mark.parametrize(
    "model",
    ["municipality", "serviceline", "organisation", "entry", "entryversion", "problemreport"],
)
def test_admin_changelists_load(admin_client, model):
    e = entry(lines=["vammaispalvelut"], municipalities=[municipality(KOTKA)])
    problem_report(e)
    assert Contact.objects.count() == 0
    assert admin_client.get(reverse(f"admin:catalogue_{model}_changelist")).status_code == 200


# --- Races: two people saving at once ---------------------------------------------------------


def _wait_until_someone_waits_for_a_lock(cursor, timeout: float = 10.0) -> None:
    def someone_waits() -> bool:
        # Only waits in this test's database: the server may be shared, and a lock wait
        # elsewhere let the other transaction commit before the request had read the entry.
        cursor.execute(
            "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
            "WHERE NOT l.granted AND a.datname = current_database()"
        )
        return bool(cursor.fetchone()[0])

    wait_for(someone_waits, timeout, interval=0.02, what="the admin request to wait for the lock")


def _in_other_transaction(work) -> threading.Thread:
    """Run ``work(cursor)`` in another connection's transaction, in a thread; it commits
    once the main thread's request is blocked behind it."""
    ready = threading.Event()

    def run() -> None:
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                work(cursor)
                ready.set()
                _wait_until_someone_waits_for_a_lock(cursor)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    assert ready.wait(10)
    return thread


@pytest.mark.django_db(transaction=True)
def test_entry_change_racing_another_save_is_refused_without_writing(admin_client):
    existing = entry("kuljetus", lines=["vammaispalvelut"], summary="Alkuperäinen.")
    url = reverse("admin:catalogue_entry_change", args=[existing.pk])

    def someone_else_saves(cursor) -> None:
        cursor.execute("SELECT id FROM catalogue_entry WHERE id = %s FOR UPDATE", [existing.pk])
        cursor.execute(
            "UPDATE catalogue_entry SET version = 1, summary_fi = 'Toisen muutos.' WHERE id = %s",
            [existing.pk],
        )

    other = _in_other_transaction(someone_else_saves)
    response = admin_client.post(url, _entry_post(existing, summary_fi="Minun muutokseni."))
    other.join(10)

    assert response.status_code == 302
    assert response["Location"] == url
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages and messages[0].startswith("Joku muu tallensi")
    existing.refresh_from_db()
    assert (existing.version, existing.summary_fi) == (1, "Toisen muutos.")
    assert not EntryVersion.objects.filter(entry=existing).exists()


@pytest.mark.django_db(transaction=True)
def test_entry_add_racing_the_same_key_tells_the_loser(admin_client):
    pk_line = line("vammaispalvelut").pk

    def someone_else_adds(cursor) -> None:
        cursor.execute(
            "INSERT INTO catalogue_entry (created_at, updated_at, kind, key, title, title_fi, "
            "summary, summary_fi, body, eligibility, how_to_apply, fees, target_groups, "
            "keywords, legal_basis, version, ptv_status) VALUES (now(), now(), 'service', "
            "'uusi-palvelu', 'Toinen', 'Toinen', 'S', 'S', '', '', '', '', '{}', '{}', '{}', 0, '')"
        )

    other = _in_other_transaction(someone_else_adds)
    url = reverse("admin:catalogue_entry_add")
    response = admin_client.post(url, _entry_post(service_lines=[pk_line]))
    other.join(10)

    assert response.status_code == 302
    assert response["Location"] == url
    assert [str(m) for m in response.wsgi_request._messages] == ["Tällä tunnisteella on jo kortti."]
    assert Entry.objects.get(key="uusi-palvelu").title_fi == "Toinen"
    assert not EntryVersion.objects.exists()


# --- Deleting an entry that other rows cite ------------------------------------------------


CONTACTS_NOTE = "2 yhteydenottoa viittaa tähän korttiin; niihin jää kortin otsikko aiheeksi."


@pytest.fixture
def cited_entry(superuser):
    """An entry that every kind of row referring to an entry cites."""
    from apps.catalogue.services import entry_record_version
    from apps.consultations.models import FaqItem
    from apps.contacts.models import RecentEntryView
    from tests.consultations import factories as consultation_factories
    from tests.contacts import factories as contact_factories

    cited = entry("kuljetus", title="Kuljetuspalvelu", lines=["vammaispalvelut"])
    contact(cited)
    problem_report(cited, reporter=superuser)
    entry_record_version(cited, author=superuser, comment="Luotu")
    now = timezone.now()
    contact_factories.contact(at=now, advisor=superuser, entry=cited)  # the entry only
    contact_factories.contact(at=now, advisor=superuser, entry=cited, topic_text="taksi")
    contact_factories.contact(at=now, advisor=superuser, topic_text="muu aihe")
    RecentEntryView.objects.create(user=superuser, entry=cited)
    thread = consultation_factories.thread(author=superuser)
    thread.entries.add(cited)
    FaqItem.objects.create(
        entry=cited, question="Miten haetaan?", answer="Lomakkeella.", source_thread=thread
    )
    return cited


def _assert_deleted_keeping_contact_topics(cited: Entry) -> None:
    from apps.consultations.models import FaqItem, Thread
    from apps.contacts.models import ContactRecord, RecentEntryView

    assert not Entry.objects.filter(pk=cited.pk).exists()
    assert not EntryVersion.objects.exists()
    assert not ProblemReport.objects.exists()
    assert not Contact.objects.exists()
    assert not FaqItem.objects.exists()
    assert not RecentEntryView.objects.exists()
    assert Thread.objects.get().entries.count() == 0
    records = ContactRecord.objects.order_by("topic_text")
    assert [(r.entry_id, r.topic_text) for r in records] == [
        (None, "Kuljetuspalvelu"),
        (None, "Kuljetuspalvelu"),
        (None, "muu aihe"),
    ]
    assert not SearchDocument.objects.filter(
        source="catalogue.entry", object_id=str(cited.pk)
    ).exists()


def test_entry_delete_view_says_what_happens_to_contacts_and_keeps_their_topic(
    admin_client, cited_entry
):
    url = reverse("admin:catalogue_entry_delete", args=[cited_entry.pk])

    page = admin_client.get(url)

    assert page.status_code == 200
    assert CONTACTS_NOTE in page.content.decode()

    response = admin_client.post(url, {"post": "yes"})

    assert response.status_code == 302
    _assert_deleted_keeping_contact_topics(cited_entry)


def test_entry_bulk_delete_says_what_happens_to_contacts_and_keeps_their_topic(
    admin_client, cited_entry
):
    other = entry("toinen", lines=["vammaispalvelut"])
    data = {
        "action": "delete_selected",
        helpers.ACTION_CHECKBOX_NAME: [str(cited_entry.pk), str(other.pk)],
    }

    page = admin_client.post(reverse(CHANGELIST), data)

    assert page.status_code == 200
    assert (
        "2 yhteydenottoa viittaa valittuihin kortteihin; niihin jää kortin otsikko aiheeksi."
    ) in page.content.decode()

    response = admin_client.post(reverse(CHANGELIST), {**data, "post": "yes"})

    assert response.status_code == 302
    assert not Entry.objects.filter(pk=other.pk).exists()
    _assert_deleted_keeping_contact_topics(cited_entry)


def test_entry_delete_view_without_contacts_says_nothing_about_them(admin_client):
    plain = entry("kuljetus", lines=["vammaispalvelut"])

    page = admin_client.get(reverse("admin:catalogue_entry_delete", args=[plain.pk]))

    assert "yhteydenot" not in page.content.decode()
