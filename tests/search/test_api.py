"""GET /api/v1/search: session or personal token; anything else 401."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from apps.accounts import services
from apps.search.models import SearchLog

from .conftest import KOTKA, KOUVOLA

pytestmark = pytest.mark.django_db
URL = "/api/v1/search"


@pytest.fixture
def token(advisor):
    _token, raw = services.api_token_create(user=advisor)
    return raw


def test_api_with_session_returns_ranked_results(client, advisor, catalogue):
    client.force_login(advisor)
    response = client.get(URL, {"q": "omaishoitajan vapaat"})
    assert response.status_code == 200
    data = response.json()
    assert data["query"] == "omaishoitajan vapaat"
    first = data["results"][0]
    assert first["type"] == "service"
    assert first["key"] == "omaishoitajan-vapaat"
    assert first["title"] == "Omaishoitajan vapaapäivät ja sijaishoito"
    assert first["url"].endswith("/palvelut/kortti/omaishoitajan-vapaat/")
    assert first["municipalities"] == []
    assert "<mark>" in first["snippet"]


def test_api_with_token(client, catalogue, token):
    response = client.get(
        URL, {"q": "ruoka-apu", "municipality": KOTKA}, headers={"Authorization": f"Token {token}"}
    )
    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["key"] for r in results] == ["ruoka-apu-kotka"]
    assert results[0]["municipalities"] == [KOTKA]
    assert results[0]["type"] == "offer"


def test_api_token_created_by_command_works(client, advisor, catalogue, capsys):
    call_command("create_api_token", "advisor")
    raw = capsys.readouterr().out.strip()
    response = client.get(URL, {"q": "kotihoito"}, headers={"Authorization": f"Token {raw}"})
    assert response.status_code == 200
    assert response.json()["results"][0]["key"] == "kotihoito"


@pytest.mark.parametrize("header", ["Token nvk_wrong", "Token ", "Bearer abc", "Basic eDp5"])
def test_api_refuses_bad_credentials(client, catalogue, token, header):
    response = client.get(URL, {"q": "kotihoito"}, headers={"Authorization": header})
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Token")


def test_api_refuses_anonymous_without_redirecting_to_login(client, catalogue):
    response = client.get(URL, {"q": "kotihoito"})
    assert response.status_code == 401
    assert "results" not in response.json()


def test_api_refuses_revoked_token_and_inactive_user(client, advisor, catalogue):
    token, raw = services.api_token_create(user=advisor)
    services.api_token_revoke(token=token)
    assert client.get(URL, {"q": "x"}, headers={"Authorization": f"Token {raw}"}).status_code == 401
    _token, raw = services.api_token_create(user=advisor)
    advisor.is_active = False
    advisor.save()
    assert client.get(URL, {"q": "x"}, headers={"Authorization": f"Token {raw}"}).status_code == 401


def test_api_filters_type_line_and_limit(client, advisor, catalogue):
    client.force_login(advisor)
    keys = [
        r["key"] for r in client.get(URL, {"q": "ruoka-apu", "type": "offer"}).json()["results"]
    ]
    assert set(keys) == {"ruoka-apu-kotka", "ruoka-apu-kouvola"}
    assert client.get(URL, {"q": "ruoka-apu", "type": "service"}).json()["results"] == []
    assert client.get(URL, {"q": "ruoka-apu", "type": "nonsense"}).status_code == 400
    assert len(client.get(URL, {"q": "ruoka-apu", "limit": 1}).json()["results"]) == 1
    assert client.get(URL, {"q": "x", "limit": "many"}).status_code == 400
    keys = [
        r["key"]
        for r in client.get(URL, {"q": "kotihoito", "line": "ikaihmiset"}).json()["results"]
    ]
    assert keys[0] == "kotihoito"


def test_api_never_shows_kotka_only_offer_for_kouvola(client, advisor, catalogue):
    client.force_login(advisor)
    keys = [
        r["key"]
        for r in client.get(URL, {"q": "ruoka-apua kotkassa", "municipality": KOUVOLA}).json()[
            "results"
        ]
    ]
    assert "ruoka-apu-kotka" not in keys


def test_api_logs_the_search_scrubbed(client, catalogue, token):
    client.get(
        URL,
        {"q": "kotihoito 131052-308T", "municipality": KOTKA},
        headers={"Authorization": f"Token {token}"},
    )
    log = SearchLog.objects.get()
    assert log.source == SearchLog.Source.API
    assert log.query == "kotihoito [hetu]"
    assert log.municipality == KOTKA
    assert log.user.username == "advisor"


def test_api_query_count_is_constant(client, catalogue, token):
    headers = {"Authorization": f"Token {token}"}
    client.get(URL, {"q": "kotihoito"}, headers=headers)  # notes the token's last use
    counts = []
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for q in (
        "kotihoito",
        "omaishoitajan vapaat ja sijaishoito",
        "lastensuojeluilmotus",
        "ruoka-apu kotka",
    ):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(URL, {"q": q}, headers=headers).status_code == 200
        counts.append(len(ctx))
    assert len(set(counts)) == 1, counts


@pytest.mark.parametrize(
    "params, detail",
    [
        ({"municipality": "999"}, "unknown municipality '999'"),
        ({"municipality": KOTKA + "0"}, "unknown municipality '2850'"),  # not cut to a known one
        ({"line": "ei-ole"}, "unknown line 'ei-ole'"),
        ({"type": "secret"}, "unknown type 'secret'"),
        ({"limit": "1e9999"}, "limit must be a number"),
    ],
)
def test_api_refuses_unknown_filters_with_400(client, catalogue, token, params, detail):
    response = client.get(
        URL, {"q": "ruoka-apu", **params}, headers={"Authorization": f"Token {token}"}
    )
    assert response.status_code == 400
    assert response.json() == {"detail": detail}
    assert not SearchLog.objects.exists()


def test_api_filters_by_a_known_line(client, catalogue, token):
    auth = {"Authorization": f"Token {token}"}
    response = client.get(URL, {"q": "ruoka-apu", "line": "tyoikaiset"}, headers=auth)
    assert {r["key"] for r in response.json()["results"]} == {
        "ruoka-apu-kotka",
        "ruoka-apu-kouvola",
    }
    response = client.get(URL, {"q": "ruoka-apu", "line": "ikaihmiset"}, headers=auth)
    assert response.json()["results"] == []


def test_api_huge_limit_is_capped(client, catalogue, token):
    response = client.get(
        URL, {"q": "hoito", "limit": "9" * 40}, headers={"Authorization": f"Token {token}"}
    )
    assert response.status_code == 200


def test_openapi_schema_needs_the_same_login(client, catalogue):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Token")


def test_openapi_schema_describes_search_with_current_enums(client, catalogue, token):
    response = client.get("/api/v1/openapi.json", headers={"Authorization": f"Token {token}"})
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    operation = schema["paths"]["/search"]["get"]
    params = {p["name"]: p["schema"] for p in operation["parameters"]}
    assert set(params) == {"q", "type", "municipality", "line", "limit"}
    assert {"", KOTKA, KOUVOLA} <= set(params["municipality"]["enum"])
    assert {"", "tyoikaiset"} <= set(params["line"]["enum"])
    assert params["type"]["enum"] == ["", "service", "offer", "consultation", "story"]
    assert set(operation["responses"]) == {"200", "400", "401"}
