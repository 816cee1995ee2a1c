"""``invoke preview``: the site as staff will see it, drafts included, rebuilt on every save.

The preview is built into ``<state folder>/preview/`` (never the published
output), with the Pelican setting ``SUNSHINE_PREVIEW`` on: drafts and pieces
dated later than today are shown in place, each with a banner that says so.
It is served by ``livereload`` (the tool Pelican's own task files use), which
watches the content and theme folders, rebuilds, and tells every open page to
reload itself. A build that fails prints its problems and keeps the last good
preview; the next save tries again.

The live-reload server adds a small inline script to each page and does not
send the site's security headers, so preview pages leave out the policy
``<meta>`` too (it would block that script): the preview is for one person's
machine, not for publishing.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from operations.build import CONTENT, DEVELOPMENT, BuildError, build_site
from sunshine.config import ROOT, Settings, environment
from sunshine.content.content_checks import is_notice
from sunshine.errors import SunshineError
from sunshine.regulations.collection import load

__all__ = ["NothingFetched", "preview_output", "rebuilder", "serve_preview"]

WATCHED = ("themes",)
"""Folders besides the content whose changes rebuild the preview."""


class NothingFetched(SunshineError, RuntimeError):
    """The store has no regulations, so citations cannot be shown."""


def preview_output(settings: Settings) -> Path:
    return settings.var_path / "preview"


def rebuilder(settings: Settings, content: Path, say: Callable[[str], None]) -> Callable[[], bool]:
    """A function that builds the preview; True when it succeeded."""
    env = {**environment(settings), "SUNSHINE_OUTPUT": str(preview_output(settings))}

    def rebuild() -> bool:
        started = time.perf_counter()
        try:
            report = build_site(
                DEVELOPMENT, env=env, content=content, extra={"SUNSHINE_PREVIEW": True}
            )
        except BuildError as error:
            say(f"{error.summary}\nThe preview still shows the last good build; save to try again.")
            return False
        for line in report.splitlines():
            if is_notice(line):  # untranslated pieces, what publishing left out
                say(line)
        say(f"preview rebuilt in {time.perf_counter() - started:.1f} s")
        return True

    return rebuild


def serve_preview(
    settings: Settings,
    host: str,
    port: int,
    content: Path = CONTENT,
    say: Callable[[str], None] = print,
) -> None:
    """Build, serve on ``host:port`` and rebuild on every change until interrupted."""
    from livereload import Server

    if not load(settings.var_path).regulations:
        raise NothingFetched(
            f"nothing fetched yet in {settings.var_path}: run `invoke fetch` first "
            "(or `make demo` once, to preview with the demo data)"
        )
    rebuild = rebuilder(settings, content, say)
    rebuild()
    server = Server()
    for folder in (content, *(ROOT / name for name in WATCHED)):
        server.watch(str(folder), rebuild)
    say(
        f"Preview of {content} on http://{host}:{port}/ (English: /en/); "
        "drafts and scheduled pieces are shown and marked. Ctrl-C stops."
    )
    server.serve(host=host, port=port, root=str(preview_output(settings)), restart_delay=0)
