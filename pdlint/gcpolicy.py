"""Garbage-collector policy for one scan.

A scan holds hundreds of thousands of small, long-lived, acyclic objects (the per-file facts:
tuples, strings, frozen dataclasses). CPython's cyclic collector traverses every tracked
container on each full collection, and the steady allocation of a scan triggers full
collections again and again, so on a warm django run more than half of the time spent loading
facts and linking them went to the collector finding nothing to free.

Two standard remedies, both reversible and local to :func:`scan_gc`:

- a higher first-generation threshold while the scan runs (mypy does the same), so young
  collections are rarer; reference counting still frees almost everything promptly;
- the collector is paused while cached facts are loaded, and the loaded facts are then moved
  into the permanent generation (``gc.freeze``), so later collections skip them; the facts
  hold no reference cycles to leak.

The previous thresholds are restored and frozen objects released when the scan ends, so
embedding pdlint (tests, editors) leaves the interpreter as it found it.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

_SCAN_THRESHOLD = (200_000, 30, 30)


class ScanGC:
    """The collector policy of one scan; use :func:`scan_gc` to get one."""

    def __init__(self) -> None:
        # Objects someone else froze (a pre-forking server embedding pdlint) stay theirs:
        # then we neither freeze nor unfreeze.
        self._may_freeze = gc.get_freeze_count() == 0
        self._froze = False

    @contextmanager
    def loading(self) -> Iterator[None]:
        """Pause the collector while a large batch of acyclic objects is created (cache
        loads), then freeze them.

        Freezing before re-enabling matters: the objects created while paused all sit in
        the youngest generation, and the first allocation after ``gc.enable()`` would
        otherwise traverse every one of them. ``gc.freeze`` also resets that count.
        """
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            yield
        finally:
            self.freeze_loaded()
            if was_enabled:
                gc.enable()

    def freeze_loaded(self) -> None:
        """Exclude everything alive now (the loaded facts) from later collections."""
        if self._may_freeze:
            gc.freeze()
            self._froze = True

    def release(self) -> None:
        if self._froze:
            gc.unfreeze()
            self._froze = False


@contextmanager
def scan_gc() -> Iterator[ScanGC]:
    """Run the block under the scan's collector policy, then restore the previous one."""
    previous = gc.get_threshold()
    policy = ScanGC()
    gc.set_threshold(*_SCAN_THRESHOLD)
    try:
        yield policy
    finally:
        policy.release()
        gc.set_threshold(*previous)
