from __future__ import annotations

import datetime
import threading
import zoneinfo
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from apps.catalogue import services
from apps.catalogue.interchange import entry_to_dict
from apps.catalogue.models import Entry, EntryVersion, OwnerReminder, ProblemReport
from tests.catalogue import factories
from tests.conftest import make_user
from tests.reference_data import seed_reference_data

pytestmark = pytest.mark.django_db

HETU = "131052-308T"  # a valid personal identity code (checksum OK)


def service_data(key: str = "kuljetuspalvelu", **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "key": key,
        "title": {"fi": "Kuljetuspalvelu"},
        "summary": {"fi": "Taksimatkat asiointiin."},
        "body": {"fi": "Kuljetuspalvelu on tarkoitettu vaikeavammaisille."},
        "service_lines": ["vammaispalvelut"],
        "municipalities": ["285"],
        "keywords": ["taksi", "kela-kyyti"],
        "contacts": [
            {
                "label": {"fi": "Asiakasohjaus"},
                "phone": "05 000 2000",
                "hours": {"fi": "ma–pe 9–12"},
                "municipality": "285",
            }
        ],
    }
    data.update(overrides)
    return data


def create(author: Any, **overrides: Any) -> Entry:
    return services.entry_save(
        entry=None,
        data=service_data(**overrides),
        author=author,
        base_version=0,
        kind=Entry.Kind.SERVICE,
    )


def with_title(entry: Entry, title: str) -> dict[str, Any]:
    data = entry_to_dict(entry)
    data["title"] = {"fi": title}
    return data


def helsinki_today() -> datetime.date:
    return timezone.localdate(timezone=zoneinfo.ZoneInfo("Europe/Helsinki"))


# --- entry_save ---------------------------------------------------------------------------


def test_entry_save_creates_version_one_with_snapshot(editor):
    entry = create(editor)

    entry.refresh_from_db()
    assert entry.version == 1
    assert entry.title_fi == "Kuljetuspalvelu"
    assert entry.last_reviewed == helsinki_today()
    version = EntryVersion.objects.get(entry=entry)
    assert version.number == 1
    assert version.author == editor
    assert version.snapshot == entry_to_dict(entry)
    assert version.snapshot["contacts"][0]["phone"] == "05 000 2000"


def test_entry_save_bumps_version_and_keeps_every_snapshot(editor):
    entry = create(editor)

    services.entry_save(
        entry=entry,
        data=with_title(entry, "Kuljetuspalvelu (VPL)"),
        author=editor,
        base_version=1,
        comment="Otsikko tarkennettu",
    )
    entry.refresh_from_db()

    assert entry.version == 2
    versions = list(entry.versions.order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    assert versions[0].snapshot["title"] == {"fi": "Kuljetuspalvelu"}
    assert versions[1].snapshot["title"] == {"fi": "Kuljetuspalvelu (VPL)"}
    assert versions[1].comment == "Otsikko tarkennettu"


def test_entry_save_second_editor_from_same_base_gets_conflict_and_nothing_is_overwritten(
    editor, django_user_model
):
    other = make_user(django_user_model, "toinen", "Sisällöntuottaja")
    entry = create(editor)
    stale = Entry.objects.get(pk=entry.pk)

    services.entry_save(
        entry=entry,
        data=with_title(entry, "Ensimmäisen otsikko"),
        author=other,
        base_version=1,
        comment="eka",
    )
    with pytest.raises(services.EditConflict) as caught:
        services.entry_save(
            entry=stale, data=with_title(stale, "Toisen otsikko"), author=editor, base_version=1
        )

    conflict = caught.value
    assert conflict.base_version == 1
    assert conflict.current_version == 2
    assert [(v.number, v.author, v.comment) for v in conflict.versions] == [(2, other, "eka")]
    assert [(c.path, c.old, c.new) for c in conflict.changes] == [
        ("title.fi", "Kuljetuspalvelu", "Ensimmäisen otsikko")
    ]
    entry.refresh_from_db()
    assert entry.title_fi == "Ensimmäisen otsikko"
    assert entry.version == 2
    assert entry.versions.count() == 2


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"body": {"fi": "ok", "sv": f"Kund {HETU} ringde"}}, "body_sv"),
        ({"title": {"fi": "Otsikko", "en": f"Title {HETU}"}}, "title_en"),
        ({"keywords": ["taksi", HETU]}, "keywords"),
        ({"legal_basis": [f"Laki {HETU}"]}, "legal_basis"),
        (
            {"contacts": [{"label": {"fi": "x"}, "hours": {"fi": f"ma {HETU}"}}]},
            "contacts.0.hours_fi",
        ),
        ({"contacts": [{"address": f"Katu 1 {HETU}"}]}, "contacts.0.address"),
    ],
)
def test_entry_save_refuses_personal_identity_code_in_any_free_text(editor, overrides, field):
    entry = create(editor)
    data = entry_to_dict(entry) | overrides

    with pytest.raises(ValidationError) as caught:
        services.entry_save(entry=entry, data=data, author=editor, base_version=1)

    assert field in caught.value.error_dict
    entry.refresh_from_db()
    assert entry.version == 1
    assert entry.versions.count() == 1
    assert HETU not in str(entry_to_dict(entry))


