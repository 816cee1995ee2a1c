"""Publishing rules, with real builds: drafts never published, dates respected, content
problems stop the build, images shrunk, the staff page, docs/authoring.md's example builds."""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from operations.build import CONTENT, PRODUCTION, BuildError, build_site
from operations.site_checks import check_site
from sunshine.cases.calendar import SHANGHAI
from sunshine.config import ROOT
from sunshine.content.content_rules import CATEGORIES
from sunshine.statistics.indicators import INDICATORS
from tests.conftest import BuiltSite, build_into

DOC = ROOT / "docs" / "authoring.md"
EXAMPLE = re.compile(r"<!-- example: (?P<path>\S+) -->\n```markdown\n(?P<text>.*?)```", re.S)
LATER = (datetime.now() + timedelta(days=30)).strftime("%Y-%m-%d")

EXTRA = {
    # A draft pair and a draft guide: never in a published build.
    "explainers/cao-gao.zh.md": "Title: 草稿解读\nSlug: cao-gao\nLang: zh\nDate: 2026-11-01\n"
    "Category: 数据解读\nSummary: 草稿。\nStatus: draft\n\n草稿独有的词语甲乙。\n",
    "explainers/cao-gao.en.md": "Title: Draft explainer\nSlug: cao-gao\nLang: en\n"
    "Date: 2026-11-01\nCategory: Reading the data\nSummary: A draft.\nStatus: draft\n\n"
    "Zanzibarish draft wording.\n",
    "guides/cao-gao-zhi-nan.zh.md": "Title: 草稿指南\nSlug: cao-gao-zhi-nan\nLang: zh\n"
    "Summary: 草稿。\nStatus: draft\n\n草稿指南独有的词语丙丁。\n",
    # Dated later than today: not yet.
    "explainers/wei-lai.zh.md": f"Title: 将来的解读\nSlug: wei-lai\nLang: zh\nDate: {LATER}\n"
    "Category: 工作动态\nSummary: 以后发布。\n\n将来才发布的词语戊己。\n",
    # Published in Chinese only, with a large image.
    "guides/tu-pian.zh.md": "Title: 带图片的指南\nSlug: tu-pian\nLang: zh\nSummary: 有图。\n\n"
    "![信访渠道示意图]({static}/images/wide.png)\n",
    # In English only, with the same image.
    "guides/picture.en.md": "Title: A guide with a picture\nSlug: picture\nLang: en\n"
    "Summary: A picture.\n\n![Diagram of the channels]({static}/images/wide.png)\n",
}


def example_files() -> dict[str, str]:
    """The worked examples of docs/authoring.md, by path under content/."""
    return {m["path"]: m["text"] for m in EXAMPLE.finditer(DOC.read_text("utf-8"))}


def content_with_extras(base: Path) -> Path:
    from PIL import Image

    content = base / "content"
    shutil.copytree(CONTENT, content)
    for name, text in {**EXTRA, **example_files()}.items():
        (content / name).write_text(text, encoding="utf-8")
    (content / "images").mkdir()
    Image.new("RGB", (3000, 1200), "#3a6ea5").save(content / "images" / "wide.png")
    return content


@dataclass(frozen=True)
class Builds:
    dev: BuiltSite
    production: Path
    preview: Path


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory, fetched_var: Path) -> Builds:
    base = tmp_path_factory.mktemp("publishing")
    content = content_with_extras(base)
    dev = build_into(base, fetched_var, content=content)
    production = base / "production"
    build_site(
        PRODUCTION,
        env={"SUNSHINE_OUTPUT": str(production), "SUNSHINE_VAR": str(base / "var")},
        content=content,
    )
    preview = base / "preview"
    build_site(
        env={"SUNSHINE_OUTPUT": str(preview), "SUNSHINE_VAR": str(base / "var")},
        content=content,
        extra={"SUNSHINE_PREVIEW": True},
    )
    return Builds(dev, production, preview)


