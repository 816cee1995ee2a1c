"""HTTP client for the registry's export API.

The ``requests.Session`` is passed in, so tests can swap it; the client adds
the bearer token, asks for gzip, and retries what the contract says is
transient (connection errors, bodies cut off mid-way, timeouts, 429 and 503
honouring ``Retry-After``, other 5xx) with exponential backoff from tenacity.
Then it gives up with :class:`~fetch.errors.RegistryUnavailable`, naming the
URL and the last status. One connection error is not retried: a refused
connection to a loopback REGISTRY_URL (:class:`RegistryNotRunning`). Nothing
listens on that port of this machine, typically because the demo registry was
not started, and waiting minutes for it would only hide that.

It trusts the registry no further than the contract:

- **https only.** Plain ``http://`` is refused before any request unless the
  host is loopback (the demo registry): the token would cross the network in
  clear (:func:`check_registry_url`).
- **No redirect to another origin.** Redirects are followed by hand, and only
  within the registry's own scheme, host and port; any other is a contract
  violation, so the token is never sent anywhere else.
- **Size caps.** The body is streamed and counted, received bytes against
  :data:`MAX_BODY_BYTES` and decompressed bytes against
  :data:`MAX_DECODED_BYTES`; the client inflates gzip itself, a bounded piece
  at a time, so a compression bomb stops at the cap with the memory of the
  cap, not of the bomb.
- **A deadline per attempt** (:data:`DEADLINE`): connecting, the headers and
  the whole body, however slowly they drip. A read timeout alone would not do:
  it restarts with every byte. And a **budget per request**
  (:data:`MAX_TOTAL_SECONDS`) that every attempt and every wait between
  attempts come out of, so retries cannot stretch one deadline without end.
- **Messages** name the endpoint, the status and what was wrong, never what
  the registry sent (a body can echo the token or carry a note).
"""

from __future__ import annotations

import contextlib
import ipaddress
import logging
import threading
import time
import zlib
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests
import urllib3
from pydantic_core import from_json
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception_type,
    stop_after_attempt,
    stop_before_delay,
    wait_exponential_jitter,
)

from fetch.errors import (
    AuthenticationFailed,
    CursorExpired,
    RegistryError,
    RegistryProtocolError,
    RegistryUnavailable,
    ResponseTooLarge,
    UnsafeRegistryURL,
)
from sunshine.errors import SunshineError

log = logging.getLogger("sunshine.fetch")

CONNECT_TIMEOUT = 5.0
"""Seconds to establish a connection."""
READ_TIMEOUT = 30.0
"""Seconds to wait for the next bytes of an answer (the registry can take several)."""
DEADLINE = 60.0
"""Seconds one attempt may take in all: connecting, the headers and the whole body."""
MAX_ATTEMPTS = 8
"""Attempts per request before giving up, the first included."""
MAX_TOTAL_SECONDS = 300.0
"""Seconds one request may take in all: every attempt and every wait between them."""
MAX_BACKOFF_SECONDS = 30.0
"""Longest wait between attempts when the registry does not say (Retry-After)."""
MAX_BODY_BYTES = 32 * 1024 * 1024
"""Bytes of one answer's body as received (compressed or not).

The largest legitimate answer is a page of the feed at the maximum page size:
about 1.0 MB of JSON for 1000 demo cases, 130 kB gzipped; a regulation text is
under 40 kB, and a long law such as the Civil Code under 1 MB. The contract
gzips, so a page on the wire is about an eighth of its JSON; 32 MiB still takes
an uncompressed page thirty times the demo's largest.
"""
MAX_DECODED_BYTES = 64 * 1024 * 1024
"""Bytes of one answer's body after decompression: sixty times the demo's largest
page, room for a page of 1000 cases whose events all carry long notes."""
MAX_REDIRECTS = 5
"""Same-origin redirects followed for one request."""
CHUNK_BYTES = 64 * 1024
"""Bytes read from the connection at a time (and the most a read can add past a cap)."""

_TRANSIENT_STATUS = {429, 500, 502, 503, 504}
_REDIRECT_STATUS = {301, 302, 303, 307, 308}
_DEFAULT_PORTS = {"http": 80, "https": 443}
_GZIP = 16 + zlib.MAX_WBITS  # zlib's window bits for a gzip wrapper


@dataclass(frozen=True)
class RetryPolicy:
    """How hard to try: attempts, total time, and the backoff between attempts.

    ``total_seconds`` bounds a whole request: an attempt's deadline is cut to
    what is left of it, and no wait is started that would end past it.
    """

    attempts: int = MAX_ATTEMPTS
    total_seconds: float = MAX_TOTAL_SECONDS
    initial_backoff: float = 0.5
    max_backoff: float = MAX_BACKOFF_SECONDS


