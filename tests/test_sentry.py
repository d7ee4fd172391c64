"""What leaves for Sentry: no bodies, query strings, cookies, users or frame variables;
identity codes and phone numbers scrubbed from the texts kept."""

from __future__ import annotations

from intranet.sentry import scrub_event


def test_scrub_event_keeps_no_personal_data():
    event = {
        "request": {
            "url": "https://neuvokas.example/haku/?q=Matti+040+123+4567",
            "query_string": "q=Matti+040+123+4567",
            "data": {"body": "Soita 040 123 4567"},
            "cookies": {"sessionid": "abc"},
            "method": "POST",
        },
        "user": {"id": 7, "username": "neuvoja"},
        "logentry": {"message": "callback %s", "params": ["040 123 4567"]},
        "exception": {
            "values": [
                {
                    "type": "ValueError",
                    "value": "bad 131052-308T or +358 40 123 4567",
                    "stacktrace": {"frames": [{"function": "f", "vars": {"phone": "0401234567"}}]},
                }
            ]
        },
        "breadcrumbs": {"values": [{"message": "040 123 4567 called", "data": {"x": 1}}]},
    }

    scrubbed = scrub_event(event)

    text = repr(scrubbed)
    for secret in ("4567", "131052", "Matti", "sessionid", "neuvoja", "vars"):
        assert secret not in text
    assert scrubbed["request"] == {"url": "https://neuvokas.example/haku/", "method": "POST"}
    exception = scrubbed["exception"]["values"][0]
    assert exception["type"] == "ValueError"
    assert "[hetu]" in exception["value"] and "[puhelin]" in exception["value"]
    assert scrubbed["breadcrumbs"]["values"][0] == {"message": "[puhelin] called"}
