"""Golden outputs: a few generated files, whole, from small fixed inputs.

Other tests check properties (a chart is accessible, a bucket hides its cases, a
CSV has the right header); these pin the bytes, so that any change to what the
site writes shows up in review as a diff of ``tests/__snapshots__/``. A change
that is meant refreshes them with ``invoke golden`` and is reviewed with the
code that made it.

Every input is written out here: no clock, no random data, no demo registry
(whose generator may change for its own reasons), nothing read from the store.
A bucket file is pinned by its layout and a hash of its bytes, never by bytes or
codes, so the snapshot names no query code.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from syrupy.assertion import SnapshotAssertion

from demo_registry.texts import plain_text
from plugins.regulations.generator import document_json
from sunshine.cases.query_code import check_symbol
from sunshine.headers import netlify_file, nginx_snippet
from sunshine.regulations.regulation_text import parse
from sunshine.statistics.charts import bar_chart, line_chart
from sunshine.statistics.disclosure import Published
from sunshine.statistics.open_data import write_open_data
from sunshine.tracker.sealing import (
    CHUNK,
    HEADER,
    Sealable,
    bucket_file,
    derive,
    open_record,
    plaintext,
    salt_for,
)

SITE = "https://sunshine.example.org"

# --- a chart ----------------------------------------------------------------


def test_line_chart(snapshot: SnapshotAssertion) -> None:
    # A withheld month (a gap in the line and the band) and a band on the rest.
    svg = line_chart(
        [("2024-01", 0.52), ("2024-02", None), ("2024-03", 0.61), ("2024-04", 0.705)],
        title="按期办结率",
        desc="按月统计的按期办结率。",
        unit="ratio",
        lang="zh",
        band=[(0.45, 0.59), None, (0.55, 0.67), (0.64, 0.77)],
    )
    assert str(svg) == snapshot


def test_bar_chart(snapshot: SnapshotAssertion) -> None:
    # One bar of each kind: a value, a zero, a suppressed count, a withheld cell.
    svg = bar_chart(
        [
            ("北京市", 1234.0, "ok"),
            ("上海市", 3.0, "suppressed"),
            ("天津市", None, "withheld"),
            ("重庆市", 0.0, "ok"),
        ],
        title="各地区受理信访量",
        desc="2024年各地区受理信访量。",
        unit="cases",
        lang="zh",
    )
    assert str(svg) == snapshot


def test_funnel_chart(snapshot: SnapshotAssertion) -> None:
    # Around 50% overall: one region within, one above the 99.8% limits (a name that
    # needs escaping), one below the 95% limits, and a withheld one that is not drawn.
    from sunshine.statistics.funnel import funnel
    from sunshine.statistics.funnel_chart import funnel_chart

    def row(code: str, num: int | None, den: int | None, status: str) -> Published:
        value = num / den if num is not None and den else None
        return Published("2024", "region", code, "satisfaction_rate", value, num, den, status)  # type: ignore[arg-type]

    overall = Published("2024", "overall", "all", "satisfaction_rate", 0.5, 300, 600, "ok")
    rows = [
        row("110101", 52, 100, "ok"),
        row("110102", 36, 40, "ok"),
        row("110105", 64, 160, "ok"),
        row("110106", None, None, "withheld"),
    ]
    names = {"110101": "东城区", "110102": "西城<区>", "110105": "朝阳区", "110106": "丰台区"}
    f = funnel(overall, rows, names)
    assert f is not None
    svg = funnel_chart(f, title="满意率（2024年，按地区）", desc="", lang="zh")
    assert str(svg) == snapshot


# --- a regulation's JSON ----------------------------------------------------

# As the repository keeps a text (heading marks, the INFO END line), made plain as
# the registry serves it. Small, but with what the model has: chapters, sections
# in one of them, paragraphs, items, and references of each form (an article, a
# paragraph's item, 前款, 本条).
REGULATION_MARKDOWN = """\
# 示例省信访条例

2024年1月10日 示例省人民代表大会常务委员会公布

<!-- INFO END -->

## 第一章 总则

第一条 为了规范信访工作，保障信访人的合法权益，制定本条例。

第二条 本条例适用于本省各级机关、单位开展信访工作。

## 第二章 信访事项的办理

### 第一节 受理

第三条 信访人提出信访事项，应当客观真实。

有下列情形之一的，不予受理：

（一）已经或者依法应当通过诉讼解决的；

（二）已经受理尚在办理期限内的。

第四条 对本条例第三条第二款第（一）项规定的事项，有关机关应当告知信访人向有权机关提出。

### 第二节 办理

第五条 信访事项应当自受理之日起六十日内办结。

情况复杂的，经批准可以适当延长办理期限，但延长期限不得超过三十日。

