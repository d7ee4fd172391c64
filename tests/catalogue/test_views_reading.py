from __future__ import annotations

import datetime
import re

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.catalogue import selectors
from apps.catalogue.models import Entry
from apps.catalogue.opening_hours import DAYS
from tests.catalogue.factories import (
    HAMINA,
    KOTKA,
    KOUVOLA,
    MIEHIKKALA,
    VIROLAHTI,
    contact,
    entry,
    organisation,
    problem_report,
)
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

HOME = reverse("catalogue:home")
COMPARE = reverse("catalogue:compare")
SET_MUNICIPALITY = reverse("catalogue:set_municipality")
HTMX = {"HX-Request": "true"}


@pytest.fixture
def advisor_client(client, advisor):
    client.force_login(advisor)
    return client


def html(response) -> str:
    return response.content.decode()


def choose(client, code: str, next_url: str = HOME):
    return client.post(SET_MUNICIPALITY, {"municipality": code, "next": next_url})


# --- Access ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        HOME,
        COMPARE,
        reverse("catalogue:entry", args=["x"]),
        reverse("catalogue:organisation", args=["x"]),
    ],
)
def test_reading_pages_require_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_reading_pages_refuse_user_without_view_permission(client, django_user_model):
    client.force_login(make_user(django_user_model, "norole"))
    assert client.get(HOME).status_code == 403


def test_entry_detail_unknown_key_is_404(advisor_client):
    assert advisor_client.get(reverse("catalogue:entry", args=["ei-ole"])).status_code == 404


# --- Home -----------------------------------------------------------------------------


def test_home_lists_entries_with_kind_organisation_and_municipalities(advisor_client):
    org = organisation("kotkan-srk", name="Kotkan seurakuntayhtymä")
    entry(title="Ruoka-apu", kind=Entry.Kind.OFFER, organisation=org, municipalities=[KOTKA])
    entry(title="Kuljetuspalvelu")
    response = advisor_client.get(HOME)
    assert response.status_code == 200
    body = html(response)
    assert "Ruoka-apu" in body
    assert "Kotkan seurakuntayhtymä" in body
    assert "badge-offer" in body
    assert "koko alue" in body
    assert "<html" in body


def test_home_htmx_request_returns_only_the_results_fragment(advisor_client):
    entry(title="Kuljetuspalvelu")
    response = advisor_client.get(HOME, {"q": "kuljetus"}, headers=HTMX)
    body = html(response)
    assert response.status_code == 200
    assert "<html" not in body
    assert 'id="results"' in body
    assert "Kuljetuspalvelu" in body
    # The header picker and the hidden line input are refreshed out of band.
    assert 'id="municipality-picker"' in body and 'hx-swap-oob="true"' in body


def test_home_text_filter_q(advisor_client):
    entry(title="Kuljetuspalvelu")
    entry(title="Omaishoidon tuki")
    body = html(advisor_client.get(HOME, {"q": "omais"}))
    assert "Omaishoidon tuki" in body
    assert "Kuljetuspalvelu" not in body


def test_home_line_tab_filters_and_shows_counts(advisor_client):
    entry(title="Henkilökohtainen apu", lines=["vammaispalvelut"])
    entry(title="Kotihoito", lines=["ikaihmiset"])
    body = html(advisor_client.get(HOME, {"linja": "ikaihmiset"}))
    assert "Kotihoito" in body
    assert "Henkilökohtainen apu" not in body
    assert re.search(r'aria-current="page">Ikäihmisten palvelut <span class="count">1</span>', body)
    assert re.search(r'>Kaikki <span class="count">2</span>', body)


def test_home_kind_and_target_group_filters(advisor_client):
    entry(title="Palvelu A", target_groups=["omaishoitajat"])
    entry(title="Tarjous B", kind=Entry.Kind.OFFER, target_groups=["omaishoitajat"])
    entry(title="Tarjous C", kind=Entry.Kind.OFFER)
    body = html(advisor_client.get(HOME, {"tyyppi": "offer", "kohderyhma": "omaishoitajat"}))
    assert "Tarjous B" in body
    assert "Palvelu A" not in body
    assert "Tarjous C" not in body


