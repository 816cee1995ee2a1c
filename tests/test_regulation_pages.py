"""Regulation pages, their JSON, and citations in staff Markdown, in real builds."""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
from pathlib import Path

import pytest

from operations.build import BuildError
from sunshine.regulations.citations import CitationError, label
from tests.conftest import BuiltSite, build_into
from tests.test_legislative_corpus import CORPUS
from tests.test_regulation_text import COUNTS

NEW = "xinfang-gongzuo-tiaoli-2022"


def page(site: BuiltSite, reg_id: str, lang: str = "") -> str:
    prefix = f"{lang}/" if lang else ""
    return (site.output / f"{prefix}regulations/{reg_id}/index.html").read_text("utf-8")


@pytest.mark.parametrize("reg_id", sorted(COUNTS))
def test_every_regulation_renders_with_its_structure(site: BuiltSite, reg_id: str) -> None:
    chapters, sections, articles = COUNTS[reg_id]
    for lang in ("", "en"):
        html = page(site, reg_id, lang)
        assert len(re.findall(r'data-chapter="\d+"', html)) == chapters
        assert len(re.findall(r'data-section="\d+\.\d+"', html)) == sections
        found = re.findall(r'id="art-(\d+)" data-article="(\d+)"', html)
        assert [int(a) for a, _ in found] == list(range(1, articles + 1))
        assert all(a == b for a, b in found)
        assert f'<a class="permalink" href="#art-{articles}"' in html
    document = json.loads((site.output / f"regulations/{reg_id}.json").read_text("utf-8"))
    assert document["meta"]["reg_id"] == reg_id
    assert len(document["chapters"]) == chapters


def test_anchors_and_cross_references(site: BuiltSite) -> None:
    html = page(site, NEW)
    for anchor in ("ch-4", "art-36-p2", "art-22-p1-i3", "art-31-p1-i6"):
        assert f'id="{anchor}"' in html
    # Art. 34 cites 本条例第三十一条第六项: a link to that item.
    art34 = html.split('id="art-34"', 1)[1].split("</section>", 1)[0]
    assert '<a class="xref" href="#art-31-p1-i6">本条例第三十一条第六项</a>' in art34


def test_listing_status_and_supersession(site: BuiltSite) -> None:
    listing = (site.output / "regulations/index.html").read_text("utf-8")
    assert listing.count("data-reg=") == len(COUNTS) == 10
    old = page(site, "xinfang-tiaoli-2005")
    assert 'data-testid="repealed"' in old
    assert f'href="/regulations/{NEW}/"' in old  # superseded by the 2022 Regulations
    # Chinese runs the label into the title; English keeps a space before it. Twice:
    # the page's status line and the one pinned over the articles.
    assert old.count(f'已被取代：<a href="/regulations/{NEW}/">') == 2
    english = page(site, "xinfang-tiaoli-2005", "en")
    assert english.count(f'Superseded by <a href="/en/regulations/{NEW}/">') == 2


def test_english_pages_say_there_is_no_official_translation(site: BuiltSite) -> None:
    html = page(site, NEW, "en")
    assert 'data-testid="no-official-translation"' in html
    assert "Regulations on Petition Work" in html and "第三十四条" not in html.split("<main", 1)[0]
    assert 'lang="zh-CN"' in html  # the official Chinese text is marked as Chinese


def test_guides_cite_their_limits(site: BuiltSite) -> None:
    guides = sorted((site.output / "guides").glob("*/index.html"))
    assert len(guides) >= 6
    for guide in guides:
        html = guide.read_text("utf-8")
        assert '<a class="cite" href="/regulations/' in html, guide
        assert '<details class="cite-text">' in html, guide
    limits = (site.output / "guides/time-limits/index.html").read_text("utf-8")
    assert f'href="/regulations/{NEW}/#art-34">第三十四条</a>' in limits
    english = (site.output / "en/guides/time-limits/index.html").read_text("utf-8")
    assert f'href="/en/regulations/{NEW}/#art-34">Art. 34</a>' in english


def test_labels() -> None:
    # The numerals themselves are tests/test_chinese_numerals.py's.
    assert label([31, 1, 6], "zh") == "第三十一条第一款第六项"
    assert label([23, 3], "en") == "Art. 23(3)"


def content_with(tmp_path: Path, text: str) -> Path:
    content = tmp_path / "content"
    shutil.copytree(Path(__file__).parent.parent / "content", content)
    (content / "guides" / "broken.zh.md").write_text(text, encoding="utf-8")
    return content


@pytest.mark.parametrize(
    ("citation", "message"),
    [
        ("[[2022:99]]", "没有第99条"),
        ("[[2022:34.2]]", "“2022”第34条没有第2款"),
        ("[[2022:22.1.9]]", "没有第9项"),
        ("[[1999:1]]", "没有法规“1999”"),
        ("[[fig:no_such_figure]]", "没有名为“no_such_figure”的实时数字"),
    ],
)
def test_a_broken_citation_fails_the_build_naming_file_and_line(
    tmp_path: Path, fetched_var: Path, citation: str, message: str
) -> None:
    head = "Title: 坏引用\nSlug: broken\nLang: zh\nSummary: 摘要。\n"
    text = f"{head}\n第一段。\n\n第二段引用 {citation}。\n"
    with pytest.raises(BuildError) as failure:
        build_into(tmp_path, fetched_var, content=content_with(tmp_path, text))
    report = str(failure.value)
    # Told with file and line, in the piece's language (the build's content check).
    assert f"content/guides/broken.zh.md:8: {citation}：" in report and message in report


