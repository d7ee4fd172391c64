"""PTV Open API v11 JSON → one entry in the catalogue interchange shape (pure functions).

A service (``V11VmOpenApiService``) gives the texts, the municipalities and the ids of
its channels; its channels (``V11VmOpenApiPhoneChannel``, ``…ServiceLocationChannel``,
``…WebPageChannel``, ``…ElectronicChannel``) give the contacts and the online links; a
followed organisation (``V10VmOpenApiOrganization``, served by the v11 API) gives the name
of the catalogue organisation its services are filed under.

Only the fields PTV owns are produced (``PTV_FIELDS``); the intranet's own fields (key,
service lines, keywords, owner, review dates…) are kept by the sync. A record that cannot
be read raises :class:`PtvRecordError` naming the PTV id and the field.
"""

from __future__ import annotations

import datetime
import uuid
import zoneinfo
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from apps.catalogue import opening_hours

HELSINKI = zoneinfo.ZoneInfo("Europe/Helsinki")
LANGUAGES = ("fi", "sv", "en")
# The entry fields a sync takes from PTV; every other field is the intranet's own.
PTV_FIELDS = (
    "title",
    "summary",
    "body",
    "eligibility",
    "how_to_apply",
    "fees",
    "municipalities",
    "contacts",
    "legal_basis",
)
WEEKDAYS = {
    "monday": "mon",
    "tuesday": "tue",
    "wednesday": "wed",
    "thursday": "thu",
    "friday": "fri",
    "saturday": "sat",
    "sunday": "sun",
}
NATIONWIDE = {"Nationwide", "NationwideExceptAlandIslands"}
# publishingStatus → Entry.PtvStatus
STATUSES = {
    "Published": "published",
    "Modified": "published",
    "Archived": "archived",
    "Deleted": "archived",
    "OldPublished": "archived",
    "Removed": "removed",
}
CHARGE = {
    "Chargeable": {"fi": "Maksullinen.", "sv": "Avgiftsbelagd.", "en": "Subject to a charge."},
    "FreeOfCharge": {"fi": "Maksuton.", "sv": "Avgiftsfri.", "en": "Free of charge."},
}
PHONE_CHARGE = {
    "Chargeable": {"fi": "maksullinen", "sv": "avgiftsbelagd", "en": "charged"},
    "FreeOfCharge": {"fi": "maksuton", "sv": "avgiftsfri", "en": "free"},
}
ONLINE = {"fi": "Asiointi verkossa", "sv": "E-tjänst", "en": "Online"}
CONTACT_TEXT_MAX = 300
PHONE_MAX = 50


# organizationType → Organisation.Kind (set when the organisation is first imported).
ORGANISATION_KINDS = {
    "Region": "wellbeing_area",  # hyvinvointialue
    "SotePublic": "wellbeing_area",
    "RegionalOrganization": "wellbeing_area",
    "Municipality": "municipality",
    "State": "state",
    "Organization": "association",
    "Company": "company",
    "SotePrivate": "company",
}


class PtvRecordError(ValueError):
    """A PTV record that cannot be mapped: ``ptv_id``, ``field`` and what is wrong."""

    def __init__(self, ptv_id: str, field: str, message: str) -> None:
        super().__init__(f"{ptv_id}: {field}: {message}")
        self.ptv_id = ptv_id
        self.field = field
        self.message = message


@dataclass
class MappedService:
    ptv_id: uuid.UUID
    status: str  # Entry.PtvStatus value
    modified: datetime.datetime | None
    data: dict[str, Any] = field(default_factory=dict)  # PTV_FIELDS, interchange-shaped


@dataclass
class MappedOrganisation:
    ptv_id: uuid.UUID
    name: dict[str, str]  # fi/sv/en, those PTV has
    kind: str  # Organisation.Kind value


