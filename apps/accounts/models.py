from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.privacy import validate_no_personal_identity_code as no_identity_code


class User(AbstractUser):
    """A member of staff. Roles are Django groups (see ``apps.accounts.roles``)."""

    # AbstractUser's fields, with the personal-data guard: the Django admin's user forms
    # (contrib's UserAdmin) validate through the model, so they refuse a henkilötunnus too.
    username = models.CharField(
        _("username"), max_length=150, unique=True,
        help_text=_("Required. 150 characters or fewer. Letters, digits and @/./+/-/_ only."),
        validators=[AbstractUser.username_validator, no_identity_code],
        error_messages={"unique": _("A user with that username already exists.")},
    )
    first_name = models.CharField(_("first name"), max_length=150, blank=True,
                                  validators=[no_identity_code])
    last_name = models.CharField(_("last name"), max_length=150, blank=True,
                                 validators=[no_identity_code])
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
        permissions = [
            ("assign_service_lines", _("Voi määrittää, mitä palvelulinjoja kukin palvelee")),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username
