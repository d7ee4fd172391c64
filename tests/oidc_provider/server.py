"""Start the real OpenID Connect provider (provider.mjs: panva's oidc-provider under Node)
on a free loopback port for a test, and stop it afterwards.

Its packages come from the lock file (``make oidc-deps``, which ``make test`` runs). A
missing Node or missing packages fail the test loudly: they never skip it.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.helpers import wait_for

PROVIDER_DIR = Path(__file__).resolve().parent
CLIENT_ID = "neuvokas-test"
CLIENT_SECRET = "neuvokas-test-secret-not-secret"


@dataclass
class RunningProvider:
    issuer: str
    accounts_file: Path
    log_file: Path

    def set_accounts(self, accounts: dict[str, dict[str, object]]) -> None:
        """The provider's people: login (their ``sub``) → claims. Read at every sign-in."""
        self.accounts_file.write_text(json.dumps(accounts))

    def log(self) -> str:
        return self.log_file.read_text(errors="replace")[-4000:]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def running_provider(workdir: Path, *, app_url: str) -> Iterator[RunningProvider]:
    """A provider whose one client is the intranet at ``app_url`` (callback
    ``/oidc/callback/``, back after sign-out to ``/kirjaudu/``)."""
    node = shutil.which("node")
    if node is None:
        raise RuntimeError("node is not installed: the OpenID Connect tests need Node 20+")
    if not (PROVIDER_DIR / "node_modules" / "oidc-provider").is_dir():
        raise RuntimeError(
            "tests/oidc_provider/node_modules is missing: run `make oidc-deps` (npm ci)"
        )
    port = _free_port()
    issuer = f"http://127.0.0.1:{port}"
    workdir.mkdir(parents=True, exist_ok=True)
    provider = RunningProvider(
        issuer=issuer,
        accounts_file=workdir / "accounts.json",
        log_file=workdir / "provider.log",
    )
    provider.set_accounts({})
    config = workdir / "provider.json"
    config.write_text(
        json.dumps(
            {
                "port": port,
                "issuer": issuer,
                "accountsFile": str(provider.accounts_file),
                "client": {
                    "client_id": CLIENT_ID,
                    "client_secret": CLIENT_SECRET,
                    "redirect_uris": [f"{app_url}/oidc/callback/"],
                    "post_logout_redirect_uris": [f"{app_url}/kirjaudu/"],
                    "grant_types": ["authorization_code"],
                    "response_types": ["code"],
                    "token_endpoint_auth_method": "client_secret_post",
                },
            }
        )
    )
    with provider.log_file.open("w") as log:
        process = subprocess.Popen(
            [node, "provider.mjs", str(config)],
            cwd=PROVIDER_DIR,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_for(
            lambda: "ready " in provider.log() or process.poll() is not None,
            timeout=30,
            what="the OpenID Connect provider to listen",
            details=provider.log,
        )
        if process.poll() is not None:
            raise RuntimeError("the OpenID Connect provider exited:\n" + provider.log())
        yield provider
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
