"""Writes of the consultation threads, callbacks and FAQ items.

Every posted text goes through the personal-data guard first
(:func:`apps.core.privacy.ensure_no_personal_data`): a henkilötunnus is refused and
nothing is saved. Contested rows are locked (``select_for_update``): two claims cannot
both win, solving locks the thread, and edits check the version the editor started
from (:class:`EditConflict`). Answers are rows of their own, so two colleagues
answering at once never overwrite each other.
"""

from __future__ import annotations

import datetime
import logging
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from apps.audit import services as audit
from apps.core.privacy import ensure_no_personal_data
from apps.notifications.services import notify

from . import live, permissions
from .models import (
    Answer,
    AnswerRevision,
    Callback,
    CallbackEvent,
    FaqItem,
    Follow,
    Thread,
    ThreadRevision,
    Urgency,
)

if TYPE_CHECKING:
    from apps.accounts.models import User
    from apps.catalogue.models import Entry, Municipality, ServiceLine

logger = logging.getLogger(__name__)

# @username as Django allows it (letters, digits, _ . + - @); a trailing full stop or
# hyphen belongs to the sentence, not the name.
MENTION_RE = re.compile(r"(?<![\w@.+-])@([\w.+-]+)")


class EditConflict(Exception):
    """Someone saved after the editor opened the form; nothing was written.

    ``current`` is the object as it is now (its ``version`` is the new base),
    ``editors`` who saved in between.
    """

    def __init__(self, *, current: Thread | Answer, base_version: int, editors: list[Any]) -> None:
        super().__init__(
            f"{type(current).__name__} {current.pk}: edited from version "
            f"{base_version}, now {current.version}"
        )
        self.current = current
        self.base_version = base_version
        self.editors = editors


# --- helpers ------------------------------------------------------------------------


def mentioned_users(text: str) -> list[User]:
    """Active users named as ``@username`` in ``text`` (case-insensitive)."""
    names = {m.group(1).rstrip(".-").lower() for m in MENTION_RE.finditer(text or "")}
    names.discard("")
    if not names:
        return []
    query = Q()
    for name in names:
        query |= Q(username__iexact=name)
    return list(get_user_model().objects.filter(query, is_active=True))


def _short(text: str, limit: int = 80) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _line_staff(service_line_id: int | None) -> list[User]:
    if service_line_id is None:
        return []
    return list(get_user_model().objects.filter(service_lines=service_line_id, is_active=True))


def _follow(thread: Thread, user: User | None) -> None:
    if user is None or not getattr(user, "pk", None):
        return
    Follow.objects.bulk_create([Follow(thread=thread, user=user)], ignore_conflicts=True)


def _followers(thread: Thread) -> list[User]:
    return list(get_user_model().objects.filter(followed_threads=thread, is_active=True))


def _index_thread(thread: Thread) -> None:
    """Keep the search index in step, in this transaction: a solved thread is indexed
    (title, question, solution); an open one is not (the source returns no document)."""
    from apps.search.services import index_object

    index_object(Thread.objects.select_related("solution", "service_line").get(pk=thread.pk))


def _notify_mentions(
    *, text: str, thread: Thread, url: str, actor: User, already: Iterable[str] = ""
) -> set[int]:
    """Notify users newly mentioned in ``text`` (not mentioned in ``already``)."""
    before = {u.pk for u in mentioned_users("".join(already))}
    users = [u for u in mentioned_users(text) if u.pk not in before and u.pk != actor.pk]
    if users:
        notify(
            recipients=users,
            verb="mention",
            url=url,
            actor=actor,
            email=True,
            text=_("%(actor)s mainitsi sinut kysymyksessä ”%(title)s”")
            % {"actor": actor, "title": _short(thread.title)},
        )
        live.mentioned(users, thread)
    return {u.pk for u in users}


# --- Threads ------------------------------------------------------------------------


