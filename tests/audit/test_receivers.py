"""Sign-in, sign-out, failed sign-ins, role, line and permission changes, and the
admin's change log: each recorded through the real flow (login form, admin, the
manager's lines page), whoever makes the change."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from apps.accounts import roles
from apps.accounts import services as account_services
from apps.audit.models import Event
from apps.catalogue.models import ServiceLine
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

Kind = Event.Kind
LOGIN = reverse("login")
LOGOUT = reverse("logout")


def _mark() -> int:
    """The newest event's id: set-up (fixtures, force_login) records events too."""
    return Event.objects.order_by("-id").values_list("id", flat=True).first() or 0


def _events(kind: str, after: int = 0) -> list[Event]:
    return list(Event.objects.filter(kind=kind, id__gt=after).order_by("id"))


# --- signing in and out -----------------------------------------------------------------


def test_sign_in_and_sign_out_are_recorded_with_the_address(client, advisor):
    response = client.post(
        LOGIN, {"username": "advisor", "password": "pw-advisor"}, REMOTE_ADDR="10.1.2.3"
    )
    assert response.status_code == 302
    client.post(LOGOUT, REMOTE_ADDR="10.1.2.4")

    [signed_in] = _events(Kind.SIGN_IN)
    [signed_out] = _events(Kind.SIGN_OUT)
    assert (signed_in.actor, signed_in.actor_username, signed_in.ip) == (
        advisor,
        "advisor",
        "10.1.2.3",
    )
    assert (signed_in.target_type, signed_in.target_id) == ("accounts.user", str(advisor.pk))
    assert (signed_out.actor, signed_out.ip) == (advisor, "10.1.2.4")


def test_failed_sign_in_names_the_account_but_never_the_password(client, advisor):
    client.post(
        LOGIN, {"username": "advisor", "password": "väärä-salasana"}, REMOTE_ADDR="10.9.9.9"
    )

    [failed] = _events(Kind.SIGN_IN_FAILED)
    assert failed.actor is None
    assert (failed.target_type, failed.target_id, failed.ip) == (
        "accounts.user",
        str(advisor.pk),
        "10.9.9.9",
    )
    assert failed.details == {"known_account": True, "locked_out": False}
    assert "väärä" not in str(Event.objects.values_list())
    assert not _events(Kind.SIGN_IN)


def test_failed_sign_in_with_an_unknown_name_stores_no_typed_text(client):
    client.post(LOGIN, {"username": "131052-308T", "password": "x"})

    [failed] = _events(Kind.SIGN_IN_FAILED)
    assert (failed.target_type, failed.target_id, failed.target_label) == ("", "", "")
    assert failed.details == {"known_account": False, "locked_out": False}
    assert "131052" not in str(Event.objects.values_list())


def test_a_locked_out_sign_in_is_recorded_as_such(client, settings, advisor):
    settings.AXES_FAILURE_LIMIT = 3
    for n in range(3):
        client.post(LOGIN, {"username": "advisor", "password": f"wrong-{n}"})
    mark = _mark()

    response = client.post(LOGIN, {"username": "advisor", "password": "pw-advisor"})

    assert response.status_code == 429
    [refused] = _events(Kind.SIGN_IN_FAILED, mark)
    assert refused.details == {"known_account": True, "locked_out": True}
    assert refused.target_id == str(advisor.pk)
    assert not _events(Kind.SIGN_IN, mark)


# --- roles, lines and permissions -----------------------------------------------------


def _user_change_data(user, **overrides):
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on" if user.is_active else "",
        "is_staff": "on" if user.is_staff else "",
        "is_superuser": "on" if user.is_superuser else "",
        "groups": [g.pk for g in user.groups.all()],
        "user_permissions": [p.pk for p in user.user_permissions.all()],
        "service_lines": [line.pk for line in user.service_lines.all()],
        "email_notifications": "on",
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "08:00:00",
        "ApiToken_set-TOTAL_FORMS": "0",
        "ApiToken_set-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v != ""}