def test_entry_save_refuses_personal_identity_code_in_comment(editor):
    entry = create(editor)
    with pytest.raises(ValidationError) as caught:
        services.entry_save(
            entry=entry,
            data=entry_to_dict(entry),
            author=editor,
            base_version=1,
            comment=f"asiakas {HETU}",
        )
    assert "comment" in caught.value.error_dict
    assert entry.versions.count() == 1


def test_entry_save_create_refusal_saves_nothing(editor):
    with pytest.raises(ValidationError):
        create(editor, summary={"fi": f"Soita {HETU}"})
    assert not Entry.objects.filter(key="kuljetuspalvelu").exists()
    assert EntryVersion.objects.count() == 0


def test_entry_save_format_errors_name_the_form_field(editor):
    with pytest.raises(ValidationError) as caught:
        create(editor, service_lines=[])
    assert "service_lines" in caught.value.error_dict


def test_entry_save_refuses_duplicate_key_on_create(editor):
    create(editor)
    with pytest.raises(ValidationError) as caught:
        create(editor)
    assert "key" in caught.value.error_dict
    assert Entry.objects.count() == 1


def test_entry_save_keeps_the_review_date_and_the_key(editor):
    entry = create(editor)
    Entry.objects.filter(pk=entry.pk).update(last_reviewed=datetime.date(2025, 1, 2))
    data = with_title(entry, "Uusi")
    data["key"] = "toinen-avain"
    data["last_reviewed"] = "2020-01-01"

    services.entry_save(entry=entry, data=data, author=editor, base_version=1)
    entry.refresh_from_db()

    assert entry.key == "kuljetuspalvelu"
    assert entry.last_reviewed == datetime.date(2025, 1, 2)


def test_entry_save_keeps_an_untracked_entry_as_baseline_version(editor):
    entry = factories.entry("tuotu", title="Tuotu otsikko", lines=["vammaispalvelut"])
    assert entry.version == 0

    services.entry_save(
        entry=entry, data=with_title(entry, "Muokattu"), author=editor, base_version=0
    )

    versions = list(entry.versions.order_by("number"))
    assert [(v.number, v.author) for v in versions] == [(0, None), (1, editor)]
    assert versions[0].snapshot["title"] == {"fi": "Tuotu otsikko"}


@pytest.mark.django_db(transaction=True)
def test_entry_save_two_threads_from_same_base_exactly_one_wins(django_user_model):
    seed_reference_data()  # an earlier transactional test's flush may have emptied it
    author = make_user(django_user_model, "editor", "Sisällöntuottaja")
    entry = create(author)
    barrier = threading.Barrier(2, timeout=10)
    outcomes: dict[str, str] = {}

    def save(title: str) -> None:
        try:
            mine = Entry.objects.get(pk=entry.pk)
            data = with_title(mine, title)
            barrier.wait()
            services.entry_save(entry=mine, data=data, author=author, base_version=1)
            outcomes[title] = "saved"
        except services.EditConflict:
            outcomes[title] = "conflict"
        finally:
            connection.close()  # each thread has its own connection

    threads = [threading.Thread(target=save, args=(t,)) for t in ("Aino", "Eino")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)

    assert sorted(outcomes.values()) == ["conflict", "saved"]
    winner = next(title for title, outcome in outcomes.items() if outcome == "saved")
    entry.refresh_from_db()
    assert entry.version == 2
    assert entry.title_fi == winner
    assert list(entry.versions.values_list("number", flat=True).order_by("number")) == [1, 2]


