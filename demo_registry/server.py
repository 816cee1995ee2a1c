"""The demo registry over real HTTP: the contract's endpoints, plus admin ones for tests.

``make_server(registry)`` returns a ``ThreadingHTTPServer`` (HTTP/1.1, keep-alive,
one daemon thread per connection) serving, under ``/api/v1``:

- ``GET /cases?since=&limit=``: the change feed; cursors are opaque to clients but
  are URL-safe base64 of ``{"p": next position, "e": cursor epoch}``;
- ``GET /cases/{case_id}``, ``GET /regulations``, ``GET /regulations/{reg_id}``
  (strong ETag, ``If-None-Match`` -> 304), ``GET /codes/{list}``.

and for tests, with the same token: ``GET|POST /_demo/faults`` (see
``Faults.configure``), ``GET /_demo/invalid`` and ``POST /_demo/advance?changes=K``.

Every answer has a Content-Length (so a cut-off body is detectable) and is gzipped
when the client accepts gzip. Errors are RFC 9457 problem documents. Requests are
logged at DEBUG level by path only: no query string, no header, so neither tokens
nor anything else a client sends ends up in a log (the feed carries query codes,
but only in bodies, which are never logged).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import socket
import struct
import time
from functools import cache
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from .data import DemoRegistry
from .faults import MALFORMED, compose_page
from .pages import PageKey, Prefetcher, decode_cursor, dumps, gzip_body, page_body

API = "/api/v1"
PREFETCH_FROM = 100_000
_log = logging.getLogger(__name__)
_PROBLEM = "application/problem+json"
_JSON = "application/json; charset=utf-8"


def _accepts_gzip(header: str) -> bool:
    """Whether an Accept-Encoding value accepts gzip (named, with a q above zero)."""
    for part in header.split(","):
        name, *params = (p.strip() for p in part.split(";"))
        if name.lower() == "gzip":
            for param in params:
                key, _, value = param.partition("=")
                if key.strip().lower() == "q":
                    try:
                        return float(value) > 0
                    except ValueError:
                        return False
            return True
    return False


@cache
def _regulation_body(reg_id: str) -> tuple[bytes, str] | None:
    """(JSON body, strong ETag) of one regulation; the texts never change at run time."""
    from . import texts

    document = texts.document(reg_id)
    if document is None:
        return None
    body = dumps(document)
    return body, '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


class Problem(Exception):
    """An error answer: status, detail and extra headers."""

    def __init__(self, status: int, detail: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.status, self.detail, self.headers = status, detail, headers or {}


class RegistryServer(ThreadingHTTPServer):
    """A ThreadingHTTPServer that knows its registry (``server.registry``)."""

    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64

    def __init__(
        self, address: tuple[str, int], registry: DemoRegistry, prefetch: bool = False
    ) -> None:
        self.registry = registry
        self.prefetcher = Prefetcher(registry) if prefetch else None
        super().__init__(address, _Handler)

    def server_close(self) -> None:
        super().server_close()
        if self.prefetcher is not None:
            self.prefetcher.close()

    @property
    def base_url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}{API}"

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that hangs up is normal here (faults, retries); log, don't print.
        _log.debug("connection from %s ended with an error", client_address, exc_info=True)


def make_server(
    registry: DemoRegistry,
    host: str = "127.0.0.1",
    port: int = 8765,
    prefetch: bool | None = None,
) -> RegistryServer:
    """A server for ``registry`` bound to ``host:port`` (port 0: a free one); call
    ``serve_forever()`` (in a thread, for tests), then ``shutdown()`` and ``server_close()``.

    ``prefetch`` builds the next page of a sync in a worker process (see pages.py);
    by default it is on for registries of ``PREFETCH_FROM`` cases or more, where a
    full sync takes long enough to be worth a process.
    """
    if prefetch is None:
        prefetch = registry.cases >= PREFETCH_FROM
    return RegistryServer((host, port), registry, prefetch)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: a feed is a thousand requests
    server_version = "SunshineDemoRegistry/1.0"
    timeout = 120  # an idle keep-alive connection frees its thread eventually
    # Headers and body go out in two writes; with Nagle's algorithm the second would
    # wait for the client's delayed ACK, 40 ms per request on a keep-alive connection.
    disable_nagle_algorithm = True
    server: RegistryServer

    def do_GET(self) -> None:
        self._dispatch("GET")

    def do_POST(self) -> None:
        self._dispatch("POST")

    def do_PUT(self) -> None:
        self._dispatch("PUT")  # 405, as a problem document

    def do_DELETE(self) -> None:
        self._dispatch("DELETE")

    def log_message(self, format: str, *args: Any) -> None:
        pass  # see log_request: BaseHTTPRequestHandler would log the whole request line

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        _log.debug("%s %s -> %s", self.command, urlsplit(self.path).path, code)

    # -- plumbing ---------------------------------------------------------------

    def _dispatch(self, method: str) -> None:
        registry = self.server.registry
        url = urlsplit(self.path)
        path, query = url.path, parse_qs(url.query, keep_blank_values=True)
        truncate = False
        # Read a request body first, whatever the answer: left unread, it would be taken
        # for the next request on this keep-alive connection.
        try:
            length = max(0, int(self.headers.get("Content-Length") or 0))
        except ValueError:
            length = 0
        request_body = self.rfile.read(length) if length else b""
        try:
            expected = f"Bearer {registry.token}".encode()
            if not hmac.compare_digest(self.headers.get("Authorization", "").encode(), expected):
                raise Problem(
                    401,
                    "a valid bearer token is required",
                    {"WWW-Authenticate": 'Bearer realm="registry"'},
                )
            if path.startswith("/_demo/"):
                self._admin(method, path, query, request_body)
                return
            failure = registry.faults.take(path)
            if failure is not None:
                if failure.kind == "reset":  # no answer at all: the peer sees a reset
                    self.connection.setsockopt(
                        socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)
                    )
                    self.close_connection = True
                    return
                if failure.kind in ("503", "429"):
                    raise Problem(
                        int(failure.kind),
                        "injected fault: try again later",
                        {"Retry-After": str(failure.retry_after)},
                    )
                if failure.kind == "500":
                    raise Problem(500, "injected fault: internal error")
                if failure.kind == "malformed":
                    self._send(200, dumps(MALFORMED), _JSON, {}, False)
                    return
                if failure.kind == "slow":
                    time.sleep(failure.delay)
                truncate = failure.kind == "truncate"
            if method != "GET":
                raise Problem(405, f"{method} is not allowed here", {"Allow": "GET"})
            self._api(path, query, truncate)
        except Problem as problem:
            document = {
                "type": "about:blank",
                "title": HTTPStatus(problem.status).phrase,
                "status": problem.status,
                "detail": problem.detail,
                "instance": path,
            }
            self._send(problem.status, dumps(document), _PROBLEM, problem.headers, truncate)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        except Exception:
            _log.exception("demo registry failed on %s %s", method, path)
            document = {
                "type": "about:blank",
                "title": "Internal Server Error",
                "status": 500,
                "detail": "the demo registry failed",
                "instance": path,
            }
            self._send(500, dumps(document), _PROBLEM, {}, False)

    def _send(
        self,
        status: int,
        body: bytes,
        content_type: str,
        headers: dict[str, str],
        truncate: bool,
        etag: str | None = None,
        gzipped: bool = False,
    ) -> None:
        """Answer; the body is gzipped here if the client accepts it (unless ``gzipped``)."""
        if gzipped or self._wants_gzip():
            body = body if gzipped else gzip_body(body)
            headers = {**headers, "Content-Encoding": "gzip"}
            etag = etag[:-1] + '-gzip"' if etag else None  # a strong tag per representation
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept-Encoding")
        if etag:
            self.send_header("ETag", etag)
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        if status == 304:
            return
        if truncate:  # the full length announced, half the body sent, then hang up
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.close_connection = True
            return
        self.wfile.write(body)

    def _wants_gzip(self) -> bool:
        return _accepts_gzip(self.headers.get("Accept-Encoding", ""))

    def _int_param(
        self, query: dict[str, list[str]], name: str, default: int, low: int, high: int
    ) -> int:
        values = query.get(name)
        if not values:
            return default
        try:
            value = int(values[0])
        except ValueError:
            value = low - 1
        if not low <= value <= high:
            raise Problem(400, f"{name} must be an integer from {low} to {high}")
        return value

    # -- the contract -----------------------------------------------------------

    def _api(self, path: str, query: dict[str, list[str]], truncate: bool) -> None:
        registry = self.server.registry
        if not path.startswith(API + "/"):
            raise Problem(404, "no such resource")
        parts = [unquote(p) for p in path[len(API) + 1 :].split("/")]
        if parts == ["cases"]:
            self._send(200, self._page(query), _JSON, {}, truncate, gzipped=self._wants_gzip())
            return
        if len(parts) == 2 and parts[0] == "cases":
            case = registry.case_state(parts[1])
            if case is None:
                raise Problem(404, "no such case, or it was deleted")
            body = dumps(case)
        elif parts == ["regulations"]:
            body = dumps({"items": registry.regulations()})
        elif len(parts) == 2 and parts[0] == "regulations":
            found = _regulation_body(parts[1])
            if found is None:
                raise Problem(404, "no such regulation")
            body, etag = found
            wanted = self.headers.get("If-None-Match", "")
            tags = {t.strip().removeprefix("W/").replace("-gzip", "") for t in wanted.split(",")}
            if wanted.strip() == "*" or etag in tags:
                self._send(304, body, _JSON, {}, False, etag)
                return
            self._send(200, body, _JSON, {}, truncate, etag)
            return
        elif len(parts) == 2 and parts[0] == "codes":
            code_list = registry.codes(parts[1])
            if code_list is None:
                raise Problem(404, "no such code list: categories, channels, regions, agencies")
            body = dumps(code_list)
        else:
            raise Problem(404, "no such resource")
        self._send(200, body, _JSON, {}, truncate)

    def _page(self, query: dict[str, list[str]]) -> bytes:
        """The body of one page of the feed, gzipped if the client accepts gzip."""
        registry = self.server.registry
        faults = registry.faults
        limit = self._int_param(query, "limit", 500, 1, 1000)
        length = registry.feed_length
        since = query.get("since", [""])[0]
        if since:
            try:
                start, epoch = decode_cursor(since)
            except ValueError as error:
                raise Problem(400, str(error)) from None
            if epoch < faults.epoch:
                raise Problem(410, "the cursor has expired: run a full sync")
            if epoch > faults.epoch or start > length:
                raise Problem(400, "the cursor is not one this registry issued")
        else:
            start, epoch = 0, faults.epoch
        stop = min(start + limit, length)
        generated_at, gz = registry.generated_at(), self._wants_gzip()
        key: PageKey = (start, stop, epoch, length, generated_at, gz)
        prefetcher = self.server.prefetcher
        body = prefetcher.take(key) if prefetcher and prefetcher.usable(start, stop) else None
        following = min(stop + limit, length)
        if prefetcher and stop < length and prefetcher.usable(stop, following):
            prefetcher.submit((stop, following, epoch, length, generated_at, gz))
        if body is None:
            body = page_body(compose_page(registry, faults, start, stop), key)
        return body

    # -- test administration ----------------------------------------------------

    def _admin(self, method: str, path: str, query: dict[str, list[str]], body: bytes) -> None:
        registry = self.server.registry
        if path == "/_demo/faults" and method == "POST":
            try:
                settings = json.loads(body or b"{}")
                if not isinstance(settings, dict):
                    raise ValueError("the body must be a JSON object")
                registry.faults.configure(settings)
            except (ValueError, TypeError) as error:
                raise Problem(400, str(error)) from None
            result: Any = registry.faults.snapshot()
        elif path == "/_demo/faults" and method == "GET":
            result = registry.faults.snapshot()
        elif path == "/_demo/invalid" and method == "GET":
            result = {
                "items": [{"position": p, **v} for p, v in registry.invalid_positions().items()]
            }
        elif path == "/_demo/advance" and method == "POST":
            changes = self._int_param(query, "changes", 100, 0, 1_000_000)
            try:
                hours = float(query.get("hours", ["24"])[0])
            except ValueError:
                hours = -1.0
            if not 0 < hours <= 24 * 366:
                raise Problem(400, "hours must be a number of hours, more than 0, up to a year")
            length = registry.advance(changes, hours)
            result = {"feed_length": length, "now": registry.generated_at()}
        else:
            raise Problem(
                404,
                "admin: POST /_demo/faults, GET /_demo/faults, "
                "GET /_demo/invalid, POST /_demo/advance?changes=K",
            )
        self._send(200, dumps(result), _JSON, {}, False)