def map_organisation(organisation: Mapping[str, Any]) -> MappedOrganisation:
    """A PTV organisation as the catalogue organisation's name and kind."""
    pid = str(organisation.get("id"))
    try:
        ptv_id = uuid.UUID(pid)
    except ValueError as exc:
        raise PtvRecordError(pid, "id", "not a UUID") from exc
    name = _texts(organisation, "organizationNames", pid, kind="Name")
    if not name.get("fi"):
        raise PtvRecordError(pid, "organizationNames", "no Finnish name")
    kind = ORGANISATION_KINDS.get(str(organisation.get("organizationType") or ""), "wellbeing_area")
    return MappedOrganisation(ptv_id=ptv_id, name={k: _cut(v) for k, v in name.items()}, kind=kind)


def service_id(service: Mapping[str, Any]) -> uuid.UUID:
    try:
        return uuid.UUID(str(service.get("id")))
    except ValueError as exc:
        raise PtvRecordError(str(service.get("id")), "id", "not a UUID") from exc


def channel_ids(service: Mapping[str, Any]) -> list[str]:
    """The ids of the service's channels, in PTV's order."""
    ptv_id = str(service.get("id"))
    links = _list(service, "serviceChannels", ptv_id)
    ids = []
    for i, link in enumerate(links):
        channel = link.get("serviceChannel") if isinstance(link, Mapping) else None
        if not isinstance(channel, Mapping) or not channel.get("id"):
            raise PtvRecordError(ptv_id, f"serviceChannels[{i}].serviceChannel.id", "missing")
        ids.append(str(channel["id"]))
    return ids


def map_service(
    service: Mapping[str, Any],
    channels: Mapping[str, Mapping[str, Any]],
    *,
    known_municipalities: Collection[str],
) -> MappedService:
    """One PTV service (and its fetched channels, by id) as an interchange entry's PTV
    fields. ``known_municipalities``: the area's municipality codes."""
    ptv_id = service_id(service)
    pid = str(ptv_id)
    status = STATUSES.get(str(service.get("publishingStatus") or "Published"))
    if status is None:
        raise PtvRecordError(
            pid, "publishingStatus", f"unknown {service.get('publishingStatus')!r}"
        )
    modified = _datetime(service.get("modified"), pid, "modified")

    names = _texts(service, "serviceNames", pid, kind="Name")
    if not names.get("fi"):
        raise PtvRecordError(pid, "serviceNames", "no Finnish name")
    summary = _texts(service, "serviceDescriptions", pid, kind="Summary")
    if not summary.get("fi"):
        raise PtvRecordError(pid, "serviceDescriptions.Summary", "no Finnish summary")

    how_to_apply = _texts(service, "serviceDescriptions", pid, kind="UserInstruction")
    contacts: list[dict[str, Any]] = []
    online: list[tuple[dict[str, str], str]] = []
    for channel_id in channel_ids(service):
        channel = channels.get(channel_id)
        if channel is None:  # not published (any more): PTV lists it, the API hides it
            continue
        contacts.extend(_channel_contacts(channel, known_municipalities))
        online.extend(_channel_links(channel))
    if online:
        how_to_apply = _join(how_to_apply, _links_markdown(online))

    fees = _join(
        CHARGE.get(str(service.get("serviceChargeType") or ""), {}),
        _texts(service, "serviceDescriptions", pid, kind="ChargeTypeAdditionalInfo"),
    )
    data: dict[str, Any] = {
        "title": names,
        "summary": summary,
        "body": _texts(service, "serviceDescriptions", pid, kind="Description"),
        "eligibility": _texts(service, "requirements", pid),
        "how_to_apply": how_to_apply,
        "fees": fees,
        "municipalities": _municipalities(service, pid, "areas", known_municipalities),
        "contacts": contacts,
        "legal_basis": _legislation(service, pid),
    }
    return MappedService(ptv_id=ptv_id, status=status, modified=modified, data=data)


# --- Helpers ------------------------------------------------------------------------------


def _list(obj: Mapping[str, Any], name: str, pid: str) -> list[Any]:
    value = obj.get(name)
    if value is None:
        return []
    if not isinstance(value, list):
        raise PtvRecordError(pid, name, "not a list")
    return value


