"""A portal on 127.0.0.1 for the crawler tests: it serves a fixture folder, plus scripted routes
(redirects, errors, a slow page), and counts every request it gets. Bounded: it answers at most
MAX_REQUESTS requests (then 503) and the tests stop it; it listens on 127.0.0.1 only."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from urllib.parse import unquote, urlsplit

MAX_REQUESTS = 400


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


Route = Callable[["PortalServer"], Reply]


class PortalServer:
    def __init__(
        self,
        root: Path | None = None,
        *,
        routes: dict[str, Route] | None = None,
        content_types: dict[str, str] | None = None,
        latency: float = 0.0,
    ) -> None:
        self.root = root
        self.routes = routes or {}
        self.content_types = content_types or {}
        self.latency = latency  # every answer waits this long (to interrupt a crawl midway)
        self.requests: Counter[str] = Counter()  # path with query → times asked
        self.hosts: Counter[str] = Counter()  # Host header → requests (127.0.0.1:port or an alias)
        self.user_agents: set[str] = set()
        self.substitutions: dict[str, str] = {}  # placeholders in served pages ({{PORT}} …)
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> PortalServer:
        self.substitutions.setdefault("{{PORT}}", str(self.port))
        self._thread.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=10)

    def total(self) -> int:
        with self._lock:
            return sum(self.requests.values())

    def answer(self, target: str, host: str, user_agent: str) -> Reply:
        with self._lock:
            if sum(self.requests.values()) >= MAX_REQUESTS:
                return Reply(503, b"too many requests for a test")
            self.requests[target] += 1
            self.hosts[host] += 1
            self.user_agents.add(user_agent)
        route = self.routes.get(target)
        if route is not None:
            return route(self)
        return self._file(urlsplit(target).path)

    def _file(self, path: str) -> Reply:
        if self.root is None:
            return Reply(404, b"not found")
        relative = unquote(path).lstrip("/")
        if not relative or relative.endswith("/"):
            relative += "index.html"
        file = (self.root / relative).resolve()
        if self.root.resolve() not in file.parents or not file.is_file():
            return Reply(404, b"<html><body>404 Not Found</body></html>", {"Content-Type": "text/html"})
        body = file.read_bytes()
        for placeholder, value in self.substitutions.items():
            body = body.replace(placeholder.encode(), value.encode())
        content_type = self.content_types.get(path) or (
            "text/html" if file.suffix in (".html", ".htm", ".shtml") else "application/octet-stream"
        )
        return Reply(200, body, {"Content-Type": content_type})


def _handler(server: PortalServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            reply = server.answer(self.path, self.headers.get("Host", ""), self.headers.get("User-Agent", ""))
            time.sleep(server.latency + reply.delay)
            try:
                self.send_response(reply.status)
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(reply.body)))
                self.end_headers()
                self.wfile.write(reply.body)
            except OSError:
                pass  # the crawler gave up waiting (a timeout test)

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler
