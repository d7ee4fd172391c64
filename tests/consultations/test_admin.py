from __future__ import annotations

import pytest
from django.urls import reverse

from tests.consultations import factories

pytestmark = pytest.mark.django_db

PHONE = "040 765 4321"


def test_callback_admin_never_shows_the_number(admin_client, advisor, colleague):
    callback = factories.callback(requester=advisor, assignee=colleague, phone=PHONE)
    changelist = admin_client.get(reverse("admin:consultations_callback_changelist"))
    change = admin_client.get(reverse("admin:consultations_callback_change",
                                      args=[callback.pk]))
    assert changelist.status_code == change.status_code == 200
    assert "765" not in changelist.content.decode()
    assert "765" not in change.content.decode()


def test_callback_admin_save_keeps_the_number(admin_client, advisor, colleague):
    callback = factories.callback(requester=advisor, assignee=colleague, phone=PHONE)
    url = reverse("admin:consultations_callback_change", args=[callback.pk])
    response = admin_client.post(url, {
        "requester": advisor.pk, "assignee": colleague.pk, "service_line": "",
        "thread": "", "due_at_0": "2030-01-01", "due_at_1": "12:00", "reason": "Uusi syy",
        "status": "open",
        "events-TOTAL_FORMS": "0", "events-INITIAL_FORMS": "0",
        "events-MIN_NUM_FORMS": "0", "events-MAX_NUM_FORMS": "1000",
    })
    assert response.status_code == 302
    callback.refresh_from_db()
    assert (callback.reason, callback.phone) == ("Uusi syy", PHONE)


def test_thread_admin_lists_threads(admin_client, advisor):
    factories.thread(author=advisor, title="Ylläpidon kysymys")
    response = admin_client.get(reverse("admin:consultations_thread_changelist"))
    assert "Ylläpidon kysymys" in response.content.decode()
