"""Which limits, routes and remedies apply to which matter (2022 《信访工作条例》).

The vectors are worked out by hand from the regulation and the registry
README's limits table, not from the code: registration and forwarding (Art. 22)
bind every matter; the notice of receipt (Art. 23) every matter but a
law-related one (Art. 23 ¶4); handling, extension, review and re-review
(Art. 34-36) only 申诉求决类 matters in the petition procedure (Art. 31 item 6),
that is ``complaint`` and not ``law_related``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from sunshine.cases.routes import ACTIONS, GUIDES, current_next, route_of
from sunshine.cases.timeline import lookup_view, overdue, public_record
from sunshine.statistics.indicators import compute


def ev(id_: str, type_: str, day: str, **extra: Any) -> dict[str, Any]:
    return {"id": id_, "type": type_, "at": f"{day}T10:00:00+08:00", **extra}


def case(kind: str, law: bool, events: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "case_id": "XF2025-330212-000001", "seq": 1, "tracking_code": "K7Q2-9MXD-P4TR-ZH3Z",
        "received_at": "2025-03-03T09:00:00+08:00", "channel": "online",
        "category": "labour.wages", "kind": kind, "region": "330212",
        "agency": "330212-RSJ", "repeat_of": None, "law_related": law,
        "events": events, "evaluation": None, "updated_at": "2025-03-03T09:00:00+08:00",
    }  # fmt: skip


# Received Mon 2025-03-03; one event a step.
PATH = [
    ev("e01", "registered", "2025-03-03"),
    ev("e02", "forwarded", "2025-03-05"),
    ev("e03", "accepted", "2025-03-10"),
    ev("e04", "extended", "2025-05-06", days=20),
    ev("e05", "replied", "2025-05-20", outcome="not_supported"),
    ev("e06", "review_requested", "2025-06-03"),
    ev("e07", "review_decided", "2025-06-30", outcome="not_supported"),
    ev("e08", "rereview_requested", "2025-07-10"),
    ev("e09", "rereview_decided", "2025-08-12", outcome="explained"),
]
UPTO = {e["type"]: i + 1 for i, e in enumerate(PATH)}


def events_to(last: str) -> list[dict[str, Any]]:
    if last in UPTO:
        return PATH[: UPTO[last]]
    # An ending after acceptance (closed, withdrawn) or after the forward (not accepted).
    before = {"closed": "replied", "withdrawn": "accepted", "not_accepted": "forwarded"}[last]
    return [*PATH[: UPTO[before]], ev("end", last, "2025-05-21")]


KINDS = {
    "complaint": ("complaint", False),
    "law": ("complaint", True),
    "suggestion": ("suggestion", False),
    "report": ("report", False),
    "consultation": ("consultation", False),
}

# What applies on the petition route, by last event: (pending step, its due date,
# its article) or None; and the next step (action, by).
# Forward: Mar 3 + 15 = Tue Mar 18. Notice: Mar 5 + 15 = Thu Mar 20 (Art. 23).
# Reply: Mar 10 + 60 = Fri May 9 (Art. 34); with 20 days' extension Thu May 29.
# Review request: May 20 + 30 = Thu Jun 19 (Art. 35); review opinion Jun 3 + 30 =
# Thu Jul 3. Re-review request: Jun 30 + 30 = Wed Jul 30 (Art. 36); opinion
# Jul 10 + 30 = Sat Aug 9, a rest day: Mon Aug 11.
Expected = tuple[tuple[str, str, str] | None, str, str | None]
PETITION: dict[str, Expected] = {
    "registered": (("forward", "2025-03-18", "22"), "wait_forward", None),
    "forwarded": (("notify", "2025-03-20", "23"), "wait_notify", None),
    "accepted": (("reply", "2025-05-09", "34"), "wait_reply", None),
    "extended": (("reply", "2025-05-29", "34"), "wait_reply", None),
    "replied": (None, "request_review", "2025-06-19"),
    "review_requested": (("review_decision", "2025-07-03", "35"), "wait_review_decision", None),
    "review_decided": (None, "request_rereview", "2025-07-30"),
    "rereview_requested": (
        ("rereview_decision", "2025-08-11", "36"), "wait_rereview_decision", None
    ),
    "rereview_decided": (None, "final", None),
    "closed": (None, "closed", None),
    "withdrawn": (None, "withdrawn", None),
    "not_accepted": (None, "not_accepted", None),
}  # fmt: skip
LAST_EVENTS = list(PETITION)


def expected(kind: str, last: str) -> Expected:
    """The same table for the other routes, from the regulation's rule."""
    pending, action, by = PETITION[last]
    if kind == "complaint":
        return pending, action, by
    if last in ("closed", "withdrawn", "not_accepted"):
        return None, last, None
    # Art. 22 binds every matter; Art. 23 all but law-related ones and reports, whose
    # notices follow the political-legal and disciplinary organs' own rules (¶4).
    keep = pending if pending and pending[0] == "forward" else None
    if pending and pending[0] == "notify" and kind not in ("law", "report"):
        keep = pending
    if kind == "law":
        return keep, "route_law", None
    return keep, (f"wait_{keep[0]}" if keep else f"route_{kind}"), None