# --- entry_restore ------------------------------------------------------------------------


def test_entry_restore_makes_a_new_version_with_the_old_content(editor):
    entry = create(editor)
    data = with_title(entry, "Väärä otsikko")
    data["keywords"] = ["väärä"]
    services.entry_save(entry=entry, data=data, author=editor, base_version=1)

    restored = services.entry_restore(entry=entry, number=1, author=editor, base_version=2)

    restored.refresh_from_db()
    assert restored.version == 3
    assert restored.title_fi == "Kuljetuspalvelu"
    assert restored.keywords == ["taksi", "kela-kyyti"]
    versions = {v.number: v for v in restored.versions.all()}
    assert set(versions) == {1, 2, 3}
    assert versions[2].snapshot["title"] == {"fi": "Väärä otsikko"}  # history not rewritten
    assert versions[3].comment == "Palautettu versio 1"
    assert versions[3].snapshot == versions[1].snapshot


def test_entry_restore_from_stale_base_raises_conflict(editor):
    entry = create(editor)
    services.entry_save(entry=entry, data=with_title(entry, "Kaksi"), author=editor, base_version=1)
    with pytest.raises(services.EditConflict):
        services.entry_restore(entry=entry, number=1, author=editor, base_version=1)
    entry.refresh_from_db()
    assert entry.title_fi == "Kaksi"


def test_entry_restore_keeps_todays_review_date(editor):
    entry = create(editor)
    services.entry_save(entry=entry, data=with_title(entry, "Kaksi"), author=editor, base_version=1)
    Entry.objects.filter(pk=entry.pk).update(last_reviewed=datetime.date(2026, 2, 2))
    EntryVersion.objects.filter(entry=entry, number=1).update(
        snapshot=entry_to_dict(entry) | {"title": {"fi": "Yksi"}, "last_reviewed": "2020-01-01"}
    )

    services.entry_restore(entry=entry, number=1, author=editor, base_version=2)
    entry.refresh_from_db()
    assert entry.title_fi == "Yksi"
    assert entry.last_reviewed == datetime.date(2026, 2, 2)


def test_entry_restore_unknown_number(editor):
    entry = create(editor)
    with pytest.raises(EntryVersion.DoesNotExist):
        services.entry_restore(entry=entry, number=9, author=editor, base_version=1)


# --- entry_mark_reviewed ------------------------------------------------------------------


def test_entry_mark_reviewed_sets_today_and_nothing_else(editor):
    entry = create(editor)
    Entry.objects.filter(pk=entry.pk).update(last_reviewed=datetime.date(2024, 5, 1))
    before = Entry.objects.get(pk=entry.pk)

    services.entry_mark_reviewed(entry=entry, user=editor)

    after = Entry.objects.get(pk=entry.pk)
    assert after.last_reviewed == helsinki_today()
    assert after.version == before.version == 1
    assert after.updated_at == before.updated_at
    assert entry.versions.count() == 1


def test_entry_mark_reviewed_uses_the_helsinki_date(editor, monkeypatch):
    entry = create(editor)
    # 22.30 UTC on 10 March is already 00.30 on 11 March in Helsinki.
    late = datetime.datetime(2026, 3, 10, 22, 30, tzinfo=datetime.UTC)
    monkeypatch.setattr(timezone, "now", lambda: late)

    services.entry_mark_reviewed(entry=entry, user=editor)

    entry.refresh_from_db()
    assert entry.last_reviewed == datetime.date(2026, 3, 11)


def test_entry_mark_reviewed_by_owner_without_role(django_user_model):
    owner = make_user(django_user_model, "omistaja")
    entry = factories.entry("oma", owner=owner, last_reviewed=None)
    services.entry_mark_reviewed(entry=entry, user=owner)
    entry.refresh_from_db()
    assert entry.last_reviewed == helsinki_today()


def test_entry_mark_reviewed_refuses_advisor(advisor):
    entry = factories.entry("x", last_reviewed=None)
    with pytest.raises(PermissionDenied):
        services.entry_mark_reviewed(entry=entry, user=advisor)
    entry.refresh_from_db()
    assert entry.last_reviewed is None


# --- problem reports ----------------------------------------------------------------------


