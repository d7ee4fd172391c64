"""apps/catalogue/problems.py: a mistake's place is data, shown as the format writes it."""

from __future__ import annotations

import pytest

from apps.catalogue.interchange import CatalogueFormatError, entry_form_field
from apps.catalogue.problems import FormatProblem, path_text


@pytest.mark.parametrize(
    ("path", "text"),
    [
        ((), "(file)"),
        (("format",), "format"),
        (("services", 12, "title", "fi"), "services[12].title.fi"),
        (("services", 0, "contacts", 1, "hours", "sv"), "services[0].contacts[1].hours.sv"),
        (("entry", "keywords", 2), "entry.keywords[2]"),
        ((0, "key"), "[0].key"),
    ],
)
def test_path_text_writes_a_path_as_the_format_documents_it(path, text):
    assert path_text(path) == text


def test_a_problem_reads_as_its_path_and_message():
    problem = FormatProblem(("services", 3, "colour"), "unknown field")
    assert str(problem) == "services[3].colour: unknown field"
    assert str(FormatProblem((), "expected a JSON object")) == "(file): expected a JSON object"


def test_the_format_error_keeps_its_problems_and_shows_them_as_lines():
    problems = [FormatProblem(("services", i, "key"), "missing") for i in range(52)]
    error = CatalogueFormatError(problems)
    assert error.problems == problems
    assert error.errors[0] == "services[0].key: missing"
    assert str(error).splitlines()[-1] == "… and 2 more"
    assert CatalogueFormatError(problems[0]).problems == [problems[0]]


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ((), "__all__"),
        (("title", "sv"), "title_sv"),
        (("title",), "title"),
        (("keywords", 4), "keywords"),
        (("service_lines", 0), "service_lines"),
        (("contacts", 0, "hours", "fi"), "contacts.0.hours_fi"),
        (("contacts", 2, "municipalities", 1), "contacts.2.municipalities"),
        (("contacts", 1, "opening_hours", "weekly", 0, "days", "mon"), "contacts.1.opening_hours"),
        (("contacts",), "contacts"),
    ],
)
def test_entry_form_field_maps_a_path_to_its_form_field(path, field):
    assert entry_form_field(path) == field
