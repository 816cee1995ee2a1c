"""HTTP client for the registry's export API.

The ``requests.Session`` is passed in, so tests can swap it; the client adds
the bearer token, asks for gzip, applies named timeouts, and retries what the
contract says is transient (connection errors, bodies cut off mid-way, 429 and
503 honouring ``Retry-After``, other 5xx) with exponential backoff from
tenacity, within a bounded number of attempts and total time. Then it gives up
with :class:`~fetch.errors.RegistryUnavailable`, naming the URL and the last
status. The token never appears in a message.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import requests
from pydantic_core import from_json
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception_type,
    stop_after_attempt,
    stop_after_delay,
    wait_exponential_jitter,
)

from fetch.errors import (
    AuthenticationFailed,
    CursorExpired,
    RegistryProtocolError,
    RegistryUnavailable,
)

log = logging.getLogger("sunshine.fetch")

CONNECT_TIMEOUT = 5.0
"""Seconds to establish a connection."""
READ_TIMEOUT = 30.0
"""Seconds to wait for the next bytes of an answer (the registry can take several)."""
MAX_ATTEMPTS = 8
"""Attempts per request before giving up, the first included."""
MAX_TOTAL_SECONDS = 300.0
"""Time one request may spend on retries in all."""
MAX_BACKOFF_SECONDS = 30.0
"""Longest wait between attempts when the registry does not say (Retry-After)."""

_TRANSIENT_STATUS = {429, 500, 502, 503, 504}


@dataclass(frozen=True)
class RetryPolicy:
    """How hard to try: attempts, total time, and the backoff between attempts."""

    attempts: int = MAX_ATTEMPTS
    total_seconds: float = MAX_TOTAL_SECONDS
    initial_backoff: float = 0.5
    max_backoff: float = MAX_BACKOFF_SECONDS


class _Transient(Exception):
    """One failed attempt worth repeating; carries what to report and Retry-After."""

    def __init__(self, last: str, retry_after: float | None = None) -> None:
        super().__init__(last)
        self.last = last
        self.retry_after = retry_after


@dataclass(frozen=True)
class Answer:
    """A successful answer: parsed JSON (None for 304) and its ETag."""

    status: int
    body: Any
    etag: str | None


def _retry_after(response: requests.Response) -> float | None:
    value = response.headers.get("Retry-After", "").strip()
    return float(value) if value.isdigit() else None


class RegistryClient:
    """Reads the registry's export API over a caller-supplied session."""

    def __init__(
        self,
        base_url: str,
        token: str,
        session: requests.Session | None = None,
        *,
        connect_timeout: float = CONNECT_TIMEOUT,
        read_timeout: float = READ_TIMEOUT,
        retry: RetryPolicy | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.session = session or requests.Session()
        self.timeout = (connect_timeout, read_timeout)
        self.retry = retry or RetryPolicy()
        self._headers = {
            "Authorization": f"Bearer {token}",
            "Accept": "application/json",
            "Accept-Encoding": "gzip",
        }

    def get(
        self, path: str, params: dict[str, Any] | None = None, etag: str | None = None
    ) -> Answer:
        """GET ``path`` (relative to the base URL), retrying transient failures."""
        url = f"{self.base_url}/{path.lstrip('/')}"
        headers = dict(self._headers)
        if etag:
            headers["If-None-Match"] = etag
        policy = self.retry

        def wait(state: RetryCallState) -> float:
            error = state.outcome.exception() if state.outcome else None
            if isinstance(error, _Transient) and error.retry_after is not None:
                return min(error.retry_after, policy.total_seconds)
            return backoff(state)

        backoff = wait_exponential_jitter(multiplier=policy.initial_backoff, max=policy.max_backoff)
        retrying = Retrying(
            retry=retry_if_exception_type(_Transient),
            stop=stop_after_attempt(policy.attempts) | stop_after_delay(policy.total_seconds),
            wait=wait,
            before_sleep=lambda state: log.warning(
                "registry request failed, retrying: %s (attempt %d)",
                state.outcome.exception() if state.outcome else "?",
                state.attempt_number,
            ),
            reraise=True,
        )
        try:
            return retrying(self._attempt, url, params, headers)
        except _Transient as last:
            attempts = retrying.statistics.get("attempt_number", policy.attempts)
            raise RegistryUnavailable(url, last.last, attempts) from None

    def _attempt(self, url: str, params: dict[str, Any] | None, headers: dict[str, str]) -> Answer:
        try:
            response = self.session.get(url, params=params, headers=headers, timeout=self.timeout)
            # Reading the body here means a connection cut mid-body is retried too.
            content = response.content if response.status_code == 200 else b""
        except (
            requests.ConnectionError,
            requests.Timeout,
            requests.exceptions.ChunkedEncodingError,
            requests.exceptions.ContentDecodingError,
        ) as error:
            raise _Transient(f"{type(error).__name__}: {error}") from None
        status = response.status_code
        if status == 200:
            try:
                # pydantic-core's parser is several times faster than json's.
                return Answer(200, from_json(content), response.headers.get("ETag"))
            except ValueError:
                raise _Transient("HTTP 200 with a body that is not complete JSON") from None
        if status == 304:
            return Answer(304, None, response.headers.get("ETag"))
        if status in (401, 403):
            raise AuthenticationFailed(url, status)
        if status == 410:
            raise CursorExpired(f"the saved cursor has expired (HTTP 410) at {url}")
        if status in _TRANSIENT_STATUS or status >= 500:
            raise _Transient(f"HTTP {status}", _retry_after(response))
        raise RegistryProtocolError(f"unexpected HTTP {status} from {url}: {response.text[:200]}")
