"""The contact log tells the catalogue how it cites entries (``catalogue.citations``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.utils.translation import ngettext

from apps.catalogue.citations import register_entry_citer

from .selectors import contact_records_citing_count
from .services import contact_records_keep_entry_topic

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from apps.catalogue.models import Entry


class ContactRecordCiter:
    """Contacts that cite an entry keep its title as their topic when it is deleted."""

    def count(self, *, entries: QuerySet[Entry] | Sequence[Entry]) -> int:
        return contact_records_citing_count(entries=entries)

    def release(self, *, entry: Entry) -> int:
        return contact_records_keep_entry_topic(entry=entry)

    def delete_warning(self, *, count: int, selected: bool) -> str:
        if selected:
            return ngettext(
                "%(count)s yhteydenotto viittaa valittuihin kortteihin; siihen jää kortin "
                "otsikko aiheeksi.",
                "%(count)s yhteydenottoa viittaa valittuihin kortteihin; niihin jää kortin "
                "otsikko aiheeksi.",
                count,
            ) % {"count": count}
        return ngettext(
            "%(count)s yhteydenotto viittaa tähän korttiin; siihen jää kortin otsikko aiheeksi.",
            "%(count)s yhteydenottoa viittaa tähän korttiin; niihin jää kortin otsikko aiheeksi.",
            count,
        ) % {"count": count}


def register() -> None:
    register_entry_citer(ContactRecordCiter())
