"""Run Pelican on the project: the one way every command and test builds the site.

Pelican runs in a child process. The i18n subsites plugin keeps module-level
state between runs, so a fresh interpreter per build is what makes two builds
in one test session (or one ``invoke`` call) independent.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

from sunshine.config import ROOT

DEVELOPMENT = ROOT / "pelicanconf.py"
PRODUCTION = ROOT / "publishconf.py"


class BuildError(Exception):
    """Pelican stopped: a warning or an error in content, templates or settings."""


CONTENT = ROOT / "content"


def pelican_command(settings_file: Path = DEVELOPMENT, content: Path = CONTENT) -> list[str]:
    """The Pelican command line for a build with ``settings_file``.

    Warnings are fatal: a broken internal link or a missing template is a
    failed build, not a line scrolled past.
    """
    return [
        sys.executable,
        "-m",
        "pelican",
        str(content),
        "--settings",
        str(settings_file),
        "--fatal",
        "warnings",
    ]


def build_site(
    settings_file: Path = DEVELOPMENT,
    env: Mapping[str, str] | None = None,
    content: Path = CONTENT,
) -> str:
    """Build the site; return Pelican's report, or raise :class:`BuildError` with it.

    ``env`` adds environment variables for this build only (for example
    ``SUNSHINE_OUTPUT`` to build into a temporary folder); ``content`` is the
    folder of staff Markdown (the project's ``content/`` unless given).
    """
    full_env = {**os.environ, "COLUMNS": "200", **(env or {})}
    result = subprocess.run(
        pelican_command(settings_file, content),
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        check=False,
    )
    report = (result.stdout + result.stderr).strip()
    if result.returncode != 0:
        raise BuildError(f"the site build failed (Pelican exit {result.returncode}):\n{report}")
    return report
