"""The knowledge base: the area's services and the third sector's offers.

Localised text fields (``title``, ``summary``…) are registered in ``translation.py``;
django-modeltranslation adds ``title_fi``, ``title_sv`` and ``title_en`` columns and
falls back to Finnish.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from apps.core import limits
from apps.core.fields import free_text_field
from apps.core.models import TimeStampedModel
from apps.core.privacy import validate_no_personal_identity_code as no_identity_code

from . import opening_hours


def validate_opening_hours(value: object) -> None:
    """A structured opening-hours value (``opening_hours.validate``) or refused."""
    errors = opening_hours.validate(value)
    if errors:
        raise ValidationError(errors)


key_validator = RegexValidator(r"^[a-z0-9-]{1,100}$", _("Vain a–z, 0–9 ja väliviiva."))


class Municipality(models.Model):
    # Added by modeltranslation (translation.py) at run time; declared for the type checker.
    name_fi: str | None
    code = models.CharField(
        _("kuntanumero"), max_length=3, primary_key=True, validators=[RegexValidator(r"^\d{3}$")]
    )
    name = models.CharField(_("nimi"), max_length=100, validators=[no_identity_code])

    class Meta:
        ordering = ["name_fi"]
        verbose_name = _("kunta")
        verbose_name_plural = _("kunnat")

    def __str__(self) -> str:
        return self.name


class ServiceLine(models.Model):
    # Added by modeltranslation (translation.py) at run time; declared for the type checker.
    name_fi: str | None
    key = models.CharField(_("tunniste"), max_length=50, unique=True, validators=[key_validator])
    name = models.CharField(_("nimi"), max_length=200, validators=[no_identity_code])
    position = models.PositiveSmallIntegerField(_("järjestys"), default=0)

    class Meta:
        ordering = ["position", "key"]
        verbose_name = _("palvelulinja")
        verbose_name_plural = _("palvelulinjat")

    def __str__(self) -> str:
        return self.name


class Organisation(models.Model):
    class Kind(models.TextChoices):
        WELLBEING_AREA = "wellbeing_area", _("hyvinvointialue")
        MUNICIPALITY = "municipality", _("kunta")
        STATE = "state", _("valtio")
        ASSOCIATION = "association", _("yhdistys")
        PARISH = "parish", _("seurakunta")
        FOUNDATION = "foundation", _("säätiö")
        COMPANY = "company", _("yritys")

    key = models.CharField(_("tunniste"), max_length=100, unique=True, validators=[key_validator])
    name = models.CharField(_("nimi"), max_length=300, validators=[no_identity_code])
    kind = models.CharField(_("tyyppi"), max_length=20, choices=Kind.choices)
    municipalities = models.ManyToManyField(
        Municipality, blank=True, related_name="organisations", verbose_name=_("kunnat")
    )
    website = models.URLField(_("verkkosivu"), blank=True)
    phone = models.CharField(_("puhelin"), max_length=50, blank=True, validators=[no_identity_code])
    email = models.EmailField(_("sähköposti"), blank=True)

    class Meta:
        ordering = ["name_fi"]
        verbose_name = _("organisaatio")
        verbose_name_plural = _("organisaatiot")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("catalogue:organisation", args=[self.key])


class Entry(TimeStampedModel):
    """One service of the wellbeing area, or one offer of the third sector."""

    # Added by modeltranslation (translation.py) at run time; declared for the type checker.
    title_fi: str | None

    class Kind(models.TextChoices):
        SERVICE = "service", _("palvelu")
        OFFER = "offer", _("järjestöjen ja seurakuntien tarjonta")

    kind = models.CharField(_("tyyppi"), max_length=10, choices=Kind.choices)
    key = models.CharField(_("tunniste"), max_length=100, unique=True, validators=[key_validator])
    title = models.CharField(_("otsikko"), max_length=300, validators=[no_identity_code])
    summary = free_text_field(
        _("tiivistelmä"),
        limit=limits.ENTRY_SUMMARY,
    )
    body = free_text_field(
        _("kuvaus"),
        blank=True,
        limit=limits.ENTRY_BODY,
    )
    eligibility = free_text_field(
        _("kenelle"),
        blank=True,
        limit=limits.ENTRY_DETAIL,
    )
    how_to_apply = free_text_field(
        _("näin haet"),
        blank=True,
        limit=limits.ENTRY_DETAIL,
    )
    fees = free_text_field(
        _("maksut"),
        blank=True,
        limit=limits.ENTRY_DETAIL,
    )
    service_lines = models.ManyToManyField(
        ServiceLine, blank=True, related_name="entries", verbose_name=_("palvelulinjat")
    )
    municipalities = models.ManyToManyField(
        Municipality,
        blank=True,
        related_name="entries",
        verbose_name=_("kunnat"),
        help_text=_("Tyhjä: koko hyvinvointialue."),
    )
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="entries",
        verbose_name=_("organisaatio"),
    )
    target_groups = ArrayField(
        models.CharField(max_length=100, validators=[no_identity_code]),
        size=limits.ENTRY_LIST_ITEMS,
        blank=True,
        default=list,
        verbose_name=_("kohderyhmät"),
    )
    keywords = ArrayField(
        models.CharField(max_length=100, validators=[no_identity_code]),
        size=limits.ENTRY_LIST_ITEMS,
        blank=True,
        default=list,
        verbose_name=_("hakusanat"),
    )
    legal_basis = ArrayField(
        models.CharField(max_length=300, validators=[no_identity_code]),
        size=limits.ENTRY_LIST_ITEMS,
        blank=True,
        default=list,
        verbose_name=_("lakiperusta"),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_entries",
        verbose_name=_("vastuuhenkilö"),
    )
    review_interval_days = models.PositiveIntegerField(
        _("tarkistusväli (pv)"), null=True, blank=True
    )
    last_reviewed = models.DateField(_("tarkistettu viimeksi"), null=True, blank=True)
    # Optimistic locking: every save through services.entry_save bumps it.
    version = models.PositiveIntegerField(_("versio"), default=0)

    class PtvStatus(models.TextChoices):
        PUBLISHED = "published", _("julkaistu")
        ARCHIVED = "archived", _("arkistoitu")
        REMOVED = "removed", _("poistettu")

    # Suomi.fi (PTV) source of an imported service (apps.catalogue.ptv); empty: local only.
    ptv_id = models.UUIDField(_("PTV-tunniste"), null=True, blank=True, unique=True, editable=False)
    ptv_modified = models.DateTimeField(
        _("muutettu PTV:ssä"), null=True, blank=True, editable=False
    )
    ptv_status = models.CharField(
        _("tila PTV:ssä"), max_length=10, choices=PtvStatus.choices, blank=True, editable=False
    )
    # Set when a PTV sync changed the entry ("muuttunut Suomi.fi:ssä"); cleared when the
    # owner marks it reviewed.
    ptv_changed_at = models.DateTimeField(
        _("muuttunut Suomi.fi:ssä"), null=True, blank=True, editable=False
    )

    class Meta:
        ordering = ["title_fi"]
        verbose_name = _("palvelu tai tarjous")
        verbose_name_plural = _("palvelut ja tarjoukset")
        permissions = [("review_entry", _("Voi merkitä tiedot tarkistetuiksi"))]
        indexes = [models.Index(fields=["kind"]), models.Index(fields=["last_reviewed"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("catalogue:entry", args=[self.key])

    @property
    def suomifi_url(self) -> str:
        """The service's page on Suomi.fi (``<base>/<name-slug>/<PTV id>``), or ""."""
        if self.ptv_id is None:
            return ""
        base = settings.NEUVOKAS_PTV_SERVICE_PAGE_URL.rstrip("/")
        return f"{base}/{slugify(self.title_fi or self.title) or 'palvelu'}/{self.ptv_id}"

    @property
    def effective_review_interval(self) -> int:
        return self.review_interval_days or settings.NEUVOKAS_DEFAULT_REVIEW_INTERVAL_DAYS

    @property
    def review_due(self) -> datetime.date | None:
        if self.last_reviewed is None:
            return None
        return self.last_reviewed + datetime.timedelta(days=self.effective_review_interval)

    @property
    def is_overdue(self) -> bool:
        due = self.review_due
        return due is None or due < timezone.localdate()


