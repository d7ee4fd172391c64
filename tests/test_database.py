"""The embedded PostgreSQL's lifecycle: started on demand, stopped by its last user."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from intranet.database import stop_embedded

ROOT = Path(__file__).resolve().parent.parent

# In "wait" mode the child blocks on its stdin, a pipe from this process: it lives until
# the test kills it, or until the test process goes and the pipe closes.
START = """
import sys
from pathlib import Path
from intranet.database import embedded_database
db = embedded_database(Path(sys.argv[1]))
print(db["HOST"], flush=True)
if sys.argv[2] == "wait":
    sys.stdin.read()
"""


def _start(var_dir: Path, mode: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", START, str(var_dir), mode],
        cwd=ROOT,
        text=True,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def _running(var_dir: Path) -> bool:
    return (var_dir / "pgdata" / "postmaster.pid").exists()


@pytest.fixture
def var_dir(tmp_path: Path):
    yield tmp_path
    stop_embedded(tmp_path)


def test_embedded_server_stops_when_its_last_user_exits(var_dir):
    process = _start(var_dir, "exit")
    out, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    assert out.strip()  # the socket directory it connected through
    assert not _running(var_dir)


def test_embedded_server_stops_after_sigterm(var_dir):
    process = _start(var_dir, "wait")
    assert process.stdout.readline().strip()
    assert _running(var_dir)
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=60)
    assert not _running(var_dir)


def test_stop_embedded_after_a_killed_user_and_not_while_one_lives(var_dir):
    killed = _start(var_dir, "wait")
    assert killed.stdout.readline().strip()
    living = _start(var_dir, "wait")
    assert living.stdout.readline().strip()

    os.kill(killed.pid, signal.SIGKILL)
    killed.wait(timeout=30)
    assert stop_embedded(var_dir) == "still in use"
    assert _running(var_dir)

    os.kill(living.pid, signal.SIGKILL)
    living.wait(timeout=30)  # reaped: its handle is now a dead pid
    assert stop_embedded(var_dir) == "stopped"
    assert not _running(var_dir)
