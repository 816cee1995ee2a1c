"""The regulation parser on the ten official texts, as the registry serves them.

The expected counts of 章/节/条 are read from SOURCES.md beside the texts, so the
test checks the parser against what that file says a correct parser finds. Each
text is also parsed after the spacing and line-ending changes the registry
contract allows; those must not change the model at all.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from demo_registry.texts import plain_text
from sunshine.regulations.regulation_text import (
    Article,
    Document,
    Item,
    Paragraph,
    RegulationParseError,
    chinese_numeral,
    parse,
    references,
    to_json,
)

# The official texts as copied into the demo data, with SOURCES.md and its counts.
REGULATIONS = Path(__file__).parent.parent / "demo_registry" / "regulations"
NEW = "xinfang-gongzuo-tiaoli-2022"


def expected_counts() -> dict[str, tuple[int, int, int]]:
    """reg_id → (章, 节, 条) from the table in SOURCES.md."""
    rows = re.findall(
        r"^\| (\S+)\.zh\.md \| [^|]+ \| (\d+) \| (\d+) \| (\d+) \|$",
        (REGULATIONS / "SOURCES.md").read_text(encoding="utf-8"),
        re.MULTILINE,
    )
    return {reg_id: (int(ch), int(sec), int(art)) for reg_id, ch, sec, art in rows}


COUNTS = expected_counts()


@cache
def served(reg_id: str) -> str:
    """The text as the registry serves it: without the repository's markup."""
    return plain_text((REGULATIONS / f"{reg_id}.zh.md").read_text(encoding="utf-8"), crlf=False)


@cache
def document(reg_id: str) -> Document:
    return parse(served(reg_id), reg_id)


def counts(doc: Document) -> tuple[int, int, int]:
    return len(doc.chapters), sum(len(c.sections) for c in doc.chapters), len(doc.articles)


def test_sources_lists_all_ten_texts() -> None:
    assert len(COUNTS) == 10
    assert sorted(COUNTS) == sorted(
        p.name.removesuffix(".zh.md") for p in REGULATIONS.glob("*.zh.md")
    )


def _lines(text: str, change: Callable[[str], str]) -> str:
    return "\n".join(change(line) for line in text.split("\n"))


TRANSFORMS: dict[str, Callable[[str], str]] = {
    "as-served": lambda t: t,
    "crlf": lambda t: t.replace("\n", "\r\n"),
    "cr-only": lambda t: t.replace("\n", "\r"),
    "ideographic-indent": lambda t: _lines(t, lambda line: "\u3000\u3000" + line),
    "ascii-indent": lambda t: _lines(t, lambda line: "    " + line),
    "no-blank-lines": lambda t: "\n".join(line for line in t.split("\n") if line.strip()),
    "doubled-blank-lines": lambda t: re.sub(r"\n\n+", "\n\n\n\n", t),
    "trailing-spaces": lambda t: _lines(t, lambda line: line + " \u3000 "),
    "tabs-and-bom": lambda t: "\ufeff" + _lines(t, lambda line: "\t" + line + "\t"),
}


@pytest.mark.parametrize("transform", TRANSFORMS)
@pytest.mark.parametrize("reg_id", sorted(COUNTS))
def test_texts_parse_to_the_counts_in_sources(reg_id: str, transform: str) -> None:
    doc = parse(TRANSFORMS[transform](served(reg_id)), reg_id)
    assert counts(doc) == COUNTS[reg_id]
    # Not just the counts: the whole model, references included, is unchanged.
    assert to_json(doc) == to_json(document(reg_id))


@given(st.data())
@settings(max_examples=25, deadline=None)
def test_any_mix_of_spacing_and_line_ends_gives_the_same_model(data: st.DataObject) -> None:
    space = st.sampled_from(["", " ", "\u3000", "\u3000\u3000", "  \t"])
    lines = [line for line in served(NEW).split("\n") if line.strip()]
    mixed = ""
    for line in lines:
        blank = data.draw(st.sampled_from(["", "\n", "\n\n"]))
        end = data.draw(st.sampled_from(["\n", "\r\n", "\r"]))
        mixed += data.draw(space) + line + data.draw(space) + end + blank
    assert to_json(parse(mixed, NEW)) == to_json(document(NEW))