def test_irregular_texts_are_published_with_notes_and_a_text_without_articles_is_refused(
    tmp_path: Path, fetched_var: Path
) -> None:
    shutil.copytree(fetched_var, tmp_path / "var")
    with sqlite3.connect(tmp_path / "var" / "store.sqlite3") as db:
        (text,) = db.execute(
            "SELECT text FROM regulations WHERE reg_id = 'henan-xinfang-tiaoli-2012'"
        ).fetchone()
        # 第五条 mislabelled 第六条: a skipped number, then a repeated one.
        db.execute(
            "UPDATE regulations SET text = ? WHERE reg_id = 'henan-xinfang-tiaoli-2012'",
            (text.replace("第五条", "第六条", 1),),
        )
        db.execute(
            "UPDATE regulations SET text = ? WHERE reg_id = 'zhejiang-xinfang-tiaoli-2016'",
            ("浙江省信访条例\n第一章 总则\n（本条例正文缺失）\n",),
        )
        # A code in parts (编, 分编) with a table of contents, numbers in the thousands.
        code = (CORPUS / "code-with-parts.txt").read_text("utf-8")
        meta = {
            "reg_id": "shili-fadian",
            "title": code.split("\n", 1)[0],
            "issuer": "全国人民代表大会",
            "level": "national",
            "issued_on": "2020-05-28",
            "effective_on": "2021-01-01",
            "status": "in_force",
            "supersedes": [],
            "updated_at": "2021-01-01T00:00:00+08:00",
        }
        db.execute(
            "INSERT INTO regulations(reg_id, meta, text, etag, fetched_at) VALUES (?, ?, ?, ?, ?)",
            ("shili-fadian", json.dumps(meta, ensure_ascii=False), code, None, "2026-11-29"),
        )
        # Inserted articles (第二条之一), for the search hits' deep links below.
        inserted = (CORPUS / "inserted-articles.txt").read_text("utf-8")
        meta = {**meta, "reg_id": "shili-charu", "title": inserted.split("\n", 1)[0]}
        db.execute(
            "INSERT INTO regulations(reg_id, meta, text, etag, fetched_at) VALUES (?, ?, ?, ?, ?)",
            ("shili-charu", json.dumps(meta, ensure_ascii=False), inserted, None, "2026-11-29"),
        )
    site = build_into(tmp_path)
    # The build goes on; its report names each text, the line and what is wrong.
    assert "henan-xinfang-tiaoli-2012 published with an irregularity: line" in site.report
    assert "skipped (expected 第五条)" in site.report and "repeated" in site.report
    assert "zhejiang-xinfang-tiaoli-2016 not published" in site.report
    assert not (site.output / "regulations/zhejiang-xinfang-tiaoli-2016/index.html").exists()
    listing = (site.output / "regulations/index.html").read_text("utf-8")
    assert "文本暂不能发布" in listing
    for lang, words in (("", "条文序号有跳漏"), ("en", "an article number is skipped")):
        html = page(site, "henan-xinfang-tiaoli-2012", lang)
        notice = html.split('data-testid="text-irregularities"', 1)[1].split("</div>", 1)[0]
        assert words in notice and "第六条" in notice
        # Every article under its own number: two 第六条, none renumbered.
        assert 'id="art-6"' in html and 'id="art-6-r2"' in html and 'id="art-5"' not in html
    assert 'data-testid="text-irregularities"' not in page(site, NEW)
    code = page(site, "shili-fadian")
    for anchor in ("part-1", "part-2-sub-2", "part-1-ch-2", "part-2-ch-2-s1", "art-1260"):
        assert f'id="{anchor}"' in code and f'href="#{anchor}"' in code, anchor
    assert "第一千二百六十条" in code and code.count('class="item-number"') == 3
    # The table of contents before the text is not taken for the text's headings.
    assert code.count('data-chapter="') == 4 and code.count('data-part="') == 3 + 4
    # Every article's search hit opens at that article: 第二条之一 at art-2-1, the
    # repeated 第六条 at art-6-r2, not at the article whose number they share.
    links = [
        record["u"]
        for path in site.output.glob("**/d/*.json")
        if (record := json.loads(path.read_text("utf-8"))).get("k") == "article"
    ]
    for wanted in ("shili-charu/#art-2-1", "henan-xinfang-tiaoli-2012/#art-6-r2"):
        assert any(link.endswith(wanted) for link in links), wanted
    for link in links:
        path, anchor = link.split("#")
        html = (site.output / path.strip("/") / "index.html").read_text("utf-8")
        assert f'id="{anchor}"' in html, link
    assert len(links) == len(set(links)), "two hits share one deep link"


def test_guides_cite_the_laws_they_send_petitioners_to(site: BuiltSite) -> None:
    for prefix, labels in (("", ("第二十条", "第四十六条", "第十七条")), ("en/", ("Art. 20",))):
        html = (site.output / f"{prefix}guides/law-related-petitions/index.html").read_text("utf-8")
        for reg_id, anchor in (
            ("xingzheng-fuyi-fa-2023", "art-20-p1"),
            ("xingzheng-susong-fa-2017", "art-46-p1"),
            ("renmin-tiaojie-fa-2010", "art-17"),
        ):
            assert f'href="/{prefix}regulations/{reg_id}/#{anchor}"' in html, (prefix, reg_id)
        assert all(label in html for label in labels)
        assert "六十日内提出行政复议申请" in html  # the cited article's own text
    law = page(site, "xingzheng-fuyi-fa-2023")
    assert 'id="art-20-p1"' in law and "全国人民代表大会常务委员会" in law


def test_citation_error_is_a_value_error() -> None:
    assert issubclass(CitationError, ValueError)
