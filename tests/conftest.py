"""Shared fixtures: a real Pelican build, a real server, a real Chromium."""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import HTTPServer
from pathlib import Path
from typing import TypeVar

import pytest
from hypothesis import settings as hypothesis_settings

from operations.build import build_site
from operations.serve import make_server

# Property tests judge results, not speed: Hypothesis's default 200 ms deadline per
# example fails them at random on a loaded two-core machine (CI's).
hypothesis_settings.register_profile("sunshine", deadline=None)
hypothesis_settings.load_profile("sunshine")

S = TypeVar("S", bound=HTTPServer)
CHROMIUM = os.environ.get("SUNSHINE_CHROMIUM", "/usr/bin/chromium")
# Chromium's own network chatter (updates, sync, safe browsing) is switched
# off so that every request a test sees comes from the page.
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
]


PRODUCTION_SECRET = "6b1f0c93d4e2a85f7c3b9e0d1a2f4c68"
"""A site secret production accepts (128 random bits, fixed so that tests are repeatable)."""


@dataclass(frozen=True)
class BuiltSite:
    output: Path
    var: Path
    report: str


def build_into(
    base: Path, var_from: Path | None = None, content: Path | None = None, **env: str
) -> BuiltSite:
    """Build the site with real Pelican into ``base/output``, state in ``base/var``.

    ``var_from``: a state folder to start from (copied, so builds never share caches).
    """
    output, var = base / "output", base / "var"
    if var_from is not None and not var.exists():
        shutil.copytree(var_from, var)
    settings = {"SUNSHINE_OUTPUT": str(output), "SUNSHINE_VAR": str(var), **env}
    report = build_site(env=settings, content=content) if content else build_site(env=settings)
    return BuiltSite(output, var, report)


@pytest.fixture(scope="session")
def fetched_var(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A state folder whose store was fetched from the demo registry (300 cases)."""
    import requests

    from demo_registry import DemoRegistry
    from demo_registry import make_server as make_registry
    from fetch.client import RegistryClient
    from fetch.sync import fetch_all
    from store import Store

    var = tmp_path_factory.mktemp("fetched") / "var"
    store = Store.open(var)
    with running(make_registry(DemoRegistry(cases=300, seed=5), "127.0.0.1", 0)) as registry:
        client = RegistryClient(base_url(registry) + "/api/v1", "demo-token", requests.Session())
        fetch_all(client, store)
    store.close()
    return var


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory, fetched_var: Path) -> BuiltSite:
    """The development build of the site from a fetched store, built once per session."""
    return build_into(tmp_path_factory.mktemp("site"), fetched_var)


@contextmanager
def running(server: S) -> Iterator[S]:
    """Serve in a background thread for the duration of the block."""
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def base_url(server: HTTPServer) -> str:
    host, port = server.server_address[:2]
    return f"http://{host!s}:{port}"


@pytest.fixture(scope="session")
def server_url(site: BuiltSite) -> Iterator[str]:
    """The built site served on a free loopback port."""
    with running(make_server(site.output, "127.0.0.1", 0)) as server:
        yield base_url(server)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Real Chromium driven by Playwright. Missing Chromium fails, never skips."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's chromium package")
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):  # type: ignore[no-untyped-def]
    """A fresh page that records console errors and every request it makes."""
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
    page = context.new_page()
    page.console_errors = []
    page.requests = []
    page.on(
        "console", lambda msg: page.console_errors.append(msg.text) if msg.type == "error" else None
    )
    page.on("pageerror", lambda err: page.console_errors.append(str(err)))
    page.on("request", lambda req: page.requests.append(req.url))
    yield page
    context.close()


@dataclass(frozen=True)
class TrackedSite:
    """A site built from a store fetched from the demo registry, with markup planted in it."""

    output: Path
    var: Path
    codes: dict[str, str]  # case_id → query code, for every case in the store
    marked_code: str  # the case whose note and agency name carry markup


MARKUP_NOTE = '<img src=x data-evil="1"><script>window.evil=1</script><b>粗体</b>'
MARKUP_AGENCY = '<i data-evil="1">机构</i>'


def _plant_markup(var: Path) -> str:
    """Put markup in one case's note and its agency's name, as a careless registry might."""
    import json

    from store import Store

    store = Store.open(var)
    case_id, code, data = store.db.execute(
        "SELECT case_id, tracking_code, data FROM cases ORDER BY case_id LIMIT 1"
    ).fetchone()
    case = json.loads(data)
    case["events"][0]["note"] = MARKUP_NOTE
    agencies = json.loads(
        store.db.execute("SELECT items FROM code_lists WHERE name = 'agencies'").fetchone()[0]
    )
    for item in agencies:
        if item["code"] == case["events"][0].get("agency", case["agency"]):
            item["name"]["zh"] = MARKUP_AGENCY
    with store.transaction():
        store.db.execute(
            "UPDATE cases SET data = ?, seq = seq + 1 WHERE case_id = ?",
            (json.dumps(case, ensure_ascii=False), case_id),
        )
        store.db.execute(
            "UPDATE code_lists SET items = ? WHERE name = 'agencies'",
            (json.dumps(agencies, ensure_ascii=False),),
        )
    store.close()
    return str(code)


@pytest.fixture(scope="session")
def tracked(tmp_path_factory: pytest.TempPathFactory) -> TrackedSite:
    """Demo registry (600 cases) → fetch → store → real Pelican build, once per session."""
    import requests

    from demo_registry import DemoRegistry
    from demo_registry import make_server as make_registry
    from fetch.client import RegistryClient
    from fetch.sync import fetch_all
    from store import Store

    base = tmp_path_factory.mktemp("tracked")
    registry = make_registry(DemoRegistry(cases=600, seed=3), "127.0.0.1", 0)
    thread = threading.Thread(target=registry.serve_forever, daemon=True)
    thread.start()
    store = Store.open(base / "var")
    fetch_all(
        RegistryClient(base_url(registry) + "/api/v1", "demo-token", requests.Session()), store
    )
    codes = dict(store.db.execute("SELECT case_id, tracking_code FROM cases"))
    store.close()
    registry.shutdown()
    registry.server_close()
    marked = _plant_markup(base / "var")
    build_into(base)
    return TrackedSite(base / "output", base / "var", codes, marked)


@pytest.fixture(scope="session")
def tracked_url(tracked: TrackedSite) -> Iterator[str]:
    """The tracked site served on a free loopback port."""
    with running(make_server(tracked.output, "127.0.0.1", 0)) as server:
        yield base_url(server)
