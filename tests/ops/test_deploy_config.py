"""The web server keeps an idle connection open longer than the proxy in front of it does.

nginx keeps idle connections to uvicorn open (``keepalive`` in the upstream block) and
sends the next request on one; if uvicorn has closed it just then, a GET is retried on
another connection but a POST fails. uvicorn's own default (5 s) is far below nginx's,
and benchmarks/load.py saw the failures. Every place that starts uvicorn as production
does (the systemd unit, make run's Procfile, the test stack) passes the same longer
timeout.
"""

from __future__ import annotations

import re
from pathlib import Path

from tests.ops.stack import DatabaseServer, Stack

ROOT = Path(__file__).resolve().parents[2]


def _uvicorn_keep_alive(command: str) -> int:
    match = re.search(r"--timeout-keep-alive[= ]+(\d+)", command)
    assert match, f"uvicorn started without --timeout-keep-alive: {command[:120]}"
    return int(match.group(1))


def _nginx_upstream_keepalive_timeout() -> int:
    conf = (ROOT / "deploy" / "nginx-neuvokas.conf").read_text()
    upstream = re.search(r"upstream neuvokas \{(.*?)\}", conf, re.S)
    assert upstream
    match = re.search(r"keepalive_timeout\s+(\d+)s?;", upstream.group(1))
    # nginx's default for upstream connections is 60 s when the line is missing.
    return int(match.group(1)) if match else 60


def test_uvicorn_outlasts_nginx_on_idle_connections() -> None:
    unit = (ROOT / "deploy" / "neuvokas-web.service").read_text().replace("\\\n", " ")
    exec_start = next(line for line in unit.splitlines() if line.startswith("ExecStart="))
    production = _uvicorn_keep_alive(exec_start)
    assert production > _nginx_upstream_keepalive_timeout()

    procfile = (ROOT / "Procfile.dev").read_text()
    web = next(line for line in procfile.splitlines() if line.startswith("web:"))
    assert _uvicorn_keep_alive(web) == production

    started: list[list[str]] = []

    class Recording(Stack):
        def _start(self, name: str, args: list[str]) -> None:
            started.append(args)

    server = DatabaseServer(host="127.0.0.1", port=5432, user="postgres")
    Recording(server=server, workdir=Path("/nonexistent")).start()
    web_command = next(c for c in started if "uvicorn" in c[0])
    assert _uvicorn_keep_alive(" ".join(web_command)) == production
