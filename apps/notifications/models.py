"""The in-app inbox: one row per recipient and event."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

verb_validator = RegexValidator(
    r"^[a-z][a-z0-9_]*$", _("Tunniste: pienet kirjaimet, numerot ja alaviiva.")
)


class Verb(models.TextChoices):
    """The kinds of event callers send today. ``Notification.verb`` is open to new ones;
    these give the known ones a Finnish label in the inbox and in e-mail."""

    MENTION = "mention", _("Maininta")
    ANSWER = "answer", _("Vastaus kysymykseesi")
    CALLER_WAITING = "caller_waiting", _("Soittaja odottaa")
    SOLVED = "solved", _("Ratkaistu")
    FOLLOWED_THREAD = "followed_thread", _("Seuraamasi kysymys")
    ENTRY_THREAD_SOLVED = "entry_thread_solved", _("Korttiasi koskeva kysymys ratkaistu")
    STORY_PUBLISHED = "story_published", _("Tarina julkaistu")
    STORY_RETURNED = "story_returned", _("Tarina palautettu")
    STORY_COMMENT = "story_comment", _("Kommentti tarinaan")
    PROBLEM_REPORT = "problem_report", _("Virheilmoitus")
    CALLBACK_ASSIGNED = "callback_assigned", _("Soittopyyntö sinulle")
    CALLBACK_OVERDUE = "callback_overdue", _("Soittopyyntö myöhässä")
    THREAD_ASSIGNED = "thread_assigned", _("Kysymys selvitettäväksesi")


class Notification(models.Model):
    TEXT_MAX_LENGTH = 500

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("vastaanottaja"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("tekijä"),
    )
    verb = models.CharField(_("tapahtuma"), max_length=40, validators=[verb_validator])
    text = models.CharField(_("teksti"), max_length=TEXT_MAX_LENGTH)
    url = models.CharField(_("osoite"), max_length=500)
    # NULL, not "": a notification without a key is never a duplicate of another.
    dedupe_key = models.CharField(  # noqa: DJ001
        _("toistoavain"),
        max_length=200,
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(_("luotu"), default=timezone.now)
    read_at = models.DateTimeField(_("luettu"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("lähetetty sähköpostiin"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("ilmoitus")
        verbose_name_plural = _("ilmoitukset")
        constraints = [
            # NULL keys are distinct in PostgreSQL: only keyed notifications are deduplicated.
            models.UniqueConstraint(
                fields=["recipient", "dedupe_key"], name="notification_unique_recipient_dedupe_key"
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notification_inbox_idx"),
            models.Index(
                fields=["recipient"],
                condition=models.Q(read_at__isnull=True),
                name="notification_unread_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.verb} → {self.recipient_id}: {self.text[:60]}"

    def get_absolute_url(self) -> str:
        """Through the view that marks it read and then goes to ``url``."""
        return reverse("notifications:open", args=[self.pk])

    @property
    def is_unread(self) -> bool:
        return self.read_at is None

    @property
    def verb_label(self) -> str:
        try:
            return str(Verb(self.verb).label)
        except ValueError:
            return self.verb.replace("_", " ").capitalize()
