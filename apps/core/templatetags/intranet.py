from __future__ import annotations

from django import template

from apps.core.markdown import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(value: str | None):
    return render_markdown(value)
