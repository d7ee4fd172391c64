"""``{% contact_status contact %}``: "auki nyt, sulkeutuu klo 16" beside a phone number."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from apps.catalogue import opening_hours
from apps.catalogue.models import Contact

register = template.Library()


@register.inclusion_tag("catalogue/partials/contact_status.html")
def contact_status(contact: Contact) -> dict[str, Any]:
    """The contact's opening status now (Helsinki time); nothing without structured hours.

    Computed from the prefetched contact alone: no query."""
    state = opening_hours.status(contact.opening_hours, timezone.now())
    if state is None:
        return {"state": None}
    return {"state": state, "text": opening_hours.status_text(state)}


@register.filter
def opening_hours_text(value: Any) -> str:
    """Structured hours in the editors' syntax on one line: ``ma-pe 8-16; la 10-14``."""
    return opening_hours.to_text(value).replace("\n", "; ")
