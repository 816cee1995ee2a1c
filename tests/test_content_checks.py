"""Content checks without a build: each rule fails on a bad example, naming file, line and fix."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from operations.build import CONTENT
from sunshine.cases.calendar import SHANGHAI
from sunshine.config import ROOT
from sunshine.content.content_checks import check_content
from sunshine.regulations.collection import load
from sunshine.statistics.indicators import INDICATORS

ZH = """Title: 申请复查的期限
Slug: fu-cha
Lang: zh
Date: 2026-11-20
Category: 政策解读
Tags: 复查复核
Summary: 三十日内请求复查。

正文 [[2022:35]]，按期办结率 [[fig:on_time_reply_rate]]。
"""
EN = """Title: The time limit for review
Slug: fu-cha
Lang: en
Date: 2026-11-20
Category: Policy explainers
Summary: Ask for review within 30 days.

Text [[2022:35]], on-time reply rate [[fig:on_time_reply_rate]].
"""
GUIDE = "Title: 指南\nSlug: zhi-nan\nLang: zh\nSummary: 一句话。\n\n正文。\n"


def tree(tmp_path: Path, files: dict[str, str] | None = None) -> Path:
    """A content folder with one good explainer pair, plus ``files`` (``folder/name``: text)."""
    content = tmp_path / "content"
    for name, text in {"explainers/fu-cha.zh.md": ZH, "explainers/fu-cha.en.md": EN,
                       **(files or {})}.items():  # fmt: skip
        path = content / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return content


def problems(content: Path, **kwargs: object) -> list[str]:
    return [str(p) for p in check_content(content, **kwargs).problems]  # type: ignore[arg-type]


def test_a_good_pair_and_the_projects_own_content_pass(tmp_path: Path, fetched_var: Path) -> None:
    regs, figures = load(fetched_var), set(INDICATORS)
    assert problems(tree(tmp_path), regulations=regs, figures=figures) == []
    report = check_content(CONTENT, regulations=regs, figures=figures)
    assert report.problems == [] and len(report.pieces) >= 20


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("Category: 政策解读\n", "", "content/explainers/fu-cha.zh.md:1: 'Category:' is missing"),
        ("Summary: 三十日内请求复查。", "Summary:", "fu-cha.zh.md:7: 'Summary:' is empty"),
        ("Tags: 复查复核", "Tgas: 复查复核", "fu-cha.zh.md:6: unknown field 'Tgas:'; did you mean 'Tags:'?"),
        ("Lang: zh", "Lang: fr", "fu-cha.zh.md:3: language 'fr' is not one of zh, en"),
        ("Lang: zh", "Lang: en", "fu-cha.zh.md:3: the file name says 'zh' but 'Lang:' says 'en'"),
        ("Slug: fu-cha", "Slug: Fu Cha", "fu-cha.zh.md:2: slug 'Fu Cha': lower-case letters"),
        ("Date: 2026-11-20", "Date: 2026-02-30", "fu-cha.zh.md:4: '2026-02-30' is not a date"),
        ("Category: 政策解读", "Category: 政策", "fu-cha.zh.md:5: category '政策' is not one of the site's: 政策解读 / Policy explainers"),
        ("Category: 政策解读", "Category: Policy explainers", "fu-cha.zh.md:5: category 'Policy explainers' is its name in another language: in this file write '政策解读'"),
        ("Category: 政策解读", "Category: 数据解读", "fu-cha.en.md:5: category differs from its translation's (content/explainers/fu-cha.zh.md: 数据解读)"),
        ("Date: 2026-11-20", "Date: 2026-11-21", "fu-cha.en.md:4: date 2026-11-20 differs from its translation's (content/explainers/fu-cha.zh.md: 2026-11-21); both languages appear on one date"),
        ("Summary: 三十日内请求复查。\n", "Summary: 三十日内请求复查。\nStatus: drafts\n", "fu-cha.zh.md:8: status 'drafts' is not one of published, draft, hidden"),
        ("Tags: 复查复核\n", "Tags 复查复核\n", "fu-cha.zh.md:6: 'Tags 复查复核' is not 'Key: value': the front matter ends here"),
    ],
)  # fmt: skip
def test_front_matter_rules(tmp_path: Path, old: str, new: str, expected: str) -> None:
    content = tree(tmp_path)
    (content / "explainers/fu-cha.zh.md").write_text(ZH.replace(old, new), encoding="utf-8")
    found = problems(content)
    assert any(expected in line for line in found), found


def test_slugs_and_pairs(tmp_path: Path) -> None:
    content = tree(
        tmp_path,
        {
            "explainers/other.zh.md": ZH.replace("申请复查的期限", "另一篇"),
            "guides/zhi-nan.zh.md": GUIDE,
            "pages/zhi-nan.en.md": GUIDE.replace("Lang: zh", "Lang: en"),
            "guides/a.zh.md": GUIDE.replace("zhi-nan", "a-one"),
            "guides/a.en.md": GUIDE.replace("zhi-nan", "a-two").replace("Lang: zh", "Lang: en"),
        },
    )
    found = "\n".join(problems(content))
    assert (
        "explainers/other.zh.md:2: slug 'fu-cha' is already used in 'zh' by content/explainers/fu-cha.zh.md"
        in found
    )
    assert (
        "pages/zhi-nan.en.md:2: slug 'zhi-nan' pairs it with content/guides/zhi-nan.zh.md, which is in another folder"
        in found
    )
    assert "the files content/guides/a.en.md and content/guides/a.zh.md are named as one piece but their slugs differ (a-one, a-two)" in found  # fmt: skip


def test_images_need_alt_text_and_a_local_file(tmp_path: Path) -> None:
    from PIL import Image

    body = (
        "\n![]({static}/images/chart.png)\n"
        "![月度柱状图](https://example.com/chart.png)\n"
        '<img src="{static}/images/chart.png">\n'
        "![月度柱状图](images/chart.png)\n"
        "![月度柱状图]({static}/images/missing.png)\n"
        "![月度柱状图]({static}/images/chart.png)\n"
    )
    content = tree(tmp_path, {"guides/zhi-nan.zh.md": GUIDE + body})
    (content / "images").mkdir()
    Image.new("RGB", (8, 8)).save(content / "images/chart.png")
    found = problems(content)
    first = 8  # the line of the first image in the file
    assert found == [
        f"content/guides/zhi-nan.zh.md:{first}: image 'chart.png' has no alt text: say what it "
        "shows, as in ![每月收件数柱状图]({static}/images/chart.png)",
        f"content/guides/zhi-nan.zh.md:{first + 1}: image 'https://example.com/chart.png' is on "
        "another site: put it in content/images/ (no page loads anything from elsewhere)",
        f"content/guides/zhi-nan.zh.md:{first + 2}: image 'chart.png' has no alt text: say what "
        "it shows, as in ![每月收件数柱状图]({static}/images/chart.png)",
        f"content/guides/zhi-nan.zh.md:{first + 3}: image 'images/chart.png': write it as "
        "{static}/images/chart.png",
        f"content/guides/zhi-nan.zh.md:{first + 4}: image 'missing.png' is not in content/images/",
    ]


def test_citations_and_live_figures(tmp_path: Path, fetched_var: Path) -> None:
    text = ZH.replace("[[2022:35]]", "[[2022:99]] [[2022:35.4]] [[nowhere:1]]").replace(
        "on_time_reply_rate", "on_time_reply"
    )
    content = tree(tmp_path)
    (content / "explainers/fu-cha.zh.md").write_text(text, encoding="utf-8")
    found = problems(content, regulations=load(fetched_var), figures=set(INDICATORS))
    zh = "content/explainers/fu-cha.zh.md:9: "
    assert f"{zh}[[2022:99]]: '2022' has no Article 99 (it has 50)" in found
    assert any(line.startswith(f"{zh}[[2022:35.4]]: ") for line in found), found
    assert any(line.startswith(f"{zh}[[nowhere:1]]: no regulation 'nowhere'") for line in found)
    assert (
        f"{zh}[[fig:on_time_reply]]: no live figure 'on_time_reply'; "
        "did you mean [[fig:on_time_reply_rate]]?"
    ) in found


def test_what_staff_are_told_besides(tmp_path: Path) -> None:
    later = (datetime.now(SHANGHAI) + timedelta(days=3)).strftime("%Y-%m-%d")
    content = tree(
        tmp_path,
        {
            "guides/zhi-nan.zh.md": GUIDE,
            "guides/draft.zh.md": GUIDE.replace("zhi-nan", "draft").replace(
                "Summary", "Status: draft\nSummary"
            ),
            "explainers/later.zh.md": ZH.replace("fu-cha", "later").replace("2026-11-20", later),
        },
    )
    report = check_content(content)
    assert report.problems == []
    assert [(p.path, lacking) for p, lacking in report.untranslated] == [
        ("content/guides/zhi-nan.zh.md", ["en"])
    ]  # the draft and the scheduled piece are not published yet, so not listed
    assert [p.path for p in report.drafts] == ["content/guides/draft.zh.md"]
    assert [p.path for p in report.pieces if report.scheduled(p)] == [
        "content/explainers/later.zh.md"
    ]
    assert report.notices() == [
        "untranslated: content/guides/zhi-nan.zh.md has no en version",
        "draft: content/guides/draft.zh.md",
        f"scheduled: content/explainers/later.zh.md appears from {later} 00:00",
    ]
    assert report.notices(drafts=False) == report.notices()[:1]  # what a build prints


def test_files_outside_the_sites_folders_and_not_utf8(tmp_path: Path) -> None:
    content = tree(tmp_path, {"blog/post.md": "Title: x\n"})
    (content / "explainers/old.zh.md").write_bytes("Title: 旧\n".encode("gb18030"))
    found = problems(content)
    assert found[0].startswith("content/blog/post.md:1: not in a folder the site reads")
    assert found[1].startswith("content/explainers/old.zh.md:1: not UTF-8 text")


def test_invoke_check_content_prints_each_problem_and_exits_1(
    tmp_path: Path, fetched_var: Path
) -> None:
    content = tree(tmp_path)
    (content / "explainers/fu-cha.en.md").write_text(
        EN.replace("[[2022:35]]", "[[2022:51]]"), "utf-8"
    )
    shutil.copy(CONTENT / "guides/time-limits.zh.md", content / "time-limits.zh.md")
    env = {**os.environ, "SUNSHINE_VAR": str(fetched_var)}
    done = subprocess.run(
        [sys.executable, "-m", "invoke", "check-content", "--content", str(content)],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 1, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert (
        "content/explainers/fu-cha.en.md:8: [[2022:51]]: '2022' has no Article 51 (it has 50)"
        in lines
    )
    assert any(line.startswith("content/time-limits.zh.md:1: not in a folder") for line in lines)
    assert lines[-1] == "2 pieces checked, 2 problems"
    good = subprocess.run(
        [sys.executable, "-m", "invoke", "check-content"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert good.returncode == 0 and good.stdout.endswith(" 0 problems\n"), good.stdout