def test_home_shows_overdue_badge_only_for_overdue_entries(advisor_client):
    entry(title="Tuore")
    body = html(advisor_client.get(HOME))
    assert "badge-overdue" not in body
    entry(title="Vanha", last_reviewed=timezone.localdate() - datetime.timedelta(days=800))
    assert "badge-overdue" in html(advisor_client.get(HOME))


def test_home_paginates(advisor_client):
    for n in range(51):
        entry(title=f"Palvelu {n:02d}")
    first = html(advisor_client.get(HOME))
    assert "Palvelu 00" in first and "Palvelu 50" not in first
    assert "sivu=2" in first
    second = html(advisor_client.get(HOME, {"sivu": 2}))
    assert "Palvelu 50" in second and "Palvelu 00" not in second


def test_home_query_count_does_not_grow_with_entries(advisor_client, django_assert_max_num_queries):
    org = organisation()
    entry(organisation=org, lines=["vammaispalvelut"], municipalities=[KOTKA])
    choose(advisor_client, KOTKA)
    with CaptureQueriesContext(connection) as few:
        advisor_client.get(HOME)
    for _ in range(10):
        entry(
            organisation=organisation(),
            lines=["vammaispalvelut", "ikaihmiset"],
            municipalities=[KOTKA, KOUVOLA],
            target_groups=["vammaiset"],
        )
    with django_assert_max_num_queries(12), CaptureQueriesContext(connection) as many:
        response = advisor_client.get(HOME)
    assert response.status_code == 200
    assert len(many) == len(few)


# --- Municipality choice ----------------------------------------------------------------


def test_set_municipality_returns_to_same_page_and_persists(advisor_client):
    entry(title="Kotkan palvelu", municipalities=[KOTKA])
    entry(title="Kouvolan palvelu", municipalities=[KOUVOLA])
    page = reverse("catalogue:compare") + "?linja=vammaispalvelut"
    response = choose(advisor_client, KOUVOLA, page)
    assert response.status_code == 302
    assert response["Location"] == page
    assert advisor_client.session[selectors.SESSION_MUNICIPALITY] == KOUVOLA
    body = html(advisor_client.get(HOME))
    assert "Kouvolan palvelu" in body
    assert "Kotkan palvelu" not in body
    assert re.search(r'<option value="286" selected>Kouvola</option>', body)


def test_set_municipality_drops_stale_kunta_param_from_next(advisor_client):
    response = choose(advisor_client, KOTKA, HOME + "?kunta=286&q=apu&sivu=3")
    assert response["Location"] == HOME + "?q=apu"
    assert advisor_client.session[selectors.SESSION_MUNICIPALITY] == KOTKA


def test_set_municipality_refuses_external_next(advisor_client):
    response = choose(advisor_client, KOTKA, "https://evil.example/")
    assert response["Location"] == HOME


def test_set_municipality_empty_means_all(advisor_client):
    choose(advisor_client, KOTKA)
    choose(advisor_client, "")
    assert selectors.SESSION_MUNICIPALITY not in advisor_client.session


def test_kunta_param_overrides_and_sets_the_session(advisor_client):
    entry(title="Kotkan palvelu", municipalities=[KOTKA])
    entry(title="Kouvolan palvelu", municipalities=[KOUVOLA])
    choose(advisor_client, KOTKA)
    body = html(advisor_client.get(HOME, {"kunta": KOUVOLA}))
    assert "Kouvolan palvelu" in body and "Kotkan palvelu" not in body
    assert advisor_client.session[selectors.SESSION_MUNICIPALITY] == KOUVOLA
    # ...and it persists on the next page without the parameter.
    body = html(advisor_client.get(HOME))
    assert "Kouvolan palvelu" in body and "Kotkan palvelu" not in body


def test_kunta_param_empty_means_all_municipalities(advisor_client):
    entry(title="Kotkan palvelu", municipalities=[KOTKA])
    entry(title="Kouvolan palvelu", municipalities=[KOUVOLA])
    choose(advisor_client, KOTKA)
    body = html(advisor_client.get(HOME, {"kunta": ""}))
    assert "Kouvolan palvelu" in body and "Kotkan palvelu" in body
    assert selectors.SESSION_MUNICIPALITY not in advisor_client.session


def test_kunta_param_unknown_code_keeps_earlier_choice(advisor_client):
    choose(advisor_client, KOTKA)
    advisor_client.get(HOME, {"kunta": "999"})
    assert advisor_client.session[selectors.SESSION_MUNICIPALITY] == KOTKA