class RegistryNotRunning(RegistryUnavailable):
    """A loopback REGISTRY_URL refused the connection: nothing listens there.

    The contract counts connection errors as transient, and for a remote
    registry they are (a restart, a load balancer); on this machine a refused
    connection means no server was started, so it is reported at once.
    """

    def __init__(self, url: str) -> None:
        # RegistryUnavailable's message speaks of retries, which were not made.
        RegistryError.__init__(self, f"nothing is listening at {url} (connection refused)")
        self.url = url
        self.last = "connection refused"
        self.attempts = 1


class _Transient(SunshineError):
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


def _is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _refused(error: BaseException) -> bool:
    """Whether a refused connection is anywhere in ``error``'s chain.

    requests wraps urllib3's MaxRetryError, whose ``reason`` is a
    NewConnectionError raised from the socket's ConnectionRefusedError.
    """
    seen: set[int] = set()
    pending: list[BaseException] = [error]
    while pending:
        current = pending.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, ConnectionRefusedError):
            return True
        linked = (current.__cause__, current.__context__, getattr(current, "reason", None))
        pending.extend(e for e in (*linked, *current.args) if isinstance(e, BaseException))
    return False


def check_registry_url(url: str) -> str:
    """``url`` if the token may be sent there; else :class:`UnsafeRegistryURL`.

    https, or plain http to a loopback host (127.0.0.0/8, ::1, localhost: the
    demo registry); no user name or password (the credential is the token);
    no query or fragment (paths are appended to it).
    """
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        host = None
    if scheme not in _DEFAULT_PORTS or not host:
        raise UnsafeRegistryURL(
            "REGISTRY_URL must be an https:// URL with a host "
            "(for example https://registry.example.org/api/v1)"
        )
    if parts.username is not None or parts.password is not None:
        raise UnsafeRegistryURL(
            "REGISTRY_URL must not carry a user name or password: "
            "the registry's credential is REGISTRY_TOKEN"
        )
    if parts.query or parts.fragment:
        raise UnsafeRegistryURL("REGISTRY_URL must not have a query or a fragment")
    if scheme == "http" and not _is_loopback(host):
        raise UnsafeRegistryURL(
            f"REGISTRY_URL must use https:// for {host}: plain http:// would send the "
            "token unencrypted and is allowed only to a loopback host "
            "(127.0.0.0/8, ::1, localhost)"
        )
    return url


