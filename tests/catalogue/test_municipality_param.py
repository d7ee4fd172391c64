"""The one parser of the municipality parameter (``?kunta=``, the header picker, the
search API, the session): hostile values never pick a municipality nobody named."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.catalogue import selectors
from apps.catalogue.models import Municipality
from apps.search import registry

pytestmark = pytest.mark.django_db

KOTKA = "285"


def _parse(*values: str) -> selectors.MunicipalityParam:
    return selectors.municipality_param(RequestFactory().get("/"), list(values))


def test_absent_is_not_given():
    param = _parse()
    assert (param.given, param.municipality, param.unknown) == (False, None, False)


@pytest.mark.parametrize("value", ["", " ", "\t", "\u00a0", "\u3000"])
def test_empty_or_blank_means_all(value):
    param = _parse(value)
    assert (param.given, param.municipality, param.unknown) == (True, None, False)


@pytest.mark.parametrize("value", [KOTKA, f" {KOTKA} ", f"\t{KOTKA}\n", f"\u00a0{KOTKA}"])
def test_known_code_trimmed(value):
    assert _parse(value).municipality == Municipality.objects.get(code=KOTKA)


@pytest.mark.parametrize(
    "value",
    [
        "999",
        KOTKA + "0",
        KOTKA[:-1],
        "28 5",
        "٢٨٥",
        "２８５",
        "285\u200b",
        "kotka",
        "Kotka",
        "*",
        "%",
    ],
)
def test_unknown_values_name_nothing(value):
    param = _parse(value)
    assert (param.given, param.municipality, param.unknown) == (True, None, True)


def test_case_does_not_matter():
    municipality = Municipality.objects.get(code=KOTKA)
    municipality.code = "ab1"
    municipality.save()
    assert _parse("AB1").municipality == municipality
    assert _parse("ab1").municipality == municipality


def test_a_list_agreeing_counts_once_and_a_disagreeing_one_is_unknown():
    assert _parse(KOTKA, f" {KOTKA}").municipality == Municipality.objects.get(code=KOTKA)
    assert _parse(KOTKA, "286").unknown
    assert _parse(KOTKA, "").unknown


def test_the_search_facet_is_the_same_parser():
    request = RequestFactory().get("/", {"kunta": [KOTKA, "999"]})
    assert registry.facets().municipality_param(request, request.GET.getlist("kunta")).unknown
    request = RequestFactory().get("/", {"kunta": KOTKA})
    param = registry.facets().municipality_param(request, request.GET.getlist("kunta"))
    assert param.municipality == Municipality.objects.get(code=KOTKA)


def test_no_facets_registered_refuses_every_code():
    param = registry.NoFacets().municipality_param(RequestFactory().get("/"), [KOTKA])
    assert param.unknown and param.municipality is None
    assert not registry.NoFacets().municipality_param(RequestFactory().get("/"), [""]).unknown


@settings(
    derandomize=True,
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    values=st.lists(st.text(st.characters(blacklist_characters="\x00"), max_size=12), max_size=3)
)
def test_any_values_name_a_municipality_only_when_they_all_spell_its_code(values):
    param = _parse(*values)
    codes = {v.strip().casefold() for v in values}
    known = {m.code.casefold(): m for m in Municipality.objects.all()}
    assert param.given == bool(values)
    if param.municipality is not None:
        assert codes == {param.municipality.code.casefold()}
    else:
        assert param.unknown == (bool(codes) and codes != {""})
        assert not (len(codes) == 1 and next(iter(codes)) in known)


def test_pages_ignore_a_disagreeing_list_and_keep_the_earlier_choice(client, advisor):
    client.force_login(advisor)
    client.post("/palvelut/kunta/", {"municipality": KOTKA, "next": "/"})
    assert client.session[selectors.SESSION_MUNICIPALITY] == KOTKA
    client.get("/palvelut/", {"kunta": ["286", "999"]})
    assert client.session[selectors.SESSION_MUNICIPALITY] == KOTKA
    client.get("/haku/", {"kunta": [" 286 "]})
    assert client.session[selectors.SESSION_MUNICIPALITY] == "286"


@pytest.mark.parametrize(
    ("values", "status"),
    [
        ([KOTKA], 200),
        ([f" {KOTKA} "], 200),
        ([""], 200),
        ([KOTKA, "999"], 400),
        (["999", KOTKA], 400),
        (["999"], 400),
    ],
)
def test_search_api_takes_the_same_parser(client, advisor, values, status):
    client.force_login(advisor)
    response = client.get("/api/v1/search", {"q": "apu", "municipality": values})
    assert response.status_code == status
