"""A signed-in staff member's HTTP client for the fault tests: real requests to the
uvicorn the test started, each one timed."""

from __future__ import annotations

import re
import time

import httpx
from django.contrib.auth.models import Group

from apps.accounts.models import User
from tests.faults.conftest import ALIAS, unique
from tests.helpers import wait_for

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
PASSWORD = "fault-tests-pw-9c1e"


def staff(role: str) -> User:
    """A user of ``role`` in our database."""
    name = unique("kayttaja")
    user = User.objects.db_manager(ALIAS).create_user(
        username=name, email=f"{name}@example.org", password=PASSWORD, first_name="Testi"
    )
    user.groups.add(Group.objects.using(ALIAS).get(name=role))
    return user


class Browser:
    def __init__(self, port: int) -> None:
        # No request may wait long: the timeout is what a user would wait at most.
        self.client = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30)

    def up(self) -> bool:
        try:
            return self.client.get("/kirjaudu/").status_code == 200
        except httpx.HTTPError:
            return False

    def wait_up(self, details) -> None:
        wait_for(self.up, 90, what="the web server to answer", details=details, interval=0.2)

    def get(self, path: str) -> tuple[httpx.Response, float]:
        started = time.monotonic()
        response = self.client.get(path)
        return response, time.monotonic() - started

    def post(self, path: str, form_page: str, data: dict[str, str]) -> tuple[httpx.Response, float]:
        """Post ``data`` with the CSRF token of ``form_page``."""
        page = self.client.get(form_page)
        assert page.status_code == 200, (form_page, page.status_code)
        match = CSRF.search(page.text)
        assert match, f"no CSRF token on {form_page}"
        started = time.monotonic()
        response = self.client.post(path, data={**data, "csrfmiddlewaretoken": match.group(1)})
        return response, time.monotonic() - started

    def sign_in(self, user: User) -> None:
        response, _ = self.post(
            "/kirjaudu/", "/kirjaudu/", {"username": user.username, "password": PASSWORD}
        )
        assert response.status_code == 302, response.text[:2000]
        home, _ = self.get("/")
        assert home.status_code == 200, home.status_code

    def close(self) -> None:
        self.client.close()
