"""Disclosure control for the published statistics tables.

:func:`protect` turns the computed rows into the rows the site publishes;
:func:`recoverable` is an independent check (for tests and the build) that no
hidden value can be worked out exactly by adding and subtracting published
numbers.

Rows
====

A :class:`Row` is one cell: ``(period, dimension, code, indicator)`` with its
``value``, ``numerator`` and ``denominator``. ``dimension`` is ``"overall"``
(code ``"all"``) or a breakdown (``region``, ``category``, ``channel``,
``agency``, ...). ``period`` is a month ``"YYYY-MM"`` or a year ``"YYYY"``
(other labels are allowed and get no month/year relation). The kind of each
indicator is passed in ``kinds``: ``"count"`` (``value`` = ``numerator`` = a
number of cases), ``"rate"`` (``numerator / denominator``), ``"mean"`` or
``"median"`` (``value`` over ``denominator`` cases; a mean may carry its sum in
``numerator``).

Primary rules (breakdown rows only; ``overall`` rows are always published)
=========================================================================

* count: ``1 <= value <= 4`` → ``suppressed``. Zero is not sensitive and is
  shown. A missing value (``None``) → ``withheld``.
* rate: published only when ``denominator >= 20`` and the numerator is ``0`` or
  ``>= 5`` (the denominator is then ``>= 5`` too); otherwise the whole row is
  ``withheld`` (value, numerator and denominator hidden). A rate is never shown
  without its numerator and denominator, so a shown rate reveals nothing the
  counts do not.
* mean / median: published only when ``denominator >= 20``; otherwise
  ``withheld`` (all three fields hidden).

Hidden fields are set to ``None`` in :class:`Published`.

Complementary suppression
=========================

Per ``(dimension, indicator)`` and per additive column (a count's ``value``;
the ``numerator`` and ``denominator`` of the other kinds) the published numbers
obey these linear equations, which an attacker is assumed to know:

* period: for each period whose ``overall`` cell is published, the breakdown
  cells of that period sum to it;
* year: for each code, the year cell equals the sum of the month cells of that
  year, whenever the table has both a year and at least one month of it.

Cells that do not exist are taken as known zeros, and the equations are
assumed to hold even where they may not (stock indicators such as
``backlog`` are not sums of months; ``agency`` may not partition the total).
Both assumptions only ever give the attacker more, so they err on the safe
side.

The hidden cells then form a graph: a node per period (or a single "ground"
node for periods without a published total), a node per (year, code) (or
ground, when there is no year equation), and an edge per hidden cell. The
equations are the signed incidence matrix of that graph, so the unknowns
left free are exactly the cycle space: **a hidden cell can be recovered
exactly iff its edge is a bridge** (lies on no cycle). This covers one
suppressed cell in a period (row differencing), one suppressed month in a year
(time differencing) and every combination of the two.

:func:`protect` repeatedly finds a bridge and hides the cheapest chain of
published cells that closes a cycle through it (a shortest path between the
two sides of the bridge, each published cell costing its value, a zero
costing more than any non-zero cell so that zeros are used only as a last
resort). For a single-period table this is the brief's "suppress the smallest
other non-zero cell"; with a year table it is the usual rectangle of four
cells (or a month and the year). Complementary cells get ``suppressed`` (counts)
or ``withheld`` (other kinds; the whole row is hidden, numerator and
denominator together).

Convergence: every step hides at least one more cell (a bridge's two sides are
not connected by other hidden cells, so the path contains a published one) and
nothing is ever un-hidden, so the loop ends after at most as many steps as
there are cells. It ends with no bridge left unless a bridge is one in the
graph of *all* cells as well (for example a dimension with a single code, whose
cell equals the overall total): no suppression below the overall level can
protect it, it is left as it is and :func:`recoverable` reports it.

Limitations
===========

* Only exact linear recovery is prevented. Bounds are not: knowing that cells
  are non-negative and that a suppressed cell is 1–4 can narrow a hidden value
  to an interval (or, rarely, a single value).
* Relations between indicators are not modelled: a rate whose denominator is
  another indicator's count (or whose numerator is), or two rates sharing a
  denominator, are protected separately. Declare such pairs to be consistent
  upstream, or publish the underlying counts as count indicators only.
* Relations between dimensions beyond the shared overall total (cross
  tabulations such as region × category) are not modelled.
* For rates the complement ``denominator - numerator`` is not checked: 19 of 20
  satisfied is published and reveals one dissatisfied case.
* Mean and median values are protected only through their ``numerator`` and
  ``denominator`` columns (a mean is recoverable only with its sum and count).
"""