@pytest.mark.parametrize("last", LAST_EVENTS)
@pytest.mark.parametrize("kind", list(KINDS))
def test_limits_and_next_step_by_kind(kind: str, last: str) -> None:
    record = public_record(case(*KINDS[kind], events_to(last)))
    pending, action, by = expected(kind, last)
    assert [(p["step"], p["due"], p["article"]) for p in record["pending"]] == (
        [pending] if pending else []
    )
    assert record["next"]["action"] == action
    assert record["next"].get("by") == by
    assert record["route"] == {"complaint": "petition"}.get(kind, kind)
    # No due date on a step whose limit the matter does not have.
    articles = {e["article"] for e in record["events"] if "article" in e}
    if kind != "complaint":
        assert articles <= {"22", "23"} and not articles & {"34", "35", "36"}
    if kind in ("law", "report"):
        assert "23" not in articles
    # The lookup prints what the page shows, on a day before any limit ends.
    shown = lookup_view(record, date(2025, 3, 4))["next"]
    if not pending or pending[1] >= "2025-03-04":
        assert shown["action"] == action
        assert shown["articles"] == list(ACTIONS[action].articles)
        assert shown["guide"] == GUIDES[ACTIONS[action].guide]


@pytest.mark.parametrize("last", LAST_EVENTS)
@pytest.mark.parametrize("kind", list(KINDS))
def test_overdue_only_against_a_limit_that_applies(kind: str, last: str) -> None:
    record = public_record(case(*KINDS[kind], events_to(last)))
    pending, action, _ = expected(kind, last)
    if pending is None:
        # Five months past anything: nothing red where no limit applies.
        assert not overdue(record, date(2026, 1, 31))
        assert current_next(record, date(2026, 1, 31))["action"] == action
        return
    due = date.fromisoformat(pending[1])
    assert not overdue(record, due)  # done on the due date is on time
    later = date(due.year, due.month, due.day + 1) if due.day < 28 else date(due.year, 12, 1)
    assert overdue(record, later)
    shown = lookup_view(record, later)["next"]
    assert shown["action"] == f"overdue_{pending[0]}"
    assert shown["since"] == pending[1]


@pytest.mark.parametrize(
    ("step", "articles"),
    [
        # The petition office's own registration and forwarding: Art. 43.
        ("forward", ["43"]),
        # Notice of receipt not given: 督办 (Art. 40), superior orders correction (Art. 44).
        ("notify", ["40", "44"]),
        # Not concluded in time: 督办 (Art. 40), superior orders correction (Art. 45).
        ("reply", ["40", "45"]),
        ("review_decision", ["40", "45"]),
        ("rereview_decision", ["40", "45"]),
    ],
)
def test_remedy_cites_articles_and_links_the_deadline_guide(step: str, articles: list[str]) -> None:
    record = {"pending": [{"step": step, "due": "2025-03-18"}], "next": {"action": "wait"}}
    shown = current_next(record, date(2025, 8, 18))  # five months on
    assert shown == {
        "action": f"overdue_{step}",
        "since": "2025-03-18",
        "articles": articles,
        "guide": "guides/check-progress/#if-a-deadline-has-passed",
    }


def test_windows_final_and_endings_cite_their_articles() -> None:
    assert ACTIONS["request_review"].articles == ("35",)
    assert ACTIONS["request_rereview"].articles == ("36",)
    assert ACTIONS["final"].articles == ("36",)
    assert GUIDES[ACTIONS["final"].guide].endswith("#after-re-review")
    assert GUIDES[ACTIONS["route_law"].guide].startswith("guides/law-related-petitions/")
    assert ACTIONS["route_suggestion"].articles == ("29",)
    assert ACTIONS["route_report"].articles == ("30",)
    for action in ACTIONS.values():
        assert action.articles and action.guide in GUIDES


@pytest.mark.parametrize(
    ("kind", "law", "route"),
    [
        ("complaint", False, "petition"),
        ("complaint", True, "law"),
        ("suggestion", True, "law"),
        ("suggestion", False, "suggestion"),
        ("report", False, "report"),
        ("consultation", False, "consultation"),
        # An unknown kind is promised nothing.
        ("something_new", False, "consultation"),
        (None, False, "consultation"),
    ],
)
def test_route_of(kind: str | None, law: bool, route: str) -> None:
    assert route_of(kind, law) == route


def _reply_rate(kind: str, law: bool) -> list[tuple[str, float | None, int | None]]:
    # Accepted Mon 2025-03-03; 60 日 end Fri May 2, in the Labour Day holiday:
    # due Tue May 6. Replied Jun 30, well past it.
    events = [
        ev("a", "registered", "2025-03-01"),
        ev("b", "accepted", "2025-03-03"),
        ev("c", "replied", "2025-06-30"),
    ]
    rows = compute([{**case(kind, law, events), "received_at": "2025-03-01T09:00:00+08:00"}],
                   date(2025, 7, 31))  # fmt: skip
    return [
        (r.period, r.value, r.denominator)
        for r in rows
        if r.indicator == "on_time_reply_rate" and r.dimension == "overall"
    ]


def test_on_time_reply_rate_counts_only_petition_route() -> None:
    late = [row for row in _reply_rate("complaint", False) if row[2]]
    assert late and all(value == 0.0 for _, value, _ in late)
    for kind, law in (("consultation", False), ("suggestion", False), ("report", False),
                      ("complaint", True)):  # fmt: skip
        assert not [row for row in _reply_rate(kind, law) if row[2]], kind
