"""Chunks of work spread over the machine's cores, results in order.

Key derivation, sealing and the indicators' per-case pass are the build's
CPU-bound steps; each hands this module a stream of chunks. At most a few
chunks are in flight, so memory holds a few chunks of cases, never all of them.

Every worker process of the project is started here, with one start method:
the platform's default, or ``SUNSHINE_START_METHOD`` (``fork``, ``forkserver``,
``spawn``). Linux's default becomes ``forkserver`` in Python 3.14; setting it
now is how the build is tested under that method before the default changes.
``SUNSHINE_PARALLEL_FROM`` lowers the size from which work is spread over
workers, so that a small test store goes through the pools too.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, TypeVar

__all__ = ["PARALLEL_FROM", "in_background", "in_order", "pool", "workers"]

PARALLEL_FROM = int(os.environ.get("SUNSHINE_PARALLEL_FROM", "2000"))
"""Below this many items, starting worker processes costs more than it saves."""

J = TypeVar("J")
R = TypeVar("R")


def workers() -> int:
    """Worker processes to use: one per core."""
    return os.cpu_count() or 1


def pool(size: int) -> ProcessPoolExecutor:
    """A pool of ``size`` worker processes, started the configured way (see above)."""
    method = os.environ.get("SUNSHINE_START_METHOD") or None
    return ProcessPoolExecutor(size, mp_context=multiprocessing.get_context(method))


def in_order(work: Callable[[J], R], jobs: Iterable[J], parallel: bool) -> Iterator[R]:
    """``map(work, jobs)``, in worker processes when ``parallel`` and there is more than one core.

    ``work`` must be a module-level function (it is pickled to the workers).
    """
    count = workers()
    if not parallel or count == 1:
        yield from map(work, jobs)
        return
    with pool(count) as workers_pool:
        pending: deque[Future[R]] = deque()
        for job in jobs:
            pending.append(workers_pool.submit(work, job))
            if len(pending) > 2 * count:  # bounded: a few chunks in flight
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def in_background(work: Callable[..., R], *args: Any) -> Future[R]:
    """``work(*args)`` in a process of its own; the future holds its result.

    For a build step that can run beside the others (the statistics while the
    tracker works, the bucket files while the pages are made).
    """
    single = pool(1)
    future = single.submit(work, *args)
    single.shutdown(wait=False)  # the task still runs; the pool goes when it is done
    return future
