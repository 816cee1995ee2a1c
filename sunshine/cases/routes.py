"""Which limits and remedies apply to which matter: the one rule every consumer follows.

The 2022 《信访工作条例》 does not give every matter the same procedure. The
60-日 handling limit and its extension (Art. 34), review (Art. 35) and
re-review (Art. 36) apply only to 申诉求决类 matters handled in the petition
procedure (Art. 31 item 6): ``kind`` ``complaint`` and not ``law_related``.
Suggestions are studied and answered (Art. 29), reports (检举控告) are handled
by the disciplinary and supervisory organs under their own rules (Art. 30),
consultations are answered; none of them has a handling limit or a review
route. A law-related matter goes to litigation, arbitration or administrative
review under those laws (Art. 22 ¶2, Art. 31 items 1-5). Registration and
forwarding (Art. 22) apply to every matter; the notice of receipt (Art. 23)
to every matter but the law-related ones and reports, whose notices follow the
political-legal and the disciplinary organs' own rules (Art. 23 ¶4).

:func:`route_of` names the route of a matter; the timeline's due dates and
pending steps (hence the overdue judgement and the indicators), and the next
step, all ask this module. :data:`ACTIONS` is the table of next steps, each
with its articles and the guide section that explains it: the lookup page
reads it through its labels, the command-line lookup directly, so both say
the same thing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any, Literal, NamedTuple

__all__ = [
    "ACTIONS",
    "GUIDES",
    "ROUTES",
    "Action",
    "Route",
    "current_next",
    "has_handling_limit",
    "has_notice_limit",
    "is_overdue",
    "next_step",
    "overdue_action",
    "route_of",
]

Route = Literal["petition", "suggestion", "report", "consultation", "law"]
ROUTES: tuple[Route, ...] = ("petition", "suggestion", "report", "consultation", "law")

# The registry's kinds other than ``complaint``, each its own route.
_OWN_ROUTE: dict[str, Route] = {
    "suggestion": "suggestion",
    "report": "report",
    "consultation": "consultation",
}


def route_of(kind: str | None, law_related: bool) -> Route:
    """The route of a matter from its registry ``kind`` and ``law_related`` flag.

    Law-related comes first: whatever the kind, such a matter leaves the
    petition procedure for the legal one. A kind the registry adds later gets
    the consultation route, with no limit and no review: promising a right the
    regulation may not give is worse than leaving one out.
    """
    if law_related:
        return "law"
    if kind == "complaint":
        return "petition"
    return _OWN_ROUTE.get(kind or "", "consultation")


def has_handling_limit(route: str) -> bool:
    """Art. 34 (60 日 + at most 30), Art. 35 and 36 (review, re-review) apply."""
    return route == "petition"


def has_notice_limit(route: str) -> bool:
    """Art. 23's 15-日 notice of receipt applies: not to law-related matters nor to
    reports (检举控告), whose notices follow the political-legal and the disciplinary
    organs' own rules (Art. 23 ¶4)."""
    return route not in ("law", "report")


GUIDES: dict[str, str] = {
    "time-limits": "guides/time-limits/",  # its opening table of every limit
    "deadline-passed": "guides/check-progress/#if-a-deadline-has-passed",
    "review": "guides/review-and-rereview/#asking-for-a-review",
    "rereview": "guides/review-and-rereview/#asking-for-a-re-review",
    "after-rereview": "guides/review-and-rereview/#after-re-review",
    "law": "guides/law-related-petitions/#what-this-means-for-you",
    "how-to": "guides/how-to-petition/#to-whom",
}
"""Guide sections by key, as paths under the site's (language's) root URL.

The anchors are set explicitly on the headings (``{#id}``) in both languages'
Markdown, so one path serves both, and a reworded heading keeps its link."""


class Action(NamedTuple):
    articles: tuple[str, ...]
    guide: str