def _origin(url: str) -> tuple[str, str, int] | None:
    """(scheme, host, port) of ``url``, or None if it has none."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        host, port = parts.hostname, parts.port
    except ValueError:
        return None
    if scheme not in _DEFAULT_PORTS or not host:
        return None
    return scheme, host.lower(), port or _DEFAULT_PORTS[scheme]


def _retry_after(response: requests.Response) -> float | None:
    value = response.headers.get("Retry-After", "").strip()
    return float(value) if value.isdigit() else None


def _network_problem(error: Exception) -> str:
    """What went wrong on the wire, in our words.

    The exceptions' own texts are not used: they quote the request's query
    string and, for a malformed answer, bytes the registry sent.
    """
    if isinstance(
        error, requests.exceptions.ConnectTimeout | urllib3.exceptions.ConnectTimeoutError
    ):
        what = "connecting timed out"
    elif isinstance(error, requests.Timeout | urllib3.exceptions.TimeoutError | TimeoutError):
        what = "no bytes within the read timeout"
    elif isinstance(error, requests.exceptions.SSLError | urllib3.exceptions.SSLError):
        what = "the TLS connection failed"
    elif isinstance(
        error, urllib3.exceptions.ProtocolError | requests.exceptions.ChunkedEncodingError
    ):
        what = "the connection broke off or the answer was malformed"
    else:
        what = "the connection failed"
    return f"{what} ({type(error).__name__})"


class _Bearer(requests.auth.AuthBase):
    """Sets the bearer token. As ``auth`` it also keeps requests from using a .netrc entry."""

    def __init__(self, token: str) -> None:
        self._token = token

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        request.headers["Authorization"] = f"Bearer {self._token}"
        return request

    def __repr__(self) -> str:
        return "_Bearer(<token>)"


class _Exchange:
    """One attempt, run in its own thread so that the caller can stop waiting at the deadline."""

    def __init__(self) -> None:
        self.done = threading.Event()
        self.cancelled = threading.Event()
        self.response: requests.Response | None = None
        self.answer: Answer | None = None
        self.error: BaseException | None = None

    def cancel(self) -> None:
        """Give up on the attempt; unblock a read in progress so its thread ends now."""
        self.cancelled.set()
        response = self.response
        if response is not None:
            # Best effort: failing that, the thread ends at its next read.
            with contextlib.suppress(Exception):
                response.raw.shutdown()


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
        deadline: float = DEADLINE,
        max_body_bytes: int = MAX_BODY_BYTES,
        max_decoded_bytes: int = MAX_DECODED_BYTES,
        retry: RetryPolicy | None = None,
    ) -> None:
        self.base_url = check_registry_url(base_url).rstrip("/")
        self.origin = _origin(self.base_url)
        self.loopback = self.origin is not None and _is_loopback(self.origin[1])
        self.session = session or requests.Session()
        self.connect_timeout = connect_timeout
        self.read_timeout = read_timeout
        self.deadline = deadline
        self.max_body_bytes = max_body_bytes
        self.max_decoded_bytes = max_decoded_bytes
        self.retry = retry or RetryPolicy()
        self._auth = _Bearer(token)
        self._headers = {"Accept": "application/json", "Accept-Encoding": "gzip"}

    def get(
        self, path: str, params: dict[str, Any] | None = None, etag: str | None = None
    ) -> Answer:
        """GET ``path`` (relative to the base URL), retrying transient failures."""
        url = f"{self.base_url}/{path.lstrip('/')}"
        headers = dict(self._headers)
        if etag:
            headers["If-None-Match"] = etag
        policy = self.retry
        started = time.monotonic()

        def wait(state: RetryCallState) -> float:
            error = state.outcome.exception() if state.outcome else None
            if isinstance(error, _Transient) and error.retry_after is not None:
                return min(error.retry_after, policy.total_seconds)
            return backoff(state)

        def attempt() -> Answer:
            left = policy.total_seconds - (time.monotonic() - started)
            return self._attempt(url, params, headers, max(0.0, min(self.deadline, left)))

        backoff = wait_exponential_jitter(multiplier=policy.initial_backoff, max=policy.max_backoff)
        retrying = Retrying(
            retry=retry_if_exception_type(_Transient),
            # stop_before_delay: no wait is started that would end past the budget.
            stop=stop_after_attempt(policy.attempts) | stop_before_delay(policy.total_seconds),
            wait=wait,
            before_sleep=lambda state: log.warning(
                "registry request failed, retrying: %s (attempt %d)",
                state.outcome.exception() if state.outcome else "?",
                state.attempt_number,
            ),
            reraise=True,
        )
        try:
            return retrying(attempt)
        except _Transient as last:
            attempts = retrying.statistics.get("attempt_number", policy.attempts)
            raise RegistryUnavailable(url, last.last, attempts) from None

    def _attempt(
        self, url: str, params: dict[str, Any] | None, headers: dict[str, str], deadline: float
    ) -> Answer:
        """One attempt that ends by ``deadline`` seconds from now, whatever the registry does.

        The exchange runs in a daemon thread; if it is not done in time it is
        abandoned and the attempt counts as a timeout. Once the headers are in,
        abandoning shuts the connection, so the thread ends at once; a thread
        still receiving headers cannot be reached and is left to end when they
        stop coming (http.client bounds their size, so it holds little).
        """
        if deadline <= 0:
            raise _Transient("no time left in the request's budget")
        exchange = _Exchange()

        def run() -> None:
            try:
                exchange.answer = self._exchange(url, params, headers, deadline, exchange)
            except BaseException as error:  # handed to the waiting thread
                exchange.error = error
            finally:
                exchange.done.set()

        threading.Thread(target=run, name="registry-request", daemon=True).start()
        if not exchange.done.wait(deadline):
            exchange.cancel()
            raise _Transient(f"no complete answer within the deadline of {deadline:g} s")
        if exchange.error is not None:
            raise exchange.error
        assert exchange.answer is not None
        return exchange.answer

    def _exchange(
        self,
        url: str,
        params: dict[str, Any] | None,
        headers: dict[str, str],
        deadline: float,
        exchange: _Exchange,
    ) -> Answer:
        """Request ``url``, following same-origin redirects, and read the answer."""
        ends = time.monotonic() + deadline
        target, query = url, params
        for _ in range(MAX_REDIRECTS + 1):
            left = max(0.001, ends - time.monotonic())
            try:
                response = self.session.get(
                    target,
                    params=query,
                    headers=headers,
                    auth=self._auth,
                    timeout=(min(self.connect_timeout, left), min(self.read_timeout, left)),
                    stream=True,
                    allow_redirects=False,
                )
            except requests.RequestException as error:
                if self.loopback and _refused(error):
                    raise RegistryNotRunning(self.base_url) from None
                raise _Transient(_network_problem(error)) from None
            exchange.response = response
            try:
                if response.status_code not in _REDIRECT_STATUS:
                    return self._answer(url, response, exchange)
                location = response.headers.get("Location")
                if not location:
                    raise RegistryProtocolError(
                        f"HTTP {response.status_code} from {url} without a Location"
                    )
                target, query = urljoin(response.url, location), None
                if _origin(target) != self.origin:
                    # The token goes with a request, so the request is never made.
                    raise RegistryProtocolError(
                        f"HTTP {response.status_code} from {url} redirects to another origin, "
                        "which the contract rules out; not followed"
                    )
            finally:
                response.close()
        raise RegistryProtocolError(f"{url} redirects more than {MAX_REDIRECTS} times")

    def _answer(self, url: str, response: requests.Response, exchange: _Exchange) -> Answer:
        status = response.status_code
        etag = response.headers.get("ETag")
        if status == 200:
            body = self._read_body(url, response, exchange)
            try:
                # pydantic-core's parser is several times faster than json's.
                return Answer(200, from_json(body), etag)
            except ValueError:
                raise RegistryProtocolError(
                    f"HTTP 200 from {url} with a body that is not JSON"
                ) from None
        if status == 304:
            return Answer(304, None, etag)
        if status in (401, 403):
            raise AuthenticationFailed(url, status)
        if status == 410:
            raise CursorExpired(f"the saved cursor has expired (HTTP 410) at {url}")
        if status in _TRANSIENT_STATUS or status >= 500:
            raise _Transient(f"HTTP {status}", _retry_after(response))
        raise RegistryProtocolError(f"unexpected HTTP {status} from {url}")

    def _read_body(self, url: str, response: requests.Response, exchange: _Exchange) -> bytearray:
        """The whole body, decompressed, within both caps; a bounded piece at a time.

        Reading with ``read1`` returns as soon as any bytes arrive, so an
        abandoned attempt notices at its next read; inflating with a
        ``max_length`` never produces more than the room left under the cap.
        """
        encoding = response.headers.get("Content-Encoding", "").strip().lower()
        if encoding in ("", "identity"):
            inflater = None
        elif encoding in ("gzip", "x-gzip"):
            inflater = zlib.decompressobj(_GZIP)
        else:
            raise RegistryProtocolError(
                f"HTTP 200 from {url} in a content encoding the client did not ask for"
            )
        declared = response.headers.get("Content-Length", "").strip()
        if declared.isdigit() and int(declared) > self.max_body_bytes:
            raise ResponseTooLarge(url, "received", self.max_body_bytes, 0)
        body = bytearray()
        received = 0
        try:
            while not exchange.cancelled.is_set():
                chunk = response.raw.read1(CHUNK_BYTES, decode_content=False)
                if not chunk:
                    break
                received += len(chunk)
                if received > self.max_body_bytes:
                    raise ResponseTooLarge(url, "received", self.max_body_bytes, received)
                if inflater is None:
                    body += chunk
                else:
                    inflater = self._inflate(url, inflater, chunk, body)
                if len(body) > self.max_decoded_bytes:
                    raise ResponseTooLarge(url, "decompressed", self.max_decoded_bytes, len(body))
        except (urllib3.exceptions.HTTPError, OSError) as error:
            raise _Transient(_network_problem(error)) from None
        except zlib.error:
            raise RegistryProtocolError(
                f"HTTP 200 from {url} with a gzip body that does not decompress"
            ) from None
        if exchange.cancelled.is_set():
            raise _Transient("abandoned at the deadline")
        if inflater is not None and not inflater.eof:
            raise _Transient("the compressed body ended early")
        return body

    def _inflate(self, url: str, inflater: Any, data: bytes, body: bytearray) -> Any:
        """Inflate ``data`` onto ``body``, stopping one byte past the cap.

        Returns the inflater to go on with (a new one after a gzip member ends).
        """
        while data:
            if inflater.eof:  # a gzip file may hold several members, one after another
                inflater = zlib.decompressobj(_GZIP)
            room = self.max_decoded_bytes - len(body) + 1
            body += inflater.decompress(data, room)
            if len(body) > self.max_decoded_bytes:
                raise ResponseTooLarge(url, "decompressed", self.max_decoded_bytes, len(body))
            data = inflater.unused_data if inflater.eof else inflater.unconsumed_tail
        return inflater