from __future__ import annotations

import heapq
import math
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal, NamedTuple

from sunshine.statistics.indicators import Row  # one row type from computation to publication

__all__ = [
    "MIN_COUNT",
    "MIN_DENOMINATOR",
    "Leak",
    "Published",
    "Row",
    "primary_violations",
    "protect",
    "recoverable",
    "recoverable_cells",
]

OVERALL = "overall"
MIN_COUNT = 5  # counts 1..MIN_COUNT-1 are suppressed
MIN_DENOMINATOR = 20  # rates, means, medians need at least this many cases
KINDS = frozenset({"count", "rate", "mean", "median"})
ZERO_COST = 1e15  # a zero is used as a complement only when nothing else will do

Status = Literal["ok", "suppressed", "withheld"]
Column = Literal["value", "numerator", "denominator"]


class Published(NamedTuple):
    """A row as published: hidden fields ``None``, ``status`` saying why.

    A named tuple, like :class:`~sunshine.statistics.indicators.Row`: a million
    cases give a quarter of a million of these, made in the statistics process
    and sent to the build's; a tuple is rebuilt from the pipe several times
    faster than a frozen dataclass.
    """

    period: str
    dimension: str
    code: str
    indicator: str
    value: float | None
    numerator: int | None
    denominator: int | None
    status: Status


@dataclass(frozen=True)
class Leak:
    """A hidden cell that the published numbers determine exactly."""

    period: str
    dimension: str
    code: str
    indicator: str
    column: Column
    how: str

    def __str__(self) -> str:
        return (
            f"{self.period} {self.dimension}={self.code} {self.indicator}.{self.column}"
            f" is recoverable: {self.how}"
        )


# --------------------------------------------------------------------------
# Periods


def _year_of(period: str) -> str | None:
    """``"2024"`` for ``"2024"`` and ``"2024-03"``; ``None`` for other labels."""
    if len(period) == 4 and period.isdigit():
        return period
    if len(period) == 7 and period[:4].isdigit() and period[4] == "-" and period[5:].isdigit():
        return period[:4]
    return None


def _is_year(period: str) -> bool:
    return len(period) == 4 and period.isdigit()


def _columns(kind: str) -> tuple[Column, ...]:
    return ("value",) if kind == "count" else ("numerator", "denominator")


def _kind(kinds: Mapping[str, str], indicator: str) -> str:
    kind = kinds.get(indicator)
    if kind not in KINDS:
        raise ValueError(f"indicator {indicator!r}: kind {kind!r} is not one of {sorted(KINDS)}")
    return kind


# --------------------------------------------------------------------------
# The graph of one table (dimension, indicator, column)

Node = tuple[str, ...]
GROUND: Node = ("ground",)
_GROUND_ID = 0  # GROUND is always node 0 of a table


@dataclass
class _Cell:
    index: int  # position in the caller's list
    period: str
    code: str
    amount: float | None  # the column's value (None: unknown)
    hidden: bool


