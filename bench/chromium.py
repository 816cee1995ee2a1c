"""The built site served on loopback and a headless Chromium to measure it in.

Shared by the build and search benchmarks (``bench.build``, ``bench.search``),
so neither imports the other for it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any


@contextmanager
def site_in_chromium(output: Path) -> Iterator[tuple[Any, str]]:
    """A headless Chromium, and the origin the built site is served at on loopback
    (with its own headers, as :mod:`operations.serve` sends them)."""
    import threading

    from playwright.sync_api import sync_playwright

    from operations.serve import make_server

    server = make_server(output, "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path="/usr/bin/chromium",
                args=[
                    "--headless=new",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-background-networking",
                ],
            )
            try:
                yield browser, f"http://127.0.0.1:{server.server_address[1]}"
            finally:
                browser.close()
    finally:
        server.shutdown()
        server.server_close()
