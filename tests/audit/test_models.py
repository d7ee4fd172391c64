"""The audit trail is append-only: the model refuses, and so does the database, for raw
ORM updates and deletes too; only the purge's transaction-local flag lets a DELETE by."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from apps.audit import services
from apps.audit.models import AppendOnlyError, Event

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(advisor):
    return services.record(services.Kind.EXPORT, advisor, what="test")


def test_event_save_refuses_an_existing_row(event):
    event.target_label = "muutettu"
    with pytest.raises(AppendOnlyError):
        event.save()
    event.refresh_from_db()
    assert event.target_label == ""


def test_event_delete_refuses(event):
    with pytest.raises(AppendOnlyError):
        event.delete()
    assert Event.objects.filter(pk=event.pk).exists()


def test_orm_update_is_refused_by_the_database(event):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        Event.objects.filter(pk=event.pk).update(actor_username="joku")
    assert Event.objects.get(pk=event.pk).actor_username == "advisor"


def test_orm_update_of_no_rows_is_refused_too(event):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        Event.objects.filter(pk=-1).update(actor_username="joku")


def test_orm_delete_is_refused_by_the_database(event):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        Event.objects.all().delete()
    assert Event.objects.filter(pk=event.pk).exists()


def test_raw_sql_update_and_delete_are_refused(event):
    for sql in (
        "UPDATE audit_event SET details = '{}'::jsonb",
        "DELETE FROM audit_event",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql)
    assert Event.objects.filter(pk=event.pk).exists()


def test_the_purge_flag_allows_delete_but_never_update(event):
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("SET LOCAL neuvokas.audit_purge = 'on'")
        cursor.execute("UPDATE audit_event SET target_label = 'x'")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL neuvokas.audit_purge = 'on'")
        cursor.execute("DELETE FROM audit_event WHERE id = %s", [event.pk])
    assert not Event.objects.filter(pk=event.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_the_purge_flag_ends_with_its_transaction(reference_data_tx, advisor):
    first = services.record(services.Kind.EXPORT, advisor)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL neuvokas.audit_purge = 'on'")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        Event.objects.filter(pk=first.pk).delete()
    assert Event.objects.filter(pk=first.pk).exists()


def test_deleting_a_user_keeps_their_events(django_user_model, advisor):
    event = services.record(services.Kind.EXPORT, advisor)
    advisor_id = advisor.pk

    advisor.delete()

    event.refresh_from_db()
    assert (event.actor_id, event.actor_username) == (advisor_id, "advisor")
