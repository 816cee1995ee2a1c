"""The case timeline the tracker publishes: steps, due dates, lateness, what comes next.

:func:`public_record` turns a stored case into the record that is encrypted
into a lookup bucket. It carries only what the petitioner's page shows: no
``case_id``, ``tracking_code`` or ``repeat_of`` (they would link the record to
the registry or to other cases), and notes only if the publisher keeps them on
(they were scrubbed at fetch time).

Due dates follow the table "Statutory time limits" of the registry README,
from the 2022 《信访工作条例》, counted by :mod:`sunshine.cases.calendar`. A step done
on its due date is on time; ``late`` means done after ``due``. The record
never contains today's date: open steps are listed in ``pending`` with their
due dates, and the browser (or :func:`overdue`) compares them with the date
the page is viewed, so a page stays right between builds.

Which event closes which step:

=====================  =========================================  ==========  =======
step                   closed by (first after the start)          period      article
=====================  =========================================  ==========  =======
intake                 ``forwarded``, ``accepted``,               15 日 from   22
                       ``not_accepted`` (or ``receipt_notified``  receipt
                       for a petition an agency received
                       directly: then Art. 23 ¶2, same period)
notice of receipt      ``receipt_notified``, else ``accepted``    15 日 from   23
                       or ``not_accepted``, before a re-forward   the forward
written reply          ``replied``                                60 日 + ext  34
review request         ``review_requested`` (the petitioner)      30 日        35
review decision        ``review_decided``                         30 日        35
re-review request      ``rereview_requested`` (the petitioner)    30 日        36
re-review decision     ``rereview_decided``                       30 日 + hr   36
=====================  =========================================  ==========  =======

Which of these steps apply depends on the matter's route
(:mod:`sunshine.cases.routes`): intake applies to every matter, the notice to
every matter but law-related ones, and the reply, review and re-review steps
only to the petition route (申诉求决类, Art. 31 item 6).

Extensions (ext) are the ``days`` of the ``extended`` events between the
acceptance and the reply, at most 30 in all (Art. 34). Hearing days (hr) are
the ``days`` of the ``hearing_held`` events during the re-review (Art. 36 ¶2).
Both lengthen the one period, which is then counted as a whole: the rest-day
rule applies once, to its last day.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from sunshine.cases.calendar import Deadline, add_days, local_date
from sunshine.cases.routes import (
    WINDOWS,
    current_next,
    has_handling_limit,
    has_notice_limit,
    is_overdue,
    next_step,
    route_of,
)
from sunshine.cases.stages import TERMINAL, ordered_events, status_from_ordered

__all__ = ["RECORD_VERSION", "lookup_view", "overdue", "public_record"]

# 2: ``route`` added; ``next`` names its action only (articles and guide come
# from the routes table), with ``by`` for the petitioner's own window.
RECORD_VERSION = 2

HANDLING_DAYS = 60  # Art. 34
MAX_EXTENSION_DAYS = 30  # Art. 34: "延长期限不得超过30日"
NOTICE_DAYS = 15  # Art. 22 and Art. 23
APPEAL_DAYS = 30  # Art. 35 and 36, for the petitioner and for the decision alike

_INTAKE_DONE = frozenset({"forwarded", "accepted", "not_accepted", "receipt_notified"})
_NOTICE_DONE = frozenset({"receipt_notified", "accepted", "not_accepted"})
# Event fields copied to the public record as they are (all codes or numbers,
# except ``reason``, a short stated ground for not accepting).
_PLAIN_FIELDS = ("agency", "outcome", "days", "reason")

Events = Sequence[Mapping[str, Any]]
_Mark = tuple[Deadline, str]  # the limit that applied to a step done, and its article


def first_event(
    events: Events, start: int, wanted: frozenset[str], stop: frozenset[str]
) -> int | None:
    """Index of the first ``wanted`` event after ``start``, unless a ``stop`` event comes first."""
    for j in range(start + 1, len(events)):
        kind = events[j]["type"]
        if kind in wanted:
            return j
        if kind in stop:
            return None
    return None


def last_event(events: Events, kind: str, before: int | None = None) -> int | None:
    """Index of the last event of ``kind`` (before index ``before``, if given)."""
    end = len(events) if before is None else before
    for j in range(end - 1, -1, -1):
        if events[j]["type"] == kind:
            return j
    return None


def _days_between(events: Events, kind: str, start: int, end: int) -> int:
    """Total ``days`` of the events of ``kind`` strictly between two indices."""
    return sum(int(e.get("days") or 0) for e in events[start + 1 : end] if e["type"] == kind)


def reply_deadline(events: Events, dates: list[date], accepted: int, end: int) -> Deadline:
    # Art. 34: 60 日 from acceptance, extended by at most 30 日 in all.
    extension = min(_days_between(events, "extended", accepted, end), MAX_EXTENSION_DAYS)
    return add_days(dates[accepted], HANDLING_DAYS + extension)


def _rereview_deadline(events: Events, dates: list[date], requested: int, end: int) -> Deadline:
    # Art. 36 ¶2: the time a hearing takes is not counted.
    hearing = _days_between(events, "hearing_held", requested, end)
    return add_days(dates[requested], APPEAL_DAYS + hearing)


def _marks(
    events: Events, dates: list[date], received: date, route: str = "petition"
) -> dict[int, _Mark]:
    """The limit each completed step was held to, keyed by the index of its event.

    Only the limits of the matter's route (:mod:`sunshine.cases.routes`) are
    marked: a consultation answered on day 90 was held to no limit, so it was
    not late.
    """
    notice = has_notice_limit(route)
    handling = has_handling_limit(route)
    marks: dict[int, _Mark] = {}
    n = len(events)
    intake = next((i for i in range(n) if events[i]["type"] in _INTAKE_DONE), None)
    if intake is not None:
        # A receipt notice with no forward before it: an agency received the
        # petition directly, and Art. 23 ¶2 gives it 15 日 from receipt too.
        article = "23" if events[intake]["type"] == "receipt_notified" else "22"
        if notice or article != "23":
            marks[intake] = (add_days(received, NOTICE_DAYS), article)
    for i in range(n):
        kind = events[i]["type"]
        if kind == "forwarded" and notice:
            # A forward to another agency before the notice starts a new clock.
            j = first_event(events, i, _NOTICE_DONE, frozenset({"forwarded"}))
            if j is not None and j not in marks:
                marks[j] = (add_days(dates[i], NOTICE_DAYS), "23")
        elif not handling:
            continue
        elif kind == "accepted":
            j = first_event(events, i, frozenset({"replied"}), frozenset({"accepted"}))
            if j is not None:
                marks[j] = (reply_deadline(events, dates, i, j), "34")
        elif kind == "review_requested":
            replied = last_event(events, "replied", before=i)
            if replied is not None:
                marks[i] = (add_days(dates[replied], APPEAL_DAYS), "35")
            j = first_event(
                events, i, frozenset({"review_decided"}), frozenset({"review_requested"})
            )
            if j is not None:
                marks[j] = (add_days(dates[i], APPEAL_DAYS), "35")
        elif kind == "rereview_requested":
            decided = last_event(events, "review_decided", before=i)
            if decided is not None:
                marks[i] = (add_days(dates[decided], APPEAL_DAYS), "36")
            j = first_event(
                events, i, frozenset({"rereview_decided"}), frozenset({"rereview_requested"})
            )
            if j is not None:
                marks[j] = (_rereview_deadline(events, dates, i, j), "36")
    return marks


def _step(step: str, deadline: Deadline, article: str) -> dict[str, Any]:
    return {
        "step": step,
        "due": deadline.due.isoformat(),
        "article": article,
        "provisional": deadline.provisional,
    }


def pending_steps(
    status: str, events: Events, dates: list[date], received: date, route: str = "petition"
) -> list[dict[str, Any]]:
    """The statutory agency step still open for a case in ``status``, if any.

    Only steps with a limit on the matter's ``route`` can be open: nothing is
    pending, and nothing can turn red, where the regulation sets no limit.

    The status says which stage the case is in, and only that stage's step
    can be open: a step of an earlier stage that was skipped (say, a notice
    never recorded before the acceptance) is not reported as pending forever.
    """
    n = len(events)
    if status in TERMINAL:
        return []
    if status == "registered":
        if not any(e["type"] in _INTAKE_DONE for e in events):
            return [_step("forward", add_days(received, NOTICE_DAYS), "22")]
        return []
    if status == "forwarded":
        if not has_notice_limit(route):
            return []  # Art. 23 ¶4: the political-legal organs' own rules apply
        f = last_event(events, "forwarded")
        if f is not None and first_event(events, f, _NOTICE_DONE, frozenset()) is None:
            return [_step("notify", add_days(dates[f], NOTICE_DAYS), "23")]
        return []  # notified; acceptance itself has no limit of its own
    if not has_handling_limit(route):
        return []  # Art. 34-36 are for 申诉求决类 matters only (Art. 31 item 6)
    if status in ("in_progress", "extended"):
        a = last_event(events, "accepted")
        if a is not None and first_event(events, a, frozenset({"replied"}), frozenset()) is None:
            return [_step("reply", reply_deadline(events, dates, a, n), "34")]
        return []
    if status == "under_review":
        q = last_event(events, "review_requested")
        if q is not None:
            return [_step("review_decision", add_days(dates[q], APPEAL_DAYS), "35")]
        return []
    if status == "under_rereview":
        r = last_event(events, "rereview_requested")
        if r is not None:
            return [_step("rereview_decision", _rereview_deadline(events, dates, r, n), "36")]
    return []


def _window(status: str, events: Events, dates: list[date]) -> dict[str, Any] | None:
    """The petitioner's own period a ``replied`` or ``reviewed`` status opens (Art. 35, 36).

    Given even when it has passed: the viewer compares it with today, and a
    late request is the petitioner's call to make.
    """
    if status not in WINDOWS:
        return None
    i = last_event(events, WINDOWS[status][0])
    if i is None:
        return None
    window = add_days(dates[i], APPEAL_DAYS)
    return {"by": window.due.isoformat(), "provisional": window.provisional}


def public_record(case: Mapping[str, Any], *, notes: bool = True) -> dict[str, Any]:
    """The record the tracker publishes for one case (JSON-able, version 2).

    Dates are ``YYYY-MM-DD`` in Asia/Shanghai. ``notes=False`` leaves every
    note out. On events, ``provisional`` appears only when true, to keep
    bucket files small; in ``pending`` and ``next`` it is always given with a date.
    """
    events = ordered_events(case.get("events") or [])
    dates = [local_date(e["at"]) for e in events]
    received = local_date(case["received_at"])
    status = status_from_ordered(events)
    route = route_of(case.get("kind"), bool(case.get("law_related")))
    marks = _marks(events, dates, received, route)

    steps: list[dict[str, Any]] = []
    for i, event in enumerate(events):
        step: dict[str, Any] = {"type": event["type"], "date": dates[i].isoformat()}
        for field in _PLAIN_FIELDS:
            if event.get(field) is not None:
                step[field] = event[field]
        if notes and event.get("note"):
            step["note"] = event["note"]
        if i in marks:
            deadline, article = marks[i]
            step["due"] = deadline.due.isoformat()
            step["late"] = dates[i] > deadline.due
            step["article"] = article
            if deadline.provisional:
                step["provisional"] = True
        steps.append(step)

    pending = pending_steps(status, events, dates, received, route)
    window = _window(status, events, dates) if has_handling_limit(route) else None
    return {
        "v": RECORD_VERSION,
        "status": status,
        "route": route,
        "received": received.isoformat(),
        "channel": case["channel"],
        "category": case["category"],
        "kind": case["kind"],
        "agency": case["agency"],
        "events": steps,
        "pending": pending,
        "next": next_step(route, status, pending, window),
    }


def overdue(record: Mapping[str, Any], today: date) -> bool:
    """True if an open step's due date is before ``today`` (done on the due date is on time)."""
    return is_overdue(record, today)


def lookup_view(record: Mapping[str, Any], today: date) -> dict[str, Any]:
    """What the command-line lookup prints for a record, judged on ``today``.

    The caller adds ``as_of``; missing due dates, late marks and articles are null.
    ``next`` is what the page shows on ``today`` (:func:`sunshine.cases.routes.current_next`).
    """
    return {
        "status": record["status"],
        "route": record.get("route"),
        "overdue": overdue(record, today),
        "events": [
            {
                "type": e["type"],
                "date": e["date"],
                "due": e.get("due"),
                "late": e.get("late"),
                "article": e.get("article"),
            }
            for e in record["events"]
        ],
        "next": current_next(record, today),
    }
