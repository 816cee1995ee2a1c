"""The contracts between the plugins, declared once, as code.

Each plugin is written against these rather than against another plugin's
module, and ``tests/test_extension_points.py`` checks that the configured
plugins (``pelicanconf.PLUGINS``) keep them.

Live figures
    :data:`LIVE_FIGURES` is the registry of ``[[fig:NAME]]`` figures: a name →
    a function of the language returning the text. :mod:`plugins.indicators`
    provides one per indicator at Pelican's ``initialized`` signal, before any
    content is read; the Markdown extension :mod:`sunshine.regulations.citations`
    consumes them as staff Markdown is read, and refuses an unknown name.

Plugin order
    :data:`ORDER` lists the pairs that must run in this order (Pelican calls
    the handlers of one signal in the order the plugins are listed), each with
    its reason.

Store state, read once
    :func:`build_state` is how the pages read the store's sync state (the
    data's time, the number of buckets): once per build, after the tracker's
    ``initialized`` handler has settled the buckets.

The main site does shared work
    The English subsite is a second Pelican run with the same plugins. Work
    whose result is the same in every language is done by the main site only,
    judged by :func:`is_main_site`; :data:`SHARED_WORK` names the plugins that
    do such work and what it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from store import read_state
from sunshine.i18n import is_main_site
from sunshine.regulations.citations import FIGURES

__all__ = ["LIVE_FIGURES", "ORDER", "SHARED_WORK", "RunsBefore", "build_state", "is_main_site"]

LIVE_FIGURES = FIGURES
"""``[[fig:NAME]]`` → (language → text); filled by :mod:`plugins.indicators`."""

LIVE_FIGURES_PROVIDER = "plugins.indicators"


@cache
def build_state(var_path: Path, key: str) -> str | None:
    """A value of the store's sync state, as every page of this build shows it.

    Read once per process: a build is a process of its own (:mod:`operations.build`),
    every generator of both languages asks, and nothing changes the state under
    the pages once the tracker has settled its buckets. A fresh read costs tens of
    milliseconds while the statistics process and the bucket writer have the store
    open, and the pages asked 36 times, holding back the bucket writer's start.
    """
    return read_state(var_path, key)


@dataclass(frozen=True)
class RunsBefore:
    """Plugin ``first`` must be listed before plugin ``then``, for ``why``."""

    first: str
    then: str
    why: str


ORDER: tuple[RunsBefore, ...] = (
    RunsBefore(
        "plugins.authoring",
        "plugins.indicators",
        "the content checks run at initialisation and stop a build with a problem in "
        "staff Markdown in seconds, before the statistics start their work",
    ),
    RunsBefore(
        "plugins.authoring",
        "plugins.tracker",
        "the content checks stop a build with a problem in seconds, before the tracker "
        "derives keys and seals records at initialisation",
    ),
    RunsBefore(
        "plugins.indicators",
        "plugins.tracker",
        "the statistics start computing in another process at initialisation, so the "
        "tracker's key derivation and sealing at initialisation overlap them",
    ),
)

SHARED_WORK: dict[str, str] = {
    "plugins.authoring": "the content checks (the subsite's pieces are checked with the main site)",
    "plugins.tracker": "derived keys, sealed records and the bucket files under /track/b/",
    "plugins.indicators": "the open-data files and their catalogue under /data/",
    "plugins.search": "the index of both languages' pages under /search/index/",
}
"""Plugin → the work whose result is the same in every language, done by the main site."""