def test_problem_report_create_stores_and_enqueues_notification(
    advisor, django_capture_on_commit_callbacks
):
    entry = factories.entry("x")
    with django_capture_on_commit_callbacks() as callbacks:
        report = services.problem_report_create(
            entry=entry,
            reporter=advisor,
            what_is_wrong="  Numero vaihtunut  ",
            what_tried="Soitin numeroon",
        )
    assert report.status == ProblemReport.Status.OPEN
    assert report.what_is_wrong == "Numero vaihtunut"
    assert report.reporter == advisor
    assert len(callbacks) == 1  # notify_problem_report.delay after commit


@pytest.mark.parametrize("field", ["what_is_wrong", "what_tried"])
def test_problem_report_create_refuses_personal_identity_code(
    advisor, field, django_capture_on_commit_callbacks
):
    entry = factories.entry("x")
    texts = {"what_is_wrong": "Väärin", "what_tried": ""} | {field: f"Asiakas {HETU}"}
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(ValidationError) as e:
        services.problem_report_create(entry=entry, reporter=advisor, **texts)
    assert field in e.value.error_dict
    assert ProblemReport.objects.count() == 0
    assert callbacks == []


def test_problem_report_create_requires_what_is_wrong(advisor):
    with pytest.raises(ValidationError):
        services.problem_report_create(
            entry=factories.entry("x"), reporter=advisor, what_is_wrong="   "
        )
    assert ProblemReport.objects.count() == 0


class TestProblemReportResolve:
    @pytest.fixture
    def owner(self, django_user_model):
        return make_user(django_user_model, "omistaja")

    @pytest.fixture
    def report(self, owner, advisor):
        return factories.problem_report(factories.entry("x", owner=owner), reporter=advisor)

    def test_owner_resolves(self, report, owner):
        resolved = services.problem_report_resolve(report=report, user=owner)
        assert resolved.status == ProblemReport.Status.RESOLVED
        assert resolved.resolved_by == owner
        assert resolved.resolved_at is not None

    def test_editor_resolves(self, report, editor):
        services.problem_report_resolve(report=report, user=editor)
        report.refresh_from_db()
        assert report.status == ProblemReport.Status.RESOLVED

    @pytest.mark.parametrize("who", ["advisor", "manager"])
    def test_others_are_refused(self, report, who, request):
        user = request.getfixturevalue(who)
        with pytest.raises(PermissionDenied):
            services.problem_report_resolve(report=report, user=user)
        report.refresh_from_db()
        assert report.status == ProblemReport.Status.OPEN

    def test_is_idempotent(self, report, owner, editor):
        first = services.problem_report_resolve(report=report, user=owner)
        second = services.problem_report_resolve(report=report, user=editor)
        assert second.resolved_by == owner
        assert second.resolved_at == first.resolved_at


class TestProblemReportRecipients:
    def test_owner_with_email(self, django_user_model, editor):
        owner = make_user(django_user_model, "omistaja")
        report = factories.problem_report(factories.entry("x", owner=owner))
        assert services.problem_report_recipients(report=report) == [owner]

    def test_no_owner_means_content_editors(self, editor, advisor, superuser):
        report = factories.problem_report(factories.entry("x"))
        assert services.problem_report_recipients(report=report) == [editor]

    def test_owner_without_email_or_inactive_means_content_editors(self, django_user_model, editor):
        no_mail = make_user(django_user_model, "eimailia")
        django_user_model.objects.filter(pk=no_mail.pk).update(email="")
        no_mail.refresh_from_db()
        report = factories.problem_report(factories.entry("x", owner=no_mail))
        assert services.problem_report_recipients(report=report) == [editor]
        gone = make_user(django_user_model, "lahtenyt", is_active=False)
        report = factories.problem_report(factories.entry("y", owner=gone))
        assert services.problem_report_recipients(report=report) == [editor]

    def test_nobody_else_means_superusers(self, superuser, advisor):
        report = factories.problem_report(factories.entry("x"))
        assert services.problem_report_recipients(report=report) == [superuser]


