"""The search API against its own OpenAPI description, and the search pages against
generated queries: never a 5xx, always the documented shape.

Schemathesis loads ``/api/v1/openapi.json`` from the Django WSGI application (with a
token) and generates requests from it, valid ones and ones that break the schema; the
requests go straight into the application, inside the test's transaction. Generation is
derandomized with a fixed budget, so a run is deterministic.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from apps.accounts import services
from intranet.wsgi import application

pytestmark = pytest.mark.django_db

FUZZ = settings(
    derandomize=True,
    max_examples=60,
    deadline=None,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def in_test_transaction():
    """Requests made straight into the WSGI application must not close the test's
    connection (Django's test client does the same)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def token(advisor, catalogue, in_test_transaction):
    _token, raw = services.api_token_create(user=advisor, name="schemathesis")
    return raw


@pytest.fixture
def api_schema(token):
    return schemathesis.openapi.from_wsgi(
        "/api/v1/openapi.json", application, headers={"Authorization": f"Token {token}"}
    )


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_search_api_conforms_to_its_openapi_description(api_schema, token, mode):
    """Requests that fit the description (any query, every enum value) and requests that
    break it (unknown enum values, a limit that is no number): the answer is always one
    the description names, in its shape, and never a 5xx."""
    operation = api_schema["/search"]["GET"]
    checks = CHECKS if mode == GenerationMode.POSITIVE else [*CHECKS, negative_data_rejection]
    statuses: set[int] = set()

    @given(case=operation.as_strategy(generation_mode=mode))
    @FUZZ
    def call(case) -> None:
        response = case.call_and_validate(
            headers={"Authorization": f"Token {token}"}, checks=checks
        )
        statuses.add(response.status_code)

    call()
    # Authenticated, so the searches really ran (valid ones) or were refused (invalid;
    # some "invalid" values are valid once sent as text, and searched).
    if mode == GenerationMode.POSITIVE:
        assert statuses == {200}
    else:
        assert 400 in statuses


def test_search_api_description_is_valid_openapi(api_schema):
    operations = [op.ok() for op in api_schema.get_all_operations()]
    assert [(op.method.upper(), op.path) for op in operations] == [("GET", "/search")]


# --- The search pages -------------------------------------------------------------------------

# Unicode of every kind (NUL, controls, combining marks, right-to-left, astral), long and
# malformed: what a paste, a bad client or an attacker can put in ?q=.
hostile_text = st.one_of(
    st.text(max_size=300),
    st.text(st.characters(codec="utf-8"), min_size=150, max_size=5000),
    st.builds(lambda a, b: a + "\x00" + b, st.text(max_size=20), st.text(max_size=20)),
    st.sampled_from(
        [
            "%",
            "%00",
            "%ED%A0%80",
            "\\",
            "'",
            '"',
            "*",
            ":*",
            "&",
            "|",
            "!",
            "<->",
            "(",
            ")",
            "a:b:c",
            "'''",
            "\u202e",
            "\ufeff",
            "e\u0301",
            "-" * 300,
            "ä" * 2000,
            "omaishoitaja " * 500,
        ]
    ),
)


@pytest.mark.parametrize("url", ["/haku/", "/haku/pika/", "/api/v1/search"])
def test_search_pages_never_answer_generated_queries_with_a_server_error(
    client, advisor, catalogue, url
):
    client.force_login(advisor)
    client.raise_request_exception = False

    @given(q=hostile_text)
    @FUZZ
    def search(q: str) -> None:
        response = client.get(url, {"q": q})
        assert response.status_code < 500, (q, response.status_code)
        if "\x00" in q:
            assert response.status_code == 400
        else:
            assert response.status_code == 200

    search()
