"""Stage model and published timeline: statuses, due dates, late marks, next steps.

Due dates are counted by hand in the comments (Civil Code: the start day is
not counted; a last day that is a rest day moves to the next working day).
"""

import json
import random
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from sunshine.cases.stages import (
    EVENT_LABELS,
    OUTCOME_LABELS,
    PUBLIC_STATUSES,
    STATUS_INFO,
    colour,
    status_of,
)
from sunshine.cases.timeline import lookup_view, overdue, public_record

# The registry contract's example page (shared/registry/examples/), copied.
EXAMPLES = Path(__file__).parent / "data" / "cases-page.json"


def ev(id_: str, type_: str, day: str, time: str = "10:00:00", **extra: Any) -> dict[str, Any]:
    return {"id": id_, "type": type_, "at": f"{day}T{time}+08:00", **extra}


def case(events: list[dict[str, Any]], received: str = "2025-03-03") -> dict[str, Any]:
    # A whole registry case, with the identifiers that must never be published.
    return {
        "case_id": "XF2025-330212-000001", "seq": 1, "tracking_code": "K7Q2-9MXD-P4TR-ZH3Z",
        "received_at": f"{received}T09:00:00+08:00", "channel": "online",
        "category": "labour.wages", "kind": "complaint", "region": "330212",
        "agency": "330212-RSJ", "repeat_of": "XF2024-330212-000009", "law_related": False,
        "events": events, "evaluation": None, "updated_at": "2025-03-03T09:00:00+08:00",
    }  # fmt: skip


# A full path through every stage, one event a step.
FULL = [
    ev("e01", "registered", "2025-03-03", agency="330212-XFJ"),
    ev("e02", "forwarded", "2025-03-05", agency="330212-RSJ"),
    ev("e03", "receipt_notified", "2025-03-07"),
    ev("e04", "accepted", "2025-03-10"),
    ev("e05", "extended", "2025-05-06", days=20),
    ev("e06", "replied", "2025-05-20", outcome="not_supported"),
    ev("e07", "review_requested", "2025-06-03", agency="330200-RSJ"),
    ev("e08", "review_decided", "2025-06-30", outcome="not_supported"),
    ev("e09", "rereview_requested", "2025-07-10", agency="330000-RSJ"),
    ev("e10", "hearing_held", "2025-07-20", days=5),
    ev("e11", "rereview_decided", "2025-08-12", outcome="explained"),
]
# The status after each prefix of FULL; a receipt notice keeps the agency step.
STATUS_AFTER = [
    "registered", "forwarded", "forwarded", "in_progress", "extended", "replied",
    "under_review", "reviewed", "under_rereview", "under_rereview", "final",
]  # fmt: skip


@pytest.mark.parametrize(("upto", "status"), list(enumerate(STATUS_AFTER, start=1)))
def test_status_along_the_full_path(upto: int, status: str) -> None:
    assert status_of(FULL[:upto]) == status


@pytest.mark.parametrize(
    ("types", "status"),
    [
        (["registered", "not_accepted"], "not_accepted"),
        (["registered", "forwarded", "not_accepted", "closed"], "closed"),
        (["registered", "forwarded", "accepted", "withdrawn"], "withdrawn"),
        (["registered", "forwarded", "accepted", "replied", "closed"], "closed"),
        # Sub-steps never move a case back.
        (["registered", "forwarded", "accepted", "receipt_notified"], "in_progress"),
        (["registered", "receipt_notified"], "forwarded"),  # received directly by the agency
        (["registered", "replied", "hearing_held"], "under_rereview"),  # request missing
        (["registered", "rereview_requested", "rereview_decided", "hearing_held"], "final"),
        ([], "registered"),
    ],
)
def test_status_of_every_path(types: list[str], status: str) -> None:
    events = [ev(f"x{i}", t, f"2025-03-{i + 3:02d}") for i, t in enumerate(types)]
    assert status_of(events) == status


@pytest.mark.parametrize("seed", range(5))
def test_status_out_of_order(seed: int) -> None:
    shuffled = FULL[:8]
    random.Random(seed).shuffle(shuffled)
    assert status_of(shuffled) == "reviewed"
    assert public_record(case(shuffled)) == public_record(case(FULL[:8]))


