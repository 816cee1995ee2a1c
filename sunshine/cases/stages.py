"""The stage model: from a case's events to one public status, its colour and labels.

The registry sends events out of order and corrects them in place (same
``id``, new content), so every consumer first normalises them with
:func:`ordered_events`; :func:`status_of` then maps the last event that
changes the stage to one of :data:`PUBLIC_STATUSES`.

Colours follow the petition offices' own convention (DESIGN.md, "The case
tracker"): **green** an agency step is open and within its limit, **blue** no
statutory step of the agencies is open (the case is finished, or it is the
petitioner's turn), **red** an open step is past its due date. Whether a step
is past due depends on today's date, so :func:`colour` takes ``overdue`` from
the caller (see :func:`sunshine.cases.timeline.overdue`). Colour never goes alone:
:data:`STATUS_INFO` gives each status a bilingual label and an icon.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any, Literal, TypedDict

from sunshine.cases.calendar import SHANGHAI

__all__ = [
    "COMPLETED",
    "EVENT_LABELS",
    "OUTCOME_LABELS",
    "OVERDUE_ICON",
    "PUBLIC_STATUSES",
    "STATUS_INFO",
    "TERMINAL",
    "Colour",
    "colour",
    "event_time",
    "ordered_events",
    "status_from_ordered",
    "status_of",
]

Colour = Literal["green", "blue", "red"]


# A label in both languages, ``{"zh": ..., "en": ...}``. A plain dict rather
# than a TypedDict, so callers can index it with a language code held in a variable.
Label = dict[str, str]


class StatusInfo(TypedDict):
    label: Label
    icon: str


PUBLIC_STATUSES: tuple[str, ...] = (
    "registered",
    "forwarded",
    "in_progress",
    "extended",
    "not_accepted",
    "replied",
    "under_review",
    "reviewed",
    "under_rereview",
    "final",
    "closed",
    "withdrawn",
)
"""Every public status, in the order a case normally passes through them."""

COMPLETED: frozenset[str] = frozenset(
    {"not_accepted", "replied", "reviewed", "final", "closed", "withdrawn"}
)
"""Statuses with no open statutory step of the agencies (shown blue).

