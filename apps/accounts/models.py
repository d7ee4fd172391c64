from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.privacy import validate_no_personal_identity_code as no_identity_code


class User(AbstractUser):
    """A member of staff. Roles are Django groups (see ``apps.accounts.roles``)."""

    # AbstractUser's fields, with the personal-data guard: the Django admin's user forms
    # (contrib's UserAdmin) validate through the model, so they refuse a henkilötunnus too.
    username = models.CharField(
        _("username"),
        max_length=150,
        unique=True,
        help_text=_("Required. 150 characters or fewer. Letters, digits and @/./+/-/_ only."),
        validators=[AbstractUser.username_validator, no_identity_code],
        error_messages={"unique": _("A user with that username already exists.")},
    )
    first_name = models.CharField(
        _("first name"), max_length=150, blank=True, validators=[no_identity_code]
    )
    last_name = models.CharField(
        _("last name"), max_length=150, blank=True, validators=[no_identity_code]
    )
    service_lines = models.ManyToManyField(
        "catalogue.ServiceLine",
        blank=True,
        related_name="staff",
        verbose_name=_("palvelemani linjat"),
        help_text=_("Linjat, joiden kysymyksiä ja soittopyyntöjä hoidat."),
    )
    # The identity provider's ``sub`` claim for a user who signs in through OpenID Connect:
    # the account is found by it (a username or e-mail address can change or pass to
    # someone else; ``sub`` does not). Empty for local accounts.
    oidc_subject = models.CharField(
        _("tunniste tunnistuspalvelussa"),
        max_length=255,
        unique=True,
        null=True,
        blank=True,
        editable=False,
    )
    email_notifications = models.BooleanField(
        _("ilmoitukset sähköpostiin"),
        default=True,
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


class ApiToken(models.Model):
    """A personal API token. Only a SHA-256 hash of the token is stored; the token
    itself is shown once, when it is made (``manage.py create_api_token``)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("nimi"), max_length=100, blank=True, validators=[no_identity_code])
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(max_length=12, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("peruttu"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API-avain")
        verbose_name_plural = _("API-avaimet")

    def __str__(self) -> str:
        return f"{self.user} {self.prefix}…"