# --- Entry page -----------------------------------------------------------------------


def _entry_url(e: Entry) -> str:
    return reverse("catalogue:entry", args=[e.key])


def test_entry_detail_shows_all_sections(advisor_client, editor):
    org = organisation("kymenlaakson-hyvinvointialue", name="Kymenlaakson hyvinvointialue")
    e = entry(
        title="Kuljetuspalvelu",
        summary="Taksimatkat asiointiin.",
        organisation=org,
        lines=["vammaispalvelut"],
        municipalities=[KOTKA],
        body="Pitkä **kuvaus**.",
        eligibility="Vaikeavammaiset",
        how_to_apply="Soita",
        fees="Joukkoliikenteen taksa",
        target_groups=["vammaiset"],
        keywords=["taksi"],
        legal_basis=["Vammaispalvelulaki 675/2023"],
        owner=editor,
        last_reviewed=datetime.date(2099, 1, 2),
    )
    contact(
        e,
        municipality=KOTKA,
        label="Asiakasohjaus",
        phone="05 000 2000",
        email="ohjaus@example.org",
        address="Keskuskatu 1",
        hours="ma–pe 9–12",
    )
    body = html(advisor_client.get(_entry_url(e)))
    for text in (
        "Kuljetuspalvelu",
        "Taksimatkat asiointiin.",
        "<strong>kuvaus</strong>",
        "Kenelle",
        "Vaikeavammaiset",
        "Näin haet",
        "Maksut",
        "Vammaispalvelut",
        "Kotka",
        "vammaiset",
        "taksi",
        "Vammaispalvelulaki 675/2023",
        'href="tel:050002000"',
        "mailto:ohjaus@example.org",
        "Keskuskatu 1",
        "ma–pe 9–12",
        "Editor",
        "Tarkistettu viimeksi 2.1.2099",
        org.get_absolute_url(),
    ):
        assert text in body, text
    assert "review-overdue" not in body


def test_entry_detail_overdue_shows_warning(advisor_client):
    e = entry(
        last_reviewed=timezone.localdate() - datetime.timedelta(days=400), review_interval_days=180
    )
    body = html(advisor_client.get(_entry_url(e)))
    assert 'class="warning review-status review-overdue" role="status"' in body
    assert "Tarkistettu viimeksi" in body


def test_entry_detail_never_reviewed_shows_warning(advisor_client):
    body = html(advisor_client.get(_entry_url(entry(last_reviewed=None))))
    assert "review-overdue" in body
    assert "ei ole koskaan tarkistettu" in body


def test_entry_detail_contacts_of_chosen_municipality_come_first(advisor_client):
    e = entry()
    contact(e, municipality=KOUVOLA, label="Kouvolan ohjaus", position=0)
    contact(e, municipality=None, label="Koko alueen ohjaus", position=1)
    contact(e, municipality=KOTKA, label="Kotkan ohjaus", position=2)
    choose(advisor_client, KOTKA)
    body = html(advisor_client.get(_entry_url(e)))
    assert (
        body.index("Kotkan ohjaus")
        < body.index("Koko alueen ohjaus")
        < body.index("Kouvolan ohjaus")
    )


def test_entry_detail_contact_serving_several_municipalities_comes_first_for_virolahti(
    advisor_client,
):
    """A Virolahti caller: the contact serving Hamina, Miehikkälä and Virolahti comes
    first although Virolahti is not its first municipality, then the area's number."""
    e = entry()
    contact(e, municipalities=[KOTKA], label="Kotkan ohjaus", position=0)
    contact(e, municipalities=[KOUVOLA], label="Kouvolan ohjaus", position=1)
    contact(e, label="Koko alueen neuvonta", position=2)
    contact(
        e,
        municipalities=[HAMINA, MIEHIKKALA, VIROLAHTI],
        label="Haminan seudun ohjaus",
        position=3,
    )
    choose(advisor_client, VIROLAHTI)
    body = html(advisor_client.get(_entry_url(e)))
    assert (
        body.index("Haminan seudun ohjaus")
        < body.index("Koko alueen neuvonta")
        < body.index("Kotkan ohjaus")
        < body.index("Kouvolan ohjaus")
    )
    assert "Hamina, Miehikkälä, Virolahti" in body
    assert body.count("contact-here") == 1


