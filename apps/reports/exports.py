"""A finished run as tables, and as CSV and XLSX files."""

from __future__ import annotations

import csv
import datetime
import io
import re
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from .kinds import module
from .kinds.base import Column, Table

if TYPE_CHECKING:
    from .models import Report

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")


def report_tables(report: Report) -> list[Table]:
    if not report.figures:
        return []
    return module(report.kind).tables(report.figures)


def _fmt(column: Column, row: dict[str, Any]) -> str:
    return row.get("fmt", "int") if column.fmt == "auto" else column.fmt


def duration_text(value: float | None) -> str:
    if value is None:
        return "–"
    minutes = round(value / 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        return _("%(d)s pv %(h)s h") % {"d": days, "h": hours}
    if hours:
        return _("%(h)s h %(m)s min") % {"h": hours, "m": minutes}
    return _("%(m)s min") % {"m": minutes}


def display(value: Any, fmt: str) -> str:
    """A value as the page and the CSV show it (Finnish number format)."""
    if value is None or value == "":
        return "–" if fmt != "text" else ""
    if fmt == "int":
        return number_format(value, force_grouping=True)
    if fmt == "pct":
        return f"{number_format(round(value * 100, 1), decimal_pos=1)} %"
    if fmt == "duration":
        return duration_text(value)
    if fmt == "eur":
        return f"{number_format(value, force_grouping=True)} €"
    if fmt == "change":
        return f"+{value}" if value > 0 else ("0" if value == 0 else f"−{abs(value)}")
    if fmt == "date":
        return date_format(datetime.date.fromisoformat(value), "j.n.Y")
    return str(value)


def cell(column: Column, row: dict[str, Any]) -> str:
    return display(row.get(column.key), _fmt(column, row))


def _safe_text(text: str) -> str:
    """Free text (a topic, a search query) never starts a spreadsheet formula."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def filename(report: Report, extension: str) -> str:
    return (
        f"neuvokas-{report.kind.replace('_', '-')}-{report.period_start:%Y%m%d}-"
        f"{report.period_end:%Y%m%d}.{extension}"
    )


def to_csv(report: Report) -> str:
    """Semicolon-separated, Finnish number format, a BOM so Excel reads UTF-8."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([_("Raportti"), report.get_kind_display()])
    writer.writerow([_("Jakso"), report.period.label()])
    for table in report_tables(report):
        writer.writerow([])
        writer.writerow([str(table.title)])
        writer.writerow([str(c.label) for c in table.columns])
        for row in table.rows:
            writer.writerow(
                [
                    _safe_text(cell(c, row)) if c.fmt == "text" else cell(c, row)
                    for c in table.columns
                ]
            )
    return out.getvalue()


def _xlsx_value(value: Any, fmt: str) -> tuple[Any, str | None]:
    if value is None:
        return None, None
    if fmt == "pct":
        return value, "0.0%"
    if fmt == "duration":
        return round(value / 3600, 2), "0.0"
    if fmt == "eur":
        return value, '#,##0 "€"'
    if fmt == "change":
        return value, "+0;-0;0"
    if fmt == "date":
        return datetime.date.fromisoformat(value), "d.m.yyyy"
    if fmt == "text":
        return str(value), "@"
    return value, None


def _sheet_title(title: str, used: set[str]) -> str:
    base = _SHEET_BAD.sub(" ", title)[:28].strip() or _("Taulukko")
    name, n = base, 2
    while name in used:
        name, n = f"{base} {n}", n + 1
    used.add(name)
    return name


def to_xlsx(report: Report) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    info = workbook.active
    info.title = _("Raportti")
    bold = Font(bold=True)
    info.append([_("Raportti"), report.get_kind_display()])
    info.append([_("Jakso"), report.period.label()])
    info.append(
        [
            _("Valmistunut"),
            timezone.localtime(report.finished_at).replace(tzinfo=None)
            if report.finished_at
            else None,
        ]
    )
    info["B3"].number_format = "d.m.yyyy h:mm"
    info.column_dimensions["A"].width = 14
    info.column_dimensions["B"].width = 40
    used = {info.title}
    for table in report_tables(report):
        sheet = workbook.create_sheet(_sheet_title(str(table.title), used))
        labels = [str(c.label) + (" (h)" if c.fmt == "duration" else "") for c in table.columns]
        sheet.append(labels)
        for c in sheet[1]:
            c.font = bold
        for row in table.rows:
            values, formats = [], []
            for column in table.columns:
                value, number_format_ = _xlsx_value(row.get(column.key), _fmt(column, row))
                values.append(value)
                formats.append(number_format_)
            sheet.append(values)
            for xl_cell, number_format_ in zip(sheet[sheet.max_row], formats, strict=True):
                if number_format_ == "@":
                    # Text stays text: a search query starting with "=" is no formula.
                    xl_cell.data_type = "s"
                elif number_format_:
                    xl_cell.number_format = number_format_
        sheet.column_dimensions["A"].width = 40
        sheet.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