def test_served_documents_parse_as_the_registry_serves_them() -> None:
    # Some documents are served with CRLF line ends (see demo_registry).
    from demo_registry.texts import REG_IDS
    from demo_registry.texts import document as registry_document

    for reg_id in REG_IDS:
        body = registry_document(reg_id)
        assert body is not None
        assert counts(parse(body["text"], reg_id)) == COUNTS[reg_id]


# --- Structure of the 2022 信访工作条例 -------------------------------------------


def test_2022_title_promulgation_and_chapters() -> None:
    doc = document(NEW)
    assert doc.title == "信访工作条例"
    assert doc.promulgation == [
        "2022年1月24日 中共中央政治局会议审议批准",
        "2022年2月25日 中共中央、国务院发布",
    ]
    assert [c.title for c in doc.chapters] == [
        "总则",
        "信访工作体制",
        "信访事项的提出和受理",
        "信访事项的办理",
        "监督和追责",
        "附则",
    ]
    assert [c.anchor for c in doc.chapters] == [f"ch-{n}" for n in range(1, 7)]
    assert [a.number for a in doc.chapters[0].articles] == [1, 2, 3, 4, 5, 6]
    assert [a.number for a in doc.chapters[-1].articles] == [48, 49, 50]
    assert sum(len(c.articles) for c in doc.chapters) == 50
    assert all(a.section is None for a in doc.articles)


def test_2022_article_22_and_36() -> None:
    doc = document(NEW)
    art22 = doc.article(22)
    assert art22 is not None and art22.chapter == 3
    assert len(art22.paragraphs) == 2
    first, second = art22.paragraphs
    assert first.text.endswith("在15日内分别按照下列方式处理：")
    assert [i.number for i in first.items] == [1, 2, 3]
    assert first.items[2].text.startswith("对转送信访事项中的重要情况")
    assert not first.items[2].text.startswith("（")
    assert second.items == []
    art36 = doc.article(36)
    assert art36 is not None and len(art36.paragraphs) == 3
    assert [p.anchor for p in art36.paragraphs] == ["art-36-p1", "art-36-p2", "art-36-p3"]


def test_find_by_anchor() -> None:
    doc = document(NEW)
    paragraph = doc.find("art-36-p2")
    assert isinstance(paragraph, Paragraph) and paragraph.text.startswith("复核机关、单位可以")
    item = doc.find("art-22-p1-i3")
    assert isinstance(item, Item) and item.anchor == "art-22-p1-i3"
    article = doc.find("art-50")
    assert (
        isinstance(article, Article)
        and article.paragraphs[0].text == "本条例自2022年5月1日起施行。"
    )
    for missing in ["art-51", "art-0", "art-36-p4", "art-22-p1-i4", "art-22-p2-i1", "ch-1", "x"]:
        assert doc.find(missing) is None, missing
    assert doc.article(0) is None and doc.article(51) is None


def test_article_text_never_keeps_its_label_or_spacing() -> None:
    for reg_id in COUNTS:
        for article in document(reg_id).articles:
            for p in article.paragraphs:
                texts = [p.text, *(i.text for i in p.items)]
                assert all(t and t == t.strip(" \u3000") for t in texts), p.anchor
                assert not re.match(r"第[一二三四五六七八九十百]+条", p.text), p.anchor


# --- What the real texts do beyond the simple description ---------------------


def test_wrapped_chapter_title_is_joined() -> None:
    doc = document("beijing-xinfang-tiaoli")
    assert doc.chapters[4].title == "人民代表大会及其常务委员会信访事项的受理和办理"
    assert [s.anchor for s in doc.chapters[5].sections] == ["ch-6-s1", "ch-6-s2"]


def test_sections_hold_their_articles() -> None:
    doc = document("shanghai-xinfang-tiaoli-2018")
    chapter = doc.chapters[3]
    assert chapter.sections[0].title == "一般规定"
    in_sections = [a for s in chapter.sections for a in s.articles]
    assert in_sections == chapter.articles
    assert all(a.chapter == 4 and a.section is not None for a in chapter.articles)