def thread_create(
    *,
    author: User,
    title: str,
    body: str,
    service_line: ServiceLine,
    urgency: str = Urgency.NONE,
    municipality: Municipality | None = None,
    entries: Iterable[Entry] = (),
) -> Thread:
    """Ask colleagues. A caller-waiting question alerts everyone serving its line."""
    title, body = (title or "").strip(), (body or "").strip()
    ensure_no_personal_data({"title": title, "body": body})
    with transaction.atomic():
        thread = Thread(
            author=author,
            title=title,
            body=body,
            service_line=service_line,
            municipality=municipality,
            urgency=urgency,
            last_activity_at=timezone.now(),
        )
        thread.full_clean()
        thread.save()
        if entries:
            thread.entries.set(list(entries))
        ThreadRevision.objects.create(
            thread=thread, number=thread.version, title=title, body=body, editor=author
        )
        _follow(thread, author)
        url = thread.get_absolute_url()
        mentioned = _notify_mentions(text=f"{title}\n{body}", thread=thread, url=url, actor=author)
        if urgency == Urgency.WAITING:
            staff = [u for u in _line_staff(service_line.pk) if u.pk not in mentioned]
            notify(
                recipients=staff,
                verb="caller_waiting",
                url=url,
                actor=author,
                email=True,
                dedupe_key=f"consultations:thread:{thread.pk}:waiting",
                text=_("Asiakas odottaa linjalla (%(line)s): ”%(title)s”")
                % {"line": service_line, "title": _short(title)},
            )
        live.thread_posted(thread, waiting=urgency == Urgency.WAITING)
    return thread


def thread_update(
    *,
    thread: Thread,
    editor: User,
    base_version: int,
    title: str,
    body: str,
    service_line: ServiceLine | None = None,
    urgency: str | None = None,
    municipality: Municipality | str | None = "keep",
) -> Thread:
    """Edit the question. Refuses (EditConflict) if someone saved after ``base_version``;
    every save is kept as a ThreadRevision."""
    title, body = (title or "").strip(), (body or "").strip()
    ensure_no_personal_data({"title": title, "body": body})
    with transaction.atomic():
        locked = Thread.objects.select_for_update().get(pk=thread.pk)
        if not permissions.can_edit_thread(editor, locked):
            raise PermissionDenied
        if locked.version != base_version:
            editors = [
                r.editor
                for r in locked.revisions.filter(number__gt=base_version)
                .select_related("editor")
                .order_by("number")
            ]
            raise EditConflict(current=locked, base_version=base_version, editors=editors)
        old_text = f"{locked.title}\n{locked.body}"
        fields = ["title", "body", "version", "updated_at", "last_activity_at"]
        locked.title, locked.body = title, body
        if service_line is not None:
            locked.service_line = service_line
            fields.append("service_line")
        if urgency is not None:
            locked.urgency = urgency
            fields.append("urgency")
        if municipality != "keep":
            locked.municipality = municipality  # type: ignore[assignment]
            fields.append("municipality")
        locked.version = base_version + 1
        locked.last_activity_at = timezone.now()
        locked.full_clean()
        locked.save(update_fields=fields)
        ThreadRevision.objects.create(
            thread=locked, number=locked.version, title=title, body=body, editor=editor
        )
        _notify_mentions(
            text=f"{title}\n{body}",
            thread=locked,
            url=locked.get_absolute_url(),
            actor=editor,
            already=[old_text],
        )
        if locked.is_solved:
            _index_thread(locked)
    return locked


def thread_claim(*, thread: Thread, user: User) -> Thread:
    """ "Otan tämän": one colleague researches it. Two claims at once: one wins."""
    with transaction.atomic():
        locked = Thread.objects.select_for_update().get(pk=thread.pk)
        if locked.claimed_by_id == user.pk:
            return locked
        if locked.claimed_by_id is not None:
            raise ValidationError(
                _("%(name)s selvittää jo tätä kysymystä.") % {"name": locked.claimed_by},
                code="claimed",
            )
        if not permissions.can_claim(user, locked):
            raise PermissionDenied
        locked.claimed_by, locked.claimed_at = user, timezone.now()
        locked.save(update_fields=["claimed_by", "claimed_at", "updated_at"])
        _follow(locked, user)
        live.thread_claimed(locked)
    return locked


