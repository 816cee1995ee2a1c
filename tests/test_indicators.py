"""Indicators: per-case rules (clocks, withdrawal, attribution, backlog) and the roll-up.

Due dates are counted by hand in the comments (Civil Code: the start day is
not counted; a last day that is a rest day moves to the next working day).
"""

import itertools
import json
import sqlite3
from collections import defaultdict
from datetime import date
from typing import Any

import pytest

from demo_registry import DemoRegistry
from sunshine.statistics.indicators import (
    DIMENSIONS,
    INDICATORS,
    Row,
    case_facts,
    compute,
    compute_from_store,
    wilson,
)

_ids = itertools.count()


def ev(type_: str, day: str, **extra: Any) -> dict[str, Any]:
    return {"id": f"e{next(_ids)}", "type": type_, "at": f"{day}T10:00:00+08:00", **extra}


def case(
    events: list[dict[str, Any]],
    received: str = "2025-03-03",
    evaluation: str | None = None,
    **fields: Any,
) -> dict[str, Any]:
    base: dict[str, Any] = {
        "case_id": f"XF2025-330212-{next(_ids):06d}",
        "received_at": f"{received}T09:00:00+08:00",
        "channel": "letter",
        "category": "labour.wages",
        "kind": "complaint",
        "region": "330212",
        "agency": "330212-RSJ",
        "repeat_of": None,
        "events": events,
        "evaluation": None if evaluation is None else {"at": "2025-06-30T08:00:00+08:00",
                                                        "result": evaluation},
    }  # fmt: skip
    base.update(fields)
    return base


def accepted_case(accepted: str, *later: dict[str, Any], **fields: Any) -> dict[str, Any]:
    """Received and registered on 2025-03-03, accepted on ``accepted``."""
    return case([ev("registered", "2025-03-03"), ev("accepted", accepted), *later], **fields)


def rows_of(cases: list[dict[str, Any]], as_of: date) -> dict[tuple[str, str, str, str], Row]:
    return {(r.period, r.dimension, r.code, r.indicator): r for r in compute(cases, as_of)}


def overall(rows: dict[tuple[str, str, str, str], Row], period: str, indicator: str) -> Row:
    return rows[(period, "overall", "all", indicator)]


AS_OF = date(2025, 7, 15)


# -- the reply clock ------------------------------------------------------------


def test_extension_lengthens_the_reply_period() -> None:
    # Accepted 2025-03-10; 60 + 20 = 80 days → 2025-05-29 (a Thursday).
    c = accepted_case("2025-03-10", ev("extended", "2025-05-01", days=20))
    assert case_facts(c, AS_OF).reply is not None
    assert case_facts(c, AS_OF).reply.due == date(2025, 5, 29)  # type: ignore[union-attr]


def test_extensions_are_capped_at_30_days_in_all() -> None:
    # Accepted 2025-03-06; 20 + 20 extension days count as 30: 90 days → 2025-06-04.
    c = accepted_case(
        "2025-03-06", ev("extended", "2025-04-20", days=20), ev("extended", "2025-05-10", days=20)
    )
    facts = case_facts(c, AS_OF)
    assert facts.reply is not None and facts.reply.due == date(2025, 6, 4)


def test_rest_day_moves_the_due_date() -> None:
    # Accepted 2025-03-03: day 60 is 2025-05-02 (Labour Day); the period ends 2025-05-06.
    facts = case_facts(accepted_case("2025-03-03"), AS_OF)
    assert facts.reply is not None and facts.reply.due == date(2025, 5, 6)


def test_reply_on_the_due_date_is_timely_and_a_day_later_is_not() -> None:
    on_time = accepted_case("2025-03-10", ev("extended", "2025-05-01", days=20),
                            ev("replied", "2025-05-29", outcome="explained"))  # fmt: skip
    late = accepted_case("2025-03-10", ev("extended", "2025-05-01", days=20),
                         ev("replied", "2025-05-30", outcome="explained"))  # fmt: skip
    assert case_facts(on_time, AS_OF).reply.timely(AS_OF) is True  # type: ignore[union-attr]
    assert case_facts(late, AS_OF).reply.timely(AS_OF) is False  # type: ignore[union-attr]
    rate = overall(rows_of([on_time, late], AS_OF), "2025-05", "on_time_reply_rate")
    assert (rate.numerator, rate.denominator, rate.value) == (1, 2, 0.5)


def test_open_past_due_counts_as_not_timely_in_the_due_month() -> None:
    c = accepted_case("2025-03-03")  # due 2025-05-06, never replied
    rows = rows_of([c], AS_OF)
    rate = overall(rows, "2025-05", "on_time_reply_rate")
    assert (rate.numerator, rate.denominator, rate.value) == (0, 1, 0.0)


