from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A member of staff. Roles are Django groups (see ``apps.accounts.roles``)."""

    service_lines = models.ManyToManyField(
        "catalogue.ServiceLine", blank=True, related_name="staff",
        verbose_name=_("palvelemani linjat"),
        help_text=_("Linjat, joiden kysymyksiä ja soittopyyntöjä hoidat."),
    )
    email_notifications = models.BooleanField(
        _("ilmoitukset sähköpostiin"), default=True,
        help_text=_("Lähetä maininnat, vastaukset ja kiireelliset kysymykset myös sähköpostiin."),
    )

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        ordering = ["username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username
