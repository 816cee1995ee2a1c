"""invoke schedule: every run logged as one JSON line; a failed run never stops the loop."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import time

import pytest

from operations.schedule import parse_every, run_every


def test_a_failing_run_is_logged_and_the_loop_goes_on() -> None:
    script = (
        "import sys, pathlib; p = pathlib.Path(sys.argv[1]); n = int(p.read_text() or 0) + 1;"
        " p.write_text(str(n));"
        " print('fetch failed: https://user:token@registry/x', file=sys.stderr);"
        " sys.exit(3 if n == 1 else 0)"
    )
    import tempfile

    with tempfile.NamedTemporaryFile("w+", suffix=".n") as counter:
        out = io.StringIO()
        started = time.monotonic()
        failed = run_every(0.3, [sys.executable, "-c", script, counter.name], times=3, out=out)
        elapsed = time.monotonic() - started
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [line["exit"] for line in lines] == [3, 0, 0] and failed == 1
    assert all(line["event"] == "update" and line["seconds"] >= 0 for line in lines)
    assert "token" not in out.getvalue() and "https://registry/x" in lines[0]["message"]
    assert elapsed >= 0.6  # the third run started on the grid, two intervals after the first


class FakeClock:
    """time.monotonic and time.sleep for the loop: sleeping moves the clock, no waiting."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        assert seconds >= 0
        self.sleeps.append(seconds)
        self.now += seconds


def test_a_run_that_overran_is_followed_by_the_next_grid_point_not_by_missed_runs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    clock = FakeClock()
    durations = iter([35.0, 1.0, 12.0, 1.0])
    starts: list[float] = []

    def run(command: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
        starts.append(clock.now)
        clock.now += next(durations)  # the run's time passes on the loop's clock
        return subprocess.CompletedProcess(command, 0, stdout="done\n", stderr="")

    monkeypatch.setattr("operations.schedule.subprocess.run", run)
    out = io.StringIO()
    failed = run_every(10, ["update"], times=4, out=out, sleep=clock.sleep, clock=clock)
    assert failed == 0
    # The first run took 35 s: the slots at 10, 20 and 30 are gone, the next run
    # starts at 40 (not at once, three times over); one of 12 s skips the slot at 60.
    assert [s - 1000 for s in starts] == [0, 40, 50, 70]
    assert clock.sleeps == [5, 9, 8]
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [line["seconds"] for line in lines] == [35.0, 1.0, 12.0, 1.0]


def test_a_command_that_cannot_start_is_logged_too() -> None:
    out = io.StringIO()
    assert run_every(1, ["/nonexistent/command"], times=1, out=out) == 1
    assert json.loads(out.getvalue())["exit"] == 127


def test_intervals() -> None:
    assert parse_every("90s") == 90 and parse_every("15m") == 900 and parse_every("1h") == 3600
    for bad in ("", "1", "0h", "-1h", "1w"):
        with pytest.raises(ValueError, match="--every"):
            parse_every(bad)