def test_open_before_due_is_not_counted() -> None:
    c = accepted_case("2025-03-03")  # due 2025-05-06
    for as_of in (date(2025, 5, 1), date(2025, 5, 6)):  # a step may still be done on its due day
        assert case_facts(c, as_of).reply.timely(as_of) is None  # type: ignore[union-attr]
        rows = rows_of([c], as_of)
        assert overall(rows, "2025-05", "on_time_reply_rate").denominator == 0
        assert overall(rows, "2025", "on_time_reply_rate").value is None


def test_withdrawal_before_the_reply_leaves_the_case_out() -> None:
    withdrawn = accepted_case("2025-03-03", ev("withdrawn", "2025-04-01"))
    late_then_withdrawn = accepted_case("2025-03-03", ev("withdrawn", "2025-06-01"))
    replied_then_withdrawn = accepted_case(
        "2025-03-03", ev("replied", "2025-04-01"), ev("withdrawn", "2025-04-02")
    )
    rows = rows_of([withdrawn, late_then_withdrawn, replied_then_withdrawn], AS_OF)
    rate = overall(rows, "2025-05", "on_time_reply_rate")
    assert (rate.numerator, rate.denominator) == (1, 1)


# -- the acceptance clock -------------------------------------------------------


def test_acceptance_clock_starts_at_the_last_forward() -> None:
    # Forwarded 03-03, re-forwarded 03-24 (due 04-08), notified 04-07: timely.
    c = case([ev("registered", "2025-03-01"), ev("forwarded", "2025-03-03"),
              ev("forwarded", "2025-03-24"), ev("receipt_notified", "2025-04-07"),
              ev("accepted", "2025-04-20")], received="2025-03-01")  # fmt: skip
    acc = case_facts(c, AS_OF).acceptance
    assert acc is not None
    assert (acc.start, acc.due, acc.stop) == (date(2025, 3, 24), date(2025, 4, 8), date(2025, 4, 7))
    assert acc.timely(AS_OF) is True


def test_acceptance_clock_from_registration_when_never_forwarded() -> None:
    # Registered 03-03 → due 03-18; accepted 03-19: late.
    c = case([ev("registered", "2025-03-03"), ev("accepted", "2025-03-19")])
    acc = case_facts(c, AS_OF).acceptance
    assert acc is not None and acc.due == date(2025, 3, 18) and acc.timely(AS_OF) is False


def test_acceptance_counted_in_the_month_of_the_due_date() -> None:
    # Registered 2025-03-24, accepted 03-26: due 04-08, so it counts in April, not March.
    c = case([ev("registered", "2025-03-24"), ev("accepted", "2025-03-26")], received="2025-03-24")
    rows = rows_of([c], AS_OF)
    april = overall(rows, "2025-04", "timely_acceptance_rate")
    assert (april.numerator, april.denominator) == (1, 1)
    assert overall(rows, "2025-03", "timely_acceptance_rate").denominator == 0


def test_acceptance_open_past_due_and_withdrawn() -> None:
    waiting = case([ev("registered", "2025-03-03")])  # due 03-18, nothing since
    withdrawn = case([ev("registered", "2025-03-03"), ev("withdrawn", "2025-03-10")])
    rows = rows_of([waiting, withdrawn], AS_OF)
    rate = overall(rows, "2025-03", "timely_acceptance_rate")
    assert (rate.numerator, rate.denominator) == (0, 1)
    early = rows_of([waiting], date(2025, 3, 18))
    assert overall(early, "2025-03", "timely_acceptance_rate").denominator == 0


def test_nothing_is_counted_in_a_month_after_as_of() -> None:
    # Accepted early, but due 04-08: as of 03-31 the April row does not exist yet.
    c = case([ev("registered", "2025-03-24"), ev("accepted", "2025-03-26")], received="2025-03-24")
    rows = rows_of([c], date(2025, 3, 31))
    assert not any(k[0] == "2025-04" for k in rows)
    assert overall(rows, "2025", "timely_acceptance_rate").denominator == 0


# -- received, evaluation, reviews ----------------------------------------------


def test_received_online_share_and_repeats() -> None:
    cases = [
        case([], channel="online"),
        case([], channel="online", repeat_of="XF2024-330212-000001"),
        case([], channel="visit"),
        case([], channel="letter", repeat_of="XF2024-330212-000002"),
    ]
    rows = rows_of(cases, AS_OF)
    assert overall(rows, "2025-03", "received").value == 4
    share = overall(rows, "2025-03", "online_share")
    assert (share.numerator, share.denominator, share.value) == (2, 4, 0.5)
    rep = overall(rows, "2025-03", "repeat_rate")
    assert (rep.numerator, rep.denominator) == (2, 4)


