"""Chinese numerals as legal texts write them (第一千二百六十条), and the lists of
numbered provisions a text cites (本条例第二十条、第二十六条; 前款第(二)项至第(四)项).

Laws number their parts, chapters, sections, articles, paragraphs and items in
Chinese numerals (一 … 九, 十, 百, 千, 零 or 〇, and 两 as a variant of 二 before
百 and 千), into the thousands (the Civil Code has 1260 articles). Only the
standard forms are accepted, so that a typo in a text (十十, 一百十, a stray 零)
is reported instead of silently becoming some other number.

This is the project's one converter both ways: :func:`chinese_numeral` reads,
:func:`render_chinese_numeral` writes (article labels, the templates' ``chinese``
filter, search titles, tracker labels, error messages). Written here rather than
taken from a library because the libraries that read Chinese numbers (cn2an and
the like) accept loose forms too, and the parser needs a numeral it can refuse.
"""

from __future__ import annotations

import re

DIGITS = dict(zip("一二三四五六七八九", range(1, 10), strict=True)) | {"两": 2}
# Every character a numeral may contain; regexes that look for numbers in
# running text use this set and leave validation to chinese_numeral().
NUMERAL_CHARS = "一二两三四五六七八九十百千零〇"
_RENDER_DIGITS = "零一二三四五六七八九"
_UNITS = {"十": 10, "百": 100, "千": 1000}


def chinese_numeral(text: str) -> int:
    """The value (1–9999) of a Chinese numeral in its standard form.

    ``"十一"`` = 11, ``"一百零五"`` = 105, ``"一百一十"`` = 110, ``"两百"`` = 200,
    ``"一千零五"`` = 1005, ``"一千〇五"`` = 1005, ``"一千二百六十"`` = 1260.
    Anything else raises ValueError.

    The value is read leniently (each digit times the unit after it), then the
    numeral is accepted only if it is the standard form of that value, so the
    rules of the form live in one place, :func:`render_chinese_numeral`.
    """
    error = ValueError(f"not a Chinese numeral: {text!r}")
    if not text or any(ch not in NUMERAL_CHARS for ch in text):
        raise error
    value, digit = 0, None
    for ch in text:
        if ch in _UNITS:
            value += (1 if digit is None else digit) * _UNITS[ch]
            digit = None
        elif ch in DIGITS:
            if digit is not None:  # 一二: two digits in a row
                raise error
            digit = DIGITS[ch]
    value += digit or 0
    # 两 is a variant of 二 only before 百 and 千 (两百, 两千); 〇 is a variant of 零.
    normal = "二" if text == "两" else re.sub("两(?=[百千])", "二", text).replace("〇", "零")
    if not 1 <= value <= 9999 or render_chinese_numeral(value) != normal:
        raise error
    return value


def render_chinese_numeral(n: int) -> str:
    """The standard form of ``n`` (1–9999): 十, 二十, 一百零五, 一百一十, 一千二百六十.

    十 stands alone only at the head (十五, but 一百一十五); one 零 stands for any
    run of zeros between digits (一千零五, 一千零一十) and none is written at the end
    (一千, 一千二百).
    """
    if not 1 <= n <= 9999:
        raise ValueError(f"out of range for a Chinese numeral: {n}")
    out = ""
    gap = False  # a zero digit since the last one written
    for place, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = n // place % 10
        if not digit:
            gap = gap or bool(out)
            continue
        if gap:
            out += "零"
            gap = False
        out += unit if unit == "十" and digit == 1 and not out else _RENDER_DIGITS[digit] + unit
    return out


# --- Numbered provisions a text cites --------------------------------------