class _Table:
    """The cells of one (dimension, indicator, column) and their equations.

    Nodes are numbered (``GROUND`` is 0) and both adjacency lists are built
    once: an agency table has tens of thousands of cells, and rebuilding the
    graph for every bridge made protection quadratic in the table's size.
    """

    def __init__(self, cells: list[_Cell], totals_known: set[str]) -> None:
        self.cells = cells
        periods = {c.period for c in cells}
        years_with_months = {_year_of(p) for p in periods if not _is_year(p)}
        # The year equation exists for a year that has a year table and months.
        year_equations = {p for p in periods if _is_year(p) and p in years_with_months}
        self.nodes: list[Node] = [GROUND]
        ids: dict[Node, int] = {GROUND: _GROUND_ID}

        def node_id(node: Node) -> int:
            found = ids.get(node)
            if found is None:
                found = ids[node] = len(self.nodes)
                self.nodes.append(node)
            return found

        years = {p: _year_of(p) for p in periods}
        self.end_ids: list[tuple[int, int]] = []
        for cell in cells:
            row: Node = ("period", cell.period) if cell.period in totals_known else GROUND
            year = years[cell.period]
            col: Node = ("year", year, cell.code) if year in year_equations else GROUND
            self.end_ids.append((node_id(row), node_id(col)))
        self.costs = [_cost(c.amount) for c in cells]
        self.adj: list[list[tuple[int, int]]] = [[] for _ in self.nodes]
        self.hidden_adj: list[list[tuple[int, int]]] = [[] for _ in self.nodes]
        # Union-find over the hidden cells: which nodes they join at all.
        self._parent = list(range(len(self.nodes)))
        for i, (u, v) in enumerate(self.end_ids):
            self.adj[u].append((v, i))
            self.adj[v].append((u, i))
            if cells[i].hidden:
                self._join(i)

    def _find(self, node: int) -> int:
        parent = self._parent
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    def _join(self, position: int) -> None:
        u, v = self.end_ids[position]
        self.hidden_adj[u].append((v, position))
        self.hidden_adj[v].append((u, position))
        ru, rv = self._find(u), self._find(v)
        if ru != rv:
            self._parent[max(ru, rv)] = min(ru, rv)

    def ends(self, position: int) -> tuple[Node, Node]:
        u, v = self.end_ids[position]
        return self.nodes[u], self.nodes[v]

    def hidden_edges(self) -> list[tuple[int, int, int]]:
        return [(*self.end_ids[i], i) for i, c in enumerate(self.cells) if c.hidden]

    def bridges(self) -> list[int]:
        """Positions (in ``cells``) of the hidden cells that are recoverable."""
        return sorted(_bridges(self.hidden_edges()))

    def hide(self, position: int) -> None:
        cell = self.cells[position]
        if not cell.hidden:
            cell.hidden = True
            self._join(position)

    def _smaller_side(self, bridge: int) -> set[int] | None:
        """The nodes on the smaller side of ``bridge``; None if it is no bridge (any more).

        Both sides are searched in turns, so the cost is that of the smaller
        one: the other is often most of an agency table.
        """
        a, b = self.end_ids[bridge]
        seen: tuple[set[int], set[int]] = ({a}, {b})
        todo: tuple[list[int], list[int]] = ([a], [b])
        adj = self.hidden_adj
        while True:
            for k in (0, 1):
                if not todo[k]:
                    return seen[k]
                u = todo[k].pop()
                mine, theirs = seen[k], seen[1 - k]
                for v, i in adj[u]:
                    if i == bridge or v in mine:
                        continue
                    if v in theirs:
                        return None  # joined without it: not a bridge
                    mine.add(v)
                    todo[k].append(v)

    def close_cycle(self, bridge: int) -> list[int] | None:
        """The cheapest published cells whose hiding puts ``bridge`` on a cycle.

        ``[]`` when ``bridge`` is not (or no longer) a bridge; None when no
        path exists at all.
        """
        side = self._smaller_side(bridge)
        if side is None:
            return []
        # The other side: the rest of the hidden cells' component.
        root = self._find(self.end_ids[bridge][0])
        find = self._find
        cells, costs, adj = self.cells, self.costs, self.adj
        # Dijkstra from the smaller side to the other; ties broken by push
        # order, the same in every process.
        dist: dict[int, float] = dict.fromkeys(side, 0.0)
        via: dict[int, tuple[int, int]] = {}
        heap: list[tuple[float, int, int]] = [(0.0, k, n) for k, n in enumerate(sorted(side))]
        counter = len(heap)
        done: set[int] = set()
        while heap:
            d, _, u = heapq.heappop(heap)
            if u in done:
                continue
            done.add(u)
            if u not in side and find(u) == root:
                path: list[int] = []
                while u in via:
                    u, i = via[u]
                    if not cells[i].hidden:
                        path.append(i)
                return path
            for v, i in adj[u]:
                if i == bridge or v in done:
                    continue
                nd = d if cells[i].hidden else d + costs[i]
                if nd < dist.get(v, math.inf):
                    dist[v] = nd
                    via[v] = (u, i)
                    counter += 1
                    heapq.heappush(heap, (nd, counter, v))
        return None


