"""Success stories: staff write them, managers publish them.

A story moves through a small state machine (``Story.TRANSITIONS``); every move is a
``StoryTransition`` row. The moves themselves are made only by ``services.py``.
Theme names are localised (``translation.py``: ``name_fi``, ``name_sv``, ``name_en``).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core import limits
from apps.core.fields import free_text_field
from apps.core.models import TimeStampedModel
from apps.core.privacy import validate_no_personal_identity_code as no_identity_code

key_validator = RegexValidator(r"^[a-z0-9-]{1,50}$", _("Vain a–z, 0–9 ja väliviiva."))


class Theme(models.Model):
    """What went well: jonot lyhenivät, asiakkaat tavoitettiin… Edited in the admin."""

    # Added by modeltranslation (translation.py) at run time; declared for the type checker.
    name_fi: str | None

    key = models.CharField(_("tunniste"), max_length=50, unique=True, validators=[key_validator])
    name = models.CharField(_("nimi"), max_length=100, validators=[no_identity_code])
    position = models.PositiveSmallIntegerField(_("järjestys"), default=0)
    is_active = models.BooleanField(
        _("käytössä"),
        default=True,
        help_text=_("Poistettua teemaa ei voi valita uusiin tarinoihin; vanhat säilyttävät sen."),
    )

    class Meta:
        ordering = ["position", "key"]
        verbose_name = _("teema")
        verbose_name_plural = _("teemat")

    def __str__(self) -> str:
        return self.name


def story_image_path(instance: Story, filename: str) -> str:
    """A fresh random name: nothing of the uploader's file name is kept."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "jpg"
    return f"stories/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{extension}"


