from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from apps.core import privacy

# Valid codes (checksum verified) across every century sign, including the 2023 ones.
VALID = [
    "131052-308T",   # 1900s, classic example
    "131052Y308T",   # 1900s, new sign Y
    "131052X308T", "131052W308T", "131052V308T", "131052U308T",
    "010594Y9032",
    "010101A123N",   # 2000s, sign A
    "010101B123N", "010101C123N", "010101D123N", "010101E123N", "010101F123N",
    "010101+123N",   # 1800s
]
INVALID = [
    "131052-308U",   # wrong check character
    "311152-308T",   # 31 Nov does not exist... checksum also differs
    "131352-308T",   # month 13
    "131052G308T",   # G is not a century sign
    "1310523308T",   # digit as separator
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
