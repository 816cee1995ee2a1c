"""Deterministic synthetic registry data, generated as a stream.

The change feed is a virtual sequence of positions; the item at position ``p``
has ``seq = p + 1`` and is computed on demand from (seed, p), so a registry of a
million cases costs no memory and any page can be produced in O(page size).

Layout of the feed of ``DemoRegistry(cases=n)``:

- positions ``0 .. n-1``: the first delivery of case ``i`` at position ``i``. About
  3% of them are an earlier version (a prefix of the case's events);
- positions ``n .. n + 7t - 1``: blocks of six revisions and one tombstone. Cases are
  ranked by the permutation ``rank(c) = c * PRIME^-1 mod n`` (so that ``target(r) =
  r * PRIME mod n``): ranks below ``6t`` are revised (their first delivery was the
  earlier version), the next ``t`` ranks are deleted by a tombstone (``t`` ~ n/200);
- positions after that: what ``advance()`` appended. Only these are stored, one
  small tuple per position, since they depend on the order of calls.

Every item is as of the registry's clock ``now``; ``advance()`` moves the clock on,
so that a second fetch finds cases that have moved on, new cases and deletions.
"""

from __future__ import annotations

import re
import threading
from datetime import datetime, timedelta
from random import Random
from typing import Any

from . import codes, texts
from .cases import CaseMaker
from .clock import DAY, TZ, Clock
from .faults import Faults

DEFAULT_NOW = datetime(2026, 11, 15, 12, 0, tzinfo=TZ)
PRIME = 1_000_000_007  # larger than any case count, hence coprime with it
RECEIVED_DAYS = 730  # cases were received over the two years before "now"
BLOCK = 7  # tail block: six revisions, one tombstone
_CASE_ID = re.compile(r"XF\d{4}-\d{6}-(\d{6,})")
_SALT_POSITION, _SALT_ADVANCE, _SALT_STALE = 1 << 64, 2 << 64, 3 << 64


