"""The regulation documents the demo registry serves: metadata and plain texts.

The texts are the files in ``regulations/`` (copied unchanged from the contract's
folder; see SOURCES.md there). The registry serves them as plain text: the
repository's ``#`` heading marks and its ``<!-- INFO END -->`` line are not part of
the official text, so they go. Everything else stays as it is, ideographic spaces
included, and some documents are served with CRLF line ends, because the contract
says spacing and line endings vary between documents and a parser must cope.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

TEXT_DIR = Path(__file__).with_name("regulations")
_HEADING = re.compile(r"^#+[ \t]*", re.MULTILINE)
_INFO_END = "<!-- INFO END -->"

# Documents the registry stores with Windows line ends (as uploaded by some offices).
CRLF = {"beijing-xinfang-tiaoli", "shandong-xinfang-tiaoli-2015", "henan-xinfang-tiaoli-2012"}

# reg_id: (issuer, level, region, issued_on, effective_on, status, supersedes, updated_at).
# Dates come from each text's promulgation lines and its 施行 article. For Shanghai
# (2018) and Henan (2012) the text is the version as amended by a decision of the
# standing committee; such decisions take effect on promulgation, so that date is
# both issued_on and effective_on of this version. The 2005 regulation was repealed
# when the 2022 one took effect (2022-05-01), see SOURCES.md.
_META: dict[str, tuple[str, str, str | None, str, str, str, list[str], str]] = {
    "xinfang-gongzuo-tiaoli-2022": (
        "中共中央、国务院",
        "national",
        None,
        "2022-02-25",
        "2022-05-01",
        "in_force",
        ["xinfang-tiaoli-2005"],
        "2022-05-01T00:00:00+08:00",
    ),
    "xinfang-tiaoli-2005": (
        "国务院",
        "national",
        None,
        "2005-01-10",
        "2005-05-01",
        "repealed",
        [],
        "2022-05-01T00:00:00+08:00",
    ),
    "beijing-xinfang-tiaoli": (
        "北京市人民代表大会常务委员会",
        "provincial",
        "110000",
        "2006-09-15",
        "2007-01-01",
        "in_force",
        [],
        "2007-01-01T00:00:00+08:00",
    ),
    "shanghai-xinfang-tiaoli-2018": (
        "上海市人民代表大会常务委员会",
        "provincial",
        "310000",
        "2018-05-24",
        "2018-05-24",
        "in_force",
        [],
        "2018-05-24T00:00:00+08:00",
    ),
    "shandong-xinfang-tiaoli-2015": (
        "山东省人民代表大会常务委员会",
        "provincial",
        "370000",
        "2015-09-24",
        "2016-01-01",
        "in_force",
        [],
        "2016-01-01T00:00:00+08:00",
    ),
    "henan-xinfang-tiaoli-2012": (
        "河南省人民代表大会常务委员会",
        "provincial",
        "410000",
        "2012-11-29",
        "2012-11-29",
        "in_force",
        [],
        "2012-11-29T00:00:00+08:00",
    ),
    "zhejiang-xinfang-tiaoli-2016": (
        "浙江省人民代表大会常务委员会",
        "provincial",
        "330000",
        "2016-07-29",
        "2016-08-01",
        "in_force",
        [],
        "2016-08-01T00:00:00+08:00",
    ),
    # Laws the guides send petitioners to (SOURCES.md): 行政复议法 as revised on
    # 2023-09-01, 行政诉讼法 as amended on 2017-06-27, 人民调解法 of 2010.
    "xingzheng-fuyi-fa-2023": (
        "全国人民代表大会常务委员会",
        "national",
        None,
        "2023-09-01",
        "2024-01-01",
        "in_force",
        [],
        "2024-01-01T00:00:00+08:00",
    ),
    "xingzheng-susong-fa-2017": (
        "全国人民代表大会常务委员会",
        "national",
        None,
        "2017-06-27",
        "2017-07-01",
        "in_force",
        [],
        "2017-07-01T00:00:00+08:00",
    ),
    "renmin-tiaojie-fa-2010": (
        "全国人民代表大会常务委员会",
        "national",
        None,
        "2010-08-28",
        "2011-01-01",
        "in_force",
        [],
        "2011-01-01T00:00:00+08:00",
    ),
}
REG_IDS = list(_META)


def plain_text(markdown: str, crlf: bool) -> str:
    """The official text: heading marks and the INFO END line dropped, the rest untouched."""
    lines = [line for line in markdown.split("\n") if line.strip() != _INFO_END]
    text = _HEADING.sub("", "\n".join(lines))
    return text.replace("\n", "\r\n") if crlf else text


@cache
def _document(reg_id: str) -> tuple[dict[str, Any], str]:
    """(metadata, text) of one document; read once, the files never change at run time."""
    issuer, level, region, issued, effective, status, supersedes, updated = _META[reg_id]
    markdown = (TEXT_DIR / f"{reg_id}.zh.md").read_text(encoding="utf-8")
    title = markdown.splitlines()[0].lstrip("#").strip()
    meta: dict[str, Any] = {"reg_id": reg_id, "title": title, "issuer": issuer, "level": level}
    if region:
        meta["region"] = region
    meta.update(
        {
            "issued_on": issued,
            "effective_on": effective,
            "status": status,
            "supersedes": list(supersedes),
            "updated_at": updated,
        }
    )
    return meta, plain_text(markdown, reg_id in CRLF)


def listing() -> list[dict[str, Any]]:
    """Metadata of every document, as ``GET /regulations`` lists them."""
    return [dict(_document(reg_id)[0]) for reg_id in REG_IDS]


def document(reg_id: str) -> dict[str, Any] | None:
    """Metadata plus ``text`` of one document, or None for an unknown id."""
    if reg_id not in _META:
        return None
    meta, text = _document(reg_id)
    return {**meta, "text": text}