def _texts(
    obj: Mapping[str, Any], name: str, pid: str, *, kind: str | None = None
) -> dict[str, str]:
    """``[{"language": "fi", "value": "…", "type": kind}, …]`` → ``{"fi": "…"}``."""
    out: dict[str, str] = {}
    for i, item in enumerate(_list(obj, name, pid)):
        if not isinstance(item, Mapping):
            raise PtvRecordError(pid, f"{name}[{i}]", "not an object")
        if kind is not None and item.get("type") != kind:
            continue
        language, value = item.get("language"), item.get("value")
        if value is not None and not isinstance(value, str):
            raise PtvRecordError(pid, f"{name}[{i}].value", "not a string")
        if language in LANGUAGES and value and value.strip() and language not in out:
            out[str(language)] = value.strip()
    return out


def _join(*parts: Mapping[str, str], sep: str = "\n\n") -> dict[str, str]:
    out: dict[str, str] = {}
    for part in parts:
        for language, text in part.items():
            out[language] = f"{out[language]}{sep}{text}" if language in out else text
    return out


def _first(texts: Mapping[str, str]) -> str:
    for language in LANGUAGES:
        if texts.get(language):
            return texts[language]
    return ""


def _cut(text: str, limit: int = CONTACT_TEXT_MAX) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _datetime(value: Any, pid: str, name: str) -> datetime.datetime | None:
    if value in (None, ""):
        return None
    try:
        moment = datetime.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError as exc:
        raise PtvRecordError(pid, name, f"not a date and time: {value!r}") from exc
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.UTC)
    return moment


def _date(value: Any, pid: str, name: str) -> str | None:
    moment = _datetime(value, pid, name)
    if moment is None:
        return None
    return moment.astimezone(HELSINKI).date().isoformat()


def _municipalities(
    obj: Mapping[str, Any], pid: str, name: str, known: Collection[str]
) -> list[str]:
    """``areaType``/``areas`` → the area's municipality codes it covers; [] for the whole
    area (nationwide, or every municipality of the area listed)."""
    if obj.get("areaType") in NATIONWIDE or not obj.get("areaType"):
        return []
    codes: list[str] = []
    for i, area in enumerate(_list(obj, name, pid)):
        if not isinstance(area, Mapping):
            raise PtvRecordError(pid, f"{name}[{i}]", "not an object")
        if area.get("type") == "Municipality":
            codes.append(str(area.get("code") or ""))
        for m in _list(area, "municipalities", pid):
            if isinstance(m, Mapping):
                codes.append(str(m.get("code") or ""))
    ours = sorted({c for c in codes if c in known})
    if not ours:
        raise PtvRecordError(pid, name, "none of the area's municipalities")
    return [] if set(known) <= set(ours) else ours


def _legislation(service: Mapping[str, Any], pid: str) -> list[str]:
    out: list[str] = []
    for i, law in enumerate(_list(service, "legislation", pid)):
        if not isinstance(law, Mapping):
            raise PtvRecordError(pid, f"legislation[{i}]", "not an object")
        name = _first(_texts(law, "names", pid))
        if name and name not in out:
            out.append(_cut(name))
    return out


# --- Channels → contacts --------------------------------------------------------------------


def _channel_contacts(channel: Mapping[str, Any], known: Collection[str]) -> list[dict[str, Any]]:
    kind = channel.get("serviceChannelType")
    if kind not in ("Phone", "ServiceLocation"):
        return []
    cid = str(channel.get("id"))
    name = _texts(channel, "serviceChannelNames", cid, kind="Name")
    hours, note = service_hours(channel, cid)
    municipalities = _municipalities(channel, cid, "areas", known) if kind == "Phone" else []
    emails = [e.get("value") for e in _list(channel, "emails", cid) if isinstance(e, Mapping)]
    email = next((str(e) for e in emails if e), "")
    phones = [p for p in _list(channel, "phoneNumbers", cid) if isinstance(p, Mapping)]
    base = {
        "hours": {k: _cut(v) for k, v in note.items()},
        "opening_hours": hours,
        "municipalities": municipalities,
    }
    if kind == "ServiceLocation":
        phone = _phone(phones[0], cid) if phones else ""
        label = name
        if phones:
            label = _phone_label(name, phones[0])
        return [
            {
                **base,
                "label": {k: _cut(v) for k, v in label.items()},
                "phone": phone,
                "email": email,
                "address": _address(channel, cid),
            }
        ]
    contacts = []
    for i, number in enumerate(phones):
        contacts.append(
            {
                **base,
                "label": {k: _cut(v) for k, v in _phone_label(name, number).items()},
                "phone": _phone(number, cid),
                "email": email if i == 0 else "",
                "address": "",
            }
        )
    return contacts


