"""``/data/cases.csv``: one row per published case, k-anonymous (DESIGN.md, open data).

A case's row (:func:`case_row`) depends only on the case and the data's
snapshot date, like its contribution to the counters, so the indicators' cache
keeps it beside the contribution (:mod:`plugins.indicators.cache`) with the
same validity (kept at prefecture and top category, never finer than
published); a build reads the kept rows and counts them by value, anonymises them
in memory (:mod:`sunshine.statistics.anonymity`) and writes each distinct row
as many times as it occurs.

Columns (:data:`COLUMNS`): the period received (a month, or the quarter or
year the file is generalised to), region, category, kind, channel, the public
status at the snapshot, handling days (accepted → replied, calendar days;
empty if not replied), whether the acceptance decision was timely and whether
the reply was on time (``true`` / ``false``; empty where the rule does not
apply or the clock is still running), and the evaluation; a value column is
``withheld`` where its sums could give a hidden table cell away
(:mod:`sunshine.statistics.value_blanks`). Nothing finer than the month, and no
case id, query code, agency or note. Rows are sorted by
their text, so their order says nothing of case ids or arrival.
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
from sunshine.statistics.anonymity import (
    WITHHELD,
    Anonymised,
    Fine,
    anonymise,
    category_of,
    hidden_cells,
    region_of,
)
from sunshine.statistics.disclosure import Published
from sunshine.statistics.indicator_rules import CaseFacts, month_of
from sunshine.statistics.value_blanks import VALUE_COLUMNS, ValueBlanks, hidden_value_cells

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
    """The case's row before anonymisation, as kept text: month of receipt, prefecture, top
    category, kind, channel, then the other columns."""
    cut = as_of.isoformat()
    events = ordered_events(case.get("events") or [])
    status = status_from_ordered([e for e in events if _on_or_before(e["at"], cut, as_of)])
    reply = facts.reply.timely(as_of) if facts.reply is not None else None
    acceptance = facts.acceptance.timely(as_of) if facts.acceptance is not None else None
    return _SEP.join(
        (
            month_of(facts.received),
            # Kept no finer than ever published: the cache holds less, and a million
            # cases give tens of thousands of combinations instead of hundreds.
            _clean(region_of(facts.region, 0)),
            _clean(category_of(facts.category, 0)),
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
    """The anonymised file: its distinct lines with how many cases each, sorted; and how."""

    lines: list[tuple[str, int]]
    """CSV lines (with their newline) in the file's order, each with its number of cases."""
    anonymised: Anonymised
    blanked: int
    """Published rows with a value withheld so no hidden table cell can be recovered."""
    withheld_values: Mapping[str, int]
    """Per value column, the published rows that show it as ``withheld``."""

    @property
    def published(self) -> int:
        return sum(n for _, n in self.lines)

    def description(self) -> str:
        a = self.anonymised
        names = a.level.names()
        share = a.suppressed / a.total if a.total else 0.0
        short = "" if a.within_bound else " No generalisation leaves out fewer: too few cases."
        return (
            f"One row per published case received, k-anonymous with k = {a.k} over period,"
            f" region, category, kind and channel: every combination of these five values"
            f" occurs at least {a.k} times. Generalisation applied (the same for every row):"
            f" period {names['period']}, region {names['region']}, category"
            f" {names['category']}, kind {names['kind']}, channel {names['channel']}."
            f" {a.suppressed} of {a.total} cases ({share:.1%}) are suppressed (left out).{short}"
            f" So that no hidden cell of the aggregate tables can be recovered by counting"
            f" rows, a region, category or channel is withheld in every row of a period where"
            f" a received count inside it is hidden, and where only an online count is,"
            f" online and {a.partner or 'another channel'} are shown as one value"
            f" ({self.blanked} rows in all). Likewise the status, handling days, clock"
            f" flags or evaluation are withheld in the rows of a region, category or channel"
            f" received in or before a year whose cell of a table they add up to is hidden"
            f" ({self._values()})."
            f" No case id, query code, agency, note or date finer than the month."
            f" Rows are sorted by their text."
        )

    def _values(self) -> str:
        n = self.published
        return ", ".join(
            f"{column} in {self.withheld_values.get(column, 0)} rows"
            f" ({self.withheld_values.get(column, 0) / n if n else 0.0:.1%})"
            for column in VALUE_COLUMNS
        )


