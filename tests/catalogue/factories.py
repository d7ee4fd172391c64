"""Small builders for catalogue test data. Municipalities and service lines are seeded
by migrations, so ``municipality()`` and ``line()`` look those up (creating only an
unknown line key)."""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Iterable, Sequence
from typing import Any

from django.utils import timezone

from apps.catalogue.models import (
    Contact,
    Entry,
    Municipality,
    Organisation,
    ProblemReport,
    ServiceLine,
)

HAMINA = "075"
KOTKA = "285"
KOUVOLA = "286"
MIEHIKKALA = "489"
PYHTAA = "624"
VIROLAHTI = "935"

_seq = itertools.count(1)


def municipality(code: str) -> Municipality:
    return Municipality.objects.get(code=code)


def line(key: str = "vammaispalvelut") -> ServiceLine:
    found, _created = ServiceLine.objects.get_or_create(
        key=key, defaults={"name": key.capitalize(), "name_fi": key.capitalize()}
    )
    return found


def _municipalities(codes_or_objects: Iterable[str | Municipality]) -> list[Municipality]:
    return [m if isinstance(m, Municipality) else municipality(m) for m in codes_or_objects]


def organisation(
    key: str | None = None,
    *,
    name: str | None = None,
    kind: str = Organisation.Kind.ASSOCIATION,
    municipalities: Sequence[str | Municipality] = (),
    **fields: Any,
) -> Organisation:
    key = key or f"org-{next(_seq)}"
    name = name or key.replace("-", " ").capitalize()
    org = Organisation.objects.create(key=key, name=name, name_fi=name, kind=kind, **fields)
    if municipalities:
        org.municipalities.set(_municipalities(municipalities))
    return org


def entry(
    key: str | None = None,
    *,
    title: str | None = None,
    summary: str = "Lyhyt kuvaus.",
    kind: str = Entry.Kind.SERVICE,
    lines: Sequence[str | ServiceLine] = (),
    municipalities: Sequence[str | Municipality] = (),
    last_reviewed: datetime.date | str | None = "today",
    **fields: Any,
) -> Entry:
    """An entry; ``municipalities=()`` means the whole wellbeing area.

    ``last_reviewed`` defaults to today, so an entry is not overdue unless asked.
    """
    n = next(_seq)
    key = key or f"entry-{n}"
    title = title or f"Palvelu {n}"
    if last_reviewed == "today":
        last_reviewed = timezone.localdate()
    created = Entry.objects.create(
        key=key,
        kind=kind,
        title=title,
        title_fi=title,
        summary=summary,
        summary_fi=summary,
        last_reviewed=last_reviewed,
        **fields,
    )
    if lines:
        created.service_lines.set([x if isinstance(x, ServiceLine) else line(x) for x in lines])
    if municipalities:
        created.municipalities.set(_municipalities(municipalities))
    return created


def contact(
    for_entry: Entry,
    *,
    municipality: str | Municipality | None = None,
    municipalities: Iterable[str | Municipality] = (),
    label: str = "Asiakasohjaus",
    phone: str = "05 000 2000",
    **fields: Any,
) -> Contact:
    """A contact serving ``municipality`` and/or ``municipalities`` (none: the whole area)."""
    made = Contact.objects.create(
        entry=for_entry,
        label=label,
        label_fi=label,
        phone=phone,
        **fields,
    )
    served = [*([municipality] if municipality is not None else []), *municipalities]
    made.municipalities.set(
        [m if isinstance(m, Municipality) else Municipality.objects.get(code=m) for m in served]
    )
    return made


def problem_report(
    for_entry: Entry,
    *,
    reporter: Any = None,
    what_is_wrong: str = "Puhelinnumero on vanha.",
    status: str = ProblemReport.Status.OPEN,
    **fields: Any,
) -> ProblemReport:
    return ProblemReport.objects.create(
        entry=for_entry, reporter=reporter, what_is_wrong=what_is_wrong, status=status, **fields
    )
