"""One PTV import run: for each followed organisation, bring its name onto the catalogue's
organisation (``services.organisation_sync_from_ptv``), fetch its services page by page
and their channels, map each service and hand it to ``services.entry_sync_from_ptv``,
filed under that organisation. A service listed by two followed organisations is imported
once, under the first.

Each service is written in its own transaction: a malformed record or a channel that
cannot be fetched is reported (PTV id and field) and leaves that entry as it was; the
others import. Entries whose service is gone from PTV are marked removed only after a
run that read every page of every organisation.
"""

from __future__ import annotations

import logging
import uuid
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError

from apps.catalogue import selectors, services

from .client import PtvClient, PtvError, PtvNotFound
from .mapping import PtvRecordError, channel_ids, map_organisation, map_service, service_id

logger = logging.getLogger(__name__)


@dataclass
class PtvImportReport:
    counts: Counter[str] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)  # "<ptv id>: <field>: <message>"
    complete: bool = True  # every page of every organisation was read

    def summary(self) -> str:
        order = ("created", "updated", "marked", "unchanged", "skipped", "removed", "failed")
        text = ", ".join(f"{name} {self.counts[name]}" for name in order)
        organisations = ", ".join(
            f"{name} {self.counts[f'organisation_{name}']}"
            for name in ("created", "updated", "unchanged", "failed")
        )
        return f"{text}; organisations: {organisations}"


def import_ptv(
    client: PtvClient, *, organisations: Iterable[str], service_line: str
) -> PtvImportReport:
    with services.ptv_sync_lock() as acquired:
        if not acquired:
            report = PtvImportReport(complete=False)
            report.errors.append("another PTV import is running; nothing done")
            return report
        return _import_ptv(client, organisations=organisations, service_line=service_line)


def _import_ptv(
    client: PtvClient, *, organisations: Iterable[str], service_line: str
) -> PtvImportReport:
    report = PtvImportReport()
    known = {m.code for m in selectors.municipality_list()}
    channels: dict[str, dict[str, Any] | None] = {}
    seen: set[uuid.UUID] = set()
    for organisation in organisations:
        organisation_key = _organisation(client, organisation, report)
        try:
            for page in client.organisation_services(organisation):
                for service in page:
                    _import_one(
                        client,
                        service,
                        channels,
                        known,
                        service_line,
                        organisation_key,
                        seen,
                        report,
                    )
        except PtvError as exc:
            report.complete = False
            report.errors.append(f"{organisation}: services: {exc}")
            logger.warning("ptv import: organisation %s: %s", organisation, exc)
    if report.complete:
        report.counts["removed"] = services.entries_mark_removed_from_ptv(seen=seen)
    return report


def _organisation(client: PtvClient, organisation: str, report: PtvImportReport) -> str | None:
    """The catalogue key of the followed organisation, its name brought up to date from
    PTV; None when its record cannot be read (reported; its entries keep theirs)."""
    try:
        mapped = map_organisation(client.organisation(organisation))
        org, outcome = services.organisation_sync_from_ptv(
            ptv_id=mapped.ptv_id, name=mapped.name, kind=mapped.kind
        )
    except PtvRecordError as exc:
        detail = f"{exc.field}: {exc.message}"
    except PtvError as exc:
        detail = f"organisation: {exc}"
    except ValidationError as exc:
        detail = "; ".join(exc.messages)
    else:
        report.counts[f"organisation_{outcome}"] += 1
        return org.key
    report.counts["organisation_failed"] += 1
    report.errors.append(f"{organisation}: {detail}")
    logger.warning("ptv import: organisation %s: %s", organisation, detail)
    return None


def _channel(client: PtvClient, channel_id: str, cache: dict[str, dict[str, Any] | None]) -> Any:
    if channel_id not in cache:
        try:
            cache[channel_id] = client.service_channel(channel_id)
        except PtvNotFound:
            cache[channel_id] = None
    return cache[channel_id]


def _import_one(
    client: PtvClient,
    service: dict[str, Any],
    cache: dict[str, dict[str, Any] | None],
    known: set[str],
    service_line: str,
    organisation_key: str | None,
    seen: set[uuid.UUID],
    report: PtvImportReport,
) -> None:
    ptv_id = str(service.get("id"))
    try:
        sid = service_id(service)
        if sid in seen:
            return  # listed by an organisation before this one: imported under that one
        # Seen before anything else can fail: a service that failed is still in PTV and
        # must not be marked removed.
        seen.add(sid)
        channels = {}
        for channel_id in channel_ids(service):
            channel = _channel(client, channel_id, cache)
            if channel is not None:
                channels[channel_id] = channel
        mapped = map_service(service, channels, known_municipalities=known)
        data = mapped.data
        if organisation_key is not None:
            data = {**data, "organisation": organisation_key}
        outcome = services.entry_sync_from_ptv(
            ptv_id=mapped.ptv_id,
            data=data,
            status=mapped.status,
            modified=mapped.modified,
            service_line=service_line,
        )
    except PtvRecordError as exc:
        where = "" if exc.ptv_id == ptv_id else f"channel {exc.ptv_id}: "
        _failed(report, ptv_id, f"{where}{exc.field}: {exc.message}", service)
        return
    except PtvError as exc:
        _failed(report, ptv_id, f"serviceChannels: {exc}", service)
        return
    except ValidationError as exc:
        fields = exc.message_dict if hasattr(exc, "error_dict") else {"entry": exc.messages}
        detail = "; ".join(f"{name}: {' '.join(msgs)}" for name, msgs in fields.items())
        _failed(report, ptv_id, detail, service)
        return
    report.counts[outcome] += 1


def _failed(report: PtvImportReport, ptv_id: str, detail: str, service: dict[str, Any]) -> None:
    report.counts["failed"] += 1
    report.errors.append(f"{ptv_id}: {detail}")
    logger.warning("ptv import: %s: %s", ptv_id, detail)
    try:
        service_id(service)
    except PtvRecordError:
        report.complete = False  # an unknown service: nothing may be marked removed
