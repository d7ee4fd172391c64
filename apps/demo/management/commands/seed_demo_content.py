"""Fill the demo with content a new user can look at: colleagues, colleague questions
and a callback, success stories, a contact log, searches, last month's reports and the
notifications all of that sends.

Every row is written through its app's own services (the privacy guard, permissions,
state machines and notifications all run); the only thing set afterwards is *when* it
happened, which no service takes as an argument: timestamps are moved back so that the
board, the inbox and last month's reports look like weeks of use.

Idempotent: each piece has a natural key (a question's title, a story's form token, a
contact's submission key, the colleagues' searches, a report's kind and period), and a
rerun skips what exists. Today's contacts are added only while the demo advisor has
none today; a callback only while the advisor has no open one. Runs in one transaction
under an advisory lock, so two runs at once cannot both add the same things.
"""

from __future__ import annotations

import datetime
import random
import time
from collections import Counter, defaultdict
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from apps.accounts import roles
from apps.accounts.services import profile_update, service_lines_assign
from apps.catalogue.models import Entry, Municipality, ServiceLine
from apps.consultations import services as consultations
from apps.consultations.models import (
    Answer,
    AnswerRevision,
    Callback,
    FaqItem,
    Follow,
    Thread,
    ThreadRevision,
)
from apps.contacts import selectors as contact_selectors
from apps.contacts.models import ContactRecord
from apps.contacts.services import contact_record
from apps.demo import content as demo
from apps.notifications.models import Notification
from apps.notifications.services import mark_read
from apps.reports import services as reports
from apps.reports.models import Kind, Report
from apps.reports.periods import months_before
from apps.search.models import SearchLog
from apps.search.services import search_log_create, search_log_open
from apps.stories import services as stories
from apps.stories.models import Story, StoryComment, StoryThanks, StoryTransition, Theme

# pg_advisory_xact_lock key: "a seed_demo_content run is writing".
LOCK_KEY = 0x4E454D4F  # "NEMO"
# Seeded notifications older than this are shown as already read (and never e-mailed).
READ_AFTER = datetime.timedelta(days=3)


def _weighted(rng: random.Random, pairs: tuple[tuple[Any, int], ...]) -> Any:
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights)[0]


