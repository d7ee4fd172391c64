"""The durable log of live events: what the stream pushes, kept a short while so a
client that reconnects gets what it missed (``Last-Event-ID``)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class LiveEvent(models.Model):
    """One pushed event. ``audience`` holds the ids of the users who may receive it,
    worked out by the publishing app from its permissions; the stream delivers it to
    nobody else. ``payload`` holds ids and short texts those users may all see."""

    id = models.BigAutoField(primary_key=True)
    kind = models.CharField(_("tapahtuma"), max_length=40)
    audience = ArrayField(models.BigIntegerField(), verbose_name=_("vastaanottajat"))
    payload = models.JSONField(_("sisältö"), default=dict, blank=True)
    created_at = models.DateTimeField(_("luotu"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("reaaliaikainen tapahtuma")
        verbose_name_plural = _("reaaliaikaiset tapahtumat")

    def __str__(self) -> str:
        return f"{self.pk} {self.kind}"


class AlertPreference(models.Model):
    """A user's opt-in to a browser notification and a short sound when a caller is
    waiting on one of their lines (the in-page notice shows regardless)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="live_alert_preference",
    )
    alerts = models.BooleanField(_("selainilmoitus ja äänimerkki"), default=False)

    class Meta:
        verbose_name = _("hälytysasetus")
        verbose_name_plural = _("hälytysasetukset")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.alerts}"
