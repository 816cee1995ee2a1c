"""Disclosure control: primary and complementary suppression, and the differencing checker."""

from __future__ import annotations

from collections import defaultdict
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from sunshine.statistics.disclosure import (
    Published,
    Row,
    primary_violations,
    protect,
    recoverable,
    recoverable_cells,
)

KINDS = {"received": "count", "resolved_rate": "rate", "days": "mean"}


def count(period: str, dimension: str, code: str, n: int, indicator: str = "received") -> Row:
    return Row(period, dimension, code, indicator, n, n, None)


def rate(period: str, dimension: str, code: str, n: int, d: int) -> Row:
    return Row(period, dimension, code, "resolved_rate", n / d if d else None, n, d)


def partition(period: str, cells: dict[str, int], dimension: str = "region") -> list[Row]:
    """An overall count and its breakdown."""
    rows = [count(period, "overall", "all", sum(cells.values()))]
    rows += [count(period, dimension, code, n) for code, n in cells.items()]
    return rows


def by_code(published: list[Published], period: str | None = None) -> dict[str, Published]:
    return {
        p.code: p
        for p in published
        if p.dimension != "overall" and (period is None or p.period == period)
    }


def shown(p: Published) -> bool:
    return p.status == "ok"


def publish_as_is(rows: list[Row], hide: set[tuple[str, str]]) -> list[Published]:
    """Rows published with the given (period, code) cells suppressed and no other care."""
    out = []
    for r in rows:
        if (r.period, r.code) in hide and r.dimension != "overall":
            out.append(
                Published(
                    r.period, r.dimension, r.code, r.indicator, None, None, None, "suppressed"
                )
            )
        else:
            out.append(
                Published(
                    r.period,
                    r.dimension,
                    r.code,
                    r.indicator,
                    r.value,
                    r.numerator,
                    r.denominator,
                    "ok",
                )
            )
    return out


# --------------------------------------------------------------------------
# Hand-built tables


def test_small_count_is_suppressed_and_gets_the_smallest_other_non_zero_as_complement():
    out = protect(partition("2024-03", {"A": 3, "B": 10, "C": 7, "D": 12}), KINDS)
    cells = by_code(out)
    assert cells["A"].status == "suppressed"
    assert cells["A"].value is None and cells["A"].numerator is None
    assert cells["C"].status == "suppressed"  # 7: the smallest other non-zero cell
    assert shown(cells["B"]) and cells["B"].value == 10
    assert shown(cells["D"]) and cells["D"].value == 12
    assert recoverable(out, KINDS) == []


def test_zeros_stay_shown_and_are_not_used_as_complements():
    out = protect(partition("2024-03", {"A": 3, "B": 0, "C": 8, "D": 12}), KINDS)
    cells = by_code(out)
    assert shown(cells["B"]) and cells["B"].value == 0
    assert [c for c, p in cells.items() if not shown(p)] == ["A", "C"]


def test_a_zero_is_used_as_complement_only_when_nothing_else_will_do():
    out = protect(partition("2024-03", {"A": 3, "B": 0}), KINDS)
    cells = by_code(out)
    assert cells["A"].status == cells["B"].status == "suppressed"
    assert recoverable(out, KINDS) == []


def test_five_is_shown_and_four_is_not():
    out = protect(partition("2024", {"A": 5, "B": 4, "C": 1, "D": 30}), KINDS)
    cells = by_code(out)
    assert shown(cells["A"]) and shown(cells["D"])
    # two primaries protect each other: no complement is needed
    assert cells["B"].status == cells["C"].status == "suppressed"


def test_rate_denominator_19_is_withheld_and_20_is_shown():
    rows = [
        rate("2024-03", "overall", "all", 45, 100),
        rate("2024-03", "region", "A", 10, 19),
        rate("2024-03", "region", "B", 10, 20),
        rate("2024-03", "region", "C", 5, 21),
        rate("2024-03", "region", "D", 20, 40),
    ]
    cells = by_code(protect(rows, KINDS))
    a = cells["A"]
    assert a.status == "withheld" and (a.value, a.numerator, a.denominator) == (None, None, None)
    assert shown(cells["B"]) and (cells["B"].numerator, cells["B"].denominator) == (10, 20)
    assert cells["B"].value == 0.5
    # the complement: its numerator (5) is the smallest, and the whole row goes
    assert cells["C"].status == "withheld" and cells["C"].denominator is None
    assert shown(cells["D"])


def test_rate_with_a_small_numerator_is_withheld_and_zero_numerator_shown():
    rows = [
        rate("2024", "region", "A", 3, 50),
        rate("2024", "region", "B", 0, 20),
        rate("2024", "region", "C", 30, 60),
    ]
    cells = by_code(protect(rows, KINDS))  # no overall row: no differencing possible
    assert cells["A"].status == "withheld"
    assert shown(cells["B"]) and cells["B"].value == 0
    assert shown(cells["C"])


