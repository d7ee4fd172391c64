from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class AlertsForm(forms.Form):
    alerts = forms.BooleanField(
        label=_("Selainilmoitus ja äänimerkki, kun asiakas odottaa linjallani"),
        help_text=_(
            "Sivulla näkyvä ilmoitus tulee aina. Selain kysyy luvan ilmoituksiin, kun "
            "valitset tämän."
        ),
        required=False,
    )