def test_same_time_ties_broken_by_id() -> None:
    a = ev("a", "accepted", "2025-03-10")
    b = ev("b", "withdrawn", "2025-03-10")
    assert status_of([b, a]) == status_of([a, b]) == "withdrawn"


def test_times_compared_as_instants() -> None:
    # 10:00+08:00 is before 03:00Z (11:00 in Shanghai), although the text sorts later.
    accepted = {"id": "a", "type": "accepted", "at": "2025-03-10T10:00:00+08:00"}
    replied = {"id": "b", "type": "replied", "at": "2025-03-10T03:00:00Z"}
    assert status_of([replied, accepted]) == "replied"


@pytest.mark.parametrize(
    ("events", "status"),
    [
        # e2 first sent as accepted, then corrected to not_accepted: the last one wins.
        (
            [
                ev("e1", "registered", "2025-03-03"),
                ev("e2", "accepted", "2025-03-05"),
                ev("e2", "not_accepted", "2025-03-05", reason="不属于信访事项"),
            ],
            "not_accepted",
        ),
        # A correction that moves the event in time: withdrawn re-dated before the reply.
        (
            [
                ev("e1", "registered", "2025-03-03"),
                ev("e3", "withdrawn", "2025-05-01"),
                ev("e2", "replied", "2025-04-01"),
                ev("e3", "withdrawn", "2025-03-20"),
            ],
            "replied",
        ),
    ],
)
def test_corrected_event(events: list[dict[str, Any]], status: str) -> None:
    assert status_of(events) == status
    record = public_record(case(events))
    assert record["status"] == status
    assert len(record["events"]) == len({e["id"] for e in events})


def test_labels_complete() -> None:
    assert set(STATUS_INFO) == set(PUBLIC_STATUSES)
    assert len(PUBLIC_STATUSES) == 12
    for info in STATUS_INFO.values():
        assert info["label"]["zh"] and info["label"]["en"] and info["icon"]
    assert {e["type"] for e in FULL} | {"not_accepted", "closed", "withdrawn"} == set(EVENT_LABELS)
    assert OUTCOME_LABELS["supported"]["zh"] == "予以支持"
    assert OUTCOME_LABELS["explained"]["zh"] == "解释说明"
    assert OUTCOME_LABELS["not_supported"]["zh"] == "不予支持"


@pytest.mark.parametrize(
    ("status", "is_overdue", "expected"),
    [
        ("in_progress", False, "green"),
        ("forwarded", False, "green"),
        ("under_rereview", False, "green"),
        ("in_progress", True, "red"),
        ("replied", False, "blue"),
        ("reviewed", False, "blue"),
        ("final", False, "blue"),
        ("withdrawn", False, "blue"),
    ],
)
def test_colour(status: str, is_overdue: bool, expected: str) -> None:
    assert colour(status, is_overdue) == expected


@pytest.mark.parametrize("notes", [True, False])
def test_no_identifiers_published(notes: bool) -> None:
    page = json.loads(EXAMPLES.read_text(encoding="utf-8"))
    cases = [item for item in page["items"] if not item.get("deleted")]
    assert cases
    for item in cases:
        record = public_record(item, notes=notes)
        text = json.dumps(record, ensure_ascii=False)
        for key in ("case_id", "tracking_code", "repeat_of", "seq", "region", "evaluation"):
            assert key not in record
        for value in (item["case_id"], item["tracking_code"], item.get("repeat_of")):
            if value:
                assert value not in text
                assert value.replace("-", "") not in text
        assert ("note" in text) is (notes and any(e.get("note") for e in item["events"]))
        assert set(record) == {
            "v", "status", "received", "channel", "category", "kind", "route", "agency",
            "events", "pending", "next",
        }  # fmt: skip


