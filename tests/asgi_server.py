"""A real uvicorn (the ASGI server production uses) serving the test database, for tests
that need streaming responses (Django's live_server is WSGI and cannot stream), and a
reader of Server-Sent Events on a thread of its own."""

from __future__ import annotations

import json
import os
import queue
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import httpx
from django.db import connection

from tests.helpers import wait_for

ROOT = Path(__file__).resolve().parent.parent
# Helper C1's ports (see the brief); the first free one is taken.
PORTS = range(8180, 8200)


def free_port(exclude: tuple[int, ...] = ()) -> int:
    for port in PORTS:
        if port in exclude:
            continue
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port in 8180-8199")


def tests_database_url() -> str:
    """The database the tests run on (test_…), as a DATABASE_URL for another process."""
    s = connection.settings_dict
    host = quote(s["HOST"] or "127.0.0.1", safe="")
    user = quote(s["USER"] or "postgres", safe="")
    password = f":{quote(s['PASSWORD'], safe='')}" if s.get("PASSWORD") else ""
    return f"postgres://{user}{password}@{host}:{s['PORT'] or 5432}/{s['NAME']}"


@dataclass
class Server:
    url: str
    process: subprocess.Popen[bytes]
    log: Path

    def tail(self) -> str:
        return self.log.read_text(errors="replace")[-3000:]


@contextmanager
def uvicorn_server(
    tmp_path: Path, *, workers: int = 1, port: int | None = None, **env: str
) -> Iterator[Server]:
    port = port or free_port()
    log = tmp_path / f"uvicorn-{port}.log"
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "intranet.settings.test",
        "DATABASE_URL": tests_database_url(),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "NEUVOKAS_LIVE_HEARTBEAT_SECONDS": "1",
        **env,
    }
    environment.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    with log.open("wb") as out:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "intranet.asgi:application",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--workers",
                str(workers),
                "--lifespan",
                "off",
                "--no-access-log",
                "--timeout-graceful-shutdown",
                "1",
            ],
            cwd=ROOT,
            env=environment,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    server = Server(f"http://127.0.0.1:{port}", process, log)

    def up() -> bool:
        if process.poll() is not None:
            raise AssertionError(f"uvicorn exited:\n{server.tail()}")
        try:
            return httpx.get(server.url + "/terveys/", timeout=2).status_code < 500
        except httpx.HTTPError:
            return False

    try:
        wait_for(up, timeout=60, what="uvicorn to answer", details=server.tail)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@dataclass
class SseReader:
    """Reads one event stream on a thread; each ``data:`` message lands in ``events``
    (parsed JSON, with ``_id`` from the ``id:`` line). ``opened`` is set once the
    response headers arrived."""

    url: str
    cookies: dict[str, str]
    headers: dict[str, str] = field(default_factory=dict)
    events: queue.Queue[dict[str, object]] = field(default_factory=queue.Queue)
    opened: threading.Event = field(default_factory=threading.Event)
    ended: threading.Event = field(default_factory=threading.Event)
    status: int | None = None
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def start(self) -> SseReader:
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        assert self.opened.wait(20), "the stream did not open"
        return self

    def _run(self) -> None:
        try:
            with (
                httpx.Client(cookies=self.cookies, timeout=httpx.Timeout(30, read=None)) as client,
                client.stream("GET", self.url, headers=self.headers) as response,
            ):
                self.status = response.status_code
                self.opened.set()
                if response.status_code != 200:
                    return
                event_id = None
                for line in response.iter_lines():
                    if self._stop.is_set():
                        return
                    if line.startswith("id: "):
                        event_id = int(line[4:])
                    elif line.startswith("data: "):
                        data = json.loads(line[6:])
                        data["_id"] = event_id
                        self.events.put(data)
                    elif line == "":
                        event_id = None
        except httpx.HTTPError:
            pass
        finally:
            self.opened.set()
            self.ended.set()

    def next(self, timeout: float = 10.0, *, skip: tuple[str, ...] = ("hello",)) -> dict:
        """The next event (``hello`` skipped); fails after ``timeout`` seconds."""
        while True:
            try:
                event = self.events.get(timeout=timeout)
            except queue.Empty:
                raise AssertionError("no live event arrived") from None
            if event.get("kind") not in skip:
                return event

    def until(self, predicate, timeout: float = 10.0) -> list[dict]:
        """Events up to and including the first one ``predicate`` accepts."""
        seen = []
        while True:
            event = self.next(timeout)
            seen.append(event)
            if predicate(event):
                return seen

    def stop(self) -> None:
        self._stop.set()