def test_problem_report_notify_mails_owner_once_without_the_report_text(django_user_model):
    owner = make_user(django_user_model, "omistaja")
    entry = factories.entry("kuljetus", title="Kuljetuspalvelu", owner=owner)
    report = factories.problem_report(entry, what_is_wrong="Salainen kuvaus tilanteesta")

    assert services.problem_report_notify(report_id=report.pk) == 1
    assert services.problem_report_notify(report_id=report.pk) == 0  # already told

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["omistaja@example.org"]
    assert "Kuljetuspalvelu" in message.subject
    assert "/palvelut/kortti/kuljetus/" in message.body
    assert "vastuuhenkilö" in message.body
    assert "Salainen" not in message.body
    report.refresh_from_db()
    assert report.notified_at is not None


def test_problem_report_notify_unknown_report_is_a_no_op():
    assert services.problem_report_notify(report_id=987654) == 0
    assert mail.outbox == []


def test_problem_report_create_puts_a_notification_in_the_owners_inbox(django_user_model):
    from apps.notifications.models import Notification
    from tests.catalogue.factories import entry as make_entry

    owner = django_user_model.objects.create_user("owner-inbox", email="o@example.org")
    reader = django_user_model.objects.create_user("reader-inbox")
    e = make_entry(owner=owner)
    services.problem_report_create(entry=e, reporter=reader, what_is_wrong="Puhelinaika vanha")
    note = Notification.objects.get(recipient=owner)
    assert note.verb == "problem_report"
    assert e.title in note.text and note.url == e.get_absolute_url()
    assert not Notification.objects.filter(recipient=reader).exists()


def test_entry_delete_keeps_the_topic_of_contacts_that_cite_it(advisor):
    """Deleting outside the admin goes through the same service and keeps the contacts."""
    from apps.contacts.models import ContactRecord
    from tests.contacts import factories as contact_factories

    cited = factories.entry("kuljetus", title="Kuljetuspalvelu", lines=["vammaispalvelut"])
    contact_factories.contact(at=timezone.now(), advisor=advisor, entry=cited)

    services.entry_delete(entry=cited)

    assert not Entry.objects.filter(pk=cited.pk).exists()
    record = ContactRecord.objects.get()
    assert (record.entry_id, record.topic, record.topic_text) == (
        None,
        "Kuljetuspalvelu",
        "Kuljetuspalvelu",
    )


class TestOwnerRemind:
    def test_mails_the_owner_once_a_week(self, editor):
        today = datetime.date(2026, 3, 16)
        factories.entry(
            "vanha",
            title="Vanha kortti",
            owner=editor,
            last_reviewed=datetime.date(2025, 1, 1),
            review_interval_days=365,
        )
        factories.entry("tuore", title="Tuore kortti", owner=editor, last_reviewed=today)
        factories.entry("tarkistamaton", title="Tarkistamaton", owner=editor, last_reviewed=None)
        week = datetime.date(2026, 3, 16)

        assert services.owner_remind(owner_id=editor.pk, week_start=week, today=today)
        assert not services.owner_remind(owner_id=editor.pk, week_start=week, today=today)

        assert len(mail.outbox) == 1
        body = mail.outbox[0].body
        assert mail.outbox[0].to == ["editor@example.org"]
        assert "2 sisältöäsi" in mail.outbox[0].subject
        assert "Vanha kortti (tarkistus erääntyi 1.1.2026)" in body
        assert "Tarkistamaton (ei koskaan tarkistettu)" in body
        assert "/palvelut/kortti/vanha/" in body
        assert "Tuore kortti" not in body
        assert OwnerReminder.objects.get().entry_count == 2

        assert services.owner_remind(
            owner_id=editor.pk,
            week_start=datetime.date(2026, 3, 23),
            today=datetime.date(2026, 3, 23),
        )
        assert len(mail.outbox) == 2

    def test_owner_with_nothing_overdue_gets_nothing(self, editor):
        factories.entry("tuore", owner=editor)
        assert not services.owner_remind(owner_id=editor.pk, week_start=datetime.date(2026, 3, 16))
        assert mail.outbox == []
        assert OwnerReminder.objects.count() == 0


def test_municipality_remember_stores_and_clears_the_choice(rf):
    from apps.catalogue.selectors import SESSION_MUNICIPALITY

    request = rf.get("/")
    request.session = {}
    services.municipality_remember(request, factories.municipality(factories.KOTKA))
    assert request.session == {SESSION_MUNICIPALITY: factories.KOTKA}
    services.municipality_remember(request, None)
    assert request.session == {}
