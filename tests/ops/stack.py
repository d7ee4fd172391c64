"""The production stack on loopback, started as deploy/ starts it: production settings
(``intranet.settings.base``), uvicorn with worker processes, a Celery worker and Celery
beat as separate processes, Redis and a fresh database on the given PostgreSQL server.

Used by the production smoke test (tests/ops/test_production_smoke.py) and the load
benchmark (benchmarks/load.py). Each stack has its own database (made, migrated, given
the demo catalogue, dropped afterwards), its own queue on Redis and its own static
folder; everything it starts runs in its own process group and is stopped on exit.

The client stands where nginx stands: it speaks plain HTTP to uvicorn on 127.0.0.1 and
sends ``X-Forwarded-Proto: https`` as deploy/nginx-neuvokas.conf does, so the app runs
with its production defaults (HTTPS redirect, secure cookies, HSTS).
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import httpx
import psycopg

from tests.helpers import wait_for

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
# Redis database of the production stack's queues (6379/14: reports' worker tests,
# 6379/15: CI's second pass).
REDIS_URL = os.environ.get("NEUVOKAS_STACK_REDIS", "redis://127.0.0.1:6379/13")
TEST_FERNET_KEY = "bmV1dm9rYXMtdGVzdC1hbmQtZGV2LW5vdC1zZWNyZXQ="


@dataclass(frozen=True)
class DatabaseServer:
    host: str  # a host name or a socket directory
    port: int
    user: str

    def url(self, name: str) -> str:
        return f"postgres://{self.user}@{quote(self.host, safe='')}:{self.port}/{name}"

    def admin(self) -> psycopg.Connection:
        return psycopg.connect(
            host=self.host, port=self.port, user=self.user, dbname="postgres", autocommit=True
        )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def client(base_url: str, **kwargs: object) -> httpx.Client:
    """An HTTP client that talks to uvicorn as nginx does, and keeps cookies: the app's
    ``Secure`` cookies are sent on this plain loopback hop because TLS ended at the proxy
    (each cookie stored is marked not secure)."""
    host = base_url.split("://", 1)[1]
    http_client = httpx.Client(
        base_url=base_url,
        headers={"X-Forwarded-Proto": "https", "Origin": f"https://{host}"},
        timeout=30,
        **kwargs,  # type: ignore[arg-type]
    )

    def tls_ended_at_the_proxy(response: httpx.Response) -> None:
        for cookie in http_client.cookies.jar:
            cookie.secure = False

    http_client.event_hooks["response"].append(tls_ended_at_the_proxy)
    return http_client


def csrf_token(http_client: httpx.Client) -> str:
    token = http_client.cookies.get("csrftoken")
    assert token, "no csrftoken cookie"
    return token


def sign_in(http_client: httpx.Client, username: str, password: str) -> None:
    page = http_client.get("/kirjaudu/")
    assert page.status_code == 200, page.status_code
    response = http_client.post(
        "/kirjaudu/",
        data={
            "username": username,
            "password": password,
            "csrfmiddlewaretoken": csrf_token(http_client),
        },
    )
    assert response.status_code == 302, (response.status_code, response.text[:2000])
    assert http_client.cookies.get("sessionid"), "no session after signing in"


def options(html: str, name: str) -> list[str]:
    """The non-empty option values of the ``<select name=name>`` in ``html``."""
    match = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert match, f"no select {name!r}"
    return [v for v in re.findall(r'<option value="([^"]*)"', match.group(1)) if v]


@dataclass
class Stack:
    server: DatabaseServer
    workdir: Path
    web_workers: int = 2
    worker_concurrency: int = 2
    extra_env: dict[str, str] = field(default_factory=dict)
    tag: str = field(default_factory=lambda: uuid.uuid4().hex[:10])
    port: int = field(default_factory=free_port)
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    @property
    def database(self) -> str:
        return f"neuvokas_stack_{self.tag}"

    @property
    def queue(self) -> str:
        return f"neuvokas-stack-{self.tag}"

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log(self, name: str) -> Path:
        return self.workdir / f"{name}.log"

    def env(self) -> dict[str, str]:
        inherited = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("DJANGO_", "NEUVOKAS_", "CELERY_", "SENTRY_", "PYTEST"))
            and key not in ("DATABASE_URL", "REPORTS_TEST_REDIS")
        }
        return {
            **inherited,
            "PYTHONPATH": str(ROOT),
            # As the example environment file (deploy/neuvokas.env.example) has it.
            "DJANGO_SETTINGS_MODULE": "intranet.settings.base",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DATABASE_URL": self.server.url(self.database),
            "DJANGO_CONN_MAX_AGE": "0",  # see deploy/neuvokas.env.example
            "CELERY_BROKER_URL": REDIS_URL,
            "CELERY_TASK_DEFAULT_QUEUE": self.queue,
            "NEUVOKAS_FIELD_ENCRYPTION_KEYS": TEST_FERNET_KEY,
            "NEUVOKAS_SITE_URL": self.base_url,
            "DJANGO_STATIC_ROOT": str(self.workdir / "static"),
            "DJANGO_MEDIA_ROOT": str(self.workdir / "media"),
            # No mail server here: e-mails go to the worker's log.
            "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
            **self.extra_env,
        }

    def manage(self, *args: str, env: dict[str, str] | None = None) -> None:
        result = subprocess.run(
            [str(BIN / "python"), "manage.py", *args],
            cwd=ROOT,
            env={**self.env(), **(env or {})},
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert result.returncode == 0, f"manage.py {' '.join(args)}:\n{result.stderr[-4000:]}"

    def prepare(self, *, superuser: str, password: str) -> None:
        """A fresh database, migrated, with the demo catalogue and a superuser; static
        files collected as production serves them (whitenoise's manifest)."""
        with self.server.admin() as conn:
            conn.execute(f'CREATE DATABASE "{self.database}"')
        self.manage("migrate", "--no-input", "-v", "0")
        self.manage("collectstatic", "--no-input", "-v", "0")
        self.manage("import_catalogue", "demo/catalogue.json")
        self.manage(
            "createsuperuser",
            "--no-input",
            "--username",
            superuser,
            "--email",
            f"{superuser}@example.org",
            env={"DJANGO_SUPERUSER_PASSWORD": password},
        )

    def _start(self, name: str, args: list[str]) -> None:
        self.processes[name] = subprocess.Popen(
            args,
            cwd=ROOT,
            env=self.env(),
            stdout=self.log(name).open("wb"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def start(self) -> None:
        """The ExecStart lines of deploy/*.service, on this stack's port and folders."""
        self._start(
            "web",
            [
                str(BIN / "uvicorn"),
                "intranet.asgi:application",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--workers",
                str(self.web_workers),
                "--lifespan",
                "off",
                "--no-access-log",
                "--timeout-graceful-shutdown",
                "5",
                "--timeout-keep-alive",
                "75",
            ],
        )
        celery = str(BIN / "celery")
        self._start(
            "worker",
            [
                celery,
                "-A",
                "intranet",
                "worker",
                "--concurrency",
                str(self.worker_concurrency),
                "--without-mingle",
                "--without-gossip",
                "--loglevel",
                "INFO",
            ],
        )
        self._start(
            "beat",
            [
                celery,
                "-A",
                "intranet",
                "beat",
                "--scheduler",
                "django_celery_beat.schedulers:DatabaseScheduler",
                "--pidfile",
                str(self.workdir / "beat.pid"),
                "--loglevel",
                "INFO",
            ],
        )

    def tails(self) -> str:
        return "\n".join(
            f"--- {name}.log\n{self.log(name).read_text(errors='replace')[-3000:]}"
            for name in self.processes
            if self.log(name).exists()
        )

    def wait_ready(self, timeout: float = 90.0) -> dict[str, object]:
        """Until /readyz says ready (database, broker, worker and beat all seen)."""
        last: list[object] = [None]

        def ready() -> bool:
            for name, process in self.processes.items():
                if process.poll() is not None:
                    raise AssertionError(f"{name} exited\n{self.tails()}")
            try:
                response = httpx.get(f"{self.base_url}/readyz", timeout=5)
            except httpx.HTTPError as exc:
                last[0] = repr(exc)
                return False
            last[0] = response.json()
            return response.status_code == 200

        wait_for(
            ready,
            timeout,
            what="/readyz to say ready",
            details=lambda: f"{last[0]}\n{self.tails()}",
            interval=0.25,
        )
        return last[0]  # type: ignore[return-value]

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)

    def cleanup(self) -> None:
        self.stop()
        import redis

        with contextlib.suppress(redis.RedisError):
            # The queue and kombu's binding tables for it (its exchange has its name).
            redis.Redis.from_url(REDIS_URL).delete(
                self.queue,
                f"_kombu.binding.{self.queue}",
                f"_kombu.binding_permanent.{self.queue}",
            )
        with self.server.admin() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')