``replied`` and ``reviewed`` are here: the agency has answered, and the next
move (a review or re-review request) is the petitioner's, not a duty of an
agency that could be missed."""

TERMINAL: frozenset[str] = frozenset({"not_accepted", "final", "closed", "withdrawn"})
"""Statuses after which nothing is pending and the petitioner has no next step
on the site (Art. 36 ¶3: after re-review the same matter is not accepted again)."""

# The stage each event type moves the case to.
_STATUS_OF_EVENT: dict[str, str] = {
    "registered": "registered",
    "forwarded": "forwarded",
    "receipt_notified": "forwarded",
    "accepted": "in_progress",
    "not_accepted": "not_accepted",
    "extended": "extended",
    "replied": "replied",
    "review_requested": "under_review",
    "review_decided": "reviewed",
    "rereview_requested": "under_rereview",
    "hearing_held": "under_rereview",
    "rereview_decided": "final",
    "closed": "closed",
    "withdrawn": "withdrawn",
}

# Sub-steps: they happen *inside* a stage, so they only ever fill a gap and
# never move a case back. A receipt notice (告知) belongs to the agency step
# that a forward opens; sent after the agency has already accepted, it must not
# turn an "in progress" case back into "forwarded". It counts only while the
# case is merely registered (an agency that received the petition directly).
# A hearing (听证) is part of re-review; it counts only if the re-review
# request itself is missing and the case has not reached a later or final stage.
_WEAK_EVENTS: dict[str, frozenset[str | None]] = {
    "receipt_notified": frozenset({None, "registered"}),
    "hearing_held": frozenset(
        {None, "registered", "forwarded", "in_progress", "extended", "replied"}
        | {"under_review", "reviewed"}
    ),
}

STATUS_INFO: dict[str, StatusInfo] = {
    "registered": {"label": {"zh": "已登记", "en": "Registered"}, "icon": "inbox"},
    "forwarded": {"label": {"zh": "已转送", "en": "Forwarded"}, "icon": "send"},
    "in_progress": {"label": {"zh": "办理中", "en": "In progress"}, "icon": "clock"},
    "extended": {"label": {"zh": "已延期", "en": "Extended"}, "icon": "hourglass"},
    "not_accepted": {"label": {"zh": "不予受理", "en": "Not accepted"}, "icon": "x-circle"},
    "replied": {"label": {"zh": "已答复", "en": "Replied"}, "icon": "check"},
    "under_review": {"label": {"zh": "复查中", "en": "Under review"}, "icon": "clock"},
    "reviewed": {"label": {"zh": "已复查", "en": "Reviewed"}, "icon": "check"},
    "under_rereview": {"label": {"zh": "复核中", "en": "Under re-review"}, "icon": "clock"},
    "final": {"label": {"zh": "已复核（终结）", "en": "Re-reviewed (final)"}, "icon": "lock"},
    "closed": {"label": {"zh": "已办结", "en": "Closed"}, "icon": "check-circle"},
    "withdrawn": {"label": {"zh": "已撤回", "en": "Withdrawn"}, "icon": "undo"},
}
"""Per public status: its label in both languages and the name of its icon."""

OVERDUE_ICON = "alert"
"""The icon that replaces the status icon when the case is red (overdue)."""

EVENT_LABELS: dict[str, Label] = {
    "registered": {"zh": "登记", "en": "Registered"},
    "forwarded": {"zh": "转送/交办", "en": "Forwarded to the agency"},
    "receipt_notified": {"zh": "告知受理情况", "en": "Receipt notified"},
    "accepted": {"zh": "受理", "en": "Accepted"},
    "not_accepted": {"zh": "不予受理", "en": "Not accepted"},
    "extended": {"zh": "延期办理", "en": "Handling period extended"},
    "replied": {"zh": "出具处理意见书", "en": "Written reply"},
    "review_requested": {"zh": "申请复查", "en": "Review requested"},
    "review_decided": {"zh": "出具复查意见书", "en": "Review decision"},
    "rereview_requested": {"zh": "申请复核", "en": "Re-review requested"},
    "hearing_held": {"zh": "举行听证", "en": "Hearing held"},
    "rereview_decided": {"zh": "出具复核意见书", "en": "Re-review decision"},
    "closed": {"zh": "办结", "en": "Closed"},
    "withdrawn": {"zh": "撤回", "en": "Withdrawn"},
}
"""Per event type: the label of a timeline step in both languages."""

OUTCOME_LABELS: dict[str, Label] = {
    "supported": {"zh": "予以支持", "en": "Supported"},
    "explained": {"zh": "解释说明", "en": "Explained"},
    "not_supported": {"zh": "不予支持", "en": "Not supported"},
}
"""Outcomes of a reply, review or re-review decision."""


def event_time(event: Mapping[str, Any]) -> datetime:
    """The event's ``at`` as an aware datetime (the registry writes RFC 3339 strings).

    Times are compared as instants, so two offsets for the same moment sort
    together; a naive time is taken as Shanghai time.
    """
    at = event["at"]
    value = datetime.fromisoformat(at) if isinstance(at, str) else at
    if value.tzinfo is None:
        value = value.replace(tzinfo=SHANGHAI)
    return value


def ordered_events(events: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """Corrections applied, then in time order.

    A correction re-sends an event with the same ``id``: of several entries
    with one id the **last in the list** wins, whatever its time, because the
    registry appends corrections and the list order is the only order of
    edits it gives. The survivors are sorted by ``at`` (as instants), ties by
    ``id`` so the order never depends on delivery.
    """
    latest: dict[str, Mapping[str, Any]] = {}
    for event in events:
        latest[event["id"]] = event
    return sorted(latest.values(), key=lambda e: (event_time(e), e["id"]))


def status_from_ordered(events: Iterable[Mapping[str, Any]]) -> str:
    """:func:`status_of` for events already passed through :func:`ordered_events`."""
    status: str | None = None
    for event in events:
        kind = event["type"]
        target = _STATUS_OF_EVENT.get(kind)
        if target is None:
            continue  # an unknown type never changes the stage
        weak = _WEAK_EVENTS.get(kind)
        if weak is not None and status not in weak:
            continue
        status = target
    # A case exists because it was received; with no events yet it is registered.
    return status or "registered"


def status_of(events: Iterable[Mapping[str, Any]]) -> str:
    """The public status of a case from its events (in any order, with corrections).

    The last stage-changing event decides, with two sub-steps that never move
    a case back: ``receipt_notified`` (it keeps a forwarded case ``forwarded``,
    and an accepted case ``in_progress``) and ``hearing_held`` (it means
    ``under_rereview`` only where the re-review request is missing).
    """
    return status_from_ordered(ordered_events(events))


def colour(status: str, overdue: bool) -> Colour:
    """Red if an open step is past due; otherwise blue when completed, else green."""
    if overdue:
        return "red"
    return "blue" if status in COMPLETED else "green"
