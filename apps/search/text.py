"""Plain text from Markdown, and the tsvector/tsquery literals the index uses."""

from __future__ import annotations

import re

_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_MARKS = re.compile(r"(^|\s)[#>*+-]+\s+|[*_`~]{1,3}|^\s*\d+[.)]\s+", re.MULTILINE)
_SPACES = re.compile(r"[ \t]+")


def plain_text(markdown: str) -> str:
    """Markdown without its markup: links become their text, list marks and emphasis go."""
    text = _MD_LINK.sub(r"\1", markdown or "")
    text = _MD_MARKS.sub(r"\1", text)
    text = re.sub(r"<[^>]+>", " ", text)
    return _SPACES.sub(" ", text).strip()


def bounded_prefix(text: str, limit: int) -> str:
    """At most ``limit`` characters of ``text``, cut after a word where one ends near
    the limit (so that no half word is indexed)."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    space = max(cut.rfind(" "), cut.rfind("\n"))
    return cut[:space] if space > limit - 100 else cut


def quote_lexeme(lexeme: str) -> str:
    """A lexeme as a quoted tsvector/tsquery item."""
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def tsvector_literal(positions: dict[str, list[tuple[int, str]]]) -> str:
    """``{lexeme: [(position, weight), …]}`` as a tsvector literal."""
    items = []
    for lexeme in sorted(positions):
        where = ",".join(f"{p}{w}" for p, w in sorted(set(positions[lexeme])))
        items.append(f"{quote_lexeme(lexeme)}:{where}")
    return " ".join(items)