class Contact(models.Model):
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="contacts")
    position = models.PositiveSmallIntegerField(_("järjestys"), default=0)
    label = models.CharField(_("nimi"), max_length=300, blank=True, validators=[no_identity_code])
    phone = models.CharField(_("puhelin"), max_length=50, blank=True, validators=[no_identity_code])
    email = models.EmailField(_("sähköposti"), blank=True)
    address = models.CharField(
        _("osoite"), max_length=300, blank=True, validators=[no_identity_code]
    )
    hours = models.CharField(
        _("aukioloajat (lisätieto)"), max_length=300, blank=True, validators=[no_identity_code]
    )
    # Structured opening hours (apps.catalogue.opening_hours); {}: none, only the note.
    opening_hours = models.JSONField(
        _("aukioloajat"), default=dict, blank=True, validators=[validate_opening_hours]
    )
    # Empty: the contact serves the whole wellbeing area.
    municipalities = models.ManyToManyField(
        Municipality,
        blank=True,
        related_name="contacts",
        verbose_name=_("kunnat"),
        help_text=_("Tyhjä: koko hyvinvointialue."),
    )

    class Meta:
        ordering = ["entry", "position", "id"]
        verbose_name = _("yhteystieto")
        verbose_name_plural = _("yhteystiedot")

    def __str__(self) -> str:
        return self.label or self.phone or self.email or str(self.pk)


