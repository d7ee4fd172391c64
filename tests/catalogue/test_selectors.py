from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from apps.catalogue import selectors
from apps.catalogue.models import Entry, ProblemReport
from tests.catalogue.factories import (
    HAMINA,
    KOTKA,
    KOUVOLA,
    contact,
    entry,
    line,
    municipality,
    organisation,
    problem_report,
)

pytestmark = pytest.mark.django_db


def keys(entries) -> list[str]:
    return sorted(e.key for e in entries)


class TestEntryListMunicipality:
    @pytest.fixture(autouse=True)
    def _entries(self):
        entry("area-wide")
        entry("kotka-only", municipalities=[KOTKA])
        entry("kotka-and-kouvola", municipalities=[KOTKA, KOUVOLA])
        entry("hamina-only", municipalities=[HAMINA])

    def test_entry_list_without_municipality_returns_everything(self):
        assert keys(selectors.entry_list()) == [
            "area-wide",
            "hamina-only",
            "kotka-and-kouvola",
            "kotka-only",
        ]

    def test_entry_list_area_wide_entry_matches_every_municipality(self):
        assert "area-wide" in keys(selectors.entry_list(municipality=municipality(HAMINA)))
        assert "area-wide" in keys(selectors.entry_list(municipality=municipality(KOUVOLA)))

    def test_entry_list_kotka_only_entry_never_appears_for_kouvola(self):
        assert keys(selectors.entry_list(municipality=municipality(KOUVOLA))) == [
            "area-wide",
            "kotka-and-kouvola",
        ]

    def test_entry_list_municipality_filter_returns_no_duplicates(self):
        result = list(selectors.entry_list(municipality=municipality(KOTKA)))
        assert keys(result) == ["area-wide", "kotka-and-kouvola", "kotka-only"]
        assert len(result) == len({e.pk for e in result})


def test_entry_list_filters_by_line():
    entry("disability", lines=["vammaispalvelut", "ikaihmiset"])
    entry("elderly", lines=["ikaihmiset"])
    entry("no-line", kind=Entry.Kind.OFFER)
    assert keys(selectors.entry_list(line=line("vammaispalvelut"))) == ["disability"]
    assert keys(selectors.entry_list(line=line("ikaihmiset"))) == ["disability", "elderly"]


def test_entry_list_filters_by_kind():
    entry("service", kind=Entry.Kind.SERVICE)
    entry("offer", kind=Entry.Kind.OFFER)
    assert keys(selectors.entry_list(kind=Entry.Kind.OFFER)) == ["offer"]
    assert keys(selectors.entry_list(kind=Entry.Kind.SERVICE)) == ["service"]


def test_entry_list_filters_by_target_group():
    entry("for-disabled", target_groups=["vammaiset", "omaishoitajat"])
    entry("for-elderly", target_groups=["ikäihmiset"])
    assert keys(selectors.entry_list(target_group="omaishoitajat")) == ["for-disabled"]


def test_entry_list_text_filter_matches_title_summary_and_keyword():
    entry("by-title", title="Kuljetuspalvelu")
    entry("by-summary", summary="Taksimatkat asiointiin.")
    entry("by-keyword", keywords=["kela-kyyti"])
    entry("unrelated", title="Omaishoidon tuki")
    assert keys(selectors.entry_list(q="kuljetus")) == ["by-title"]
    assert keys(selectors.entry_list(q="TAKSI")) == ["by-summary"]
    assert keys(selectors.entry_list(q="Kela-kyyti")) == ["by-keyword"]


def test_entry_list_orders_by_title():
    entry("b", title="Omaishoidon tuki")
    entry("a", title="Asumispalvelut")
    assert [e.key for e in selectors.entry_list()] == ["a", "b"]


def test_service_line_counts_ignore_line_but_honour_other_filters():
    entry("kotka-disability", lines=["vammaispalvelut"], municipalities=[KOTKA])
    entry("area-disability", lines=["vammaispalvelut"])
    entry("area-elderly", lines=["ikaihmiset"])
    entry("offer", kind=Entry.Kind.OFFER)
    lines, total = selectors.service_line_counts(municipality=municipality(KOUVOLA))
    counts = {x.key: x.entry_count for x in lines}
    assert counts["vammaispalvelut"] == 1
    assert counts["ikaihmiset"] == 1
    assert counts["lapset-perheet"] == 0
    assert total == 3
    lines, total = selectors.service_line_counts(kind=Entry.Kind.SERVICE)
    assert {x.key: x.entry_count for x in lines}["vammaispalvelut"] == 2
    assert total == 3


def test_target_group_list_is_distinct_and_sorted():
    entry(target_groups=["vammaiset", "omaishoitajat"])
    entry(target_groups=["ikäihmiset", "vammaiset"])
    assert selectors.target_group_list() == ["ikäihmiset", "omaishoitajat", "vammaiset"]