def _csv_line(values: Iterable[str]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(values)
    return buffer.getvalue()


class _Rest:
    """The non-identifying fields' CSV text, memoised: few distinct values recur."""

    def __init__(self) -> None:
        self.memo: dict[str, str] = {}

    def __call__(self, rest: str) -> str:
        text = self.memo.get(rest)
        if text is None:
            if any(c in rest for c in ',"\r\n'):
                text = _csv_line(rest.split(_SEP))
            else:
                text = rest.replace(_SEP, ",") + "\n"
            self.memo[rest] = text
        return text


def build(
    kept: Mapping[str, int] | Iterable[str],
    published: Iterable[Published],
    *,
    k: int,
    max_share: float,
    blank: bool = True,
    blank_values: bool = True,
) -> Microdata:
    """Anonymise the kept rows (one text per case, or text → count) against the published tables.

    ``blank=False`` leaves out the differencing blanks, ``blank_values=False`` those
    of the value columns only: for the tests that show they are needed. Everything is
    done on text and on distinct values, not on a tuple per case: a million cases take a
    few seconds.
    """
    counts = kept if isinstance(kept, Mapping) else Counter(kept)
    by_qi, grouped = _by_quasi_identifiers(counts)
    published = list(published)
    hidden = hidden_cells(published) if blank else None
    result = anonymise(by_qi, hidden, k=k, max_share=max_share)
    level = result.level
    values = ValueBlanks(level, hidden_value_cells(published) if blank and blank_values else None)
    prefixes: dict[Fine, str] = {}
    blanked = 0
    for fine, shown in result.shown.items():
        prefixes[fine] = _csv_line(shown)[:-1] + ","
        if (
            (shown[1] == WITHHELD and level.region < 2)
            or (shown[2] == WITHHELD and level.category < 1)
            or (shown[4] == WITHHELD and level.channel < 1)
            or "|" in shown[4]
        ):
            blanked += by_qi[fine]
    rest_text = _Rest()
    out: dict[str, int] = {}
    withheld: Counter[str] = Counter()
    for fine, rests in grouped:
        prefix = prefixes.get(fine)
        if prefix is None:  # suppressed
            continue
        columns = values(fine)
        for column in columns:
            withheld[column] += by_qi[fine]
        for rest, n in rests:
            line = prefix + rest_text(_withhold(rest, columns) if columns else rest)
            out[line] = out.get(line, 0) + n
    return Microdata(sorted(out.items()), result, blanked, dict(withheld))


def _by_quasi_identifiers(
    counts: Mapping[str, int],
) -> tuple[Counter[Fine], list[tuple[Fine, list[tuple[str, int]]]]]:
    """Cases per combination of quasi-identifiers, and each combination's other fields
    (the rest of its rows' text) with their counts.

    Most rows are distinct (handling days, flags) and their combinations far fewer, so
    each combination is split into its values and judged once, not once a row.
    """
    by_text: dict[str, list[tuple[str, int]]] = {}
    cases: dict[str, int] = {}
    for text, n in counts.items():
        rest = text.split(_SEP, 5)[5]
        qi_text = text[: len(text) - len(rest) - 1]
        rests = by_text.get(qi_text)
        if rests is None:
            rests = by_text[qi_text] = []
        rests.append((rest, n))
        cases[qi_text] = cases.get(qi_text, 0) + n
    by_qi: Counter[Fine] = Counter()
    grouped: list[tuple[Fine, list[tuple[str, int]]]] = []
    for qi_text, rests in by_text.items():
        month, region, category, kind, channel = qi_text.split(_SEP)
        fine = (month, region, category, kind, channel)
        by_qi[fine] = cases[qi_text]
        grouped.append((fine, rests))
    return by_qi, grouped


def _withhold(rest: str, columns: frozenset[str]) -> str:
    """The kept value fields with ``columns`` replaced by the withheld marker."""
    fields = rest.split(_SEP)
    for i, column in enumerate(VALUE_COLUMNS):
        if column in columns:
            fields[i] = WITHHELD
    return _SEP.join(fields)


def write_cases_csv(data: Microdata, path: Path) -> Path:
    """Write the rows, each distinct line as many times as it occurs (UTF-8 with a BOM)."""
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        f.write(_csv_line(COLUMNS))
        f.writelines(line * n for line, n in data.lines)
    return path


def _field(name: str, kind: str, description: str, **constraints: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"name": name, "type": kind, "description": description}
    if constraints:
        out["constraints"] = constraints
    return out


def schema() -> dict[str, Any]:
    """The Table Schema of ``cases.csv``."""
    w = f" `{WITHHELD}` where generalised away or withheld against differencing."
    v = (
        f" `{WITHHELD}` in the rows of a region, category or channel received in or before"
        " a year whose cell of a table it adds up to is hidden."
    )
    fields = [
        _field("period", "string", "When the case was received: a month (YYYY-MM), a quarter"
               " (YYYY-Qn) or a year (YYYY), as the file is generalised.", required=True,
               pattern=r"^\d{4}(-\d{2}|-Q[1-4])?$"),
        _field("region", "string", "Region code at the prefecture (or province) level;" + w,
               required=True),
        _field("category", "string", "Top-level category code;" + w, required=True),
        _field("kind", "string", "The kind of matter;" + w, required=True),
        _field("channel", "string", "The channel it came through; `online|<channel>` (online"
               " or that channel) in periods and units whose online count is hidden;" + w,
               required=True),
        _field("status", "string", "The public status at the data's snapshot;" + v,
               required=True),
        _field("handling_days", "integer", "Calendar days from acceptance to the reply;"
               " empty if not replied;" + v, minimum=0),
        _field("acceptance_timely", "boolean", "Whether the acceptance decision came within"
               " 15 days; empty when left out or not yet due;" + v),
        _field("reply_on_time", "boolean", "Whether the reply came within its limit (60 days"
               " plus extensions); empty where the limit does not apply or is not yet due;" + v),
        _field("evaluation", "string", "The petitioner's evaluation as the registry records"
               " it (satisfied, basically_satisfied, unsatisfied); empty if none;" + v),
    ]  # fmt: skip
    for f in fields:
        if f["name"] in ("handling_days", "acceptance_timely", "reply_on_time"):
            # Not an integer or boolean: a missing value of these fields only (a field's
            # own missingValues, Table Schema v2), so the quasi-identifiers, which are
            # required, keep `withheld` as a value.
            f["missingValues"] = ["", WITHHELD]
    return {"fields": fields, "missingValues": [""]}
