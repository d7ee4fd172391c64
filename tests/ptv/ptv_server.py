"""A PTV Open API v11 look-alike on loopback for the import tests: it serves the JSON
fixtures in ``fixtures/`` (written from the published data model), records every request,
and can answer 500 a given number of times first."""

from __future__ import annotations

import copy
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

FIXTURES = Path(__file__).parent / "fixtures"
ORGANISATION = "0a1b2c3d-0000-4000-8000-00000000000a"
SERVICE_A = "6f1c1a3e-2b8d-4d6a-9c2e-0a1b2c3d4e01"  # fi/sv/en, phone, location, e-channel
SERVICE_B = "6f1c1a3e-2b8d-4d6a-9c2e-0a1b2c3d4e02"  # Finnish only, two municipalities
SERVICE_C = "6f1c1a3e-2b8d-4d6a-9c2e-0a1b2c3d4e03"  # archived in PTV
SERVICE_D = "6f1c1a3e-2b8d-4d6a-9c2e-0a1b2c3d4e04"  # malformed: no Finnish name
PHONE_CHANNEL = "a1b2c3d4-0000-4000-8000-000000000101"
LOCATION_CHANNEL = "a1b2c3d4-0000-4000-8000-000000000102"
LIST_PATH = "/api/v11/Service/list/organization"


def load(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


class PtvFixtureServer:
    """Tests edit ``pages``, ``channels`` and ``organisations`` in place to change what
    PTV says."""

    def __init__(self) -> None:
        self.pages: list[dict[str, Any]] = [
            load("services-page-1.json"),
            load("services-page-2.json"),
        ]
        self.channels: dict[str, dict[str, Any]] = {
            path.stem: load(f"channels/{path.name}")
            for path in sorted((FIXTURES / "channels").glob("*.json"))
        }
        self.organisations: dict[str, dict[str, Any]] = {
            path.stem: load(f"organisations/{path.name}")
            for path in sorted((FIXTURES / "organisations").glob("*.json"))
        }
        self.listing = {ORGANISATION}  # organisations whose services ``pages`` are
        self.fail: dict[str, int] = {}  # request key -> how many 500s to answer first
        self.requests: list[str] = []
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                status, body = server.answer(self.path)
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @staticmethod
    def key(path: str, **query: Any) -> str:
        return path + "".join(f"&{k}={v}" for k, v in sorted(query.items()))

    def answer(self, raw: str) -> tuple[int, Any]:
        parts = urlsplit(raw)
        key = self.key(parts.path, **dict(parse_qsl(parts.query)))
        with self._lock:
            self.requests.append(key)
            if self.fail.get(key, 0) > 0:
                self.fail[key] -= 1
                return 500, {"error": "Internal Server Error"}
        if parts.path == LIST_PATH:
            query = dict(parse_qsl(parts.query))
            page = int(query.get("page", "1"))
            if query.get("organizationId") not in self.listing or not 1 <= page <= len(self.pages):
                return 200, {"pageNumber": page, "pageCount": len(self.pages), "itemList": []}
            return 200, copy.deepcopy(self.pages[page - 1])
        prefix = "/api/v11/Organization/"
        if parts.path.startswith(prefix) and parts.path[len(prefix) :] in self.organisations:
            return 200, copy.deepcopy(self.organisations[parts.path[len(prefix) :]])
        prefix = "/api/v11/ServiceChannel/"
        if parts.path.startswith(prefix) and parts.path[len(prefix) :] in self.channels:
            return 200, copy.deepcopy(self.channels[parts.path[len(prefix) :]])
        return 404, {"error": "Not found"}

    def service(self, ptv_id: str) -> dict[str, Any]:
        for page in self.pages:
            for item in page["itemList"]:
                if item["id"] == ptv_id:
                    return item
        raise KeyError(ptv_id)

    def page_key(self, page: int) -> str:
        return self.key(LIST_PATH, organizationId=ORGANISATION, page=page)

    def __enter__(self) -> PtvFixtureServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=10)