依照前款延长期限的，应当告知信访人延期理由；本条第一款规定的期限自受理之日起计算。

## 第三章 附则

第六条 本条例自2024年3月1日起施行。
"""
REGULATION_META: dict[str, Any] = {
    "reg_id": "shili-xinfang-tiaoli-2024",
    "title": "示例省信访条例",
    "issuer": "示例省人民代表大会常务委员会",
    "level": "provincial",
    "region": "990000",
    "issued_on": "2024-01-10",
    "effective_on": "2024-03-01",
    "status": "in_force",
    "supersedes": [],
    "updated_at": "2024-03-01T00:00:00+08:00",
}


def test_regulation_json(snapshot: SnapshotAssertion) -> None:
    text = plain_text(REGULATION_MARKDOWN, crlf=False)
    document = parse(text, REGULATION_META["reg_id"])
    assert document_json(REGULATION_META, document) == snapshot


# --- a bucket file's layout -------------------------------------------------


def _code(payload: str) -> str:
    """A well-formed query code from 15 fixed symbols (the 16th is their check)."""
    full = payload + check_symbol(payload)
    return "-".join(full[i : i + 4] for i in range(0, 16, 4))


def test_bucket_file_layout(snapshot: SnapshotAssertion) -> None:
    salt = salt_for("golden-test-secret")
    iterations = 16  # any count pins the bytes; a small one keeps this quick
    records = [
        {"v": 1, "stage": "received", "events": [{"type": "received", "date": "2024-03-01"}]},
        {
            "v": 1,
            "stage": "replied",
            "events": [
                {"type": "received", "date": "2024-03-04"},
                {"type": "accepted", "date": "2024-03-08"},
                {"type": "replied", "date": "2024-04-26", "note": "已书面答复信访人。" * 12},
            ],
        },
        {"v": 1, "stage": "accepted", "events": [{"type": "accepted", "date": "2024-03-11"}]},
    ]
    payloads = ["0000000000000A1", "0000000000000B2", "0000000000000C3"]
    derived = [derive(_code(p), salt, iterations) for p in payloads]
    items = [Sealable.of(d.to_bytes(), plaintext(r)) for d, r in zip(derived, records, strict=True)]
    assert len(items[1].plain) > CHUNK  # one record takes several entries
    data = bucket_file(items, 0, 1)
    # The pinned file is one the lookup opens.
    assert [open_record(data, d) for d in derived] == records
    magic, _epoch, count, chunk = HEADER.unpack_from(data)
    layout = {
        "magic": magic.decode("ascii"),
        "entries": count,
        "chunk": chunk,
        "length": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
    }
    assert layout == snapshot


# --- the open-data CSV ------------------------------------------------------


def test_indicators_csv(snapshot: SnapshotAssertion, tmp_path: Path) -> None:
    # Out of order on purpose (the file sorts them), each status and each number
    # kind (a count, a rate, a mean) once at least.
    rows = [
        Published("2024-02", "region", "310000", "received", None, None, None, "suppressed"),
        Published("2024-02", "overall", "", "received", 57, None, None, "ok"),
        Published("2024-01", "overall", "", "on_time_reply_rate", 0.8125, 26, 32, "ok"),
        Published("2024-01", "overall", "", "received", 41, None, None, "ok"),
        Published("2024-01", "overall", "", "mean_handling_days", 23.456789, None, 32, "ok"),
        Published("2024-01", "region", "110000", "received", 36, None, None, "ok"),
        Published(
            "2024-01", "region", "110000", "on_time_reply_rate", None, None, None, "withheld"
        ),
        Published("2024", "overall", "", "received", 98, None, None, "ok"),
    ]
    regions = [
        {"code": "110000", "name": {"zh": "北京市", "en": "Beijing"}},
        {"code": "310000", "name": {"zh": "上海市", "en": "Shanghai"}},
    ]
    write_open_data(
        rows,
        tmp_path,
        as_of="2024-02-29",
        licence="CC-BY-4.0",
        site_url=SITE,
        code_lists={"regions": regions},
        version="2024.02.29",
    )
    assert (tmp_path / "indicators.csv").read_text("utf-8") == snapshot


# --- the security headers ---------------------------------------------------


def test_nginx_snippet(snapshot: SnapshotAssertion) -> None:
    # As shipped (any host) and for one site, whose script folder the policy names.
    assert nginx_snippet(production=True) == snapshot(name="any-host")
    assert nginx_snippet(production=True, site_url=SITE) == snapshot(name="one-site")


def test_netlify_file(snapshot: SnapshotAssertion) -> None:
    # Production adds HSTS; a development build's file has none and says 'self'.
    assert netlify_file(production=True, site_url=SITE) == snapshot(name="production")
    assert netlify_file(production=False) == snapshot(name="development")
