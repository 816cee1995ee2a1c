"""The case tracker: sealed lookup files and the /track/ page's parameters.

``collect`` derives keys and seals records from the store (cached there, so a
rebuild works only on new and changed cases) and decides the number of
buckets; ``write`` turns the sealed records into the bucket files under
``/track/b/``, once for all languages, rewriting only files whose bytes
changed. The protocol itself is :mod:`sunshine.tracker.sealing`.
"""

from __future__ import annotations

import logging
import time
from concurrent.futures import Future
from typing import Any

from pelican import signals

from plugins.extension_points import is_main_site
from sunshine.parallel import in_background

from .collect import collect, tracker_params
from .labels import TRACKER_COMPLETED, tracker_guides, tracker_labels
from .write import write_files

log = logging.getLogger("sunshine.tracker")


def register() -> None:
    """Collect at start; write the files in another process meanwhile; wait for it at the end."""
    signals.initialized.connect(_initialized)
    signals.generator_init.connect(_install_params)
    # The first generator's first step: after Pelican has (maybe) emptied the
    # output folder, before any page is written.
    signals.article_generator_preread.connect(_start_writing)
    signals.finalized.connect(_finalized)


_writing: dict[str, Future[dict[str, Any]]] = {}


def _initialized(pelican: Any) -> None:
    from store import STORE_FILE, Store

    settings = pelican.settings["SUNSHINE"]
    # The keys, records and bucket files are the same in every language: the
    # main site makes them once.
    if not is_main_site(pelican.settings) or not (settings.var_path / STORE_FILE).is_file():
        return
    started = time.perf_counter()
    store = Store.open(settings.var_path)
    try:
        done = collect(settings, store)
    finally:
        store.close()
    log.info(
        "tracker: keys derived for %d cases, %d records sealed, %d removed; %d buckets (%.1f s)",
        done.derived,
        done.sealed,
        done.removed,
        done.buckets,
        time.perf_counter() - started,
    )
    if done.warning:
        # Printed, not logged: the build treats a logged warning as a failure, and
        # this one asks the operator for a setting, not for the build to stop.
        print(f"tracker: {done.warning}", flush=True)


def _install_params(generator: Any) -> None:
    generator.env.globals.update(
        tracker=tracker_params(generator.settings["SUNSHINE"]),
        tracker_labels=tracker_labels,
        tracker_guides=tracker_guides,
        tracker_completed=TRACKER_COMPLETED,
    )


def _start_writing(generator: Any) -> None:
    # The bucket files depend on the store only: written while the pages are
    # made, on the other core.
    output = generator.settings["OUTPUT_PATH"]
    if not is_main_site(generator.settings) or output in _writing:
        return
    _writing[output] = in_background(
        write_files,
        generator.settings["SUNSHINE"],
        output,
        generator.settings.get("SUNSHINE_PREVIOUS_OUTPUT"),
    )


def _finalized(pelican: Any) -> None:
    if not is_main_site(pelican.settings):
        return
    output = pelican.settings["OUTPUT_PATH"]
    future = _writing.pop(output, None)
    done = (
        future.result()
        if future
        else write_files(
            pelican.settings["SUNSHINE"], output, pelican.settings.get("SUNSHINE_PREVIOUS_OUTPUT")
        )
    )
    log.info(
        "tracker: %d bucket files, %d rewritten, %d of them sealed afresh (%.1f s)",
        done["buckets"],
        done["written"],
        done["sealed"],
        done["seconds"],
    )
