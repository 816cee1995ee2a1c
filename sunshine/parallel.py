"""Chunks of work spread over the machine's cores, results in order.

Key derivation, sealing and the indicators' per-case pass are the build's
CPU-bound steps; each hands this module a stream of chunks. At most a few
chunks are in flight, so memory holds a few chunks of cases, never all of them.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, TypeVar

__all__ = ["PARALLEL_FROM", "in_background", "in_order", "workers"]

PARALLEL_FROM = 2000
"""Below this many items, starting worker processes costs more than it saves."""

J = TypeVar("J")
R = TypeVar("R")


def workers() -> int:
    """Worker processes to use: one per core."""
    return os.cpu_count() or 1


def in_order(work: Callable[[J], R], jobs: Iterable[J], parallel: bool) -> Iterator[R]:
    """``map(work, jobs)``, in worker processes when ``parallel`` and there is more than one core.

    ``work`` must be a module-level function (it is pickled to the workers).
    """
    count = workers()
    if not parallel or count == 1:
        yield from map(work, jobs)
        return
    with ProcessPoolExecutor(count) as pool:
        pending: deque[Future[R]] = deque()
        for job in jobs:
            pending.append(pool.submit(work, job))
            if len(pending) > 2 * count:  # bounded: a few chunks in flight
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def in_background(work: Callable[..., R], *args: Any) -> Future[R]:
    """``work(*args)`` in a process of its own; the future holds its result.

    For a build step that can run beside the others (the statistics while the
    tracker works, the bucket files while the pages are made).
    """
    pool = ProcessPoolExecutor(1)
    future = pool.submit(work, *args)
    pool.shutdown(wait=False)  # the task still runs; the pool goes when it is done
    return future