def test_evaluation_and_satisfaction_rates_by_month_of_reply() -> None:
    def replied(result: str | None) -> dict[str, Any]:
        return accepted_case("2025-03-05", ev("replied", "2025-04-10"), evaluation=result)

    cases = [replied("satisfied"), replied("basically_satisfied"), replied("unsatisfied"),
             replied(None)]  # fmt: skip
    rows = rows_of(cases, AS_OF)
    ev_rate = overall(rows, "2025-04", "evaluation_rate")
    assert (ev_rate.numerator, ev_rate.denominator) == (3, 4)
    sat = overall(rows, "2025-04", "satisfaction_rate")
    assert (sat.numerator, sat.denominator) == (1, 3)
    basic = overall(rows, "2025-04", "basic_satisfaction_rate")
    assert (basic.numerator, basic.denominator) == (2, 3)
    assert overall(rows, "2025-03", "evaluation_rate").denominator == 0


def test_review_and_rereview_rates() -> None:
    plain = accepted_case("2025-03-05", ev("replied", "2025-04-10"))
    reviewed = accepted_case(
        "2025-03-05",
        ev("replied", "2025-04-10"),
        ev("review_requested", "2025-04-20"),
        ev("review_decided", "2025-05-10"),
        ev("rereview_requested", "2025-05-20"),
    )
    rows = rows_of([plain, reviewed], AS_OF)
    review = overall(rows, "2025-04", "review_rate")
    assert (review.numerator, review.denominator) == (1, 2)
    rereview = overall(rows, "2025-05", "rereview_rate")
    assert (rereview.numerator, rereview.denominator, rereview.value) == (1, 1, 1.0)


def test_mean_and_median_handling_days() -> None:
    # Replies on 04-04, 10, 20 and 40 days after acceptance.
    cases = [accepted_case("2025-03-25", ev("replied", "2025-04-04")),
             accepted_case("2025-03-15", ev("replied", "2025-04-04")),
             accepted_case("2025-02-23", ev("replied", "2025-04-04"))]  # fmt: skip
    rows = rows_of(cases, AS_OF)
    mean = overall(rows, "2025-04", "mean_handling_days")
    median = overall(rows, "2025-04", "median_handling_days")
    assert mean.value == pytest.approx(70 / 3) and mean.denominator == 3
    assert mean.numerator is None
    assert median.value == 20 and median.denominator == 3
    # An even count: the mean of the middle two.
    cases.append(accepted_case("2025-03-04", ev("replied", "2025-04-04")))  # 31 days
    median = overall(rows_of(cases, AS_OF), "2025-04", "median_handling_days")
    assert median.value == 25.5


# -- backlog ----------------------------------------------------------------------


def test_backlog_and_overdue_open_at_month_end() -> None:
    # Accepted 03-03, reply due 05-06, never replied: open from March, overdue from May.
    waiting = accepted_case("2025-03-03")
    # Replied in April: open at the end of March only.
    done = accepted_case("2025-03-03", ev("replied", "2025-04-15"))
    # Received 05-20, still only registered on as_of (due 06-04): overdue in June only.
    fresh = case([ev("registered", "2025-05-20")], received="2025-05-20")
    as_of = date(2025, 6, 10)
    rows = rows_of([waiting, done, fresh], as_of)
    expect = {"2025-03": (2, 0), "2025-04": (1, 0), "2025-05": (2, 1), "2025-06": (2, 2)}
    for month, (backlog, overdue) in expect.items():
        assert overall(rows, month, "backlog").value == backlog, month
        assert overall(rows, month, "overdue_open").value == overdue, month
    # A stock: the year's value is that of its last month so far (as_of's).
    assert overall(rows, "2025", "backlog").numerator == 2
    assert overall(rows, "2025", "overdue_open").numerator == 2


def test_replied_case_reopened_by_a_review_request() -> None:
    c = accepted_case("2025-03-03", ev("replied", "2025-03-20"),
                      ev("review_requested", "2025-04-10"))  # fmt: skip
    rows = rows_of([c], date(2025, 5, 20))  # decision due 05-10, a Saturday: 05-12
    assert overall(rows, "2025-03", "backlog").value == 0
    assert overall(rows, "2025-04", "backlog").value == 1
    assert overall(rows, "2025-05", "overdue_open").value == 1


# -- roll-up and the whole output ---------------------------------------------------


