"""The tracker's published files, read as the public reads them (no browser)."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from datetime import date
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from store import Store
from sunshine.cases.stages import status_of
from sunshine.tracker.lookup import lookup, page_params
from sunshine.tracker.sealing import MIN_RECORDS, SIZE_CLASS, bucket_name, bucket_of
from tests.conftest import TrackedSite, build_into


def bucket_files(output: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((output / "track/b").glob("*.bin"))}


def test_every_possible_bucket_file_exists_in_size_classes(tracked: TrackedSite) -> None:
    params = page_params(tracked.output)
    files = bucket_files(tracked.output)
    assert params.count >= 8
    assert sorted(files) == [bucket_name(b) for b in range(params.count)]
    assert all(len(data) % SIZE_CLASS == 0 for data in files.values())


def test_no_bucket_holds_fewer_than_16_real_cases(tracked: TrackedSite) -> None:
    count = page_params(tracked.output).count
    store = Store.open(tracked.var)
    words = [w for (w,) in store.db.execute("SELECT word FROM tracker_records")]
    store.close()
    counts = Counter(bucket_of(word, count) for word in words)
    assert len(counts) == count
    assert min(counts.values()) >= MIN_RECORDS


def test_every_case_is_found_with_its_status(tracked: TrackedSite) -> None:
    store = Store.open(tracked.var)
    cases = {c["case_id"]: c for c in store.iter_cases()}
    store.close()
    for case_id, code in list(tracked.codes.items())[::7]:
        view = lookup(tracked.output, code, today=date(2026, 11, 15))
        assert view["status"] == status_of(cases[case_id]["events"]), case_id
        assert view["as_of"].startswith("2026-11-15")


def test_typing_tolerance_invalid_and_not_found(tracked: TrackedSite) -> None:
    code = next(iter(tracked.codes.values()))
    sloppy = code.lower().replace("-", " ").replace("0", "o").replace("1", "l")
    assert "status" in lookup(tracked.output, sloppy)
    wrong = code[:-1] + ("0" if code[-1] != "0" else "1")
    assert lookup(tracked.output, wrong)["error"] == "invalid"
    assert lookup(tracked.output, "0000-0000-0000-0000")["error"] == "not_found"


def test_two_builds_are_byte_identical(tracked: TrackedSite, tmp_path: Path) -> None:
    """Whatever the process's hash seed: no output may follow set or dict hashing order."""
    first = {
        p.relative_to(tracked.output): p.read_bytes()
        for p in tracked.output.rglob("*")
        if p.is_file()
    }
    for seed in ("1", "2"):
        again = tmp_path / f"again-{seed}"
        shutil.copytree(tracked.var, again / "var")
        build_into(again, PYTHONHASHSEED=seed)
        second = {
            p.relative_to(again / "output"): p.read_bytes()
            for p in (again / "output").rglob("*")
            if p.is_file()
        }
        assert first.keys() == second.keys()
        assert [name for name in first if first[name] != second[name]] == []


def test_one_changed_case_rewrites_only_its_bucket(tracked: TrackedSite, tmp_path: Path) -> None:
    work = tmp_path / "work"
    shutil.copytree(tracked.var, work / "var")
    shutil.copytree(tracked.output, work / "output")
    before = bucket_files(work / "output")
    mtimes = {p.name: p.stat().st_mtime_ns for p in (work / "output/track/b").glob("*.bin")}
    store = Store.open(work / "var")
    case_id, data = store.db.execute(
        "SELECT case_id, data FROM cases ORDER BY case_id DESC LIMIT 1"
    ).fetchone()
    case = json.loads(data)
    case["events"].append(
        {
            "id": "zz-new",
            "type": "withdrawn",
            "at": "2026-11-14T10:00:00+08:00",
            "agency": case["agency"],
        }
    )
    with store.transaction():
        store.db.execute(
            "UPDATE cases SET data = ?, seq = seq + 1 WHERE case_id = ?",
            (json.dumps(case, ensure_ascii=False), case_id),
        )
    store.close()
    build_into(work)
    store = Store.open(work / "var")
    done = json.loads(store.state("tracker_last_build") or "{}")
    store.close()
    assert (done["derived"], done["sealed"]) == (0, 1)  # keys are cached; one record resealed
    after = bucket_files(work / "output")
    changed = [name for name in after if after[name] != before[name]]
    assert len(changed) == 1
    untouched = [
        p.name
        for p in (work / "output/track/b").glob("*.bin")
        if p.stat().st_mtime_ns == mtimes[p.name]
    ]
    assert len(untouched) == len(after) - 1
    assert lookup(work / "output", tracked.codes[case_id])["status"] == "withdrawn"


def test_a_case_gone_from_the_registry_is_gone_from_the_tracker(
    tracked: TrackedSite, tmp_path: Path
) -> None:
    work = tmp_path / "work"
    shutil.copytree(tracked.var, work / "var")
    shutil.copytree(tracked.output, work / "output")
    gone, kept = list(tracked.codes)[:2]
    assert "status" in lookup(work / "output", tracked.codes[gone])
    store = Store.open(work / "var")
    with store.transaction():  # as a full sync removes a case the registry no longer lists
        store.db.execute("DELETE FROM cases WHERE case_id = ?", (gone,))
    store.close()
    build_into(work)
    store = Store.open(work / "var")
    done = json.loads(store.state("tracker_last_build") or "{}")
    left = [
        store.db.execute(f"SELECT count(*) FROM {table} WHERE case_id = ?", (gone,)).fetchone()[0]
        for table in ("tracker_keys", "tracker_records")
    ]
    store.close()
    assert done["removed"] == 1 and left == [0, 0]
    assert lookup(work / "output", tracked.codes[gone])["error"] == "not_found"
    assert "status" in lookup(work / "output", tracked.codes[kept])


def test_names_file_holds_public_names_only(tracked: TrackedSite) -> None:
    names = json.loads((tracked.output / "track/names.json").read_text(encoding="utf-8"))
    assert set(names) == {"agencies", "categories"}
    assert names["categories"]["land.acquisition"]["zh"]


def gzipped(path: Path) -> int:
    import gzip

    return len(gzip.compress(path.read_bytes(), 9))


def test_page_and_lookup_stay_within_their_byte_budgets(tracked: TrackedSite) -> None:
    out = tracked.output
    page = out / "track/index.html"
    assets = [out / "theme/css/site.css", out / "theme/js/track.js", out / "theme/img/favicon.svg"]
    html = page.read_text(encoding="utf-8")
    for asset in assets:
        assert "/" + asset.relative_to(out).as_posix() in html
    assert gzipped(page) + sum(gzipped(a) for a in assets) <= 60 * 1024
    # A lookup: the names file (compressible) and one bucket (ciphertext: as is).
    largest = max(p.stat().st_size for p in (out / "track/b").glob("*.bin"))
    assert gzipped(out / "track/names.json") + largest <= 40 * 1024


@given(st.integers(1, 200_000), st.integers(0, 2**32 - 1))
def test_a_bucket_range_is_exactly_a_word_range(buckets: int, word: int) -> None:
    # The bucket files are written in ranges, each read from the store by word.
    from plugins.tracker.write import first_word

    bucket = bucket_of(word, buckets)
    assert first_word(bucket, buckets) <= word < first_word(bucket + 1, buckets)
    assert first_word(0, buckets) == 0 and first_word(buckets, buckets) == 2**32
