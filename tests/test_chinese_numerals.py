"""Chinese numerals and the lists of provisions texts cite, without a document.

The property tests render numbers with a renderer written here from the rules
of the standard form, independent of the module's own (digit by digit, then the
zeros collapsed), compare, and parse them back.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sunshine.regulations.chinese_numerals import (
    Provision,
    chinese_numeral,
    cited_provisions,
    render_chinese_numeral,
)

DIGITS = "零一二三四五六七八九"


def standard_form(n: int) -> str:
    """十一, 二十, 一百零五, 一百一十, 一千零五: the way laws number their articles.

    Each digit with its unit, zeros as 零; then a run of 零 becomes one, none is
    left at the end, and a leading 一十 is written 十.
    """
    digits = str(n)
    units = ["千", "百", "十", ""][-len(digits) :]
    pairs = zip(digits, units, strict=True)
    text = "".join("零" if d == "0" else DIGITS[int(d)] + u for d, u in pairs)
    text = re.sub("零+", "零", text).rstrip("零")
    return text.removeprefix("一") if text.startswith("一十") else text


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("一", 1),
        ("九", 9),
        ("十", 10),
        ("十一", 11),
        ("十九", 19),
        ("二十", 20),
        ("二十二", 22),
        ("两", 2),
        ("九十九", 99),
        ("一百", 100),
        ("一百零五", 105),
        ("一百一十", 110),
        ("一百一十五", 115),
        ("两百", 200),
        ("二百零一", 201),
        ("九百九十九", 999),
        ("一千", 1000),
        ("两千", 2000),
        ("一千零五", 1005),
        ("一千〇五", 1005),
        ("一千零一十", 1010),
        ("一千二百六十", 1260),
        ("九千九百九十九", 9999),
    ],
)
def test_valid_numerals(text: str, value: int) -> None:
    assert chinese_numeral(text) == value


@pytest.mark.parametrize(
    "text",
    [
        "",
        "零",
        "百",
        "十十",
        "一百十",
        "一百零",
        "一百零十",
        "二十零",
        "一二",
        "十一十",
        "一千零",
        "一千零零五",
        "一千十",
        "千",
        "一万",
        "两十",
        "二十两",
        "5",
        "第一",
        "一 ",
    ],
)
def test_invalid_numerals(text: str) -> None:
    with pytest.raises(ValueError, match="Chinese numeral"):
        chinese_numeral(text)


@given(st.integers(min_value=1, max_value=9999))
def test_standard_form_round_trips(n: int) -> None:
    assert chinese_numeral(standard_form(n)) == n
    assert render_chinese_numeral(n) == standard_form(n)


@given(st.integers(min_value=1, max_value=9999))
def test_render_matches_the_standard_form_into_the_thousands(n: int) -> None:
    assert render_chinese_numeral(n) == standard_form(n)


@pytest.mark.parametrize(
    ("n", "text"),
    [
        (1, "一"),
        (10, "十"),
        (15, "十五"),
        (20, "二十"),
        (34, "三十四"),
        (100, "一百"),
        (105, "一百零五"),
        (110, "一百一十"),
        (115, "一百一十五"),
        (200, "二百"),
        (1000, "一千"),
        (1001, "一千零一"),
        # One 零 for a run of zeros, whether one or two digits long.
        (1005, "一千零五"),
        (1010, "一千零一十"),
        (1015, "一千零一十五"),
        (1100, "一千一百"),
        (1105, "一千一百零五"),
        (1260, "一千二百六十"),
        (2000, "二千"),
        (9999, "九千九百九十九"),
    ],
)
def test_rendered_forms(n: int, text: str) -> None:
    assert render_chinese_numeral(n) == text


@pytest.mark.parametrize("n", [0, 10000, -1])
def test_render_out_of_range(n: int) -> None:
    with pytest.raises(ValueError):
        render_chinese_numeral(n)


@given(st.integers(min_value=1, max_value=9999))
def test_reading_inverts_rendering(n: int) -> None:
    # The one converter, both ways: what it writes it reads back, 〇 as 零 too.
    assert chinese_numeral(render_chinese_numeral(n)) == n
    assert chinese_numeral(render_chinese_numeral(n).replace("零", "〇")) == n


@pytest.mark.parametrize(
    ("text", "end", "provisions"),
    [
        ("第二十二条规定", 5, [(22, None, None)]),
        ("第二十二条第二款", 8, [(22, 2, None)]),
        ("第三十一条第六项的规定", 8, [(31, None, 6)]),
        ("第十条第二款第三项", 9, [(10, 2, 3)]),
        ("第二十条、第二十六条规定的", 10, [(20, None, None), (26, None, None)]),
        (
            "第十条至第十三条",
            8,
            [(10, None, None), (11, None, None), (12, None, None), (13, None, None)],
        ),
        ("第十条第一款、第二款", 10, [(10, 1, None), (10, 2, None)]),
        ("第十四条第一款、第十五条", 12, [(14, 1, None), (15, None, None)]),
        ("第三十一条第六项、第三十二条", 14, [(31, None, 6), (32, None, None)]),
        ("前款规定", 2, [(5, 2, None)]),
        ("前两款", 3, [(5, 1, None), (5, 2, None)]),
        ("前款第(二)项至第(四)项规定", 13, [(5, 2, 2), (5, 2, 3), (5, 2, 4)]),
        ("前款第二项、第三项", 9, [(5, 2, 2), (5, 2, 3)]),
        ("前款第三、四项", 7, [(5, 2, 3), (5, 2, 4)]),
        ("前款第（一）项", 7, [(5, 2, 1)]),
        ("本条第一款第一项", 8, [(5, 1, 1)]),
        ("第二款", 3, [(5, 2, None)]),
        ("第四项", 3, [(5, 3, 4)]),
    ],
)
def test_cited_provisions(text: str, end: int, provisions: list[Provision]) -> None:
    # Cited from paragraph 3 of article 5.
    assert cited_provisions(text, 0, 5, 3) == (end, provisions)


@pytest.mark.parametrize("text", ["本条例", "第一次会议", "提前款项", "第十二届", "本条规定"])
def test_not_a_citation(text: str) -> None:
    assert cited_provisions(text, 0, 5, 3) is None


def test_malformed_numeral_in_a_citation() -> None:
    with pytest.raises(ValueError):
        cited_provisions("第十十条", 0, 5, 3)
