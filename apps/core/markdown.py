"""Markdown in, sanitised HTML out. The one place staff-written Markdown becomes HTML.

The same texts (an entry's description, a thread's answers) are shown on page after page,
so the result is kept for the most recent texts: a text is its own key, and the same text
always gives the same HTML. Building a Markdown parser costs more than most texts take to
convert; each thread keeps one and resets it between texts.
"""

from __future__ import annotations

import threading
from functools import lru_cache

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


_local = threading.local()


def _parser() -> md.Markdown:
    parser: md.Markdown | None = getattr(_local, "parser", None)
    if parser is None:
        parser = _local.parser = md.Markdown(
            extensions=["sane_lists", "tables"], output_format="html"
        )
    return parser


def render_markdown(text: str | None) -> SafeString:
    if not text:
        return mark_safe("")
    return _render(text)


@lru_cache(maxsize=256)
def _render(text: str) -> SafeString:
    parser = _parser()
    try:
        html = parser.convert(text)
    finally:
        parser.reset()
    clean = nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel="noopener noreferrer",
    )
    return mark_safe(clean)  # noqa: S308 - sanitised by nh3 above
