"""Content checks without a build: each rule fails on a bad example, naming file, line and fix,
in the language of the piece (Chinese for a Chinese piece, English for an English one)."""

from __future__ import annotations

import os
import re
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
        ("Category: 政策解读\n", "", "content/explainers/fu-cha.zh.md:1: 缺少“Category:”字段（本站的类别之一"),
        ("Summary: 三十日内请求复查。", "Summary:", "fu-cha.zh.md:7: “Summary:”字段是空的"),
        ("Tags: 复查复核", "Tgas: 复查复核", "fu-cha.zh.md:6: 没有“Tgas:”这个字段，是不是“Tags:”？"),
        ("Lang: zh", "Lang: fr", "fu-cha.zh.md:3: 语言“fr”不是zh、en之一"),
        ("Lang: zh", "Lang: en", "fu-cha.zh.md:3: 文件名表明语言是“zh”，但“Lang:”写的是“en”"),
        ("Slug: fu-cha", "Slug: Fu Cha", "fu-cha.zh.md:2: 网址名“Fu Cha”只能用小写字母、数字和连字符"),
        ("Date: 2026-11-20", "Date: 2026-02-30", "fu-cha.zh.md:4: “2026-02-30”不是日期"),
        ("Category: 政策解读", "Category: 政策", "fu-cha.zh.md:5: 类别“政策”不是本站的类别：政策解读 / Policy explainers"),
        ("Category: 政策解读", "Category: Policy explainers", "fu-cha.zh.md:5: 类别“Policy explainers”是另一种语言的名称：这个文件里应写“政策解读”"),
        ("Category: 政策解读", "Category: 数据解读", "fu-cha.en.md:5: category differs from its translation's (content/explainers/fu-cha.zh.md: 数据解读)"),
        ("Date: 2026-11-20", "Date: 2026-11-21", "fu-cha.en.md:4: date 2026-11-20 differs from its translation's (content/explainers/fu-cha.zh.md: 2026-11-21); both languages appear on one date"),
        ("Summary: 三十日内请求复查。\n", "Summary: 三十日内请求复查。\nStatus: drafts\n", "fu-cha.zh.md:8: 状态“drafts”不是published、draft、hidden之一"),
        ("Tags: 复查复核\n", "Tags 复查复核\n", "fu-cha.zh.md:6: “Tags 复查复核”不是“字段: 值”的写法，开头的字段到这里就结束了"),
    ],
)  # fmt: skip
def test_front_matter_rules(tmp_path: Path, old: str, new: str, expected: str) -> None:
    content = tree(tmp_path)
    (content / "explainers/fu-cha.zh.md").write_text(ZH.replace(old, new), encoding="utf-8")
    found = problems(content)
    assert any(expected in line for line in found), found


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("Category: Policy explainers\n", "", "content/explainers/fu-cha.en.md:1: 'Category:' is missing (one of the site's categories"),
        ("Tags: x", "Tgas: x", "fu-cha.en.md:5: unknown field 'Tgas:'; did you mean 'Tags:'?"),
        ("Lang: en", "Lang: fr", "fu-cha.en.md:3: language 'fr' is not one of zh, en"),
        ("Lang: en", "Lang: zh", "fu-cha.en.md:3: the file name says 'en' but 'Lang:' says 'zh'"),
        ("Category: Policy explainers", "Category: 政策解读", "fu-cha.en.md:5: category '政策解读' is its name in another language: in this file write 'Policy explainers'"),
        ("Date: 2026-11-20", "Date: 2026-02-30", "fu-cha.en.md:4: '2026-02-30' is not a date (write 2026-11-22"),
    ],
)  # fmt: skip
def test_an_english_piece_is_told_in_english(
    tmp_path: Path, old: str, new: str, expected: str
) -> None:
    content = tree(tmp_path)
    text = EN.replace("Category:", "Tags: x\nCategory:") if "Tags" in old else EN
    (content / "explainers/fu-cha.en.md").write_text(text.replace(old, new), encoding="utf-8")
    found = problems(content)
    assert any(expected in line for line in found), found


