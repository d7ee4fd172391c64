from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from apps.core import privacy

# Valid codes (checksum verified) across every century sign, including the 2023 ones.
VALID = [
    "131052-308T",  # 1900s, classic example
    "131052Y308T",  # 1900s, new sign Y
    "131052X308T",
    "131052W308T",
    "131052V308T",
    "131052U308T",
    "010594Y9032",
    "010101A123N",  # 2000s, sign A
    "010101B123N",
    "010101C123N",
    "010101D123N",
    "010101E123N",
    "010101F123N",
    "010101+123N",  # 1800s
]
INVALID = [
    "131052-308U",  # wrong check character
    "311152-308T",  # 31 Nov does not exist... checksum also differs
    "131352-308T",  # month 13
    "131052G308T",  # G is not a century sign
    "1310523308T",  # digit as separator
]


@pytest.mark.parametrize("code", VALID)
def test_find_personal_identity_codes_accepts_valid_codes(code):
    text = f"Asiakas {code} soitti."
    found = privacy.find_personal_identity_codes(text)
    assert [m.text for m in found] == [code]


@pytest.mark.parametrize("code", INVALID)
def test_find_personal_identity_codes_ignores_invalid_codes(code):
    assert privacy.find_personal_identity_codes(f"koodi {code} tässä") == []


def test_find_personal_identity_codes_lowercase_check_char():
    assert privacy.find_personal_identity_codes("131052-308t")


def test_ensure_no_personal_identity_code_names_field_and_masks_code():
    with pytest.raises(ValidationError) as exc:
        privacy.ensure_no_personal_identity_code("hetu 131052-308T", field="body")
    messages = exc.value.message_dict["body"]
    assert "131052-****" in messages[0]
    assert "308T" not in messages[0]


def test_ensure_no_personal_identity_code_allows_clean_text():
    privacy.ensure_no_personal_identity_code("Omaishoidon tuki, puh. 05 000 2000", field="x")


def test_ensure_no_personal_data_reports_every_field():
    with pytest.raises(ValidationError) as exc:
        privacy.ensure_no_personal_data(
            {"title": "010101A123N", "body": "ok", "lead": "131052-308T"}
        )
    assert set(exc.value.message_dict) == {"title", "lead"}


@pytest.mark.parametrize(
    "text",
    ["soita 040 123 4567", "numero 0401234567", "+358 40 123 4567", "puh. (05) 123 4567"],
)
def test_find_phone_numbers(text):
    assert privacy.find_phone_numbers(text)


@pytest.mark.parametrize("text", ["vuonna 2023", "laki 675/2023", "48100 Kotka"])
def test_find_phone_numbers_ignores_other_numbers(text):
    assert privacy.find_phone_numbers(text) == []


def test_scrub_replaces_codes_and_phones():
    assert privacy.scrub("131052-308T soitti 040 123 4567") == "[hetu] soitti [puhelin]"


# Codes as people and copy-paste really write them (issue 15: 18 of 50 slipped through).
TYPED = [
    "asiakas131052-308Tsoitti",  # glued to words
    "131052 - 308T",
    "131052 -308T",
    "131052- 308T",
    "131052-308 T",  # spaces
    "131052\u2013308T",  # en dash
    "131052\u2014308T",  # em dash
    "131052\u2011308T",  # non-breaking hyphen
    "131052\u2010308T",  # hyphen
    "131052\u2212308T",  # minus sign
    "131052\uff0d308T",  # fullwidth hyphen-minus
    "131052\u00a0-\u202f308T",  # no-break and narrow no-break spaces
    "1310\u200b52-308T",  # zero-width space inside
    "131052-\u2060308\u00adT",  # word joiner and soft hyphen inside
    "\ufeff131052-308t",  # BOM before, lower-case check character
    "010101a123n",  # lower-case century sign
    "１３１０５２－３０８Ｔ",  # fullwidth
]


@pytest.mark.parametrize("text", TYPED)
def test_find_personal_identity_codes_reads_codes_as_typed(text):
    found = privacy.find_personal_identity_codes(f"Asiakas {text} soitti.")
    assert len(found) == 1
    assert found[0].code in ("131052-308T", "010101A123N")


@pytest.mark.parametrize(
    "text",
    [
        "asiakas131052-308Usoitti",  # wrong check character, glued
        "131052\u2013308U",  # wrong check character, en dash
        "1131052-308T",  # inside a longer number
        "131052-308T4",  # a digit after the check character: a longer number
        "313052\u2013308T",  # 31 April... wrong checksum too
    ],
)
def test_find_personal_identity_codes_no_false_positives_when_normalised(text):
    assert privacy.find_personal_identity_codes(text) == []


def test_find_personal_identity_codes_positions_are_in_the_original_text():
    text = "x\u200b\u200by 1310\u200b52\u2013308T loppu"
    [match] = privacy.find_personal_identity_codes(text)
    assert text[match.start : match.end] == "1310\u200b52\u2013308T"
    assert privacy.scrub(text) == "x\u200b\u200by [hetu] loppu"


def test_ensure_no_personal_identity_code_masks_a_typed_code():
    with pytest.raises(ValidationError) as exc:
        privacy.ensure_no_personal_identity_code("ab 131052 – 308 t", field="body")
    message = exc.value.message_dict["body"][0]
    assert "131052-****" in message
    assert "merkit 4–17" in message


def test_validate_no_personal_identity_code_raises_field_error():
    with pytest.raises(ValidationError) as exc:
        privacy.validate_no_personal_identity_code("asiakas131052\u2011308Tsoitti")
    assert exc.value.code == "personal_identity_code"
    privacy.validate_no_personal_identity_code("Omaishoidon tuki 2026, laki 937/2005")
