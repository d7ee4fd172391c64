from __future__ import annotations

import threading
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from apps.catalogue.models import ServiceLine
from apps.contacts import services
from apps.contacts.models import Channel, ContactRecord, RecentEntryView, Referral
from tests.catalogue import factories as catalogue

pytestmark = pytest.mark.django_db

VALID_HETU = "131052-308T"


def _line() -> ServiceLine:
    return ServiceLine.objects.get(key="ikaihmiset")


def test_contact_record_stores_every_field(advisor):
    entry = catalogue.entry("kotihoito", title="Kotihoito")
    key = uuid.uuid4()

    record, created = services.contact_record(
        advisor=advisor,
        submission_key=key,
        service_line=_line(),
        channel=Channel.CHAT,
        municipality=catalogue.municipality(catalogue.KOTKA),
        entry=entry,
        solved=True,
        consulted=True,
        referred_to=Referral.KELA,
        anonymous=True,
    )

    assert created
    stored = ContactRecord.objects.get()
    assert (
        stored.advisor,
        stored.submission_key,
        stored.service_line.key,
        stored.channel,
        stored.municipality_id,
        stored.entry,
        stored.solved,
        stored.consulted,
        stored.referred_to,
        stored.anonymous,
    ) == (advisor, key, "ikaihmiset", "chat", "285", entry, True, True, "kela", True)
    assert stored.topic == "Kotihoito"
    assert record.pk == stored.pk


def test_contact_record_same_key_twice_records_once(advisor):
    key = uuid.uuid4()
    first, created_first = services.contact_record(
        advisor=advisor,
        submission_key=key,
        service_line=_line(),
        channel=Channel.PHONE,
        topic_text="Omaishoidon tuki",
    )
    again, created_again = services.contact_record(
        advisor=advisor,
        submission_key=key,
        service_line=_line(),
        channel=Channel.VISIT,
        topic_text="Jotain muuta",
    )

    assert (created_first, created_again) == (True, False)
    assert again.pk == first.pk
    assert ContactRecord.objects.count() == 1
    assert ContactRecord.objects.get().channel == Channel.PHONE


def test_contact_record_same_key_from_another_advisor_is_another_contact(advisor, manager):
    key = uuid.uuid4()
    for user in (advisor, manager):
        services.contact_record(
            advisor=user,
            submission_key=key,
            service_line=_line(),
            channel=Channel.PHONE,
            topic_text="Asumistuki",
        )
    assert ContactRecord.objects.count() == 2


def test_contact_record_refuses_personal_identity_code(advisor):
    with pytest.raises(ValidationError) as caught:
        services.contact_record(
            advisor=advisor,
            submission_key=uuid.uuid4(),
            service_line=_line(),
            channel=Channel.PHONE,
            topic_text=f"Asiakas {VALID_HETU} kysyi",
        )
    assert "topic_text" in caught.value.error_dict
    assert ContactRecord.objects.count() == 0


def test_contact_record_requires_a_topic(advisor):
    with pytest.raises(ValidationError) as caught:
        services.contact_record(
            advisor=advisor,
            submission_key=uuid.uuid4(),
            service_line=_line(),
            channel=Channel.PHONE,
            topic_text="   ",
        )
    assert "topic_text" in caught.value.error_dict
    assert ContactRecord.objects.count() == 0


def test_contact_record_refuses_unknown_channel(advisor):
    with pytest.raises(ValidationError) as caught:
        services.contact_record(
            advisor=advisor,
            submission_key=uuid.uuid4(),
            service_line=_line(),
            channel="fax",
            topic_text="Asumistuki",
        )
    assert "channel" in caught.value.error_dict
    assert ContactRecord.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_contact_record_simultaneous_resends_record_once(reference_data_tx, advisor):
    """Two requests with the same key at the same moment: the unique constraint lets
    one insert through, the other returns that contact."""
    key = uuid.uuid4()
    barrier = threading.Barrier(4)
    results: list[bool] = []
    errors: list[BaseException] = []

    def submit() -> None:
        try:
            barrier.wait()
            _record, created = services.contact_record(
                advisor=advisor,
                submission_key=key,
                service_line=ServiceLine.objects.get(key="ikaihmiset"),
                channel=Channel.PHONE,
                topic_text="Asumistuki",
            )
            results.append(created)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    workers = [threading.Thread(target=submit) for _ in range(4)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert not errors
    assert sorted(results) == [False, False, False, True]
    assert ContactRecord.objects.filter(submission_key=key).count() == 1


def test_entry_view_record_keeps_one_row_per_user_and_entry(advisor):
    entry = catalogue.entry("kotihoito")
    services.entry_view_record(user=advisor, entry=entry)
    first = RecentEntryView.objects.get().viewed_at
    services.entry_view_record(user=advisor, entry=entry)
    assert RecentEntryView.objects.count() == 1
    assert RecentEntryView.objects.get().viewed_at > first


def test_contact_records_keep_entry_topic_gives_each_citing_contact_the_title(advisor):
    long_title = "Kuljetuspalvelu " + "ja saattaja " * 30  # 300 characters allowed
    cited = catalogue.entry("kuljetus", title=long_title[:300])
    other = catalogue.entry("muu", title="Muu")
    keys = [uuid.uuid4() for _ in range(3)]
    services.contact_record(
        advisor=advisor,
        submission_key=keys[0],
        service_line=_line(),
        channel=Channel.PHONE,
        entry=cited,
    )
    services.contact_record(
        advisor=advisor,
        submission_key=keys[1],
        service_line=_line(),
        channel=Channel.PHONE,
        entry=cited,
        topic_text="oma",
    )
    services.contact_record(
        advisor=advisor,
        submission_key=keys[2],
        service_line=_line(),
        channel=Channel.PHONE,
        entry=other,
    )

    assert services.contact_records_keep_entry_topic(entry=cited) == 2

    title = long_title[:200]
    assert sorted(ContactRecord.objects.values_list("topic_text", "entry_id")) == [
        ("", other.pk),
        (title, None),
        (title, None),
    ]
    for record in ContactRecord.objects.filter(entry=None):
        record.full_clean()  # still a valid contact: the topic fits the field
