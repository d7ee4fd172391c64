"""Markdown in, sanitised HTML out. The one place staff-written Markdown becomes HTML."""

from __future__ import annotations

import markdown as md
import nh3
from django.utils.safestring import SafeString, mark_safe

_ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "ul",
    "ol",
    "li",
    "a",
    "h2",
    "h3",
    "h4",
    "blockquote",
    "code",
    "pre",
    "hr",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
_ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}}


def render_markdown(text: str | None) -> SafeString:
    if not text:
        return mark_safe("")
    html = md.markdown(text, extensions=["sane_lists", "tables"], output_format="html")
    clean = nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel="noopener noreferrer",
    )
    return mark_safe(clean)  # noqa: S308 - sanitised by nh3 above
