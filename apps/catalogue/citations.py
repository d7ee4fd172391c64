"""What cites an entry from the apps above the catalogue (the contact log).

The catalogue may not import those apps (the import contract in ``pyproject.toml``), yet
deleting an entry must not lose what cites it. So each such app registers an
:class:`EntryCiter` here at start-up (``ContactsConfig.ready``), the way sources register
with search: ``services.entry_delete`` lets every citer go of the entry before deleting
it, and the admin's delete pages say what each citer will do.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from .models import Entry


class EntryCiter(Protocol):
    """Rows of another app that cite entries."""

    def count(self, *, entries: QuerySet[Entry] | Sequence[Entry]) -> int:
        """How many rows cite one of ``entries`` (what deleting them would touch)."""
        ...

    def release(self, *, entry: Entry) -> int:
        """Before ``entry`` is deleted, in its transaction: keep what the rows citing it
        need and let go of it. Returns how many rows."""
        ...

    def delete_warning(self, *, count: int, selected: bool) -> str:
        """What happens to ``count`` citing rows when this entry (``selected``: the
        selected entries) is deleted, for the admin's confirmation page."""
        ...


_CITERS: list[EntryCiter] = []


def register_entry_citer(citer: EntryCiter) -> EntryCiter:
    """Add ``citer`` (once per class: a second ``ready()`` replaces the first)."""
    _CITERS[:] = [c for c in _CITERS if type(c) is not type(citer)] + [citer]
    return citer


def entry_citers() -> tuple[EntryCiter, ...]:
    return tuple(_CITERS)