def test_example_case_record() -> None:
    page = json.loads(EXAMPLES.read_text(encoding="utf-8"))
    record = public_record(page["items"][0])
    assert record["status"] == "replied"
    assert [e["type"] for e in record["events"]] == [
        "registered",
        "forwarded",
        "accepted",
        "replied",
    ]
    forwarded, accepted, replied = record["events"][1:]
    # Received Sat 2024-03-02 + 15 = Sun Mar 17: Mon Mar 18 (Art. 22).
    assert (forwarded["due"], forwarded["late"], forwarded["article"]) == (
        "2024-03-18",
        False,
        "22",
    )
    # Forwarded Mon Mar 4 + 15 = Tue Mar 19, no notice, so acceptance counts (Art. 23).
    assert (accepted["due"], accepted["article"]) == ("2024-03-19", "23")
    # Accepted Fri Mar 8 + 60 = Tue May 7 (Art. 34).
    assert (replied["due"], replied["late"]) == ("2024-05-07", False)
    assert record["pending"] == []
    # Replied Fri Apr 19 + 30 = Sun May 19: Mon May 20 (Art. 35).
    # The article and guide are the routes table's (tests/test_routes.py).
    assert record["next"] == {"action": "request_review", "by": "2024-05-20", "provisional": False}


def _handling(reply_day: str | None, extensions: tuple[int, ...] = ()) -> dict[str, Any]:
    events = [
        ev("e1", "registered", "2024-03-02"),
        ev("e2", "forwarded", "2024-03-04"),
        ev("e3", "receipt_notified", "2024-03-06"),
        ev("e4", "accepted", "2024-03-08"),
    ]
    events += [ev(f"x{i}", "extended", "2024-04-20", days=d) for i, d in enumerate(extensions)]
    if reply_day:
        events.append(ev("e9", "replied", reply_day, outcome="supported"))
    return public_record(case(events, received="2024-03-02"))


@pytest.mark.parametrize(
    ("reply_day", "late"),
    [
        # Accepted Fri 2024-03-08; day 60 is Tue May 7, a working day.
        ("2024-05-07", False),
        ("2024-05-08", True),
        ("2024-04-19", False),
    ],
)
def test_reply_late_mark(reply_day: str, late: bool) -> None:
    reply = _handling(reply_day)["events"][-1]
    assert (reply["due"], reply["late"], reply["article"]) == ("2024-05-07", late, "34")


@pytest.mark.parametrize(
    ("extensions", "due"),
    [
        ((), "2024-05-07"),
        # 60 + 15 = 75 日 from Mar 8 = Wed May 22.
        ((15,), "2024-05-22"),
        # 20 + 20 count 30: 90 日 from Mar 8 = Thu Jun 6.
        ((20, 20), "2024-06-06"),
        ((30,), "2024-06-06"),
    ],
)
def test_extension_capped(extensions: tuple[int, ...], due: str) -> None:
    record = _handling(None, extensions)
    assert record["status"] == ("extended" if extensions else "in_progress")
    assert record["pending"] == [
        {"step": "reply", "due": due, "article": "34", "provisional": False}
    ]
    assert record["next"] == {"action": "wait_reply"}
    assert [e["days"] for e in record["events"] if e["type"] == "extended"] == list(extensions)
    assert _handling("2024-06-06", extensions)["events"][-1]["due"] == due


def test_extension_across_dragon_boat() -> None:
    # Accepted Mon 2025-03-03, extensions 20 + 20 (30 counted): 90 日 = Sun Jun 1,
    # in the Dragon Boat holiday (May 31 - Jun 2): Tue Jun 3.
    events = [
        ev("e1", "registered", "2025-03-01"),
        ev("e2", "accepted", "2025-03-03"),
        ev("e3", "extended", "2025-04-20", days=20),
        ev("e4", "extended", "2025-05-10", days=20),
        ev("e5", "replied", "2025-06-03"),
    ]
    reply = public_record(case(events, received="2025-03-01"))["events"][-1]
    assert (reply["due"], reply["late"]) == ("2025-06-03", False)


