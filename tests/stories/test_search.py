from __future__ import annotations

import pytest

from apps.search.registry import source_for
from apps.stories.models import Story

from .factories import SAVINGS, story

pytestmark = pytest.mark.django_db

State = Story.State


def test_story_source_indexes_published_stories_only(advisor):
    source = source_for(Story)

    for state in set(State) - {State.PUBLISHED}:
        assert source.document(story(author=advisor, state=state)) is None
    published = story(author=advisor, state=State.PUBLISHED)
    assert list(source.queryset()) == [published]


def test_story_document_carries_every_story_field(advisor):
    published = story(
        author=advisor,
        state=State.PUBLISHED,
        title="Säästöä löytyi",
        lead="Yhteinen hankinta.",
        body="Kilpailutimme **yhdessä**.",
        unit="Kouvolan tiimi",
        themes=(SAVINGS,),
    )

    doc = source_for(Story).document(published)

    assert doc.doc_type == "story"
    assert doc.url == published.get_absolute_url()
    assert doc.titles == {"fi": "Säästöä löytyi"}
    texts = {t.text: t.weight for t in doc.texts}
    assert texts["Säästöä löytyi"] == "A"
    assert texts["Yhteinen hankinta."] == "B"
    assert texts["Kilpailutimme yhdessä."] == "C"
    assert texts["Kouvolan tiimi"] == "D"
    assert doc.keywords == ["Säästöt"]