_N = f"[{NUMERAL_CHARS}]+"
_SEP = "、|和|或者|或|以及|及|至|到"
_RANGE = ("至", "到")
_PREVIOUS = re.compile(r"(?<!提)前([二三两四五])?款")  # 前款, 前两款 (not 提前款项)
_ARTICLE = re.compile(rf"第({_N})条")
_PARAGRAPH = re.compile(rf"第({_N})款")
# A list of items must end in 项; the look-behind makes the regex give back a
# trailing "、第三十" that begins the next article rather than an item.
_IN = rf"(?:（{_N}）|\({_N}\)|{_N})"
_ITEMS = re.compile(rf"第{_IN}项?(?:(?:{_SEP})第?{_IN}项?)*(?<=项)")
_ITEM_NUMBER = re.compile(rf"({_SEP})?第?[（(]?({_N})")
_SEP_RE = re.compile(_SEP)

# (article, paragraph or None, item or None); paragraph None with an item means
# "the article's list of items", i.e. its first paragraph that has items.
Provision = tuple[int, int | None, int | None]
_Found = tuple[int, list[Provision]]  # where the citation ends, what it names


def _expand(numbers: list[int], n: int, ranged: bool) -> None:
    """Append ``n``; if ``ranged`` (the text said 至), also the numbers between the
    last one and ``n``: 第二项至第四项 names 第三项 too."""
    first = numbers[-1] + 1 if ranged and numbers else n
    numbers.extend(range(min(first, n), n + 1))


def _items(text: str, pos: int, art: int, para: int | None) -> _Found | None:
    m = _ITEMS.match(text, pos)
    if not m:
        return None
    numbers: list[int] = []
    for sep, numeral in _ITEM_NUMBER.findall(m[0]):
        _expand(numbers, chinese_numeral(numeral), sep in _RANGE)
    return m.end(), [(art, para, i) for i in numbers]


def _sequence(text: str, pos: int, unit: re.Pattern[str], art: int | None) -> _Found | None:
    """A list of articles (``art`` None) or of paragraphs of article ``art``, each
    maybe narrowed to paragraphs or items."""
    specs: list[Provision] = []
    sep = ""
    bare: list[int] = []  # numbers a 至 may continue: 第十条至第十二条
    while m := unit.match(text, pos):
        n, pos = chinese_numeral(m[1]), m.end()
        if art is None:  # 第十条第二款, 第三十一条第六项
            narrowed = _sequence(text, pos, _PARAGRAPH, n) or _items(text, pos, n, None)
        else:
            narrowed = _items(text, pos, art, n)
        if narrowed:
            pos = narrowed[0]
            specs.extend(narrowed[1])
            bare = []
        else:
            new = len(bare)
            _expand(bare, n, sep in _RANGE)
            specs.extend((k, None, None) if art is None else (art, k, None) for k in bare[new:])
        s = _SEP_RE.match(text, pos)
        if not (s and unit.match(text, s.end())):
            break
        sep, pos = s[0], s.end()
    return (pos, specs) if specs else None


def cited_provisions(text: str, pos: int, article: int, paragraph: int) -> _Found | None:
    """Where the citation at ``pos`` ends and the provisions it names, for a text in
    ``paragraph`` of ``article``: 第二十条、第二十六条; 第十条第二款; 第(二)项至第(四)项;
    第三、四项; 本条第一款第一项; 前款; 前两款. None if no citation starts at ``pos``;
    ValueError if one has a malformed numeral. Numbers are not checked to exist."""
    if m := _PREVIOUS.match(text, pos):
        count = chinese_numeral(m[1]) if m[1] else 1
        if count == 1 and (items := _items(text, m.end(), article, paragraph - 1)):
            return items
        return m.end(), [(article, k, None) for k in range(paragraph - count, paragraph)]
    if text.startswith("本条", pos) and not text.startswith("本条例", pos):
        return _sequence(text, pos + 2, _PARAGRAPH, article)
    if _ARTICLE.match(text, pos):
        return _sequence(text, pos, _ARTICLE, None)
    if _PARAGRAPH.match(text, pos):  # a bare 第二款 is this article's
        return _sequence(text, pos, _PARAGRAPH, article)
    return _items(text, pos, article, paragraph)  # a bare 第二项 is this paragraph's
