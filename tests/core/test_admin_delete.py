"""Deleting anything in Django admin never gives a 500.

One web of rows refers to one object of every model registered in admin, through every
kind of foreign key (CASCADE, SET_NULL, PROTECT, many-to-many). For each registered
model, the delete view (GET and POST) and the bulk delete action either delete the object
with what belongs to it, or show Django's own "cannot delete" page (PROTECT, or missing
permissions), or refuse (403): never an exception. A model newly registered in admin
fails ``test_every_admin_model_has_an_object_to_delete`` until it is added to the web.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import (
    ClockedSchedule,
    CrontabSchedule,
    IntervalSchedule,
    PeriodicTask,
    SolarSchedule,
)

from apps.accounts import roles
from apps.accounts.services import api_token_create
from apps.audit.services import Kind as AuditKind
from apps.audit.services import record as audit_record
from apps.catalogue.models import Entry, EntryVersion, Municipality, OwnerReminder, ServiceLine
from apps.catalogue.services import entry_record_version
from apps.consultations.models import CallbackEvent, FaqItem, Follow
from apps.contacts.models import RecentEntryView
from apps.notifications.models import Notification, Verb
from apps.reports.models import Kind, ReportSubscription
from apps.reports.services import report_request
from apps.search.models import SynonymGroup
from apps.search.services import search_log_create, synonym_group_save
from apps.stories.models import Story, StoryComment, StoryThanks
from tests.catalogue import factories as catalogue
from tests.conftest import make_user
from tests.consultations import factories as consultations
from tests.contacts import factories as contacts
from tests.stories import factories as stories

pytestmark = pytest.mark.django_db

# Deleting these is refused while other rows refer to them (on_delete=PROTECT).
PROTECTED = {"catalogue.Municipality", "catalogue.ServiceLine", "catalogue.Organisation"}


def build_world(superuser: Any, django_user_model: Any) -> dict[str, Any]:
    """One object per admin model, each referred to by rows of every other kind."""
    staff = make_user(django_user_model, "kaisa", roles.ADVISOR)
    line = ServiceLine.objects.get(key="vammaispalvelut")
    staff.service_lines.add(line)
    kotka = Municipality.objects.get(code=catalogue.KOTKA)
    org = catalogue.organisation("yhdistys", municipalities=[kotka])
    entry = catalogue.entry(
        "kuljetus",
        title="Kuljetuspalvelu",
        kind=Entry.Kind.OFFER,
        organisation=org,
        lines=[line],
        municipalities=[kotka],
        owner=staff,
    )
    catalogue.contact(entry, municipality=kotka)
    problem = catalogue.problem_report(entry, reporter=staff)
    version = entry_record_version(entry, author=staff, comment="Luotu")

    thread = consultations.solved_thread(
        author=staff, answerer=superuser, service_line=line, municipality=kotka, claimed_by=staff
    )
    thread.entries.add(entry)
    Follow.objects.create(thread=thread, user=staff)
    faq = FaqItem.objects.create(
        entry=entry,
        question="Miten haetaan?",
        answer="Lomakkeella.",
        source_thread=thread,
        created_by=staff,
    )
    callback = consultations.callback(
        requester=staff, assignee=staff, service_line=line, thread=thread
    )
    CallbackEvent.objects.create(callback=callback, kind=CallbackEvent.Kind.CREATED, actor=staff)

    now = timezone.now()
    record = contacts.contact(at=now, advisor=staff, municipality=catalogue.KOTKA, entry=entry)
    contacts.contact(at=now, advisor=staff, topic_text="toimeentulotuki")
    RecentEntryView.objects.create(user=staff, entry=entry)

    story = stories.story(author=staff, state=Story.State.PUBLISHED)
    StoryThanks.objects.create(story=story, user=superuser)
    StoryComment.objects.create(story=story, author=staff, body="Hienoa!")

    notification = Notification.objects.create(
        recipient=staff, actor=superuser, verb=Verb.ANSWER, text="Vastaus", url="/"
    )
    synonyms = synonym_group_save(group=SynonymGroup(terms="taksi\nkuljetuspalvelu"), user=staff)
    log = search_log_create(query="taksi", user=staff, source="page", result_count=1)
    token, _raw = api_token_create(user=staff, name="testi")
    today = timezone.localdate()
    report = report_request(
        kind=Kind.CONTACTS, period_start=today.replace(day=1), period_end=today, started_by=staff
    )
    subscription = ReportSubscription.objects.create(user=staff, kind=Kind.CONTACTS)
    reminder = OwnerReminder.objects.create(owner=staff, week_start=today, entry_count=1)

    interval = IntervalSchedule.objects.create(every=7, period=IntervalSchedule.DAYS)
    crontab = CrontabSchedule.objects.create(minute="5", hour="4")
    solar = SolarSchedule.objects.create(event="sunrise", latitude=60.47, longitude=26.95)
    clocked = ClockedSchedule.objects.create(clocked_time=now + datetime.timedelta(days=1))
    task = PeriodicTask.objects.create(
        name="testi", task="reports.schedule_due_reports", interval=interval
    )
    PeriodicTask.objects.create(name="testi-cron", task="x", crontab=crontab)
    PeriodicTask.objects.create(name="testi-solar", task="x", solar=solar)
    PeriodicTask.objects.create(name="testi-clocked", task="x", clocked=clocked, one_off=True)

    # Sign-in records of django-axes (a locked-out sign-in is unlocked by deleting its attempt).
    seen = {"user_agent": "pytest", "ip_address": "127.0.0.1", "username": "kaisa"}
    seen |= {"http_accept": "text/html", "path_info": "/kirjaudu/"}
    attempt = AccessAttempt.objects.create(
        **seen, get_data="", post_data="", failures_since_start=5
    )
    failure = AccessFailureLog.objects.create(**seen, locked_out=True)
    access = AccessLog.objects.create(**seen)

    # Audit records are never deleted in admin (403), whoever asks.
    audit_event = audit_record(AuditKind.EXPORT, superuser, entry, what="test")

    return {
        "audit.Event": audit_event,
        "axes.AccessAttempt": attempt,
        "axes.AccessFailureLog": failure,
        "axes.AccessLog": access,
        "auth.Group": Group.objects.get(name=roles.ADVISOR),
        "accounts.User": staff,
        "catalogue.Municipality": kotka,
        "catalogue.ServiceLine": line,
        "catalogue.Organisation": org,
        "catalogue.Entry": entry,
        "catalogue.EntryVersion": version,
        "catalogue.ProblemReport": problem,
        "consultations.Thread": thread,
        "consultations.Callback": callback,
        "consultations.FaqItem": faq,
        "contacts.ContactRecord": record,
        "stories.Theme": story.themes.get(),
        "stories.Story": story,
        "notifications.Notification": notification,
        "search.SynonymGroup": synonyms,
        "search.SearchLog": log,
        "accounts.ApiToken": token,
        "reports.Report": report,
        "reports.ReportSubscription": subscription,
        "catalogue.OwnerReminder": reminder,
        "django_celery_beat.PeriodicTask": task,
        "django_celery_beat.IntervalSchedule": interval,
        "django_celery_beat.CrontabSchedule": crontab,
        "django_celery_beat.SolarSchedule": solar,
        "django_celery_beat.ClockedSchedule": clocked,
    }


REGISTERED = sorted(model._meta.label for model in admin.site._registry)


@pytest.fixture
def world(superuser, django_user_model):
    return build_world(superuser, django_user_model)


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


def _exists(obj: Any) -> bool:
    return type(obj)._default_manager.filter(pk=obj.pk).exists()


def _assert_clean_outcome(response: Any, obj: Any, label: str) -> None:
    """Deleted (redirect), or Django's own refusal page (200) or 403: never an error."""
    assert response.status_code in (200, 302, 403), (label, response.status_code)
    if response.status_code == 302:
        assert not _exists(obj), label
    else:
        assert _exists(obj), label
    if label in PROTECTED:
        assert response.status_code == 200
        assert response.context["protected"], label


