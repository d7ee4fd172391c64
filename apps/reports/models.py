"""Stored report runs and their e-mail subscribers.

One ``Report`` row per (kind, period): a rerun replaces its figures, never adds a row.
``figures`` is written together with ``status = done`` in the one transaction that
computed it, so a run cut short leaves the row without half-written figures.
"""

from __future__ import annotations

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .periods import Period


class Kind(models.TextChoices):
    CONTACTS = "contacts", _("Yhteydenotot")
    CONSULTATIONS = "consultations", _("Kysy kollegalta ja soittopyynnöt")
    FRESHNESS = "freshness", _("Tietojen ajantasaisuus")
    SEARCH_GAPS = "search_gaps", _("Haun aukot")
    STORIES = "stories", _("Onnistumistarinat")


class Report(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("jonossa")
        RUNNING = "running", _("käynnissä")
        DONE = "done", _("valmis")
        FAILED = "failed", _("epäonnistui")

    class Trigger(models.TextChoices):
        SCHEDULE = "schedule", _("ajastus")
        MANUAL = "manual", _("käsin")

    kind = models.CharField(_("raportti"), max_length=20, choices=Kind.choices)
    period_start = models.DateField(_("alkaa"))
    period_end = models.DateField(_("päättyy"), help_text=_("Viimeinen päivä, mukaan lukien."))
    status = models.CharField(
        _("tila"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    trigger = models.CharField(
        _("käynnistäjä"), max_length=10, choices=Trigger.choices, default=Trigger.MANUAL
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("käynnistänyt"),
        help_text=_("Tyhjä: ajastus."),
    )
    figures = models.JSONField(_("luvut"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    progress = models.PositiveSmallIntegerField(_("edistyminen (%)"), default=0)
    error = models.TextField(_("virhe"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("yrityksiä"), default=0)
    requested_at = models.DateTimeField(_("pyydetty"), default=timezone.now)
    started_at = models.DateTimeField(_("aloitettu"), null=True, blank=True)
    finished_at = models.DateTimeField(_("valmistunut"), null=True, blank=True)
    mailed_at = models.DateTimeField(_("lähetetty tilaajille"), null=True, blank=True)

    class Meta:
        ordering = ["-period_end", "kind", "-period_start"]
        verbose_name = _("raportti")
        verbose_name_plural = _("raportit")
        permissions = [("run_report", _("Voi ajaa raportteja"))]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "period_start", "period_end"], name="report_unique_kind_period"
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="report_period_not_reversed"
            ),
        ]
        indexes = [models.Index(fields=["status"], name="report_status")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.period.label()}"

    def get_absolute_url(self) -> str:
        return reverse("reports:detail", args=[self.pk])

    @property
    def period(self) -> Period:
        return Period(self.period_start, self.period_end)

    @property
    def is_done(self) -> bool:
        return self.status == self.Status.DONE

    @property
    def is_in_progress(self) -> bool:
        return self.status in (self.Status.PENDING, self.Status.RUNNING)


class ReportSubscription(models.Model):
    """A manager who gets a report kind by e-mail whenever a scheduled run completes."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="report_subscriptions",
        verbose_name=_("tilaaja"),
    )
    kind = models.CharField(_("raportti"), max_length=20, choices=Kind.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "user"]
        verbose_name = _("raportin tilaus")
        verbose_name_plural = _("raporttien tilaukset")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="reportsubscription_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_kind_display()}"
