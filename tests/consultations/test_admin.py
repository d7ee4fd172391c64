from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.contrib import admin
from django.contrib.admin import helpers
from django.urls import reverse

from apps.consultations import services
from apps.consultations.models import Answer, Callback, CallbackEvent, Thread
from apps.core.admin import (
    NeuvokasAdminSite,
    SensitiveFieldsAdminMixin,
    is_sensitive_field,
    sensitive_path,
)
from apps.notifications.models import Notification
from apps.search.models import SearchDocument
from tests.consultations import factories
from tests.helpers import shows_phone

pytestmark = pytest.mark.django_db

PHONE = "040 765 4321"


def test_callback_admin_never_shows_the_number(admin_client, advisor, colleague):
    callback = factories.callback(requester=advisor, assignee=colleague, phone=PHONE)
    changelist = admin_client.get(reverse("admin:consultations_callback_changelist"))
    change = admin_client.get(reverse("admin:consultations_callback_change", args=[callback.pk]))
    assert changelist.status_code == change.status_code == 200
    assert not shows_phone(changelist.content.decode(), PHONE)
    assert not shows_phone(change.content.decode(), PHONE)


def test_callback_admin_save_keeps_the_number(admin_client, advisor, colleague):
    callback = factories.callback(requester=advisor, assignee=colleague, phone=PHONE)
    url = reverse("admin:consultations_callback_change", args=[callback.pk])
    response = admin_client.post(
        url,
        {
            "requester": advisor.pk,
            "assignee": colleague.pk,
            "service_line": "",
            "thread": "",
            "due_at_0": "2030-01-01",
            "due_at_1": "12:00",
            "reason": "Uusi syy",
            "status": "open",
            "events-TOTAL_FORMS": "0",
            "events-INITIAL_FORMS": "0",
            "events-MIN_NUM_FORMS": "0",
            "events-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 302
    callback.refresh_from_db()
    assert (callback.reason, callback.phone) == ("Uusi syy", PHONE)


def test_thread_admin_lists_threads(admin_client, advisor):
    factories.thread(author=advisor, title="Ylläpidon kysymys")
    response = admin_client.get(reverse("admin:consultations_thread_changelist"))
    assert "Ylläpidon kysymys" in response.content.decode()


# --- the phone number never reaches the admin: lookups, search, filters, columns -----


def _paths_to_sensitive_fields(model, depth: int = 3) -> list[str]:
    """Every ORM path from ``model`` (through forward and reverse relations, up to
    ``depth`` fields) that ends at a sensitive field."""
    found: list[str] = []
    queue = [(model, "", 0)]
    while queue:
        current, prefix, level = queue.pop()
        for field in current._meta.get_fields():
            name = getattr(field, "related_query_name", None)
            name = name() if callable(name) and field.auto_created else field.name
            path = f"{prefix}{name}"
            if is_sensitive_field(field):
                found.append(path)
            elif field.is_relation and field.related_model and level + 1 < depth:
                queue.append((field.related_model, f"{path}__", level + 1))
    return found


SUFFIXES = (
    "",
    "__exact",
    "__iexact",
    "__startswith",
    "__istartswith",
    "__contains",
    "__regex",
    "__in",
    "__isnull",
    "__gt",
    "__lte",
    "__range",
)


def test_every_registered_admin_refuses_lookups_that_reach_the_phone(rf, superuser):
    request = rf.get("/")
    request.user = superuser
    checked = set()
    for model, model_admin in admin.site._registry.items():
        for path in _paths_to_sensitive_fields(model):
            for suffix in SUFFIXES:
                assert not model_admin.lookup_allowed(f"{path}{suffix}", "040", request), (
                    type(model_admin).__name__,
                    path + suffix,
                )
            checked.add(f"{model._meta.label}:{path}")
    # The walk reaches the number from the callback itself and through its relations.
    assert {
        "consultations.Callback:phone",
        "consultations.Thread:callbacks__phone",
        "accounts.User:assigned_callbacks__phone",
        "catalogue.ServiceLine:callbacks__phone",
        "auth.Group:user__requested_callbacks__phone",
    } <= checked


@pytest.mark.parametrize(
    ("changelist", "lookup"),
    [
        ("admin:consultations_callback_changelist", "phone__startswith"),
        ("admin:consultations_callback_changelist", "phone"),
        ("admin:consultations_callback_changelist", "phone__isnull"),
        ("admin:consultations_thread_changelist", "callbacks__phone__startswith"),
        ("admin:accounts_user_changelist", "assigned_callbacks__phone__startswith"),
        ("admin:catalogue_serviceline_changelist", "callbacks__phone__startswith"),
    ],
)
def test_changelist_refuses_a_phone_lookup_in_the_url(
    admin_client, advisor, colleague, changelist, lookup
):
    factories.callback(requester=advisor, assignee=colleague, phone=PHONE)
    response = admin_client.get(reverse(changelist), {lookup: "040"})
    assert response.status_code == 400


def test_every_registered_admin_keeps_the_phone_out_of_search_filters_columns_and_forms(
    rf, superuser
):
    request = rf.get("/")
    request.user = superuser
    for model, model_admin in admin.site._registry.items():
        assert isinstance(model_admin, SensitiveFieldsAdminMixin), type(model_admin)
        named = [
            *model_admin.get_search_fields(request),
            *model_admin.get_ordering(request),
            *(model_admin.get_sortable_by(request) or ()),
            *[
                f if isinstance(f, str) else getattr(f, "__name__", "")
                for f in model_admin.get_list_display(request)
            ],
            *[
                f[0] if isinstance(f, tuple) else f if isinstance(f, str) else ""
                for f in model_admin.get_list_filter(request)
            ],
        ]
        assert not [n for n in named if sensitive_path(model, n)], type(model_admin)
    callback_admin = admin.site._registry[Callback]
    assert "phone" in callback_admin.get_exclude(request)
    assert "phone" in callback_admin.get_queryset(request).query.deferred_loading[0]


def test_a_new_careless_admin_is_guarded_when_registered(rf, superuser):
    """An admin that names the number everywhere still cannot filter, search, order or
    show it: the site mixes the guard into every ModelAdmin it registers."""

    class CarelessAdmin(admin.ModelAdmin):
        list_display = ("__str__", "phone", "reason")
        list_filter = ("phone", "status")
        search_fields = ("phone", "=phone", "reason")
        ordering = ("-phone",)
        fields = ("reason", "phone")

    site = NeuvokasAdminSite(name="careless")
    site.register(Callback, CarelessAdmin)
    careless = site._registry[Callback]
    request = rf.get("/")
    request.user = superuser
    assert careless.get_list_display(request) == ("__str__", "reason")
    assert careless.get_list_filter(request) == ("status",)
    assert careless.get_search_fields(request) == ("reason",)
    assert careless.get_ordering(request) == ()
    assert careless.get_fields(request) == ["reason"]
    assert not careless.lookup_allowed("phone__startswith", "0", request)
    assert not careless.to_field_allowed(request, "phone")


# --- assignment in the admin is recorded, and so is every display of the number -----


def _change_data(callback, **overrides):
    data = {
        "requester": callback.requester_id,
        "assignee": callback.assignee_id or "",
        "service_line": callback.service_line_id or "",
        "thread": "",
        "due_at_0": "2030-01-01",
        "due_at_1": "12:00",
        "reason": callback.reason,
        "status": "open",
        "events-TOTAL_FORMS": "0",
        "events-INITIAL_FORMS": "0",
        "events-MIN_NUM_FORMS": "0",
        "events-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


def test_admin_reassignment_then_viewing_the_number_leaves_events_naming_the_viewer(
    client, superuser, advisor, colleague
):
    callback = factories.callback(requester=advisor, assignee=colleague, phone=PHONE)
    client.force_login(superuser)
    url = reverse("admin:consultations_callback_change", args=[callback.pk])

    response = client.post(url, _change_data(callback, assignee=superuser.pk))
    page = client.get(callback.get_absolute_url())

    assert response.status_code == 302
    callback.refresh_from_db()
    assert callback.assignee == superuser
    assert PHONE in page.text
    events = list(callback.events.values_list("kind", "actor"))
    assert (CallbackEvent.Kind.ASSIGNED, superuser.pk) in events
    assert events[-1] == (CallbackEvent.Kind.VIEWED, superuser.pk)
    again = client.get(callback.get_absolute_url()).text
    assert f"puhelinnumero näytetty ({superuser})" in again
    assert f"soittaja vaihdettu ({superuser})" in again


def test_admin_reassignment_tells_the_new_assignee(admin_client, advisor, colleague, outsider):
    callback = factories.callback(requester=advisor, assignee=colleague, phone=PHONE)
    url = reverse("admin:consultations_callback_change", args=[callback.pk])

    admin_client.post(url, _change_data(callback, assignee=outsider.pk))

    notice = Notification.objects.get(recipient=outsider, verb="callback_assigned")
    assert "765" not in notice.text
    assert callback.events.filter(kind=CallbackEvent.Kind.ASSIGNED).count() == 1


def test_admin_unassigning_to_the_line_is_recorded(admin_client, advisor, colleague):
    line = factories.line()
    callback = factories.callback(requester=advisor, assignee=colleague, service_line=line)
    url = reverse("admin:consultations_callback_change", args=[callback.pk])

    response = admin_client.post(url, _change_data(callback, assignee=""))

    assert response.status_code == 302
    callback.refresh_from_db()
    assert callback.assignee is None
    assert callback.events.filter(kind=CallbackEvent.Kind.ASSIGNED).count() == 1


def test_admin_save_without_reassignment_records_nothing(admin_client, advisor, colleague):
    callback = factories.callback(requester=advisor, assignee=colleague, phone=PHONE)
    url = reverse("admin:consultations_callback_change", args=[callback.pk])

    admin_client.post(url, _change_data(callback, reason="Toinen syy"))

    assert not callback.events.exists()


def test_admin_cannot_add_callbacks_past_the_service(admin_client):
    response = admin_client.get(reverse("admin:consultations_callback_add"))
    assert response.status_code == 403


# --- Deleting a solved thread or its solution ---------------------------------------------


class _FormFields(HTMLParser):
    """The values a browser would submit from an admin change form (``<form
    id="…_form">``): inputs, checked boxes, selected options and text areas."""

    def __init__(self) -> None:
        super().__init__()
        self.data: dict[str, list[str]] = {}
        self._select: str | None = None
        self._textarea: str | None = None
        self._in_form = self._done = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("id") or "").endswith("_form") and not self._done:
            self._in_form = True
        if not self._in_form:
            return
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("submit", "button", "file"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            self.data.setdefault(name, []).append(
                a.get("value") or ("on" if a.get("type") == "checkbox" else "")
            )
        elif tag == "select" and name:
            self._select = name
            self.data.setdefault(name, [])
        elif tag == "option" and self._select and "selected" in a:
            self.data[self._select].append(a.get("value") or "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = [""]

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form" and self._in_form:
            self._in_form, self._done = False, True

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea][0] += data


def _submitted(page) -> dict[str, list[str]]:
    parser = _FormFields()
    parser.feed(page.content.decode())
    return parser.data


def test_admin_delete_of_a_solved_thread_deletes_it_and_its_search_document(
    admin_client, advisor, colleague
):
    thread = factories.solved_thread(author=advisor, answerer=colleague)
    _index(thread)
    assert SearchDocument.objects.filter(source="consultations.thread").exists()

    response = admin_client.post(
        reverse("admin:consultations_thread_delete", args=[thread.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    assert not Thread.objects.exists()
    assert not Answer.objects.exists()
    assert not SearchDocument.objects.filter(source="consultations.thread").exists()


def test_admin_bulk_delete_of_solved_threads(admin_client, advisor, colleague):
    threads = [factories.solved_thread(author=advisor, answerer=colleague) for _ in range(2)]
    data = {
        "action": "delete_selected",
        helpers.ACTION_CHECKBOX_NAME: [str(t.pk) for t in threads],
        "post": "yes",
    }

    response = admin_client.post(reverse("admin:consultations_thread_changelist"), data)

    assert response.status_code == 302
    assert not Thread.objects.exists()


def test_admin_deleting_the_solution_answer_reopens_the_thread(admin_client, advisor, colleague):
    thread = factories.solved_thread(author=advisor, answerer=colleague)
    _index(thread)
    other = factories.answer(thread=thread, author=colleague, body="Toinen vastaus.")
    url = reverse("admin:consultations_thread_change", args=[thread.pk])
    data = _submitted(admin_client.get(url))
    row = next(
        k.split("-")[1]
        for k, v in data.items()
        if k.startswith("answers-") and k.endswith("-id") and v == [str(thread.solution_id)]
    )
    data[f"answers-{row}-DELETE"] = ["on"]  # the thread's own fields still name it

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.context and response.context["errors"]
    thread.refresh_from_db()
    assert (thread.status, thread.solution_id, thread.solved_by_id) == ("open", None, None)
    assert list(Answer.objects.filter(thread=thread)) == [other]
    # An open thread is not in the search (only solved ones are).
    assert not SearchDocument.objects.filter(source="consultations.thread").exists()


def test_answer_delete_of_the_solution_reopens_the_thread(advisor, colleague):
    thread = factories.solved_thread(author=advisor, answerer=colleague)

    services.answer_delete(answer=thread.solution)

    thread.refresh_from_db()
    assert (thread.status, thread.solution_id, thread.solved_at) == ("open", None, None)
    assert not Answer.objects.exists()


def _index(thread: Thread) -> None:
    from apps.search.services import index_object

    index_object(Thread.objects.select_related("solution", "service_line").get(pk=thread.pk))
