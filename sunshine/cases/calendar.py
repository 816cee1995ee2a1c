"""The deadline calendar: rest days, working days and statutory periods.

Every limit of the 2022 《信访工作条例》 the site shows is counted here, on
calendar dates in Asia/Shanghai:

- A period of *n* 日 follows the Civil Code, Art. 201 and 203: the day of the
  triggering event is not counted (day 1 is the day after it), the period ends
  on day *n*, and if that day is a rest day it ends on the next working day
  (:func:`add_days`).
- *n* 工作日 are the *n*-th working day after the start (:func:`add_working_days`).

Rest days come from the State Council's holiday schedules, including its
make-up working days (调休), as bundled by ``chinese-calendar`` (2004–2026).
The schedule for a year is only published late in the year before, so for the
years it does not cover the calendar falls back to a *provisional* rule that
uses only what the law fixes in advance, and says so: every :class:`Deadline`
carries ``provisional`` so the page can tell the reader the date may move.

The provisional rule is 《全国年节及纪念日放假办法》 as revised in 2024 (in force
from 2025-01-01), Art. 2 and Art. 6:

- 元旦 January 1 (1 day); 春节 lunar New Year's Eve (the last day of the
  lunar year, 腊月廿九 or 三十) through 正月初三 (4 days); 清明节 the day of
  the Qingming solar term (1 day); 劳动节 May 1–2 (2 days); 端午节 lunar 5-5
  (1 day); 中秋节 lunar 8-15 (1 day); 国庆节 October 1–3 (3 days).
- Art. 6: a holiday of all citizens that falls on a Saturday or Sunday is
  made up on a working day (补假); the substitute is the next weekday that is
  not already a rest day.
- Saturdays and Sundays are rest days. Make-up working days (调休) and the
  bridging the State Council adds around Spring Festival and National Day are
  announced only in the schedule itself, so none are assumed.

Against the official schedules of 2025–2026 this rule gives the same last day
for about 92% of 15/30/60-day periods; where it differs the provisional date
is usually earlier than the official one (the schedule adds bridge days).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone, tzinfo
from functools import lru_cache

import chinese_calendar
from lunar_python import Lunar, Solar

__all__ = [
    "COVERED_YEARS",
    "SHANGHAI",
    "Deadline",
    "add_days",
    "add_working_days",
    "is_provisional",
    "is_rest_day",
    "is_working_day",
    "local_date",
]


def _shanghai() -> tzinfo:
    # China has kept UTC+8 without daylight saving since 1991, so the fixed
    # offset is a faithful stand-in where the system has no tz database.
    try:
        from zoneinfo import ZoneInfo

        return ZoneInfo("Asia/Shanghai")
    except Exception:  # pragma: no cover - depends on the host's tzdata
        return timezone(timedelta(hours=8), "Asia/Shanghai")


SHANGHAI: tzinfo = _shanghai()
"""The zone every calendar date of the site is taken in."""

# chinese-calendar keeps official holidays and make-up working days in two
# dicts keyed by date; the years it covers are those its holiday table spans.
_OFFICIAL_HOLIDAYS: frozenset[date] = frozenset(chinese_calendar.holidays)
_OFFICIAL_WORKDAYS: frozenset[date] = frozenset(chinese_calendar.workdays)
COVERED_YEARS: range = range(
    min(d.year for d in _OFFICIAL_HOLIDAYS), max(d.year for d in _OFFICIAL_HOLIDAYS) + 1
)
"""Years for which the official State Council schedule is known."""


@dataclass(frozen=True, slots=True)
class Deadline:
    """The last day of a period, and whether it rests on a provisional calendar."""

    due: date
    provisional: bool
    """True if any day examined to find ``due`` lies in a year without an
    official schedule: the date may move once the schedule is published."""


def local_date(value: str | datetime | date) -> date:
    """The calendar date in Asia/Shanghai of an RFC 3339 time (or datetime, or date).

    A time without an offset is taken to be Shanghai time already, since that
    is what the registry writes.
    """
    if isinstance(value, str):
        if value.endswith("+08:00"):
            # What the registry writes: the date part is already Shanghai's.
            # A fast path, since the build converts every event of every case.
            return date.fromisoformat(value[:10])
        value = datetime.fromisoformat(value)
    if isinstance(value, datetime):
        if value.tzinfo is None:
            return value.date()
        return value.astimezone(SHANGHAI).date()
    return value


def is_provisional(d: date) -> bool:
    """True when ``d``'s year has no official holiday schedule in chinese-calendar."""
    return d.year not in COVERED_YEARS


