"""The deadline calendar: Civil Code counting on the State Council's schedules.

Every expected date below was worked out by hand from the official schedule
(as chinese-calendar 1.11.0 bundles it; the first tests pin the facts relied
on), then counted per Civil Code Art. 201/203: day 1 is the day after the
start, the last day is start + n, and a last day that is a rest day moves to
the next working day; a make-up working day (调休) is a working day.
"""

from dataclasses import FrozenInstanceError
from datetime import date

import chinese_calendar
import pytest

from sunshine.cases.calendar import (
    Deadline,
    add_days,
    add_working_days,
    is_provisional,
    is_rest_day,
    local_date,
)


@pytest.mark.parametrize(
    ("day", "holiday"),
    [
        # Spring Festival 2025: Jan 28 - Feb 4 off; Sun Jan 26 and Sat Feb 8 worked.
        (date(2025, 1, 28), True),
        (date(2025, 2, 4), True),
        (date(2025, 1, 26), False),
        (date(2025, 2, 8), False),
        # Spring Festival 2026: Feb 15 - 23 off; Sat Feb 14 and Sat Feb 28 worked.
        (date(2026, 2, 15), True),
        (date(2026, 2, 23), True),
        (date(2026, 2, 14), False),
        (date(2026, 2, 28), False),
        # National Day 2025 (with Mid-Autumn): Oct 1 - 8 off; Sun Sep 28 and Sat Oct 11 worked.
        (date(2025, 10, 1), True),
        (date(2025, 10, 8), True),
        (date(2025, 9, 28), False),
        (date(2025, 10, 11), False),
    ],
)
def test_official_schedule_facts(day: date, holiday: bool) -> None:
    assert chinese_calendar.is_holiday(day) is holiday
    assert is_rest_day(day) is holiday
    assert not is_provisional(day)


@pytest.mark.parametrize(
    ("start", "n", "due"),
    [
        # 2025-01-13 + 15 = Jan 28, first day of Spring Festival; Jan 28 - Feb 4 are
        # off (the weekend inside too), so the period ends Wed Feb 5.
        (date(2025, 1, 13), 15, date(2025, 2, 5)),
        # 2025-01-11 + 15 = Sun Jan 26, a make-up working day: it stays.
        (date(2025, 1, 11), 15, date(2025, 1, 26)),
        # 2025-01-24 + 15 = Sat Feb 8, a make-up working day: it stays.
        (date(2025, 1, 24), 15, date(2025, 2, 8)),
        # 2026-01-30 + 15 = Sat Feb 14, the make-up day before Spring Festival: stays.
        (date(2026, 1, 30), 15, date(2026, 2, 14)),
        # 2026-01-31 + 15 = Sun Feb 15, first day of the Feb 15 - 23 holiday: Tue Feb 24.
        (date(2026, 1, 31), 15, date(2026, 2, 24)),
        # 2026-02-13 + 15 = Sat Feb 28, a make-up working day: stays.
        (date(2026, 2, 13), 15, date(2026, 2, 28)),
        # 60 日 from 2025-12-20 = 2026-02-18, in the holiday: Tue Feb 24.
        (date(2025, 12, 20), 60, date(2026, 2, 24)),
        # 2025-09-16 + 15 = Oct 1, National Day; Oct 1 - 8 off: Thu Oct 9.
        (date(2025, 9, 16), 15, date(2025, 10, 9)),
        # 2025-09-08 + 30 = Oct 8, the holiday's last day: Thu Oct 9.
        (date(2025, 9, 8), 30, date(2025, 10, 9)),
        # 2025-09-13 + 15 = Sun Sep 28, a make-up working day: stays.
        (date(2025, 9, 13), 15, date(2025, 9, 28)),
        # 2025-09-26 + 15 = Sat Oct 11, a make-up working day: stays.
        (date(2025, 9, 26), 15, date(2025, 10, 11)),
        # 2025-03-07 + 15 = Sat Mar 22, a normal weekend: Mon Mar 24.
        (date(2025, 3, 7), 15, date(2025, 3, 24)),
        # 2024-03-02 + 15 = Sun Mar 17: Mon Mar 18 (the README's example case).
        (date(2024, 3, 2), 15, date(2024, 3, 18)),
        # 2025-03-03 + 90 = Sun Jun 1, in Dragon Boat (May 31 - Jun 2): Tue Jun 3.
        (date(2025, 3, 3), 90, date(2025, 6, 3)),
        # A plain working day stays: 2025-03-03 + 30 = Wed Apr 2.
        (date(2025, 3, 3), 30, date(2025, 4, 2)),
    ],
)
def test_add_days_official(start: date, n: int, due: date) -> None:
    assert add_days(start, n) == Deadline(due, provisional=False)


