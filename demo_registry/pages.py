"""Bodies of the change feed's pages: cursors, serialisation, and prefetch.

A page body is serialised with one ``json.dumps`` call (compact, UTF-8 as is)
and, when the client accepts it, gzipped at level 1 with a zero mtime, so that
the same page is byte-identical from one request or run to the next.

Pulling a million cases means a thousand pages of about 40 ms generation and 20 ms
serialisation each, and Python runs one thread at a time. For big registries the
server therefore has a ``Prefetcher``: while the client digests page N, a worker
process, holding its own copy of the registry (the data is a pure function of
cases, seed and clock), builds page N+1. It is used only where that copy is
exact: positions laid out at construction (not those ``advance()`` appended) and
no page faults switched on.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import json
import logging
import os
import queue
import struct
import subprocess
import sys
import threading
import zlib
from concurrent.futures import Future
from datetime import datetime
from pathlib import Path
from typing import Any

from .data import DemoRegistry

_log = logging.getLogger(__name__)
# (start, stop, cursor epoch, feed length, generated_at, gzip): all a body depends on.
PageKey = tuple[int, int, int, int, str, bool]


def dumps(value: Any) -> bytes:
    """JSON as the registry writes it: compact, UTF-8, non-ASCII as is."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def gzip_body(body: bytes) -> bytes:
    # Level 1: on loopback speed matters more than size. compressobj writes a zero
    # mtime into the gzip header, which keeps compressed bodies reproducible.
    compressor = zlib.compressobj(1, zlib.DEFLATED, 31)
    return compressor.compress(body) + compressor.flush()


def encode_cursor(position: int, epoch: int) -> str:
    """The opaque cursor: URL-safe base64 (unpadded) of ``{"p": position, "e": epoch}``."""
    raw = json.dumps({"p": position, "e": epoch}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def decode_cursor(cursor: str) -> tuple[int, int]:
    """(position, epoch) of a cursor; ValueError if it is not one this registry issued."""
    try:
        data = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (binascii.Error, ValueError) as error:  # UnicodeDecodeError is a ValueError
        raise ValueError("the cursor is not one this registry issued") from error
    if (
        not isinstance(data, dict)
        or set(data) != {"p", "e"}
        or not all(type(data[k]) is int and data[k] >= 0 for k in ("p", "e"))
    ):
        raise ValueError("the cursor is not one this registry issued")
    return data["p"], data["e"]


def page_body(items: list[Any], key: PageKey) -> bytes:
    """The serialised page (gzipped if the key says so)."""
    _start, stop, epoch, length, generated_at, gz = key
    body = dumps(
        {
            "items": items,
            "next": encode_cursor(stop, epoch),
            "has_more": stop < length,
            "generated_at": generated_at,
        }
    )
    return gzip_body(body) if gz else body


# -- the worker process ----------------------------------------------------------
# A plain subprocess speaking over pipes, not multiprocessing: spawning through
# multiprocessing re-imports the parent's __main__, which may be any script.
# Requests are one JSON line each (the first: cases, seed, clock); answers are a
# 4-byte length and the body (length 0: the worker failed).


_WORKER = "from demo_registry.pages import worker_main; worker_main()"


def worker_main() -> None:
    """The worker: read requests from stdin, write page bodies to stdout, until EOF."""
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    cases, seed, now = json.loads(stdin.readline())
    registry = DemoRegistry(cases, seed, "", datetime.fromisoformat(now))
    for line in stdin:
        try:
            key = tuple(json.loads(line))
            body = page_body(registry.items(key[0], key[1]), key)  # type: ignore[arg-type]
        except Exception:
            body = b""
        stdout.write(struct.pack(">I", len(body)) + body)
        stdout.flush()


class Prefetcher:
    """Builds the next page of a sync in a worker process while the client reads this one."""

    def __init__(self, registry: DemoRegistry) -> None:
        self.registry = registry
        self._lock = threading.Lock()
        self._futures: dict[PageKey, Future[bytes]] = {}
        self._queue: queue.Queue[tuple[PageKey, Future[bytes]] | None] = queue.Queue()
        self._process: subprocess.Popen[bytes] | None = None
        self._broken = False

    def usable(self, start: int, stop: int) -> bool:
        """Whether the worker's copy can build positions ``start .. stop-1`` exactly."""
        faults = self.registry.faults
        return (
            not self._broken
            and stop <= self.registry.base_length
            and not (faults.repeat_items or faults.stale_items or faults.invalid_every)
        )

    def submit(self, key: PageKey) -> None:
        """Start building a page that will probably be asked for next."""
        with self._lock:
            if self._broken or key in self._futures:
                return
            if self._process is None:
                self._start()
            while len(self._futures) >= 4:  # abandoned syncs: forget their pages
                self._futures.pop(next(iter(self._futures))).cancel()
            future: Future[bytes] = Future()
            self._futures[key] = future
            self._queue.put((key, future))

    def take(self, key: PageKey) -> bytes | None:
        """The body for ``key`` if it was prefetched (waiting for it to finish), else None."""
        with self._lock:
            future = self._futures.pop(key, None)
        if future is None or (self._broken and not future.done()):
            return None
        try:
            return future.result(timeout=60)
        except Exception:  # a dead or stuck worker: build pages in-process from now on
            _log.warning("demo registry: page prefetch failed; prefetch is off", exc_info=True)
            self._broken = True
            return None

    def close(self) -> None:
        """End the worker (it exits when its stdin closes)."""
        self._broken = True
        self._queue.put(None)

    def _start(self) -> None:
        root = str(Path(__file__).resolve().parents[1])  # the folder holding demo_registry/
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join([root, *filter(None, [os.environ.get("PYTHONPATH")])]),
        }
        self._process = subprocess.Popen(
            [sys.executable, "-c", _WORKER],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
            cwd=root,
        )
        registry = self.registry
        init = [registry.cases, registry.seed, registry.initial_now.isoformat()]
        self._process.stdin.write(json.dumps(init).encode() + b"\n")  # type: ignore[union-attr]
        threading.Thread(target=self._serve, name="demo-registry-prefetch", daemon=True).start()

    def _serve(self) -> None:
        """Pass requests to the worker one at a time; end it when closed or broken."""
        process = self._process
        assert process is not None and process.stdin and process.stdout
        try:
            while (request := self._queue.get()) is not None:
                key, future = request
                if not future.set_running_or_notify_cancel():
                    continue  # cancelled while waiting
                try:
                    process.stdin.write(json.dumps(key).encode() + b"\n")
                    process.stdin.flush()
                    (length,) = struct.unpack(">I", process.stdout.read(4))
                    body = process.stdout.read(length)
                    if not length or len(body) != length:
                        raise RuntimeError("the prefetch worker failed")
                    future.set_result(body)
                except (OSError, struct.error, RuntimeError) as error:
                    self._broken = True
                    future.set_exception(error)
                    break
        finally:
            while not self._queue.empty():  # fail what is still waiting, so no one waits
                waiting = self._queue.get_nowait()
                if waiting is not None and waiting[1].set_running_or_notify_cancel():
                    waiting[1].set_exception(RuntimeError("the prefetch worker has ended"))
            with contextlib.suppress(OSError):
                process.stdin.close()  # the worker ends at EOF
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
