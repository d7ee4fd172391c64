"""apps/catalogue/citations.py: the apps above the catalogue tell it what cites an entry,
so the catalogue imports none of them and deleting an entry still loses nothing."""

from __future__ import annotations

import pytest
from django.db import IntegrityError
from django.utils import timezone

from apps.catalogue import citations, services
from apps.catalogue.models import Entry
from apps.contacts.citations import ContactRecordCiter
from apps.contacts.models import ContactRecord
from tests.catalogue import factories
from tests.contacts import factories as contact_factories

pytestmark = pytest.mark.django_db


def test_the_contact_log_registers_at_start_up():
    assert [type(c) for c in citations.entry_citers()] == [ContactRecordCiter]


def test_registering_again_replaces_the_citer_of_that_class(monkeypatch):
    monkeypatch.setattr(citations, "_CITERS", list(citations.entry_citers()))
    again = citations.register_entry_citer(ContactRecordCiter())
    assert citations.entry_citers() == (again,)


def test_entry_delete_lets_every_citer_go_of_the_entry(advisor):
    cited = factories.entry("kuljetus", title="Kuljetuspalvelu", lines=["vammaispalvelut"])
    contact_factories.contact(at=timezone.now(), advisor=advisor, entry=cited)

    services.entry_delete(entry=cited)

    assert not Entry.objects.filter(pk=cited.pk).exists()
    assert ContactRecord.objects.get().topic_text == "Kuljetuspalvelu"


def test_without_its_citer_a_cited_entry_is_not_deleted(advisor, monkeypatch):
    """The registry is what keeps the contacts' topics: were the contact log not to
    register, deleting a cited entry would fail whole rather than leave a contact with no
    topic."""
    cited = factories.entry("kuljetus", title="Kuljetuspalvelu", lines=["vammaispalvelut"])
    contact_factories.contact(at=timezone.now(), advisor=advisor, entry=cited)
    monkeypatch.setattr(citations, "_CITERS", [])

    with pytest.raises(IntegrityError):
        services.entry_delete(entry=cited)

    assert Entry.objects.filter(pk=cited.pk).exists()
    assert ContactRecord.objects.get().entry_id == cited.pk
