"""The personal-data guard every app uses.

No customer personal data belongs in the intranet. A valid Finnish personal identity
code (henkilötunnus) in posted text is refused; a phone number outside a field made
for it earns a warning. Both are also scrubbed from stored search queries.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Century signs: + (1800s), - Y X W V U (1900s), A B C D E F (2000s); the 2023 reform
# added Y X W V U and B C D E F beside the old - and A.
_CENTURY = {
    "+": 1800,
    "-": 1900,
    "Y": 1900,
    "X": 1900,
    "W": 1900,
    "V": 1900,
    "U": 1900,
    "A": 2000,
    "B": 2000,
    "C": 2000,
    "D": 2000,
    "E": 2000,
    "F": 2000,
}
_CHECK_CHARS = "0123456789ABCDEFHJKLMNPRSTUVWXY"
# Matched on the normalised text (``_normalise``): ASCII digits, "-" for every dash,
# " " for every space, format characters (zero-width, soft hyphen) dropped. People put a
# space around the century sign or before the check character, and glue the code to
# words ("asiakas010190-123Asoitti"), so letters may touch it; digits may not, so that a
# longer run of digits is never read as a code.
_HETU_RE = re.compile(
    r"(?<![0-9])([0-9]{2})([0-9]{2})([0-9]{2})[ ]{0,2}([-+A-FU-Y])[ ]{0,2}([0-9]{3})[ ]{0,2}"
    r"([0-9A-Y])(?![0-9])",
    re.IGNORECASE | re.ASCII,
)
# Minus and hyphen look-alikes that are not in Unicode's dash category (Pd).
_MINUS_SIGNS = frozenset("\u2212\u2796\u2043\u02d7\ufe63\uff0d")
# Finnish phone numbers as people write them: 040 123 4567, 0401234567, +358 40 123 4567,
# 05 123 4567, (05) 123 456. At least 7 digits once separators are dropped.
_PHONE_RE = re.compile(
    r"(?<![\w+])(?:\+358[\s-]?|\(?0\d{1,3}\)?[\s-]?)\d{2,4}(?:[\s-]?\d{2,4}){1,3}(?![\w])"
)


@dataclass(frozen=True)
class Match:
    """A find in the text as it was given: ``text[start:end]``. ``code`` is the
    henkilötunnus in its canonical form (``131052-308T``) for identity codes."""

    start: int
    end: int
    text: str
    code: str = ""


class _NormalTable(dict[int, str]):
    """``str.translate`` table, filled as characters are met: each character as the
    identity-code pattern reads it. NFKC (fullwidth digits and letters become ASCII),
    other decimal digits become 0–9, every dash and minus sign "-", every space and tab
    " ", and format characters (zero-width space and joiners, word joiner, BOM, soft
    hyphen, direction marks) are dropped."""

    def __missing__(self, code: int) -> str:
        if len(self) > 20_000:  # bounded, whatever characters are thrown at it
            self.clear()
        self[code] = value = _normal_char(chr(code))
        return value


def _normal_char(ch: str) -> str:
    if ch.isascii():
        return " " if ch == "\t" else ch
    out = []
    for n in unicodedata.normalize("NFKC", ch):
        category = unicodedata.category(n)
        if category == "Cf":
            continue
        if category == "Pd" or n in _MINUS_SIGNS:
            n = "-"
        elif category == "Zs" or n == "\t":
            n = " "
        elif category == "Nd":
            n = str(unicodedata.decimal(n))
        out.append(n)
    return "".join(out)


_NORMAL = _NormalTable()


def _original_positions(text: str) -> list[int]:
    """For each character of ``text.translate(_NORMAL)``, the index in ``text`` it came
    from (only computed when a code was found in a non-ASCII text)."""
    index: list[int] = []
    for i, ch in enumerate(text):
        index.extend([i] * len(_NORMAL[ord(ch)]))
    return index


def _valid_hetu(m: re.Match[str]) -> bool:
    dd, mm, yy, sign, serial, check = m.groups()
    sign, check = sign.upper(), check.upper()
    if sign not in _CENTURY:
        return False
    day, month = int(dd), int(mm)
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return False
    try:
        datetime.date(_CENTURY[sign] + int(yy), month, day)
    except ValueError:
        return False
    if serial == "000" or serial == "001":
        return False
    return _CHECK_CHARS[int(dd + mm + yy + serial) % 31] == check


def find_personal_identity_codes(text: str) -> list[Match]:
    """Every valid henkilötunnus in ``text`` (checksum and date verified), also as
    people and copy-paste really write it: Unicode dashes and spaces, zero-width
    characters inside, lower case, glued to words. Positions are in ``text`` itself."""
    if not text:
        return []
    ascii_only = text.isascii()
    normal = text.replace("\t", " ") if ascii_only else text.translate(_NORMAL)
    matches = [m for m in _HETU_RE.finditer(normal) if _valid_hetu(m)]
    if not matches:
        return []
    index = None if ascii_only else _original_positions(text)
    found = []
    for m in matches:
        start, end = m.start(), m.end()
        if index is not None:
            start, end = index[start], index[end - 1] + 1
        dd, mm, yy, sign, serial, check = m.groups()
        code = f"{dd}{mm}{yy}{sign}{serial}{check}".upper()
        found.append(Match(start, end, text[start:end], code))
    return found


def find_phone_numbers(text: str) -> list[Match]:
    out = []
    for m in _PHONE_RE.finditer(text or ""):
        digits = re.sub(r"\D", "", m.group(0))
        if 7 <= len(digits) <= 13:
            out.append(Match(m.start(), m.end(), m.group(0)))
    return out


def _masked(code: str) -> str:
    return code[:6] + code[6] + "****"


def _identity_code_error(text: str | None) -> ValidationError | None:
    found = find_personal_identity_codes(text or "")
    if not found:
        return None
    first = found[0]
    return ValidationError(
        _(
            "Teksti sisältää henkilötunnuksen (%(code)s, merkit %(start)s–%(end)s). "
            "Asiakkaan henkilötietoja ei saa tallentaa intranetiin: poista tunnus."
        ),
        code="personal_identity_code",
        params={"code": _masked(first.code), "start": first.start + 1, "end": first.end},
    )


def ensure_no_personal_identity_code(text: str | None, *, field: str) -> None:
    """Raise a ValidationError naming ``field`` if ``text`` holds a henkilötunnus."""
    error = _identity_code_error(text)
    if error is not None:
        raise ValidationError({field: error})


def validate_no_personal_identity_code(value: object) -> None:
    """Model-field validator: every free-text field of every model staff write to has it
    (``tests/core/test_model_text_fields.py`` checks), so ``full_clean`` (services,
    ModelForms, the Django admin) refuses a henkilötunnus whatever path the text takes."""
    if isinstance(value, str):
        error = _identity_code_error(value)
        if error is not None:
            raise error


def ensure_no_personal_data(fields: Mapping[str, str | None]) -> None:
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
    return {
        name: [m.text for m in find_phone_numbers(value or "")]
        for name, value in fields.items()
        if find_phone_numbers(value or "")
    }


def scrub(text: str) -> str:
    """Replace identity codes and phone numbers with placeholders (for stored logs)."""
    for m in reversed(find_personal_identity_codes(text)):
        text = text[: m.start] + "[hetu]" + text[m.end :]
    for m in reversed(find_phone_numbers(text)):
        text = text[: m.start] + "[puhelin]" + text[m.end :]
    return text