def test_entry_detail_shows_opening_status_beside_the_phone_number(advisor_client):
    e = entry()
    contact(
        e,
        label="Päivystys",
        phone="05 000 2999",
        opening_hours={
            "weekly": [{"days": {d: ["00:00-24:00"] for d in DAYS}}],
            "public_holidays": "open",
        },
    )
    contact(e, label="Ilman aukioloaikoja", phone="05 000 1111", hours="sopimuksen mukaan")
    body = html(advisor_client.get(_entry_url(e)))
    phone = body.index("05 000 2999</a>")
    status = body.index("auki nyt, ympäri vuorokauden")
    assert phone < status < body.index("Ilman aukioloaikoja")
    assert "ma-su 24h; pyhäpäivinä auki" in body
    assert body.count("data-opening-status") == 1


def test_entry_detail_notice_when_not_available_in_chosen_municipality(advisor_client):
    e = entry(municipalities=[KOTKA])
    choose(advisor_client, KOUVOLA)
    assert "Ei saatavilla valitussa kunnassa: Kouvola" in html(advisor_client.get(_entry_url(e)))
    choose(advisor_client, KOTKA)
    assert "Ei saatavilla valitussa kunnassa" not in html(advisor_client.get(_entry_url(e)))


def test_entry_detail_passes_actions_context(advisor_client, advisor):
    e = entry(owner=advisor)
    report = problem_report(e)
    response = advisor_client.get(_entry_url(e))
    assert response.context["can_edit"] is True  # the owner
    assert response.context["can_review"] is True
    assert list(response.context["open_reports"]) == [report]
    other = entry()
    response = advisor_client.get(_entry_url(other))
    assert response.context["can_edit"] is False
    assert response.context["open_reports"] == []


def test_entry_detail_query_count_does_not_grow(
    advisor_client, advisor, django_assert_max_num_queries
):
    e = entry(
        lines=["vammaispalvelut"],
        municipalities=[KOTKA],
        owner=advisor,
        organisation=organisation(),
    )
    contact(e, municipality=KOTKA)
    choose(advisor_client, KOTKA)
    with CaptureQueriesContext(connection) as few:
        advisor_client.get(_entry_url(e))
    for code in (KOUVOLA, HAMINA, None, KOTKA):
        contact(e, municipality=code)
    e.service_lines.add(*[x for x in selectors.service_line_list()])
    e.municipalities.add(*selectors.municipality_list())
    problem_report(e)
    problem_report(e)
    # 12 for the page itself (the contacts' municipalities prefetched), +1 FAQ items
    # (consultations). The contact log's "recently opened" row is written by a POST of
    # its own after load, not by this GET.
    with (
        django_assert_max_num_queries(ENTRY_PAGE_QUERIES),
        CaptureQueriesContext(connection) as many,
    ):
        response = advisor_client.get(_entry_url(e))
    assert response.status_code == 200
    assert len(many) == len(few)


# --- Organisation page ------------------------------------------------------------------


def test_organisation_detail_lists_its_entries_grouped(advisor_client):
    org = organisation(
        "kotkan-srk",
        name="Kotkan seurakuntayhtymä",
        kind="parish",
        municipalities=[KOTKA],
        phone="05 000 1000",
        email="info@example.org",
        website="https://example.org",
    )
    entry(title="Diakoniatyö", organisation=org, kind=Entry.Kind.OFFER)
    entry(title="Muu palvelu")
    body = html(advisor_client.get(org.get_absolute_url()))
    for text in (
        "Kotkan seurakuntayhtymä",
        "seurakunta",
        "Kotka",
        "tel:050001000",
        "info@example.org",
        "https://example.org",
        "Diakoniatyö",
    ):
        assert text in body, text
    assert "Muu palvelu" not in body


def test_organisation_detail_honours_chosen_municipality(advisor_client):
    org = organisation()
    entry(title="Kotkassa", organisation=org, municipalities=[KOTKA])
    entry(title="Kouvolassa", organisation=org, municipalities=[KOUVOLA])
    choose(advisor_client, KOTKA)
    body = html(advisor_client.get(org.get_absolute_url()))
    assert "Kotkassa" in body and "Kouvolassa" not in body
    assert "ei ole saatavilla kunnassa Kotka" in body


# --- Comparison -----------------------------------------------------------------------


