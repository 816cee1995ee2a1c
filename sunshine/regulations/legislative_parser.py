"""Read the plain text of a Chinese law or regulation into the model, tolerantly.

Each non-empty line is classified by its shape (:func:`classify`): a heading
(第X编, 第X分编, 第X章, 第X节), an article (第X条 or 第X条之Y, its first paragraph
on the same line), an item (（一） or (一)), a sub-item (目: ``1．``), the marks of
a table of contents (目录), a preamble (序言) or an appendix (附件, 附录), or
plain text. A structure builder (:class:`_Builder`) then places each line.

Numbering is checked but never repaired: an article is anchored by its own
number, whatever came before it, and anything irregular (a skipped or repeated
number, an article before the first chapter, a line it cannot place) is kept
as an :class:`~sunshine.regulations.regulation_model.Irregularity` with its
line. Only a text with no title or no article at all is refused.

Shapes the real texts have beyond the simple description:

- a heading may wrap onto a second line (北京市信访条例, 第五章): text between a
  heading and the first article under it continues the heading;
- a paragraph may interrupt a list of items, the list resuming with the next
  number (信访条例 2005, Art. 21): the sentence belongs to the last item, so that
  "前款第(二)项至第(四)项" still means items of one paragraph;
- a table of contents repeats the headings before the text: its lines are
  skipped until the first of them comes again (or a line that is no heading).
"""

from __future__ import annotations

import re

from sunshine.regulations.chinese_numerals import NUMERAL_CHARS, chinese_numeral
from sunshine.regulations.regulation_model import Document
from sunshine.regulations.structure_builder import Line, StructureBuilder

# ASCII and ideographic spaces, no-break and zero-width spaces, tabs and a
# byte-order mark all occur as indentation (or as a line of their own) in texts
# copied from official sites.
SPACE = " \t\u3000\u00a0\u200b\ufeff\f\v"
_N = f"[{NUMERAL_CHARS}]+"
_S = f"[{SPACE}]"
_HEADING = re.compile(rf"第({_N})(编|分编|章|节){_S}*(.*)")
# The space after 第X条 is required: a paragraph may well begin "第十条规定的…".
_ARTICLE = re.compile(rf"第({_N})条(?:之({_N}))?(?:{_S}+(.*))?")
_ITEM = re.compile(rf"[（(]({_N})[）)]{_S}*(.*)")
_SUB_ITEM = re.compile(r"[0-9０-９]+[．.、]")
_CONTENTS = re.compile(rf"目{_S}*录")
_PREAMBLE = re.compile(rf"序{_S}*言")
_APPENDIX = re.compile(rf"(?:附{_S}*件|附{_S}*录)[{NUMERAL_CHARS}0-9０-９]*(?:[：:{SPACE}].*)?")
# A label with a numeral of no standard form (第十十条): noted, kept as text.
_BAD_LABEL = re.compile(rf"第[^{SPACE}第]{{1,8}}?(?:编|分编|章|节|条)(?:{_S}|$)")
HEADING_KINDS = {"编": "part", "分编": "subpart", "章": "chapter", "节": "section"}


def _value(numeral_text: str) -> int | None:
    try:
        return chinese_numeral(numeral_text)
    except ValueError:
        return None


def classify(line: str) -> Line:
    """The shape of one stripped, non-empty line."""
    if m := _HEADING.fullmatch(line):
        if (n := _value(m[1])) is not None:
            return Line(HEADING_KINDS[m[2]], n, None, m[3])
    elif m := _ARTICLE.fullmatch(line):
        n, insert = _value(m[1]), _value(m[2]) if m[2] else None
        if n is not None and (m[2] is None or insert is not None):
            return Line("article", n, insert, m[3] or "")
    elif m := _ITEM.fullmatch(line):
        if (n := _value(m[1])) is not None:
            return Line("item", n, None, m[2])
    elif _CONTENTS.fullmatch(line):
        return Line("contents", text=line)
    elif _PREAMBLE.fullmatch(line):
        return Line("preamble", text=line)
    elif _APPENDIX.fullmatch(line) and len(line) <= 60:
        return Line("appendix", text=line)
    elif _SUB_ITEM.match(line):
        return Line("sub-item", text=line)
    return Line("text", text=line, bad_label=bool(_BAD_LABEL.match(line)))


def parse(text: str, reg_id: str) -> Document:
    """The document model of a law's plain text; RegulationParseError if it has no
    title or no article (anything else irregular is noted in the model)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    builder = StructureBuilder(reg_id)
    for line_no, raw in enumerate(lines, 1):
        line = raw.strip(SPACE)
        if line:
            builder.line(line_no, line, classify(line))
    # Whatever is still missing at the end is missing at the last line.
    return builder.finish(len(lines), lines[-1].strip(SPACE))
