from __future__ import annotations

import csv
import datetime
import io

import pytest
from openpyxl import load_workbook

from apps.contacts.models import Channel
from apps.reports import exports, services
from apps.reports.models import Kind, Report
from tests.contacts.factories import contact
from tests.reports.factories import at, hours, search, thread

pytestmark = pytest.mark.django_db

MARCH = {"period_start": datetime.date(2026, 3, 1), "period_end": datetime.date(2026, 3, 31)}


def _done(kind: str) -> Report:
    report = services.report_request(kind=kind, **MARCH)
    services.report_generate(report_id=report.pk)
    report.refresh_from_db()
    return report


@pytest.fixture
def contacts_report():
    contact(at=at(2026, 3, 2, 10, 0), solved=True, topic_text="Kuljetuspalvelu")
    contact(at=at(2026, 3, 3, 10, 0), channel=Channel.CHAT, consulted=True)
    contact(at=at(2026, 2, 3, 10, 0), topic_text="Kuljetuspalvelu")
    return _done(Kind.CONTACTS)


def test_to_csv_finnish_format_with_every_section(contacts_report):
    text = exports.to_csv(contacts_report)
    lines = text.split("\r\n")
    assert text.startswith("\ufeffRaportti;Yhteydenotot\r\nJakso;1.3.2026–31.3.2026\r\n")
    assert "Yhteydenottoja;2;1" in lines
    assert "Ratkesi ensimmäisellä yhteydenotolla;50,0 %;0,0 %" in lines
    assert (
        "Linja;Yhteydenottoja;Edellinen jakso;Muutos;Ratkesi heti;"
        "Ratkesi heti, edellinen;Konsultoitu;Konsultoitu, edellinen" in lines
    )
    assert "Vammaispalvelut;2;1;+1;50,0 %;0,0 %;50,0 %;0,0 %" in lines
    assert "Ikäihmisten palvelut;0;0;0;–;–;–;–" in lines
    assert "kuljetuspalvelu;2;1;+1" in lines
    for title in (
        "Yhteenveto",
        "Linjoittain",
        "Kanavittain",
        "Kunnittain",
        "Ohjaukset",
        "Yleisimmät aiheet",
    ):
        assert title in lines


def test_to_xlsx_has_numbers_not_text(contacts_report):
    workbook = load_workbook(io.BytesIO(exports.to_xlsx(contacts_report)))
    assert workbook.sheetnames == [
        "Raportti",
        "Yhteenveto",
        "Linjoittain",
        "Kanavittain",
        "Kunnittain",
        "Ohjaukset",
        "Yleisimmät aiheet",
    ]
    by_line = workbook["Linjoittain"]
    assert [c.value for c in by_line[1]][:4] == [
        "Linja",
        "Yhteydenottoja",
        "Edellinen jakso",
        "Muutos",
    ]
    row = [c.value for c in by_line[2]]
    assert row == ["Vammaispalvelut", 2, 1, 1, 0.5, 0.0, 0.5, 0.0]
    assert by_line["E2"].number_format == "0.0%"
    summary = workbook["Yhteenveto"]
    assert [c.value for c in summary[3]] == ["Ratkesi ensimmäisellä yhteydenotolla", 0.5, 0.0]
    assert workbook["Raportti"]["B2"].value == "1.3.2026–31.3.2026"


def test_exports_never_start_a_formula():
    search(when=at(2026, 3, 2, 10, 0), query='=HYPERLINK("http://x","y")', results=0)
    report = _done(Kind.SEARCH_GAPS)

    rows = list(csv.reader(io.StringIO(exports.to_csv(report)), delimiter=";"))
    assert ['\'=hyperlink("http://x","y")', "1"] in rows
    sheet = load_workbook(io.BytesIO(exports.to_xlsx(report)))["Haut ilman tuloksia"]
    assert sheet["A2"].value == '=hyperlink("http://x","y")'
    assert sheet["A2"].data_type == "s"


def test_xlsx_durations_in_hours():
    t = at(2026, 3, 2, 9, 0)
    thread(asked=t, answers=(t + hours(1.5),))
    report = _done(Kind.CONSULTATIONS)
    sheet = load_workbook(io.BytesIO(exports.to_xlsx(report)))["Kysymykset linjoittain"]
    assert sheet["E1"].value == "Mediaani 1. vastaukseen (h)"
    assert sheet["E2"].value == 1.5


def test_duration_text():
    assert exports.duration_text(None) == "–"
    assert exports.duration_text(300) == "5 min"
    assert exports.duration_text(2 * 3600 + 5 * 60) == "2 h 5 min"
    assert exports.duration_text(3 * 86400 + 4 * 3600) == "3 pv 4 h"


def test_filename():
    report = Report(kind=Kind.SEARCH_GAPS, **MARCH)
    assert exports.filename(report, "xlsx") == "neuvokas-search-gaps-20260301-20260331.xlsx"