def thread_release(*, thread: Thread, user: User) -> Thread:
    with transaction.atomic():
        locked = Thread.objects.select_for_update().get(pk=thread.pk)
        if locked.claimed_by_id is None:
            return locked
        if not permissions.can_release_claim(user, locked):
            raise PermissionDenied
        if locked.claimed_by_id != user.pk:  # a manager frees someone else's claim
            audit.record(
                audit.Kind.REASSIGNED,
                user,
                locked,
                via="release",
                **_handover(locked.claimed_by, None),
            )
        locked.claimed_by, locked.claimed_at = None, None
        locked.save(update_fields=["claimed_by", "claimed_at", "updated_at"])
        live.thread_claimed(locked)
    return locked


def thread_assign(
    *, thread: Thread, assignee: User | None, by: User, seen_claimed_by_id: int | None
) -> Thread:
    """A manager hands an open question to a colleague (``assignee``) or frees it (None).

    ``seen_claimed_by_id`` is who the manager saw researching it: if someone claimed,
    released or reassigned it since, nothing changes (``ValidationError``, code
    ``stale``), so two managers never overwrite each other's choice unseen.
    """
    with transaction.atomic():
        locked = Thread.objects.select_for_update().get(pk=thread.pk)
        if not permissions.can_assign_thread(by, locked):
            raise PermissionDenied
        if locked.claimed_by_id != seen_claimed_by_id:
            raise ValidationError(
                _("Selvittäjä ehti vaihtua. Tarkista tilanne ja yritä uudelleen."), code="stale"
            )
        if locked.claimed_by_id == (assignee.pk if assignee is not None else None):
            return locked
        if assignee is not None and not permissions.can_answer(assignee, locked):
            raise ValidationError(
                {"assignee": _("%(name)s ei voi vastata kysymyksiin.") % {"name": assignee}},
                code="cannot_answer",
            )
        now = timezone.now()
        audit.record(
            audit.Kind.REASSIGNED,
            by,
            locked,
            via="assign",
            **_handover(locked.claimed_by, assignee),
        )
        locked.claimed_by = assignee
        locked.claimed_at = now if assignee is not None else None
        locked.save(update_fields=["claimed_by", "claimed_at", "updated_at"])
        if assignee is not None:
            _follow(locked, assignee)
            notify(
                recipients=[assignee],
                verb="thread_assigned",
                url=locked.get_absolute_url(),
                actor=by,
                email=False,
                dedupe_key=f"consultations:thread:{locked.pk}:assigned:{now.isoformat()}",
                text=_("%(actor)s pyytää sinua selvittämään kysymyksen: %(title)s")
                % {"actor": by, "title": _short(locked.title)},
            )
        live.thread_claimed(locked)
    return locked


def thread_follow(*, thread: Thread, user: User) -> None:
    _follow(thread, user)


def thread_unfollow(*, thread: Thread, user: User) -> None:
    Follow.objects.filter(thread=thread, user=user).delete()


def thread_solve(*, thread: Thread, answer: Answer, by: User) -> Thread:
    """Mark ``answer`` as the solution (the asker or a manager). Choosing another answer
    later moves the solution. Followers, the answer's author and the owners of linked
    catalogue entries are told."""
    with transaction.atomic():
        locked = Thread.objects.select_for_update().get(pk=thread.pk)
        if not permissions.can_mark_solution(by, locked):
            raise PermissionDenied
        if answer.thread_id != locked.pk or answer.kind != Answer.Kind.ANSWER:
            raise ValidationError(
                _("Ratkaisuksi voi merkitä vain tämän kysymyksen vastauksen."),
                code="invalid_solution",
            )
        if locked.solution_id == answer.pk:
            return locked
        now = timezone.now()
        locked.solution, locked.status = answer, Thread.Status.SOLVED
        locked.solved_by, locked.solved_at, locked.last_activity_at = by, now, now
        locked.save(
            update_fields=[
                "solution",
                "status",
                "solved_by",
                "solved_at",
                "last_activity_at",
                "updated_at",
            ]
        )
        url = answer.get_absolute_url()
        title = _short(locked.title)
        key = f"consultations:thread:{locked.pk}:solved:{answer.pk}"
        told: set[int] = {by.pk}
        if answer.author is not None and answer.author.pk not in told:
            notify(
                recipients=[answer.author],
                verb="solved",
                url=url,
                actor=by,
                email=False,
                dedupe_key=key,
                text=_("Vastauksesi merkittiin ratkaisuksi: ”%(title)s”") % {"title": title},
            )
            told.add(answer.author.pk)
        followers = [u for u in _followers(locked) if u.pk not in told]
        if followers:
            notify(
                recipients=followers,
                verb="solved",
                url=url,
                actor=by,
                email=False,
                dedupe_key=key,
                text=_("Seuraamasi kysymys ratkaistiin: ”%(title)s”") % {"title": title},
            )
            told |= {u.pk for u in followers}
        _notify_entry_owners(thread=locked, entries=list(locked.entries.all()), actor=by)
        _index_thread(locked)
        live.thread_solved(locked)
    return locked


