from __future__ import annotations

import pytest

from apps.consultations import services
from apps.consultations.search import ThreadSource
from apps.search.models import SearchDocument
from apps.search.selectors import search
from tests.consultations import factories

pytestmark = pytest.mark.django_db


def test_document_of_solved_thread_holds_title_question_and_solution(advisor, colleague):
    thread = factories.solved_thread(
        author=advisor,
        answerer=colleague,
        title="Omaishoidon tuki",
        body="Mistä haetaan?",
        solution="Hyvinvointialueen **lomakkeella**.",
    )
    factories.callback(
        requester=advisor,
        assignee=colleague,
        thread=thread,
        phone="040 765 4321",
        reason="Soittopyynnön syy",
    )

    document = ThreadSource().document(thread)

    assert document.doc_type == "consultation"
    assert document.url == thread.get_absolute_url()
    assert document.titles == {"fi": "Omaishoidon tuki"}
    texts = " ".join(t.text for t in document.texts)
    assert "Mistä haetaan?" in texts
    assert "Hyvinvointialueen lomakkeella." in texts
    assert "765" not in texts and "Soittopyynnön" not in texts
    assert document.lines == ["vammaispalvelut"]


def test_open_thread_has_no_document(advisor):
    assert ThreadSource().document(factories.thread(author=advisor)) is None


def test_solved_thread_is_found_by_search(advisor, colleague):
    thread = factories.thread(
        author=advisor, title="Kuljetuspalvelun matkat", body="Montako matkaa kuukaudessa?"
    )
    factories.thread(author=advisor, title="Kuljetuspalvelu kesken", body="Avoin kysymys")
    answer = services.answer_post(
        thread=thread, author=colleague, body="Yleensä 18 yhdensuuntaista matkaa."
    )
    services.thread_solve(thread=thread, answer=answer, by=advisor)

    result = search(query="kuljetuspalvelu matkat", doc_types=["consultation"])

    assert [hit.url for hit in result.hits] == [thread.get_absolute_url()]
    assert SearchDocument.objects.filter(source="consultations.thread").count() == 1