@pytest.mark.parametrize(
    ("start", "n", "due"),
    [
        # From Fri 2025-09-26: Sat 27 off, Sun 28 make-up (1), Mon 29 (2), Tue 30 (3),
        # Oct 1 - 8 off, Thu Oct 9 (4), Fri Oct 10 (5).
        (date(2025, 9, 26), 5, date(2025, 10, 10)),
        # From Thu 2026-02-12: Fri 13 (1), Sat 14 make-up (2), Feb 15 - 23 off,
        # Tue 24 (3), Wed 25 (4), Thu 26 (5).
        (date(2026, 2, 12), 5, date(2026, 2, 26)),
        # From Fri 2025-03-07: Mon 10 .. Fri 14 are the five.
        (date(2025, 3, 7), 5, date(2025, 3, 14)),
        (date(2025, 3, 7), 0, date(2025, 3, 7)),
    ],
)
def test_add_working_days_official(start: date, n: int, due: date) -> None:
    assert add_working_days(start, n) == Deadline(due, provisional=False)


@pytest.mark.parametrize(
    ("day", "provisional"),
    [
        (date(2004, 1, 1), False),
        (date(2026, 12, 31), False),
        (date(2027, 1, 1), True),
        (date(2003, 12, 31), True),
    ],
)
def test_is_provisional(day: date, provisional: bool) -> None:
    assert is_provisional(day) is provisional


@pytest.mark.parametrize(
    ("day", "rest"),
    [
        # 2027 under the provisional rule (2025 holiday rules + Art. 6 substitutes).
        (date(2027, 1, 1), True),  # New Year's Day, a Friday
        (date(2027, 2, 5), True),  # Spring Festival eve (腊月廿九), Friday
        (date(2027, 2, 8), True),  # 正月初三, Monday
        (date(2027, 2, 9), True),  # substitute for 初一 on Saturday
        (date(2027, 2, 10), True),  # substitute for 初二 on Sunday
        (date(2027, 2, 11), False),
        (date(2027, 4, 5), True),  # Qingming, Monday
        (date(2027, 5, 3), True),  # substitute for Labour Day on Saturday
        (date(2027, 5, 4), True),  # substitute for May 2 on Sunday
        (date(2027, 5, 5), False),
        (date(2027, 6, 9), True),  # Dragon Boat (lunar 5-5), Wednesday
        (date(2027, 9, 15), True),  # Mid-Autumn (lunar 8-15), Wednesday
        (date(2027, 10, 4), True),  # substitute for Sat Oct 2
        (date(2027, 10, 5), True),  # substitute for Sun Oct 3
        (date(2027, 10, 6), False),
        (date(2027, 10, 9), True),  # an ordinary Saturday: no make-up days are guessed
    ],
)
def test_provisional_rest_days(day: date, rest: bool) -> None:
    assert is_rest_day(day) is rest


def test_provisional_national_day() -> None:
    # 2027-09-01 + 30 = Fri Oct 1: National Day Oct 1 - 3, then Mon 4 and Tue 5 in
    # lieu of the weekend days, so the period ends Wed Oct 6, flagged provisional.
    deadline = add_days(date(2027, 9, 1), 30)
    assert deadline.due > date(2027, 10, 3)
    assert deadline == Deadline(date(2027, 10, 6), provisional=True)


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        # The last day (Mon 2027-01-04) is in an uncovered year.
        (date(2026, 12, 20), 15, Deadline(date(2027, 1, 4), True)),
        # Wholly inside 2026.
        (date(2026, 12, 1), 15, Deadline(date(2026, 12, 16), False)),
    ],
)
def test_add_days_provisional_flag(start: date, n: int, expected: Deadline) -> None:
    assert add_days(start, n) == expected


def test_working_days_into_uncovered_year() -> None:
    # Thu 2026-12-31 (1), Fri 2027-01-01 off, weekend, Mon Jan 4 (2), Tue Jan 5 (3).
    assert add_working_days(date(2026, 12, 30), 3) == Deadline(date(2027, 1, 5), True)


@pytest.mark.parametrize("func", [add_days, add_working_days])
def test_negative_period_rejected(func: object) -> None:
    with pytest.raises(ValueError):
        func(date(2025, 1, 1), -1)  # type: ignore[operator]


def test_deadline_is_frozen() -> None:
    deadline = add_days(date(2025, 3, 3), 30)
    with pytest.raises(FrozenInstanceError):
        deadline.due = date(2025, 1, 1)  # type: ignore[misc]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025-01-01T00:30:00+08:00", date(2025, 1, 1)),
        ("2024-12-31T17:00:00Z", date(2025, 1, 1)),  # 01:00 in Shanghai
        ("2025-01-01T00:30:00+09:00", date(2024, 12, 31)),  # 23:30 in Shanghai
        ("2025-01-01T23:59:59", date(2025, 1, 1)),  # no offset: already Shanghai time
        (date(2025, 5, 1), date(2025, 5, 1)),
    ],
)
def test_local_date(value: str | date, expected: date) -> None:
    assert local_date(value) == expected