def _notify_entry_owners(*, thread: Thread, entries: list[Entry], actor: User) -> None:
    """Ask each linked entry's owner whether the entry needs the answer too."""
    for entry in entries:
        if entry.owner is None or not thread.is_solved:
            continue
        notify(
            recipients=[entry.owner],
            verb="entry_thread_solved",
            url=thread.get_absolute_url(),
            actor=actor,
            email=False,
            dedupe_key=f"consultations:thread:{thread.pk}:entry:{entry.pk}:{thread.solution_id}",
            text=_(
                "Palveluusi ”%(entry)s” liittyvä kysymys ratkaistiin: ”%(title)s”. "
                "Tarvitseeko palvelukuvaus tämän tiedon?"
            )
            % {"entry": _short(str(entry), 60), "title": _short(thread.title)},
        )


def thread_link_entries(*, thread: Thread, entries: Iterable[Entry], by: User) -> Thread:
    """An editor links a solved thread to catalogue entries; new entries' owners are told."""
    with transaction.atomic():
        locked = Thread.objects.select_for_update().get(pk=thread.pk)
        if not permissions.can_curate(by, locked):
            raise PermissionDenied
        existing = set(locked.entries.values_list("pk", flat=True))
        new = [e for e in entries if e.pk not in existing]
        if new:
            locked.entries.add(*new)
            _notify_entry_owners(thread=locked, entries=new, actor=by)
            _index_thread(locked)
    return locked


# --- Answers ------------------------------------------------------------------------


def answer_post(
    *, thread: Thread, author: User, body: str, kind: str = Answer.Kind.ANSWER
) -> Answer:
    """Answer or comment. The asker hears of answers (e-mail too), followers in-app,
    and ``@username`` mentions notify that person."""
    body = (body or "").strip()
    ensure_no_personal_data({"body": body})
    with transaction.atomic():
        locked = Thread.objects.select_for_update().get(pk=thread.pk)
        answer = Answer(thread=locked, author=author, body=body, kind=kind)
        answer.full_clean()
        answer.save()
        AnswerRevision.objects.create(
            answer=answer, number=answer.version, body=body, editor=author
        )
        locked.last_activity_at = answer.created_at
        locked.save(update_fields=["last_activity_at"])
        url = answer.get_absolute_url()
        title = _short(locked.title)
        told = {author.pk} | _notify_mentions(text=body, thread=locked, url=url, actor=author)
        asker = locked.author
        if asker is not None and asker.pk not in told:
            if kind == Answer.Kind.ANSWER:
                text = _("%(actor)s vastasi kysymykseesi ”%(title)s”")
            else:
                text = _("%(actor)s kommentoi kysymystäsi ”%(title)s”")
            notify(
                recipients=[asker],
                verb="answer",
                url=url,
                actor=author,
                email=kind == Answer.Kind.ANSWER,
                text=text % {"actor": author, "title": title},
            )
            told.add(asker.pk)
        followers = [u for u in _followers(locked) if u.pk not in told]
        if followers:
            notify(
                recipients=followers,
                verb="followed_thread",
                url=url,
                actor=author,
                email=False,
                text=_("%(actor)s vastasi seuraamaasi kysymykseen ”%(title)s”")
                % {"actor": author, "title": title},
            )
        _follow(locked, author)
        live.answer_posted(answer, locked)
    return answer