def test_text_interrupting_a_list_of_items_continues_the_item() -> None:
    # 信访条例 (2005) Art. 21: a sentence stands between items (三) and (四).
    article = document("xinfang-tiaoli-2005").article(21)
    assert article is not None
    first, second = article.paragraphs
    assert [i.number for i in first.items] == [1, 2, 3, 4]
    assert first.items[2].text.split("\n")[1].startswith("县级以上人民政府信访工作机构要定期")
    assert second.text.startswith("按照前款第(二)项至第(四)项规定")


def test_sub_items_stay_in_their_item() -> None:
    article = document("shandong-xinfang-tiaoli-2015").article(45)
    assert article is not None and len(article.paragraphs) == 2
    item = article.paragraphs[0].items[1]
    assert item.text.split("\n")[1:] == [
        "1．主要事实不清、证据不足的；",
        "2．适用依据错误的；",
        "3．违反法定程序的；",
        "4．超越或者滥用职权的；",
        "5．结论明显不当的。",
    ]


def test_half_width_item_numbers() -> None:
    article = document("xinfang-tiaoli-2005").article(6)
    assert article is not None
    assert [len(p.items) for p in article.paragraphs] == [0, 6]


def test_chinese_numeral_is_exported() -> None:
    assert chinese_numeral("一百零五") == 105


# --- Cross-references ----------------------------------------------------------


def refs_of(doc: Document, anchor: str) -> list[tuple[str, list[str]]]:
    return [(r.text, r.targets) for r in references(doc).get(anchor, [])]


def test_2022_references() -> None:
    doc = document(NEW)
    assert refs_of(doc, "art-34-p1") == [("本条例第三十一条第六项", ["art-31-p1-i6"])]
    assert refs_of(doc, "art-36-p2") == [
        ("本条例第三十一条第六项", ["art-31-p1-i6"]),
        ("前款", ["art-36-p1"]),
    ]
    assert refs_of(doc, "art-47-p1") == [("本条例第二十条、第二十六条", ["art-20", "art-26"])]
    assert refs_of(doc, "art-17-p2") == [("前款", ["art-17-p1"])]


@pytest.mark.parametrize("reg_id", sorted(COUNTS))
def test_references_point_into_their_text_and_at_existing_parts(reg_id: str) -> None:
    doc = document(reg_id)
    found = references(doc)
    # 人民调解法 names none of its own articles; every other text does.
    assert found or not re.search("本(?:法|条例)第", served(reg_id))
    for anchor, refs in found.items():
        holder = doc.find(anchor)
        assert isinstance(holder, Paragraph | Item)
        for ref in refs:
            assert holder.text[ref.start : ref.end] == ref.text
            assert ref.targets and all(doc.find(t) is not None for t in ref.targets)


def test_references_in_the_older_texts() -> None:
    assert refs_of(document("xinfang-tiaoli-2005"), "art-21-p2") == [
        ("前款第(二)项至第(四)项", ["art-21-p1-i2", "art-21-p1-i3", "art-21-p1-i4"])
    ]
    assert refs_of(document("shanghai-xinfang-tiaoli-2018"), "art-38-p3") == [
        ("本条第一款第一项", ["art-38-p1-i1"])
    ]
    assert refs_of(document("zhejiang-xinfang-tiaoli-2016"), "art-20-p2") == [
        ("前款第三、四项", ["art-20-p1-i3", "art-20-p1-i4"])
    ]
    assert refs_of(document("henan-xinfang-tiaoli-2012"), "art-25-p1") == [
        ("本条例第十条第二款", ["art-10-p2"]),
        ("本条例第十二条", ["art-12"]),
    ]


SAMPLE = """测试条例

2024年1月1日 发布

第一章 总则

第一条 本条例的目的。

第二条 甲。

乙，包括下列事项：

（一）子；

（二）丑。

丙。

第三条 前两款和第二条第二款第二项。

依照《中华人民共和国民法典》第二百零一条、第二百零二条，该法第一条，并依照《测试条例》第一条。

本条第一款；第二款；第一条至第三条；第九条；第二条第五款；第一条、第九条；第二条第三项。

前款。
"""


