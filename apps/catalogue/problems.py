"""Mistakes in catalogue data, each at its place: a field path kept as data.

A path is a tuple of field names and list indices, ``("services", 12, "title", "fi")``;
``()`` is the file (or the object) itself. The importer shows it as text
(``services[12].title.fi``) and the editing form maps it to its field
(``interchange.entry_form_field``), so no one reads a place back out of a message.
"""

from __future__ import annotations

from dataclasses import dataclass

FieldPath = tuple[str | int, ...]


def path_text(path: FieldPath) -> str:
    """A path as the format's documentation writes it: ``services[12].contacts[0].hours.fi``,
    ``(file)`` for the file itself."""
    if not path:
        return "(file)"
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else part
    return text or "(file)"


@dataclass(frozen=True)
class FormatProblem:
    """One mistake: where (``path``) and what (``message``, English like the format)."""

    path: FieldPath
    message: str

    def __str__(self) -> str:
        return f"{path_text(self.path)}: {self.message}"