@pytest.mark.parametrize(("name", "right"), [("fu-cha.zh.md", "zh"), ("fu-cha.en.md", "en")])
@pytest.mark.parametrize("wrong", ["fr", "english", "ZH", "zh-CN", "the other language"])
def test_one_wrong_lang_line_is_one_message(
    tmp_path: Path, fetched_var: Path, name: str, right: str, wrong: str
) -> None:
    """Not a cascade: the category, slug, pair and citation checks take the file name's
    language, and the message is in it."""
    wrong = {"zh": "en", "en": "zh"}[right] if wrong == "the other language" else wrong
    content = tree(tmp_path)
    text = (content / "explainers" / name).read_text("utf-8")
    (content / "explainers" / name).write_text(
        text.replace(f"Lang: {right}", f"Lang: {wrong}"), "utf-8"
    )
    report = check_content(content, regulations=load(fetched_var), figures=set(INDICATORS))
    assert [(p.path, p.line) for p in report.problems] == [(f"content/explainers/{name}", 3)]
    (message,) = [p.message for p in report.problems]
    assert (re.search(r"[\u4e00-\u9fff]", message) is not None) == (right == "zh"), message
    assert report.notices() == []  # nor is the pair told it lacks a translation


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
        "explainers/other.zh.md:2: 网址名“fu-cha”在“zh”中已被 content/explainers/fu-cha.zh.md 使用"
        in found
    )
    assert (
        "pages/zhi-nan.en.md:2: slug 'zhi-nan' pairs it with content/guides/zhi-nan.zh.md, which is in another folder"
        in found
    )
    assert "guides/a.zh.md:2: 文件content/guides/a.en.md和content/guides/a.zh.md的文件名表明是同一篇，但网址名不同（a-one、a-two）" in found  # fmt: skip


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
        f"content/guides/zhi-nan.zh.md:{first}: 图片“chart.png”没有替代文字：写明图片显示什么，"
        "例如 ![每月收件数柱状图]({static}/images/chart.png)",
        f"content/guides/zhi-nan.zh.md:{first + 1}: 图片“https://example.com/chart.png”在别的"
        "网站上：请放进 content/images/（网页不从别处加载任何东西）",
        f"content/guides/zhi-nan.zh.md:{first + 2}: 图片“chart.png”没有替代文字：写明图片显示"
        "什么，例如 ![每月收件数柱状图]({static}/images/chart.png)",
        f"content/guides/zhi-nan.zh.md:{first + 3}: 图片“images/chart.png”：请写作 "
        "{static}/images/chart.png",
        f"content/guides/zhi-nan.zh.md:{first + 4}: 图片“missing.png”不在 content/images/ 里",
    ]
    english = GUIDE.replace("Lang: zh", "Lang: en") + body
    content = tree(tmp_path / "en", {"guides/zhi-nan.en.md": english})
    (content / "images").mkdir()
    Image.new("RGB", (8, 8)).save(content / "images/chart.png")
    assert problems(content)[-1] == (
        f"content/guides/zhi-nan.en.md:{first + 4}: image 'missing.png' is not in content/images/"
    )


def test_citations_and_live_figures(tmp_path: Path, fetched_var: Path) -> None:
    text = ZH.replace("[[2022:35]]", "[[2022:99]] [[2022:35.4]] [[nowhere:1]]").replace(
        "on_time_reply_rate", "on_time_reply"
    )
    content = tree(tmp_path)
    (content / "explainers/fu-cha.zh.md").write_text(text, encoding="utf-8")
    regulations = load(fetched_var)
    found = problems(content, regulations=regulations, figures=set(INDICATORS))
    zh = "content/explainers/fu-cha.zh.md:9: "
    new = regulations.get("2022")
    assert new is not None and new.document is not None
    count = len(new.document.articles)
    assert f"{zh}[[2022:99]]：“2022”没有第99条（共{count}条）" in found
    assert any(line.startswith(f"{zh}[[2022:35.4]]：“2022”第35条没有第4款") for line in found)
    assert any(line.startswith(f"{zh}[[nowhere:1]]：没有法规“nowhere”") for line in found)
    assert (
        f"{zh}[[fig:on_time_reply]]：没有名为“on_time_reply”的实时数字，"
        "是不是[[fig:on_time_reply_rate]]？"
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
        "未翻译：content/guides/zhi-nan.zh.md 没有英文版",
        "草稿：content/guides/draft.zh.md",
        f"定时发布：content/explainers/later.zh.md 从{later} 00:00起发布",
    ]
    assert report.notices(drafts=False) == report.notices()[:1]  # what a build prints


def test_files_outside_the_sites_folders_and_not_utf8(tmp_path: Path) -> None:
    content = tree(tmp_path, {"blog/post.md": "Title: x\n"})
    (content / "explainers/old.zh.md").write_bytes("Title: 旧\n".encode("gb18030"))
    found = problems(content)
    assert found[0].startswith("content/blog/post.md:1: 不在网站读取的文件夹里")
    assert found[1].startswith("content/explainers/old.zh.md:1: 不是UTF-8编码的文本")


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
    count = len(load(fetched_var).get("2022").document.articles)  # type: ignore[union-attr]
    assert (
        f"content/explainers/fu-cha.en.md:8: [[2022:51]]: '2022' has no Article 51 (it has {count})"
        in lines
    )
    assert any(
        line.startswith("content/time-limits.zh.md:1: 不在网站读取的文件夹里") for line in lines
    )
    assert lines[-1] == "2 pieces checked, 2 problems"
    good = subprocess.run(
        [sys.executable, "-m", "invoke", "check-content"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert good.returncode == 0 and good.stdout.endswith(" 0 problems\n"), good.stdout


def test_every_message_is_in_both_languages_with_the_same_blanks() -> None:
    from string import Formatter

    from sunshine.content.messages import MESSAGES

    for key, texts in MESSAGES.items():
        assert set(texts) == {"en", "zh"}, key
        blanks = {
            lang: sorted(name for _, name, _, _ in Formatter().parse(text) if name)
            for lang, text in texts.items()
        }
        assert blanks["en"] == blanks["zh"], key
        assert re.search(r"[\u4e00-\u9fff]", texts["zh"]), key
