"""Staff Markdown cannot ship script: HTML is cleaned to an allowlist, every removal is
named with file and line, and ``content/images/`` publishes images only.

Without a build: the allowlist keeps everything the project's own pieces and Markdown
extensions produce and removes each hostile construct. With real builds (development,
production with feeds, preview): hostile pieces in both languages leave no trace in any
file, their ordinary text stays, and files that are not images are not copied. In
Chromium: a piece's ``<script src="/images/x.js">`` runs nothing on /track/.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from operations.build import CONTENT, DEVELOPMENT, PRODUCTION, build_site
from operations.serve import make_server
from sunshine.config import ROOT
from sunshine.content.content_checks import check_content, is_notice, markdown_renderer
from sunshine.content.content_rules import image_refusal
from sunshine.content.sanitise import locate, plain_markdown, removed, sanitise
from sunshine.regulations import citations
from tests.conftest import BuiltSite, base_url, build_into, running

MARK = "pwned"
"""Every hostile payload below carries this word, and no ordinary text does."""

EXPLAINER_ZH = """Title: 一篇带恶意标记的解读
Slug: e-yi
Lang: zh
Date: 2026-11-01
Category: 政策解读
Summary: 摘要文字<script>window.pwnedSummary = 1</script>。

普通文字甲乙丙，[正常链接](https://example.org/normal)，条文 [[2022:35]]，按期办结率 [[fig:on_time_reply_rate]]。

<script>window.pwnedScript = 1</script>

<img src="{static}/images/chart.png" alt="示意图" onerror="pwnedOnerror()">

[点这里](javascript:pwnedJs()) 与 <a href="#top" onclick="pwnedClick()">这里</a>

<form action="/pwned-form"><input name="pwned-input"></form>

<meta http-equiv="refresh" content="0;url=https://pwned.example/">

<iframe src="https://pwned-frame.example/"></iframe>

<style>.pwned-style { display: none }</style>

<p style="color: red; --pwned: 1">红色文字丁戊</p>

| 步骤 | 期限 |
| --- | --- |
| 表格单元己庚 | 30日 |
"""
EXPLAINER_EN = (
    EXPLAINER_ZH.replace("一篇带恶意标记的解读", "An explainer with hostile markup")
    .replace("Lang: zh", "Lang: en")
    .replace("政策解读", "Policy explainers")
    .replace("摘要文字", "Summary words")
    .replace("普通文字甲乙丙", "Ordinary words quokka")
    .replace("红色文字丁戊", "Red words wombat")
    .replace("表格单元己庚", "Table cell numbat")
)
DRAFT = """Title: 草稿
Slug: cao-gao-e-yi
Lang: zh
Summary: 草稿。
Status: draft

草稿文字。

<script>window.pwnedDraft = 1</script>
"""
TRACK_PAYLOAD = '\n<script src="/images/x.js"></script>\n'
IMAGE_PAYLOAD = "window.pwnedImage = 1;\n"
"""What ``content/images/x.js`` (and a script named ``photo.png``) would run."""

REMOVED_ZH = [
    "content/explainers/e-yi.zh.md:6: 发布时删去的HTML：<script>元素",
    "content/explainers/e-yi.zh.md:10: 发布时删去的HTML：<script>元素",
    "content/explainers/e-yi.zh.md:12: 发布时删去的HTML：<img>的onerror属性",
    "content/explainers/e-yi.zh.md:14: 发布时删去的HTML：javascript:链接",
    "content/explainers/e-yi.zh.md:14: 发布时删去的HTML：<a>的onclick属性",
    "content/explainers/e-yi.zh.md:16: 发布时删去的HTML：<form>元素",
    "content/explainers/e-yi.zh.md:16: 发布时删去的HTML：<input>元素",
    "content/explainers/e-yi.zh.md:18: 发布时删去的HTML：<meta>元素",
    "content/explainers/e-yi.zh.md:20: 发布时删去的HTML：<iframe>元素",
    "content/explainers/e-yi.zh.md:22: 发布时删去的HTML：<style>元素",
    "content/explainers/e-yi.zh.md:24: 发布时删去的HTML：<p>的style属性",
]
REMOVED_EN = [
    "content/explainers/e-yi.en.md:6: HTML removed on publishing: <script> element",
    "content/explainers/e-yi.en.md:10: HTML removed on publishing: <script> element",
    "content/explainers/e-yi.en.md:12: HTML removed on publishing: onerror attribute on <img>",
    "content/explainers/e-yi.en.md:14: HTML removed on publishing: javascript: link",
    "content/explainers/e-yi.en.md:14: HTML removed on publishing: onclick attribute on <a>",
    "content/explainers/e-yi.en.md:16: HTML removed on publishing: <form> element",
    "content/explainers/e-yi.en.md:16: HTML removed on publishing: <input> element",
    "content/explainers/e-yi.en.md:18: HTML removed on publishing: <meta> element",
    "content/explainers/e-yi.en.md:20: HTML removed on publishing: <iframe> element",
    "content/explainers/e-yi.en.md:22: HTML removed on publishing: <style> element",
    "content/explainers/e-yi.en.md:24: HTML removed on publishing: style attribute on <p>",
]
"""The same removals in the English translation, told in English."""
NOT_PUBLISHED = [
    "content/images/logo.svg: not published: SVG images can carry script: save it as PNG",
    "content/images/page.html: not published: '.html' files are not images (PNG, JPEG, GIF or WebP)",
    "content/images/photo.png: not published: named .png but not a PNG image",
    "content/images/x.js: not published: '.js' files are not images (PNG, JPEG, GIF or WebP)",
]
TRACK_REMOVED = [
    "content/pages/track.en.md:{n}: HTML removed on publishing: <script> element",
    "content/pages/track.zh.md:{n}: 发布时删去的HTML：<script>元素",
]


def hostile_content(base: Path) -> Path:
    """The project's content, plus a hostile explainer pair, a hostile draft, a script
    tag on both /track/ pages, and files in content/images/ that are not images."""
    from PIL import Image

    content = base / "content"
    shutil.copytree(CONTENT, content)
    (content / "explainers/e-yi.zh.md").write_text(EXPLAINER_ZH, "utf-8")
    (content / "explainers/e-yi.en.md").write_text(EXPLAINER_EN, "utf-8")
    (content / "guides/cao-gao-e-yi.zh.md").write_text(DRAFT, "utf-8")
    for lang in ("zh", "en"):
        track = content / f"pages/track.{lang}.md"
        track.write_text(track.read_text("utf-8") + TRACK_PAYLOAD, "utf-8")
    images = content / "images"
    images.mkdir(exist_ok=True)
    Image.new("RGB", (40, 20), "#3a6ea5").save(images / "chart.png")
    (images / "x.js").write_text(IMAGE_PAYLOAD, "utf-8")
    (images / "photo.png").write_text(IMAGE_PAYLOAD, "utf-8")
    (images / "page.html").write_text(f"<script>{IMAGE_PAYLOAD}</script>", "utf-8")
    (images / "logo.svg").write_text(
        f'<svg xmlns="http://www.w3.org/2000/svg"><script>{IMAGE_PAYLOAD}</script></svg>', "utf-8"
    )
    return content


def track_line(content: Path, lang: str) -> int:
    lines = (content / f"pages/track.{lang}.md").read_text("utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if "<script" in line)


@dataclass(frozen=True)
class Builds:
    content: Path
    dev: BuiltSite
    production: Path
    preview: Path


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory, fetched_var: Path) -> Builds:
    base = tmp_path_factory.mktemp("sanitise")
    content = hostile_content(base)
    dev = build_into(base, fetched_var, content=content)
    env = {
        "SUNSHINE_VAR": str(base / "var"),
        "SUNSHINE_SITE_SECRET": "5e0f3a9c71d2b8466e1c0b7a93f2d58e",
    }
    production, preview = base / "production", base / "preview"
    build_site(PRODUCTION, env={**env, "SUNSHINE_OUTPUT": str(production)}, content=content)
    build_site(
        DEVELOPMENT,
        env={**env, "SUNSHINE_OUTPUT": str(preview)},
        content=content,
        extra={"SUNSHINE_PREVIEW": True},
    )
    return Builds(content, dev, production, preview)


def text_files(root: Path) -> Iterator[Path]:
    suffixes = {".html", ".xml", ".json", ".txt", ".csv", ".js", ".css", ".svg"}
    return (p for p in root.rglob("*") if p.is_file() and p.suffix in suffixes)


# Without a build ---------------------------------------------------------------------


def test_the_projects_own_pieces_lose_nothing(
    fetched_var: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What Pelican renders from content/ (with citations resolved) comes out unchanged."""
    from pelican.readers import MarkdownReader
    from pelican.settings import read_settings

    monkeypatch.setenv("SUNSHINE_VAR", str(fetched_var))
    settings = read_settings(str(DEVELOPMENT))
    pieces = sorted(CONTENT.rglob("*.md"))
    assert len(pieces) >= 20
    for piece in pieces:
        html, meta = MarkdownReader(settings).read(str(piece))
        assert sanitise(html) == html, piece
        assert removed(html) == [], piece
        summary = str(meta.get("summary", ""))
        assert sanitise(summary) == summary, piece
    assert check_content(CONTENT).removed == []


def render(text: str) -> str:
    """``text`` rendered as the build renders staff Markdown (citations included)."""
    import runpy

    settings = runpy.run_path(str(ROOT / "pelicanconf.py"))["MARKDOWN"]
    return markdown.Markdown(
        extensions=list(settings["extension_configs"]),
        extension_configs=settings["extension_configs"],
        output_format=settings["output_format"],
    ).convert(text)


def test_markdown_extensions_markup_is_kept(
    fetched_var: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Everything Markdown extra, toc and the project's citations and live figures write."""
    monkeypatch.setenv("SUNSHINE_VAR", str(fetched_var))
    monkeypatch.setitem(citations.FIGURES, "test_figure", lambda lang: "93.5%（2026-10）")
    html = render(
        "[TOC]\n\n## 标题 {: #own-id .own-class }\n\n"
        "条文 [[2022:35]]，数字 [[fig:test_figure]]，脚注[^1]。\n\n*[HTML]: HyperText\n\n"
        "HTML 缩写。\n\n术语\n: 定义\n\n| 甲 | 乙 |\n| --- | --- |\n| 1 | 2 |\n\n"
        "```python\nprint('<b>')\n```\n\n`<code>` 与 <del>删</del>\n\n> 引文\n\n"
        "![图]({static}/images/a.png){: width=300 height=200 }\n\n"
        "[站内]({filename}../pages/about.zh.md) [外站](https://example.org/?a=1&b=2) "
        "[信](mailto:office@example.org) [锚](#own-id)\n\n"
        '<figure><img src="{static}/images/a.png" alt="图"><figcaption>说明</figcaption></figure>\n\n'
        '<details><summary>更多</summary><p>内容 <abbr title="缩写">缩</abbr></p></details>\n\n'
        "[^1]: 脚注内容。\n"
    )
    assert removed(html) == []
    kept = sanitise(html)
    for markup in (
        '<div class="toc">',
        'id="own-id"',
        'class="own-class"',
        '<abbr title="HyperText">HTML</abbr>',
        '<a class="cite" href="/regulations/',
        '<details class="cite-text"><summary>第三十五条</summary><blockquote>',
        '<span class="live-figure" data-figure="test_figure">93.5%（2026-10）</span>',
        '<sup id="fnref:1"><a class="footnote-ref" href="#fn:1">1</a></sup>',
        '<div class="footnote">',
        '<li id="fn:1">',
        '<a class="footnote-backref" href="#fnref:1" title=',
        "<dl>\n<dt>术语</dt>\n<dd>定义</dd>\n</dl>",
        "<table>",
        '<code class="language-python">',
        'src="{static}/images/a.png"',
        'width="300"',
        'height="200"',
        "<del>删</del>",
        "<blockquote>\n<p>引文</p>\n</blockquote>",
        '<a href="{filename}../pages/about.zh.md">',
        '<a href="https://example.org/?a=1&amp;b=2">',
        '<a href="mailto:office@example.org">',
        "<figure>",
        "<figcaption>说明</figcaption>",
        '<abbr title="缩写">',
    ):
        assert markup in kept, markup


@pytest.mark.parametrize(
    ("written", "what"),
    [
        ("<script>window.pwned = 1</script>", "<script> element"),
        ('<script src="/images/pwned.js"></script>', "<script> element"),
        ('<img src="x.png" alt="图" onerror="pwned()">', "onerror attribute on <img>"),
        ("[点](javascript:pwned())", "javascript: link"),
        ('<a href="JavaScript:pwned()">点</a>', "javascript: link"),
        ('<a href="java&#x09;script:pwned()">点</a>', "javascript: link"),
        ('<a href=" javascript:pwned()">点</a>', "javascript: link"),
        ("[点](data:text/html,pwned)", "data: link"),
        ('<a href="vbscript:pwned">点</a>', "vbscript: link"),
        ('<img src="data:image/svg+xml,pwned" alt="图">', "data: image"),
        ('<a href="#" onclick="pwned()">点</a>', "onclick attribute on <a>"),
        ('<form action="/pwned"><input name="q"><button>搜</button></form>', "<form> element"),
        ('<meta http-equiv="refresh" content="0;url=https://pwned.example/">', "<meta> element"),
        ('<iframe src="https://pwned.example/"></iframe>', "<iframe> element"),
        ("<style>.pwned { display: none }</style>", "<style> element"),
        ('<p style="background: url(pwned)">字</p>', "style attribute on <p>"),
        ('<object data="pwned.swf"></object>', "<object> element"),
        ('<embed src="pwned.swf">', "<embed> element"),
        ('<base href="https://pwned.example/">', "<base> element"),
        ('<link rel="stylesheet" href="https://pwned.example/">', "<link> element"),
        ("<svg><script>pwned()</script></svg>", "<svg> element"),
        ("<noscript><p>pwned</p></noscript>", "<noscript> element"),
        ('<div data-buckets="https://pwned.example/">字</div>', "data-buckets attribute on <div>"),
        ('段落\n{: onclick="pwned()" }', "onclick attribute on <p>"),
    ],
)
def test_hostile_markup_is_removed_and_named(written: str, what: str) -> None:
    html = render(f"前文。\n\n{written}\n\n后文。\n")
    assert MARK in html  # Markdown let it through
    kept = sanitise(html)
    assert MARK not in kept, kept
    assert "前文。" in kept and "后文。" in kept
    assert what in [r.what for r in removed(html)]
    assert removed(kept) == []  # the report and the cleaning agree
    assert not plain_markdown(written)  # so the check renders it


@functools.cache
def check_markdown() -> markdown.Markdown:
    return markdown_renderer()


def checked(text: str) -> str:
    """``text`` rendered as the content check renders it."""
    md = check_markdown()
    md.reset()
    return md.convert(text)


TOKENS = [
    "字", "word", " ", "\n", "\n\n", "    ", "|", "-", ":", "*", "`", "```", "#", "!", "[", "]",
    "(", ")", "{", "}", "<", ">", "&", "=", '"', "'", "^", ".", "/", "\t",
    "](", "]:", "[x]", "[^1]", "{static}", "{filename}", "{: ", "{#id}", ":-", "-:",
    "https://example.org/", "mailto:", "javascript:", "JavaScript:", "data:", "vbscript:",
    "<script>", "<a ", "href=", "onclick=", "style=", "<img ", "src=", "<!--", "&#x09;", "&colon;",
    "<![", "]]>", "</", "<table>", "<td>", "<svg>", "<noscript>", "<form>", "<iframe>", "</a>",
]  # fmt: skip


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.sampled_from(TOKENS), max_size=30).map("".join))
def test_what_the_check_does_not_render_has_nothing_to_remove(text: str) -> None:
    """The check renders only pieces :func:`plain_markdown` is unsure of: the others
    must truly lose nothing."""
    if plain_markdown(text):
        assert removed(checked(text)) == [], text


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.sampled_from(TOKENS), max_size=30).map("".join))
def test_any_text_is_checked_and_cleaning_leaves_nothing_to_report(text: str) -> None:
    html = checked(text)
    removed(html)  # never fails, whatever staff type
    assert removed(sanitise(html)) == [], text