class Seeder:
    def __init__(self, *, now: datetime.datetime) -> None:
        self.tz = ZoneInfo(settings.TIME_ZONE)
        self.now = now
        self.today = now.astimezone(self.tz).date()
        self.first_of_month = self.today.replace(day=1)
        self.made: Counter[str] = Counter()
        self.first_notification = self._last_notification()
        self.notification_mark = self.first_notification

    # --- time -------------------------------------------------------------------------

    def at(self, when: demo.When) -> datetime.datetime:
        if when.ago is not None:
            return self.now - when.ago
        if when.days_ago is not None:
            day = self.today - datetime.timedelta(days=when.days_ago)
        else:
            assert when.days_before_month is not None
            day = self.first_of_month - datetime.timedelta(days=when.days_before_month)
        return datetime.datetime.combine(day, when.time, tzinfo=self.tz)

    def clamp(self, moment: datetime.datetime) -> datetime.datetime:
        """Never in the future."""
        return min(moment, self.now)

    @staticmethod
    def _last_notification() -> int:
        return Notification.objects.aggregate(m=Max("pk"))["m"] or 0

    def stamp(self, moment: datetime.datetime) -> None:
        """Date the notifications the last step sent to when that step happened."""
        Notification.objects.filter(pk__gt=self.notification_mark).update(created_at=moment)
        self.notification_mark = self._last_notification()

    # --- reference data -----------------------------------------------------------------

    def load(self) -> None:
        User = get_user_model()
        found = set(
            User.objects.filter(username__in=demo.DEMO_LOGINS, is_active=True).values_list(
                "username", flat=True
            )
        )
        missing = sorted(set(demo.DEMO_LOGINS) - found)
        if missing:
            raise CommandError(
                f"Demo logins missing ({', '.join(missing)}): run `manage.py seed_demo` first."
            )
        self.lines = {line.key: line for line in ServiceLine.objects.all()}
        self.municipalities = {m.code: m for m in Municipality.objects.all()}
        lines = {
            *demo.NEUVOJA_LINES,
            *(k for c in demo.COLLEAGUES for k in c.lines),
            *(q.line for q in demo.QUESTIONS),
            demo.CALLBACK.line,
        }
        codes = {code for code, _weight in demo.MUNICIPALITY_WEIGHTS if code}
        if lines - set(self.lines) or codes - set(self.municipalities):
            raise CommandError(
                "Service lines or municipalities missing: run `manage.py "
                "migrate` and `manage.py import_catalogue demo/catalogue.json`."
            )
        self.entries = {
            e.key: e for e in Entry.objects.prefetch_related("service_lines", "municipalities")
        }
        self.themes = {t.key: t for t in Theme.objects.all()}

    def colleagues(self) -> None:
        """The advisors whose names appear in the demo. Active, but with no usable
        password: only the demo logins can sign in."""
        User = get_user_model()
        group = Group.objects.get(name=roles.ADVISOR)
        for colleague in demo.COLLEAGUES:
            if User.objects.filter(username=colleague.username).exists():
                continue
            user = User.objects.create_user(
                username=colleague.username,
                email="",
                password=None,
                first_name=colleague.first_name,
                last_name=colleague.last_name,
            )
            user.groups.add(group)
            profile_update(user=user, email_notifications=False)
            service_lines_assign(user=user, service_lines=self._lines(colleague.lines), by=None)
            self.made["colleagues"] += 1
        advisor = User.objects.get(username=demo.NEUVOJA)
        if not advisor.service_lines.exists():
            service_lines_assign(
                user=advisor, service_lines=self._lines(demo.NEUVOJA_LINES), by=None
            )
        # Fresh instances: permission caches filled before the groups were set would lie.
        self.users = {
            u.username: u
            for u in User.objects.filter(
                username__in=[*demo.DEMO_LOGINS, *demo.ADVISORS]
            ).prefetch_related("service_lines")
        }

    def _lines(self, keys: tuple[str, ...]) -> list[ServiceLine]:
        return [self.lines[k] for k in keys if k in self.lines]

    def _entries(self, keys: tuple[str, ...]) -> list[Entry]:
        return [self.entries[k] for k in keys if k in self.entries]

    # --- colleague questions ------------------------------------------------------------

    def questions(self) -> None:
        for question in demo.QUESTIONS:
            if not Thread.objects.filter(title=question.title).exists():
                self._question(question)
                self.made["threads"] += 1

    def _question(self, q: demo.Question) -> None:
        asked = self.clamp(self.at(q.at))
        asker = self.users[q.author]
        thread = consultations.thread_create(
            author=asker,
            title=q.title,
            body=q.body,
            service_line=self.lines[q.line],
            urgency=q.urgency,
            municipality=self.municipalities.get(q.municipality or ""),
            entries=self._entries(q.entries),
        )
        Thread.objects.filter(pk=thread.pk).update(
            created_at=asked, updated_at=asked, last_activity_at=asked
        )
        ThreadRevision.objects.filter(thread=thread).update(created_at=asked)
        Follow.objects.filter(thread=thread).update(created_at=asked)
        self.stamp(asked)
        latest = asked
        if q.claimed_by:
            claimed = self.clamp(asked + q.claimed_after)
            consultations.thread_claim(thread=thread, user=self.users[q.claimed_by])
            Thread.objects.filter(pk=thread.pk).update(claimed_at=claimed)
            Follow.objects.filter(thread=thread, user=self.users[q.claimed_by]).update(
                created_at=claimed
            )
            latest = max(latest, claimed)
        answers: list[Answer] = []
        for reply in q.replies:
            posted = self.clamp(asked + reply.after)
            author = self.users[reply.author]
            answer = consultations.answer_post(
                thread=thread,
                author=author,
                body=reply.body,
                kind=Answer.Kind.COMMENT if reply.comment else Answer.Kind.ANSWER,
            )
            Answer.objects.filter(pk=answer.pk).update(created_at=posted, updated_at=posted)
            AnswerRevision.objects.filter(answer=answer).update(created_at=posted)
            Thread.objects.filter(pk=thread.pk).update(last_activity_at=posted)
            Follow.objects.filter(thread=thread, user=author, created_at__gt=posted).update(
                created_at=posted
            )
            self.stamp(posted)
            answers.append(answer)
            latest = max(latest, posted)
        if q.solution is not None:
            solved = self.clamp(asked + q.solved_after)
            consultations.thread_solve(thread=thread, answer=answers[q.solution], by=asker)
            Thread.objects.filter(pk=thread.pk).update(solved_at=solved, last_activity_at=solved)
            self.stamp(solved)
            latest = max(latest, solved)
            entry = self.entries.get(q.faq_entry or "")
            if entry is not None:
                added = self.clamp(solved + datetime.timedelta(hours=20))
                thread.refresh_from_db()
                consultations.faq_item_create(
                    thread=thread,
                    entry=entry,
                    question=q.faq_question,
                    answer=q.faq_answer,
                    by=self.users[demo.SISALTO],
                )
                FaqItem.objects.filter(source_thread=thread).update(created_at=added)
                self.stamp(added)
                self.made["faq items"] += 1
        Thread.objects.filter(pk=thread.pk).update(updated_at=latest)

    def callback(self) -> None:
        spec = demo.CALLBACK
        assignee = self.users[spec.assignee]
        if Callback.objects.filter(assignee=assignee, status=Callback.Status.OPEN).exists():
            return
        consultations.callback_create(
            requester=self.users[spec.requester],
            assignee=assignee,
            service_line=self.lines[spec.line],
            due_at=self._later_today(),
            reason=spec.reason,
            phone=spec.phone,
        )
        self.stamp(self.now)
        self.made["callbacks"] += 1

    def _later_today(self) -> datetime.datetime:
        """A few hours from now, on the quarter hour, before midnight if there is room."""
        local = self.now.astimezone(self.tz)
        last = datetime.datetime.combine(self.today, datetime.time(23, 45), tzinfo=self.tz)
        due = min(local + datetime.timedelta(hours=3), last)
        if due < local + datetime.timedelta(minutes=20):
            due = local + datetime.timedelta(hours=3)  # late evening: tomorrow, then
        return due.replace(minute=due.minute - due.minute % 15, second=0, microsecond=0)

    # --- success stories ----------------------------------------------------------------

    def stories(self) -> None:
        for spec in demo.STORIES:
            author = self.users[spec.author]
            token = demo.key("story", spec.slug)
            if not Story.objects.filter(author=author, client_token=token).exists():
                self._story(spec, author, token)
                self.made[f"stories ({spec.state})"] += 1

    def _story(self, spec: demo.StoryDemo, author: Any, token: Any) -> None:
        moment = self.clamp(self.at(spec.at))  # published, submitted or last saved
        content = stories.StoryContent(
            title=spec.title,
            lead=spec.lead,
            body=spec.body,
            unit=spec.unit,
            themes=tuple(self.themes[k] for k in spec.themes if k in self.themes),
            waiting_days_before=spec.waiting_days_before,
            waiting_days_after=spec.waiting_days_after,
            partners_count=spec.partners_count,
            savings_eur=spec.savings_eur,
        )
        story = stories.story_create(author=author, token=token, content=content)
        times: dict[str, datetime.datetime] = {"created_at": moment, "updated_at": moment}
        if spec.state in (Story.State.SUBMITTED, Story.State.PUBLISHED):
            story = stories.story_submit(story=story, actor=author)
            submitted = moment
            if spec.state == Story.State.PUBLISHED:
                submitted = moment - datetime.timedelta(days=1)
                story = stories.story_publish(story=story, actor=self.users[demo.ESIHENKILO])
                times["published_at"] = moment
                StoryTransition.objects.filter(story=story, to_state=Story.State.PUBLISHED).update(
                    at=moment
                )
            times["submitted_at"] = submitted
            times["created_at"] = submitted - datetime.timedelta(hours=3)
            StoryTransition.objects.filter(story=story, to_state=Story.State.SUBMITTED).update(
                at=submitted
            )
        Story.objects.filter(pk=story.pk).update(**times)
        self.stamp(moment)
        later = moment
        for n, username in enumerate(spec.thanked_by, start=1):
            stories.story_thank(story=story, user=self.users[username])
            StoryThanks.objects.filter(story=story, user=self.users[username]).update(
                created_at=self.clamp(moment + datetime.timedelta(minutes=40 * n))
            )
        for n, (username, body) in enumerate(spec.comments, start=1):
            later = self.clamp(moment + datetime.timedelta(hours=2 * n))
            comment = stories.comment_post(story=story, author=self.users[username], body=body)
            StoryComment.objects.filter(pk=comment.pk).update(created_at=later)
            self.stamp(later)

    # --- contact log ----------------------------------------------------------------------

    def contacts(self) -> None:
        """A few hundred contacts on the weekdays of the last three months, each day's
        drawn from its own seeded generator (so the same day always gets the same
        contacts, and a rerun finds their submission keys taken)."""
        planned = []
        for offset in range(1, demo.HISTORY_DAYS + 1):
            day = self.today - datetime.timedelta(days=offset)
            if day.weekday() >= 5:
                continue
            rng = random.Random(f"neuvokas-demo:{day.isoformat()}")
            for n in range(rng.randint(*demo.CONTACTS_PER_DAY)):
                advisor = self.users[rng.choice(demo.ADVISORS)]
                minute = rng.randrange(8 * 60)
                moment = datetime.datetime.combine(
                    day,
                    datetime.time(8 + minute // 60, minute % 60, rng.randrange(60)),
                    tzinfo=self.tz,
                )
                planned.append((demo.key("contact", day.isoformat(), n), advisor, moment, rng))
        taken = set(
            ContactRecord.objects.filter(submission_key__in=[k for k, *_ in planned]).values_list(
                "submission_key", flat=True
            )
        )
        self._record([p for p in planned if p[0] not in taken], "contacts")

    def contacts_today(self) -> None:
        advisor = self.users[demo.NEUVOJA]
        if contact_selectors.day_tally(advisor, self.today).total:
            return
        day_start = datetime.datetime.combine(self.today, datetime.time(0, 1), tzinfo=self.tz)
        rng = random.Random(f"neuvokas-demo-today:{self.today.isoformat()}")
        planned = []
        moment = self.now
        for n in range(demo.TODAY_CONTACTS):
            moment = max(moment - datetime.timedelta(minutes=rng.randint(20, 55)), day_start)
            planned.append((demo.key("today", self.today.isoformat(), n), advisor, moment, rng))
        self._record(planned, "contacts today")

    def _record(
        self, planned: list[tuple[Any, Any, datetime.datetime, random.Random]], label: str
    ) -> None:
        dated = []
        for submission_key, advisor, moment, rng in planned:
            record, created = contact_record(
                advisor=advisor, submission_key=submission_key, **self._contact(advisor, rng)
            )
            if created:
                record.created_at = moment
                dated.append(record)
        ContactRecord.objects.bulk_update(dated, ["created_at"], batch_size=500)
        self.made[label] += len(dated)

    def _contact(self, advisor: Any, rng: random.Random) -> dict[str, Any]:
        lines = sorted(advisor.service_lines.all(), key=lambda line: line.position) or list(
            self.lines.values()
        )
        line = rng.choice(lines)
        channels = (
            demo.AUTHORITY_LINE_CHANNELS if line.key == "viranomaiset" else demo.CHANNEL_WEIGHTS
        )
        code = _weighted(rng, demo.MUNICIPALITY_WEIGHTS)
        municipality = self.municipalities.get(code or "")
        fitting = [
            e
            for e in self.entries.values()
            if line in e.service_lines.all()
            and (not e.municipalities.all() or municipality in e.municipalities.all())
        ]
        entry = rng.choice(fitting) if fitting and rng.random() < 0.78 else None
        consulted = rng.random() < 0.12
        return {
            "service_line": line,
            "channel": _weighted(rng, channels),
            "municipality": municipality,
            "entry": entry,
            "topic_text": "" if entry else rng.choice(demo.FREE_TOPICS),
            "solved": rng.random() < (0.45 if consulted else 0.72),
            "consulted": consulted,
            "referred_to": _weighted(rng, demo.REFERRAL_WEIGHTS),
            "anonymous": rng.random() < 0.15,
        }

    # --- searches -----------------------------------------------------------------------

    def searches(self) -> None:
        """Last month's searches, for the search-gaps report. Only the colleagues (who
        cannot log in) and the demo advisor search, so the colleagues' searches mark
        that this was done."""
        colleagues = [c.username for c in demo.COLLEAGUES]
        if SearchLog.objects.filter(user__username__in=colleagues).exists():
            return
        period = months_before(self.today, 1)
        rng = random.Random("neuvokas-demo-searches")
        searchers = [self.users[u] for u in demo.ADVISORS]
        n = 0
        for query, results, opened_key, times in demo.SEARCHES:
            entry = self.entries.get(opened_key or "")
            for repeat in range(times):
                user = searchers[n % len(searchers)]
                n += 1
                day = period.start + datetime.timedelta(days=rng.randrange(period.days))
                moment = datetime.datetime.combine(
                    day, datetime.time(8 + rng.randrange(8), rng.randrange(60)), tzinfo=self.tz
                )
                log = search_log_create(
                    query=query, user=user, source=SearchLog.Source.PAGE, result_count=results
                )
                fields: dict[str, Any] = {"created_at": moment}
                if entry is not None and results and repeat % 2 == 0:
                    search_log_open(
                        log_id=log.pk,
                        position=1,
                        url=entry.get_absolute_url(),
                        key=entry.key,
                        user=user,
                    )
                    fields["opened_at"] = moment + datetime.timedelta(seconds=20)
                SearchLog.objects.filter(pk=log.pk).update(**fields)
        self.made["searches"] += n

    # --- reports and the inbox ------------------------------------------------------------

    def reports(self) -> None:
        """One finished run of each kind for last month, generated here (not by the
        worker) so the pages have figures as soon as the server is up."""
        period = months_before(self.today, 1)
        for kind in Kind.values:
            report = reports.report_request(
                kind=kind,
                period_start=period.start,
                period_end=period.end,
                started_by=self.users[demo.ESIHENKILO],
            )
            if (
                report.status != Report.Status.DONE
                and reports.report_generate(report_id=report.pk) == "done"
            ):
                self.made["reports"] += 1

    def read_old_notifications(self) -> None:
        """What the demo users would have read by now: everything seeded days ago."""
        old: defaultdict[int, list[int]] = defaultdict(list)
        for recipient_id, pk in Notification.objects.filter(
            pk__gt=self.first_notification,
            read_at__isnull=True,
            created_at__lt=self.now - READ_AFTER,
        ).values_list("recipient_id", "pk"):
            old[recipient_id].append(pk)
        by_pk = {u.pk: u for u in get_user_model().objects.filter(pk__in=old)}
        for recipient_id, ids in old.items():
            mark_read(user=by_pk[recipient_id], notification_ids=ids)
        self.made["notifications"] += Notification.objects.filter(
            pk__gt=self.first_notification
        ).count()

    def run(self) -> Counter[str]:
        self.load()
        self.colleagues()
        self.questions()
        self.callback()
        self.stories()
        self.contacts()
        self.contacts_today()
        self.searches()
        self.reports()
        self.read_old_notifications()
        return +self.made  # only what was added


class Command(BaseCommand):
    help = (
        "Add demo content (colleague questions, success stories, contacts, reports, "
        "notifications) through the apps' services. Safe to rerun: adds nothing twice."
    )

    def handle(self, *args: object, **options: object) -> None:
        started = time.monotonic()
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])
            made = Seeder(now=timezone.now()).run()
        took = time.monotonic() - started
        if made:
            listed = ", ".join(f"{count} {what}" for what, count in made.items())
            self.stdout.write(f"Demo content added: {listed} ({took:.1f} s).")
        else:
            self.stdout.write(f"Demo content already in place; nothing added ({took:.1f} s).")