def test_compare_without_subject_asks_for_one(advisor_client):
    body = html(advisor_client.get(COMPARE))
    assert "Valitse ensin palvelulinja tai kohderyhmä." in body
    assert "<table" not in body


def test_compare_table_by_line(advisor_client):
    entry(title="Alueen palvelu", lines=["vammaispalvelut"])
    entry(title="Kotkan oma", lines=["vammaispalvelut"], municipalities=[KOTKA])
    entry(title="Toinen linja", lines=["ikaihmiset"], municipalities=[KOTKA])
    body = html(advisor_client.get(COMPARE, {"linja": "vammaispalvelut"}))
    headers = re.findall(r'<th scope="col"[^>]*>([^<]+)', body)
    assert [h.strip() for h in headers] == [
        "Hamina",
        "Kotka",
        "Kouvola",
        "Miehikkälä",
        "Pyhtää",
        "Virolahti",
    ]
    assert '<th scope="row">Koko hyvinvointialue</th>' in body
    assert 'colspan="6"' in body
    assert "Alueen palvelu" in body and "Kotkan oma" in body
    assert "Toinen linja" not in body
    # Kotka's own entry sits in Kotka's column: the second cell of the per-municipality row.
    row = body[body.index("Kuntakohtaiset") :]
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S)
    assert "Kotkan oma" in cells[1]
    assert "Kotkan oma" not in cells[0] + cells[2]


def test_compare_by_target_group_htmx_returns_fragment(advisor_client):
    entry(
        title="Omaishoitajien vertaistuki",
        target_groups=["omaishoitajat"],
        kind=Entry.Kind.OFFER,
        municipalities=[HAMINA],
    )
    response = advisor_client.get(COMPARE, {"kohderyhma": "omaishoitajat"}, headers=HTMX)
    body = html(response)
    assert "<html" not in body
    assert 'id="results"' in body
    assert "Omaishoitajien vertaistuki" in body


def test_compare_highlights_chosen_municipality(advisor_client):
    entry(lines=["vammaispalvelut"])
    choose(advisor_client, KOUVOLA)
    body = html(advisor_client.get(COMPARE, {"linja": "vammaispalvelut"}))
    assert re.search(r'<th scope="col" class="chosen">Kouvola', body)


def test_user_with_view_permission_only_via_user_perm_can_read(client, django_user_model):
    user = make_user(django_user_model, "reader")
    user.user_permissions.add(Permission.objects.get(codename="view_entry"))
    client.force_login(user)
    assert client.get(HOME).status_code == 200


WRITES = {"INSERT", "UPDATE", "DELETE"}


def test_entry_detail_get_writes_nothing_and_posts_the_view_after_load(advisor_client):
    from apps.contacts.models import RecentEntryView

    e = entry("kotihoito")
    advisor_client.get(reverse("home"))  # the session's first activity write is not the page's
    with CaptureQueriesContext(connection) as queries:
        response = advisor_client.get(_entry_url(e))
    writes = [q["sql"] for q in queries if q["sql"].split(None, 1)[0].upper() in WRITES]
    assert writes == []
    assert not RecentEntryView.objects.exists()
    viewed = reverse("contacts:entry_viewed", args=[e.key])
    assert f'hx-post="{viewed}" hx-trigger="load"' in html(response)


def test_entry_detail_query_count_is_fixed(advisor_client, django_assert_num_queries):
    """The FAQ items (consultations' partial) come prefetched with the entry: the
    template runs no query of its own, however many items there are."""
    from apps.consultations.models import FaqItem

    e = entry(lines=["vammaispalvelut"], municipalities=[KOTKA], organisation=organisation())
    contact(e, municipality=KOTKA)
    advisor_client.get(_entry_url(e))  # warm the session
    with django_assert_num_queries(ENTRY_PAGE_QUERIES):
        advisor_client.get(_entry_url(e))
    for n in range(3):
        FaqItem.objects.create(entry=e, question=f"Kysymys {n}?", answer="Vastaus.", position=n)
    with django_assert_num_queries(ENTRY_PAGE_QUERIES):
        response = advisor_client.get(_entry_url(e))
    assert html(response).count('class="faq-item"') == 3


# 10 for the page (one of them the permissions), +1 the contacts' municipalities,
# +1 the FAQ items (all prefetched).
ENTRY_PAGE_QUERIES = 12