class EntryVersion(models.Model):
    """A snapshot of an entry after a save, in the catalogue interchange format."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("versio"))
    snapshot = models.JSONField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    comment = models.CharField(
        _("kommentti"), max_length=300, blank=True, validators=[no_identity_code]
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["entry", "-number"]
        verbose_name = _("versio")
        verbose_name_plural = _("versiot")
        constraints = [
            models.UniqueConstraint(fields=["entry", "number"], name="entryversion_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.entry_id} v{self.number}"


class ProblemReport(TimeStampedModel):
    """ "Ilmoita virheestä": a reader tells the owner something is wrong."""

    class Status(models.TextChoices):
        OPEN = "open", _("avoin")
        RESOLVED = "resolved", _("käsitelty")

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="problem_reports")
    # Optional: the report outlives a reporter who leaves (SET_NULL) and can still be resolved.
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    what_is_wrong = free_text_field(
        _("mikä on väärin"),
        limit=limits.PROBLEM_REPORT,
    )
    what_tried = free_text_field(
        _("mitä yritit tehdä"),
        blank=True,
        limit=limits.PROBLEM_REPORT,
    )
    status = models.CharField(_("tila"), max_length=10, choices=Status.choices, default=Status.OPEN)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    # Set once the owner has been told (services.problem_report_notify): makes the
    # notification task idempotent under at-least-once delivery.
    notified_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("virheilmoitus")
        verbose_name_plural = _("virheilmoitukset")
        indexes = [models.Index(fields=["entry", "status"])]

    def __str__(self) -> str:
        return f"{self.entry_id}: {self.what_is_wrong[:40]}"


class OwnerReminder(models.Model):
    """The weekly "your overdue entries" e-mail, once per owner and week."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    week_start = models.DateField()
    entry_count = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("muistutus vanhentuneista sisällöistä")
        verbose_name_plural = _("muistutukset vanhentuneista sisällöistä")
        constraints = [
            models.UniqueConstraint(fields=["owner", "week_start"], name="ownerreminder_once"),
        ]

    def __str__(self) -> str:
        return f"{self.owner_id} {self.week_start}"
