"""Dates follow the reader's language: templates and messages format dates with the
active locale's formats (Finnish 7.12.2026, Swedish 2026-12-07, English 12/07/2026),
never a format spelled out in one language's order."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
from django.template import engines
from django.utils import translation

ROOT = Path(__file__).resolve().parents[2]
# Machine formats are allowed: ISO for datetime="" attributes and form values.
MACHINE_FORMATS = {"c", "Y-m-d", "U"}
LOCALE_FORMATS = {
    "DATE_FORMAT",
    "SHORT_DATE_FORMAT",
    "DATETIME_FORMAT",
    "SHORT_DATETIME_FORMAT",
    "TIME_FORMAT",
    "MONTH_DAY_FORMAT",
    "YEAR_MONTH_FORMAT",
}
DATE_FILTER = re.compile(r"""\|(?:date|time):(["'])(?P<format>[^"']*)\1""")
STRFTIME = re.compile(r"""strftime\(\s*["'](?P<format>[^"']*)["']""")


def test_templates_format_dates_by_the_active_locale():
    wrong = []
    for path in sorted((ROOT / "templates").rglob("*")):
        if not path.is_file():
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            for match in DATE_FILTER.finditer(line):
                fmt = match["format"]
                if fmt not in LOCALE_FORMATS | MACHINE_FORMATS:
                    wrong.append(f"{path.relative_to(ROOT)}:{number}: {fmt}")
    assert not wrong, "dates in a fixed language's order:\n" + "\n".join(wrong)


def test_views_format_dates_by_the_active_locale():
    """What people read is formatted with django.utils.formats; strftime only for
    machine formats (ISO) and stored records."""
    wrong = []
    for path in sorted((ROOT / "apps").rglob("views*.py")) + sorted(
        (ROOT / "apps").rglob("views/*.py")
    ):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            for match in STRFTIME.finditer(line):
                if match["format"] not in ("%Y-%m-%d", "%Y-%m-%dT%H:%M:%S"):
                    wrong.append(f"{path.relative_to(ROOT)}:{number}: {match['format']}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize(
    ("language", "expected"),
    [("fi", "7.12.2026"), ("sv", "2026-12-07"), ("en", "12/07/2026")],
)
def test_a_date_reads_in_the_language_of_the_page(language, expected):
    template = engines["django"].from_string('{{ day|date:"SHORT_DATE_FORMAT" }}')
    with translation.override(language):
        assert template.render({"day": datetime.date(2026, 12, 7)}) == expected
