"""The contact log: one row per customer contact, recorded by the advisor afterwards.

No personal data is stored: no name, no identity code, no phone number. The free topic
is checked by the privacy guard. ``submission_key`` is the form's one-time key, so a
double click or a resend never records the same contact twice.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.privacy import validate_no_personal_identity_code as no_identity_code


class Channel(models.TextChoices):
    PHONE = "phone", _("puhelin")
    CHAT = "chat", _("chat")
    VISIT = "visit", _("käynti")
    AUTHORITY = "authority", _("viranomainen")


class Referral(models.TextChoices):
    AREA_SERVICE = "area_service", _("hyvinvointialueen muu palvelu")
    KELA = "kela", _("Kela")
    THIRD_SECTOR = "third_sector", _("järjestöjen tai seurakuntien tarjonta")
    OTHER = "other", _("muu")


class ContactRecord(models.Model):
    advisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="contact_records",
        verbose_name=_("neuvoja"),
    )
    created_at = models.DateTimeField(_("kirjattu"), default=timezone.now)
    service_line = models.ForeignKey(
        "catalogue.ServiceLine",
        on_delete=models.PROTECT,
        related_name="contact_records",
        verbose_name=_("palvelulinja"),
    )
    channel = models.CharField(_("kanava"), max_length=10, choices=Channel.choices)
    municipality = models.ForeignKey(
        "catalogue.Municipality",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contact_records",
        verbose_name=_("kunta"),
        help_text=_("Tyhjä: ei tiedossa."),
    )
    entry = models.ForeignKey(
        "catalogue.Entry",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contact_records",
        verbose_name=_("aihe palveluista"),
    )
    topic_text = models.CharField(
        _("oma aihe"),
        max_length=200,
        blank=True,
        help_text=_("Ei asiakkaan henkilötietoja."),
        validators=[no_identity_code],
    )
    solved = models.BooleanField(_("ratkesi tässä yhteydenotossa"), default=False)
    consulted = models.BooleanField(_("konsultoin kollegaa"), default=False)
    referred_to = models.CharField(
        _("ohjattu"), max_length=20, choices=Referral.choices, blank=True
    )
    anonymous = models.BooleanField(_("asiakas anonyymi"), default=False)
    submission_key = models.UUIDField(editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("yhteydenotto")
        verbose_name_plural = _("yhteydenotot")
        constraints = [
            models.UniqueConstraint(
                fields=["advisor", "submission_key"], name="contactrecord_unique_submission"
            ),
            models.CheckConstraint(
                condition=Q(entry__isnull=False) | ~Q(topic_text=""), name="contactrecord_has_topic"
            ),
        ]
        indexes = [
            # Every report filters on the period first.
            models.Index(fields=["created_at"], name="contactrecord_created"),
            # The advisor's own day tally.
            models.Index(fields=["advisor", "created_at"], name="contactrecord_advisor_day"),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.get_channel_display()}"

    @property
    def topic(self) -> str:
        return str(self.entry) if self.entry_id else self.topic_text


class RecentEntryView(models.Model):
    """When a staff member last opened an entry page: the contact form offers the
    entries opened in the last minutes first. One row per (user, entry)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    entry = models.ForeignKey("catalogue.Entry", on_delete=models.CASCADE, related_name="+")
    viewed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("avattu palvelu")
        verbose_name_plural = _("avatut palvelut")
        constraints = [
            models.UniqueConstraint(fields=["user", "entry"], name="recententryview_unique"),
        ]
        indexes = [models.Index(fields=["user", "-viewed_at"], name="recententryview_user")]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.entry_id}"