def test_references_resolved_and_left_alone() -> None:
    doc = parse(SAMPLE, "sample")
    # 前两款 in a first paragraph names nothing that exists.
    assert refs_of(doc, "art-3-p1") == [("第二条第二款第二项", ["art-2-p2-i2"])]
    # Another law's articles are not this text's; its own title is.
    assert refs_of(doc, "art-3-p2") == [("《测试条例》第一条", ["art-1"])]
    assert refs_of(doc, "art-3-p3") == [
        ("本条第一款", ["art-3-p1"]),
        ("第二款", ["art-3-p2"]),
        ("第一条至第三条", ["art-1", "art-2", "art-3"]),
        ("第一条、第九条", ["art-1"]),  # article 9 does not exist; 第二条第三项 neither
    ]
    assert refs_of(doc, "art-3-p4") == [("前款", ["art-3-p3"])]
    assert set(references(doc)) == {"art-3-p1", "art-3-p2", "art-3-p3", "art-3-p4"}


def test_previous_paragraphs() -> None:
    doc = parse("条例\n第一条 甲。\n乙。\n丙。\n依照前两款，以及前三款。\n", "sample")
    assert refs_of(doc, "art-1-p4") == [
        ("前两款", ["art-1-p2", "art-1-p3"]),
        ("前三款", ["art-1-p1", "art-1-p2", "art-1-p3"]),
    ]


def test_to_json_is_plain_json_with_references() -> None:
    data = to_json(document(NEW))
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data
    assert data["title"] == "信访工作条例" and len(data["articles"]) == 50
    assert data["chapters"][2]["articles"][0] == 17
    art34 = data["articles"][33]
    assert art34["anchor"] == "art-34" and art34["chapter"] == 4
    ref = art34["paragraphs"][0]["references"][0]
    assert ref == {
        "start": 1,
        "end": 12,
        "text": "本条例第三十一条第六项",
        "targets": ["art-31-p1-i6"],
    }
    art22 = data["articles"][21]["paragraphs"][0]
    assert [i["anchor"] for i in art22["items"]] == ["art-22-p1-i1", "art-22-p1-i2", "art-22-p1-i3"]


# --- Irregular texts: published, noted, never renumbered --------------------------


def error_of(text: str) -> RegulationParseError:
    with pytest.raises(RegulationParseError) as caught:
        parse(text, "sample")
    error = caught.value
    assert error.reg_id == "sample" and "sample" in str(error)
    assert f"line {error.line_no}:" in str(error) and repr(error.line) in str(error)
    return error


def notes(text: str) -> list[tuple[int, str, str]]:
    return [(n.line_no, n.kind, n.text) for n in parse(text, "sample").irregularities]


@pytest.mark.parametrize("ending", ["\n", "\r\n", "\r"])
def test_skipped_article_number(ending: str) -> None:
    text = ending.join(["条例", "", "第一章 总则", "", "第一条 甲。", "", "第三条 乙。", ""])
    doc = parse(text, "sample")
    assert [a.anchor for a in doc.articles] == ["art-1", "art-3"]
    assert doc.article(2) is None and doc.article(3) is doc.articles[1]
    [note] = doc.irregularities
    assert (note.line_no, note.kind, note.text, note.expected) == (
        7,
        "skipped",
        "第三条 乙。",
        "第二条",
    )


def test_repeated_article_number_keeps_both_under_distinct_anchors() -> None:
    doc = parse("条例\n第一章 总则\n第一条 甲。\n第二章 附则\n第一条 乙。\n", "sample")
    assert [a.anchor for a in doc.articles] == ["art-1", "art-1-r2"]
    assert doc.article(1) is doc.articles[0] and doc.articles[1].chapter == 2
    assert [(n.line_no, n.kind) for n in doc.irregularities] == [(5, "repeated")]


def test_section_before_any_chapter_is_kept_as_text() -> None:
    assert notes("条例\n\n第一节 一般规定\n第一条 甲。\n") == [
        (3, "unknown-line", "第一节 一般规定")
    ]


