"""The project's errors: one base class, and where each kind is raised.

Every exception class the project defines derives from :class:`SunshineError`,
so a caller that runs a whole step (an ``invoke`` task, the scheduled update)
can tell the project's own failures, each with a message written for the
operator, from a bug. Each class lives beside the code that raises it (its
callers import it from there); some also derive from the built-in they refine
(``ValueError``, ``FileExistsError``, ``RuntimeError``), so code that catches
those still does. The store (:mod:`store`) is the layer below this package and
raises only built-ins.

Hierarchy::

    SunshineError
    ├── ConfigError             sunshine.config: a setting's value is refused
    ├── RegulationParseError    sunshine.regulations.regulation_text (also ValueError):
    │                           a text without a regulation's structure, at one line
    ├── CitationError           sunshine.regulations.citations (also ValueError):
    │                           a citation or live figure in staff Markdown not resolved
    ├── PieceExists             sunshine.content.authoring (also FileExistsError):
    │                           a new piece's file is already there
    ├── SiteNotReady            sunshine.tracker.lookup: the published site cannot answer
    ├── RegistryError           fetch.errors: a fetch run cannot go on (its own tree:
    │   │                       see fetch.errors)
    │   ├── UnsafeRegistryURL
    │   ├── RegistryUnavailable
    │   │   └── RegistryNotRunning  fetch.client: nothing listens at a loopback URL
    │   ├── AuthenticationFailed
    │   ├── CursorExpired
    │   └── RegistryProtocolError
    │       └── ResponseTooLarge
    ├── Transient               fetch.client (private, ``_Transient``): one failed
    │                           attempt, retried; never leaves the client
    ├── ContentError            plugins.authoring: staff Markdown fails the checks
    ├── BuildError              operations.build: Pelican stopped (summary and report)
    ├── UpdateFailed            operations.update: an update step failed (step, exit code)
    ├── PublishError            operations.publish: publishing failed (target, reason)
    └── NothingFetched          operations.preview (also RuntimeError): no regulations
                                in the store to show citations with

The demo registry's ``Problem`` (:mod:`demo_registry.server`) is not among
them: it is the stand-in registry's HTTP error answer, a separate program's.
"""

from __future__ import annotations

__all__ = ["SunshineError"]


class SunshineError(Exception):
    """A failure of the project's own, with a message for the operator."""