def test_mean_needs_twenty_cases():
    rows = [
        Row("2024", "overall", "all", "days", 30.0, None, 50),
        Row("2024", "region", "A", "days", 12.5, None, 19),
        Row("2024", "region", "B", "days", 40.0, None, 20),
        Row("2024", "region", "C", "days", 31.0, None, 11),
    ]
    cells = by_code(protect(rows, KINDS))
    assert cells["A"].status == cells["C"].status == "withheld"
    assert shown(cells["B"]) and cells["B"].value == 40.0


def test_overall_is_never_suppressed():
    rows = [
        count("2024-03", "overall", "all", 3),
        count("2024-03", "region", "A", 3),
        rate("2024-03", "overall", "all", 1, 2),
    ]
    out = protect(rows, KINDS)
    overall = [p for p in out if p.dimension == "overall"]
    assert all(shown(p) for p in overall)
    assert overall[0].value == 3 and overall[1].denominator == 2
    # a dimension with a single code equals the total: nothing below the
    # overall level can protect it, and the checker says so
    assert by_code(out)["A"].status == "suppressed"
    [leak] = recoverable(out, KINDS)
    assert "2024-03 region=A received.value" in leak


def test_month_year_differencing_is_blocked():
    months = {"2024-01": (10, 12), "2024-02": (2, 9), "2024-03": (15, 11)}
    rows = []
    for period, (a, b) in months.items():
        rows += partition(period, {"A": a, "B": b})
    rows += partition("2024", {"A": 27, "B": 32})
    out = protect(rows, KINDS)
    assert recoverable(out, KINDS) == []
    hidden = {(p.period, p.code) for p in out if not shown(p)}
    # A and B of February, plus the cheapest other month (A 10 + B 12 < 15 + 11)
    assert hidden == {("2024-02", "A"), ("2024-02", "B"), ("2024-01", "A"), ("2024-01", "B")}
    assert all(shown(p) for p in out if p.period == "2024")


def test_the_checker_finds_differencing_on_unprotected_tables():
    rows = partition("2024-03", {"A": 3, "B": 10, "C": 7})
    [leak] = recoverable(publish_as_is(rows, {("2024-03", "A")}), KINDS)
    assert leak.startswith("2024-03 region=A received.value is recoverable")
    assert "total minus" in leak


def test_the_checker_finds_month_year_differencing():
    # February suppressed in both regions: no row differencing, but each
    # region's year minus its other months gives its February.
    rows = []
    for period, (a, b) in {"2024-01": (10, 12), "2024-02": (2, 9)}.items():
        rows += partition(period, {"A": a, "B": b})
    rows += partition("2024", {"A": 12, "B": 21})
    leaks = recoverable_cells(publish_as_is(rows, {("2024-02", "A"), ("2024-02", "B")}), KINDS)
    assert {(leak.period, leak.code) for leak in leaks} == {("2024-02", "A"), ("2024-02", "B")}
    # hiding A's year as well leaves it alone in the year row: still a chain
    leaks = recoverable_cells(
        publish_as_is(rows, {("2024-02", "A"), ("2024-02", "B"), ("2024", "A")}), KINDS
    )
    assert {(leak.period, leak.code) for leak in leaks} == {
        ("2024-02", "A"),
        ("2024-02", "B"),
        ("2024", "A"),
    }


def test_two_cycles_joined_by_one_cell_leak_that_cell():
    # Every period and every year column has two or more hidden cells, yet the
    # cell joining the two blocks is determined: the line rule is not enough.
    grid = {
        "2024-01": {"A": 5, "B": 6, "C": 7, "D": 8},
        "2024-02": {"A": 5, "B": 6, "C": 7, "D": 8},
        "2024-03": {"A": 5, "B": 6, "C": 7, "D": 8},
        "2024-04": {"A": 5, "B": 6, "C": 7, "D": 8},
    }
    rows = []
    for period, cells in grid.items():
        rows += partition(period, cells)
    rows += partition("2024", {c: 20 + 4 * i for i, c in enumerate("ABCD")})
    hide = {("2024-01", "A"), ("2024-01", "B"), ("2024-02", "A"), ("2024-02", "B"),
            ("2024-03", "C"), ("2024-03", "D"), ("2024-04", "C"), ("2024-04", "D"),
            ("2024-02", "C")}  # fmt: skip
    leaks = recoverable_cells(publish_as_is(rows, hide), KINDS)
    assert [(leak.period, leak.code) for leak in leaks] == [("2024-02", "C")]
    assert primary_violations(publish_as_is(rows, hide), KINDS) == []


def test_primary_violations_flags_small_published_counts():
    rows = partition("2024", {"A": 3, "B": 10})
    assert len(primary_violations(publish_as_is(rows, set()), KINDS)) == 1


# --------------------------------------------------------------------------
# Properties

small_or_large = st.one_of(st.integers(0, 6), st.integers(0, 60))