class TestContactsFor:
    @pytest.fixture
    def with_contacts(self) -> Entry:
        e = entry()
        contact(e, municipality=KOUVOLA, label="Kouvola", position=0)
        contact(e, municipality=None, label="Koko alue", position=1)
        contact(e, municipality=KOTKA, label="Kotka", position=2)
        return selectors.entry_detail_queryset().get(pk=e.pk)

    def test_contacts_for_chosen_municipality_first_then_area_wide(self, with_contacts):
        ordered = selectors.contacts_for(with_contacts, municipality(KOTKA))
        assert [c.label for c in ordered] == ["Kotka", "Koko alue", "Kouvola"]

    def test_contacts_for_without_municipality_puts_area_wide_first(self, with_contacts):
        ordered = selectors.contacts_for(with_contacts, None)
        assert [c.label for c in ordered] == ["Koko alue", "Kouvola", "Kotka"]


def test_entry_is_available_in_follows_area_wide_semantics():
    wide = selectors.entry_detail_queryset().get(pk=entry().pk)
    kotka = selectors.entry_detail_queryset().get(pk=entry(municipalities=[KOTKA]).pk)
    assert selectors.entry_is_available_in(wide, municipality(KOUVOLA))
    assert selectors.entry_is_available_in(kotka, municipality(KOTKA))
    assert not selectors.entry_is_available_in(kotka, municipality(KOUVOLA))
    assert selectors.entry_is_available_in(kotka, None)


def test_open_problem_reports_are_open_ones_newest_first():
    e = entry()
    older = problem_report(e, what_is_wrong="Vanha")
    newer = problem_report(e, what_is_wrong="Uusi")
    ProblemReport.objects.filter(pk=older.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=1)
    )
    problem_report(e, status=ProblemReport.Status.RESOLVED)
    problem_report(entry())  # another entry's
    assert [r.pk for r in selectors.open_problem_reports(e)] == [newer.pk, older.pk]


def test_organisation_entries_groups_and_hides_other_municipalities():
    org = organisation("kotkan-srk")
    entry("a-service", organisation=org)
    entry("b-offer", organisation=org, kind=Entry.Kind.OFFER, municipalities=[KOTKA])
    entry("c-offer", organisation=org, kind=Entry.Kind.OFFER, municipalities=[KOUVOLA])
    entry("elsewhere")
    everything = selectors.organisation_entries(org)
    assert keys(everything.services) == ["a-service"]
    assert keys(everything.offers) == ["b-offer", "c-offer"]
    assert everything.hidden_count == 0
    in_kotka = selectors.organisation_entries(org, municipality=municipality(KOTKA))
    assert keys(in_kotka.offers) == ["b-offer"]
    assert in_kotka.hidden_count == 1


def test_municipality_comparison_puts_area_wide_once_and_splits_the_rest():
    entry("wide", lines=["vammaispalvelut"])
    entry("kotka-kouvola", lines=["vammaispalvelut"], municipalities=[KOTKA, KOUVOLA])
    entry("hamina", lines=["vammaispalvelut"], municipalities=[HAMINA], kind=Entry.Kind.OFFER)
    entry("other-line", lines=["ikaihmiset"], municipalities=[KOTKA])
    comparison = selectors.municipality_comparison(
        municipalities=selectors.municipality_list(), line=line("vammaispalvelut")
    )
    assert keys(comparison.area_wide) == ["wide"]
    by_code = {c.municipality.code: keys(c.entries) for c in comparison.columns}
    assert len(by_code) == 6
    assert by_code[KOTKA] == ["kotka-kouvola"]
    assert by_code[KOUVOLA] == ["kotka-kouvola"]
    assert by_code[HAMINA] == ["hamina"]
    assert by_code["935"] == []
    assert not comparison.is_empty


def test_municipality_comparison_by_target_group():
    entry("carers", target_groups=["omaishoitajat"], municipalities=[KOTKA])
    entry("others", target_groups=["nuoret"], municipalities=[KOTKA])
    comparison = selectors.municipality_comparison(
        municipalities=selectors.municipality_list(), target_group="omaishoitajat"
    )
    assert {c.municipality.code: keys(c.entries) for c in comparison.columns}[KOTKA] == ["carers"]


def test_current_municipality_reads_the_session(rf):
    request = rf.get("/")
    request.session = {}
    assert selectors.current_municipality(request) is None
    request.session[selectors.SESSION_MUNICIPALITY] = KOTKA
    assert selectors.current_municipality(request).code == KOTKA
    assert request.session == {selectors.SESSION_MUNICIPALITY: KOTKA}  # read only
    request.session[selectors.SESSION_MUNICIPALITY] = "nowhere"
    assert selectors.current_municipality(request) is None


def test_entry_detail_queryset_brings_everything_the_page_shows(django_assert_num_queries):
    """The entry page's template reads relations only from these prefetches (the FAQ
    items of consultations' partial included), so it runs no query of its own."""
    from apps.consultations.models import FaqItem

    e = entry(lines=["vammaispalvelut"], municipalities=[KOTKA], organisation=organisation())
    contact(e, municipality=KOTKA)
    FaqItem.objects.create(entry=e, question="Kuka hakee?", answer="Asiakas.", position=1)
    FaqItem.objects.create(entry=e, question="Mistä?", answer="Kunnasta.", position=0)
    loaded = selectors.entry_detail_queryset().get(pk=e.pk)
    with django_assert_num_queries(0):
        assert [f.question for f in loaded.faq_items.all()] == ["Mistä?", "Kuka hakee?"]
        assert [x.name for x in loaded.service_lines.all()] and loaded.municipalities.all()
        assert loaded.contacts.all() and loaded.organisation