def test_admin_role_and_flag_changes_are_recorded(client, superuser, advisor):
    manager_role = Group.objects.get(name=roles.MANAGER)
    permission = Permission.objects.get(codename="view_report")
    client.force_login(superuser)
    mark = _mark()

    response = client.post(
        reverse("admin:accounts_user_change", args=[advisor.pk]),
        _user_change_data(
            advisor,
            groups=[manager_role.pk],
            user_permissions=[permission.pk],
            is_staff="on",
        ),
        REMOTE_ADDR="10.0.0.7",
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    by_field = {
        e.details.get("field"): e
        for e in _events(Kind.ROLE_CHANGE, mark) + _events(Kind.PERMISSION_CHANGE, mark)
    }
    roles_event = by_field["groups"]
    assert (roles_event.actor, roles_event.ip, roles_event.target_id) == (
        superuser,
        "10.0.0.7",
        str(advisor.pk),
    )
    assert roles_event.details["added"] == [roles.MANAGER]
    assert by_field["groups"].kind == Kind.ROLE_CHANGE
    # The advisor role went: the removal is its own event.
    removed = [e for e in _events(Kind.ROLE_CHANGE, mark) if "removed" in e.details]
    assert removed[0].details["removed"] == [roles.ADVISOR]
    assert by_field["user_permissions"].kind == Kind.PERMISSION_CHANGE
    [flags] = [e for e in _events(Kind.PERMISSION_CHANGE, mark) if "flags" in e.details]
    assert flags.details["flags"] == {"is_staff": [False, True]}
    assert flags.actor == superuser
    # And the admin's own change log.
    [change] = _events(Kind.ADMIN_CHANGE, mark)
    assert (change.actor, change.target_type, change.target_id) == (
        superuser,
        "accounts.user",
        str(advisor.pk),
    )


def test_deactivating_a_user_is_recorded(client, superuser, advisor):
    client.force_login(superuser)
    mark = _mark()

    client.post(
        reverse("admin:accounts_user_change", args=[advisor.pk]),
        _user_change_data(advisor, is_active=""),
    )

    [flags] = [e for e in _events(Kind.PERMISSION_CHANGE, mark) if "flags" in e.details]
    assert flags.details["flags"] == {"is_active": [True, False]}


def test_group_permission_change_in_admin_is_recorded(client, superuser):
    group = Group.objects.get(name=roles.ADVISOR)
    extra = Permission.objects.get(codename="view_report")
    kept = list(group.permissions.values_list("pk", flat=True))
    client.force_login(superuser)

    response = client.post(
        reverse("admin:auth_group_change", args=[group.pk]),
        {"name": group.name, "permissions": [*kept, extra.pk]},
    )

    assert response.status_code == 302
    [event] = [
        e for e in _events(Kind.PERMISSION_CHANGE) if e.details.get("field") == "permissions"
    ]
    assert (event.target_type, event.target_label, event.actor) == (
        "auth.group",
        roles.ADVISOR,
        superuser,
    )
    assert event.details["added"] == [str(extra)]


def test_a_change_from_the_groups_side_is_recorded_on_each_user(advisor, colleague):
    group = Group.objects.get(name=roles.MANAGER)
    mark = _mark()

    group.user_set.add(advisor, colleague)
    group.user_set.clear()

    events = [(e.target_id, tuple(sorted(e.details))) for e in _events(Kind.ROLE_CHANGE, mark)]
    assert sorted(events) == sorted(
        [
            (str(advisor.pk), ("added", "field")),
            (str(colleague.pk), ("added", "field")),
            (str(advisor.pk), ("field", "removed")),
            (str(colleague.pk), ("field", "removed")),
        ]
    )
    assert all(e.actor is None for e in _events(Kind.ROLE_CHANGE, mark))  # no request: system


def test_clearing_a_users_roles_names_what_went(advisor):
    mark = _mark()
    advisor.groups.clear()
    [event] = _events(Kind.ROLE_CHANGE, mark)
    assert event.details == {"field": "groups", "removed": [roles.ADVISOR]}


def test_the_identity_provider_sync_records_roles_given_and_taken(settings):
    settings.NEUVOKAS_OIDC_ROLE_GROUPS = {roles.ADVISOR: ["g-neuvojat"], roles.MANAGER: ["g-esih"]}
    settings.NEUVOKAS_OIDC_GROUPS_CLAIM = "groups"
    claims = {"sub": "sub-1", "preferred_username": "maija", "groups": ["g-neuvojat", "g-esih"]}
    mark = _mark()

    user = account_services.oidc_user_sync(claims=claims)
    account_services.oidc_user_sync(claims={**claims, "groups": ["g-neuvojat"]})

    changes = [(e.target_id, e.actor, e.details) for e in _events(Kind.ROLE_CHANGE, mark)]
    assert changes == [
        (str(user.pk), None, {"field": "groups", "added": sorted([roles.ADVISOR, roles.MANAGER])}),
        (str(user.pk), None, {"field": "groups", "removed": [roles.MANAGER]}),
    ]


def test_manager_lines_page_change_is_recorded(client, manager, advisor):
    line = ServiceLine.objects.order_by("pk").first()
    client.force_login(manager)
    mark = _mark()

    response = client.post(
        reverse("accounts:staff_lines_edit", args=[advisor.pk]),
        {"service_lines": [line.pk]},
        REMOTE_ADDR="10.0.0.8",
    )

    assert response.status_code == 302
    [event] = _events(Kind.ROLE_CHANGE, mark)
    assert event.details["field"] == "service_lines"
    assert (event.actor, event.ip, event.target_id) == (manager, "10.0.0.8", str(advisor.pk))
    assert event.details["added"] == [str(line)]


def test_sign_in_writes_no_flag_event(client, advisor):
    mark = _mark()
    client.post(LOGIN, {"username": "advisor", "password": "pw-advisor"})
    assert _events(Kind.SIGN_IN, mark)
    assert not _events(Kind.PERMISSION_CHANGE, mark)


# --- the admin's change log ----------------------------------------------------------


def test_admin_add_change_and_delete_are_recorded(client, superuser):
    client.force_login(superuser)

    client.post(reverse("admin:auth_group_add"), {"name": "Tilapäinen", "permissions": []})
    group = Group.objects.get(name="Tilapäinen")
    client.post(
        reverse("admin:auth_group_change", args=[group.pk]),
        {"name": "Tilapäinen 2", "permissions": []},
    )
    client.post(reverse("admin:auth_group_delete", args=[group.pk]), {"post": "yes"})

    added, changed, deleted = (
        _events(Kind.ADMIN_ADD),
        _events(Kind.ADMIN_CHANGE),
        _events(Kind.ADMIN_DELETE),
    )
    assert [(e.target_type, e.target_id, e.actor) for e in added + changed + deleted] == [
        ("auth.group", str(group.pk), superuser)
    ] * 3
    assert changed[0].details["change"] == [{"changed": {"fields": ["Name"]}}]
    assert (added[0].target_label, deleted[0].target_label) == ("Tilapäinen", "Tilapäinen 2")


def test_admin_bulk_delete_records_each_object(client, superuser, django_user_model):
    one = make_user(django_user_model, "yksi")
    two = make_user(django_user_model, "kaksi")
    client.force_login(superuser)
    mark = _mark()

    response = client.post(
        reverse("admin:accounts_user_changelist"),
        {
            "action": "delete_selected",
            helpers.ACTION_CHECKBOX_NAME: [one.pk, two.pk],
            "post": "yes",
        },
    )

    assert response.status_code == 302
    deleted = _events(Kind.ADMIN_DELETE, mark)
    assert sorted(e.target_label for e in deleted) == sorted([str(one), str(two)])
    assert {e.actor for e in deleted} == {superuser}
    assert not django_user_model.objects.filter(pk__in=[one.pk, two.pk]).exists()


def test_every_registered_admin_logs_deletions_one_by_one():
    """The guard mixes in log_deletions that saves each LogEntry (post_save fires)."""
    for model_admin in admin.site._registry.values():
        assert type(model_admin).log_deletions.__qualname__.startswith("SensitiveFieldsAdminMixin")
