"""The owners' weekly reminder moved from the reports app to the catalogue: its
schedule still names a registered task, and this week's "already sent" marks survive."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django_celery_beat.models import PeriodicTask

from apps.catalogue.models import OwnerReminder
from intranet.celery import app

pytestmark = pytest.mark.django_db

BEFORE = [("catalogue", "0005_entry_list_sizes"), ("reports", "0002_roles_and_schedules")]
AFTER = [
    ("catalogue", "0006_ownerreminder_from_reports"),
    ("reports", "0003_ownerreminder_moves_to_catalogue"),
]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_seeded_reminder_schedule_names_a_registered_catalogue_task():
    app.loader.import_default_modules()  # autodiscovery, as the worker and beat do
    schedule = PeriodicTask.objects.get(name__contains="vanhentuneet sisällöt omistajille")

    assert schedule.task in app.tasks
    assert app.tasks[schedule.task].__module__ == "apps.catalogue.tasks"


def test_reminders_sent_before_the_move_still_count(editor):
    """The test's transaction rolls every step back, migrations included."""
    old = _migrate(BEFORE)
    OldReminder = old.get_model("reports", "OwnerReminder")
    assert OldReminder._meta.db_table == "reports_ownerreminder"
    OldReminder.objects.create(
        owner_id=editor.pk, week_start=datetime.date(2026, 3, 16), entry_count=3
    )

    _migrate(AFTER)

    assert OwnerReminder._meta.db_table == "catalogue_ownerreminder"
    reminder = OwnerReminder.objects.get()
    assert (reminder.owner, reminder.week_start, reminder.entry_count) == (
        editor,
        datetime.date(2026, 3, 16),
        3,
    )


def test_contact_municipality_becomes_its_set_of_municipalities():
    """0007/0008: each contact's one municipality is copied into its new set (none stays
    none: the whole area); backwards, the set's first code goes back."""
    before = [("catalogue", "0006_ownerreminder_from_reports")]
    after = [("catalogue", "0008_contact_opening_hours")]
    old = _migrate(before)
    OldEntry = old.get_model("catalogue", "Entry")
    OldContact = old.get_model("catalogue", "Contact")
    e = OldEntry.objects.create(kind="service", key="vanha", title="Vanha", summary="S")
    OldContact.objects.create(entry=e, position=0, phone="1", municipality_id="935")
    OldContact.objects.create(entry=e, position=1, phone="2", municipality_id=None)
    with connection.cursor() as cursor:  # check the rows now: ALTER TABLE refuses pending checks
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")

    new = _migrate(after)
    Contact = new.get_model("catalogue", "Contact")
    served = {
        c.phone: [m.code for m in c.municipalities.all()]
        for c in Contact.objects.filter(entry__key="vanha")
    }
    assert served == {"1": ["935"], "2": []}
    assert {c.phone: c.opening_hours for c in Contact.objects.filter(entry__key="vanha")} == {
        "1": {},
        "2": {},
    }

    back = _migrate(before)
    assert {
        c.phone: c.municipality_id
        for c in back.get_model("catalogue", "Contact").objects.filter(entry__key="vanha")
    } == {"1": "935", "2": None}
    _migrate(after)
