"""The open-data files of the site's ``/data/`` folder.

DESIGN.md ("Statistics and open data") names the files researchers rely on:
``datapackage.json`` (a Frictionless Data Package that ``frictionless
validate`` accepts) and ``indicators.csv`` in long form with the columns
``period, dimension, code, indicator, value, numerator, denominator, status,
complete`` (``complete`` is ``false`` for the month and the year the data's
snapshot falls in: their figures will still grow).
:func:`write_open_data` writes them from the rows :func:`sunshine.statistics.disclosure.protect`
returns, plus friendlier per-topic files:

* ``overall.csv`` (wide: one row per period, one column per indicator) and
  ``overall.json``, overall figures only;
* ``by-region.csv``, ``by-category.csv``, ``by-channel.csv``, ``by-agency.csv``
  (long, like ``indicators.csv``, one breakdown each);
* ``codes-<list>.csv`` for each code list (``code, name_zh, name_en, parent, region``);
* ``dcat.json``, a DCAT-AP style JSON-LD record of the dataset;
* ``changelog.json``, the releases so far (version, as_of, rows), kept across
  builds into the same folder: a new ``version`` is appended, a known one is not.

Output is byte-identical for identical input: rows are sorted, JSON keys are
sorted, numbers have one fixed format (counts as integers, everything else to
six significant digits without exponents), lines end in ``\\n``, and the only
date written is ``as_of``. Hidden values (status ``suppressed`` or
``withheld``) are empty fields in CSV and ``null`` in JSON.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic_core import to_json

from sunshine.statistics.citation import cite
from sunshine.statistics.disclosure import Published
from sunshine.statistics.indicators import DIMENSIONS, INDICATORS, is_complete
from sunshine.statistics.microdata import FILE as CASES_FILE
from sunshine.statistics.microdata import Microdata, write_cases_csv
from sunshine.statistics.microdata import schema as cases_schema

__all__ = ["COLUMNS", "PACKAGE_NAME", "format_number", "licence_info", "write_open_data"]

PACKAGE_NAME = "sunshine-petition-statistics"
COLUMNS = (
    "period",
    "dimension",
    "code",
    "indicator",
    "value",
    "numerator",
    "denominator",
    "status",
    "complete",
)
STATUSES = ("ok", "suppressed", "withheld")
BREAKDOWNS = {
    "region": "by-region",
    "category": "by-category",
    "channel": "by-channel",
    "agency": "by-agency",
}
CODE_COLUMNS = ("code", "name_zh", "name_en", "parent", "region")
PERIOD_PATTERN = r"^\d{4}(-\d{2})?$"
PUBLISHER = "Sunshine"
TITLE = "Sunshine petition (信访) statistics"
DESCRIPTION = (
    "Monthly and yearly indicators of petition (信访) handling, overall and by region,"
    " category, channel and agency, after disclosure control: breakdown counts of 1 to 4"
    " are suppressed and rates with a denominator under 20 are withheld."
)
LICENCES: dict[str, tuple[str, str]] = {
    "CC-BY-4.0": (
        "https://creativecommons.org/licenses/by/4.0/",
        "Creative Commons Attribution 4.0",
    ),
    "CC0-1.0": ("https://creativecommons.org/publicdomain/zero/1.0/", "CC0 1.0"),
    "ODbL-1.0": ("https://opendatacommons.org/licenses/odbl/1-0/", "Open Database License 1.0"),
}
DEFAULT_LICENCE = "CC-BY-4.0"
MEDIA_TYPES = {"csv": "text/csv", "json": "application/json"}
# utf-8-sig: the CSVs start with a byte-order mark (Excel reads UTF-8 only with one).
_CSV_RESOURCE = {"profile": "tabular-data-resource", "format": "csv", "mediatype": "text/csv",
                 "encoding": "utf-8-sig"}  # fmt: skip
_DCAT_CONTEXT = {"dcat": "http://www.w3.org/ns/dcat#", "dct": "http://purl.org/dc/terms/",
                 "foaf": "http://xmlns.com/foaf/0.1/", "owl": "http://www.w3.org/2002/07/owl#",
                 "xsd": "http://www.w3.org/2001/XMLSchema#"}  # fmt: skip
_IANA = "https://www.iana.org/assignments/media-types/"


def format_number(value: float | int | None, kind: str = "rate") -> str:
    """One fixed text form: ``""`` for None, counts as integers, else 6 significant digits."""
    if value is None:
        return ""
    if kind == "count":
        return str(int(value))
    if 1e-4 <= abs(value) < 999_999.5:  # "g" has no exponent here: the same text, faster
        return format(float(value), ".6g")
    text = format(Decimal(format(float(value), ".6g")), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _json_number(value: float | int | None, kind: str) -> float | int | None:
    text = format_number(value, kind)
    if text == "":
        return None
    return int(text) if kind == "count" or "." not in text else float(text)


def licence_info(licence: str) -> dict[str, str]:
    """The Data Package ``licenses`` entry for a licence setting (a name or a URL)."""
    licence = licence.strip() or DEFAULT_LICENCE
    if licence in LICENCES:
        path, title = LICENCES[licence]
        return {"name": licence, "path": path, "title": title}
    for name, (path, title) in LICENCES.items():
        if licence.rstrip("/") == path.rstrip("/"):
            return {"name": name, "path": path, "title": title}
    if licence.startswith(("http://", "https://")):
        return {"path": licence, "title": licence}
    return {"name": licence, "title": licence}


# --------------------------------------------------------------------------
# Writing


def _csv_text(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    out = io.StringIO()
    # A byte-order mark first: without it Excel reads the file as the local
    # code page and garbles the Chinese; the resources declare ``utf-8-sig``.
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def _json_text(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, indent=2) + "\n"


def _records_json(records: list[dict[str, str | bool]]) -> str:
    """Records (keys in column order) as indented JSON.

    pydantic-core's encoder: the standard library's falls back to pure Python
    when indenting, several seconds for a million cases' tables.
    """
    return to_json(records, indent=2).decode() + "\n"


def _write(path: Path, text: str) -> Path:
    path.write_bytes(text.encode("utf-8"))
    return path


def _kind(indicator: str) -> str:
    try:
        return INDICATORS[indicator].kind
    except KeyError:
        raise ValueError(f"unknown indicator {indicator!r}") from None


_INDICATOR_ORDER = {code: n for n, code in enumerate(INDICATORS)}
_DIMENSION_ORDER = {dimension: n for n, dimension in enumerate(DIMENSIONS)}


def _sort_key(row: Published) -> tuple[str, int, str, int]:
    if row.dimension not in _DIMENSION_ORDER:
        raise ValueError(f"unknown dimension {row.dimension!r}")
    if row.status not in STATUSES:
        raise ValueError(f"unknown status {row.status!r}")
    if row.indicator not in _INDICATOR_ORDER:
        raise ValueError(f"unknown indicator {row.indicator!r}")
    return (
        row.period,
        _DIMENSION_ORDER[row.dimension],
        row.code,
        _INDICATOR_ORDER[row.indicator],
    )


def _flag(period: str, snapshot: date) -> str:
    return "true" if is_complete(period, snapshot) else "false"


def _snapshot(as_of: str) -> date:
    """The date of ``as_of`` as written (the registry's own, Asia/Shanghai, date)."""
    return date.fromisoformat(as_of[:10])


def _long_row(row: Published, snapshot: date) -> list[str]:
    kind = _kind(row.indicator)
    hidden = row.status != "ok"
    return [
        row.period,
        row.dimension,
        row.code,
        row.indicator,
        "" if hidden else format_number(row.value, kind),
        "" if hidden or row.numerator is None else str(row.numerator),
        "" if hidden or row.denominator is None else str(row.denominator),
        row.status,
        _flag(row.period, snapshot),
    ]


# --------------------------------------------------------------------------
# Table Schemas


def _field(name: str, kind: str, description: str, **constraints: Any) -> dict[str, Any]:
    field: dict[str, Any] = {"name": name, "type": kind, "description": description}
    if constraints:
        field["constraints"] = constraints
    return field


_PERIOD_TEXT = "Calendar month (YYYY-MM) or year (YYYY)."
_COMPLETE_TEXT = (
    "false for the month and the year the data's snapshot falls in: their figures are"
    " partial and will still change; true for periods that had ended."
)
_STATUS_TEXT = (
    "ok; suppressed (a breakdown count of 1 to 4, or hidden so it cannot be recovered by"
    " differencing); withheld (a rate on fewer than 20 cases, or hidden likewise)."
)


def _long_schema(dimensions: Sequence[str], primary: Sequence[str]) -> dict[str, Any]:
    definitions = " ".join(f"`{c}`: {i.definition['en']}" for c, i in INDICATORS.items())
    fields = [
        _field("period", "string", _PERIOD_TEXT, required=True, pattern=PERIOD_PATTERN),
        _field("dimension", "string", f"The breakdown: {', '.join(DIMENSIONS)}.",
               required=True, enum=list(dimensions)),
        _field("code", "string", "The code within the breakdown (`all` for overall);"
               " see the codes-*.csv lists.", required=True),
        _field("indicator", "string", definitions, required=True, enum=list(INDICATORS)),
        _field("value", "number", "Counts: the count. Rates: numerator / denominator as a"
               " decimal. Means and medians: days. Empty when hidden or undefined."),
        _field("numerator", "integer", "The rate's numerator (counts: the count).", minimum=0),
        _field("denominator", "integer", "The rate's denominator; for means and medians"
               " the cases averaged.", minimum=0),
        _field("status", "string", _STATUS_TEXT, required=True, enum=list(STATUSES)),
        _field("complete", "boolean", _COMPLETE_TEXT, required=True),
    ]  # fmt: skip
    return {"fields": fields, "primaryKey": list(primary), "missingValues": [""]}


def _wide_schema() -> dict[str, Any]:
    fields = [_field("period", "string", _PERIOD_TEXT, required=True, pattern=PERIOD_PATTERN)]
    for code, ind in INDICATORS.items():
        kind = "integer" if ind.kind == "count" else "number"
        fields.append(_field(code, kind, f"{ind.name['en']}: {ind.definition['en']}"))
    fields.append(_field("complete", "boolean", _COMPLETE_TEXT, required=True))
    return {"fields": fields, "primaryKey": ["period"], "missingValues": [""]}


def _codes_schema() -> dict[str, Any]:
    fields = [
        _field("code", "string", "The code.", required=True, unique=True),
        _field("name_zh", "string", "Name in Chinese."),
        _field("name_en", "string", "Name in English."),
        _field("parent", "string", "The parent code, if any."),
        _field("region", "string", "The region code (agencies)."),
    ]
    return {"fields": fields, "primaryKey": ["code"], "missingValues": [""]}


def _code_row(item: Mapping[str, Any]) -> list[str]:
    name = item.get("name")
    zh = item.get("name_zh", name.get("zh") if isinstance(name, Mapping) else name)
    en = item.get("name_en", name.get("en") if isinstance(name, Mapping) else "")
    return [
        str(v) if v is not None else ""
        for v in (item.get("code"), zh, en, item.get("parent"), item.get("region"))
    ]


# --------------------------------------------------------------------------
# The files


def _changelog(folder: Path, version: str, as_of: str, rows: int) -> list[dict[str, Any]]:
    path = folder / "changelog.json"
    releases: list[dict[str, Any]] = []
    if path.exists():
        data = json.loads(path.read_text(encoding="utf-8"))
        releases = list(data.get("releases", []) if isinstance(data, dict) else data)
    if all(r.get("version") != version for r in releases):
        releases.append({"version": version, "as_of": as_of, "rows": rows})
    return releases


def write_open_data(
    published: Sequence[Published],
    folder: Path,
    *,
    as_of: str,
    licence: str,
    site_url: str,
    code_lists: Mapping[str, Sequence[Mapping[str, Any]]],
    version: str,
    publisher: str = PUBLISHER,
    site_name: str = "阳光信访",
    microdata: Microdata | None = None,
) -> list[Path]:
    """Write the open-data files into ``folder`` (the site's ``/data/``); return their paths.

    ``published`` are the rows of :func:`sunshine.statistics.disclosure.protect`;
    ``code_lists`` maps a list name (``regions``, ...) to its items (``code``,
    ``name`` as ``{zh, en}`` or ``name_zh``/``name_en``, ``parent``, ``region``).
    ``changelog.json`` already in ``folder`` is read and extended. The
    per-indicator downloads go to ``indicators/`` (not catalogue entries: each
    is a slice of ``indicators.csv``, linked from its indicator's page).
    ``microdata`` (:func:`sunshine.statistics.microdata.build`), when given, is
    written as ``cases.csv``, the case-level file.
    """
    folder.mkdir(parents=True, exist_ok=True)
    rows = sorted(published, key=_sort_key)
    snapshot = _snapshot(as_of)
    lines = [_long_row(r, snapshot) for r in rows]
    written: list[Path] = []
    resources: list[dict[str, Any]] = []

    def table(name: str, title: str, description: str, schema: dict[str, Any], text: str) -> None:
        path = _write(folder / f"{name}.csv", text)
        written.append(path)
        meta = {"name": name, "path": path.name, "title": title, "description": description}
        resources.append({**meta, **_CSV_RESOURCE, "schema": schema})

    table(
        "indicators",
        "All indicators, long form",
        "Every indicator for every period and breakdown, one value per row.",
        _long_schema(DIMENSIONS, ("period", "dimension", "code", "indicator")),
        _csv_text(COLUMNS, lines),
    )

    overall = [r for r in rows if r.dimension == "overall"]
    periods: dict[str, dict[str, Published]] = {}
    for r in overall:
        periods.setdefault(r.period, {})[r.indicator] = r

    def wide(period: str, ind: str) -> float | None:
        r = periods[period].get(ind)
        return None if r is None or r.status != "ok" else r.value

    table(
        "overall",
        "Overall indicators, one row per period",
        "The overall figures (no breakdown), one column per indicator.",
        _wide_schema(),
        _csv_text(
            ["period", *INDICATORS, "complete"],
            (
                [
                    p,
                    *(format_number(wide(p, c), i.kind) for c, i in INDICATORS.items()),
                    _flag(p, snapshot),
                ]
                for p in sorted(periods)
            ),
        ),
    )

    for dimension, name in BREAKDOWNS.items():
        table(
            name,
            f"Indicators by {dimension}",
            f"The indicators broken down by {dimension}, long form.",
            _long_schema((dimension,), ("period", "code", "indicator")),
            _csv_text(
                COLUMNS,
                (line for r, line in zip(rows, lines, strict=True) if r.dimension == dimension),
            ),
        )

    for list_name in sorted(code_lists):
        items = sorted((_code_row(i) for i in code_lists[list_name]), key=lambda row: row[0])
        table(
            f"codes-{list_name}",
            f"Code list: {list_name}",
            f"The codes of the {list_name} list with their names.",
            _codes_schema(),
            _csv_text(CODE_COLUMNS, items),
        )

    if microdata is not None:
        path = write_cases_csv(microdata, folder / CASES_FILE)
        written.append(path)
        about = {"name": "cases", "path": path.name, "title": "Cases, one row per case",
                 "description": microdata.description()}  # fmt: skip
        resources.append({**about, **_CSV_RESOURCE, "schema": cases_schema()})

    values = [
        {
            "period": p,
            "values": {c: _json_number(wide(p, c), i.kind) for c, i in INDICATORS.items()},
            "complete": is_complete(p, snapshot),
        }
        for p in sorted(periods)
    ]
    meta = [asdict(i) for i in INDICATORS.values()]
    record = {"as_of": as_of, "version": version, "indicators": meta, "periods": values}
    written.append(_write(folder / "overall.json", _json_text(record)))

    lic = licence_info(licence)
    package = {
        "name": PACKAGE_NAME,
        "title": TITLE,
        "description": DESCRIPTION,
        "version": version,
        "created": as_of if "T" in as_of else f"{as_of}T00:00:00Z",
        "homepage": site_url,
        "licenses": [lic],
        # A custom property (the Data Package spec allows them): the suggested
        # citation of the whole data set, in each language of the site.
        "citation": {
            lang: cite(
                lang,
                title=TITLE,
                site=site_name,
                publisher=publisher,
                as_of=as_of,
                url=site_url.rstrip("/") + "/data/",
                licence=lic["title"],
            ).as_dict()
            for lang in ("zh", "en")
        },
        "keywords": ["信访", "petitions", "statistics"],
        "profile": "tabular-data-package",
        "resources": resources,
    }
    written.append(_write(folder / "datapackage.json", _json_text(package)))

    releases = _changelog(folder, version, as_of, len(rows))
    written.append(_write(folder / "changelog.json", _json_text({"releases": releases})))

    base = site_url.rstrip("/") + "/data/"
    distributions = [
        {
            "@type": "dcat:Distribution",
            "dct:title": p.name,
            "dcat:downloadURL": {"@id": base + p.name},
            "dcat:accessURL": {"@id": base + p.name},
            "dcat:mediaType": {"@id": _IANA + MEDIA_TYPES[p.suffix.lstrip(".")]},
            "dct:format": p.suffix.lstrip(".").upper(),
        }
        for p in sorted(written, key=lambda p: p.name)
    ]
    licence_ref = lic.get("path", lic.get("name", ""))
    dcat = {
        "@context": _DCAT_CONTEXT,
        "@id": base + "dcat.json#dataset",
        "@type": "dcat:Dataset",
        "dct:identifier": PACKAGE_NAME,
        "dct:title": TITLE,
        "dct:description": DESCRIPTION,
        "dct:issued": {"@value": as_of, "@type": "xsd:date"},
        "dct:modified": {"@value": as_of, "@type": "xsd:date"},
        "dct:license": {"@id": licence_ref},
        "owl:versionInfo": version,
        "dct:publisher": {"@type": "foaf:Agent", "foaf:name": PUBLISHER},
        "dcat:landingPage": {"@id": site_url},
        "dcat:keyword": ["信访", "petitions", "statistics"],
        "dcat:distribution": distributions,
    }
    written.append(_write(folder / "dcat.json", _json_text(dcat)))
    _write_indicator_files(rows, lines, folder / "indicators")
    return written


def _write_indicator_files(
    rows: Sequence[Published], lines: Sequence[list[str]], folder: Path
) -> None:
    """One CSV and one JSON per indicator (every period and dimension), for its page's
    downloads: ``rows`` sorted, ``lines`` their ``indicators.csv`` lines."""
    folder.mkdir(parents=True, exist_ok=True)
    by_indicator: dict[str, list[list[str]]] = {code: [] for code in INDICATORS}
    for row, line in zip(rows, lines, strict=True):
        by_indicator[row.indicator].append(line)
    for code, mine in by_indicator.items():
        _write(folder / f"{code}.csv", _csv_text(COLUMNS, mine))
        # JSON has a true boolean for the flag; the other fields stay as in the CSV.
        records: list[dict[str, str | bool]] = [
            {**dict(zip(COLUMNS, line, strict=True)), "complete": line[-1] == "true"}
            for line in mine
        ]
        _write(folder / f"{code}.json", _records_json(records))


def write_release_feed(folder: Path, *, site_url: str, title: str, link: str) -> Path:
    """An Atom feed of statistics releases, from ``changelog.json`` (feedgenerator, as Pelican)."""
    from datetime import datetime

    from feedgenerator import Atom1Feed

    from sunshine.cases.calendar import SHANGHAI

    releases = json.loads((folder / "changelog.json").read_text(encoding="utf-8"))["releases"]
    feed = Atom1Feed(
        title=title, link=link, description=title, feed_url=f"{site_url}/data/releases.atom.xml"
    )
    for release in releases:
        when = datetime.fromisoformat(str(release["as_of"]).replace("Z", "+00:00"))
        if when.tzinfo is None:  # a date: the registry's dates are Asia/Shanghai
            when = when.replace(tzinfo=SHANGHAI)
        feed.add_item(
            title=f"{title}: {release['version']}",
            link=f"{site_url}/data/",
            description=f"Data as of {release['as_of']}; {release['rows']} rows in indicators.csv.",
            unique_id=f"{site_url}/data/#release-{release['version']}",
            pubdate=when,
            updateddate=when,
        )
    path = folder / "releases.atom.xml"
    with path.open("w", encoding="utf-8") as out:
        feed.write(out, "utf-8")
    return path
