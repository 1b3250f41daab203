"""The one seam where the garbage collector is tuned, and only in a process the kb command line started.

The stages allocate millions of small objects that live until the stage ends; with Python's default
threshold the collector runs every 700 allocations and rescans the growing heap, a quarter of
kb check's time at 5,000 entries (mypy raises its threshold for the same reason). `kb` marks its own
process, and the `mkdocs` process it starts, with KB_TUNED_COLLECTOR; everywhere else (our plugin in
someone else's `mkdocs build`, a test calling the pipeline) these functions do nothing, so the
collector keeps the defaults its owner chose.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from contextlib import contextmanager

ENV = "KB_TUNED_COLLECTOR"
RARE_THRESHOLD = 70_000  # a hundred times Python's default first-generation threshold


@contextmanager
def tuned_by_kb() -> Iterator[None]:
    """Let this process and the processes it starts tune the collector (the kb command line's own switch)."""
    before = os.environ.get(ENV)
    os.environ[ENV] = "1"
    try:
        yield
    finally:
        if before is None:
            del os.environ[ENV]
        else:
            os.environ[ENV] = before


def _tuned() -> bool:
    """Whether kb started this process, or runs in it."""
    return os.environ.get(ENV) == "1"


@contextmanager
def rare_collections(*, pause: bool = False) -> Iterator[None]:
    """Collect a hundred times less often (with pause, not at all) while a stage runs.

    Loading, validating and linking make no reference cycles (measured: gc.collect() afterwards finds
    none), so they pause the collector; Jinja rendering does, so it still collects, rarely.
    """
    if not _tuned():
        yield
        return
    threshold, enabled = gc.get_threshold(), gc.isenabled()
    if pause:
        gc.disable()
    else:
        gc.set_threshold(RARE_THRESHOLD, *threshold[1:])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        if enabled:
            gc.enable()


def freeze_until_built() -> None:
    """Exempt what exists now (config, files, page texts: it lives until the build ends) from the full collections."""
    if _tuned():
        gc.freeze()


def release() -> None:
    """Let the objects frozen for a build be collected again (a preview server builds again and again)."""
    if _tuned():
        gc.unfreeze()
