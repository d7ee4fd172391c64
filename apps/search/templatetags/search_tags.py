"""``{% hit_details details hit as extra %}``: what a source adds under one hit."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import template

register = template.Library()


@register.simple_tag
def hit_details(details: Mapping[tuple[str, str], Any] | None, hit: Any) -> Any:
    """The hit's ``registry.HitDetails`` from the page's ``details``, or None."""
    if not details:
        return None
    return details.get((hit.doc_type, hit.key))