def texts(root: Path, leave_out: str = "") -> str:
    """Every text file of a build, but those whose path contains ``leave_out``."""
    return "\n".join(
        p.read_text("utf-8", errors="replace")
        for p in root.rglob("*")
        if p.is_file()
        and p.suffix in {".html", ".xml", ".json", ".txt", ".csv"}
        and not (leave_out and leave_out in p.relative_to(root).as_posix())
    )


def test_drafts_and_later_pieces_are_in_no_file_of_either_build(builds: Builds) -> None:
    for root in (builds.dev.output, builds.production):
        everything = texts(root)
        for words in ("草稿独有的词语甲乙", "Zanzibarish", "草稿指南独有的词语丙丁", "戊己"):
            assert words not in everything, (root, words)
        for slug in ("cao-gao", "cao-gao-zhi-nan", "wei-lai"):
            assert not list(root.rglob(f"*{slug}*")), slug
            assert f"/{slug}/" not in everything
        assert not (root / "drafts").exists()
        # The search index holds their words as terms: they must not be there either.
        index = "\n".join(p.read_text("utf-8") for p in (root / "search/index").rglob("*.json"))
        assert "戊己" not in index and "zanzibarish" not in index.lower()


def test_the_worked_example_of_the_docs_builds_with_citation_and_figure(builds: Builds) -> None:
    examples = example_files()
    assert len(examples) == 2
    slug = re.search(r"^Slug: (\S+)", next(iter(examples.values())), re.M)
    assert slug
    for lang_root in ("", "en/"):
        for root in (builds.dev.output, builds.production):
            page = (root / f"{lang_root}explainers/{slug[1]}/index.html").read_text("utf-8")
            assert re.search(r'<a class="cite" href="[^"]*/regulations/[^"]+/#art-35">', page)
            assert '<details class="cite-text">' in page
            assert re.search(r'<span class="live-figure" data-figure="on_time_reply_rate">'
                             r"[\d.]+% ?[（(]\d{4}-\d{2}[）)]</span>", page), page  # fmt: skip
    feed = (builds.production / "en/feeds/all.atom.xml").read_text("utf-8")
    assert f"/en/explainers/{slug[1]}/" in feed


def test_the_docs_name_every_category_and_live_figure() -> None:
    doc = DOC.read_text("utf-8")
    for category in CATEGORIES.values():
        assert all(name in doc for name in category.names.values()), category.key
        assert f"`{category.key}`" in doc
    for code in INDICATORS:
        assert f"`{code}`" in doc, code
    chinese, english = doc.split('<a id="english"></a>')
    for command in ("invoke new", "invoke preview", "invoke check-content", "git push"):
        assert command in chinese and command in english


def test_explainer_categories_tags_and_feeds_in_both_languages(builds: Builds) -> None:
    out = builds.production
    assert (out / "explainers/category/政策解读/index.html").is_file()
    assert (out / "en/explainers/category/policy-explainers/index.html").is_file()
    assert (out / "explainers/tag/复查复核/index.html").is_file()
    assert (out / "en/explainers/tag/time-limits/index.html").is_file()
    for feed in ("feeds/all.atom.xml", "feeds/category/政策解读.atom.xml",
                 "en/feeds/all.atom.xml", "en/feeds/category/policy-explainers.atom.xml",
                 "en/feeds/tag/time-limits.atom.xml"):  # fmt: skip
        assert "<entry>" in (out / feed).read_text("utf-8"), feed


def test_large_images_are_shrunk_and_linked_from_the_page(builds: Builds) -> None:
    from PIL import Image

    for root in (builds.dev.output, builds.production):
        for copy in (root / "images/wide.png", root / "en/images/wide.png"):
            with Image.open(copy) as image:
                assert image.size == (1472, 589), copy
        page = (root / "guides/tu-pian/index.html").read_text("utf-8")
        assert re.search(r'<img alt="信访渠道示意图" src="[^"]*/images/wide\.png"', page)
        english = (root / "en/guides/picture/index.html").read_text("utf-8")
        assert re.search(
            r'<img alt="Diagram of the channels" src="[^"]*/images/wide\.png"', english
        )
    assert check_site(builds.dev.output) == []  # every image link resolves, in both languages


