"""The front page: the latest published success stories and quick links."""

from __future__ import annotations

import pytest
from django.urls import reverse

from apps.stories.models import Story
from tests.stories.factories import story

pytestmark = pytest.mark.django_db

State = Story.State


class TestHome:
    def test_home_shows_the_latest_published_stories_only(self, client, advisor):
        story(author=advisor, state=State.PUBLISHED, title="Julkaistu onnistuminen")
        story(author=advisor, state=State.SUBMITTED, title="Odottava tarina")
        story(author=advisor, state=State.ARCHIVED, title="Arkistoitu tarina")
        client.force_login(advisor)

        body = client.get(reverse("home")).content.decode()

        assert "Julkaistu onnistuminen" in body
        assert "Odottava tarina" not in body
        assert "Arkistoitu tarina" not in body
        assert reverse("stories:list") in body

    def test_home_requires_login(self, client):
        response = client.get(reverse("home"))

        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))

    def test_home_queries_are_bounded(self, client, advisor, django_assert_max_num_queries):
        for _ in range(5):
            story(author=advisor, state=State.PUBLISHED)
        client.force_login(advisor)
        client.get(reverse("home"))  # warm the session and caches

        with django_assert_max_num_queries(12):
            client.get(reverse("home"))

    def test_home_query_count_is_fixed(self, client, advisor, django_assert_num_queries):
        story(author=advisor, state=State.PUBLISHED)
        client.force_login(advisor)
        client.get(reverse("home"))  # warm the session and caches
        with django_assert_num_queries(HOME_QUERIES):
            client.get(reverse("home"))
        for _ in range(4):
            story(author=advisor, state=State.PUBLISHED)
        with django_assert_num_queries(HOME_QUERIES):
            client.get(reverse("home"))


HOME_QUERIES = 8
