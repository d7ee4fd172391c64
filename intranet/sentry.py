"""Error reporting to Sentry, switched on by ``SENTRY_DSN`` (settings ``base.py``).

Events carry no personal data: no user identity, cookies, request bodies, query strings
(search words are free text), SQL parameters or stack-frame variables; the messages and
exception texts that remain have identity codes and phone numbers replaced
(``apps.core.privacy.scrub``), breadcrumbs too.
"""

from __future__ import annotations

from typing import Any


def _scrub(text: object) -> object:
    from apps.core.privacy import scrub

    return scrub(text) if isinstance(text, str) else text


def scrub_event(event: dict[str, Any], hint: object = None) -> dict[str, Any]:
    """``before_send``: drop what may hold personal data, scrub the texts kept."""
    request = event.get("request")
    if isinstance(request, dict):
        for key in ("data", "query_string", "cookies", "env"):
            request.pop(key, None)
        if isinstance(request.get("url"), str):
            request["url"] = request["url"].split("?", 1)[0]
    event.pop("user", None)
    if "message" in event:
        event["message"] = _scrub(event["message"])
    logentry = event.get("logentry")
    if isinstance(logentry, dict):
        logentry.pop("params", None)
        for key in ("message", "formatted"):
            if key in logentry:
                logentry[key] = _scrub(logentry[key])
    for exception in (event.get("exception") or {}).get("values") or []:
        if "value" in exception:
            exception["value"] = _scrub(exception["value"])
        for frame in (exception.get("stacktrace") or {}).get("frames") or []:
            frame.pop("vars", None)
    crumbs = event.get("breadcrumbs")
    values = crumbs.get("values", []) if isinstance(crumbs, dict) else crumbs or []
    for crumb in values:
        scrub_breadcrumb(crumb)
    return event


def scrub_breadcrumb(crumb: dict[str, Any], hint: object = None) -> dict[str, Any]:
    """``before_breadcrumb``: a log line's or query's text, scrubbed; no data."""
    if "message" in crumb:
        crumb["message"] = _scrub(crumb["message"])
    crumb.pop("data", None)
    return crumb


def init_sentry(dsn: str, *, environment: str, traces_sample_rate: float) -> None:
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        traces_sample_rate=traces_sample_rate,
        data_collection={
            "user_info": False,
            "cookies": {"mode": "off"},
            "http_bodies": [],
            "url_query_params": {"mode": "off"},
            "database_query_data": False,
            "stack_frame_variables": False,
        },
        max_request_body_size="never",
        before_send=scrub_event,  # type: ignore[arg-type]
        before_breadcrumb=scrub_breadcrumb,
    )
