"""Colleague consultation threads, callback requests and the FAQ items they turn into.

"If the advisor doesn't know the answer, we find it": a staff member asks
(``Thread``), colleagues answer and comment (``Answer``), the asker or a manager marks
one answer as the solution. Edits keep their history (``ThreadRevision``,
``AnswerRevision``). A ``Callback`` asks a colleague or a line to call the customer
back; its phone number is shown only to the requester and the assignee and is erased
a set time after the callback is done (``CallbackEvent`` logs that, without the number).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core import limits
from apps.core.fields import EncryptedCharField, free_text_field
from apps.core.models import TimeStampedModel
from apps.core.privacy import validate_no_personal_identity_code as no_identity_code


class Urgency(models.TextChoices):
    WAITING = "waiting", _("Asiakas odottaa linjalla")
    TODAY = "today", _("Vastaus tänään")
    NONE = "none", _("Ei kiire")


class Thread(TimeStampedModel):
    """A question to colleagues."""

    class Status(models.TextChoices):
        OPEN = "open", _("avoin")
        SOLVED = "solved", _("ratkaistu")

    title = models.CharField(_("otsikko"), max_length=200, validators=[no_identity_code])
    body = free_text_field(
        _("kysymys"),
        help_text=_("Markdown. Ei asiakkaan henkilötietoja."),
        limit=limits.THREAD_BODY,
    )
    service_line = models.ForeignKey(
        "catalogue.ServiceLine",
        on_delete=models.PROTECT,
        related_name="threads",
        verbose_name=_("palvelulinja"),
    )
    municipality = models.ForeignKey(
        "catalogue.Municipality",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="threads",
        verbose_name=_("kunta"),
    )
    urgency = models.CharField(
        _("kiireellisyys"), max_length=10, choices=Urgency.choices, default=Urgency.NONE
    )
    entries = models.ManyToManyField(
        "catalogue.Entry",
        blank=True,
        related_name="consultation_threads",
        verbose_name=_("liittyvät palvelut"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="asked_threads",
        verbose_name=_("kysyjä"),
    )
    status = models.CharField(_("tila"), max_length=10, choices=Status.choices, default=Status.OPEN)
    solution = models.ForeignKey(
        "Answer",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("ratkaisu"),
    )
    solved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    solved_at = models.DateTimeField(null=True, blank=True)
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="claimed_threads",
        verbose_name=_("selvittäjä"),
    )
    claimed_at = models.DateTimeField(null=True, blank=True)
    last_activity_at = models.DateTimeField(default=timezone.now, db_index=True)
    followers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Follow", related_name="followed_threads", blank=True
    )
    # Optimistic locking: every edit through services.thread_update bumps it.
    version = models.PositiveIntegerField(_("versio"), default=1)

    class Meta:
        ordering = ["-last_activity_at"]
        verbose_name = _("kysymys")
        verbose_name_plural = _("kysymykset")
        permissions = [
            ("mark_any_solution", _("Voi merkitä ratkaisun kenen tahansa kysymykseen")),
        ]
        indexes = [models.Index(fields=["status", "urgency"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open") | Q(solution__isnull=False),
                name="thread_solved_has_solution",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("consultations:thread", args=[self.pk])

    @property
    def is_solved(self) -> bool:
        return self.status == self.Status.SOLVED

    @property
    def is_waiting(self) -> bool:
        return self.urgency == Urgency.WAITING and not self.is_solved


class Follow(models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("seuraaja")
        verbose_name_plural = _("seuraajat")
        constraints = [
            models.UniqueConstraint(fields=["thread", "user"], name="follow_unique_user"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.thread_id}"


class ThreadRevision(models.Model):
    """The thread's title and body as saved; number = the thread's version then."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField(_("versio"))
    title = models.CharField(_("otsikko"), max_length=200, validators=[no_identity_code])
    body = free_text_field(
        _("kysymys"),
        limit=limits.THREAD_BODY,
    )
    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["thread", "-number"]
        verbose_name = _("kysymyksen versio")
        verbose_name_plural = _("kysymysten versiot")
        constraints = [
            models.UniqueConstraint(
                fields=["thread", "number"], name="threadrevision_unique_number"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.thread_id} v{self.number}"


class Answer(TimeStampedModel):
    """An answer or a comment. Each is its own row, so simultaneous posts never clash."""

    class Kind(models.TextChoices):
        ANSWER = "answer", _("Vastaus")
        COMMENT = "comment", _("Kommentti")

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="answers")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="consultation_answers",
        verbose_name=_("kirjoittaja"),
    )
    kind = models.CharField(_("tyyppi"), max_length=10, choices=Kind.choices, default=Kind.ANSWER)
    body = free_text_field(
        _("vastaus"),
        help_text=_("Markdown. @käyttäjätunnus mainitsee."),
        limit=limits.ANSWER_BODY,
    )
    version = models.PositiveIntegerField(_("versio"), default=1)
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("vastaus")
        verbose_name_plural = _("vastaukset")
        indexes = [models.Index(fields=["thread", "kind"])]

    def __str__(self) -> str:
        return f"{self.thread_id}#{self.pk}"

    def get_absolute_url(self) -> str:
        return f"{reverse('consultations:thread', args=[self.thread_id])}#answer-{self.pk}"