def _phone(number: Mapping[str, Any], cid: str) -> str:
    digits = str(number.get("number") or "").strip()
    if not digits:
        raise PtvRecordError(cid, "phoneNumbers.number", "missing")
    prefix = str(number.get("prefixNumber") or "").strip()
    text = digits if number.get("isFinnishServiceNumber") or not prefix else f"{prefix} {digits}"
    if len(text) > PHONE_MAX:
        raise PtvRecordError(cid, "phoneNumbers.number", "too long")
    return text


def _phone_label(name: Mapping[str, str], number: Mapping[str, Any]) -> dict[str, str]:
    """The channel's name with the call's price: "Asiakasohjaus (maksullinen: 8,35 c/min)"."""
    charge = PHONE_CHARGE.get(str(number.get("serviceChargeType") or ""), {})
    description = str(number.get("chargeDescription") or "").strip()
    info = str(number.get("additionalInformation") or "").strip()
    out: dict[str, str] = {}
    for language in LANGUAGES:
        label = name.get(language) or (name.get("fi") if language == "fi" else "")
        if not label:
            continue
        extra = ", ".join(
            x for x in (info if language == "fi" else "", charge.get(language, "")) if x
        )
        if description and language == "fi":
            extra = f"{extra}: {description}" if extra else description
        out[language] = f"{label} ({extra})" if extra else label
    return out


def _address(channel: Mapping[str, Any], cid: str) -> str:
    """The visiting address (``type`` Location/Visiting) as one line."""
    addresses = [a for a in _list(channel, "addresses", cid) if isinstance(a, Mapping)]
    for address in sorted(addresses, key=lambda a: a.get("type") not in ("Location", "Visiting")):
        street = address.get("streetAddress")
        if not isinstance(street, Mapping):
            continue
        name = _first(_texts(street, "street", cid))
        number = str(street.get("streetNumber") or "").strip()
        postal = str(street.get("postalCode") or "").strip()
        office = _first(_texts(street, "postOffice", cid))
        line = " ".join(x for x in (name, number) if x)
        place = " ".join(x for x in (postal, office) if x)
        text = ", ".join(x for x in (line, place) if x)
        if text:
            return _cut(text)
    return ""


def _channel_links(channel: Mapping[str, Any]) -> list[tuple[dict[str, str], str]]:
    if channel.get("serviceChannelType") not in ("WebPage", "EChannel"):
        return []
    cid = str(channel.get("id"))
    name = _texts(channel, "serviceChannelNames", cid, kind="Name")
    links: list[tuple[dict[str, str], str]] = []
    for item in _list(channel, "webPages", cid) + _list(channel, "urls", cid):
        url = str(item.get("url") or item.get("value") or "") if isinstance(item, Mapping) else ""
        if url.startswith(("https://", "http://")) and url not in [u for _, u in links]:
            links.append((name, url))
    return links


def _links_markdown(links: Iterable[tuple[dict[str, str], str]]) -> dict[str, str]:
    out: dict[str, list[str]] = {}
    for name, url in links:
        for language in LANGUAGES:
            label = name.get(language) or name.get("fi") or url
            label = label.replace("[", "(").replace("]", ")")
            out.setdefault(language, []).append(f"- [{label}]({url})")
    return {k: f"{ONLINE[k]}:\n\n" + "\n".join(v) for k, v in out.items()}


# --- Service hours → opening_hours ----------------------------------------------------------