@pytest.mark.parametrize(
    ("hearings", "due"),
    [
        # Re-review requested Mon 2025-03-03: 30 日 = Wed Apr 2.
        ((), "2025-04-02"),
        # 30 + 10 hearing days = Sat Apr 12: Mon Apr 14.
        ((10,), "2025-04-14"),
        ((4, 6), "2025-04-14"),
    ],
)
def test_hearing_days_not_counted(hearings: tuple[int, ...], due: str) -> None:
    events = [
        ev("e1", "registered", "2024-10-08"),
        ev("e2", "review_decided", "2025-02-20", outcome="not_supported"),
        ev("e3", "rereview_requested", "2025-03-03"),
    ]
    events += [ev(f"h{i}", "hearing_held", "2025-03-20", days=d) for i, d in enumerate(hearings)]
    record = public_record(case(events, received="2024-10-08"))
    assert record["status"] == "under_rereview"
    assert record["pending"] == [
        {"step": "rereview_decision", "due": due, "article": "36", "provisional": False}
    ]
    # The request itself: review decided Thu Feb 20 + 30 = Sat Mar 22 -> Mon Mar 24.
    request = record["events"][2]
    assert (request["due"], request["late"], request["article"]) == ("2025-03-24", False, "36")
    done = public_record(case([*events, ev("e9", "rereview_decided", "2025-04-14")]))
    assert done["events"][-1]["due"] == due
    assert done["pending"] == [] and done["next"] == {"action": "final"}


@pytest.mark.parametrize(
    ("events", "pending", "next_"),
    [
        # Received Mon 2025-03-03; nothing yet: forward due Tue Mar 18 (Art. 22).
        (
            [ev("e1", "registered", "2025-03-03")],
            [("forward", "2025-03-18", "22")],
            "wait_forward",
        ),
        # Forwarded Wed Mar 5: notice due Thu Mar 20 (Art. 23).
        (
            [ev("e1", "registered", "2025-03-03"), ev("e2", "forwarded", "2025-03-05")],
            [("notify", "2025-03-20", "23")],
            "wait_notify",
        ),
        # Notified, acceptance has no limit of its own: nothing pending, still waiting.
        (FULL[:3], [], "wait"),
        # Accepted Mon Mar 10: reply due 60 + 20 = 80 日 = Thu May 29 (Art. 34).
        (FULL[:5], [("reply", "2025-05-29", "34")], "wait_reply"),
        (FULL[:6], [], "request_review"),
        # Review requested Tue Jun 3: decision due Thu Jul 3 (Art. 35).
        (FULL[:7], [("review_decision", "2025-07-03", "35")], "wait_review_decision"),
        (FULL[:8], [], "request_rereview"),
        (FULL, [], "final"),
        ([*FULL[:4], ev("w", "withdrawn", "2025-03-12")], [], "withdrawn"),
        ([*FULL[:2], ev("n", "not_accepted", "2025-03-12", reason="x")], [], "not_accepted"),
        ([*FULL[:6], ev("c", "closed", "2025-05-21")], [], "closed"),
    ],
)
def test_pending_and_next(
    events: list[dict[str, Any]], pending: list[tuple[str, str, str]], next_: str
) -> None:
    record = public_record(case(events))
    assert [(p["step"], p["due"], p["article"]) for p in record["pending"]] == pending
    assert record["next"]["action"] == next_


@pytest.mark.parametrize(
    ("upto", "by", "article"),
    [
        # Replied Tue 2025-05-20 + 30 = Thu Jun 19 (Art. 35).
        (6, "2025-06-19", "35"),
        # Review decided Mon 2025-06-30 + 30 = Wed Jul 30 (Art. 36).
        (8, "2025-07-30", "36"),
    ],
)
def test_petitioner_window(upto: int, by: str, article: str) -> None:
    record = public_record(case(FULL[:upto]))
    action = "request_review" if article == "35" else "request_rereview"
    assert record["next"] == {"action": action, "by": by, "provisional": False}
    assert lookup_view(record, date(2025, 5, 1))["next"]["articles"] == [article]