def is_rest_day(d: date) -> bool:
    """True on a weekend or holiday that is not a make-up working day.

    Official schedule where there is one; the provisional rule elsewhere.
    """
    if d.year in COVERED_YEARS:
        if d in _OFFICIAL_HOLIDAYS:
            return True
        return d.weekday() >= 5 and d not in _OFFICIAL_WORKDAYS
    return d.weekday() >= 5 or d in _provisional_rest_days(d.year)


def is_working_day(d: date) -> bool:
    """The opposite of :func:`is_rest_day`."""
    return not is_rest_day(d)


def _solar_date(lunar: Lunar) -> date:
    solar = lunar.getSolar()
    return date(solar.getYear(), solar.getMonth(), solar.getDay())


def _statutory_holidays(year: int) -> set[date]:
    """The holidays of all citizens in ``year`` under the 2025 rule (no substitutes)."""
    new_year = _solar_date(Lunar.fromYmd(year, 1, 1))
    days = {date(year, 1, 1), date(year, 5, 1), date(year, 5, 2)}
    # Spring Festival: the eve is the day before 正月初一 whether the last lunar
    # month has 29 or 30 days; lunar New Year falls Jan 21–Feb 20, so all four
    # days stay inside the Gregorian year.
    days.update(new_year + timedelta(days=k) for k in range(-1, 3))
    # Qingming is a solar term, not a lunar date: always April 4, 5 or 6
    # (checked over April 3–6 to be safe).
    for day in range(3, 7):
        if Solar.fromYmd(year, 4, day).getLunar().getJieQi() == "清明":
            days.add(date(year, 4, day))
    days.add(_solar_date(Lunar.fromYmd(year, 5, 5)))  # 端午
    days.add(_solar_date(Lunar.fromYmd(year, 8, 15)))  # 中秋, may coincide with 国庆
    days.update(date(year, 10, day) for day in (1, 2, 3))
    return days


@lru_cache(maxsize=64)
def _provisional_rest_days(year: int) -> frozenset[date]:
    """Holidays plus Art. 6 substitutes (补假) for a year without a schedule.

    Weekends are tested separately; this set holds the holidays and the
    weekdays given in lieu of holidays that fell on a weekend.
    """
    holidays = _statutory_holidays(year)
    rest = set(holidays)
    for day in sorted(holidays):
        if day.weekday() < 5:
            continue
        # The substitute is the first weekday after the holiday that is not
        # itself a holiday or an earlier substitute, so a block of holidays
        # over a weekend is followed by as many substitute days.
        sub = day + timedelta(days=1)
        while sub.weekday() >= 5 or sub in rest:
            sub += timedelta(days=1)
        rest.add(sub)
    return frozenset(rest)


# Periods are computed for every event of every case at build time; the same
# (start, n) pairs recur constantly, so the results are memoised.
@lru_cache(maxsize=65536)
def add_days(start: date, n: int) -> Deadline:
    """The last day of a period of ``n`` 日 from ``start`` (Civil Code Art. 201, 203).

    The start day is not counted; the period's last day is ``start + n``; if
    that is a rest day, the period ends on the next working day.
    """
    if n < 0:
        raise ValueError("a period cannot be negative")
    due = start + timedelta(days=n)
    provisional = is_provisional(due)
    while is_rest_day(due):
        due += timedelta(days=1)
        provisional = provisional or is_provisional(due)
    return Deadline(due, provisional)


@lru_cache(maxsize=16384)
def add_working_days(start: date, n: int) -> Deadline:
    """The ``n``-th working day after ``start`` (the start day is not counted)."""
    if n < 0:
        raise ValueError("a period cannot be negative")
    day = start
    provisional = False
    left = n
    while left:
        day += timedelta(days=1)
        provisional = provisional or is_provisional(day)
        if not is_rest_day(day):
            left -= 1
    return Deadline(day, provisional)
