from __future__ import annotations

from typing import Any

from django import template

from ..exports import cell
from ..kinds.base import Column

register = template.Library()


@register.simple_tag
def report_cell(column: Column, row: dict[str, Any]) -> str:
    return cell(column, row)


@register.filter
def iso_date(value: str) -> str:
    """An ISO date string from the figures as 1.2.2027."""
    import datetime

    from django.utils.formats import date_format

    try:
        return date_format(datetime.date.fromisoformat(value), "j.n.Y")
    except (TypeError, ValueError):
        return value
