"""Shared by the search benchmarks: a throwaway database and Django set-up.

Each benchmark creates a fresh database on the server ``DATABASE_URL`` names (or on the
embedded PostgreSQL when it is unset), migrates it, runs, and drops it again.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "intranet.settings.test")
    import django

    django.setup()


@contextmanager
def throwaway_database(label: str, *, keep: bool = False, name: str = "") -> Iterator[str]:
    """Create, migrate and finally drop (unless ``keep``) a database named after ``label``
    (or ``name``)."""
    from django.db import connection

    name = name or f"neuvokas_bench_{label}_{os.getpid()}"
    original = connection.settings_dict["NAME"]
    connection.settings_dict.setdefault("TEST", {})["NAME"] = name
    started = time.monotonic()
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    print(
        f"# database {name} on {connection.settings_dict.get('HOST') or 'local socket'}"
        f" ({server_version()}), migrated in {time.monotonic() - started:.1f} s"
    )
    try:
        yield name
    finally:
        if keep:
            print(f"# kept database {name}")
        else:
            connection.creation.destroy_test_db(original, verbosity=0)


@contextmanager
def existing_database(name: str) -> Iterator[str]:
    """Use an already filled database (kept by an earlier run with --keep-db)."""
    from django.db import connection

    connection.close()
    connection.settings_dict["NAME"] = name
    yield name


def database_exists(name: str) -> bool:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        return cursor.fetchone() is not None


def server_version() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return "PostgreSQL " + cursor.fetchone()[0].split()[0]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    k = (len(ordered) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)