@st.composite
def year_tables(draw: st.DrawFn) -> list[Row]:
    """Counts and rates by region for some months of a year, with totals and the year."""
    regions = [f"R{i}" for i in range(draw(st.integers(2, 5)))]
    months = [f"2024-{m:02d}" for m in range(1, draw(st.integers(1, 6)) + 1)]
    with_year = draw(st.booleans())
    rows: list[Row] = []
    year_n: dict[str, int] = defaultdict(int)
    year_rate: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for month in months:
        cells = {r: draw(small_or_large) for r in regions}
        rows += partition(month, cells)
        for r, n in cells.items():
            year_n[r] += n
        fractions = {}
        for r in regions:
            d = draw(st.integers(0, 40))
            n = draw(st.integers(0, d))
            fractions[r] = (n, d)
            year_rate[r][0] += n
            year_rate[r][1] += d
        total_n = sum(n for n, _ in fractions.values())
        total_d = sum(d for _, d in fractions.values())
        rows.append(rate(month, "overall", "all", total_n, total_d))
        rows += [rate(month, "region", r, n, d) for r, (n, d) in fractions.items()]
    if with_year:
        rows += partition("2024", dict(year_n))
        rows.append(
            rate("2024", "overall", "all", *map(sum, zip(*year_rate.values(), strict=True)))
        )
        rows += [rate("2024", "region", r, n, d) for r, (n, d) in year_rate.items()]
    return rows


@settings(max_examples=300, deadline=None)
@given(year_tables())
def test_protected_tables_are_safe(rows: list[Row]):
    out = protect(rows, KINDS)
    assert recoverable(out, KINDS) == []
    assert primary_violations(out, KINDS) == []
    for row, p in zip(rows, out, strict=True):
        if row.dimension == "overall":
            assert shown(p) and (p.value, p.numerator, p.denominator) == (
                row.value, row.numerator, row.denominator)  # fmt: skip
        elif shown(p):
            assert (p.value, p.numerator, p.denominator) == (
                row.value, row.numerator, row.denominator)  # fmt: skip
            if KINDS[p.indicator] == "count":
                assert p.value is not None and not 1 <= p.value <= 4
        else:
            assert (p.value, p.numerator, p.denominator) == (None, None, None)


def determined(published: list[Published], indicator: str, column: str) -> set[tuple[str, str]]:
    """Independent oracle: the hidden cells the linear equations pin down, by row reduction."""
    cells = {(p.period, p.code): getattr(p, column) for p in published
             if p.dimension != "overall" and p.indicator == indicator}  # fmt: skip
    totals = {p.period for p in published if p.dimension == "overall"
              and p.indicator == indicator and getattr(p, column) is not None}  # fmt: skip
    unknown = sorted(k for k, v in cells.items() if v is None)
    if not totals and len(unknown) == len(cells):
        return set()  # nothing of this column is published at all
    index = {k: i for i, k in enumerate(unknown)}
    codes = {c for _, c in cells}
    periods = {p for p, _ in cells}
    equations: list[list[Fraction]] = []

    def add(terms: list[tuple[tuple[str, str], int]]) -> None:
        eq = [Fraction(0)] * len(unknown)
        for key, sign in terms:
            if key in index:
                eq[index[key]] += sign
        equations.append(eq)

    for period in totals & periods:
        add([((period, c), 1) for c in codes])
    for year in {p for p in periods if len(p) == 4}:
        months = [p for p in periods if p.startswith(year + "-")]
        if months:
            for c in codes:
                add([((year, c), 1)] + [((m, c), -1) for m in months])
    # reduced row echelon form
    pivots: list[int] = []
    rank = 0
    for col in range(len(unknown)):
        pivot = next((r for r in range(rank, len(equations)) if equations[r][col] != 0), None)
        if pivot is None:
            continue
        equations[rank], equations[pivot] = equations[pivot], equations[rank]
        lead = equations[rank][col]
        equations[rank] = [x / lead for x in equations[rank]]
        for r in range(len(equations)):
            if r != rank and equations[r][col] != 0:
                f = equations[r][col]
                equations[r] = [
                    x - f * y for x, y in zip(equations[r], equations[rank], strict=True)
                ]
        pivots.append(col)
        rank += 1
    found = set()
    for r, col in enumerate(pivots):
        if all(x == 0 for i, x in enumerate(equations[r]) if i != col):
            found.add(unknown[col])
    return found


@st.composite
def masked_tables(draw: st.DrawFn) -> list[Published]:
    regions = [f"R{i}" for i in range(draw(st.integers(1, 4)))]
    months = [f"2024-{m:02d}" for m in range(1, draw(st.integers(1, 4)) + 1)]
    periods = months + (["2024"] if draw(st.booleans()) else [])
    rows: list[Row] = []
    for period in periods:
        cells = {r: draw(st.integers(0, 9)) for r in regions if draw(st.integers(0, 5))}
        if draw(st.integers(0, 4)):
            rows.append(count(period, "overall", "all", sum(cells.values())))
        rows += [count(period, "region", r, n) for r, n in cells.items()]
    hide = {(r.period, r.code) for r in rows if draw(st.booleans())}
    return publish_as_is(rows, hide)


@settings(max_examples=400, deadline=None)
@given(masked_tables())
def test_checker_agrees_with_linear_algebra(published: list[Published]):
    leaks = {(leak.period, leak.code) for leak in recoverable_cells(published, KINDS)}
    assert leaks == determined(published, "received", "value")
