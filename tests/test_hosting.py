"""Host configuration: the shipped headers, served by Debian's nginx, hold with no CSP violation."""

from __future__ import annotations

import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
import requests

from sunshine.config import ROOT
from sunshine.headers import HEADERS, HSTS, netlify_file, nginx_snippet
from tests.conftest import BuiltSite, TrackedSite

NGINX = Path("/usr/sbin/nginx")
SNIPPET = ROOT / "deploy" / "nginx" / "sunshine-headers.conf"


def test_the_shipped_nginx_snippet_is_the_headers_of_record() -> None:
    assert SNIPPET.read_text("utf-8") == nginx_snippet(production=True), (
        "regenerate it: python -m sunshine.headers nginx > deploy/nginx/sunshine-headers.conf"
    )


def test_the_build_writes_headers_for_static_hosts(site: BuiltSite) -> None:
    assert (site.output / "_headers").read_text("utf-8") == netlify_file(production=False)
    assert "Strict-Transport-Security" not in netlify_file(production=False)
    assert "Strict-Transport-Security" in netlify_file(production=True)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def nginx(tracked: TrackedSite, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not NGINX.exists():
        pytest.fail(f"nginx not found at {NGINX}: install Debian's nginx package (.ci/run does)")
    prefix = tmp_path_factory.mktemp("nginx")
    port = _free_port()
    temp = " ".join(
        f"{kind}_temp_path {prefix}/{kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    (prefix / "nginx.conf").write_text(
        f"""
user root;
worker_processes 1;
daemon off;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    access_log off;
    {temp}
    server {{
        listen 127.0.0.1:{port};
        root {tracked.output};
        include {SNIPPET};
        error_page 404 /404.html;
        location / {{ try_files $uri $uri/ =404; }}
    }}
}}
""",
        encoding="utf-8",
    )
    process = subprocess.Popen([str(NGINX), "-p", str(prefix), "-c", str(prefix / "nginx.conf")])
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                requests.get(url + "/", timeout=1)
                break
            except requests.ConnectionError:
                time.sleep(0.05)
        else:
            pytest.fail((prefix / "error.log").read_text())
        yield url
    finally:
        process.terminate()
        process.wait()


@pytest.mark.parametrize("path", ["/", "/track/", "/search/index/meta.json", "/no-such-page/"])
def test_nginx_sends_every_header(nginx: str, path: str) -> None:
    response = requests.get(nginx + path, timeout=5)
    for name, value in {**HEADERS, HSTS[0]: HSTS[1]}.items():
        assert response.headers.get(name) == value, (path, name)


@pytest.mark.browser
def test_tracker_search_and_statistics_run_under_the_policy(
    page, nginx: str, tracked: TrackedSite
) -> None:  # type: ignore[no-untyped-def]
    code = next(iter(tracked.codes.values()))
    page.goto(f"{nginx}/track/#code={code}")
    page.wait_for_selector("[data-testid=case-result]")
    page.goto(f"{nginx}/search/#q={quote('复查')}")
    page.wait_for_selector("[data-testid=search-result]")
    for path in ("/statistics/", "/en/statistics/on_time_reply_rate/", "/statistics/by/agency/"):
        page.goto(nginx + path)
        page.wait_for_load_state("networkidle")
    assert page.console_errors == []  # a CSP violation is reported here
