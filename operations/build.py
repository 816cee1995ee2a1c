"""Run Pelican on the project: the one way every command and test builds the site.

Pelican runs in a child process. The i18n subsites plugin keeps module-level
state between runs, so a fresh interpreter per build is what makes two builds
in one test session (or one ``invoke`` call) independent.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

from sunshine.config import ROOT
from sunshine.errors import SunshineError

DEVELOPMENT = ROOT / "pelicanconf.py"
PRODUCTION = ROOT / "publishconf.py"


class BuildError(SunshineError):
    """Pelican stopped: a warning or an error in content, templates or settings.

    ``summary`` is the few lines that say what and where; ``report`` all of Pelican's output.
    """

    def __init__(self, summary: str, report: str) -> None:
        super().__init__(f"{summary}\n\n{report}")
        self.summary = summary
        self.report = report


_WHAT = re.compile(
    r"(Could not process \S+|\b[\w.]*(?:Error|Exception): .*?)(?:\s{2,}\S+\.py:\d+)?\s*$"
)


_CONTENT_PROBLEM = re.compile(r"^\S+\.md:\d+: .+")
"""A line of :class:`sunshine.content.content_checks.Problem`: ``path:line: message``."""


def summarise(report: str) -> str:
    """The lines of a failed build's report that name the file and the problem."""
    found: list[str] = []
    for line in report.splitlines():
        if _CONTENT_PROBLEM.match(line) and line not in found:
            found.append(line)
            continue
        match = _WHAT.search(line.strip())
        if match and "Warning or error encountered" not in match[1] and match[1] not in found:
            found.append(match[1])
    return "\n".join(found) or report[-2000:]


CONTENT = ROOT / "content"


def pelican_command(
    settings_file: Path = DEVELOPMENT,
    content: Path = CONTENT,
    extra: Mapping[str, object] | None = None,
) -> list[str]:
    """The Pelican command line for a build with ``settings_file``.

    Warnings are fatal: a broken internal link or a missing template is a
    failed build, not a line scrolled past. ``extra`` overrides Pelican
    settings for this build (``{"SUNSHINE_PREVIEW": True}``).
    """
    overrides = [f"{key}={json.dumps(value)}" for key, value in (extra or {}).items()]
    return [
        sys.executable,
        "-m",
        "pelican",
        str(content),
        "--settings",
        str(settings_file),
        "--fatal",
        "warnings",
        *(["--extra-settings", *overrides] if overrides else []),
    ]


def build_site(
    settings_file: Path = DEVELOPMENT,
    env: Mapping[str, str] | None = None,
    content: Path = CONTENT,
    extra: Mapping[str, object] | None = None,
) -> str:
    """Build the site; return Pelican's report, or raise :class:`BuildError` with it.

    ``env`` adds environment variables for this build only (for example
    ``SUNSHINE_OUTPUT`` to build into a temporary folder); ``content`` is the
    folder of staff Markdown (the project's ``content/`` unless given);
    ``extra`` overrides Pelican settings.
    """
    full_env = {**os.environ, "COLUMNS": "200", **(env or {})}
    result = subprocess.run(
        pelican_command(settings_file, content, extra),
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        check=False,
    )
    report = (result.stdout + result.stderr).strip()
    if result.returncode != 0:
        raise BuildError(f"the site build failed:\n{summarise(report)}", report)
    return report
