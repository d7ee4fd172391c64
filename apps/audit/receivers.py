"""Events recorded from signals, whoever causes them: sign-in, sign-out and failed
sign-ins (Django's auth signals, also sent by the single sign-on and the lockout), role,
line and permission changes (the many-to-many relations and the user's status flags,
changed by the admin, the manager's lines page or the identity-provider sync alike) and
the admin's own change log (``LogEntry``).

Signals are the one place that sees every writer of these relations; the style's "no
logic in signals" yields here to "nothing escapes the record". The receivers only record.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import cache
from typing import Any

from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models.signals import m2m_changed, post_save, pre_save
from django.dispatch import receiver
from django.http import HttpRequest

from . import context, services
from .services import Kind, Target

# The user's status flags whose change is a change of access.
FLAGS = ("is_active", "is_staff", "is_superuser")


# --- Signing in and out ------------------------------------------------------------------


@receiver(user_logged_in, dispatch_uid="audit_sign_in")
def _signed_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    backend = getattr(user, "backend", "") or ""
    services.record(Kind.SIGN_IN, user, user, backend=backend.rsplit(".", 1)[-1])


@receiver(user_logged_out, dispatch_uid="audit_sign_out")
def _signed_out(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if user is not None and user.is_authenticated:
        services.record(Kind.SIGN_OUT, user, user)


@receiver(user_login_failed, dispatch_uid="audit_sign_in_failed")
def _sign_in_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    """Which account was tried, when the name is one of ours; a name that matches no
    account is not stored (it may be anything typed, even a password or an identity
    code). Never a password."""
    User = get_user_model()
    username = credentials.get(User.USERNAME_FIELD) or credentials.get("username")
    account = None
    if isinstance(username, str) and username:
        account = User._default_manager.filter(**{User.USERNAME_FIELD: username}).first()
    services.record(
        Kind.SIGN_IN_FAILED,
        None,
        account,
        known_account=account is not None,
        # django-axes marks a request it refused for a locked-out username and address.
        locked_out=bool(getattr(request, "axes_locked_out", False)),
    )


# --- Roles, lines and permissions -----------------------------------------------------


def _labels(model: type[models.Model], pks: Iterable[Any]) -> list[str]:
    return sorted(str(obj) for obj in model._default_manager.filter(pk__in=list(pks)))


@cache
def _m2m_fields() -> dict[type[models.Model], tuple[type[models.Model], str, Kind]]:
    """through model -> (holder model, field name, event kind)."""
    User = get_user_model()
    fields: list[tuple[type[models.Model], str, Kind]] = [
        (User, "groups", Kind.ROLE_CHANGE),
        (User, "service_lines", Kind.ROLE_CHANGE),
        (User, "user_permissions", Kind.PERMISSION_CHANGE),
        (Group, "permissions", Kind.PERMISSION_CHANGE),
    ]
    out: dict[type[models.Model], tuple[type[models.Model], str, Kind]] = {}
    for holder, name, kind in fields:
        try:
            field: Any = holder._meta.get_field(name)
        except FieldDoesNotExist:  # pragma: no cover - a custom user model without it
            continue
        out[field.remote_field.through] = (holder, name, kind)
    return out


def _access_changed(
    sender: Any,
    instance: models.Model,
    action: str,
    reverse: bool,
    model: type[models.Model],
    pk_set: set[Any] | None,
    **kwargs: Any,
) -> None:
    holder, name, kind = _m2m_fields()[sender]
    field: Any = holder._meta.get_field(name)
    holder_column = field.m2m_field_name()
    other_column = field.m2m_reverse_field_name()
    column = other_column if not reverse else holder_column
    own = holder_column if not reverse else other_column
    if action in ("pre_clear", "pre_remove"):
        # What will really go (remove() is told of pks that may not be there), read
        # before it goes.
        present = sender.objects.filter(**{own: instance.pk})
        if action == "pre_remove":
            present = present.filter(**{f"{column}__in": list(pk_set or ())})
        instance.__dict__[f"_audit_going_{name}"] = set(
            present.values_list(f"{column}_id", flat=True)
        )
        return
    if action == "post_add":
        pks = set(pk_set or ())  # Django leaves out what was there already
    elif action in ("post_remove", "post_clear"):
        pks = instance.__dict__.pop(f"_audit_going_{name}", set())
    else:
        return
    if not pks:
        return
    change = "removed" if action in ("post_remove", "post_clear") else "added"
    actor = context.current_user()
    if not reverse:
        services.record(kind, actor, instance, field=name, **{change: _labels(model, pks)})
        return
    # Changed from the other side (group.user_set.add(user), ...): one event per holder.
    for holder_obj in holder._default_manager.filter(pk__in=list(pks)):
        services.record(kind, actor, holder_obj, field=name, **{change: [str(instance)]})


def _user_flags_before(
    sender: Any, instance: Any, update_fields: Any = None, **kwargs: Any
) -> None:
    if kwargs.get("raw"):
        return
    if update_fields is not None and not set(update_fields) & set(FLAGS):
        return  # e.g. last_login at every sign-in
    if instance.pk is None or instance._state.adding:
        before = {"is_active": True, "is_staff": False, "is_superuser": False}
    else:
        row = sender._default_manager.filter(pk=instance.pk).values(*FLAGS).first()
        before = row or {"is_active": True, "is_staff": False, "is_superuser": False}
    changed = {
        flag: [before[flag], getattr(instance, flag)]
        for flag in FLAGS
        if before[flag] != getattr(instance, flag)
    }
    instance._audit_flags = changed


def _user_flags_after(sender: Any, instance: Any, **kwargs: Any) -> None:
    changed = instance.__dict__.pop("_audit_flags", None)
    if changed:
        services.record(Kind.PERMISSION_CHANGE, context.current_user(), instance, flags=changed)


def _connect() -> None:
    User = get_user_model()
    for through in _m2m_fields():
        m2m_changed.connect(_access_changed, sender=through, dispatch_uid=f"audit_m2m_{through}")
    pre_save.connect(_user_flags_before, sender=User, dispatch_uid="audit_user_flags_before")
    post_save.connect(_user_flags_after, sender=User, dispatch_uid="audit_user_flags_after")


_connect()


# --- The admin's change log -----------------------------------------------------------

_ADMIN_KINDS = {ADDITION: Kind.ADMIN_ADD, CHANGE: Kind.ADMIN_CHANGE, DELETION: Kind.ADMIN_DELETE}


def _change_message(entry: LogEntry) -> Any:
    """The admin's structured message: which fields changed, which inlines were added
    or removed (labels scrubbed by ``record``); never field values."""
    try:
        return json.loads(entry.change_message or "[]")
    except ValueError:
        return []


@receiver(post_save, sender=LogEntry, dispatch_uid="audit_admin_log")
def _admin_logged(sender: Any, instance: LogEntry, created: bool, **kwargs: Any) -> None:
    if not created or kwargs.get("raw"):
        return
    content_type = instance.content_type
    target = Target(
        type=f"{content_type.app_label}.{content_type.model}" if content_type else "",
        id=str(instance.object_id or ""),
        label=instance.object_repr or "",
    )
    services.record(
        _ADMIN_KINDS.get(instance.action_flag, Kind.ADMIN_CHANGE),
        instance.user,
        target,
        change=_change_message(instance),
    )