@pytest.fixture(scope="module")
def demo_rows() -> tuple[list[Row], date]:
    registry = DemoRegistry(cases=3000)
    items = [i for i in registry.items(0, 3000) if not i.get("deleted")]
    as_of = registry.now.date()
    return compute(items, as_of), as_of


def test_years_are_the_sums_of_their_months(demo_rows: tuple[list[Row], date]) -> None:
    rows, _ = demo_rows
    sums: dict[tuple[str, str, str, str], list[int]] = defaultdict(lambda: [0, 0])
    years = {}
    for r in rows:
        if INDICATORS[r.indicator].kind != "rate" and r.indicator != "received":
            continue
        if len(r.period) == 7:
            acc = sums[(r.period[:4], r.dimension, r.code, r.indicator)]
            acc[0] += r.numerator or 0
            acc[1] += r.denominator or 0
        else:
            years[(r.period, r.dimension, r.code, r.indicator)] = r
    assert years
    for key, r in years.items():
        assert sums[key] == [r.numerator or 0, r.denominator or 0], key
        if r.denominator:
            assert r.value == pytest.approx(r.numerator / r.denominator)  # type: ignore[operator]


def test_dimensions_sum_to_overall_for_counts(demo_rows: tuple[list[Row], date]) -> None:
    rows, _ = demo_rows
    totals: dict[tuple[str, str, str], int] = defaultdict(int)
    overall_: dict[tuple[str, str], int] = {}
    for r in rows:
        if INDICATORS[r.indicator].kind != "count":
            continue
        assert r.value == r.numerator and r.numerator is not None
        if r.dimension == "overall":
            overall_[(r.period, r.indicator)] = r.numerator
        else:
            totals[(r.period, r.dimension, r.indicator)] += r.numerator
    assert any(overall_.values())
    for (period, dim, indicator), total in totals.items():
        assert total == overall_[(period, indicator)], (period, dim, indicator)
    assert {dim for _, dim, _ in totals} == set(DIMENSIONS[1:])


def test_every_key_has_every_indicator(demo_rows: tuple[list[Row], date]) -> None:
    rows, as_of = demo_rows
    by_key: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for r in rows:
        by_key[(r.period, r.dimension, r.code)].append(r.indicator)
        assert r.period <= f"{as_of:%Y-%m}"
        if INDICATORS[r.indicator].kind == "rate" and not r.denominator:
            assert r.value is None
    assert all(names == list(INDICATORS) for names in by_key.values())


def test_compute_from_store_matches_compute() -> None:
    cases = [accepted_case("2025-03-03", ev("replied", "2025-04-15"), evaluation="satisfied"),
             case([ev("registered", "2025-03-03")], channel="online")]  # fmt: skip
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE cases (case_id TEXT PRIMARY KEY, data TEXT NOT NULL)")
    db.executemany(
        "INSERT INTO cases VALUES (?, ?)", [(c["case_id"], json.dumps(c)) for c in cases]
    )
    assert compute_from_store(db, AS_OF) == compute(cases, AS_OF)


def test_tombstones_are_skipped() -> None:
    tomb = {"case_id": "X", "seq": 2, "deleted": True, "reason": "erased"}
    assert compute([tomb], AS_OF) == []


# -- definitions and the Wilson interval ------------------------------------------


def test_indicator_table() -> None:
    assert list(INDICATORS) == [
        "received", "online_share", "timely_acceptance_rate", "on_time_reply_rate",
        "mean_handling_days", "median_handling_days", "evaluation_rate", "satisfaction_rate",
        "basic_satisfaction_rate", "review_rate", "rereview_rate", "repeat_rate", "backlog",
        "overdue_open",
    ]  # fmt: skip
    for code, ind in INDICATORS.items():
        assert ind.code == code
        assert ind.name["zh"] and ind.name["en"] and ind.definition["zh"] and ind.definition["en"]
    assert INDICATORS["timely_acceptance_rate"].articles[0] == "22"
    assert INDICATORS["on_time_reply_rate"].articles == ["34"]
    assert INDICATORS["review_rate"].articles == ["35"]
    assert INDICATORS["rereview_rate"].articles == ["36"]


def test_wilson_interval() -> None:
    low, high = wilson(8, 10)
    assert low == pytest.approx(0.4902, abs=5e-4) and high == pytest.approx(0.9433, abs=5e-4)
    low, high = wilson(0, 10)
    assert low == 0 and high == pytest.approx(0.2775, abs=5e-4)
    low, high = wilson(10, 10)
    assert high == 1 and low == pytest.approx(0.7225, abs=5e-4)
    with pytest.raises(ValueError):
        wilson(0, 0)
