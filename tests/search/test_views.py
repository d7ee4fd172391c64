"""The results page, the header's live results and the result-opening redirect."""

from __future__ import annotations

import pytest
from django.urls import reverse

from apps.catalogue.selectors import MUNICIPALITY_PARAM
from apps.search.models import SearchLog

from .conftest import KOTKA, KOUVOLA

pytestmark = pytest.mark.django_db


@pytest.fixture
def advisor_client(client, advisor):
    client.force_login(advisor)
    return client


def test_results_page_lists_marked_hits_and_logs(advisor_client, catalogue):
    response = advisor_client.get(reverse("search:results"), {"q": "omaishoitajan vapaat"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" in html
    assert "<mark>Omaishoitajan</mark> <mark>vapaapäivät</mark>" in html
    log = SearchLog.objects.get()
    assert (log.source, log.query) == (SearchLog.Source.PAGE, "omaishoitajan vapaat")
    assert reverse("search:open", args=[log.pk, 1]) in html


def test_results_page_htmx_returns_only_the_results_fragment(advisor_client, catalogue):
    response = advisor_client.get(
        reverse("search:results"),
        {"q": "kotihoito"},
        headers={"HX-Request": "true", "HX-Target": "search-results"},
    )
    html = response.content.decode()
    assert "<html" not in html
    assert 'id="search-results"' in html
    assert "Kotihoito" in html


def test_results_page_municipality_choice_filters_and_is_remembered(advisor_client, catalogue):
    html = advisor_client.get(
        reverse("search:results"), {"q": "ruoka-apu", "kunta": KOUVOLA}
    ).content.decode()
    assert "k=ruoka-apu-kouvola" in html
    assert "k=ruoka-apu-kotka" not in html
    # The choice stays for the next search (and the header's live results).
    html = advisor_client.get(reverse("search:live"), {"q": "ruoka-apu"}).content.decode()
    assert "Kouvolassa" in html and "Kotkassa" not in html
    html = advisor_client.get(
        reverse("search:results"), {"q": "ruoka-apu", "kunta": ""}
    ).content.decode()
    assert "Kouvolassa" in html and "Kotkassa" in html


def test_results_page_line_and_type_filters(advisor_client, catalogue):
    html = advisor_client.get(
        reverse("search:results"), {"q": "ruoka-apu", "tyyppi": "service"}
    ).content.decode()
    assert "k=ruoka-apu-kotka" not in html
    html = advisor_client.get(
        reverse("search:results"), {"q": "kotihoito", "linja": "vammaispalvelut"}
    ).content.decode()
    assert "<mark>Kotihoito</mark>" not in html


def test_live_results_are_listbox_options(advisor_client, catalogue):
    response = advisor_client.get(
        reverse("search:live"), {"q": "kuljetus"}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert "<html" not in html
    assert 'role="option"' in html
    assert 'id="site-search-option-1"' in html
    assert "<mark>Kuljetuspalvelu</mark>" in html
    assert 'hx-swap-oob="true"' in html  # footer with "show all" and the status line
    assert SearchLog.objects.get().source == SearchLog.Source.LIVE


def test_live_results_for_empty_query_are_empty(advisor_client, catalogue):
    html = advisor_client.get(reverse("search:live"), {"q": " "}).content.decode()
    assert 'role="option"' not in html
    assert not SearchLog.objects.exists()


def test_open_records_position_and_redirects(advisor_client, advisor, catalogue):
    advisor_client.get(reverse("search:results"), {"q": "kotihoito"})
    log = SearchLog.objects.get()
    response = advisor_client.get(
        reverse("search:open", args=[log.pk, 1]),
        {"to": "/palvelut/kortti/kotihoito/", "k": "kotihoito"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/palvelut/kortti/kotihoito/"
    log.refresh_from_db()
    assert (log.opened_position, log.opened_key) == (1, "kotihoito")


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "javascript:x"])
def test_open_refuses_other_sites(advisor_client, catalogue, target):
    response = advisor_client.get(reverse("search:open", args=[1, 1]), {"to": target})
    assert response.status_code == 400


def test_search_pages_need_login(client, catalogue):
    response = client.get(reverse("search:results"), {"q": "kotihoito"})
    assert response.status_code == 302
    assert "/kirjaudu/" in response["Location"]


def test_user_without_catalogue_permission_sees_no_entries(client, django_user_model, catalogue):
    nobody = django_user_model.objects.create_user("nobody")
    client.force_login(nobody)
    html = client.get(reverse("search:results"), {"q": "kotihoito"}).content.decode()
    assert "<mark>Kotihoito</mark>" not in html


def test_header_search_points_to_results_page_with_live_results(advisor_client, catalogue):
    html = advisor_client.get(reverse("search:results")).content.decode()
    assert f'action="{reverse("search:results")}"' in html
    assert f'hx-get="{reverse("search:live")}"' in html
    assert 'role="combobox"' in html and "data-search-input" in html
    assert "js/search.js" in html


def test_results_page_for_swedish_user_shows_swedish_title(advisor_client, catalogue):
    advisor_client.post(reverse("set_language"), {"language": "sv", "next": "/"})
    html = advisor_client.get(reverse("search:results"), {"q": "färdtjänst"}).content.decode()
    assert "<mark>Färdtjänst</mark> för personer med funktionsnedsättning" in html


def test_results_page_municipality_choice_is_applied_to_kotka(advisor_client, catalogue):
    html = advisor_client.get(
        reverse("search:results"), {"q": "ruoka-apu", "kunta": KOTKA}
    ).content.decode()
    assert "k=ruoka-apu-kotka" in html and "k=ruoka-apu-kouvola" not in html


def test_results_page_query_count_is_fixed(advisor_client, catalogue, django_assert_num_queries):
    url = reverse("search:results")
    advisor_client.get(url, {"q": "kotihoito"})  # warm the session
    with django_assert_num_queries(RESULTS_PAGE_QUERIES):
        response = advisor_client.get(url, {"q": "kotihoito"})
    assert "Kotihoito" in response.content.decode()
    with django_assert_num_queries(RESULTS_PAGE_QUERIES):
        advisor_client.get(url, {"q": "ruoka-apu"})


# 8 for the page (one of them the permissions), +2 the catalogue hits' contacts and their
# municipalities (registry.hit_details).
RESULTS_PAGE_QUERIES = 10


def test_results_page_names_the_catalogues_municipality_parameter(advisor_client, catalogue):
    response = advisor_client.get(reverse("search:results"), {"q": "kotihoito"})
    assert f'<select id="search-page-kunta" name="{MUNICIPALITY_PARAM}">' in (
        response.content.decode()
    )
