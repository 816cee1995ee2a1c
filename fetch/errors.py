"""Errors the fetcher raises. Each message names what failed and where.

Messages name the endpoint, the HTTP status and what was wrong, and nothing
the registry sent: no body, no header, no value of an item (a body can echo
the token or carry an unscrubbed note). The token never appears in one.

Hierarchy (under :class:`sunshine.errors.SunshineError`, the project's base)::

    RegistryError                  anything that stops a fetch run
    ├── UnsafeRegistryURL          REGISTRY_URL refused before any request (plain http
    │                              to a host that is not loopback, credentials in it)
    ├── RegistryUnavailable        retries exhausted (errors, 5xx, the deadline): URL and last
    ├── AuthenticationFailed       401/403: the token is missing, wrong or revoked
    ├── CursorExpired              410 Gone: the saved cursor is too old (full sync follows)
    └── RegistryProtocolError      an answer that breaks the contract (status, JSON, page
        │                          or listing shape, a redirect to another origin)
        └── ResponseTooLarge       a body over the size cap, on the wire or decompressed

An *item* that breaks the contract (a case, a code-list entry, a regulation)
is not an error of the run: it is set aside in the store's quarantine with its
reason and the run goes on.
"""

from __future__ import annotations

from sunshine.errors import SunshineError


class RegistryError(SunshineError):
    """A fetch run could not go on."""


class UnsafeRegistryURL(RegistryError):
    """The registry's URL is refused: the token would travel where it must not."""


class RegistryUnavailable(RegistryError):
    """The registry did not answer usefully within the retry budget."""

    def __init__(self, url: str, last: str, attempts: int) -> None:
        super().__init__(
            f"the registry is unavailable: {url} failed {attempts} times; last: {last}"
        )
        self.url = url
        self.last = last
        self.attempts = attempts


class AuthenticationFailed(RegistryError):
    """The registry refused the token."""

    def __init__(self, url: str, status: int) -> None:
        super().__init__(
            f"the registry refused the token (HTTP {status}) at {url}: check REGISTRY_TOKEN"
        )
        self.url = url
        self.status = status


class CursorExpired(RegistryError):
    """The saved cursor is older than the registry keeps (410 Gone)."""


class RegistryProtocolError(RegistryError):
    """The registry answered something the contract does not allow."""


class ResponseTooLarge(RegistryProtocolError):
    """A body grew past its cap; reading stopped there.

    ``what`` is ``"received"`` (bytes on the wire) or ``"decompressed"``;
    ``counted`` is how many bytes had been counted when reading stopped, so
    never more than ``limit`` plus one read.
    """

    def __init__(self, url: str, what: str, limit: int, counted: int) -> None:
        super().__init__(
            f"the answer from {url} is too large: more than {limit} bytes {what} "
            f"(stopped after {counted})"
        )
        self.url = url
        self.what = what
        self.limit = limit
        self.counted = counted
