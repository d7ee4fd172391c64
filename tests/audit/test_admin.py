"""The audit trail in the admin: browse, filter, search, read, export the filtered list
as CSV (itself recorded); nobody adds, changes or deletes, superusers included."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.audit import services
from apps.audit.models import Event
from tests.consultations import factories
from tests.helpers import shows_phone

pytestmark = pytest.mark.django_db

Kind = Event.Kind
CHANGELIST = reverse("admin:audit_event_changelist")
EXPORT = reverse("admin:audit_event_export")


@pytest.fixture
def trail(advisor, colleague):
    callback = factories.callback(requester=advisor, assignee=colleague, phone="040 765 4321")
    return [
        services.record(Kind.PHONE_SHOWN, colleague, callback),
        services.record(Kind.EXPORT, advisor, what="report", format="csv"),
        services.record(Kind.SIGN_IN, advisor, advisor),
    ]


def _csv(response) -> list[dict[str, str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_superuser_browses_filters_and_searches(client, superuser, trail):
    client.force_login(superuser)

    everything = client.get(CHANGELIST)
    by_kind = client.get(CHANGELIST, {"kind__exact": Kind.PHONE_SHOWN})
    by_name = client.get(CHANGELIST, {"q": "kollega"})
    by_actor = client.get(CHANGELIST, {"actor__id__exact": trail[1].actor_id})

    def listed(response) -> list[Event]:  # set-up (users, sign-ins) recorded events too
        return [e for e in response.context["cl"].result_list if e in trail]

    assert everything.status_code == 200
    assert listed(everything) == trail[::-1]
    assert list(by_kind.context["cl"].result_list) == [trail[0]]
    assert listed(by_name) == [trail[0]]
    assert {e.actor_id for e in by_actor.context["cl"].result_list} == {trail[1].actor_id}
    assert listed(by_actor) == [trail[2], trail[1]]
    assert not shows_phone(everything.text, "040 765 4321")


def test_date_filter_and_detail_page(client, superuser, trail):
    client.force_login(superuser)
    today = timezone.localtime(trail[0].created_at)

    by_date = client.get(
        CHANGELIST,
        {
            "created_at__year": today.year,
            "created_at__month": today.month,
            "created_at__day": today.day,
        },
    )
    detail = client.get(reverse("admin:audit_event_change", args=[trail[1].pk]))

    assert by_date.status_code == 200
    assert set(trail) <= set(by_date.context["cl"].result_list)
    assert detail.status_code == 200
    assert "advisor" in detail.text and "report" in detail.text
    assert 'name="_save"' not in detail.text  # read only


def test_nobody_adds_changes_or_deletes_events_in_admin(client, superuser, trail):
    client.force_login(superuser)
    event = trail[0]

    add = client.get(reverse("admin:audit_event_add"))
    change = client.post(
        reverse("admin:audit_event_change", args=[event.pk]), {"target_label": "muutettu"}
    )
    delete = client.post(reverse("admin:audit_event_delete", args=[event.pk]), {"post": "yes"})
    bulk = client.post(
        CHANGELIST, {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"}
    )

    assert add.status_code == 403
    assert change.status_code == 403
    assert delete.status_code == 403
    assert bulk.status_code in (200, 302)  # no such action: nothing happens
    event.refresh_from_db()
    assert event.target_label != "muutettu"
    assert Event.objects.filter(pk__in=[e.pk for e in trail]).count() == 3


def test_export_gives_the_filtered_list_as_csv_and_is_recorded(client, superuser, trail):
    client.force_login(superuser)

    response = client.get(EXPORT, {"kind__exact": Kind.EXPORT}, REMOTE_ADDR="10.0.0.51")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = _csv(response)
    assert [(r["kind"], r["actor_username"]) for r in rows] == [("export", "advisor")]
    assert '"format": "csv"' in rows[0]["details"]
    [recorded] = Event.objects.filter(kind=Kind.EXPORT, actor=superuser)
    assert recorded.ip == "10.0.0.51"
    assert recorded.details == {"what": "audit", "rows": 1, "filters": {"kind__exact": ["export"]}}


def test_export_link_carries_the_current_filter(client, superuser, trail):
    client.force_login(superuser)
    page = client.get(CHANGELIST, {"kind__exact": Kind.SIGN_IN})
    assert f"{EXPORT}?kind__exact=sign_in" in page.text


def test_export_cells_never_start_a_formula(client, superuser):
    services.record(Kind.EXPORT, superuser, services.Target(type="x", label="=HYPERLINK(1)"))
    client.force_login(superuser)

    rows = _csv(client.get(EXPORT, {"kind__exact": Kind.EXPORT}))

    assert rows[0]["target_label"] == "'=HYPERLINK(1)"


def test_export_with_an_unknown_filter_goes_back_to_the_list(client, superuser, trail):
    client.force_login(superuser)

    response = client.get(EXPORT, {"_preview": "1e9999"})

    assert response.status_code == 302
    assert response["Location"] == f"{CHANGELIST}?e=1"
    assert not Event.objects.filter(kind=Kind.EXPORT, details__what="audit").exists()


@pytest.mark.parametrize("who", ["advisor", "editor", "manager"])
def test_staff_without_the_permission_cannot_see_the_trail(request, client, who, trail):
    user = request.getfixturevalue(who)
    user.is_staff = True
    user.save()
    client.force_login(user)

    assert client.get(CHANGELIST).status_code == 403
    assert client.get(EXPORT).status_code == 403
    assert not Event.objects.filter(kind=Kind.EXPORT, details__what="audit").exists()
