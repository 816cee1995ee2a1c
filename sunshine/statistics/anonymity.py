"""k-anonymity of the case-level file: generalisation, differencing blanks, suppression.

Pure rules, no I/O: :mod:`sunshine.statistics.microdata` builds the rows and
writes ``cases.csv``; :mod:`sunshine.statistics.value_blanks` applies the rule
for the value columns stated here. The quasi-identifiers are a case's received month,
region, category, kind and channel (:data:`QI`).

Generalisation (full-domain, Samarati and Sweeney)
==================================================

Each quasi-identifier has a ladder of levels; a :class:`Level` picks one rung
per quasi-identifier for the whole file:

- period: month ``2025-07`` → quarter ``2025-Q3`` → year ``2025``;
- region: prefecture (the district code's first four digits + ``00``) →
  province (first two + ``0000``) → ``withheld``;
- category: top level (before the first dot) → ``withheld``;
- kind: as is → ``withheld``; channel: as is → ``withheld``.

The lowest rung is already coarser than the stored values (DESIGN.md). Of the
72 levels, :func:`anonymise` takes the lowest (fewest rungs climbed in all)
whose suppression stays within the bound; among levels of the same height the
one that suppresses fewest cases, ties broken towards keeping region and
category detail. Full-domain rather than per-cell (local) recoding, so that
every row of the file means the same thing and the generalisation can be
stated once, in the file's description and its ``period`` values.

Differencing blanks (before suppression)
========================================

The aggregate tables publish, per month and year and per region, category and
channel code, the cases received and those received online (``received``;
``online_share``'s numerator and denominator; ``repeat_rate``'s denominator),
with some cells hidden (:mod:`sunshine.statistics.disclosure`). Someone who
counts rows of ``cases.csv`` must learn no hidden cell. The rule, per period
bucket ``b`` of the file (a month, quarter or year) and per coarse unit
``u`` (a prefecture or province, a top category, a channel):

- if the received count of some fine code inside ``u`` in some month of ``b``
  is hidden, ``u``'s value is ``withheld`` in every row of ``b``;
- if only the online count of such a code is hidden (a withheld
  ``online_share`` whose denominator is published elsewhere), the rows of
  ``u`` in ``b`` show ``online`` and one partner channel (the commonest
  other) as one value, ``online|letter`` say: what is hidden is how many
  came online, not how many came. When ``online`` or the partner is itself
  withheld in ``b``, their channel is ``withheld``.

Agencies are not in the file, so moving a case between two agencies changes
nothing in it. Where an agency's cells equal its district's (one agency to a
district, as the tests' world assumes), the rule above covers them; what an
attacker may assume beyond that about which agency handles which region or
category is not modelled (as in :mod:`sunshine.statistics.disclosure`).

Why it suffices: the tables' hidden cells can change together (a cycle of the
disclosure graph) without changing any published cell. Realise such a change
on cases: move a case between two hidden cells of one month (same category,
channel and kind), or swap ``online`` and the partner channel between two
cases of two hidden online cells (alike in everything else). Every row that
changes is in a bucket where the unit it leaves and the unit it joins are
both shown as ``withheld`` (or its channel is shown as ``online|partner``
before and after), so the file reads the same, and so does every count taken
from it. A count over units that are shown is a sum of published cells; a
count over ``withheld`` is the total (published) minus those. Blanked values
are one more value for k-anonymity, which is applied after blanking, so
suppression (by the shown values only) cannot undo it.
``tests/test_microdata.py`` checks this with exact linear algebra on a world
with small cells.

Value columns (status, handling days, the clock flags, the evaluation)
=====================================================================

They are not quasi-identifiers and blanking them changes no k-anonymity
group, but their sums count cases in other months than receipt: the clock
flags by the month of the due date (``timely_acceptance_rate``,
``on_time_reply_rate``, numerator and denominator), handling days and the
evaluation by the month of reply (``mean_handling_days``'s count and sum, the
median's histogram; ``evaluation_rate``'s numerator, ``satisfaction_rate``,
``basic_satisfaction_rate``), the status at the snapshot (``backlog`` and
``overdue_open`` of the snapshot's month and year).
:data:`sunshine.statistics.value_blanks.DETERMINES` lists them, with why.

What the file gives about such a table: the sum of the column over any group
of rows. The month a row is counted in is not in the file and may be any
month from receipt on, so summing over received periods never isolates an
event month: the only table quantities a combination of row sums equals are
a coarse unit's totals over all time (``overall`` is published), which are the
sums of the year cells of the fine codes inside it. So the rule, per value
column ``c`` and coarse unit ``u`` (a prefecture or province, a top category,
a channel, as the file shows them):

- if a year cell of a table ``c`` determines is hidden for a fine code inside
  ``u``, ``c`` is ``withheld`` in every row of ``u`` received in that year or
  earlier (for the stocks at the snapshot: in every row of ``u``).

A year cell whose ``overall`` total is zero is zero for every code, which the
total already says, and blanks nothing. Month cells alone blank nothing.
Withholding only the rows received in the hidden cell's year would not be
sound: a case is counted in the month of its due date or reply, which may be a
later year than its receipt; it is never an earlier one, hence "or earlier".
At 100,000 demo cases, the year cells hidden are those of the first, partial
year, so the rows received then (about 6%) lose the clock flags, handling days
and evaluation, and the others keep them; withholding in every period (all
time) would have taken them from every row.

Why it suffices: take a hidden cycle of such a table (a change of its hidden
cells that keeps every published cell). Its change of each year cell is made
by moving the value between cases counted in two hidden year cells (a flag
from true to false in one and back in the other, days or ratings swapped, an
open case and a completed one; alike in everything else). A case counted in a
year was received in that year or earlier, so every changed row shows ``c``
as ``withheld`` before and after. Its change of the month cells within a year
is then made by moving cases' due or reply dates between those months (from
receipt on): no value the file shows changes. The file reads the same, so no
hidden cell of these tables is determined by it. ``tests/test_microdata.py``
checks this with exact linear algebra on a world of two years, unknowns
being the cases of each received cell counted in each month from receipt on
(or, for the reply clock, after the snapshot).

Suppression
===========

Rows whose shown quasi-identifiers occur fewer than ``k`` times are dropped.
When no level keeps the dropped share within ``max_share`` (a world with
fewer than ``k`` cases in every year, say), the level that drops fewest is
used and :attr:`Anonymised.within_bound` is False.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from itertools import product

from sunshine.statistics.disclosure import Published

__all__ = [
    "QI",
    "WITHHELD",
    "Anonymised",
    "Hidden",
    "Level",
    "Shower",
    "anonymise",
    "hidden_cells",
]

WITHHELD = "withheld"
ONLINE = "online"
QI = ("period", "region", "category", "kind", "channel")
PERIOD_LEVELS = ("month", "quarter", "year")
REGION_LEVELS = ("prefecture", "province", WITHHELD)
CATEGORY_LEVELS = ("top", WITHHELD)
KIND_LEVELS = ("kind", WITHHELD)
CHANNEL_LEVELS = ("channel", WITHHELD)
_RECEIVED_IN = {"received": "value", "online_share": "denominator", "repeat_rate": "denominator"}
_ONLINE_IN = {"online_share": "numerator"}
_DIMENSIONS = ("region", "category", "channel")

Fine = tuple[str, str, str, str, str]  # month, region, category, kind, channel as stored
Shown = tuple[str, str, str, str, str]  # period, region, category, kind, channel as published


@dataclass(frozen=True, order=True)
class Level:
    """One rung per quasi-identifier (0 = the finest published)."""

    period: int = 0
    region: int = 0
    category: int = 0
    kind: int = 0
    channel: int = 0

    @property
    def height(self) -> int:
        return self.period + self.region + self.category + self.kind + self.channel

    def names(self) -> dict[str, str]:
        """The rung of each quasi-identifier by name, e.g. ``{"period": "quarter", ...}``."""
        return {
            "period": PERIOD_LEVELS[self.period],
            "region": REGION_LEVELS[self.region],
            "category": CATEGORY_LEVELS[self.category],
            "kind": KIND_LEVELS[self.kind],
            "channel": CHANNEL_LEVELS[self.channel],
        }


LEVELS = tuple(
    Level(*rungs)
    for rungs in product(
        range(len(PERIOD_LEVELS)),
        range(len(REGION_LEVELS)),
        range(len(CATEGORY_LEVELS)),
        range(len(KIND_LEVELS)),
        range(len(CHANNEL_LEVELS)),
    )
)


def period_of(month: str, rung: int) -> str:
    if rung == 0:
        return month
    if rung == 1:
        return f"{month[:4]}-Q{(int(month[5:7]) - 1) // 3 + 1}"
    return month[:4]


def region_of(code: str, rung: int) -> str:
    if rung == 2 or not (len(code) == 6 and code.isdigit()):
        return WITHHELD if rung == 2 else code
    return code[:4] + "00" if rung == 0 else code[:2] + "0000"


def category_of(code: str, rung: int) -> str:
    return code.split(".", 1)[0] if rung == 0 else WITHHELD


@dataclass
class Hidden:
    """Hidden cells of the aggregate tables that rows of ``cases.csv`` could add up to.

    Per dimension (``region``, ``category``, ``channel``): month → fine codes
    whose received count (``received``) or, where that is published, online
    count (``online``) is hidden in every table that has it.
    """

    received: dict[str, dict[str, set[str]]] = field(default_factory=dict)
    online: dict[str, dict[str, set[str]]] = field(default_factory=dict)


class _Cell:
    """Whether one quantity is published anywhere, and whether it is hidden somewhere."""

    __slots__ = ("hidden", "shown")

    def __init__(self) -> None:
        self.shown = False
        self.hidden = False


def hidden_cells(published: Iterable[Published]) -> Hidden:
    """The hidden received and online counts of the published rows (months only).

    A quantity shown in one table (a received count published as a count though
    its rate is withheld) is not hidden: the tables already give it.
    """
    cells: dict[tuple[str, str, str, str], _Cell] = {}
    for row in published:
        if row.dimension not in _DIMENSIONS or len(row.period) != 7:
            continue
        indicator, ok = row.indicator, row.status == "ok"
        for what, table in (("received", _RECEIVED_IN), ("online", _ONLINE_IN)):
            if indicator in table:
                cell = cells.setdefault((what, row.dimension, row.period, row.code), _Cell())
                if ok:
                    cell.shown = True
                else:
                    cell.hidden = True
    hidden = Hidden()
    for (what, dimension, month, code), cell in cells.items():
        if cell.hidden and not cell.shown:
            target = hidden.received if what == "received" else hidden.online
            target.setdefault(dimension, {}).setdefault(month, set()).add(code)
    return hidden


def _units(level: Level, hidden: dict[str, dict[str, set[str]]]) -> set[tuple[str, str, str]]:
    """(dimension, period bucket, coarse unit) touched by a hidden fine cell."""
    coarse = {
        "region": lambda c: region_of(c, level.region),
        "category": lambda c: category_of(c, level.category),
        "channel": lambda c: c,
    }
    out: set[tuple[str, str, str]] = set()
    for dimension, months in hidden.items():
        for month, codes in months.items():
            bucket = period_of(month, level.period)
            out.update((dimension, bucket, coarse[dimension](c)) for c in codes)
    return out


class Shower:
    """Fine quasi-identifiers → shown ones at one level, blanks applied (memoised).

    Defined for every combination, present in the data or not: what an
    attacker who knows the rules can work out (the tests use it so).
    """

    def __init__(self, level: Level, hidden: Hidden | None, partner: str | None = None) -> None:
        self.level = level
        self.partner = partner
        self.blank_received = _units(level, hidden.received) if hidden else set()
        self.blank_online = _units(level, hidden.online) if hidden else set()
        # Few distinct months, units and channels: each is judged once, not once a row.
        self._bucket: dict[str, str] = {}
        self._unit: dict[tuple[str, str, str], tuple[str, bool]] = {}
        self._channel: dict[tuple[str, str], str] = {}

    def __call__(self, fine: Fine) -> Shown:
        month, region, category, kind, channel = fine
        lv = self.level
        bucket = self._bucket.get(month)
        if bucket is None:
            bucket = self._bucket[month] = period_of(month, lv.period)
        r, r_online = self._judge("region", bucket, region)
        c, c_online = self._judge("category", bucket, category)
        z = self._channel.get((bucket, channel))
        if z is None:
            blank = lv.channel == 1 or ("channel", bucket, channel) in self.blank_received
            z = self._channel[(bucket, channel)] = WITHHELD if blank else channel
        # Online counts are judged by the row's own units, whatever is shown for
        # them (a region withheld for its received count still shows the channel).
        if r_online or c_online:
            z = self._merged(bucket, channel)
        return (bucket, r, c, kind if lv.kind == 0 else WITHHELD, z)

    def _merged(self, bucket: str, channel: str) -> str:
        """The channel shown where an online count is hidden: ``online`` and the partner
        channel as one value (``online|letter``), the others as they are; everything
        withheld when either of the two is itself hidden in ``bucket``."""
        partner = self.partner
        plain = self._channel.get((bucket, channel), WITHHELD)
        if (
            partner is None
            or self.level.channel == 1
            or ("channel", bucket, ONLINE) in self.blank_received
            or ("channel", bucket, partner) in self.blank_received
        ):
            return WITHHELD
        return f"{ONLINE}|{partner}" if channel in (ONLINE, partner) else plain

    def _judge(self, dimension: str, bucket: str, code: str) -> tuple[str, bool]:
        """The unit shown for ``code`` in ``bucket``, and whether its online count is hidden."""
        key = (dimension, bucket, code)
        judged = self._unit.get(key)
        if judged is None:
            if dimension == "region":
                unit = region_of(code, self.level.region)
            else:
                unit = category_of(code, self.level.category)
            if unit == WITHHELD:
                judged = (WITHHELD, False)
            else:
                shown = WITHHELD if (dimension, bucket, unit) in self.blank_received else unit
                judged = (shown, (dimension, bucket, unit) in self.blank_online)
            self._unit[key] = judged
        return judged


@dataclass(frozen=True)
class Anonymised:
    """The level applied and what it did."""

    level: Level
    k: int
    total: int
    suppressed: int
    within_bound: bool
    partner: str | None
    """The channel shown together with ``online`` where an online count is hidden."""
    shown: Mapping[Fine, Shown]
    """Each fine quasi-identifier's shown values (suppressed ones left out)."""


