"""apps/contacts/citations.py: how the contact log cites entries, as the catalogue asks."""

from __future__ import annotations

import pytest
from django.utils import timezone, translation

from apps.catalogue.models import Entry
from apps.contacts.citations import ContactRecordCiter
from apps.contacts.models import ContactRecord
from tests.catalogue import factories as catalogue
from tests.contacts.factories import contact

pytestmark = pytest.mark.django_db


def test_counts_and_releases_the_contacts_that_cite_entries(advisor):
    cited = catalogue.entry("kuljetus", title="Kuljetuspalvelu")
    other = catalogue.entry("muu", title="Muu")
    for entry in (cited, cited, other):
        contact(at=timezone.now(), advisor=advisor, entry=entry)
    citer = ContactRecordCiter()

    assert citer.count(entries=[cited]) == 2
    assert citer.count(entries=Entry.objects.all()) == 3
    assert citer.release(entry=cited) == 2
    assert citer.count(entries=[cited]) == 0
    assert sorted(ContactRecord.objects.values_list("topic_text", flat=True)) == [
        "",
        "Kuljetuspalvelu",
        "Kuljetuspalvelu",
    ]


def test_delete_warning_says_what_happens_to_the_contacts():
    citer = ContactRecordCiter()
    with translation.override("fi"):
        assert citer.delete_warning(count=1, selected=False) == (
            "1 yhteydenotto viittaa tähän korttiin; siihen jää kortin otsikko aiheeksi."
        )
        assert citer.delete_warning(count=2, selected=True) == (
            "2 yhteydenottoa viittaa valittuihin kortteihin; niihin jää kortin otsikko aiheeksi."
        )