def test_every_admin_model_has_an_object_to_delete(superuser, django_user_model):
    assert sorted(build_world(superuser, django_user_model)) == REGISTERED


@pytest.mark.parametrize("label", REGISTERED)
def test_admin_delete_view_never_fails(admin_client, world, label):
    obj = world[label]
    opts = obj._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_delete", args=[obj.pk])

    page = admin_client.get(url)
    assert page.status_code in (200, 302, 403), (label, page.status_code)
    if label in PROTECTED:
        assert page.context["protected"], label

    _assert_clean_outcome(admin_client.post(url, {"post": "yes"}), obj, label)


@pytest.mark.parametrize("label", REGISTERED)
def test_admin_bulk_delete_never_fails(admin_client, world, label):
    obj = world[label]
    opts = obj._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    data = {"action": "delete_selected", helpers.ACTION_CHECKBOX_NAME: [str(obj.pk)]}

    page = admin_client.post(url, data)
    assert page.status_code in (200, 302, 403), (label, page.status_code)

    response = admin_client.post(url, {**data, "post": "yes"})
    assert response.status_code in (200, 302, 403), (label, response.status_code)
    if label in PROTECTED:
        assert _exists(obj), label


def test_admin_delete_of_a_user_keeps_what_they_wrote(admin_client, world):
    staff = world["accounts.User"]

    response = admin_client.post(
        reverse("admin:accounts_user_delete", args=[staff.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    assert Entry.objects.get(pk=world["catalogue.Entry"].pk).owner is None
    assert EntryVersion.objects.filter(pk=world["catalogue.EntryVersion"].pk).exists()
    assert Story.objects.filter(pk=world["stories.Story"].pk).exists()