def test_pieces_lacking_a_translation_are_reported_and_on_the_staff_page(builds: Builds) -> None:
    assert "未翻译：content/guides/tu-pian.zh.md 没有英文版" in builds.dev.report
    assert "untranslated: content/guides/picture.en.md has no zh version" in builds.dev.report
    for root in (builds.dev.output, builds.production):
        staff = (root / "staff/index.html").read_text("utf-8")
        assert '<meta name="robots" content="noindex, nofollow">' in staff
        listed = re.search(r'<ul data-testid="untranslated">(.*?)</ul>', staff, re.S)
        assert listed and "content/guides/tu-pian.zh.md" in listed[1]
        assert "cao-gao" not in staff and "wei-lai" not in staff  # unpublished: not named
        # Unlinked: no page but the staff pages themselves (their language links) points at it.
        assert "/staff/" not in texts(root, leave_out="staff/index.html")


def test_a_content_problem_stops_the_build_naming_file_and_line(
    tmp_path: Path, fetched_var: Path
) -> None:
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    (content / "guides/tu.zh.md").write_text(
        "Title: 图\nSlug: tu\nLang: zh\nSummary: 图。\n\n文字。\n\n![]({static}/images/x.png)\n",
        "utf-8",
    )
    (content / "images").mkdir()
    (content / "images/x.png").write_bytes(b"")
    with pytest.raises(BuildError) as failed:
        build_into(tmp_path, fetched_var, content=content)
    assert (
        "content/guides/tu.zh.md:8: 图片“x.png”没有替代文字：写明图片显示什么，"
        "例如 ![每月收件数柱状图]({static}/images/x.png)"
    ) in failed.value.summary.splitlines()
    assert not (tmp_path / "output" / "index.html").exists()


def test_a_preview_shows_drafts_and_later_pieces_in_place_marked(builds: Builds) -> None:
    out = builds.preview
    banner = re.compile(r'<p class="preview-banner" role="note" data-testid="preview-banner">'
                        r"(.*?)</p>")  # fmt: skip
    for path, expected in [
        ("explainers/cao-gao/index.html", "草稿"),
        ("en/explainers/cao-gao/index.html", "Draft"),
        ("guides/cao-gao-zhi-nan/index.html", "草稿"),
        ("explainers/wei-lai/index.html", LATER),
    ]:
        shown = banner.search((out / path).read_text("utf-8"))
        assert shown and expected in shown[1], path
    plain = (out / "guides/review-and-rereview/index.html").read_text("utf-8")
    assert "preview-banner" not in plain
    staff = (out / "staff/index.html").read_text("utf-8")
    assert "content/explainers/cao-gao.zh.md" in staff.split('id="drafts"')[1]
    assert "content/explainers/wei-lai.zh.md" in staff.split('id="scheduled"')[1]


@pytest.mark.parametrize(
    ("status", "days", "preview", "decided"),
    [
        ("published", -1, False, "published"),
        ("published", 1, False, "draft"),  # dated later: not written yet
        ("draft", -1, False, "draft"),
        ("hidden", 1, False, "hidden"),
        ("published", 1, True, "preview-scheduled"),
        ("draft", -1, True, "preview-draft"),
        ("published", -1, True, "published"),
        ("published", None, False, "published"),  # a guide: no date
        ("draft", None, True, "preview-draft"),
    ],
)
def test_which_pieces_a_build_shows(
    status: str, days: int | None, preview: bool, decided: str
) -> None:
    from plugins.authoring import publication

    now = datetime(2026, 11, 22, 9, 0, tzinfo=SHANGHAI)
    date = None if days is None else now + timedelta(days=days)
    assert publication(status, date, now, preview) == decided


