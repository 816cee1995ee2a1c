"""Errors the fetcher raises. Each message names what failed and where.

Hierarchy::

    RegistryError                  anything that stops a fetch run
    ├── RegistryUnavailable        retries exhausted: URL and last status or error
    ├── AuthenticationFailed       401/403: the token is missing, wrong or revoked
    ├── CursorExpired              410 Gone: the saved cursor is too old (full sync follows)
    └── RegistryProtocolError      an answer that breaks the contract (status, JSON, page shape)

An *item* that breaks the contract is not an error of the run: it is set aside
in the store's quarantine with its reason and the run goes on.
"""

from __future__ import annotations


class RegistryError(Exception):
    """A fetch run could not go on."""


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
