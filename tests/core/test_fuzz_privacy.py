"""Property tests of the personal-data guard, run in CI with a fixed budget.

Valid identity codes (every century sign) are embedded in text the way people and
copy-paste really write them: glued to words, Unicode dashes and spaces, zero-width
characters inside, fullwidth digits, lower case. The guard must find every one, and
never a code whose check character or date is wrong.
"""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.core import privacy

FUZZ = settings(
    derandomize=True,
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

CHECK_CHARS = "0123456789ABCDEFHJKLMNPRSTUVWXY"
SIGNS = {1800: "+", 1900: "-YXWVU", 2000: "ABCDEF"}
DASHES = [
    "-",
    "\u2010",
    "\u2011",
    "\u2012",
    "\u2013",
    "\u2014",
    "\u2015",
    "\u2212",
    "\ufe58",
    "\ufe63",
    "\uff0d",
]
SPACES = ["", "", " ", "\u00a0", "\u202f", "\u2009", "\u2007", "\u3000", "\t"]
ZERO_WIDTH = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u200e"]
FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")

# Text around a code: letters (so the code may be glued to a word), spaces and
# punctuation, but no digits, which would make the code part of a longer number.
surrounding = st.text(st.characters(categories=["L", "Zs", "P"]), max_size=30)


def check_char(digits: str) -> str:
    return CHECK_CHARS[int(digits) % 31]


@st.composite
def code_parts(draw, *, valid_date: bool = True) -> tuple[str, str, str, str]:
    """(date digits, century sign, serial, check character) of a code."""
    if valid_date:
        day = draw(st.dates(datetime.date(1800, 1, 1), datetime.date(2099, 12, 31)))
        century = day.year // 100 * 100
        ddmmyy = f"{day:%d%m}{day.year % 100:02d}"
    else:  # an impossible date: day 32–99, month 13–99, or 30 February
        century = draw(st.sampled_from(sorted(SIGNS)))
        dd, mm = draw(
            st.sampled_from(
                [
                    (draw(st.integers(32, 99)), draw(st.integers(1, 12))),
                    (draw(st.integers(1, 28)), draw(st.integers(13, 99))),
                    (30, 2),
                ]
            )
        )
        ddmmyy = f"{dd:02d}{mm:02d}{draw(st.integers(0, 99)):02d}"
    sign = draw(st.sampled_from(SIGNS[century]))
    serial = f"{draw(st.integers(2, 999)):03d}"
    return ddmmyy, sign, serial, check_char(ddmmyy + serial)


@st.composite
def as_typed(draw, parts: tuple[str, str, str, str]) -> str:
    """One code written as a person or a paste would: every variant the guard reads."""
    ddmmyy, sign, serial, check = parts
    if sign == "-":
        sign = draw(st.sampled_from(DASHES))
    elif draw(st.booleans()):
        sign = sign.lower()
    if draw(st.booleans()):
        check = check.lower()
    pieces = [
        ddmmyy,
        draw(st.sampled_from(SPACES)),
        sign,
        draw(st.sampled_from(SPACES)),
        serial,
        draw(st.sampled_from(SPACES)),
        check,
    ]
    text = "".join(pieces)
    if draw(st.booleans()):
        text = text.translate(FULLWIDTH)
    # Zero-width characters anywhere inside.
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(1, len(text) - 1))
        text = text[:at] + draw(st.sampled_from(ZERO_WIDTH)) + text[at:]
    return text


@FUZZ
@given(data=st.data(), before=surrounding, after=surrounding)
def test_every_valid_code_is_found_however_it_is_typed(data, before, after):
    parts = data.draw(code_parts())
    canonical = "".join(parts)
    typed = data.draw(as_typed(parts))
    text = f"{before}{typed}{after}"

    found = privacy.find_personal_identity_codes(text)

    assert [m.code for m in found] == [canonical]
    # The position is in the text as given: exactly the typed code.
    assert text[found[0].start : found[0].end] == typed.strip("".join(ZERO_WIDTH))
    scrubbed = privacy.scrub(text)
    assert "[hetu]" in scrubbed
    assert privacy.find_personal_identity_codes(scrubbed) == []


@FUZZ
@given(data=st.data(), before=surrounding, after=surrounding)
def test_a_wrong_check_character_is_never_found(data, before, after):
    ddmmyy, sign, serial, check = data.draw(code_parts())
    wrong = data.draw(st.sampled_from([c for c in CHECK_CHARS if c != check]))
    typed = data.draw(as_typed((ddmmyy, sign, serial, wrong)))
    assert privacy.find_personal_identity_codes(f"{before}{typed}{after}") == []


@FUZZ
@given(data=st.data(), before=surrounding, after=surrounding)
def test_an_impossible_date_is_never_found(data, before, after):
    typed = data.draw(as_typed(data.draw(code_parts(valid_date=False))))
    assert privacy.find_personal_identity_codes(f"{before}{typed}{after}") == []


@FUZZ
@given(data=st.data())
def test_a_code_inside_a_longer_digit_run_is_not_read_as_a_code(data):
    ddmmyy, sign, serial, check = data.draw(code_parts())
    digit = str(data.draw(st.integers(0, 9)))
    assert privacy.find_personal_identity_codes(f"{digit}{ddmmyy}{sign}{serial}{check}") == []
    if check.isdigit():
        assert privacy.find_personal_identity_codes(f"{ddmmyy}{sign}{serial}{check}{digit}") == []


@FUZZ
@given(data=st.data(), before=surrounding, after=surrounding)
def test_the_model_validator_refuses_every_typed_code(data, before, after):
    typed = data.draw(as_typed(data.draw(code_parts())))
    with pytest.raises(ValidationError) as exc:
        privacy.validate_no_personal_identity_code(f"{before}{typed}{after}")
    assert exc.value.code == "personal_identity_code"
    assert "****" in exc.value.messages[0]