def _base(fine: Fine) -> Fine:
    """The finest published level (prefecture, top category): every rung and blank is a
    function of it, so the lattice is searched over these far fewer combinations."""
    month, region, category, kind, channel = fine
    return (month, region_of(region, 0), category_of(category, 0), kind, channel)


def _evaluate(
    level: Level, counts: Mapping[Fine, int], hidden: Hidden | None, k: int, partner: str | None
) -> tuple[int, Shower, Counter[Shown]]:
    show = Shower(level, hidden, partner)
    groups: Counter[Shown] = Counter()
    for base, n in counts.items():
        groups[show(base)] += n
    return sum(n for n in groups.values() if n < k), show, groups


def anonymise(
    counts: Mapping[Fine, int],
    hidden: Hidden | None,
    *,
    k: int,
    max_share: float,
) -> Anonymised:
    """Choose the level for cases counted by fine quasi-identifiers (see the module docstring).

    ``hidden`` is :func:`hidden_cells` of the published tables; None switches
    the differencing blanks off (for the tests that show they are needed).
    """
    total = sum(counts.values())
    base_of = {fine: _base(fine) for fine in counts}
    base_counts: Counter[Fine] = Counter()
    for fine, n in counts.items():
        base_counts[base_of[fine]] += n
    # The commonest other channel: merged with online, it hides online counts at the
    # least cost to what the file shows.
    channels: Counter[str] = Counter()
    for base, n in base_counts.items():
        if base[4] != ONLINE:
            channels[base[4]] += n
    ranked = sorted(channels.items(), key=lambda item: (-item[1], item[0]))
    partner = ranked[0][0] if ranked else None
    Choice = tuple[tuple[int, ...], Level, Shower, Counter[Shown], int]
    best: Choice | None = None
    chosen: Choice | None = None
    by_height: dict[int, list[Level]] = {}
    for level in LEVELS:
        by_height.setdefault(level.height, []).append(level)
    for height in sorted(by_height):
        for level in by_height[height]:
            suppressed, show, groups = _evaluate(level, base_counts, hidden, k, partner)
            # Prefer fewest dropped; then keep region, category, channel, kind, period detail.
            key = (
                suppressed,
                level.region,
                level.category,
                level.channel,
                level.kind,
                level.period,
            )
            choice = (key, level, show, groups, suppressed)
            if best is None or key < best[0]:
                best = choice
            if suppressed <= max_share * total and (chosen is None or key < chosen[0]):
                chosen = choice
        if chosen is not None:
            break
    within = chosen is not None
    picked = chosen or best
    assert picked is not None
    _, level, show, groups, suppressed = picked
    shown = {fine: s for fine, base in base_of.items() if groups[s := show(base)] >= k}
    return Anonymised(level, k, total, suppressed, within, partner, shown)