def answer_update(*, answer: Answer, editor: User, base_version: int, body: str) -> Answer:
    body = (body or "").strip()
    ensure_no_personal_data({"body": body})
    with transaction.atomic():
        locked = Answer.objects.select_for_update().select_related("thread").get(pk=answer.pk)
        if not permissions.can_edit_answer(editor, locked):
            raise PermissionDenied
        if locked.version != base_version:
            editors = [
                r.editor
                for r in locked.revisions.filter(number__gt=base_version)
                .select_related("editor")
                .order_by("number")
            ]
            raise EditConflict(current=locked, base_version=base_version, editors=editors)
        old_body = locked.body
        locked.body, locked.version = body, base_version + 1
        locked.edited_at = timezone.now()
        locked.full_clean()
        locked.save(update_fields=["body", "version", "edited_at", "updated_at"])
        AnswerRevision.objects.create(
            answer=locked, number=locked.version, body=body, editor=editor
        )
        _notify_mentions(
            text=body,
            thread=locked.thread,
            url=locked.get_absolute_url(),
            actor=editor,
            already=[old_body],
        )
        if locked.thread.solution_id == locked.pk:
            _index_thread(locked.thread)
    return locked


# --- FAQ ----------------------------------------------------------------------------


def faq_item_create(
    *, thread: Thread, entry: Entry, question: str, answer: str, by: User
) -> FaqItem:
    """Turn a solved thread's solution into a "Usein kysyttyä" item on ``entry`` and link
    the thread to the entry."""
    question, answer = (question or "").strip(), (answer or "").strip()
    ensure_no_personal_data({"question": question, "answer": answer})
    with transaction.atomic():
        locked = Thread.objects.select_for_update().get(pk=thread.pk)
        if not permissions.can_curate(by, locked):
            raise PermissionDenied
        position = (FaqItem.objects.filter(entry=entry).aggregate(m=Max("position"))["m"] or 0) + 1
        item = FaqItem(
            entry=entry,
            question=question,
            answer=answer,
            source_thread=locked,
            position=position,
            created_by=by,
        )
        item.full_clean(validate_constraints=False)
        try:
            with transaction.atomic():
                item.save()
        except IntegrityError as exc:
            raise ValidationError(
                {"entry": _("Tästä kysymyksestä on jo usein kysytty -kohta tällä palvelulla.")},
                code="duplicate",
            ) from exc
        if not locked.entries.filter(pk=entry.pk).exists():
            locked.entries.add(entry)
            _index_thread(locked)
    return item


# --- Callbacks ----------------------------------------------------------------------


def _callback_event(callback: Callback, kind: str, actor: User | None = None) -> None:
    CallbackEvent.objects.create(
        callback=callback, kind=kind, actor=actor if getattr(actor, "pk", None) else None
    )


def _handover(before: User | None, after: User | None) -> dict[str, Any]:
    """An audit record's "from" and "to" (ids and usernames, nothing else)."""
    return {
        "from_user": (before.pk, before.get_username()) if before is not None else None,
        "to_user": (after.pk, after.get_username()) if after is not None else None,
    }


def _callback_recipients(callback: Callback) -> list[User]:
    if callback.assignee is not None:
        return [callback.assignee]
    return _line_staff(callback.service_line_id)


def _local(dt: datetime.datetime) -> str:
    return formats.date_format(timezone.localtime(dt), "SHORT_DATETIME_FORMAT")


def callback_create(
    *,
    requester: User,
    due_at: datetime.datetime,
    reason: str,
    phone: str,
    assignee: User | None = None,
    service_line: ServiceLine | None = None,
    thread: Thread | None = None,
) -> Callback:
    """Ask a colleague (``assignee``) or a line to call the customer back.

    The number is stored for the callback only; it never goes into notifications or
    logs (the notice names the requester and the due time).
    """
    reason, phone = (reason or "").strip(), " ".join((phone or "").split())
    ensure_no_personal_data({"reason": reason, "phone": phone})
    if not phone:
        raise ValidationError({"phone": _("Anna asiakkaan puhelinnumero.")}, code="required")
    if assignee is None and service_line is None:
        raise ValidationError(_("Valitse soittaja tai palvelulinja."), code="no_assignee")
    with transaction.atomic():
        callback = Callback(
            requester=requester,
            assignee=assignee,
            service_line=service_line,
            thread=thread,
            due_at=due_at,
            reason=reason,
            phone=phone,
        )
        callback.full_clean()
        callback.save()
        _callback_event(callback, CallbackEvent.Kind.CREATED, requester)
        notify(
            recipients=_callback_recipients(callback),
            verb="callback_assigned",
            url=callback.get_absolute_url(),
            actor=requester,
            email=False,
            dedupe_key=f"consultations:callback:{callback.pk}:assigned",
            text=_("%(actor)s pyytää soittamaan asiakkaalle viimeistään %(due)s")
            % {"actor": requester, "due": _local(due_at)},
        )
        live.callback_assigned(callback, _callback_recipients(callback))
    return callback


