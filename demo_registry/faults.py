"""Fault injection: the ways the real registry misbehaves, switched on by tests.

The contract warns that the registry is slow, answers 429/503 with Retry-After,
cuts connections mid-body, delivers items more than once and out of date, and
expires cursors. A fetcher is only trustworthy if each of these is exercised, so
every one can be switched on here, in-process (``registry.faults``) or over HTTP
(``POST /_demo/faults``, see ``configure``). All methods are thread-safe: the
server answers each request in its own thread.

``malformed`` answers 200 with a JSON object that breaks the shape of every
listing at once (:data:`MALFORMED`): a feed page, the regulations listing, a
code list. What the fetcher must make of it is a contract violation.

Invalid items (``invalid_every``) replace every N-th position of the feed (the
item with ``seq % N == 0``) by a variant that breaks the contract in one way,
cycling through ``INVALID_KINDS``; each one served is recorded, so that a test
can ask ``registry.invalid_positions()`` what the fetcher should have set aside.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any, Protocol

from sunshine.cases.query_code import ALPHABET

FAIL_KINDS = ("503", "429", "500", "truncate", "slow", "reset", "malformed")
INVALID_KINDS = (
    "bad_check_symbol",
    "unknown_channel",
    "missing_field",
    "unparseable_date",
    "unknown_event_type",
    "note_too_long",
    "bad_region",
    "not_an_object",
)
MALFORMED: dict[str, Any] = {"items": "not a list", "next": 5, "has_more": "maybe", "list": 7}
"""The body of a ``malformed`` answer: ``items`` not a list, a cursor that is not a
string, no ``generated_at`` nor ``version``, a list name that is not a string."""
_SETTINGS = ("repeat_items", "stale_items", "invalid_every", "retry_after", "delay")


@dataclass
class Failure:
    """One queued failure: answer the next ``remaining`` matching requests this way."""

    kind: str
    remaining: int
    path_prefix: str
    retry_after: int
    delay: float


class Feed(Protocol):
    """What page composition needs of the registry."""

    def item(self, position: int) -> dict[str, Any]: ...
    def items(self, start: int, stop: int) -> list[dict[str, Any]]: ...
    def stale_positions(self, start: int, count: int) -> list[int]: ...


class Faults:
    """The fault switches of one registry. Plain attributes may also be set directly."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pending: list[Failure] = []
        self._invalidated: dict[int, dict[str, Any]] = {}
        self.epoch = 0  # the cursor epoch: cursors of older epochs answer 410
        self.repeat_items = 0
        self.stale_items = 0
        self.invalid_every = 0
        self.retry_after = 1  # seconds, for 429 and 503
        self.delay = 2.0  # seconds, for "slow"

    def fail_next(
        self,
        kind: str,
        count: int = 1,
        path_prefix: str = "/api/v1/cases",
        retry_after: int | None = None,
        delay: float | None = None,
    ) -> None:
        """Make the next ``count`` requests whose path starts with ``path_prefix`` fail."""
        if kind not in FAIL_KINDS:
            raise ValueError(f"unknown failure kind {kind!r}; one of {', '.join(FAIL_KINDS)}")
        if count < 1:
            raise ValueError("count must be at least 1")
        with self._lock:
            self._pending.append(
                Failure(
                    kind,
                    count,
                    path_prefix,
                    self.retry_after if retry_after is None else int(retry_after),
                    self.delay if delay is None else float(delay),
                )
            )

    def take(self, path: str) -> Failure | None:
        """The failure to apply to a request for ``path``, consuming one of its count."""
        with self._lock:
            for failure in self._pending:
                if path.startswith(failure.path_prefix):
                    failure.remaining -= 1
                    if failure.remaining == 0:
                        self._pending.remove(failure)
                    return Failure(**asdict(failure))
        return None

    def expire_cursors(self) -> int:
        """Every cursor issued so far now answers 410 Gone; new full syncs work."""
        with self._lock:
            self.epoch += 1
            return self.epoch

    def reset_faults(self) -> None:
        """Switch every fault off. Cursors stay expired and the record of invalid items stays."""
        with self._lock:
            self._pending.clear()
            self.repeat_items = self.stale_items = self.invalid_every = 0
            self.retry_after, self.delay = 1, 2.0

    def configure(self, settings: dict[str, Any]) -> None:
        """Apply a ``POST /_demo/faults`` body; raises ValueError on anything unknown.

        ``{"reset": true, "fail_next": {"kind": "503", "count": 2} or a list of such,
        "expire_cursors": true, "repeat_items": 3, "stale_items": 2, "invalid_every": 50,
        "retry_after": 1, "delay": 2.0}``; ``reset`` is applied first.
        """
        unknown = set(settings) - {"reset", "fail_next", "expire_cursors", *_SETTINGS}
        if unknown:
            raise ValueError(f"unknown fault settings: {', '.join(sorted(unknown))}")
        if settings.get("reset"):
            self.reset_faults()
        for name in _SETTINGS:
            if name in settings:
                value = settings[name]
                if not isinstance(value, int | float) or isinstance(value, bool) or value < 0:
                    raise ValueError(f"{name} must be a number >= 0")
                setattr(self, name, float(value) if name == "delay" else int(value))
        failures = settings.get("fail_next") or []
        for failure in failures if isinstance(failures, list) else [failures]:
            if not isinstance(failure, dict):
                raise ValueError("fail_next takes an object or a list of objects")
            self.fail_next(**failure)
        if settings.get("expire_cursors"):
            self.expire_cursors()

    def snapshot(self) -> dict[str, Any]:
        """The current switches, as ``GET /_demo/faults`` shows them."""
        with self._lock:
            return {
                "epoch": self.epoch,
                **{name: getattr(self, name) for name in _SETTINGS},
                "pending": [asdict(f) for f in self._pending],
                "invalid_positions": len(self._invalidated),
            }

    def invalid_kind(self, position: int) -> str | None:
        """The kind of invalid variant served at ``position`` now, or None."""
        every = self.invalid_every
        if every <= 0 or (position + 1) % every:
            return None
        return INVALID_KINDS[((position + 1) // every - 1) % len(INVALID_KINDS)]

    def invalid_positions(self) -> dict[int, dict[str, Any]]:
        """Every position served invalid so far: ``{position: {kind, case_id, seq}}``."""
        with self._lock:
            return {p: dict(v) for p, v in sorted(self._invalidated.items())}

    def record_invalid(self, position: int, kind: str, item: dict[str, Any]) -> None:
        """Note that ``position`` was served as an invalid variant of ``item``."""
        with self._lock:
            self._invalidated[position] = {
                "kind": kind,
                "case_id": item["case_id"],
                "seq": item["seq"],
            }


def invalid_variant(item: dict[str, Any], kind: str) -> tuple[Any, str]:
    """(the item broken in the way ``kind`` says, the kind actually applied).

    A tombstone has no code, channel, events or region, so those kinds break its
    ``updated_at`` instead.
    """
    if kind == "not_an_object":
        return [item["case_id"], item["seq"]], kind
    bad = copy.deepcopy(item)
    if item.get("deleted"):
        if kind == "missing_field":
            del bad["updated_at"]
        else:
            kind, bad["updated_at"] = "unparseable_date", "2025-13-45 25:61"
        return bad, kind
    breakers: dict[str, Callable[[dict[str, Any]], None]] = {
        "bad_check_symbol": lambda c: c.update(
            tracking_code=c["tracking_code"][:-1]
            + ALPHABET[(ALPHABET.index(c["tracking_code"][-1]) + 1) % len(ALPHABET)]
        ),
        "unknown_channel": lambda c: c.update(channel="pigeon"),
        "missing_field": lambda c: c.pop("received_at"),
        "unparseable_date": lambda c: c["events"][0].update(at="2025-13-45 25:61"),
        "unknown_event_type": lambda c: c["events"][-1].update(type="escalated"),
        "note_too_long": lambda c: c["events"][0].update(note="信访人反映情况说明。" * 201),
        "bad_region": lambda c: c.update(region=c["region"][:5]),
    }
    breakers[kind](bad)
    return bad, kind


def compose_page(feed: Feed, faults: Faults, start: int, stop: int) -> list[Any]:
    """The items of one page from ``start`` to ``stop``, with the page faults applied.

    ``repeat_items`` re-delivers the end of the previous page first (at-least-once
    overlap); ``stale_items`` appends older versions of cases that the feed has
    already delivered in a newer version; ``invalid_every`` breaks every N-th item.
    """
    repeat, stale = faults.repeat_items, faults.stale_items
    items: list[Any] = []
    positions: list[int] = []
    if repeat and start > 0:
        first = max(0, start - repeat)
        items += feed.items(first, start)
        positions += range(first, start)
    items += feed.items(start, stop)
    positions += range(start, stop)
    if stale and start > 0:
        for position in feed.stale_positions(start, stale):
            items.append(feed.item(position))
            positions.append(position)
    if faults.invalid_every:
        for i, position in enumerate(positions):
            kind = faults.invalid_kind(position)
            if kind:
                original = items[i]
                items[i], applied = invalid_variant(original, kind)
                faults.record_invalid(position, applied, original)
    return items
