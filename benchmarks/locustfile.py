"""Locust users for benchmarks/load.py: advisors on a call.

Each simulated advisor signs in with a local password (advisor accounts ``kuorma1`` …
made by load.py) and then, with NEUVOKAS_LOAD_THINK seconds of thought between actions
(``"3,10"``: a random pause of 3 to 10 s, load.py's --think), types searches into
the header's live search (one request per growing prefix, as the 300 ms debounce sends
them while typing), opens entries, asks colleagues, answers questions and records
contacts. The client stands where nginx stands (plain HTTP on loopback with
``X-Forwarded-Proto: https``); the app's ``Secure`` cookies are kept as not secure on this
hop because TLS ended at the proxy.
"""

from __future__ import annotations

import itertools
import os
import random
import re
from typing import Any

from locust import HttpUser, between, task

PASSWORD = os.environ.get("NEUVOKAS_LOAD_PASSWORD", "")
THINK = tuple(float(s) for s in os.environ.get("NEUVOKAS_LOAD_THINK", "3,10").split(","))
TERMS = [
    "omaishoito",
    "kuljetuspalvelu",
    "toimeentulotuki",
    "asumistuki",
    "kotihoito",
    "velkaneuvonta",
    "perhetyö",
    "ruoka-apu",
    "päihdepalvelut",
    "muistihoitaja",
]
_accounts = itertools.count(1)
_threads: list[str] = []  # question URLs asked so far (shared by the users of this process)


def _value(html: str, pattern: str) -> str:
    match = re.search(pattern, html, re.S)
    assert match, pattern
    return match.group(1)


class Advisor(HttpUser):
    wait_time = between(THINK[0], THINK[1])

    def on_start(self) -> None:
        host = self.host.split("://", 1)[1]
        self.client.headers.update({"X-Forwarded-Proto": "https", "Origin": f"https://{host}"})
        self.username = f"kuorma{next(_accounts)}"
        self.get("/kirjaudu/", name="/kirjaudu/")
        self.post(
            "/kirjaudu/",
            {"username": self.username, "password": PASSWORD},
            name="/kirjaudu/ (sign in)",
            expect=302,
        )
        home = self.get("/palvelut/", name="/palvelut/")
        self.entries = sorted(set(re.findall(r'href="(/palvelut/kortti/[^"/?#]+/)"', home.text)))
        assert self.entries, "no entries on /palvelut/"
        self.lines = []

    # --- requests: cookies kept usable on the loopback hop, failures counted ---------------
    def _plain_cookies(self) -> None:
        for cookie in self.client.cookies:
            cookie.secure = False

    def get(self, url: str, *, name: str, **kwargs: Any) -> Any:
        with self.client.get(url, name=name, catch_response=True, **kwargs) as response:
            self._plain_cookies()
            if response.status_code != 200:
                response.failure(f"{response.status_code}")
            return response

    def post(self, url: str, data: dict[str, str], *, name: str, expect: int = 302) -> Any:
        data = {**data, "csrfmiddlewaretoken": self.client.cookies.get("csrftoken", "")}
        with self.client.post(
            url, data=data, name=name, catch_response=True, allow_redirects=False
        ) as response:
            self._plain_cookies()
            if response.status_code != expect:
                response.failure(f"{response.status_code}: {response.text[:200]}")
            return response

    # --- what an advisor does -----------------------------------------------------------
    @task(6)
    def search_as_you_type(self) -> None:
        term = random.choice(TERMS)
        for end in range(3, len(term) + 1, 2):
            self.get(
                "/haku/pika/",
                params={"q": term[:end]},
                headers={"HX-Request": "true"},
                name="/haku/pika/ (live search)",
            )

    @task(4)
    def open_entry(self) -> None:
        self.get(random.choice(self.entries), name="/palvelut/<entry>/")

    @task(1)
    def ask(self) -> None:
        form = self.get("/kysymykset/uusi/", name="/kysymykset/uusi/")
        line = _value(form.text, r'<select[^>]*name="service_line"[^>]*>.*?<option value="(\d+)"')
        asked = self.post(
            "/kysymykset/uusi/",
            {
                "title": f"Kuormatesti {self.username}: {random.choice(TERMS)}",
                "body": "Miten tämä järjestetään Kouvolassa?",
                "service_line": line,
                "urgency": "none",
            },
            name="/kysymykset/uusi/ (ask)",
        )
        if asked.status_code == 302:
            _threads.append(asked.headers["Location"])

    @task(2)
    def answer(self) -> None:
        if not _threads:
            return
        thread = random.choice(_threads[-50:])
        self.get(thread, name="/kysymykset/<id>/")
        self.post(
            f"{thread}vastaa/",
            {"kind": "answer", "body": "Kunnan ohjaaja hoitaa tämän."},
            name="/kysymykset/<id>/vastaa/ (answer)",
        )

    @task(3)
    def record_contact(self) -> None:
        form = self.get("/yhteydenotot/kirjaa/", name="/yhteydenotot/kirjaa/")
        key = _value(form.text, r'name="submission_key" value="([^"]+)"')
        line = _value(form.text, r'name="service_line" value="(\d+)"')
        self.post(
            "/yhteydenotot/kirjaa/",
            {
                "service_line": line,
                "channel": "phone",
                "topic_text": random.choice(TERMS),
                "solved": "on",
                "submission_key": key,
            },
            name="/yhteydenotot/kirjaa/ (record)",
        )