def callback_take(*, callback: Callback, user: User) -> Callback:
    """Someone serving the line takes a line callback; then the number is visible to them."""
    with transaction.atomic():
        locked = Callback.objects.select_for_update().get(pk=callback.pk)
        if locked.assignee_id == user.pk:
            return locked
        if locked.assignee_id is not None:
            raise ValidationError(
                _("%(name)s hoitaa jo tämän soittopyynnön.") % {"name": locked.assignee},
                code="taken",
            )
        if not permissions.can_take_callback(user, locked):
            raise PermissionDenied
        locked.assignee = user
        locked.save(update_fields=["assignee", "updated_at"])
        _callback_event(locked, CallbackEvent.Kind.TAKEN, user)
        audit.record(audit.Kind.REASSIGNED, user, locked, via="take", **_handover(None, user))
    return locked


def callback_assign(*, callback: Callback, assignee: User | None, by: User) -> Callback:
    """Change who calls back (the admin's way; the intranet's is ``callback_take``).

    Every change is an ``assigned`` event naming who made it, and the new assignee is
    told, exactly as when a callback is created for them: assigning oneself is never a
    silent way to the number.
    """
    with transaction.atomic():
        locked = Callback.objects.select_for_update().get(pk=callback.pk)
        if locked.assignee_id == (assignee.pk if assignee is not None else None):
            return locked
        if not permissions.can_assign_callback(by, locked):
            raise PermissionDenied
        if assignee is None and locked.service_line_id is None:
            raise ValidationError(
                {"assignee": _("Valitse soittaja tai palvelulinja.")}, code="no_assignee"
            )
        audit.record(
            audit.Kind.REASSIGNED, by, locked, via="assign", **_handover(locked.assignee, assignee)
        )
        locked.assignee = assignee
        locked.save(update_fields=["assignee", "updated_at"])
        event = CallbackEvent.objects.create(
            callback=locked, kind=CallbackEvent.Kind.ASSIGNED, actor=by
        )
        if assignee is not None:
            notify(
                recipients=[assignee],
                verb="callback_assigned",
                url=locked.get_absolute_url(),
                actor=by,
                email=False,
                dedupe_key=f"consultations:callback:{locked.pk}:assigned:{event.pk}",
                text=_("%(actor)s pyytää soittamaan asiakkaalle viimeistään %(due)s")
                % {"actor": by, "due": _local(locked.due_at)},
            )
            live.callback_assigned(locked, [assignee])
    callback.assignee = locked.assignee
    return locked


def callback_reassign(
    *, callback: Callback, assignee: User | None, by: User, seen_assignee_id: int | None
) -> Callback:
    """``callback_assign`` from a list the manager looked at: if the assignee changed since
    (``seen_assignee_id``), nothing changes (``ValidationError``, code ``stale``)."""
    with transaction.atomic():
        locked = Callback.objects.select_for_update().get(pk=callback.pk)
        if not permissions.can_assign_callback(by, locked):
            raise PermissionDenied
        if locked.assignee_id != seen_assignee_id:
            raise ValidationError(
                _("Soittaja ehti vaihtua. Tarkista tilanne ja yritä uudelleen."), code="stale"
            )
        return callback_assign(callback=locked, assignee=assignee, by=by)


def callback_phone_show(*, callback: Callback, user: User) -> Any:
    """The customer's number for ``user`` to see, recorded as a ``viewed`` event (who,
    which callback, when). Every display of the number goes through here."""
    if not permissions.can_see_callback_phone(user, callback):
        raise PermissionDenied
    with transaction.atomic():
        CallbackEvent.objects.create(callback=callback, kind=CallbackEvent.Kind.VIEWED, actor=user)
        # The audit trail: who saw which callback's number, when; never the number.
        audit.record(audit.Kind.PHONE_SHOWN, user, callback)
    return callback.phone


