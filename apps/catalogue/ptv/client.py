"""A small client for the PTV Open API v11 (https://api.palvelutietovaranto.suomi.fi).

Real HTTP (httpx) with a timeout on every request; network errors and 5xx/429 answers are
retried with exponential backoff; paged lists are fetched one page at a time.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


class PtvError(Exception):
    """The API could not be read (after the retries) or answered something unusable."""


class PtvNotFound(PtvError):
    """The API answered 404 for a record."""


class PtvClient:
    """Reads organisations, services and service channels from one PTV Open API base URL."""

    def __init__(
        self,
        base_url: str,
        *,
        timeout: float = 20.0,
        attempts: int = 4,
        backoff: float = 0.5,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.attempts = max(1, attempts)
        self.backoff = backoff
        self.sleep = sleep
        self.requests = 0  # how many HTTP requests were made (retries included)
        self._http = httpx.Client(
            base_url=self.base_url,
            timeout=timeout,
            headers={"Accept": "application/json"},
            follow_redirects=False,
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> PtvClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def get_json(self, path: str, params: dict[str, Any] | None = None) -> Any:
        """GET ``path`` and decode its JSON; retried on network errors, 429 and 5xx."""
        last: Exception | None = None
        for attempt in range(self.attempts):
            if attempt:
                self.sleep(self.backoff * 2 ** (attempt - 1))
            self.requests += 1
            try:
                response = self._http.get(path, params=params)
            except httpx.TransportError as exc:
                last = exc
                continue
            if response.status_code in RETRY_STATUSES:
                last = PtvError(f"{path}: HTTP {response.status_code}")
                continue
            if response.status_code == 404:
                raise PtvNotFound(f"{path}: not found")
            if response.status_code != 200:
                raise PtvError(f"{path}: HTTP {response.status_code}")
            try:
                return response.json()
            except ValueError as exc:
                raise PtvError(f"{path}: not JSON") from exc
        raise PtvError(f"{path}: failed after {self.attempts} attempts ({last})") from last

    def organisation_services(self, organisation_id: str) -> Iterator[list[dict[str, Any]]]:
        """The organisation's services, one page (``itemList``) at a time."""
        page = 1
        while True:
            data = self.get_json(
                "/api/v11/Service/list/organization",
                {"organizationId": organisation_id, "page": page},
            )
            if not isinstance(data, dict) or not isinstance(data.get("itemList") or [], list):
                raise PtvError(f"services of {organisation_id}, page {page}: not a page")
            yield [item for item in data.get("itemList") or [] if isinstance(item, dict)]
            page_count = data.get("pageCount")
            if not isinstance(page_count, int) or page >= page_count:
                return
            page += 1

    def organisation(self, organisation_id: str) -> dict[str, Any]:
        data = self.get_json(f"/api/v11/Organization/{organisation_id}")
        if not isinstance(data, dict):
            raise PtvError(f"organisation {organisation_id}: not an object")
        return data

    def service_channel(self, channel_id: str) -> dict[str, Any]:
        data = self.get_json(f"/api/v11/ServiceChannel/{channel_id}")
        if not isinstance(data, dict):
            raise PtvError(f"service channel {channel_id}: not an object")
        return data