def test_full_path_marks() -> None:
    record = public_record(case(FULL))
    marks = {e["type"]: (e.get("due"), e.get("late"), e.get("article")) for e in record["events"]}
    assert marks["registered"] == (None, None, None)
    assert marks["forwarded"] == ("2025-03-18", False, "22")
    assert marks["receipt_notified"] == ("2025-03-20", False, "23")
    assert marks["accepted"] == (None, None, None)  # the notice came first
    assert marks["extended"] == (None, None, None)
    # Accepted Mon Mar 10 + 80 = Thu May 29.
    assert marks["replied"] == ("2025-05-29", False, "34")
    assert marks["review_requested"] == ("2025-06-19", False, "35")
    assert marks["review_decided"] == ("2025-07-03", False, "35")
    assert marks["rereview_requested"] == ("2025-07-30", False, "36")
    # Re-review requested Thu Jul 10 + 30 + 5 hearing days = Thu Aug 14.
    assert marks["rereview_decided"] == ("2025-08-14", False, "36")


def test_intake_late() -> None:
    # Received Mon 2025-03-03, due Tue Mar 18; forwarded Thu Mar 20 is late.
    events = [ev("e1", "registered", "2025-03-03"), ev("e2", "forwarded", "2025-03-20")]
    forwarded = public_record(case(events))["events"][1]
    assert (forwarded["due"], forwarded["late"], forwarded["article"]) == ("2025-03-18", True, "22")


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2025, 3, 18), False),  # on the due date: not yet overdue
        (date(2025, 3, 19), True),
        (date(2025, 3, 4), False),
    ],
)
def test_overdue_and_lookup_view(today: date, expected: bool) -> None:
    record = public_record(case([ev("e1", "registered", "2025-03-03")]))
    assert overdue(record, today) is expected
    assert colour(record["status"], overdue(record, today)) == ("red" if expected else "green")
    view = lookup_view(record, today)
    assert view == {
        "status": "registered",
        "route": "petition",
        "overdue": expected,
        "events": [
            {"type": "registered", "date": "2025-03-03", "due": None, "late": None, "article": None}
        ],
        # Past the forward's due date the remedy replaces waiting (Art. 43).
        "next": {
            "action": "overdue_forward",
            "since": "2025-03-18",
            "articles": ["43"],
            "guide": "guides/check-progress/#if-a-deadline-has-passed",
        }
        if expected
        else {"action": "wait_forward", "articles": ["22"], "guide": "guides/time-limits/"},
    }


def test_finished_case_never_overdue() -> None:
    record = public_record(case(FULL))
    assert not overdue(record, date(2030, 1, 1))


def test_provisional_due_date() -> None:
    # Accepted Mon 2027-08-02: 60 日 = Fri Oct 1, National Day 2027 (not yet
    # published): Oct 1 - 3 plus Art. 6 substitutes Oct 4 - 5 -> Wed Oct 6.
    events = [ev("e1", "registered", "2027-07-30"), ev("e2", "accepted", "2027-08-02")]
    record = public_record(case(events, received="2027-07-30"))
    assert record["pending"] == [
        {"step": "reply", "due": "2027-10-06", "article": "34", "provisional": True}
    ]
    accepted = record["events"][1]
    assert accepted["article"] == "22" and accepted["provisional"] is True
    assert "provisional" not in public_record(case(FULL))["events"][1]


def test_record_is_json_and_deterministic() -> None:
    record = public_record(case(FULL))
    assert json.loads(json.dumps(record)) == record
    assert json.dumps(record) == json.dumps(public_record(case(list(reversed(FULL)))))
    assert record["received"] == "2025-03-03"
    assert record["events"][1] == {
        "type": "forwarded",
        "date": "2025-03-05",
        "agency": "330212-RSJ",
        "due": "2025-03-18",
        "late": False,
        "article": "22",
    }


def test_law_related_matters_have_no_art_23_notice_limit() -> None:
    """Art. 23 ¶4: the political-legal organs' notices follow their own rules."""
    events = [
        ev("e1", "registered", "2025-03-03"),
        ev("e2", "forwarded", "2025-03-05"),
    ]
    ordinary = public_record(case(events))
    assert [p["article"] for p in ordinary["pending"]] == ["23"]
    law = public_record({**case(events), "law_related": True})
    assert law["pending"] == []
    notified = public_record(
        {**case([*events, ev("e3", "receipt_notified", "2025-05-05")]), "law_related": True}
    )
    assert "due" not in notified["events"][2]
    assert notified["events"][1]["article"] == "22"  # the petition office's 15 days still apply
