"""``/data/cases.csv``: one row per published case, k-anonymous (DESIGN.md, open data).

A case's row (:func:`case_row`) depends only on the case and the data's
snapshot date, like its contribution to the counters, so the indicators' cache
keeps it beside the contribution (:mod:`plugins.indicators.cache`) with the
same validity; a build reads the kept rows counted by value (identical rows
are frequent: a million cases give far fewer distinct rows), anonymises them
in memory (:mod:`sunshine.statistics.anonymity`) and writes each distinct row
as many times as it occurs.

Columns (:data:`COLUMNS`): the period received (a month, or the quarter or
year the file is generalised to), region, category, kind, channel, the public
status at the snapshot, handling days (accepted → replied, calendar days;
empty if not replied), whether the acceptance decision was timely and whether
the reply was on time (``true`` / ``false``; empty where the rule does not
apply or the clock is still running), and the evaluation. Nothing finer than
the month, and no case id, query code, agency or note. Rows are sorted by
their values, so their order says nothing of case ids or arrival.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sunshine.cases.calendar import local_date
from sunshine.cases.stages import ordered_events, status_from_ordered
from sunshine.statistics.anonymity import WITHHELD, Anonymised, Fine, anonymise, hidden_cells
from sunshine.statistics.disclosure import Published
from sunshine.statistics.indicator_rules import CaseFacts, month_of

__all__ = ["COLUMNS", "FILE", "Microdata", "build", "case_row", "schema", "write_cases_csv"]

FILE = "cases.csv"
COLUMNS = (
    "period",
    "region",
    "category",
    "kind",
    "channel",
    "status",
    "handling_days",
    "acceptance_timely",
    "reply_on_time",
    "evaluation",
)
_SEP = "\t"  # kept rows are the fields joined by a tab (never in a code)


def _flag(timely: bool | None) -> str:
    return "" if timely is None else ("true" if timely else "false")


def _clean(value: Any) -> str:
    return "" if value is None else str(value).replace(_SEP, " ")


def _on_or_before(at: Any, cut: str, as_of: date) -> bool:
    # The registry writes Shanghai times ("+08:00"): their first ten characters are
    # the local date, compared as text (a build does this for every event).
    if isinstance(at, str) and at.endswith("+08:00"):
        return at[:10] <= cut
    return local_date(at) <= as_of


def case_row(case: Mapping[str, Any], facts: CaseFacts, as_of: date) -> str:
    """The case's row before anonymisation: stored values, month of receipt, as kept text."""
    cut = as_of.isoformat()
    events = ordered_events(case.get("events") or [])
    status = status_from_ordered([e for e in events if _on_or_before(e["at"], cut, as_of)])
    reply = facts.reply.timely(as_of) if facts.reply is not None else None
    acceptance = facts.acceptance.timely(as_of) if facts.acceptance is not None else None
    return _SEP.join(
        (
            month_of(facts.received),
            _clean(facts.region),
            _clean(facts.category),
            _clean(case.get("kind")),
            _clean(facts.channel),
            status,
            "" if facts.handling_days is None else str(facts.handling_days),
            _flag(acceptance),
            _flag(reply),
            _clean(facts.evaluation),
        )
    )


@dataclass(frozen=True)
class Microdata:
    """The anonymised file's rows (distinct rows with their counts, sorted) and how."""

    rows: list[tuple[tuple[str, ...], int]]
    anonymised: Anonymised
    blanked: int
    """Published rows with a value withheld so no hidden table cell can be recovered."""

    @property
    def published(self) -> int:
        return sum(n for _, n in self.rows)

    def description(self) -> str:
        a = self.anonymised
        names = a.level.names()
        share = a.suppressed / a.total if a.total else 0.0
        return (
            f"One row per published case received, k-anonymous with k = {a.k} over period,"
            f" region, category, kind and channel: every combination of these five values"
            f" occurs at least {a.k} times. Generalisation applied (the same for every row):"
            f" period {names['period']}, region {names['region']}, category"
            f" {names['category']}, kind {names['kind']}, channel {names['channel']}."
            f" {a.suppressed} of {a.total} cases ({share:.1%}) are suppressed (left out)."
            f" So that no hidden cell of the aggregate tables can be recovered by counting"
            f" rows, a region, category or channel is withheld in every row of a period where"
            f" a received or online count inside it is hidden ({self.blanked} rows)."
            f" No case id, query code, agency, note or date finer than the month."
        )