def test_each_removal_is_found_at_its_line_and_code_is_not_markup() -> None:
    source = [
        "示例：`<script>` 不是脚本。",
        "```html",
        "<script>example()</script>",
        "```",
        "<script>one()</script>",
        "",
        "<script>two()</script>",
        "| 甲 | 乙 |",
        "| :-- | --: |",
        "| 1 | 2 |",
    ]
    html = render("\n".join(source))
    assert "&lt;script&gt;" in sanitise(html)  # code shows markup as text: nothing removed
    lines = list(enumerate(source, start=20))
    assert locate(removed(html), lines) == [
        (24, "<script> element"),
        (26, "<script> element"),
        (28, "a table column's alignment (| :--- |, a style attribute)"),
        (28, "a table column's alignment (| :--- |, a style attribute)"),
        (28, "a table column's alignment (| :--- |, a style attribute)"),
        (28, "a table column's alignment (| :--- |, a style attribute)"),
    ]


def test_image_types_by_name_and_content(tmp_path: Path) -> None:
    from PIL import Image

    for name, format_ in [("a.png", "PNG"), ("b.jpg", "JPEG"), ("c.JPEG", "JPEG"),
                          ("d.gif", "GIF"), ("e.webp", "WEBP")]:  # fmt: skip
        Image.new("RGB", (4, 4)).save(tmp_path / name, format=format_)
        assert image_refusal(tmp_path / name) is None, name
    Image.new("RGB", (4, 4)).save(tmp_path / "f.jpg", format="PNG")
    (tmp_path / "g.js").write_text(IMAGE_PAYLOAD)
    (tmp_path / "h.png").write_text(IMAGE_PAYLOAD)
    (tmp_path / "i.gif").write_bytes(b"GIF89a/*" + IMAGE_PAYLOAD.encode())
    (tmp_path / "j.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    (tmp_path / "README").write_text("notes")
    Image.new("RGB", (4, 4)).save(tmp_path / ".hidden.png")
    assert {p.name: image_refusal(p) for p in sorted(tmp_path.iterdir())} == {
        ".hidden.png": "a hidden file (.DS_Store and the like are the system's, not the site's)",
        "README": "files without an extension are not images (PNG, JPEG, GIF or WebP)",
        "a.png": None,
        "b.jpg": None,
        "c.JPEG": None,
        "d.gif": None,
        "e.webp": None,
        "f.jpg": "named .jpg but a PNG image: name it .png",
        "g.js": "'.js' files are not images (PNG, JPEG, GIF or WebP)",
        "h.png": "named .png but not a PNG image",
        "i.gif": "named .gif but not a GIF image",
        "j.svg": "SVG images can carry script: save it as PNG",
    }


# Real builds -------------------------------------------------------------------------


def test_no_hostile_markup_in_any_file_of_any_build(builds: Builds) -> None:
    for root in (builds.dev.output, builds.production, builds.preview):
        for file in text_files(root):
            assert MARK not in file.read_text("utf-8", errors="replace"), file
            assert MARK not in file.name, file
        for page in root.rglob("*.html"):
            for tag in re.findall(r"<script\b[^>]*>", page.read_text("utf-8")):
                assert re.search(r'src="[^"]*/theme/js/[\w-]+\.js"', tag), (page, tag)
    # The draft is shown in the preview only, cleaned like the rest.
    assert "草稿文字" in (builds.preview / "guides/cao-gao-e-yi/index.html").read_text("utf-8")


def test_the_ordinary_text_stays_in_pages_feeds_and_search(builds: Builds) -> None:
    for root in (builds.dev.output, builds.production):
        for lang, words in (("", ("普通文字甲乙丙", "红色文字丁戊", "表格单元己庚")),
                            ("en/", ("Ordinary words quokka", "Red words wombat",
                                     "Table cell numbat"))):  # fmt: skip
            page = (root / f"{lang}explainers/e-yi/index.html").read_text("utf-8")
            for word in words:
                assert word in page, (root, lang, word)
            assert '<a href="https://example.org/normal">' in page
            assert re.search(r'<a class="cite" href="[^"]*/regulations/[^"]+/#art-35">', page)
            assert '<details class="cite-text">' in page
            assert '<span class="live-figure" data-figure="on_time_reply_rate">' in page
            assert re.search(r'<img src="[^"]*/images/chart\.png" alt="示意图">', page)
            assert "<table>" in page and "<p>" in page
    feeds = builds.production / "feeds/all.atom.xml", builds.production / "en/feeds/all.atom.xml"
    for feed, word in zip(feeds, ("普通文字甲乙丙", "Ordinary words quokka"), strict=True):
        assert word in feed.read_text("utf-8"), feed
    index = "\n".join(
        p.read_text("utf-8") for p in (builds.dev.output / "search/index").rglob("*.json")
    )
    assert "quokka" in index.lower()
    assert "/explainers/e-yi/" in index


def test_files_that_are_not_images_are_not_published(builds: Builds) -> None:
    for root in (builds.dev.output, builds.production, builds.preview):
        for images in (root / "images", root / "en/images"):
            assert sorted(p.name for p in images.iterdir()) == ["chart.png"], images


def test_the_build_and_check_content_name_each_removal(builds: Builds, fetched_var: Path) -> None:
    track = [
        line.format(n=track_line(builds.content, lang))
        for line, lang in zip(TRACK_REMOVED, ("en", "zh"), strict=True)
    ]
    expected = [*REMOVED_ZH, *REMOVED_EN]
    told = [line for line in builds.dev.report.splitlines() if is_notice(line)]
    for line in [*expected, *NOT_PUBLISHED, *track]:
        assert line in told, line
    assert not any("cao-gao-e-yi" in line for line in told)  # a draft: not in a site's log
    assert len(told) == len(expected) + len(NOT_PUBLISHED) + len(track)

    env = {**os.environ, "SUNSHINE_VAR": str(fetched_var)}
    done = subprocess.run(
        [sys.executable, "-m", "invoke", "check-content", "--content", str(builds.content)],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr  # removals are not problems
    printed = done.stdout.splitlines()
    for line in [*expected, *NOT_PUBLISHED, *track]:
        assert line in printed, line
    assert "content/guides/cao-gao-e-yi.zh.md:9: 发布时删去的HTML：<script>元素" in printed


def test_a_piece_showing_a_file_that_is_not_an_image_stops_the_build(tmp_path: Path) -> None:
    content = tmp_path / "content"
    (content / "guides").mkdir(parents=True)
    (content / "images").mkdir()
    (content / "images/photo.png").write_text(IMAGE_PAYLOAD)
    (content / "guides/tu.zh.md").write_text(
        "Title: 图\nSlug: tu\nLang: zh\nSummary: 图。\n\n![照片]({static}/images/photo.png)\n",
        "utf-8",
    )
    report = check_content(content)
    assert [str(p) for p in report.problems] == [
        "content/guides/tu.zh.md:6: 图片“photo.png”不会发布：名为.png，但不是PNG图片"
    ]


# In Chromium -------------------------------------------------------------------------


@pytest.mark.browser
def test_a_script_tag_in_a_piece_runs_nothing_on_the_track_page(builds: Builds, page) -> None:  # type: ignore[no-untyped-def]
    output = builds.dev.output
    with running(make_server(output, "127.0.0.1", 0)) as server:
        url = base_url(server)
        for path in ("/track/", "/en/track/"):
            page.goto(url + path)
            page.wait_for_load_state("load")
            assert page.evaluate("typeof window.pwnedImage") == "undefined", path
        assert not any("/images/x.js" in request for request in page.requests)
        # Were the file served after all (a host keeping an old copy), the tag is still gone.
        planted = output / "images/x.js"
        shutil.copy(builds.content / "images/x.js", planted)
        try:
            page.goto(url + "/track/#Q")
            page.wait_for_load_state("load")
            assert page.evaluate("typeof window.pwnedImage") == "undefined"
            # And the payload does run where a script tag loads it: the test can see it.
            page.add_script_tag(url=url + "/images/x.js")
            assert page.evaluate("window.pwnedImage") == 1
        finally:
            planted.unlink()


def test_an_id_the_page_looks_elements_up_by_is_removed_and_named() -> None:
    """A staff element named like the lookup's result area would receive a case."""
    html = render('前文。\n\n<div id="lookup-result" class="x">字</div>\n\n## 小标题\n')
    kept = sanitise(html)
    assert 'id="lookup-result"' not in kept and '<div class="x">字</div>' in kept
    assert "<h2 id=" in kept  # headings keep their anchors
    assert "id 'lookup-result' on <div> (the page's own)" in [r.what for r in removed(html)]