class Story(TimeStampedModel):
    class State(models.TextChoices):
        DRAFT = "draft", _("luonnos")
        SUBMITTED = "submitted", _("odottaa julkaisua")
        RETURNED = "returned", _("palautettu")
        SCHEDULED = "scheduled", _("ajastettu")
        PUBLISHED = "published", _("julkaistu")
        ARCHIVED = "archived", _("arkistoitu")

    # The state machine: (from, to) pairs a service may make.
    TRANSITIONS = frozenset(
        {
            (State.DRAFT, State.SUBMITTED),
            (State.RETURNED, State.SUBMITTED),
            (State.SUBMITTED, State.PUBLISHED),
            (State.SUBMITTED, State.RETURNED),
            (State.SUBMITTED, State.SCHEDULED),
            (State.SCHEDULED, State.SCHEDULED),  # a new time
            (State.SCHEDULED, State.PUBLISHED),  # now, or when the time comes
            (State.SCHEDULED, State.RETURNED),
            (State.PUBLISHED, State.ARCHIVED),
        }
    )
    # The author edits these; publishers edit the others before they are archived.
    AUTHOR_EDITABLE = frozenset({State.DRAFT, State.RETURNED})
    PUBLISHER_EDITABLE = frozenset({State.SUBMITTED, State.SCHEDULED, State.PUBLISHED})

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="stories",
        verbose_name=_("kirjoittaja"),
    )
    state = models.CharField(_("tila"), max_length=10, choices=State.choices, default=State.DRAFT)
    title = models.CharField(
        _("otsikko"), max_length=200, blank=True, validators=[no_identity_code]
    )
    lead = models.CharField(
        _("ingressi"),
        max_length=500,
        blank=True,
        help_text=_("Yksi tai kaksi virkettä: mikä onnistui?"),
        validators=[no_identity_code],
    )
    body = free_text_field(
        _("tarina"),
        blank=True,
        help_text=_("Markdown-muotoilu käy."),
        limit=limits.STORY_BODY,
    )
    themes = models.ManyToManyField(
        Theme, blank=True, related_name="stories", verbose_name=_("teemat")
    )
    unit = models.CharField(
        _("tiimi tai yksikkö"), max_length=150, blank=True, validators=[no_identity_code]
    )
    waiting_days_before = models.PositiveIntegerField(
        _("odotusaika ennen (pv)"), null=True, blank=True, validators=[MaxValueValidator(3650)]
    )
    waiting_days_after = models.PositiveIntegerField(
        _("odotusaika jälkeen (pv)"), null=True, blank=True, validators=[MaxValueValidator(3650)]
    )
    partners_count = models.PositiveSmallIntegerField(
        _("mukana olleet yhteistyötahot (kpl)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(500)],
    )
    savings_eur = models.PositiveIntegerField(
        _("arvioitu säästö (€)"), null=True, blank=True, validators=[MaxValueValidator(100_000_000)]
    )
    image = models.ImageField(
        _("kuva"),
        upload_to=story_image_path,
        blank=True,
        width_field="image_width",
        height_field="image_height",
    )
    image_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    image_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    image_alt = models.CharField(
        _("kuvan tekstivastine"),
        max_length=300,
        blank=True,
        help_text=_("Mitä kuvassa näkyy, ruudunlukijaa käyttävälle kollegalle."),
        validators=[no_identity_code],
    )
    # The create form's one-time token: a double submit finds the story the first made.
    client_token = models.UUIDField(null=True, blank=True, editable=False)
    # Optimistic concurrency: every content save bumps ``version``; a save based on an
    # older version is refused unless it comes from the same editing page (one browser
    # tab: its autosave and its submit race each other, but its content is the newest).
    version = models.PositiveIntegerField(_("versio"), default=0)
    editing_session = models.UUIDField(null=True, blank=True, editable=False)
    submitted_at = models.DateTimeField(_("lähetetty"), null=True, blank=True)
    publish_at = models.DateTimeField(_("julkaistaan"), null=True, blank=True)
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("ajastaja"),
    )
    published_at = models.DateTimeField(_("julkaistu"), null=True, blank=True)

    class Meta:
        ordering = ["-published_at", "-created_at"]
        verbose_name = _("onnistumistarina")
        verbose_name_plural = _("onnistumistarinat")
        permissions = [
            ("publish_story", _("Voi julkaista, ajastaa, palauttaa ja arkistoida tarinoita")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["author", "client_token"], name="stories_story_unique_client_token"
            ),
            models.CheckConstraint(
                condition=~Q(state="published") | Q(published_at__isnull=False),
                name="stories_story_published_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(state="scheduled") | Q(publish_at__isnull=False),
                name="stories_story_scheduled_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "-published_at"], name="stories_state_published"),
            models.Index(fields=["state", "publish_at"], name="stories_state_publish_at"),
        ]

    def __str__(self) -> str:
        return self.title or str(_("(nimetön luonnos)"))

    def get_absolute_url(self) -> str:
        return reverse("stories:detail", args=[self.pk])

    @property
    def waiting_days_saved(self) -> int | None:
        if self.waiting_days_before is None or self.waiting_days_after is None:
            return None
        return self.waiting_days_before - self.waiting_days_after

    @property
    def return_comment(self) -> str:
        """The manager's latest return comment (uses prefetched transitions)."""
        returns = [t for t in self.transitions.all() if t.to_state == Story.State.RETURNED]
        return returns[-1].comment if returns else ""

    @property
    def has_impact(self) -> bool:
        return any(
            v is not None
            for v in (
                self.waiting_days_before,
                self.waiting_days_after,
                self.partners_count,
                self.savings_eur,
            )
        )


class StoryTransition(models.Model):
    """One move of the state machine: who, when, from where to where, and why."""

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="transitions")
    from_state = models.CharField(_("tilasta"), max_length=10, choices=Story.State.choices)
    to_state = models.CharField(_("tilaan"), max_length=10, choices=Story.State.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("tekijä"),
        help_text=_("Tyhjä: ajastettu julkaisu."),
    )
    comment = free_text_field(
        _("kommentti"),
        blank=True,
        limit=limits.COMMENT,
    )
    at = models.DateTimeField(_("aika"), default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("tilamuutos")
        verbose_name_plural = _("tilamuutokset")

    def __str__(self) -> str:
        return f"{self.from_state} → {self.to_state}"


class StoryThanks(models.Model):
    """A colleague's "kiitos": at most one per person and story."""

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="thanks")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("kiitos")
        verbose_name_plural = _("kiitokset")
        constraints = [
            models.UniqueConstraint(fields=["story", "user"], name="stories_thanks_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.story_id}"


class StoryComment(models.Model):
    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("kirjoittaja"),
    )
    body = free_text_field(
        _("kommentti"),
        limit=limits.COMMENT,
    )
    created_at = models.DateTimeField(_("aika"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("kommentti")
        verbose_name_plural = _("kommentit")

    def __str__(self) -> str:
        return self.body[:50]
