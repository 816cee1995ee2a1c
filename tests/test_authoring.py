"""invoke new: a draft piece in both languages that builds, and that publishes nothing yet."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from operations.build import CONTENT, BuildError, build_site
from sunshine.content.authoring import PieceExists, new_piece, slug_for
from tests.conftest import build_into


def test_the_slug_is_the_title_in_pinyin() -> None:
    assert slug_for("怎样请求复查") == "zen-yang-qing-qiu-fu-cha"
    assert slug_for("2022年条例 要点") == "2022-nian-tiao-li-yao-dian"


def test_a_new_explainer_and_guide_build_as_drafts(tmp_path: Path, fetched_var: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    made = new_piece("explainer", "复查怎么申请", content, today=date(2026, 11, 22))
    made += new_piece("guide", "听证", content, today=date(2026, 11, 22))
    assert [p.name for p in made] == [
        "fu-cha-zen-me-shen-qing.zh.md", "fu-cha-zen-me-shen-qing.en.md",
        "ting-zheng.zh.md", "ting-zheng.en.md",
    ]  # fmt: skip
    zh = made[0].read_text("utf-8")
    assert "Title: 复查怎么申请\nSlug: fu-cha-zen-me-shen-qing\nLang: zh\n" in zh
    assert "Category: 政策解读" in zh and "Status: draft" in zh
    assert "Category: Policy explainers" in made[1].read_text("utf-8")
    site = build_into(tmp_path, fetched_var, content=content)
    # Drafts: not written at all.
    assert not list(site.output.rglob("*fu-cha-zen-me-shen-qing*"))
    assert "fu-cha-zen-me-shen-qing" not in (site.output / "explainers/index.html").read_text(
        "utf-8"
    )
    # A preview shows them in place, marked.
    preview = build_site(
        env={"SUNSHINE_OUTPUT": str(tmp_path / "preview"), "SUNSHINE_VAR": str(site.var)},
        content=content,
        extra={"SUNSHINE_PREVIEW": True},
    )
    assert "untranslated" not in preview
    for lang in ("", "en/"):
        page = tmp_path / "preview" / lang / "explainers/fu-cha-zen-me-shen-qing/index.html"
        assert 'data-testid="preview-banner"' in page.read_text("utf-8")
    # Published with the scaffold's placeholders still in: refused, each named.
    for path in made:
        path.write_text(path.read_text("utf-8").replace("Status: draft\n", ""), "utf-8")
    with pytest.raises(BuildError) as refused:
        build_into(tmp_path, content=content)
    assert (
        "content/explainers/fu-cha-zen-me-shen-qing.en.md:1: '(English title of:' is what "
        "`invoke new` wrote for you to replace; replace it, or keep 'Status: draft'"
    ) in refused.value.summary
    assert "content/guides/ting-zheng.zh.md:6: “在这里写正文。”是`invoke new`留给你替换的文字" in (
        refused.value.summary
    )
    # Filled in and without the Status line: published, in both languages.
    for path in made:
        text = path.read_text("utf-8")
        for placeholder, words in [
            ("(English title of: 复查怎么申请)", "Asking for review"),
            ("(English title of: 听证)", "Hearings"),
            ("一句话说明这篇写什么。", "摘要。"),
            ("One sentence on what this piece covers.", "A summary."),
            ("在这里写正文。", ""),
            ("Write the text here.", ""),
        ]:
            text = text.replace(placeholder, words)
        path.write_text(text, "utf-8")
    site = build_into(tmp_path, content=content)
    for lang in ("", "en/"):
        for folder in ("explainers/fu-cha-zen-me-shen-qing", "guides/ting-zheng"):
            text = (site.output / lang / folder / "index.html").read_text("utf-8")
            assert "preview-banner" not in text


def test_an_existing_piece_is_never_overwritten(tmp_path: Path) -> None:
    new_piece("guide", "听证", tmp_path, today=date(2026, 11, 22))
    before = (tmp_path / "guides" / "ting-zheng.zh.md").read_text("utf-8")
    with pytest.raises(PieceExists, match=r"ting-zheng\.zh\.md"):
        new_piece("guide", "听证", tmp_path, today=date(2026, 11, 23))
    assert (tmp_path / "guides" / "ting-zheng.zh.md").read_text("utf-8") == before
    with pytest.raises(ValueError, match="kind 'blog'"):
        new_piece("blog", "x", tmp_path, today=date(2026, 11, 22))
    with pytest.raises(ValueError, match="slug 'Bad Slug'"):
        new_piece("guide", "x", tmp_path, today=date(2026, 11, 22), slug="Bad Slug")
