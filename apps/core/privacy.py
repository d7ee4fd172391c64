"""The personal-data guard every app uses.

No customer personal data belongs in the intranet. A valid Finnish personal identity
code (henkilötunnus) in posted text is refused; a phone number outside a field made
for it earns a warning. Both are also scrubbed from stored search queries.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Century signs: + (1800s), - Y X W V U (1900s), A B C D E F (2000s); the 2023 reform
# added Y X W V U and B C D E F beside the old - and A.
_CENTURY = {
    "+": 1800,
    "-": 1900, "Y": 1900, "X": 1900, "W": 1900, "V": 1900, "U": 1900,
    "A": 2000, "B": 2000, "C": 2000, "D": 2000, "E": 2000, "F": 2000,
}
_CHECK_CHARS = "0123456789ABCDEFHJKLMNPRSTUVWXY"
_HETU_RE = re.compile(
    r"(?<![0-9A-Za-z])(\d{2})(\d{2})(\d{2})([-+A-FU-Y])(\d{3})([0-9A-Y])(?![0-9A-Za-z])",
    re.IGNORECASE,
)
# Finnish phone numbers as people write them: 040 123 4567, 0401234567, +358 40 123 4567,
# 05 123 4567, (05) 123 456. At least 7 digits once separators are dropped.
_PHONE_RE = re.compile(
    r"(?<![\w+])(?:\+358[\s-]?|\(?0\d{1,3}\)?[\s-]?)\d{2,4}(?:[\s-]?\d{2,4}){1,3}(?![\w])"
)


@dataclass(frozen=True)
class Match:
    start: int
    end: int
    text: str


def _valid_hetu(m: re.Match[str]) -> bool:
    dd, mm, yy, sign, serial, check = m.groups()
    sign, check = sign.upper(), check.upper()
    if sign not in _CENTURY:
        return False
    day, month = int(dd), int(mm)
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return False
    import datetime

    try:
        datetime.date(_CENTURY[sign] + int(yy), month, day)
    except ValueError:
        return False
    if serial == "000" or serial == "001":
        return False
    return _CHECK_CHARS[int(dd + mm + yy + serial) % 31] == check


def find_personal_identity_codes(text: str) -> list[Match]:
    """Every valid henkilötunnus in ``text`` (checksum and date verified)."""
    if not text:
        return []
    return [Match(m.start(), m.end(), m.group(0)) for m in _HETU_RE.finditer(text)
            if _valid_hetu(m)]


def find_phone_numbers(text: str) -> list[Match]:
    out = []
    for m in _PHONE_RE.finditer(text or ""):
        digits = re.sub(r"\D", "", m.group(0))
        if 7 <= len(digits) <= 13:
            out.append(Match(m.start(), m.end(), m.group(0)))
    return out


def _masked(code: str) -> str:
    return code[:6] + code[6] + "****"


def ensure_no_personal_identity_code(text: str | None, *, field: str) -> None:
    """Raise a ValidationError naming ``field`` if ``text`` holds a henkilötunnus."""
    found = find_personal_identity_codes(text or "")
    if found:
        first = found[0]
        raise ValidationError(
            {
                field: ValidationError(
                    _(
                        "Teksti sisältää henkilötunnuksen (%(code)s, merkit %(start)s–%(end)s). "
                        "Asiakkaan henkilötietoja ei saa tallentaa intranetiin: poista tunnus."
                    ),
                    code="personal_identity_code",
                    params={"code": _masked(first.text), "start": first.start + 1,
                            "end": first.end},
                )
            }
        )


def ensure_no_personal_data(fields: dict[str, str | None]) -> None:
    """Check several fields at once; every offending field is named in one error."""
    errors: dict[str, list[ValidationError]] = {}
    for name, value in fields.items():
        try:
            ensure_no_personal_identity_code(value, field=name)
        except ValidationError as exc:
            errors.update(exc.error_dict)
    if errors:
        raise ValidationError(errors)


def phone_number_warnings(fields: dict[str, str | None]) -> dict[str, list[str]]:
    """Phone numbers found per field, for a 'please remove' warning (not an error)."""
    return {name: [m.text for m in find_phone_numbers(value or "")]
            for name, value in fields.items() if find_phone_numbers(value or "")}


def scrub(text: str) -> str:
    """Replace identity codes and phone numbers with placeholders (for stored logs)."""
    for m in reversed(find_personal_identity_codes(text)):
        text = text[: m.start] + "[hetu]" + text[m.end:]
    for m in reversed(find_phone_numbers(text)):
        text = text[: m.start] + "[puhelin]" + text[m.end:]
    return text