class DemoRegistry:
    """The whole synthetic registry: feed, current states, code lists, regulations."""

    def __init__(
        self, cases: int, seed: int = 1, token: str = "demo-token", now: datetime = DEFAULT_NOW
    ) -> None:
        if cases < 0:
            raise ValueError("cases must be >= 0")
        now = now if now.tzinfo else now.replace(tzinfo=TZ)
        self.cases, self.seed, self.token = cases, seed, token
        self.now = now.astimezone(TZ)
        self.initial_now = self.now  # the clock at construction: what the layout is as of
        self.faults = Faults()
        self.clock = Clock(self.now.date() - timedelta(days=RECEIVED_DAYS + 70))
        self._base_minute = self._now_minute = self.clock.minute_of(self.now)
        self._start = self._base_minute - RECEIVED_DAYS * DAY
        self._span = RECEIVED_DAYS * DAY - 60  # the newest case came in an hour before now
        self._tombstones = round(cases / 200) if cases >= 200 else int(cases >= 10)
        self._revisions = 6 * self._tombstones
        self._base_length = cases + BLOCK * self._tombstones
        self._inverse = pow(PRIME, -1, cases) if cases > 1 else 0
        self._extra: list[tuple[str, int, int]] = []  # (kind, case index, as-of minute)
        # (received minute, earliest allowed) of cases added later: within the hours
        # advance() moved the clock on, so that a later fetch sees them as new
        self._extra_received: dict[int, tuple[int, int]] = {}
        self._last_position: dict[int, int] = {}  # for cases that advance() touched
        self._case_count = cases
        self._lock = threading.RLock()
        per_day = max(1, cases // RECEIVED_DAYS)
        self.maker = CaseMaker(seed, self.clock, self._received, repeat_window=per_day * 180)

    # -- the feed ---------------------------------------------------------------

    @property
    def feed_length(self) -> int:
        """Number of positions in the feed; the next change gets ``seq = feed_length + 1``."""
        return self._base_length + len(self._extra)

    @property
    def base_length(self) -> int:
        """Number of positions laid out at construction (before any ``advance()``)."""
        return self._base_length

    @property
    def case_count(self) -> int:
        """Number of case indices issued (deleted cases included)."""
        return self._case_count

    def item(self, position: int) -> dict[str, Any]:
        """The feed item at ``position`` (a case or a tombstone), with ``seq = position + 1``."""
        cases = self.cases
        if 0 <= position < cases:
            earlier = position * self._inverse % cases < self._revisions
            return self.maker.build(position, position + 1, self._base_minute, earlier)[0]
        if cases <= position < self._base_length:
            block, slot = divmod(position - cases, BLOCK)
            if slot < BLOCK - 1:
                target = self._target(block * (BLOCK - 1) + slot)
                return self.maker.build(target, position + 1, self._base_minute)[0]
            return self._tombstone(
                self._target(self._revisions + block), position, self._base_minute
            )
        extra = position - self._base_length
        if position < 0 or extra >= len(self._extra):
            raise IndexError(f"position {position} is outside the feed (0..{self.feed_length - 1})")
        kind, index, asof = self._extra[extra]
        if kind == "case":
            return self.maker.build(index, position + 1, asof)[0]
        return self._tombstone(index, position, asof)

    def items(self, start: int, stop: int) -> list[dict[str, Any]]:
        """The items at positions ``start .. stop-1``."""
        item = self.item
        return [item(p) for p in range(start, stop)]

    def _target(self, rank: int) -> int:
        return rank * PRIME % self.cases

    def _received(self, index: int, jitter: float) -> tuple[int, int]:
        """(minute received, earliest minute office hours may move it back to)."""
        if index < self.cases:
            return self._start + int((index + jitter) * self._span / self.cases), 0
        return self._extra_received[index]

    def _tombstone(self, index: int, position: int, asof: int) -> dict[str, Any]:
        case, updated = self.maker.build(index, 0, asof)
        rng = Random(self.seed * 1_000_003 + position + _SALT_POSITION)
        at = updated + int(rng.random() * (asof - updated))
        r = rng.random()
        reason = "erased" if r < 0.5 else "withdrawn" if r < 0.8 else "merged"
        return {
            "case_id": case["case_id"],
            "seq": position + 1,
            "deleted": True,
            "reason": reason,
            "updated_at": self.clock.fmt(at),
        }

    # -- current state ----------------------------------------------------------

    def last_position(self, index: int) -> int | None:
        """Position of the newest item of case ``index`` (maybe a tombstone), or None."""
        if index in self._last_position:
            return self._last_position[index]
        if 0 <= index < self.cases:
            rank = index * self._inverse % self.cases
            if rank < self._revisions:
                return self.cases + rank // (BLOCK - 1) * BLOCK + rank % (BLOCK - 1)
            if rank < self._revisions + self._tombstones:
                return self.cases + (rank - self._revisions) * BLOCK + BLOCK - 1
            return index
        return None

    def case_state(self, case_id: str) -> dict[str, Any] | None:
        """The current state of a case (its newest item), or None if unknown or deleted."""
        match = _CASE_ID.fullmatch(case_id)
        if not match or int(match.group(1)) >= self._case_count:
            return None
        position = self.last_position(int(match.group(1)))
        item = self.item(position) if position is not None else None
        if item is None or item.get("deleted") or item["case_id"] != case_id:
            return None
        return item

    def _is_deleted(self, index: int) -> bool:
        position = self.last_position(index)
        return (
            position is None
            or (
                position >= self._base_length
                and self._extra[position - self._base_length][0] == "tombstone"
            )
            or (
                self.cases <= position < self._base_length
                and (position - self.cases) % BLOCK == BLOCK - 1
            )
        )

    def _last_asof(self, index: int) -> int:
        position = self._last_position.get(index)
        return (
            self._base_minute if position is None else self._extra[position - self._base_length][2]
        )

    # -- changes ----------------------------------------------------------------

    def advance(self, changes: int, hours: float = 24.0) -> int:
        """Move the clock on by ``hours`` and append ``changes`` items; return feed_length.

        About 55% are revisions of recent cases that have moved on since their last
        delivery, 40% new cases received in the new hours, 5% tombstones. A small
        registry has few cases that move on within hours: what it lacks in revisions
        comes as new cases.
        """
        if changes < 0:
            raise ValueError("changes must be >= 0")
        with self._lock:
            old = self._now_minute
            new = old + max(1, int(hours * 60))
            rng = Random(self.seed * 1_000_003 + self.feed_length + _SALT_ADVANCE)
            kinds = [rng.random() for _ in range(changes)]
            receipts = sorted(old + 1 + int(rng.random() * (new - old)) for _ in kinds)
            existing = self._case_count
            recent = existing - int(120 * DAY * max(self.cases, 1) / self._span) - 1
            chosen: set[int] = set()
            misses = 0  # revision picks that found no case that moved on
            for r in kinds:
                index = None
                if r < 0.55 and misses < 3:
                    index = self._pick(rng, max(0, recent), existing, chosen, new)
                    misses = misses + 1 if index is None else 0
                elif r >= 0.95:
                    index = self._pick(rng, 0, existing, chosen, None)
                if index is None or 0.55 <= r < 0.95:
                    index = self._case_count
                    self._case_count += 1
                    self._extra_received[index] = (receipts.pop(0), old + 1)
                    r = 0.6
                chosen.add(index)
                self._last_position[index] = self.feed_length
                self._extra.append(("tombstone" if r >= 0.95 else "case", index, new))
            self._now_minute = new
            self.now = self.now + timedelta(minutes=new - old)
            return self.feed_length

    def _pick(
        self, rng: Random, low: int, high: int, chosen: set[int], moved_since: int | None
    ) -> int | None:
        """A live case in ``low .. high-1`` not chosen yet, or None after some tries; with
        ``moved_since``, one that changed between its last delivery and that minute."""
        for _ in range(60 if high > low else 0):
            index = low + int(rng.random() * (high - low))
            if index in chosen or self._is_deleted(index):
                continue
            if moved_since is None or (
                self.maker.build(index, 0, moved_since)[1] > self._last_asof(index)
            ):
                return index
        return None

    def stale_positions(self, start: int, count: int) -> list[int]:
        """``count`` positions before ``start`` holding an older version of a case whose
        newer version the feed delivered before ``start`` (any earlier position if none)."""
        rng = Random(self.seed * 1_000_003 + start + _SALT_STALE)
        tail = start - self.cases
        revised = (
            min(self._revisions, tail // BLOCK * (BLOCK - 1) + min(tail % BLOCK, BLOCK - 1))
            if tail > 0
            else 0
        )
        if revised:
            return [self._target(int(rng.random() * revised)) for _ in range(count)]
        return [int(rng.random() * start) for _ in range(count)] if start else []

    # -- the rest of the contract -----------------------------------------------

    def generated_at(self) -> str:
        """The registry's clock as the feed's ``generated_at``."""
        return self.now.isoformat(timespec="seconds")

    def codes(self, list_name: str) -> dict[str, Any] | None:
        """A code list (categories, channels, regions, agencies), or None if unknown."""
        return codes.code_list(list_name)

    def regulations(self) -> list[dict[str, Any]]:
        """Metadata of the seven regulation documents."""
        return texts.listing()

    def regulation(self, reg_id: str) -> dict[str, Any] | None:
        """Metadata and plain text of one regulation, or None if unknown."""
        return texts.document(reg_id)

    def tracking_code(self, index: int) -> str:
        """The query code of case ``index``."""
        return self.maker.tracking_code(index)

    def invalid_positions(self) -> dict[int, dict[str, Any]]:
        """Positions served as invalid variants so far: ``{position: {kind, case_id, seq}}``."""
        return self.faults.invalid_positions()
