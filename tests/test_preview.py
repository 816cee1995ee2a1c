"""invoke preview in real Chromium: drafts shown and marked, the open page reloads on save,
and a mistake keeps the last good preview while the terminal names file and line."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from datetime import date
from pathlib import Path

import requests
from playwright.sync_api import expect

from operations.build import CONTENT
from sunshine.config import ROOT
from sunshine.content.authoring import new_piece


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Terminal:
    """What a running command prints, collected line by line as it comes."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        self.lines: list[str] = []
        assert process.stdout is not None
        stream = process.stdout
        threading.Thread(target=lambda: self.lines.extend(stream), daemon=True).start()

    def wait_for(self, text: str, seconds: float) -> str:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            found = [line for line in list(self.lines) if text in line]
            if found:
                return found[-1]
            time.sleep(0.2)
        raise AssertionError(f"{text!r} not printed; printed:\n{''.join(self.lines)}")


def test_preview_shows_drafts_and_reloads_the_open_page_on_save(
    tmp_path: Path, fetched_var: Path, browser
) -> None:  # type: ignore[no-untyped-def]
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    zh, _ = new_piece("explainer", "预览测试", content, today=date.today())
    shutil.copytree(fetched_var, tmp_path / "var")
    port = _free_port()
    env = {
        **os.environ,
        "SUNSHINE_VAR": str(tmp_path / "var"),
        "SUNSHINE_OUTPUT": str(tmp_path / "output"),
        "PYTHONUNBUFFERED": "1",
    }
    command = ["-m", "invoke", "preview", f"--port={port}", f"--content={content}"]
    process = subprocess.Popen(
        [sys.executable, *command], cwd=ROOT, env=env, text=True,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    terminal = Terminal(process)
    url = f"http://127.0.0.1:{port}/explainers/yu-lan-ce-shi/"
    try:
        terminal.wait_for(f"on http://127.0.0.1:{port}/", 180)
        assert requests.get(url, timeout=10).status_code == 200
        page = browser.new_page()
        page.goto(url)
        banner = page.get_by_test_id("preview-banner")
        assert "Status: draft" in banner.inner_text()
        assert page.locator("h1").inner_text() == "预览测试"

        zh.write_text(zh.read_text("utf-8").replace("在这里写正文", "保存之后的新文字"), "utf-8")
        # No navigation by the test: the page reloads itself after the rebuild.
        # (A locator, not a script string: the page's CSP forbids evaluating strings.)
        expect(page.locator("main")).to_contain_text("保存之后的新文字", timeout=90_000)

        zh.write_text(zh.read_text("utf-8").replace("[[2022:34]]", "[[2022:99]]"), "utf-8")
        said = terminal.wait_for("[[2022:99]]", 90)
        assert "yu-lan-ce-shi.zh.md" in "".join(terminal.lines[-20:]), said
        terminal.wait_for("The preview still shows the last good build", 10)
        # The server still serves the last good build. The open page is told to
        # reload after every build, failed ones too, so the test does not reload it
        # itself (two reloads at once abort one): whenever it reloads, it still
        # shows the last good text.
        assert "保存之后的新文字" in requests.get(url, timeout=10).content.decode("utf-8")
        expect(page.locator("main")).to_contain_text("保存之后的新文字")
        page.close()
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
    assert not (tmp_path / "output").exists()  # the preview never writes the published folder
    assert (tmp_path / "var" / "preview" / "explainers" / "yu-lan-ce-shi").is_dir()
