"""The stream end to end: a real uvicorn serving the test database, SSE clients reading
it, events published by the services in this process (or by another server)."""

from __future__ import annotations

import httpx
import pytest
from django.db import connection

from apps.consultations import services as consultations
from apps.consultations.models import Urgency
from apps.live import kinds
from apps.live.services import publish
from tests.asgi_server import SseReader, free_port, uvicorn_server
from tests.consultations import factories
from tests.helpers import wait_for
from tests.live.conftest import session_cookies

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data_tx")]


@pytest.fixture
def line(advisor, colleague):
    line = factories.line()
    advisor.service_lines.add(line)
    colleague.service_lines.add(line)
    return line


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """One server for the module (it only connects to the test database)."""
    with uvicorn_server(tmp_path_factory.mktemp("uvicorn")) as server:
        yield server


def reader(server, user, **headers: str) -> SseReader:
    return SseReader(server.url + "/live/stream/", session_cookies(user), headers=headers).start()


def marker(*users) -> int:
    """Publish an event to ``users``; everything published before it reaches a stream
    first (one channel, delivered in order), so a reader that got the marker has got
    everything meant for it before."""
    publish(kind=kinds.MENTION, audience=[u.pk for u in users], payload={"marker": True})
    return 0


def is_marker(event) -> bool:
    return event["payload"].get("marker") is True


def test_stream_needs_a_signed_in_user(server):
    response = httpx.get(server.url + "/live/stream/", follow_redirects=False, timeout=10)
    assert response.status_code == 302
    assert "/kirjaudu/" in response.headers["location"]


def test_stream_says_hello_with_the_alert_preference(server, advisor):
    stream = reader(server, advisor)
    assert stream.status == 200
    hello = stream.next(skip=())
    assert hello == {"kind": "hello", "payload": {"alerts": False}, "_id": None}
    stream.stop()


def test_waiting_question_reaches_the_line_and_nobody_else(
    server, advisor, colleague, other_line_advisor, line
):
    """The colleague on the line gets the alert; the asker gets "posted"; an advisor on
    another line gets nothing at all."""
    streams = {u.username: reader(server, u) for u in (advisor, colleague, other_line_advisor)}
    thread = consultations.thread_create(
        author=advisor,
        title="Asiakas odottaa: kuljetuspalvelu",
        body="Voiko SHL-matkoja yhdistää?",
        service_line=line,
        urgency=Urgency.WAITING,
    )
    marker(advisor, colleague, other_line_advisor)

    got = {name: s.until(is_marker) for name, s in streams.items()}
    waiting = [e for e in got["kollega"] if e["kind"] == kinds.QUESTION_WAITING]
    assert len(waiting) == 1
    assert waiting[0]["payload"]["thread"] == thread.pk
    assert waiting[0]["payload"]["title"] == "Asiakas odottaa: kuljetuspalvelu"
    assert waiting[0]["payload"]["url"] == thread.get_absolute_url()
    assert [e["kind"] for e in got["advisor"]][:-1] == [kinds.QUESTION_POSTED]
    assert got["toinenlinja"] == [got["toinenlinja"][-1]]  # the marker only
    for s in streams.values():
        s.stop()


def test_claim_and_answer_reach_the_asker(server, advisor, colleague, other_line_advisor, line):
    thread = factories.thread(author=advisor, service_line=line, urgency=Urgency.WAITING)
    asker, outsider = reader(server, advisor), reader(server, other_line_advisor)
    consultations.thread_claim(thread=thread, user=colleague)
    answer = consultations.answer_post(thread=thread, author=colleague, body="Näin se menee.")
    marker(advisor, other_line_advisor)
    kinds_seen = [(e["kind"], e["payload"].get("thread")) for e in asker.until(is_marker)]
    assert (kinds.QUESTION_CLAIMED, thread.pk) in kinds_seen
    assert (kinds.QUESTION_ANSWERED, thread.pk) in kinds_seen
    assert (kinds.UNREAD_CHANGED, None) in kinds_seen  # the answer's inbox notification
    assert len(outsider.until(is_marker)) == 1
    assert answer.pk
    asker.stop()
    outsider.stop()


def test_reconnect_with_last_event_id_replays_what_was_missed(server, advisor, colleague):
    first = reader(server, advisor)
    publish(kind=kinds.MENTION, audience=[advisor.pk], payload={"n": 1})
    seen = first.next()
    first.stop()
    wait_for(first.ended.is_set, timeout=10, what="the first stream to end")
    # Missed while away: two for the advisor, one for someone else.
    publish(kind=kinds.MENTION, audience=[advisor.pk], payload={"n": 2})
    publish(kind=kinds.MENTION, audience=[colleague.pk], payload={"n": 99})
    publish(kind=kinds.MENTION, audience=[advisor.pk, colleague.pk], payload={"n": 3})
    again = reader(server, advisor, **{"Last-Event-ID": str(seen["_id"])})
    replayed = [again.next()["payload"]["n"] for _ in range(2)]
    assert replayed == [2, 3]
    # ... and then it is live again.
    publish(kind=kinds.MENTION, audience=[advisor.pk], payload={"n": 4})
    assert again.next()["payload"]["n"] == 4
    again.stop()


def test_events_fan_out_across_two_server_processes(tmp_path, advisor, colleague, line):
    """Two uvicorn processes (as `make run` runs two workers): a user on each gets the
    events published by a third process (this one)."""
    first_port = free_port()
    with (
        uvicorn_server(tmp_path, port=first_port) as one,
        uvicorn_server(tmp_path, port=free_port(exclude=(first_port,))) as two,
    ):
        on_one, on_two = reader(one, advisor), reader(two, colleague)
        thread = consultations.thread_create(
            author=advisor,
            title="Kaksi prosessia",
            body="Kuuleeko toinen?",
            service_line=line,
            urgency=Urgency.WAITING,
        )
        waiting = on_two.until(lambda e: e["kind"] == kinds.QUESTION_WAITING)[-1]
        assert waiting["payload"]["thread"] == thread.pk
        posted = on_one.next()
        assert (posted["kind"], posted["payload"]["thread"]) == (kinds.QUESTION_POSTED, thread.pk)
        on_one.stop()
        on_two.stop()


def test_listener_reconnects_after_losing_its_database_connection(server, advisor):
    stream = reader(server, advisor)
    publish(kind=kinds.MENTION, audience=[advisor.pk], payload={"n": 1})
    assert stream.next()["payload"]["n"] == 1

    def kill_listeners() -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE query LIKE 'LISTEN neuvokas_live%%' AND pid <> pg_backend_pid() "
                "AND datname = current_database()"
            )
            return cursor.fetchone()[0]

    assert kill_listeners() == 1
    # Published while the listener is down: read from the table once it is back.
    publish(kind=kinds.MENTION, audience=[advisor.pk], payload={"n": 2})
    assert stream.next(timeout=20)["payload"]["n"] == 2
    publish(kind=kinds.MENTION, audience=[advisor.pk], payload={"n": 3})
    assert stream.next()["payload"]["n"] == 3
    stream.stop()


def test_stream_ends_when_the_user_signs_out(server, advisor):
    cookies = session_cookies(advisor)
    stream = SseReader(server.url + "/live/stream/", cookies).start()
    from django.contrib.sessions.models import Session

    Session.objects.filter(session_key=cookies["sessionid"]).delete()
    wait_for(stream.ended.is_set, timeout=15, what="the stream to close after sign-out")
