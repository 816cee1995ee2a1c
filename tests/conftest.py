"""Shared fixtures: a real Pelican build, a real server, a real Chromium."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from sunshine.build import build_site
from sunshine.serve import make_server

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


@dataclass(frozen=True)
class BuiltSite:
    output: Path
    var: Path
    report: str


def build_into(base: Path, **env: str) -> BuiltSite:
    """Build the site with real Pelican into ``base/output``, state in ``base/var``."""
    output, var = base / "output", base / "var"
    report = build_site(env={"SUNSHINE_OUTPUT": str(output), "SUNSHINE_VAR": str(var), **env})
    return BuiltSite(output, var, report)


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """The development build of the site, built once per test session."""
    return build_into(tmp_path_factory.mktemp("site"))


@pytest.fixture(scope="session")
def server_url(site: BuiltSite) -> Iterator[str]:
    """The built site served on a free loopback port."""
    server = make_server(site.output, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    host, port = server.server_address[:2]
    yield f"http://{host}:{port}"
    server.shutdown()
    server.server_close()


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