def _sort_key(values: tuple[str, ...]) -> tuple[Any, ...]:
    days = values[6]
    return (*values[:6], int(days) if days else -1, *values[7:])


def build(
    kept: Mapping[str, int] | Iterable[tuple[str, int]],
    published: Iterable[Published],
    *,
    k: int,
    max_share: float,
    agency_regions: Mapping[str, str] | None = None,
    blank: bool = True,
) -> Microdata:
    """Anonymise the kept rows (text → count) against the published tables.

    ``agency_regions``: agency code → the region it serves (the agencies' code
    list), so hidden agency cells are kept hidden too.

    ``blank=False`` leaves out the differencing blanks: only for the tests that
    show they are needed.
    """
    items = kept.items() if isinstance(kept, Mapping) else kept
    full: Counter[tuple[str, ...]] = Counter()
    by_qi: Counter[Fine] = Counter()
    for text, n in items:
        values = tuple(text.split(_SEP))
        full[values] += n
        by_qi[values[:5]] += n  # type: ignore[index]
    hidden = hidden_cells(published, agency_regions) if blank else None
    result = anonymise(by_qi, hidden, k=k, max_share=max_share)
    out: Counter[tuple[str, ...]] = Counter()
    blanked = 0
    level = result.level
    for values, n in full.items():
        shown = result.shown.get(values[:5])  # type: ignore[arg-type]
        if shown is None:
            continue  # suppressed
        if (
            (shown[1] == WITHHELD and level.region < 2)
            or (shown[2] == WITHHELD and level.category < 1)
            or (shown[4] == WITHHELD and level.channel < 1)
        ):
            blanked += n
        out[(*shown, *values[5:])] += n
    rows = sorted(out.items(), key=lambda item: _sort_key(item[0]))
    return Microdata(rows, result, blanked)


def _csv_line(values: Iterable[str]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(values)
    return buffer.getvalue()


def write_cases_csv(data: Microdata, path: Path) -> Path:
    """Write the rows, each distinct row as many times as it occurs (UTF-8 with a BOM)."""
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        f.write(_csv_line(COLUMNS))
        for values, n in data.rows:
            f.write(_csv_line(values) * n)
    return path


def _field(name: str, kind: str, description: str, **constraints: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"name": name, "type": kind, "description": description}
    if constraints:
        out["constraints"] = constraints
    return out


def schema() -> dict[str, Any]:
    """The Table Schema of ``cases.csv``."""
    w = f" `{WITHHELD}` where generalised away or withheld against differencing."
    fields = [
        _field("period", "string", "When the case was received: a month (YYYY-MM), a quarter"
               " (YYYY-Qn) or a year (YYYY), as the file is generalised.", required=True,
               pattern=r"^\d{4}(-\d{2}|-Q[1-4])?$"),
        _field("region", "string", "Region code at the prefecture (or province) level;" + w,
               required=True),
        _field("category", "string", "Top-level category code;" + w, required=True),
        _field("kind", "string", "The kind of matter;" + w, required=True),
        _field("channel", "string", "The channel it came through;" + w, required=True),
        _field("status", "string", "The public status at the data's snapshot.", required=True),
        _field("handling_days", "integer", "Calendar days from acceptance to the reply;"
               " empty if not replied.", minimum=0),
        _field("acceptance_timely", "boolean", "Whether the acceptance decision came within"
               " 15 days; empty when left out or not yet due."),
        _field("reply_on_time", "boolean", "Whether the reply came within its limit (60 days"
               " plus extensions); empty where the limit does not apply or is not yet due."),
        _field("evaluation", "string", "The petitioner's evaluation as the registry records"
               " it (satisfied, basically_satisfied, unsatisfied); empty if none."),
    ]  # fmt: skip
    return {"fields": fields, "missingValues": [""]}