def test_only_raster_images_wider_than_the_column_are_shrunk(tmp_path: Path) -> None:
    from PIL import Image

    from plugins.authoring import shrink

    Image.new("RGB", (800, 400)).save(tmp_path / "narrow.png")
    Image.new("RGB", (2000, 1000)).save(tmp_path / "wide.jpg")
    (tmp_path / "diagram.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    assert not shrink(tmp_path / "narrow.png", 1472)
    assert shrink(tmp_path / "wide.jpg", 1472)
    assert not shrink(tmp_path / "diagram.svg", 1472)
    with Image.open(tmp_path / "wide.jpg") as image:
        assert image.size == (1472, 736) and image.format == "JPEG"


@pytest.mark.parametrize(
    ("stored", "orientation", "expected"),
    [
        ((3000, 1000), 6, (1000, 3000)),  # turned upright; narrow enough once upright
        ((4000, 3000), 8, (1472, 1963)),  # turned upright, then shrunk to the column
    ],
)
def test_phone_photos_are_turned_upright_before_shrinking(
    tmp_path: Path, stored: tuple[int, int], orientation: int, expected: tuple[int, int]
) -> None:
    from PIL import ExifTags, Image, ImageDraw

    from plugins.authoring import shrink

    # As a phone stores a photo taken upright: the pixels sideways, and an EXIF
    # Orientation saying how to turn them. The side that is up as the photo is viewed
    # is marked red: the left of the stored pixels for 6, the right for 8.
    photo = Image.new("RGB", stored, "white")
    up = (0, 0, 199, stored[1]) if orientation == 6 else (stored[0] - 200, 0, *stored)
    ImageDraw.Draw(photo).rectangle(up, fill="red")
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    photo.save(tmp_path / "phone.jpg", exif=exif)

    assert shrink(tmp_path / "phone.jpg", 1472)
    with Image.open(tmp_path / "phone.jpg") as result:
        assert result.format == "JPEG" and result.size == expected
        assert result.height > result.width and result.width <= 1472
        # No tag left to turn it a second time in a browser that reads it.
        assert result.getexif().get(ExifTags.Base.Orientation, 1) == 1
        rgb = result.convert("RGB")
        top = rgb.getpixel((result.width // 2, 5))
        bottom = rgb.getpixel((result.width // 2, result.height - 5))
    assert isinstance(top, tuple) and isinstance(bottom, tuple)
    assert top[0] > 200 and top[1] < 80, top  # red on top: upright, not upside down
    assert bottom[1] > 200, bottom


def test_a_photos_metadata_is_not_published(tmp_path: Path) -> None:
    """A narrow photo needs no shrinking, but its EXIF (where it was taken) still goes."""
    from PIL import ExifTags, Image

    from plugins.authoring import shrink

    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif.get_ifd(ExifTags.IFD.GPSInfo)[ExifTags.GPS.GPSLatitude] = (30.0, 15.0, 0.0)
    Image.new("RGB", (800, 600), "white").save(tmp_path / "photo.jpg", exif=exif)
    with Image.open(tmp_path / "photo.jpg") as before:
        assert before.getexif()

    assert shrink(tmp_path / "photo.jpg", 1472)
    with Image.open(tmp_path / "photo.jpg") as after:
        assert after.size == (800, 600) and not after.getexif()
    assert b"PhoneMaker" not in (tmp_path / "photo.jpg").read_bytes()
    assert not shrink(tmp_path / "photo.jpg", 1472)  # nothing left to do


def test_a_build_can_be_made_as_of_another_time() -> None:
    from sunshine.content.content_rules import publication_time

    # SUNSHINE_NOW: Beijing time when it names no zone; its own zone when it does.
    assert publication_time("2026-11-22T09:00:00") == datetime(2026, 11, 22, 9, 0, tzinfo=SHANGHAI)
    assert publication_time("2026-11-22T01:00:00+00:00") == datetime(
        2026, 11, 22, 9, 0, tzinfo=SHANGHAI
    )
    before, now, after = datetime.now(SHANGHAI), publication_time(None), datetime.now(SHANGHAI)
    assert before <= now <= after  # unset: the clock
    with pytest.raises(ValueError, match="SUNSHINE_NOW: 'tomorrow'"):
        publication_time("tomorrow")
