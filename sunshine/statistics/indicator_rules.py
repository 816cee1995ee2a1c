"""Per-case rules of the published indicators: what one case contributes, and when.

:func:`case_facts` reads one stored case (the registry contract's shape) and
returns a :class:`CaseFacts`; :mod:`sunshine.statistics.indicators` adds them up. Dates
are calendar dates in Asia/Shanghai (:func:`sunshine.cases.calendar.local_date`);
events are first normalised with :func:`sunshine.cases.stages.ordered_events`.
Due dates reuse the rules of :mod:`sunshine.cases.timeline` (same periods, same
extension cap, same rest-day rule).

Rules where DESIGN.md leaves room, as implemented here:

- **Acceptance clock** (timely_acceptance_rate). The *decision* is the first
  ``accepted`` or ``not_accepted``. The clock starts at the last ``forwarded``
  before the decision (the last forward of the case if there is no decision),
  else at the first ``registered`` before it, else on the day of receipt. It
  stops at the first ``receipt_notified``, ``accepted`` or ``not_accepted``
  after the start. Due: 15 日 after the start (Art. 22, 23).
- **Reply clock** (on_time_reply_rate). Starts at the last ``accepted`` before
  the first ``replied`` (or the last ``accepted`` if none came before a reply),
  stops at the first ``replied`` after it; due 60 日 plus the ``days`` of the
  ``extended`` events on the clock, at most 30 in all (Art. 34). Only for
  matters Art. 34 covers (:func:`sunshine.cases.routes.has_handling_limit`:
  申诉求决类, not law-related); other matters have no reply clock.
- For both clocks: stopped on or before the due date → timely; stopped later
  → not timely; not stopped and ``as_of`` after the due date → not timely
  (this includes a case closed without the step: the step was never taken);
  not stopped and not yet due → not counted yet. A case with a ``withdrawn``
  event before the stop is left out. Counted in the month of the due date.
- **Replied**: the date of the first ``replied`` event; evaluation,
  satisfaction and reviews are counted against replies by month of reply.
  Handling days are calendar days from the reply clock's start to its stop.
- **Open** at a period's end ``E`` (the last day of the period, or ``as_of`` if
  earlier): received on or before ``E`` and, with the events dated up to ``E``,
  a public status not in :data:`sunshine.cases.stages.COMPLETED` (so ``replied`` and
  ``reviewed`` cases, where the next move is the petitioner's, are not open).
  **Overdue open**: open, and the open agency step (as the tracker's
  ``pending``, so only the limits of the matter's route) has a due date before ``E``.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from sunshine.cases.calendar import add_days, local_date
from sunshine.cases.routes import has_handling_limit, route_of
from sunshine.cases.stages import COMPLETED, ordered_events, status_from_ordered

# The deadline rules are the tracker's; reused, not restated.
from sunshine.cases.timeline import (
    NOTICE_DAYS,
    first_event,
    last_event,
    pending_steps,
    reply_deadline,
)

__all__ = ["CaseFacts", "ClockFact", "case_facts", "month_end", "month_of"]

_ACC_STOP = frozenset({"receipt_notified", "accepted", "not_accepted"})
_DECISION = frozenset({"accepted", "not_accepted"})
_REPLIED = frozenset({"replied"})
_NONE: frozenset[str] = frozenset()


@lru_cache(maxsize=8192)  # the same few thousand dates recur for every case
def month_of(d: date) -> str:
    """``YYYY-MM`` of a date."""
    return f"{d.year:04d}-{d.month:02d}"


def month_end(d: date) -> date:
    """The last day of ``d``'s month."""
    first_next = date(d.year + (d.month == 12), d.month % 12 + 1, 1)
    return first_next - timedelta(days=1)


@dataclass(frozen=True, slots=True)
class ClockFact:
    """One statutory clock of a case: start, due date, stop (if any)."""

    start: date
    due: date
    stop: date | None
    withdrawn: bool
    """A ``withdrawn`` event came before the stop: the case is left out."""

    def timely(self, as_of: date) -> bool | None:
        """True / False when counted, None when left out or not yet due."""
        if self.withdrawn:
            return None
        if self.stop is not None:
            return self.stop <= self.due
        return False if as_of > self.due else None

    def settled(self, as_of: date) -> bool:
        """:meth:`timely` gives the same answer for every later ``as_of``."""
        return self.withdrawn or self.stop is not None or as_of > self.due


@dataclass(frozen=True, slots=True)
class CaseFacts:
    """What one case contributes to the indicators (dates in Asia/Shanghai)."""

    received: date
    channel: str
    category: str
    region: str
    agency: str
    repeat: bool
    acceptance: ClockFact | None
    reply: ClockFact | None
    replied: date | None
    handling_days: int | None
    evaluation: str | None
    review_requests: tuple[date, ...]
    review_decisions: tuple[date, ...]
    rereview_requests: tuple[date, ...]
    open_months: tuple[tuple[str, bool], ...]
    """``(YYYY-MM, overdue)`` for every month (up to ``as_of``'s) at whose end
    the case is open; ``overdue`` if its open step was past due then."""
    settled: bool
    """Nothing here changes when ``as_of`` moves on: no event after it, the case
    not open at it, and every clock stopped, left out or already past due."""