@pytest.mark.parametrize(("text", "line_no"), [("", 1), ("\n\n", 3), ("  \u3000 ", 1)])
def test_empty_text(text: str, line_no: int) -> None:
    error = error_of(text)
    assert error.line_no == line_no and "title" in str(error)


def test_only_a_text_without_articles_is_refused() -> None:
    error = error_of("条例\n2024年1月1日 发布\n第一章 总则\n")
    assert error.line_no == 4 and "第一条" in str(error)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("条例\n第一章 总则\n第一条 甲。\n第三章 附则\n第二条 乙。", [(4, "heading-number")]),
        (
            "条例\n第一章 总则\n第一节 甲\n第一条 甲。\n第三节 乙\n第二条 乙。",
            [(5, "heading-number")],
        ),
        ("条例\n第一章 总则\n第二章 附则\n第一条 甲。", [(2, "empty-heading")]),
        ("条例\n第一条 甲：\n（一）乙；\n（三）丙。", [(4, "item-number")]),
        ("条例\n第一条\n第二条 乙。", [(2, "empty-article")]),
        ("条例\n第一条 甲。\n第二条", [(3, "empty-article")]),
        ("条例\n第一条 甲。\n第十十条 乙。", [(3, "unknown-line")]),
        (
            "条例\n第一条 甲。\n第二条 乙。\n第一章 附则\n第三条 丙。",
            [(2, "before-chapter"), (3, "before-chapter")],
        ),
        ("条例\n第一条 甲。\n第三条 乙。\n第二条 丙。", [(3, "skipped"), (4, "out-of-order")]),
    ],
)
def test_irregularities_are_noted_with_their_line(
    text: str, expected: list[tuple[int, str]]
) -> None:
    assert [(line, kind) for line, kind, _ in notes(text)] == expected


def test_an_unknown_line_stays_in_the_article_before_it() -> None:
    doc = parse("条例\n第一条 甲。\n第十十条 乙。\n第二条 丙。", "sample")
    first = doc.article(1)
    assert first is not None and first.full_text == "甲。\n第十十条 乙。"
    assert [a.anchor for a in doc.articles] == ["art-1", "art-2"]


def test_items_restarting_inside_a_paragraph_get_their_own_paragraph() -> None:
    doc = parse("条例\n第一条 甲：\n（一）乙；\n(二)丙；\n（一）丁；\n(二)戊。", "sample")
    article = doc.article(1)
    assert article is not None
    assert [[i.anchor for i in p.items] for p in article.paragraphs] == [
        ["art-1-p1-i1", "art-1-p1-i2"],
        ["art-1-p2-i1", "art-1-p2-i2"],
    ]
    assert [n.kind for n in doc.irregularities] == ["item-number"]


def test_items_straight_after_the_label() -> None:
    doc = parse("条例\n第一条\n（一）乙。", "sample")
    article = doc.article(1)
    assert article is not None and article.paragraphs[0].text == ""
    assert [i.text for i in article.paragraphs[0].items] == ["乙。"]
    assert doc.irregularities == []


def test_sections_restart_in_each_chapter_and_text_may_follow_a_bare_label() -> None:
    text = "条例\n第一章 甲\n第一节 子\n第一条\n甲。\n第二章 乙\n第一节 丑\n第二条 乙。\n"
    doc = parse(text, "sample")
    assert [s.anchor for c in doc.chapters for s in c.sections] == ["ch-1-s1", "ch-2-s1"]
    article = doc.article(1)
    assert article is not None and article.paragraphs[0].text == "甲。"
    assert (article.chapter, article.section) == (1, 1)
    assert doc.irregularities == []


def test_articles_without_chapters() -> None:
    doc = parse("条例\n第一条 甲。\n第二条 乙。", "sample")
    assert doc.chapters == [] and [a.chapter for a in doc.articles] == [None, None]
    assert doc.irregularities == []


def test_every_official_text_is_regular() -> None:
    for reg_id in COUNTS:
        assert document(reg_id).irregularities == [], reg_id
