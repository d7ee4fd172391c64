"""The audit trail: an append-only record of security-relevant events.

A row is written once by :func:`apps.audit.services.record` and never changed: ``save``
refuses an existing row, ``delete`` refuses always, and a database trigger (migration
0002) raises on every UPDATE and on every DELETE except the retention purge's
(``services.purge_expired`` sets ``neuvokas.audit_purge`` for its own transaction).

No phone number or personal identity code is ever stored: the label and the details
are scrubbed (``apps.core.privacy.scrub``) and a callback's number is never passed in,
only the fact that it was shown.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    """An attempt to change or delete an audit record."""


class Event(models.Model):
    class Kind(models.TextChoices):
        SIGN_IN = "sign_in", _("kirjautuminen")
        SIGN_OUT = "sign_out", _("uloskirjautuminen")
        SIGN_IN_FAILED = "sign_in_failed", _("epäonnistunut kirjautuminen")
        ROLE_CHANGE = "role_change", _("roolin tai palvelulinjan muutos")
        PERMISSION_CHANGE = "permission_change", _("oikeuksien muutos")
        PHONE_SHOWN = "phone_shown", _("puhelinnumero näytetty")
        REASSIGNED = "reassigned", _("vastuuhenkilön vaihto")
        EXPORT = "export", _("vienti")
        ADMIN_ADD = "admin_add", _("ylläpito: lisäys")
        ADMIN_CHANGE = "admin_change", _("ylläpito: muutos")
        ADMIN_DELETE = "admin_delete", _("ylläpito: poisto")
        PURGE = "purge", _("vanhentuneiden tapahtumien poisto")

    created_at = models.DateTimeField(
        _("aika"), default=timezone.now, editable=False, db_index=True
    )
    kind = models.CharField(_("tapahtuma"), max_length=32, choices=Kind.choices, db_index=True)
    # The user is kept as a plain reference: deleting a user must not touch the trail (the
    # trigger refuses UPDATE, so no SET NULL), and the username copy names them afterwards.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tekijä"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    actor_username = models.CharField(_("tekijän käyttäjätunnus"), max_length=150, blank=True)
    ip = models.GenericIPAddressField(_("IP-osoite"), null=True, blank=True)
    target_type = models.CharField(_("kohteen tyyppi"), max_length=100, blank=True)
    target_id = models.CharField(_("kohteen tunniste"), max_length=64, blank=True)
    target_label = models.CharField(_("kohde"), max_length=200, blank=True)
    details = models.JSONField(_("tiedot"), default=dict, blank=True)

    class Meta:
        verbose_name = _("lokitapahtuma")
        verbose_name_plural = _("lokitapahtumat")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["target_type", "target_id"], name="audit_event_target"),
            models.Index(fields=["actor_username", "-created_at"], name="audit_event_actor"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.actor_username or '-'} {self.target_label}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("Audit records cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Audit records cannot be deleted.")