def _cost(amount: float | None) -> float:
    if amount is None:
        return 0.0
    return ZERO_COST if amount == 0 else float(amount)


def _bridges(edges: Iterable[tuple[int, int, int]]) -> set[int]:
    """Ids of the bridges of a multigraph (iterative Tarjan; loops never are)."""
    adj: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for u, v, i in edges:
        if u != v:
            adj[u].append((v, i))
            adj[v].append((u, i))
    disc: dict[int, int] = {}
    low: dict[int, int] = {}
    found: set[int] = set()
    clock = 0
    for root in list(adj):
        if root in disc:
            continue
        disc[root] = low[root] = clock
        clock += 1
        stack: list[tuple[int, int, Iterator[tuple[int, int]]]] = [(root, -1, iter(adj[root]))]
        while stack:
            u, parent_edge, it = stack[-1]
            for v, i in it:
                if i == parent_edge:
                    continue
                if v in disc:
                    low[u] = min(low[u], disc[v])
                else:
                    disc[v] = low[v] = clock
                    clock += 1
                    stack.append((v, i, iter(adj[v])))
                    break
            else:
                stack.pop()
                if stack:
                    p = stack[-1][0]
                    low[p] = min(low[p], low[u])
                    if low[u] > disc[p]:
                        found.add(parent_edge)
    return found


def _groups(
    rows: Sequence[Row | Published],
    kinds: Mapping[str, str],
    hidden: list[bool],
) -> Iterator[tuple[str, str, list[tuple[Column, _Table]]]]:
    """Every (dimension, indicator) with its tables, one per column that carries data.

    A group's columns are tied (a rate's row is hidden whole), different
    groups are not: each group can be protected on its own.
    """
    totals: dict[tuple[str, str], Row | Published] = {}
    groups: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, r in enumerate(rows):
        if r.dimension == OVERALL:
            totals[(r.period, r.indicator)] = r
        else:
            groups[(r.dimension, r.indicator)].append(i)
    for (dimension, indicator), members in groups.items():
        kind = _kind(kinds, indicator)
        tables: list[tuple[Column, _Table]] = []
        for column in _columns(kind):
            known = {
                period
                for (period, ind), t in totals.items()
                if ind == indicator and getattr(t, column) is not None
            }
            cells = [
                _Cell(
                    i,
                    rows[i].period,
                    rows[i].code,
                    getattr(rows[i], column),
                    hidden[i] or getattr(rows[i], column) is None,
                )
                for i in members
            ]
            if not known and all(c.amount is None for c in cells):
                continue  # the column carries no data in this table
            tables.append((column, _Table(cells, known)))
        if tables:
            yield dimension, indicator, tables


def _tables(
    rows: Sequence[Row | Published],
    kinds: Mapping[str, str],
    hidden: list[bool],
) -> Iterator[tuple[str, str, Column, _Table]]:
    """Every (dimension, indicator, column) table with data in that column."""
    for dimension, indicator, tables in _groups(rows, kinds, hidden):
        for column, table in tables:
            yield dimension, indicator, column, table


# --------------------------------------------------------------------------
# protect


def _primary(row: Row, kind: str) -> Status:
    if row.dimension == OVERALL:
        return "ok"
    if kind == "count":
        if row.value is None:
            return "withheld"
        return "suppressed" if 1 <= row.value < MIN_COUNT else "ok"
    d = row.denominator
    if d is None or d < MIN_DENOMINATOR or row.value is None:
        return "withheld"
    if kind == "rate":
        n = row.numerator
        if n is None or 1 <= n < MIN_COUNT:
            return "withheld"
    return "ok"


