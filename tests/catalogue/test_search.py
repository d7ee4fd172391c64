"""What the catalogue adds to the search results page: each hit's phone numbers, the
advisor's municipality's first, with the opening status beside them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from apps.catalogue.opening_hours import DAYS
from apps.search.services import index_object
from tests.catalogue.factories import HAMINA, KOTKA, MIEHIKKALA, VIROLAHTI, contact, entry

pytestmark = pytest.mark.django_db

AROUND_THE_CLOCK = {
    "weekly": [{"days": {day: ["00:00-24:00"] for day in DAYS}}],
    "public_holidays": "open",
}


@pytest.fixture
def advisor_client(client, advisor):
    client.force_login(advisor)
    return client


def test_results_show_phone_numbers_with_opening_status_chosen_municipality_first(
    advisor_client,
):
    e = entry("kotihoito-haku", title="Kotihoito")
    contact(e, municipalities=[KOTKA], label="Kotkan ohjaus", phone="05 000 2210", position=0)
    contact(
        e,
        municipalities=[HAMINA, MIEHIKKALA, VIROLAHTI],
        label="Haminan seudun ohjaus",
        phone="05 000 2230",
        position=1,
        opening_hours=AROUND_THE_CLOCK,
    )
    index_object(e)

    html = advisor_client.get(
        reverse("search:results"), {"q": "kotihoito", "kunta": VIROLAHTI}
    ).content.decode()

    assert html.index("05 000 2230") < html.index("05 000 2210")
    status = html.index("auki nyt, ympäri vuorokauden")
    assert html.index("05 000 2230") < status < html.index("05 000 2210")
    assert html.count("data-opening-status") == 1  # the Kotka number has no structured hours