def _withdrawn_before(events: Sequence[Mapping[str, Any]], stop: int | None) -> bool:
    end = len(events) if stop is None else stop
    return any(events[j]["type"] == "withdrawn" for j in range(end))


def _acceptance(
    events: Sequence[Mapping[str, Any]], dates: list[date], received: date
) -> ClockFact:
    n = len(events)
    decision = next((i for i in range(n) if events[i]["type"] in _DECISION), n)
    start = last_event(events, "forwarded", before=decision)
    if start is None:
        start = next((i for i in range(decision) if events[i]["type"] == "registered"), None)
    if start is None:
        start_date = received
        stop = next((j for j in range(n) if events[j]["type"] in _ACC_STOP), None)
    else:
        start_date = dates[start]
        stop = first_event(events, start, _ACC_STOP, _NONE)
    return ClockFact(
        start=start_date,
        due=add_days(start_date, NOTICE_DAYS).due,
        stop=None if stop is None else dates[stop],
        withdrawn=_withdrawn_before(events, stop),
    )


def _reply(events: Sequence[Mapping[str, Any]], dates: list[date]) -> ClockFact | None:
    first_reply = next((i for i, e in enumerate(events) if e["type"] == "replied"), None)
    accepted = last_event(events, "accepted", before=first_reply)
    if accepted is None:
        accepted = last_event(events, "accepted")
    if accepted is None:
        return None
    stop = first_event(events, accepted, _REPLIED, _NONE)
    end = len(events) if stop is None else stop
    return ClockFact(
        start=dates[accepted],
        due=reply_deadline(events, dates, accepted, end).due,
        stop=None if stop is None else dates[stop],
        withdrawn=_withdrawn_before(events, stop),
    )


def _open_months(
    events: Sequence[Mapping[str, Any]],
    dates: list[date],
    received: date,
    as_of: date,
    route: str = "petition",
) -> tuple[tuple[str, bool], ...]:
    out: list[tuple[str, bool]] = []
    n = len(events)
    # Per number of events on or before a month end: (open?, earliest pending due).
    cache: dict[int, tuple[bool, date | None]] = {}
    day = date(received.year, received.month, 1)
    while day <= as_of:
        end = min(month_end(day), as_of)
        k = bisect_right(dates, end)
        if k not in cache:
            prefix = events[:k]
            status = status_from_ordered(prefix)
            is_open = status not in COMPLETED
            due: date | None = None
            if is_open:
                pending = pending_steps(status, prefix, dates[:k], received, route)
                if pending:
                    due = min(date.fromisoformat(p["due"]) for p in pending)
            cache[k] = (is_open, due)
        is_open, due = cache[k]
        if is_open:
            out.append((month_of(day), due is not None and due < end))
        elif k == n:
            break  # every event seen and nothing open: it stays so
        day = end + timedelta(days=1)
    return tuple(out)


def case_facts(case: Mapping[str, Any], as_of: date) -> CaseFacts:
    """The facts of one case that the indicators need, as of ``as_of``."""
    events = ordered_events(case.get("events") or [])
    dates = [local_date(e["at"]) for e in events]
    received = local_date(case["received_at"])
    route = route_of(case.get("kind"), bool(case.get("law_related")))
    reply_clock = _reply(events, dates)
    # The on-time reply rate counts only matters Art. 34's limit applies to
    # (sunshine.cases.routes); handling days are measured for every reply.
    reply = reply_clock if has_handling_limit(route) else None
    replied = next((dates[i] for i, e in enumerate(events) if e["type"] == "replied"), None)
    handling = None
    if reply_clock is not None and reply_clock.stop is not None:
        handling = (reply_clock.stop - reply_clock.start).days
    evaluation = case.get("evaluation")
    typed = list(zip(dates, events, strict=True))
    acceptance = _acceptance(events, dates, received)
    open_months = _open_months(events, dates, received, as_of, route)
    settled = (
        (not dates or dates[-1] <= as_of)
        and not (open_months and open_months[-1][0] == month_of(as_of))
        and all(c is None or c.settled(as_of) for c in (acceptance, reply))
    )
    return CaseFacts(
        received=received,
        channel=str(case.get("channel")),
        category=str(case.get("category")),
        region=str(case.get("region")),
        agency=str(case.get("agency")),
        repeat=case.get("repeat_of") is not None,
        acceptance=acceptance,
        reply=reply,
        replied=replied,
        handling_days=handling,
        evaluation=evaluation.get("result") if evaluation else None,
        review_requests=tuple(d for d, e in typed if e["type"] == "review_requested"),
        review_decisions=tuple(d for d, e in typed if e["type"] == "review_decided"),
        rereview_requests=tuple(d for d, e in typed if e["type"] == "rereview_requested"),
        open_months=open_months,
        settled=settled,
    )
