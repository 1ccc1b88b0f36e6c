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
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_SCAN_THRESHOLD = (200_000, 30, 30)


class _State:
    """What the outermost active scan saved, shared by scans running in other threads.

    The collector is global to the interpreter: only the first scan to start changes it and
    only the last one to end restores it, so concurrent scans (an editor integration) never
    restore each other's settings or unfreeze each other's facts.
    """

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.scans = 0
        self.threshold: tuple[int, int, int] = gc.get_threshold()
        self.may_freeze = False  # nobody else had frozen objects when the first scan began
        self.froze = False
        self.pauses = 0
        self.was_enabled = True


_STATE = _State()


class ScanGC:
    """The collector policy of one scan; use :func:`scan_gc` to get one."""

    @contextmanager
    def loading(self) -> Iterator[None]:
        """Pause the collector while a large batch of acyclic objects is created (cache
        loads), then freeze them.

        Freezing before re-enabling matters: the objects created while paused all sit in
        the youngest generation, and the first allocation after ``gc.enable()`` would
        otherwise traverse every one of them. ``gc.freeze`` also resets that count.
        """
        with _STATE.lock:
            if _STATE.pauses == 0:
                _STATE.was_enabled = gc.isenabled()
                gc.disable()
            _STATE.pauses += 1
        try:
            yield
        finally:
            self.freeze_loaded()
            with _STATE.lock:
                _STATE.pauses -= 1
                if _STATE.pauses == 0 and _STATE.was_enabled:
                    gc.enable()

    def freeze_loaded(self) -> None:
        """Exclude everything alive now (the loaded facts) from later collections."""
        with _STATE.lock:
            if _STATE.may_freeze:
                gc.freeze()
                _STATE.froze = True


@contextmanager
def scan_gc() -> Iterator[ScanGC]:
    """Run the block under the scan's collector policy, then restore the previous one."""
    with _STATE.lock:
        if _STATE.scans == 0:
            _STATE.threshold = gc.get_threshold()
            # Objects someone else froze (a pre-forking server embedding pdlint) stay
            # theirs: then we neither freeze nor unfreeze.
            _STATE.may_freeze = gc.get_freeze_count() == 0
            _STATE.froze = False
            gc.set_threshold(*_SCAN_THRESHOLD)
        _STATE.scans += 1
    try:
        yield ScanGC()
    finally:
        with _STATE.lock:
            _STATE.scans -= 1
            if _STATE.scans == 0:
                if _STATE.froze:
                    gc.unfreeze()
                    _STATE.froze = False
                gc.set_threshold(*_STATE.threshold)
