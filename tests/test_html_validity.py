"""Every page of the built site is valid HTML, as the Nu HTML Checker (vnu.jar) judges it."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from sunshine.config import ROOT
from tests.conftest import TrackedSite

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def test_every_page_is_valid_html(tracked: TrackedSite) -> None:
    java = shutil.which("java")
    if java is None or not VNU.is_file():
        pytest.fail(
            "the Nu HTML Checker needs Java and node_modules/vnu-jar: run `npm ci` "
            "and install Debian's default-jre-headless (.ci/run does both)"
        )
    pages = sorted(str(p) for p in tracked.output.rglob("*.html"))
    assert len(pages) > 80
    result = subprocess.run(
        [java, "-jar", str(VNU), "--errors-only", "--format", "text", *pages],
        capture_output=True,
        text=True,
    )
    errors = [line for line in result.stderr.splitlines() if "Error:" in line]
    assert result.returncode == 0 and not errors, "\n".join(errors[:20])
