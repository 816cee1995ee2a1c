"""Scrub personal data out of staff-typed case notes before they are published.

Case notes (办理情况) are free text typed by staff, in Chinese with some ASCII,
and they routinely carry the petitioner's name, telephone, ID number, address
and the like. The site publishes notes, so every note goes through
:func:`scrub` first: each personal datum found is replaced by :data:`MARKER`
and everything else is left byte-for-byte as typed, because the notes are a
public record and must not be reworded.

Detection is by patterns plus checks, never by guessing: numbers must pass
their check digit (ID numbers: ISO 7064 MOD 11-2; bank cards: Luhn) and dates
must be real; names are only taken where the text says a person follows (a cue
word such as 信访人, ``姓名：``, or a title such as 先生/女士). A statistical word
segmenter with person-name tagging (jieba and the like) was deliberately not
used: its name tag is a guess, so words that merely begin with a surname
character (张贴, 高度, 王府井) can come out as names, and what it guesses moves
with its model and dictionary. Here a false positive rewrites the public
record; the cue rules behave the same on every run and are pinned by tests.
The kinds are applied in :data:`KINDS` order, so that an ID
number is gone before the bank-card check could mistake it for a card, and a
name is gone before the address pattern could swallow it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

MARKER = "〔已隐去〕"
KINDS: tuple[str, ...] = (
    "email",
    "id_number",
    "bank_card",
    "mobile",
    "landline",
    "plate",
    "name",
    "address",
)


@dataclass(frozen=True)
class ScrubResult:
    """A scrubbed note and how many data of each kind were hidden (kinds with >0 only)."""

    text: str
    counts: dict[str, int]


class RedactionCounter:
    """Sums :class:`ScrubResult` counts over a run, for the run report."""

    def __init__(self) -> None:
        self._counts = dict.fromkeys(KINDS, 0)

    def add(self, result: ScrubResult) -> None:
        for kind, n in result.counts.items():
            self._counts[kind] += n

    def as_dict(self) -> dict[str, int]:
        """Every kind, zeros included, in :data:`KINDS` order."""
        return dict(self._counts)


# Staff type on Chinese IMEs, which emit full-width digits, letters and
# punctuation at will. Patterns run on a folded copy in which each such
# character becomes its ASCII twin; the fold is one character for one, so a
# span in the copy is the same span in the note, and the note itself is never
# rewritten outside the redacted spans.
_FOLD = {0xFF10 + i: 0x30 + i for i in range(10)}
_FOLD |= {0xFF21 + i: 0x41 + i for i in range(26)} | {0xFF41 + i: 0x61 + i for i in range(26)}
_FOLD |= {ord(a): ord(b) for a, b in zip("＋－（）＠．＿　", "+-()@._ ", strict=True)}

_CUES = "信访人|联系人|申请人|投诉人|举报人|反映人|当事人|代理人|来访人|户主|姓名"
_TITLES = "先生|女士|师傅|同志|老师|某某"
# Most notes hold no personal data at all; two quick searches answer that
# for them (two, because a class and a literal alternation together defeat
# the regex engine's first-character scan and cost more than both apart).
_PRECHECK_CHARS = re.compile("[0-9０-９@＠]")
_PRECHECK_WORDS = re.compile(f"{_CUES}|{_TITLES}")
# Notes that pass it still mostly lack a given kind; a cheap search per kind
# (a gate) spares running that kind's full pattern over the note.
_GATES = {
    "@": re.compile("@"),
    # Every ID, card, mobile and landline has seven digits in a row, allowing
    # one space or dash among them (139 1234 5678 has 1234 5678).
    "number": re.compile(r"[0-9]{3}[ -]?[0-9]{4}"),
    "digit": re.compile(r"[0-9]"),
    "cue": re.compile(_CUES),
    "title": re.compile(_TITLES),
    "house": re.compile(r"[0-9](?:号|弄|幢|栋|单元|室)"),
}
# Folding costs more than all the gates together; most notes need none.
_WIDE = re.compile("[\u3000\uff01-\uff5e]")

# The ~100 most common surnames, then further common ones. Characters that are
# far more often ordinary words than surnames (和 时 国 明 平 来 都 由 公 全…) are
# left out on purpose: after 信访人 they would turn 信访人来信 into a name.
_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余"
    "杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶"
    "黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
    "常温康施牛樊葛邢齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿焦俞左柳甘祝包尚符舒阮柯纪梅童凌"
    "毕季裴霍涂苗谷盛曲翁冉骆蓝游辛靳柴鲍喻祁蒲滕屈饶牟艾尤穆卓缪褚娄窦戚岑卜晏席卫柏宗瞿"
    "桂佟臧闵苟邬卞姬仇栾隋刁巫寇桑郎甄丛仲虞敖巩佘邝匡鞠荆冀郁胥栗鄢谌奚粟冼蔺厉仝郜阚屠"
    "朴禹漆卿狄芮扈晁阙邸雍辜裘亓邰赫逯茹嵇湛昝文"
)
_COMPOUND_SURNAMES = re.findall(
    "..",
    "欧阳司马诸葛上官东方皇甫尉迟公孙慕容长孙宇文司徒西门令狐夏侯轩辕端木独孤南宫万俟闻人呼延澹台公冶太史申屠",
)
# Characters that end a name rather than continue it: verbs and particles
# that follow a name in notes (张三反映, 李四称, 王五于3月), kin words, and
# words of time. Greedy 1-2 character given names stop at these.
_NAME_STOP = (
    "的了是在于与及或等对向从到往由被把将让给以因所其之此该本各每某也都还就并且但而则即"
    "反映称说诉报表示认提出要求请需应会能已曾再又仍均未不没无有多少几个位名户"
    "来去回访电话手机住属父母夫妻亲员人共系现今年日时前后当同近昨早晚午上下内外"
    "签字身份证邮箱地址性别男岁籍投举经通过百千元度"
)
# Characters that do not start or continue a street name: they end the verb
# or phrase before an address (家住, 位于, 反映, 搬至, 该小区).
_PLACE_STOP = (
    "在住于至到从的是了与及把被将对给让位址地籍为系居搬迁来去回经由自往映报诉称说该本此各某每其近旁"
)
# Surnames that are far more often prepositions: 信访人向信访局反映 (after a cue
# without a colon), 向老师反映 and 向王先生说明 do not name a 向.
_PREPOSITION_SURNAMES = frozenset("于向")
# Two-character words whose second character is a surname (感谢, 方向…): a
# title after them (感谢老师, 感谢王先生) is not preceded by a surname.
_WORDS_ENDING_IN_SURNAME = frozenset(
    re.findall(
        "..",
        "感谢致谢多谢答谢对方双方各方地方提高最高较高资金现金奖金方向导向意向走向"
        "面向朝向由于对于关于等于至于属于上万数万十万",
    )
)


# Words that often follow a cue word and start with a surname character
# (信访人符合…, 申请人尚未…, 当事人严重…): they are not names.
_WORDS_AFTER_CUE = frozenset(
    re.findall(
        "..",
        "符合尚未尚无尚需尚在常年常住常驻多次严重明确强烈坚持坚决长期随即于是林地易于时常",
    )
)


def _cjk_class(exclude: str) -> str:
    """A regex class of the CJK Unified Ideographs block minus ``exclude``."""
    parts: list[str] = []
    start = 0x4E00
    for cp in sorted({ord(c) for c in exclude if "\u4e00" <= c <= "\u9fff"}):
        if cp > start:
            parts.append(f"\\u{start:04x}-\\u{cp - 1:04x}")
        start = cp + 1
    parts.append(f"\\u{start:04x}-\\u9fff")
    return "[" + "".join(parts) + "]"


_SURNAME = f"(?P<surname>{'|'.join(_COMPOUND_SURNAMES)}|[{_SURNAMES}])"
_GIVEN = _cjk_class(_NAME_STOP)
_PLACE = _cjk_class(_PLACE_STOP)
# Street names may not run across an administrative suffix, so that
# "投诉宁波市江北区人民路" is split into 宁波市 + 江北区 + 人民路 and 投诉 stays.
_STREET_CHAR = _cjk_class(_PLACE_STOP + "省市区县")

# No pattern below can backtrack catastrophically: quantifiers are bounded,
# and the two unbounded runs (the e-mail's local part, which may only start
# where a run starts, and its dot-separated domain labels) are over classes
# that exclude their own delimiters. Matching stays linear in the note.
_EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+\-])[A-Za-z0-9._%+\-]+@(?P<domain>[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+)"
)
_ID_NUMBER = re.compile(r"(?<![0-9])(?:[0-9]{17}[0-9Xx]|[0-9]{15})(?![0-9Xx])")
_BANK_CARD = re.compile(
    r"(?<![0-9])(?:(?P<plain>[0-9]{16,19})"
    r"|(?P<core>[0-9]{4}(?P<sep>[ -])[0-9]{4}(?P=sep)[0-9]{4}(?P=sep)[0-9]{4})"
    r"(?P<tail>(?P=sep)[0-9]{1,3})?)(?![0-9元万亿%])"
)
_MOBILE = re.compile(
    r"(?<![0-9])(?:(?:\((?:\+|00)?86\)|(?:\+|00)?86)[ -]?)?"
    r"1[3-9][0-9](?P<sep>[ -]?)[0-9]{4}(?P=sep)[0-9]{4}(?![0-9元万亿%])"
)
_LANDLINE = re.compile(
    r"(?<![0-9])(?:\(?(?:\+|00)86\)?[ -]?\(?0?[1-9][0-9]{1,2}\)?"  # +86 571, (+86)(0571)
    r"|\(0[1-9][0-9]{1,2}\)|0[1-9][0-9]{1,2})"  # (0571), 0571, 010
    r"[ -]?[1-9][0-9]{2,3}[ -]?[0-9]{4}(?:(?:转|分机|ext\.?|-)[0-9]{1,6})?(?![0-9])"
)
_PLATE = re.compile(
    r"[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-HJ-NP-Za-hj-np-z]"
    r"[·•・.\- ]?(?P<serial>[A-HJ-NP-Za-hj-np-z0-9]{5,6})[挂学警港澳]?(?![A-Za-z0-9])"
)
_NAME_AFTER_CUE = re.compile(
    f"(?:信访人|联系人|申请人|投诉人|举报人|反映人|当事人|代理人|来访人"
    # The look-behind sits after 户 so that every branch starts with a literal,
    # which lets the engine skip to candidate characters (2.5x faster).
    f"|户(?<![客用账帐住商农储散大]户)主(?!任)|姓名)"
    f"(?P<sep>[ \t]*[:：]?[ \t]*)(?P<name>{_SURNAME}{_GIVEN}{{1,2}})"
)
_NAME_WITH_TITLE = re.compile(
    f"{_SURNAME}(?:(?P<given>{_GIVEN}{{1,2}})(?:先生(?![产成])|女士)"
    f"|(?P<title>先生(?![产成])|女士|师傅|同志|老师|某某))(?!们)"
)
_ADDRESS = re.compile(
    f"(?:{_PLACE}{{2}}(?:新区|省|市|区|县|镇|乡|街道))*"
    f"{_STREET_CHAR}{{1,5}}?(?:大道|小区|花园|新村|公寓|路|街|巷|弄|村|苑)"
    r"(?P<num>(?:[0-9]{1,5}(?:[-之][0-9]{1,4})?(?:号楼|号院|号|弄|幢|栋|单元|室|组|楼|层|座))+"
    r"(?:[0-9]{3,4}(?![0-9年月日号元万%.]))?)(?!线)"  # 3号线: a metro line
)
_HOUSE_UNIT = re.compile(r"号|弄|幢|栋|单元|室")

# First two digits of an ID: the province-level region.
_PROVINCES = frozenset(
    re.findall("..", "1112131415212223313233343536374142434445465051525354616263646571818291")
)
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_THIS_YEAR = date.today().year


def _plausible_birth(year: int, month: int, day: int) -> bool:
    if not 1900 <= year <= _THIS_YEAR:
        return False
    try:
        return date(year, month, day) <= date.today()
    except ValueError:
        return False


def _luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


Span = tuple[int, int] | None


def _email(m: re.Match[str]) -> Span:
    # The last label must be a real top-level domain, not "v1.2" or a number.
    tld = m.group("domain").rsplit(".", 1)[1]
    return m.span() if len(tld) >= 2 and tld.isalpha() else None


def _id_number(m: re.Match[str]) -> Span:
    s = m.group()
    if s[:2] not in _PROVINCES:
        return None
    if len(s) == 15:  # pre-1999 IDs: YYMMDD, always 19YY, no check digit
        return (
            m.span() if _plausible_birth(1900 + int(s[6:8]), int(s[8:10]), int(s[10:12])) else None
        )
    total = sum(int(d) * w for d, w in zip(s[:17], _ID_WEIGHTS, strict=True))
    if _ID_CHECK[total % 11] != s[17].upper():
        return None
    return m.span() if _plausible_birth(int(s[6:10]), int(s[10:12]), int(s[12:14])) else None


def _bank_card(m: re.Match[str]) -> Span:
    if m.group("plain"):
        return m.span() if _luhn_ok(m.group("plain")) else None
    core = m.group("core").replace(m.group("sep"), "")
    if m.group("tail") and _luhn_ok(core + m.group("tail")[1:]):
        return m.span()
    # "6222 0212 3456 7890 5张": the trailing group may not belong to the card.
    return m.span("core") if _luhn_ok(core) else None


def _plate(m: re.Match[str]) -> Span:
    # Real serials carry digits; 沪A·ABCDE-like runs are model names, not plates.
    return m.span() if sum(c.isdigit() for c in m.group("serial")) >= 2 else None


def _name_after_cue(m: re.Match[str]) -> Span:
    start, end = m.span("name")
    text = m.string
    if text[start : start + 2] in _WORDS_AFTER_CUE:
        return None  # 信访人符合条件: a verb, not 符 the surname
    # "信访人:向明" or 向明 then punctuation is a name; 信访人向信访局 is a preposition.
    if (
        m.group("surname") in _PREPOSITION_SURNAMES
        and not m.group("sep")
        and end < len(text)
        and "\u4e00" <= text[end] <= "\u9fff"
    ):
        return None
    return start, end


def _name_with_title(m: re.Match[str]) -> Span:
    start, end = m.span()
    text = m.string
    surname = m.group("surname")
    before = text[start - 1 : start + 1] if start else ""
    if m.group("given") is None:
        if surname in _PREPOSITION_SURNAMES and m.group("title") in ("老师", "同志", "师傅"):
            return None  # 向老师反映: "to the teacher", not Teacher Xiang
        if before in _WORDS_ENDING_IN_SURNAME:
            return None  # 感谢老师
    elif before in _WORDS_ENDING_IN_SURNAME or (
        surname in _PREPOSITION_SURNAMES and text[start + 1] in _SURNAMES
    ):
        # 感谢王先生, 向王先生说明: the person is 王; 谢 and 向 are not part of it.
        return start + 1, end
    return start, end


def _address(m: re.Match[str]) -> Span:
    # 该村3组 or 人民路2号线 are not a dwelling; a house-level unit must appear.
    return m.span() if _HOUSE_UNIT.search(m.group("num")) else None


def _whole(m: re.Match[str]) -> Span:
    return m.span()


Accept = Callable[[re.Match[str]], Span]
# (kind, gate, pattern, accept), in the order applied.
_PASSES: tuple[tuple[str, str, re.Pattern[str], Accept], ...] = (
    ("email", "@", _EMAIL, _email),
    ("id_number", "number", _ID_NUMBER, _id_number),
    ("bank_card", "number", _BANK_CARD, _bank_card),
    ("mobile", "number", _MOBILE, _whole),
    ("landline", "number", _LANDLINE, _whole),
    ("plate", "digit", _PLATE, _plate),
    ("name", "cue", _NAME_AFTER_CUE, _name_after_cue),
    ("name", "title", _NAME_WITH_TITLE, _name_with_title),
    ("address", "house", _ADDRESS, _address),
)


def scrub(note: str) -> ScrubResult:
    """The note with every personal datum replaced by :data:`MARKER`, and counts per kind."""
    gates: dict[str, bool] = {}  # judged when first needed, then reused
    if not _PRECHECK_CHARS.search(note):
        if not _PRECHECK_WORDS.search(note):
            return ScrubResult(note, {})
        gates = dict.fromkeys(("@", "number", "digit", "house"), False)
    text = note
    folded = note.translate(_FOLD) if _WIDE.search(note) else note
    counts: dict[str, int] = {}
    for kind, gate, pattern, accept in _PASSES:
        is_open = gates.get(gate)
        if is_open is None:
            is_open = gates[gate] = _GATES[gate].search(folded) is not None
        if not is_open:
            continue
        text_parts: list[str] = []
        folded_parts: list[str] = []
        last = found = 0
        for m in pattern.finditer(folded):
            span = accept(m)
            if span is None:
                continue
            start, end = span
            # Keep the note and its folded copy in step: both get the marker,
            # so later passes see exactly the text that will be published.
            text_parts += (text[last:start], MARKER)
            folded_parts += (folded[last:start], MARKER)
            last = end
            found += 1
        if found:
            text = "".join(text_parts) + text[last:]
            folded = "".join(folded_parts) + folded[last:]
            counts[kind] = counts.get(kind, 0) + found
    return ScrubResult(text, counts)
