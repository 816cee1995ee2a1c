"""The built-in schedule (``invoke schedule --every 1h``): run the update again and again.

Each run is a child process (``invoke update``), so a crash or a leak in one
run cannot take the loop down; the loop logs each run as one JSON line and
goes on, whatever the run's exit code. Runs start on a fixed grid (``every``
apart from the first); a run that takes longer than ``every`` is never
overlapped: the next starts on the first grid point after it ends, and the runs
it overran are skipped, not made up one after another. Lines carry the exit
code, the duration and the last line the run printed, with any credentials in
URLs removed: never a token, a secret, a query code or a case id.
"""

from __future__ import annotations

import json
import math
import re
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import TextIO

from sunshine.config import ROOT

__all__ = ["UPDATE", "parse_every", "run_every"]

UPDATE: tuple[str, ...] = (sys.executable, "-m", "invoke", "update")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_USERINFO = re.compile(r"//[^/@\s]+@")


def parse_every(text: str) -> float:
    """``"90s"``, ``"15m"``, ``"1h"``, ``"1d"`` → seconds; ValueError naming the input otherwise."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smhd])\s*", text)
    if not match or float(match[1]) <= 0:
        raise ValueError(f"--every {text!r}: give a positive number and a unit, e.g. 90s, 15m, 1h")
    return float(match[1]) * _UNITS[match[2]]


def _last_line(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip()]
    return _USERINFO.sub("//", lines[-1])[:500] if lines else ""


def run_every(
    every: float,
    command: Sequence[str] = UPDATE,
    *,
    times: int | None = None,
    out: TextIO = sys.stdout,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> int:
    """Run ``command`` every ``every`` seconds (``times`` runs, or for ever); how many failed.

    Runs start on the grid ``start + k * every``. After a run that took longer than
    ``every``, the next starts on the first grid point not yet passed (at once if
    the run ended right on one): the slots it overran are skipped. ``sleep`` and
    ``clock`` (a monotonic clock) are the loop's time, for tests.
    """
    failed = 0
    run = 0
    slot = 0  # the grid point the current run started on, ``every`` apart from ``start``
    start = clock()
    while times is None or run < times:
        began = clock()
        at = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        try:
            done = subprocess.run(list(command), cwd=ROOT, capture_output=True, text=True)
            code, last = done.returncode, _last_line(done.stderr or done.stdout)
        except OSError as error:  # the command could not start at all
            code, last = 127, str(error)
        failed += code != 0
        line = {"event": "update", "at": at, "exit": code,
                "seconds": round(clock() - began, 1), "message": last}  # fmt: skip
        print(json.dumps(line, ensure_ascii=False), file=out, flush=True)
        run += 1
        if times is not None and run >= times:
            break
        # The next grid point not yet passed: the slots a long run overran are skipped,
        # not made up back to back, and the runs stay on the grid.
        now = clock()
        slot = max(slot + 1, math.ceil((now - start) / every))
        sleep(max(0.0, start + slot * every - now))
    return failed
