"""The parser on small texts in every shape Chinese legislation is written in.

The texts in tests/data/legislative/ were written for these tests, each in one
shape the official texts the demo serves do not all have: a code in parts (编,
分编) whose chapters number afresh, with a table of contents and article numbers
in the thousands; inserted articles (第二条之一) and half-width item numbers;
skipped and repeated numbers under a missing first chapter heading; a preamble
and an appendix. Every figure below was counted by hand from the file.
"""

from __future__ import annotations

from pathlib import Path

from sunshine.regulations.regulation_text import Document, parse, references, to_json

CORPUS = Path(__file__).parent / "data" / "legislative"


def load(name: str) -> tuple[Document, list[str]]:
    text = (CORPUS / name).read_text(encoding="utf-8")
    return parse(text, name.removesuffix(".txt")), text.split("\n")


def noted(doc: Document, lines: list[str]) -> list[tuple[str, str, str]]:
    """(kind, line, expected) of each irregularity; its line number must be the line's."""
    for note in doc.irregularities:
        assert lines[note.line_no - 1].strip().startswith(note.text[:4]), note
    return [(n.kind, n.text, n.expected) for n in doc.irregularities]


def test_a_code_in_parts_with_a_table_of_contents() -> None:
    doc, lines = load("code-with-parts.txt")
    assert doc.title == "中华人民共和国示例法典（节选）"
    assert len(doc.promulgation) == 1 and len(doc.contents) == 11
    assert [p.anchor for p in doc.parts] == ["part-1", "part-2", "part-3"]
    assert [s.anchor for s in doc.parts[1].subparts] == ["part-2-sub-1", "part-2-sub-2"]
    # Chapters number afresh in each part, anchors stay unique.
    assert [c.anchor for c in doc.chapters] == [
        "part-1-ch-1",
        "part-1-ch-2",
        "part-2-ch-1",
        "part-2-ch-2",
    ]
    assert [c.subpart for c in doc.chapters] == [None, None, 1, 2]
    assert [s.anchor for c in doc.chapters for s in c.sections] == [
        "part-2-ch-2-s1",
        "part-2-ch-2-s2",
    ]
    assert [a.number for a in doc.articles] == [1, 2, 3, 463, 595, 596, 1010, 1259, 1260]
    last = doc.article(1260)
    assert last is not None and last.label == "第一千二百六十条" and last.part == 3
    assert last.chapter is None and last.anchor == "art-1260"
    items = doc.article(596).paragraphs[0].items  # type: ignore[union-attr]
    assert [i.text for i in items] == ["标的物的名称；", "数量；", "质量。"]
    # An excerpt: each jump in the numbering is noted, nothing renumbered.
    assert noted(doc, lines) == [
        ("skipped", "第四百六十三条　本编调整因合同产生的民事关系。", "第四条"),
        (
            "skipped",
            "第五百九十五条　买卖合同是出卖人转移标的物的所有权于买受人，买受人支付价款的合同。",
            "第四百六十四条",
        ),
        ("skipped", lines[53], "第五百九十七条"),
        ("skipped", lines[57], "第一千零一十一条"),
    ]


def test_inserted_articles_and_half_width_items() -> None:
    doc, lines = load("inserted-articles.txt")
    assert [a.anchor for a in doc.articles] == ["art-1", "art-2", "art-2-1", "art-2-2", "art-3"]
    assert [a.label for a in doc.articles][2:4] == ["第二条之一", "第二条之二"]
    inserted = doc.article(2, 1)
    assert inserted is not None and doc.find("art-2-1-p1-i2") is inserted.paragraphs[0].items[1]
    assert [len(p.items) for p in inserted.paragraphs] == [2, 0]
    assert [i.anchor for i in doc.articles[1].paragraphs[0].items] == [
        "art-2-p1-i1",
        "art-2-p1-i2",
        "art-2-p1-i3",
    ]
    assert noted(doc, lines) == []
    # "本条例第二条之一" is not a reference to 第二条.
    assert "art-2" not in [t for refs in references(doc).values() for r in refs for t in r.targets]
    data = to_json(doc)
    assert [a["label"] for a in data["articles"]][2] == "第二条之一"
    assert data["articles"][2]["insert"] == 1


def test_skipped_and_repeated_numbers_under_a_missing_first_chapter() -> None:
    doc, lines = load("skipped-and-repeated.txt")
    assert [a.anchor for a in doc.articles] == [
        "art-1",
        "art-2",
        "art-3",
        "art-5",
        "art-5-r2",
        "art-6",
    ]
    assert [a.chapter for a in doc.articles] == [None, None, 2, 2, 2, 3]
    assert [c.anchor for c in doc.chapters] == ["ch-2", "ch-3"]
    assert [(n.line_no, n.kind) for n in doc.irregularities] == [
        (3, "before-chapter"),
        (5, "before-chapter"),
        (7, "heading-number"),
        (11, "skipped"),
        (13, "repeated"),
    ]
    assert noted(doc, lines)[3:] == [
        ("skipped", "第五条　示例机构应当在十五日内答复。", "第四条"),
        ("repeated", "第五条　答复应当采用书面形式。", "第六条"),
    ]
    assert doc.article(5) is doc.articles[3]  # a repeated number: the first of them
    assert [a.anchor for a in doc.loose_articles()] == ["art-1", "art-2"]


def test_a_preamble_and_an_appendix() -> None:
    doc, lines = load("preamble-and-appendix.txt")
    assert len(doc.preamble) == 2 and doc.preamble[0].startswith("为了保障")
    assert doc.promulgation == []
    assert [c.anchor for c in doc.chapters] == ["ch-1", "ch-2"] and len(doc.articles) == 3
    second = doc.article(2)
    assert second is not None
    assert [i.text for i in second.paragraphs[0].items] == [
        "使用本民族语言文字；",
        "保持本民族风俗习惯。\n1．婚姻习惯；\n2．节庆习惯。",
    ]
    [appendix] = doc.appendices
    assert appendix.title == "附件：示例自治地方行政区划" and appendix.lines == [
        "一、甲县",
        "二、乙县",
    ]
    last = doc.article(3)
    assert last is not None and last.full_text == "本条例自公布之日起施行。"
    assert noted(doc, lines) == []