class AnswerRevision(models.Model):
    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField(_("versio"))
    body = free_text_field(
        _("vastaus"),
        limit=limits.ANSWER_BODY,
    )
    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["answer", "-number"]
        verbose_name = _("vastauksen versio")
        verbose_name_plural = _("vastausten versiot")
        constraints = [
            models.UniqueConstraint(
                fields=["answer", "number"], name="answerrevision_unique_number"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.answer_id} v{self.number}"


phone_validator = RegexValidator(
    r"^\+?[0-9][0-9 ()-]{4,28}[0-9]$",
    _("Anna puhelinnumero numeroina, esim. 040 123 4567 tai +358 40 123 4567."),
)


class Callback(TimeStampedModel):
    """ "Soittopyyntö": please call the customer back.

    ``phone`` is personal data: encrypted at rest, rendered only to the requester and the
    assignee (``permissions.can_see_callback_phone``; every display is a ``viewed``
    event), never in ``__str__``, lists, search, notifications, logs or the admin, and
    erased ``NEUVOKAS_CALLBACK_RETENTION_DAYS`` after the callback is done.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("avoin")
        DONE = "done", _("hoidettu")

    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="requested_callbacks",
        verbose_name=_("pyytäjä"),
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_callbacks",
        verbose_name=_("soittaja"),
    )
    service_line = models.ForeignKey(
        "catalogue.ServiceLine",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="callbacks",
        verbose_name=_("palvelulinja"),
    )
    thread = models.ForeignKey(
        Thread,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="callbacks",
        verbose_name=_("kysymys"),
    )
    due_at = models.DateTimeField(_("soitettava viimeistään"))
    reason = free_text_field(
        _("syy"),
        help_text=_("Mitä asiakas tarvitsee. Ei henkilötietoja."),
        limit=limits.CALLBACK_REASON,
    )
    # Encrypted at rest (NEUVOKAS_FIELD_ENCRYPTION_KEYS); never used in a lookup.
    phone = EncryptedCharField(
        _("asiakkaan puhelinnumero"), max_length=30, blank=True, validators=[phone_validator]
    )
    status = models.CharField(_("tila"), max_length=10, choices=Status.choices, default=Status.OPEN)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    phone_erased_at = models.DateTimeField(null=True, blank=True)
    overdue_notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_at", "id"]
        verbose_name = _("soittopyyntö")
        verbose_name_plural = _("soittopyynnöt")
        indexes = [
            models.Index(fields=["status", "due_at"]),
            models.Index(fields=["status", "done_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(assignee__isnull=False) | Q(service_line__isnull=False),
                name="callback_has_assignee_or_line",
            ),
            models.CheckConstraint(
                condition=Q(phone_erased_at__isnull=True) | Q(phone=""),
                name="callback_erased_has_no_phone",
            ),
        ]

    def __str__(self) -> str:  # never the phone number
        return _("Soittopyyntö #%(pk)s") % {"pk": self.pk}

    def get_absolute_url(self) -> str:
        return reverse("consultations:callback", args=[self.pk])

    @property
    def is_done(self) -> bool:
        return self.status == self.Status.DONE

    @property
    def is_overdue(self) -> bool:
        return self.status == self.Status.OPEN and self.due_at < timezone.now()


class CallbackEvent(models.Model):
    """Audit log of a callback's life. Never holds the phone number."""

    class Kind(models.TextChoices):
        CREATED = "created", _("luotu")
        TAKEN = "taken", _("otettu hoitoon")
        DONE = "done", _("merkitty hoidetuksi")
        OVERDUE = "overdue", _("myöhässä, soittajalle ilmoitettu")
        ERASED = "erased", _("puhelinnumero poistettu")
        ASSIGNED = "assigned", _("soittaja vaihdettu")
        VIEWED = "viewed", _("puhelinnumero näytetty")

    callback = models.ForeignKey(Callback, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("tapahtuma"), max_length=10, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Tyhjä: järjestelmä."),
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["callback", "created_at", "id"]
        verbose_name = _("soittopyynnön tapahtuma")
        verbose_name_plural = _("soittopyyntöjen tapahtumat")
        constraints = [
            # Erasure and the overdue notice happen once per callback.
            models.UniqueConstraint(
                fields=["callback", "kind"],
                condition=Q(kind__in=["erased", "overdue", "created"]),
                name="callbackevent_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.callback_id} {self.kind} {self.created_at:%Y-%m-%d %H:%M}"


class FaqItem(models.Model):
    """ "Usein kysyttyä": a solved thread's answer shown on a catalogue entry page."""

    entry = models.ForeignKey(
        "catalogue.Entry",
        on_delete=models.CASCADE,
        related_name="faq_items",
        verbose_name=_("palvelu"),
    )
    question = models.CharField(_("kysymys"), max_length=300, validators=[no_identity_code])
    answer = free_text_field(
        _("vastaus"),
        help_text=_("Markdown."),
        limit=limits.FAQ_ANSWER,
    )
    source_thread = models.ForeignKey(
        Thread,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="faq_items",
        verbose_name=_("lähdekysymys"),
    )
    position = models.PositiveSmallIntegerField(_("järjestys"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["entry", "position", "id"]
        verbose_name = _("usein kysytty")
        verbose_name_plural = _("usein kysytyt")
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "source_thread"],
                condition=Q(source_thread__isnull=False),
                name="faqitem_unique_thread_per_entry",
            ),
        ]

    def __str__(self) -> str:
        return self.question
