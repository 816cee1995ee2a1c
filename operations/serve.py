"""A small static file server for the built site, on loopback.

Used by ``invoke serve`` / ``make demo`` and by the browser tests, so both see
the site exactly as a static host would serve it: directories answer with
their ``index.html``, and a missing file gets the site's own 404 page in the
language of the path it was asked for, with status 404.
"""

from __future__ import annotations

import errno
import logging
import socket
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from sunshine.headers import headers
from sunshine.i18n import LANGUAGES

DEMO_HOST = "127.0.0.1"
DEMO_PORT = 8000

log = logging.getLogger("sunshine.serve")


class SiteRequestHandler(SimpleHTTPRequestHandler):
    """Serves one folder with the site's security headers; a missing path gets its 404 page."""

    def end_headers(self) -> None:
        # The production headers but HSTS, so every browser test runs under the CSP.
        for name, value in headers(production=False).items():
            self.send_header(name, value)
        super().end_headers()

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = self._not_found_page() if code == HTTPStatus.NOT_FOUND else None
        if page is None:
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(code)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _not_found_page(self) -> Path | None:
        root = Path(self.directory)
        first = self.path.lstrip("/").split("/", 1)[0]
        prefix = first if first in LANGUAGES and not LANGUAGES[first].default else ""
        page = root / prefix / "404.html"
        return page if page.is_file() else None

    def log_message(self, format: str, *args: Any) -> None:
        # Paths only; the site never puts secrets in a path (codes live in the fragment).
        log.info("%s %s", self.address_string(), format % args)


def make_server(root: Path, host: str = DEMO_HOST, port: int = DEMO_PORT) -> ThreadingHTTPServer:
    """A server for ``root`` bound to ``host:port`` (port 0 picks a free one)."""
    handler = partial(SiteRequestHandler, directory=str(root))
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    return server


def port_problem(error: OSError, host: str, port: int, instead: str, whose: str = "") -> str:
    """One line saying why ``host:port`` could not be listened on, for the terminal.

    ``instead`` is the command to run with another port, ``{port}`` standing for
    the next one: a busy port is the usual case (a demo still running), and the
    fix is to stop it or pick another. ``whose`` follows the port's number.
    """
    if error.errno == errno.EADDRINUSE:
        command = instead.format(port=port + 1)
        return f"port {port}{whose} is in use: stop what uses it or run {command}"
    return f"cannot listen on {host}:{port}{whose}: {error.strerror or error}"


def check_port(host: str, port: int) -> None:
    """Raise OSError now if ``host:port`` cannot be listened on.

    For servers that bind only after minutes of work (a build first), so that a
    busy port is reported before the work rather than after it. The socket is
    set up as the servers set theirs (SO_REUSEADDR), so a port that only has
    connections of an earlier run winding down (TIME_WAIT) is not reported.
    """
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind((host, port))