def callback_complete(*, callback: Callback, user: User) -> Callback:
    """Mark the callback done; its number is erased after the retention period."""
    with transaction.atomic():
        locked = Callback.objects.select_for_update().get(pk=callback.pk)
        if locked.is_done:
            return locked
        if not permissions.can_complete_callback(user, locked):
            raise PermissionDenied
        locked.status, locked.done_at, locked.done_by = Callback.Status.DONE, timezone.now(), user
        locked.save(update_fields=["status", "done_at", "done_by", "updated_at"])
        _callback_event(locked, CallbackEvent.Kind.DONE, user)
    return locked


def retention_cutoff(now: datetime.datetime) -> datetime.datetime:
    return now - datetime.timedelta(days=settings.NEUVOKAS_CALLBACK_RETENTION_DAYS)


def callback_erase_number(*, callback_id: int, now: datetime.datetime | None = None) -> bool:
    """Erase the customer's number of a callback done longer ago than the retention period.

    Idempotent: returns False if there is nothing (more) to erase. The erasure is logged
    (CallbackEvent and the log) without the number.
    """
    now = now or timezone.now()
    with transaction.atomic():
        locked = Callback.objects.select_for_update().filter(pk=callback_id).first()
        if locked is None or locked.phone_erased_at is not None or not locked.is_done:
            return False
        if locked.done_at is None or locked.done_at > retention_cutoff(now):
            return False
        locked.phone, locked.phone_erased_at = "", now
        locked.save(update_fields=["phone", "phone_erased_at", "updated_at"])
        CallbackEvent.objects.create(
            callback=locked, kind=CallbackEvent.Kind.ERASED, actor=None, created_at=now
        )
    logger.info(
        "Callback %s: customer's phone number erased (done %s, retention %s days)",
        callback_id,
        locked.done_at.isoformat(),
        settings.NEUVOKAS_CALLBACK_RETENTION_DAYS,
    )
    return True


def callback_flag_overdue(*, callback_id: int, now: datetime.datetime | None = None) -> bool:
    """Tell the assignee (or the line) once that a callback is overdue."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = (
            Callback.objects.select_for_update(of=("self",))
            .select_related("assignee")
            .filter(pk=callback_id)
            .first()
        )
        if locked is None or locked.is_done or locked.overdue_notified_at is not None:
            return False
        if locked.due_at >= now:
            return False
        locked.overdue_notified_at = now
        locked.save(update_fields=["overdue_notified_at", "updated_at"])
        CallbackEvent.objects.create(
            callback=locked, kind=CallbackEvent.Kind.OVERDUE, actor=None, created_at=now
        )
        notify(
            recipients=_callback_recipients(locked),
            verb="callback_overdue",
            url=locked.get_absolute_url(),
            email=False,
            dedupe_key=f"consultations:callback:{locked.pk}:overdue",
            text=_("Soittopyyntö on myöhässä: soitto piti hoitaa viimeistään %(due)s")
            % {"due": _local(locked.due_at)},
        )
    return True


def thread_delete(*, thread: Thread) -> None:
    """Delete a question with its answers, follows and revisions, and take it out of the
    search. The solution link is let go first: deleting the answers would otherwise set
    it to null on a thread still marked solved (``thread_solved_has_solution``)."""
    from apps.search.services import remove_object

    with transaction.atomic():
        locked = Thread.objects.select_for_update().get(pk=thread.pk)
        Thread.objects.filter(pk=locked.pk).update(solution=None, status=Thread.Status.OPEN)
        remove_object(locked)
        locked.delete()


def answer_delete(*, answer: Answer) -> None:
    """Delete an answer. If it was the thread's solution, the thread is open again (no
    solution, solver or solving time) and leaves the search, which lists solved ones."""
    with transaction.atomic():
        thread = Thread.objects.select_for_update().get(pk=answer.thread_id)
        if thread.solution_id == answer.pk:
            thread.solution, thread.status = None, Thread.Status.OPEN
            thread.solved_by, thread.solved_at = None, None
            thread.save(
                update_fields=["solution", "status", "solved_by", "solved_at", "updated_at"]
            )
        Answer.objects.filter(pk=answer.pk).delete()
        _index_thread(thread)