def _publish(row: Row, status: Status) -> Published:
    if status == "ok":
        return Published(
            row.period,
            row.dimension,
            row.code,
            row.indicator,
            row.value,
            row.numerator,
            row.denominator,
            "ok",
        )
    return Published(row.period, row.dimension, row.code, row.indicator, None, None, None, status)


def protect(rows: list[Row], kinds: Mapping[str, str]) -> list[Published]:
    """The rows as published: primary suppression, then complementary suppression.

    The result is in the order of ``rows``. See the module docstring for the
    rules.
    """
    status: list[Status] = [_primary(r, _kind(kinds, r.indicator)) for r in rows]
    complementary: dict[str, Status] = {
        ind: ("suppressed" if kind == "count" else "withheld") for ind, kind in kinds.items()
    }
    unprotectable: set[tuple[str, str, int]] = set()  # (indicator, column, row index)
    hidden = [s != "ok" for s in status]
    for _dimension, indicator, tables in _groups(rows, kinds, hidden):
        # A row hidden in one column is hidden in the group's other columns
        # too, which may leave a bridge there: sweep until none is left.
        positions = [{c.index: p for p, c in enumerate(t.cells)} for _, t in tables]
        changed = True
        while changed:
            changed = False
            for column, table in tables:
                # One sweep over the bridges found at the start closes them all:
                # hiding cells only adds edges, which never makes a new bridge,
                # and each hidden chain lies on the cycle it closes.
                bridges = [
                    b
                    for b in table.bridges()
                    if (indicator, column, table.cells[b].index) not in unprotectable
                ]
                for bridge in bridges:
                    path = table.close_cycle(bridge)
                    if path is None:
                        unprotectable.add((indicator, column, table.cells[bridge].index))
                        continue
                    for p in path:
                        index = table.cells[p].index
                        for (_, other), position in zip(tables, positions, strict=True):
                            other.hide(position[index])
                        hidden[index] = True
                        status[index] = complementary[indicator]
                        changed = True
    return [_publish(r, s) for r, s in zip(rows, status, strict=True)]


# --------------------------------------------------------------------------
# Checks


def recoverable_cells(published: list[Published], kinds: Mapping[str, str]) -> list[Leak]:
    """Hidden breakdown cells that the published numbers determine exactly."""
    hidden = [p.status != "ok" for p in published]
    leaks: list[Leak] = []
    for dimension, indicator, column, table in _tables(published, kinds, hidden):
        degree: dict[int, int] = defaultdict(int)
        for u, v, _ in table.hidden_edges():
            degree[u] += 1
            degree[v] += 1
        for b in table.bridges():
            cell = table.cells[b]
            row, col = table.end_ids[b]
            if degree[row] == 1 and row != _GROUND_ID:
                how = f"the {cell.period} total minus the other published {dimension} cells"
            elif degree[col] == 1 and col != _GROUND_ID:
                how = f"the {_year_of(cell.period)} figures of {cell.code}, year minus months"
            else:
                how = "combining period totals with year = sum of months"
            leaks.append(Leak(cell.period, dimension, cell.code, indicator, column, how))
    return leaks


def recoverable(published: list[Published], kinds: Mapping[str, str]) -> list[str]:
    """Descriptions of the hidden values that differencing recovers (empty: safe)."""
    return [str(leak) for leak in recoverable_cells(published, kinds)]


def primary_violations(published: list[Published], kinds: Mapping[str, str]) -> list[str]:
    """Published breakdown cells that break the primary rules (empty: none)."""
    problems: list[str] = []
    for p in published:
        if p.dimension == OVERALL:
            continue
        if p.status != "ok":
            if (p.value, p.numerator, p.denominator) != (None, None, None):
                problems.append(f"{p.period} {p.dimension}={p.code} {p.indicator}: hidden but set")
            continue
        row = Row(p.period, p.dimension, p.code, p.indicator, p.value, p.numerator, p.denominator)
        if _primary(row, _kind(kinds, p.indicator)) != "ok":
            problems.append(
                f"{p.period} {p.dimension}={p.code} {p.indicator}: published but "
                f"value={p.value} numerator={p.numerator} denominator={p.denominator}"
            )
    return problems