ACTIONS: dict[str, Action] = {
    # Waiting for an agency step that has a limit: the step's own article.
    "wait_forward": Action(("22",), "time-limits"),
    "wait_notify": Action(("23",), "time-limits"),
    "wait_reply": Action(("34",), "time-limits"),
    "wait_review_decision": Action(("35",), "review"),
    "wait_rereview_decision": Action(("36",), "rereview"),
    # Notified, not yet accepted: acceptance has no limit of its own.
    "wait": Action(("23",), "time-limits"),
    # An agency step past its due date: the petition office presses the agency
    # (督办, Art. 40) and the superior orders it to correct (Art. 43-45).
    # Named "overdue_" + the pending step, so the page finds it from the step.
    "overdue_forward": Action(("43",), "deadline-passed"),
    "overdue_notify": Action(("40", "44"), "deadline-passed"),
    "overdue_reply": Action(("40", "45"), "deadline-passed"),
    "overdue_review_decision": Action(("40", "45"), "deadline-passed"),
    "overdue_rereview_decision": Action(("40", "45"), "deadline-passed"),
    # The petitioner's own windows (the petition route only).
    "request_review": Action(("35",), "review"),
    "request_rereview": Action(("36",), "rereview"),
    "final": Action(("36",), "after-rereview"),
    # Matters outside the petition procedure, in their own terms.
    "route_suggestion": Action(("29",), "time-limits"),
    "route_report": Action(("30",), "time-limits"),
    "route_consultation": Action(("22",), "time-limits"),
    "route_law": Action(("22", "31"), "law"),
    # Finished without a decision to contest.
    "closed": Action(("17",), "how-to"),
    "withdrawn": Action(("17",), "how-to"),
    "not_accepted": Action(("22", "44"), "how-to"),
}
"""Every next step: the articles it cites and the guide section it links."""

# Statuses whose next step is the same on every route.
_ENDED = {"closed": "closed", "withdrawn": "withdrawn", "not_accepted": "not_accepted"}
# The petitioner's windows on the petition route: (status, event opening it, action).
WINDOWS: dict[str, tuple[str, str]] = {
    "replied": ("replied", "request_review"),
    "reviewed": ("review_decided", "request_rereview"),
}


def overdue_action(step: str) -> str:
    """The remedy when the pending ``step`` is past its due date."""
    return f"overdue_{step}"


def next_step(
    route: str,
    status: str,
    pending: Sequence[Mapping[str, Any]],
    window: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """What the petitioner may do next, as the record carries it (no today in it).

    ``window`` is the petitioner's own period (``by``, ``provisional``) when the
    status opens one on this route (see :data:`WINDOWS`). Whether a pending step
    is past due is decided when the page is viewed: :func:`current_next`.
    """
    if status in _ENDED:
        return {"action": _ENDED[status]}
    if route == "law":
        return {"action": "route_law"}
    if pending:
        return {"action": f"wait_{pending[0]['step']}"}
    if route != "petition":
        return {"action": f"route_{route}"}
    if status == "final":
        return {"action": "final"}
    if status in WINDOWS and window is not None:
        return {"action": WINDOWS[status][1], **window}
    return {"action": "wait"}


def is_overdue(record: Mapping[str, Any], today: date) -> bool:
    """True if an open step's due date is before ``today`` (done on the due date is on time)."""
    return any(date.fromisoformat(step["due"]) < today for step in record.get("pending", ()))


def current_next(record: Mapping[str, Any], today: date) -> dict[str, Any]:
    """The next step as shown on ``today``: the remedy if a pending step is past due.

    The result names its articles and guide (from :data:`ACTIONS`); for a remedy,
    ``since`` is the due date that passed.
    """
    late = [p for p in record.get("pending", ()) if date.fromisoformat(p["due"]) < today]
    if late:
        step = min(late, key=lambda p: p["due"])
        shown: dict[str, Any] = {"action": overdue_action(step["step"]), "since": step["due"]}
    else:
        shown = dict(record["next"])
    action = ACTIONS[shown["action"]]
    return {**shown, "articles": list(action.articles), "guide": GUIDES[action.guide]}
