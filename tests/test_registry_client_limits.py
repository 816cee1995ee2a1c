"""The registry client's limits, each against a real HTTP server on loopback.

A small purpose-built server answers the faults the demo registry does not
produce (a gzip bomb, an oversized body, a body or headers dripped a byte at a
time, a redirect to another origin, an error that echoes the token and a note);
the demo registry serves the rest. Nothing is mocked but the socket guard that
proves a refused URL opens no connection.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import subprocess
import sys
import threading
import time
import tracemalloc
import zlib
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import requests

from demo_registry import DemoRegistry, make_server
from fetch.cli import EXIT_PROTOCOL, EXIT_SETTING, run_fetch
from fetch.client import CHUNK_BYTES, RegistryClient, RetryPolicy, check_registry_url
from fetch.errors import (
    RegistryProtocolError,
    RegistryUnavailable,
    ResponseTooLarge,
    UnsafeRegistryURL,
)
from fetch.sync import FetchReport, fetch_all, fetch_code_lists
from store import Store
from sunshine.config import Settings
from tests.conftest import base_url, running

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "s3cret-t0ken-do-not-leak"
NOTE = "信访人张三，手机13812345678，住址幸福路8号"
ONCE = RetryPolicy(attempts=1, total_seconds=30, initial_backoff=0.01, max_backoff=0.05)
TWICE = RetryPolicy(attempts=2, total_seconds=30, initial_backoff=0.01, max_backoff=0.05)
MiB = 1024 * 1024
# The registry contract's example page (shared/registry/examples/), copied.
EXAMPLES = Path(__file__).parent / "data" / "cases-page.json"

Route = Callable[["_Handler"], None]


# -- a purpose-built server ------------------------------------------------------


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, routes: dict[str, Route]) -> None:
        self.routes = routes
        self.seen: list[tuple[str, dict[str, str]]] = []  # (path, headers) of every request
        super().__init__(("127.0.0.1", 0), _Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that gives up mid-answer is what these tests are about


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def do_GET(self) -> None:
        path = self.path.split("?")[0]
        self.server.seen.append((path, dict(self.headers)))
        route = self.server.routes.get(path)
        if route is None:
            self.answer(404, b'{"title": "Not Found"}')
        else:
            route(self)

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def answer(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for name, value in {"Content-Type": "application/json", **(headers or {})}.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def serve() -> Iterator[Callable[[dict[str, Route]], _Server]]:
    """Start purpose-built servers on free loopback ports; stop them after the test."""
    started: list[_Server] = []

    def start(routes: dict[str, Route]) -> _Server:
        server = _Server(routes)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.shutdown()
        server.server_close()


def url_of(server: _Server) -> str:
    return base_url(server) + "/api/v1"


def client(url: str, retry: RetryPolicy = ONCE, **kwargs: Any) -> RegistryClient:
    return RegistryClient(url, TOKEN, requests.Session(), retry=retry, **kwargs)


def json_route(document: Any, status: int = 200) -> Route:
    return lambda handler: handler.answer(status, json.dumps(document).encode())


def minimal_registry(items: list[Any] | None = None) -> dict[str, Route]:
    """Routes of a tiny registry that keeps the contract: one feed page, no regulations."""
    page = {
        "items": items or [],
        "next": "c1",
        "has_more": False,
        "generated_at": "2025-07-01T08:00:00+08:00",
    }
    routes = {
        "/api/v1/cases": json_route(page),
        "/api/v1/regulations": json_route({"items": []}),
    }
    for name, code in (
        ("categories", "land"),
        ("channels", "online"),
        ("regions", "330212"),
        ("agencies", "330212-ZJJ"),
    ):
        routes[f"/api/v1/codes/{name}"] = json_route(
            {"list": name, "version": "1", "items": [{"code": code, "name": {"zh": code}}]}
        )
    return routes


def example_case() -> dict[str, Any]:
    case: dict[str, Any] = json.loads(EXAMPLES.read_text(encoding="utf-8"))["items"][0]
    return case


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store.open(tmp_path / "var")
    yield opened
    opened.close()


# -- size caps -------------------------------------------------------------------


def gzip_bomb(decoded_bytes: int) -> bytes:
    """One gzip member of ``decoded_bytes`` zeros (about a thousandth of that), built in pieces."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = bytes(MiB)
    parts = [packer.compress(block) for _ in range(decoded_bytes // MiB)]
    return b"".join(parts) + packer.flush()


def gzip_members_bomb(decoded_bytes: int) -> bytes:
    """The same as members of a MiB each, one after another: cheap to build at any size."""
    return gzip_bomb(MiB) * (decoded_bytes // MiB)


@pytest.mark.parametrize(
    "bomb",
    [
        pytest.param(lambda: gzip_bomb(128 * MiB), id="one member, 128 MiB"),
        pytest.param(lambda: gzip_members_bomb(2048 * MiB), id="members, 2 GiB"),
    ],
)
def test_a_gzip_bomb_stops_at_the_cap_with_memory_of_the_cap(
    serve: Any, bomb: Callable[[], bytes]
) -> None:
    body = bomb()
    assert len(body) < 3 * MiB
    server = serve({"/api/v1/cases": lambda h: h.answer(200, body, {"Content-Encoding": "gzip"})})
    cap = 1 * MiB
    tracemalloc.start()
    try:
        with pytest.raises(ResponseTooLarge) as failure:
            client(url_of(server), max_decoded_bytes=cap).get("cases")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert failure.value.what == "decompressed"
    assert cap < failure.value.counted <= cap + 1  # inflating stops one byte past the cap
    assert peak < 8 * MiB, f"peak {peak / MiB:.1f} MiB while reading a bomb capped at 1 MiB"
    assert "decompressed" in str(failure.value) and "/api/v1/cases" in str(failure.value)


@pytest.mark.parametrize("announced", [True, False])
def test_an_oversized_plain_body_stops_at_the_cap(serve: Any, announced: bool) -> None:
    body = b"[" + b"0," * (3 * MiB) + b"0]"

    def route(handler: _Handler) -> None:
        if announced:
            handler.answer(200, body)
            return
        # No Content-Length: the size is only known by counting.
        handler.send_response(200)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Connection", "close")
        handler.end_headers()
        handler.wfile.write(body)
        handler.close_connection = True

    server = serve({"/api/v1/cases": route})
    cap = 1 * MiB
    with pytest.raises(ResponseTooLarge) as failure:
        client(url_of(server), max_body_bytes=cap).get("cases")
    assert failure.value.what == "received"
    # Announced: refused before reading; counted: at most one read past the cap.
    assert (
        failure.value.counted == 0
        if announced
        else cap < failure.value.counted <= cap + CHUNK_BYTES
    )


def test_a_body_under_the_caps_is_read_whole_gzipped_or_not(serve: Any) -> None:
    document = {"items": [{"n": n, "text": "条" * 50} for n in range(2000)]}
    plain = json.dumps(document, ensure_ascii=False).encode()
    packer = zlib.compressobj(6, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    gzipped = packer.compress(plain) + packer.flush()
    server = serve(
        {
            "/api/v1/plain": lambda h: h.answer(200, plain),
            "/api/v1/gzip": lambda h: h.answer(200, gzipped, {"Content-Encoding": "gzip"}),
            # Two gzip members one after the other are one gzip body.
            "/api/v1/members": lambda h: h.answer(
                200, _two_members(plain), {"Content-Encoding": "gzip"}
            ),
        }
    )
    reader = client(url_of(server), max_body_bytes=len(plain), max_decoded_bytes=len(plain))
    assert reader.get("plain").body == document
    assert reader.get("gzip").body == document
    assert reader.get("members").body == document


def _two_members(plain: bytes) -> bytes:
    half = len(plain) // 2
    members = b""
    for part in (plain[:half], plain[half:]):
        packer = zlib.compressobj(6, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
        members += packer.compress(part) + packer.flush()
    return members


def test_a_gzip_body_cut_short_is_retried_then_reported(serve: Any) -> None:
    packer = zlib.compressobj(6, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    whole = packer.compress(b'{"items": []}' * 1000) + packer.flush()
    server = serve(
        {"/api/v1/cases": lambda h: h.answer(200, whole[:-20], {"Content-Encoding": "gzip"})}
    )
    with pytest.raises(RegistryUnavailable, match="ended early") as failure:
        client(url_of(server), retry=TWICE).get("cases")
    assert failure.value.attempts == 2


# -- the deadline and the retry budget -------------------------------------------


def drip_body(interval: float, length: int = 40) -> Route:
    """Headers at once, then the announced body one byte every ``interval`` seconds."""

    def route(handler: _Handler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(length))
        handler.end_headers()
        for _ in range(length):
            handler.wfile.write(b" ")
            handler.wfile.flush()
            time.sleep(interval)

    return route


def drip_headers(interval: float, count: int = 12) -> Route:
    """The status line, then one header byte every ``interval`` seconds."""

    def route(handler: _Handler) -> None:
        handler.wfile.write(b"HTTP/1.1 200 OK\r\nX-Slow: ")
        for _ in range(count):
            handler.wfile.write(b"a")
            handler.wfile.flush()
            time.sleep(interval)

    return route


def _request_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "registry-request"]


@pytest.mark.parametrize("route", [drip_body(0.3), drip_headers(0.3)], ids=["body", "headers"])
def test_a_dripping_answer_ends_at_the_deadline(serve: Any, route: Route) -> None:
    server = serve({"/api/v1/cases": route})
    # Each byte comes well within the read timeout, so only the deadline can end it.
    reader = client(url_of(server), read_timeout=5, deadline=2)
    started = time.monotonic()
    with pytest.raises(RegistryUnavailable, match="deadline of 2 s") as failure:
        reader.get("cases")
    took = time.monotonic() - started
    assert 2 <= took < 2.5, took
    assert failure.value.attempts == 1


def test_an_abandoned_body_read_ends_its_thread(serve: Any) -> None:
    server = serve({"/api/v1/cases": drip_body(1.0)})
    before = set(_request_threads())  # a thread stuck reading headers ends only with its server
    with pytest.raises(RegistryUnavailable):
        client(url_of(server), read_timeout=5, deadline=1.5).get("cases")
    # The connection is shut at the deadline, so the reading thread does not wait
    # for the next byte (a second away) to notice.
    time.sleep(0.3)
    assert set(_request_threads()) <= before


def test_retries_stay_within_the_request_budget(serve: Any) -> None:
    server = serve({"/api/v1/cases": drip_body(0.3)})
    budget = RetryPolicy(attempts=10, total_seconds=3, initial_backoff=0.01, max_backoff=0.05)
    reader = client(url_of(server), retry=budget, read_timeout=5, deadline=2)
    started = time.monotonic()
    with pytest.raises(RegistryUnavailable) as failure:
        reader.get("cases")
    took = time.monotonic() - started
    # Two attempts: a whole deadline, then what is left of the budget.
    assert failure.value.attempts == 2
    assert 3 <= took < 3.5, took


def test_a_retry_after_beyond_the_budget_is_not_waited_for(serve: Any) -> None:
    server = serve({"/api/v1/cases": lambda h: h.answer(503, b"{}", {"Retry-After": "3600"})})
    budget = RetryPolicy(attempts=5, total_seconds=10, initial_backoff=0.01, max_backoff=0.05)
    started = time.monotonic()
    with pytest.raises(RegistryUnavailable, match="HTTP 503"):
        client(url_of(server), retry=budget).get("cases")
    assert time.monotonic() - started < 1


# -- messages --------------------------------------------------------------------


def _echo(status: int) -> Route:
    """An error (or a broken answer) quoting the request's token and a note, in body and headers."""

    def route(handler: _Handler) -> None:
        said = handler.headers.get("Authorization", "")
        body = json.dumps(
            {"title": "oops", "detail": f"{said} rejected; note: {NOTE}"}, ensure_ascii=False
        ).encode()
        if status == 200:
            body = body[:-1]  # not JSON any more
        handler.answer(status, body, {"X-Echo": said, "Content-Type": "application/problem+json"})

    return route


@pytest.mark.parametrize("status", [500, 400, 404, 200])
def test_messages_and_logs_never_quote_what_the_registry_sent(
    serve: Any, caplog: pytest.LogCaptureFixture, status: int
) -> None:
    server = serve({"/api/v1/cases": _echo(status)})
    caplog.set_level(logging.DEBUG)
    with pytest.raises((RegistryUnavailable, RegistryProtocolError)) as failure:
        client(url_of(server), retry=TWICE).get("cases", {"since": "cursor"})
    message = str(failure.value)
    assert f"{url_of(server)}/cases" in message
    assert (f"HTTP {status}" in message) or status == 200
    logged = " ".join(record.getMessage() for record in caplog.records)
    for secret in (TOKEN, NOTE, "13812345678", "rejected"):
        assert secret not in message and secret not in logged
    assert "cursor" not in message  # nor the query string
    assert server.seen  # the token did reach the registry, so it was there to echo


def test_invalid_items_are_reported_by_field_never_by_value(
    serve: Any, store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    case = example_case()
    bad = {**case, "agency": "<script>alert(1)</script>"}
    bad["events"] = [{**case["events"][0], "note": NOTE * 200}]  # far over 2000 characters
    server = serve(minimal_registry([bad]))
    caplog.set_level(logging.DEBUG)
    report = fetch_all(client(url_of(server)), store)
    assert report.quarantined == 1
    (entry,) = store.quarantined()
    assert "agency" in entry["reason"] and "events.0.note" in entry["reason"]
    shown = entry["reason"] + report.summary() + " ".join(r.getMessage() for r in caplog.records)
    for value in ("<script>", "13812345678", "张三", case["tracking_code"]):
        assert value not in shown


# -- https and redirects ---------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://registry.example.org/api/v1",
        "http://10.0.0.8:8765/api/v1",
        "http://127.0.0.1.example.org/api/v1",
        "http://localhost.example.org/api/v1",
        "ftp://registry.example.org/api/v1",
        "https://user:password@registry.example.org/api/v1",
        "https://registry.example.org/api/v1?x=1",
        "registry.example.org/api/v1",
    ],
)
def test_an_unsafe_registry_url_is_refused(url: str) -> None:
    with pytest.raises(UnsafeRegistryURL, match="REGISTRY_URL") as failure:
        RegistryClient(url, TOKEN, requests.Session())
    assert "password" not in str(failure.value).replace("user name or password", "")


@pytest.mark.parametrize(
    "url",
    [
        "https://registry.example.org/api/v1",
        "http://127.0.0.1:8765/api/v1",
        "http://127.8.9.10/api/v1",
        "http://[::1]:8765/api/v1",
        "http://localhost:8765/api/v1",
        "HTTP://LOCALHOST/api/v1",
    ],
)
def test_https_or_loopback_is_accepted(url: str) -> None:
    assert check_registry_url(url) == url


def test_plain_http_to_a_remote_host_opens_no_socket(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def no_network(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("a socket was opened")

    settings = Settings(
        registry_url="http://registry.example.org/api/v1",  # type: ignore[arg-type]
        registry_token=TOKEN,  # type: ignore[arg-type]
        var_dir=tmp_path / "var",
    )
    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    code = run_fetch(settings, progress=False)
    err = capsys.readouterr().err
    assert code == EXIT_SETTING
    assert err.count("\n") == 1 and "REGISTRY_URL" in err and "registry.example.org" in err
    assert TOKEN not in err


def test_a_redirect_to_another_origin_is_refused_and_gets_no_token(serve: Any) -> None:
    elsewhere = serve({"/api/v1/cases": json_route({"stolen": True})})
    target = f"{url_of(elsewhere)}/cases"
    registry = serve({"/api/v1/cases": lambda h: h.answer(302, b"", {"Location": target})})
    with pytest.raises(RegistryProtocolError, match="another origin") as failure:
        client(url_of(registry), retry=TWICE).get("cases")
    assert elsewhere.seen == []  # not followed at all: no request, so no Authorization
    assert str(elsewhere.server_address[1]) not in str(failure.value)  # the Location is not quoted
    assert [path for path, _ in registry.seen] == ["/api/v1/cases"]  # not retried either


def test_the_same_host_by_another_name_is_another_origin(serve: Any) -> None:
    registry = serve({})
    port = registry.server_address[1]
    registry.routes["/api/v1/cases"] = lambda h: h.answer(
        307, b"", {"Location": f"http://localhost:{port}/api/v1/new"}
    )
    registry.routes["/api/v1/new"] = json_route({"ok": True})
    with pytest.raises(RegistryProtocolError, match="another origin"):
        client(url_of(registry)).get("cases")
    assert [path for path, _ in registry.seen] == ["/api/v1/cases"]


def test_a_same_origin_redirect_is_followed_with_the_token(serve: Any) -> None:
    registry = serve(
        {
            "/api/v1/old": lambda h: h.answer(301, b"", {"Location": "/api/v1/new?x=1"}),
            "/api/v1/new": json_route({"ok": True}),
        }
    )
    assert client(url_of(registry)).get("old").body == {"ok": True}
    assert [(path, headers["Authorization"]) for path, headers in registry.seen] == [
        ("/api/v1/old", f"Bearer {TOKEN}"),
        ("/api/v1/new", f"Bearer {TOKEN}"),
    ]


def test_a_redirect_loop_is_a_contract_violation(serve: Any) -> None:
    registry = serve({"/api/v1/loop": lambda h: h.answer(302, b"", {"Location": "/api/v1/loop"})})
    with pytest.raises(RegistryProtocolError, match="redirects more than"):
        client(url_of(registry)).get("loop")


# -- contract violations end the run with exit 4 ---------------------------------


@pytest.fixture
def demo() -> Iterator[tuple[DemoRegistry, str]]:
    data = DemoRegistry(cases=60, seed=3, token=TOKEN)
    with running(make_server(data, "127.0.0.1", 0)) as server:
        yield data, base_url(server) + "/api/v1"


def test_a_malformed_regulations_listing_exits_4_with_one_line(
    demo: tuple[DemoRegistry, str], tmp_path: Path
) -> None:
    data, url = demo
    data.faults.fail_next("malformed", path_prefix="/api/v1/regulations")
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SUNSHINE_", "REGISTRY_"))
    }
    env.update(REGISTRY_URL=url, REGISTRY_TOKEN=TOKEN, SUNSHINE_VAR=str(tmp_path / "var"))
    # What `invoke fetch` runs, in a process of its own: its exit code and its stderr.
    script = (
        "import sys\n"
        "from fetch.cli import run_fetch\n"
        "from sunshine.config import load_settings\n"
        "sys.exit(run_fetch(load_settings(), progress=False))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == EXIT_PROTOCOL, done.stderr
    assert "Traceback" not in done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1, lines
    assert "regulations listing" in lines[0] and "items" in lines[0]
    assert TOKEN not in done.stderr


@pytest.mark.parametrize(
    "prefix, named",
    [
        ("/api/v1/cases", "feed page"),
        ("/api/v1/codes/agencies", "codes/agencies"),
        ("/api/v1/codes/categories", "codes/categories"),
    ],
)
def test_every_malformed_listing_exits_4_with_one_line(
    demo: tuple[DemoRegistry, str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    prefix: str,
    named: str,
) -> None:
    data, url = demo
    data.faults.fail_next("malformed", path_prefix=prefix)
    settings = Settings(
        registry_url=url,  # type: ignore[arg-type]
        registry_token=TOKEN,  # type: ignore[arg-type]
        var_dir=tmp_path / "var",
    )
    code = run_fetch(settings, progress=False)
    err = capsys.readouterr().err
    assert code == EXIT_PROTOCOL
    assert err.count("\n") == 1 and named in err, err


def test_a_code_list_that_names_another_list_exits_4(
    serve: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    routes = minimal_registry()
    routes["/api/v1/codes/regions"] = json_route({"list": "agencies", "version": "1", "items": []})
    server = serve(routes)
    settings = Settings(
        registry_url=url_of(server),  # type: ignore[arg-type]
        registry_token=TOKEN,  # type: ignore[arg-type]
        var_dir=tmp_path / "var",
    )
    assert run_fetch(settings, progress=False) == EXIT_PROTOCOL
    assert "codes/regions" in capsys.readouterr().err


def test_a_bad_entry_of_the_regulations_listing_is_set_aside(
    demo: tuple[DemoRegistry, str], store: Store
) -> None:
    data, url = demo
    fetch_all(client(url), store)
    kept = {reg_id for (reg_id,) in store.db.execute("SELECT reg_id FROM regulations")}
    original = data.regulations

    def listing() -> list[dict[str, Any]]:
        items = original()
        items[0] = {**items[0], "supersedes": ["../../etc/passwd"]}
        return [*items, {"reg_id": "<img src=x>", "title": "t"}]

    data.regulations = listing  # type: ignore[method-assign]
    report = fetch_all(client(url), store)
    assert report.quarantined == 2
    reasons = sorted(entry["reason"] for entry in store.quarantined())
    assert any("supersedes.0" in r for r in reasons) and any("reg_id" in r for r in reasons)
    # The stored copy of the regulation whose entry went bad is kept.
    after = {reg_id for (reg_id,) in store.db.execute("SELECT reg_id FROM regulations")}
    assert after == kept


# -- codes ------------------------------------------------------------------------


BAD_CODES: dict[str, list[dict[str, Any]]] = {
    "agencies": [
        {"code": "<script>", "name": {"zh": "坏"}, "region": "330212"},
        {"code": "330212-ZJJ", "name": {"zh": "重复"}, "region": "330212"},  # a repeat
        {"code": "330212-ABC", "name": {"zh": "坏"}, "region": "33 02"},
    ],
    "regions": [
        {"code": "../x", "name": {"zh": "坏"}},
        {"code": "330299", "name": {"zh": "坏"}, "parent": "330200/.."},
    ],
    "categories": [
        {"code": "land grab", "name": {"zh": "坏"}},
        {"code": "land.acquisition.extra", "name": {"zh": "坏"}},
        {"code": "land.x", "name": {"zh": "坏"}, "parent": 'land" onclick="x'},
    ],
    "channels": [{"code": "pigeon", "name": {"zh": "坏"}}],
}


def test_code_list_entries_with_bad_codes_are_set_aside(
    demo: tuple[DemoRegistry, str], store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    data, url = demo
    original = data.codes

    def codes(name: str) -> dict[str, Any] | None:
        served = original(name)
        assert served is not None
        return {**served, "items": served["items"] + BAD_CODES[name]}

    data.codes = codes  # type: ignore[method-assign, assignment]
    caplog.set_level(logging.DEBUG)
    report = fetch_all(client(url), store)
    bad_count = sum(len(items) for items in BAD_CODES.values())
    assert report.quarantined == bad_count
    assert report.code_lists == 4
    for name in BAD_CODES:
        (items,) = store.db.execute(
            "SELECT items FROM code_lists WHERE name = ?", (name,)
        ).fetchone()
        stored = [item["code"] for item in json.loads(items)]
        good = [item["code"] for item in original(name)["items"]]  # type: ignore[index]
        assert stored == good  # every good entry, in order, and the repeat only once
    reasons = [entry["reason"] for entry in store.quarantined()]
    assert len(reasons) == bad_count
    assert all(r.startswith("codes/") for r in reasons)
    assert any(r == "codes/agencies: code: appears more than once" for r in reasons)
    assert any(r.startswith("codes/agencies: region") for r in reasons)
    assert any(r.startswith("codes/regions: parent") for r in reasons)
    assert any(r.startswith("codes/categories: parent") for r in reasons)
    shown = " ".join(reasons) + report.summary() + " ".join(m.getMessage() for m in caplog.records)
    for value in ("<script>", "../x", "land grab", "pigeon", "onclick", "33 02"):
        assert value not in shown
    # The lists are fetched whole every run: an entry that stays bad is recorded once.
    again = FetchReport()
    fetch_code_lists(client(url), store, again)
    assert again.quarantined == bad_count
    assert len(store.quarantined()) == bad_count


@pytest.mark.parametrize(
    "field, value",
    [
        ("agency", "../330212-ZJJ"),
        ("agency", "330212 ZJJ"),
        ("category", "land/acquisition"),
        ("category", "Land.acquisition"),
        ("region", "33021２"),  # a full-width digit
        ("region", "330212\n"),
    ],
)
def test_a_case_with_a_bad_code_is_set_aside(
    serve: Any, store: Store, field: str, value: str
) -> None:
    case = example_case()
    server = serve(minimal_registry([{**case, field: value}]))
    report = fetch_all(client(url_of(server)), store)
    assert report.quarantined == 1 and store.case_count() == 0
    assert store.quarantined()[0]["reason"].startswith(field)


def test_an_event_with_a_bad_agency_sets_its_case_aside(serve: Any, store: Store) -> None:
    case = example_case()
    events = [{**case["events"][0], "agency": '"><img src=x>'}]
    server = serve(minimal_registry([{**case, "events": events}]))
    report = fetch_all(client(url_of(server)), store)
    assert report.quarantined == 1
    assert store.quarantined()[0]["reason"].startswith("events.0.agency")


def test_the_demo_registry_passes_every_code_check(
    demo: tuple[DemoRegistry, str], store: Store
) -> None:
    _, url = demo
    report = fetch_all(client(url), store)
    assert report.quarantined == 0 and report.code_lists == 4