def _clock(value: Any, cid: str, name: str) -> int:
    text = str(value or "")
    parts = text.split(":")
    try:
        hours, minutes = int(parts[0]), int(parts[1])
    except (ValueError, IndexError) as exc:
        raise PtvRecordError(cid, name, f"not a time: {value!r}") from exc
    if not (0 <= hours <= 24 and 0 <= minutes < 60) or (hours == 24 and minutes):
        raise PtvRecordError(cid, name, f"not a time: {value!r}")
    return hours * 60 + minutes


def _range(start: int, end: int) -> str:
    if start == end == 0:
        end = 24 * 60  # 00:00-00:00: around the clock
    return f"{start // 60:02d}:{start % 60:02d}-{end // 60:02d}:{end % 60:02d}"


def service_hours(channel: Mapping[str, Any], cid: str) -> tuple[dict[str, Any], dict[str, str]]:
    """A channel's ``serviceHours`` as structured ``opening_hours`` and the note in words
    (their ``additionalInformation``)."""
    # Regular hours (and over-midnight ones) of the same validity are one weekly period.
    weekly: dict[tuple[str | None, str | None], dict[str, list[str]]] = {}
    exceptions: list[dict[str, Any]] = []
    notes: list[dict[str, str]] = []
    items = _list(channel, "serviceHours", cid)
    items = sorted(
        (h for h in items if isinstance(h, Mapping)), key=lambda h: h.get("orderNumber") or 0
    )
    for i, hour in enumerate(items):
        path = f"serviceHours[{i}]"
        kind = hour.get("serviceHourType")
        notes.append(_texts(hour, "additionalInformation", cid))
        start = None if hour.get("validForNow") else _date(hour.get("validFrom"), cid, path)
        end = None if hour.get("validForNow") else _date(hour.get("validTo"), cid, path)
        openings = [o for o in _list(hour, "openingHour", cid) if isinstance(o, Mapping)]
        if kind in ("DaysOfTheWeek", "OverMidnight", "Standard", "Special"):
            days: dict[str, list[str]] = {}
            if hour.get("isAlwaysOpen") or hour.get("isNonStop"):
                days = {d: ["00:00-24:00"] for d in WEEKDAYS.values()}
            elif not hour.get("isClosed"):
                for j, o in enumerate(openings):
                    day = WEEKDAYS.get(str(o.get("dayFrom") or "").lower())
                    if day is None:
                        raise PtvRecordError(cid, f"{path}.openingHour[{j}].dayFrom", "unknown day")
                    begin = _clock(o.get("from"), cid, f"{path}.openingHour[{j}].from")
                    finish = _clock(o.get("to"), cid, f"{path}.openingHour[{j}].to")
                    days.setdefault(day, []).append(_range(begin, finish))
            period = weekly.setdefault((start, end), {})
            for day, ranges in days.items():
                period.setdefault(day, []).extend(ranges)
        elif kind == "Exceptional":
            if not start:
                raise PtvRecordError(cid, f"{path}.validFrom", "missing")
            exception: dict[str, Any] = {"from": start}
            if end and end != start:
                exception["to"] = end
            ranges = [
                _range(
                    _clock(o.get("from"), cid, f"{path}.openingHour[{j}].from"),
                    _clock(o.get("to"), cid, f"{path}.openingHour[{j}].to"),
                )
                for j, o in enumerate(openings)
            ]
            if hour.get("isClosed") or not ranges:
                exception["closed"] = True
            else:
                exception["hours"] = ranges
            exceptions.append(exception)
        else:
            raise PtvRecordError(cid, f"{path}.serviceHourType", f"unknown {kind!r}")
    value: dict[str, Any] = {}
    if weekly:
        value["weekly"] = [
            {"days": days} | ({"from": start} if start else {}) | ({"to": end} if end else {})
            for (start, end), days in weekly.items()
        ]
    if exceptions:
        value["exceptions"] = exceptions
    errors = opening_hours.validate(value)
    if errors:
        raise PtvRecordError(cid, "serviceHours", "; ".join(errors))
    note = _join(*notes, sep="; ")
    return dict(opening_hours.canonical(value)), note
