"""Staff citations render with the cited text's short title, except the 2022 Regulations'."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from markdown import Markdown

from sunshine.regulations.citations import PRINCIPAL, CitationExtension, short_title
from sunshine.regulations.collection import Regulation, load


def render(var: Path, lang: str, text: str) -> str:
    md = Markdown(
        extensions=["markdown.extensions.meta", CitationExtension(var_path=str(var))],
        output_format="html5",
    )
    return md.convert(f"Title: t\nLang: {lang}\n\n{text}\n")


def links(html: str) -> list[tuple[str, str]]:
    return re.findall(r'<a class="cite" href="([^"]+)">([^<]+)</a>', html)


def test_an_article_of_another_text_is_named_by_its_short_title(fetched_var: Path) -> None:
    regulations = load(fetched_var)
    zhejiang = regulations.get("zhejiang")
    assert zhejiang is not None and zhejiang.document is not None
    assert zhejiang.document.article(30) is not None
    title = str(zhejiang.meta["title"])
    zh = links(render(fetched_var, "zh", "见[[zhejiang:30]]。"))
    assert zh == [(f"/regulations/{zhejiang.reg_id}/#art-30", f"《{title}》第三十条")]
    en = links(render(fetched_var, "en", "See [[zhejiang:30.1]]."))
    assert en == [
        (f"/en/regulations/{zhejiang.reg_id}/#art-30-p1", f"{zhejiang.title('en')}, Art. 30(1)")
    ]


def test_every_text_but_the_2022_regulations_is_named(fetched_var: Path) -> None:
    regulations = load(fetched_var)
    for regulation in regulations.regulations:
        if regulation.document is None:
            continue
        html = render(fetched_var, "zh", f"见[[{regulation.reg_id}:1]]。")
        ((_, text),) = links(html)
        if regulation.reg_id == PRINCIPAL:
            assert text == "第一条"
        else:
            assert text == f"《{short_title(regulation, 'zh')}》第一条"
            assert short_title(regulation, "zh") in str(regulation.meta["title"])
        # The cited text's box is titled as the link is.
        assert f"<summary>{text}</summary>" in html


def test_the_2022_regulations_are_cited_by_number_as_before(fetched_var: Path) -> None:
    assert links(render(fetched_var, "zh", "[[2022:34]]")) == [
        (f"/regulations/{PRINCIPAL}/#art-34", "第三十四条")
    ]
    assert links(render(fetched_var, "en", "[[2022:34]]")) == [
        (f"/en/regulations/{PRINCIPAL}/#art-34", "Art. 34")
    ]


@pytest.mark.parametrize(
    ("title", "short"),
    [
        ("中华人民共和国行政复议法（2023年修订）", "行政复议法"),
        ("中华人民共和国人民调解法", "人民调解法"),
        ("浙江省信访条例(2016年修正)", "浙江省信访条例"),
        ("某市信访工作办法（试行）", "某市信访工作办法（试行）"),  # a trial text says so
        ("信访条例", "信访条例"),
    ],
)
def test_a_short_title_is_the_title_as_cited(title: str, short: str) -> None:
    regulation = Regulation({"reg_id": "x", "title": title}, None)
    assert short_title(regulation, "zh") == short


def test_an_inserted_article_is_cited_and_linked_by_its_own_number(
    fetched_var: Path, tmp_path: Path
) -> None:
    import json
    import shutil
    import sqlite3

    from tests.test_legislative_corpus import CORPUS

    var = tmp_path / "var"
    shutil.copytree(fetched_var, var)
    text = (CORPUS / "inserted-articles.txt").read_text("utf-8")
    meta = {"reg_id": "shili-charu", "title": text.split("\n", 1)[0], "status": "in_force"}
    meta |= {"issuer": "示例", "level": "local", "issued_on": "2020-01-01"}
    with sqlite3.connect(var / "store.sqlite3") as db:
        db.execute(
            "INSERT INTO regulations(reg_id, meta, text, etag, fetched_at) VALUES (?, ?, ?, ?, ?)",
            ("shili-charu", json.dumps(meta, ensure_ascii=False), text, None, "2026-11-29"),
        )
    title = short_title(load(var).get("shili-charu"), "zh")  # type: ignore[arg-type]
    zh = render(var, "zh", "见[[shili-charu:2-1]]和[[shili-charu:2]]。")
    assert links(zh) == [
        ("/regulations/shili-charu/#art-2-1", f"《{title}》第二条之一"),
        ("/regulations/shili-charu/#art-2", f"《{title}》第二条"),
    ]
    # The box under the paragraph quotes 第二条之一 itself, not 第二条.
    inserted = load(var).get("shili-charu").document.article(2, 1)  # type: ignore[union-attr]
    assert inserted is not None and inserted.full_text.splitlines()[0] in zh
    en = links(render(var, "en", "See [[shili-charu:2-1.1]]."))
    assert en == [("/en/regulations/shili-charu/#art-2-1-p1", f"{meta['title']}, Art. 2-1(1)")]
    with pytest.raises(Exception, match="has no Article 2-9"):
        render(var, "zh", "[[shili-charu:2-9]]")
