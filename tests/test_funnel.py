"""Funnel plot limits (Spiegelhalter 2005, exact binomial) against hand computations."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sunshine.statistics.disclosure import Published
from sunshine.statistics.funnel import (
    control_limit,
    funnel,
    has_funnel,
    limits,
    position,
)

# n = 20, p0 = 0.5. Binomial(20, 1/2): F(r) = Σ_{k≤r} C(20, k) / 2^20 (2^20 = 1,048,576).
#   Cumulative sums of C(20, k): r=2: 211, r=3: 1,351, r=5: 21,700, r=6: 60,460,
#   r=13: 988,116, r=14: 1,026,876, r=16: 1,047,225, r=17: 1,048,365.
#   P = 0.975: F(13) = 0.942341 < P <= F(14) = 0.979305, so r = 14;
#     α = (0.979305 − 0.975) / (0.979305 − 0.942341) = 0.004305 / 0.036964 = 0.116471;
#     limit = (14 − 0.116471) / 20 = 0.694176.
#   P = 0.025: F(5) = 0.020695 < P <= F(6) = 0.057659, so r = 6;
#     α = (0.057659 − 0.025) / 0.036964 = 0.883529; limit = (6 − 0.883529) / 20 = 0.255824.
#   P = 0.999: F(16) = 0.998712 < P <= F(17) = 0.999799, so r = 17;
#     α = (0.999799 − 0.999) / (0.999799 − 0.998712) = 0.000799 / 0.001087 = 0.734716;
#     limit = (17 − 0.734716) / 20 = 0.813264.
#   P = 0.001: F(2) = 0.000201 < P <= F(3) = 0.001288, so r = 3;
#     α = (0.001288 − 0.001) / (0.001288 − 0.000201) = 0.265284; limit = 2.734716 / 20 = 0.136736.
#   (Symmetric about 0.5, as p0 = 0.5 must be: 0.694176 + 0.255824 = 0.813264 + 0.136736 = 1.)
#
# n = 100, p0 = 0.1. F(r) = Σ_{k≤r} C(100, k) 0.1^k 0.9^(100−k).
#   P = 0.975: F(15) = 0.960109 < P <= F(16) = 0.979401, so r = 16;
#     α = (0.979401 − 0.975) / (0.979401 − 0.960109) = 0.004401 / 0.019292 = 0.228139;
#     limit = (16 − 0.228139) / 100 = 0.157719 (the normal approximation says 0.1588).
#   P = 0.025: F(4) = 0.023711 < P <= F(5) = 0.057577, so r = 5;
#     α = (0.057577 − 0.025) / (0.057577 − 0.023711) = 0.961940; limit = 4.038060 / 100 = 0.040381.
#   P = 0.999: F(19) = 0.998021 < P <= F(20) = 0.999192, so r = 20;
#     α = (0.999192 − 0.999) / (0.999192 − 0.998021) = 0.164328; limit = 19.835672 / 100 = 0.198357.
#   P = 0.001: F(1) = 0.000322 < P <= F(2) = 0.001945, so r = 2;
#     α = (0.001945 − 0.001) / (0.001945 − 0.000322) = 0.582113; limit = 1.417887 / 100 = 0.014179.
#
# n = 1, p0 = 0.1 (the edge: one case). F(0) = 0.9, F(1) = 1.
#   P = 0.975: F(0) < P, so r = 1; α = (1 − 0.975) / (1 − 0.9) = 0.25; limit = 0.75.
#   P = 0.999: r = 1; α = 0.001 / 0.1 = 0.01; limit = 0.99.
#   P = 0.025: F(0) = 0.9 >= P, so r = 0; α = (0.9 − 0.025) / 0.9 = 0.972; limit = −0.972,
#     clipped to 0: a single case can never be below the limits.
HAND = [
    (20, 0.5, 0.694176, 0.255824, 0.813264, 0.136736),
    (100, 0.1, 0.157719, 0.040381, 0.198357, 0.014179),
    (1, 0.1, 0.75, 0.0, 0.99, 0.0),
]


@pytest.mark.parametrize(("n", "p0", "upper95", "lower95", "upper998", "lower998"), HAND)
def test_limits_match_the_hand_computation(
    n: int, p0: float, upper95: float, lower95: float, upper998: float, lower998: float
) -> None:
    got = limits(n, p0)
    assert got.upper_95 == pytest.approx(upper95, abs=2e-6)
    assert got.lower_95 == pytest.approx(lower95, abs=2e-6)
    assert got.upper_998 == pytest.approx(upper998, abs=2e-6)
    assert got.lower_998 == pytest.approx(lower998, abs=2e-6)


@pytest.mark.parametrize("p0", [0.0, 1.0])
@pytest.mark.parametrize("n", [1, 20, 1000])
def test_a_target_of_0_or_1_has_no_spread(n: int, p0: float) -> None:
    got = limits(n, p0)
    assert got.lower_998 == got.lower_95 == got.upper_95 == got.upper_998 == p0
    # Anything but the target itself is then outside.
    assert position(n if p0 else 0, n, p0) == "within"
    assert position(n - 1 if p0 else 1, n, p0) == ("below-99.8" if p0 else "above-99.8")


def test_rejects_what_is_not_a_proportion() -> None:
    with pytest.raises(ValueError):
        control_limit(0, 0.5, 0.975)
    with pytest.raises(ValueError):
        control_limit(10, 1.5, 0.975)
    with pytest.raises(ValueError):
        position(11, 10, 0.5)


@given(
    n=st.integers(min_value=1, max_value=5000),
    p0=st.floats(min_value=0.001, max_value=0.999),
)
def test_limits_are_nested_and_around_the_target(n: int, p0: float) -> None:
    got = limits(n, p0)
    assert 0.0 <= got.lower_998 <= got.lower_95 <= got.upper_95 <= got.upper_998 <= 1.0
    # The interpolated quantile can sit a fraction of a case short of the target.
    assert got.lower_95 <= p0 + 1 / n
    assert got.upper_95 >= p0 - 1 / n


@given(
    n=st.integers(min_value=1, max_value=5000),
    p0=st.floats(min_value=0.001, max_value=0.999),
    factor=st.integers(min_value=2, max_value=50),
)
def test_the_funnel_narrows_as_the_denominator_grows(n: int, p0: float, factor: int) -> None:
    """Exact limits wobble from one n to the next (discreteness), so the property is
    over a factor of two or more: more cases, a narrower band, for both limits.
    Where a limit is clipped at 0 or 1 the band is cut, not narrower, so those are left out."""
    small, large = limits(n, p0), limits(n * factor, p0)
    for lower, upper in (("lower_95", "upper_95"), ("lower_998", "upper_998")):
        lo, hi = getattr(small, lower), getattr(small, upper)
        if lo <= 0.0 or hi >= 1.0:
            continue
        width = getattr(large, upper) - getattr(large, lower)
        assert width <= hi - lo + 1e-12


def test_classification_by_the_mid_p_rule_computed_by_hand() -> None:
    # n = 20, p0 = 0.5, with C(20, k) / 2^20 as above. A count x is above the P limit
    # when P(X > x) + P(X = x) / 2 < 1 − P (its middle, x − 0.5, beyond the limit).
    #   x = 14: P(X > 14) = 21,700 / 2^20 = 0.020695, P(X = 14) = 38,760 / 2^20 = 0.036964:
    #     0.020695 + 0.018482 = 0.039177 > 0.025: within (70% is over the 69.4% curve by
    #     less than half a case; the exact one-sided P(X >= 14) = 0.0577 agrees).
    #   x = 15: 6,196 / 2^20 + 15,504 / 2^20 / 2 = 0.005909 + 0.007393 = 0.013302: above 95%.
    #   x = 16: 1,351 / 2^20 + 4,845 / 2^20 / 2 = 0.001288 + 0.002310 = 0.003599: above 95%.
    #   x = 17: 211 / 2^20 + 1,140 / 2^20 / 2 = 0.000201 + 0.000544 = 0.000745 < 0.001:
    #     above 99.8%.
    # Below, by symmetry: 6 within, 5 and 4 below 95%, 3 below 99.8%.
    assert position(10, 20, 0.5) == "within"
    assert position(14, 20, 0.5) == "within"
    assert position(15, 20, 0.5) == "above-95"
    assert position(16, 20, 0.5) == "above-95"
    assert position(17, 20, 0.5) == "above-99.8"
    assert position(6, 20, 0.5) == "within"
    assert position(5, 20, 0.5) == "below-95"
    assert position(4, 20, 0.5) == "below-95"
    assert position(3, 20, 0.5) == "below-99.8"
    # 38 of 38 against 98.3%: P(X = 38) = 0.983^38 = 0.52, the likeliest result, so
    # within, although 100% is above the curve (0.99995) by a hair.
    assert limits(38, 0.983).upper_998 < 1.0
    assert position(38, 38, 0.983) == "within"


def _row(code: str, numerator: int | None, denominator: int | None, status: str) -> Published:
    value = numerator / denominator if numerator is not None and denominator else None
    return Published(
        "2025", "agency", code, "satisfaction_rate", value, numerator, denominator, status
    )  # type: ignore[arg-type]


def test_funnel_plots_published_rows_only() -> None:
    overall = Published("2025", "overall", "all", "satisfaction_rate", 0.5, 500, 1000, "ok")
    rows = [
        _row("a", 18, 20, "ok"),
        _row("b", 50, 100, "ok"),
        _row("c", None, None, "withheld"),
        _row("d", None, None, "suppressed"),
    ]
    got = funnel(overall, rows, {"a": "甲局", "b": "乙局"})
    assert got is not None
    assert got.target == 0.5
    assert [(u.name, u.position) for u in got.units] == [
        ("甲局", "above-99.8"),
        ("乙局", "within"),
    ]
    assert [u.code for u in got.outliers] == ["a"]


def test_no_funnel_for_ratios_of_events_or_a_withheld_total() -> None:
    assert not has_funnel("review_rate")
    assert not has_funnel("rereview_rate")
    assert not has_funnel("received")
    assert has_funnel("timely_acceptance_rate")
    review = Published("2025", "overall", "all", "review_rate", 1.2, 12, 10, "ok")
    assert funnel(review, [], {}) is None
    hidden = Published("2025", "overall", "all", "satisfaction_rate", None, None, None, "withheld")
    assert funnel(hidden, [], {}) is None
