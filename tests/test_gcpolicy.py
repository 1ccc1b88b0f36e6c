"""The scan's garbage-collector policy leaves the interpreter as it found it."""

from __future__ import annotations

import gc
import shutil
from pathlib import Path

import pytest

from pdlint.config import Config
from pdlint.engine import RunOptions, scan
from pdlint.gcpolicy import scan_gc

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "django_app"


@pytest.fixture(autouse=True)
def clean_gc():  # type: ignore[no-untyped-def]
    gc.unfreeze()
    before = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*before)
    gc.enable()


def test_loading_pauses_then_freezes_and_the_scan_releases_everything() -> None:
    before = gc.get_threshold()
    with scan_gc() as collector:
        assert gc.get_threshold()[0] > before[0]
        with collector.loading():
            assert not gc.isenabled()
            loaded = [(i, str(i)) for i in range(1000)]
        assert gc.isenabled()
        assert gc.get_freeze_count() >= len(loaded)
        # the youngest generation no longer holds the loaded objects
        assert gc.get_count()[0] < len(loaded)
    assert gc.get_freeze_count() == 0
    assert gc.get_threshold() == before


def test_objects_frozen_by_the_embedder_stay_frozen(monkeypatch: pytest.MonkeyPatch) -> None:
    gc.freeze()
    assert gc.get_freeze_count() > 0
    calls: list[str] = []
    monkeypatch.setattr(gc, "freeze", lambda: calls.append("freeze"))
    monkeypatch.setattr(gc, "unfreeze", lambda: calls.append("unfreeze"))
    with scan_gc() as collector:
        with collector.loading():
            pass
        collector.freeze_loaded()
    assert calls == []


def test_concurrent_scans_restore_the_settings_of_neither(monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    """Scans in two threads (an editor): only the last one to end restores the collector."""
    before = gc.get_threshold()
    first, second = scan_gc(), scan_gc()
    one = first.__enter__()
    two = second.__enter__()
    with one.loading():
        loaded = [(i, str(i)) for i in range(100)]
    first.__exit__(None, None, None)  # the first scan ends while the second still runs
    assert gc.get_threshold() != before and gc.get_freeze_count() >= len(loaded)
    with two.loading():
        pass
    second.__exit__(None, None, None)
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0
    assert gc.isenabled()


def test_overlapping_pauses_re_enable_the_collector_once_both_end() -> None:
    with scan_gc() as one, scan_gc() as two:
        outer = one.loading()
        outer.__enter__()
        with two.loading():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the other load is still running
        outer.__exit__(None, None, None)
        assert gc.isenabled()


def test_a_disabled_collector_stays_disabled() -> None:
    gc.disable()
    with scan_gc() as collector:
        with collector.loading():
            pass
    assert not gc.isenabled()


def test_a_warm_scan_restores_the_collector(tmp_path: Path) -> None:
    project = tmp_path / "app"
    shutil.copytree(FIXTURE, project, ignore=shutil.ignore_patterns(".pdlint_cache"))
    before = gc.get_threshold()
    run = RunOptions(cache_dir=tmp_path / "cache")
    config = Config(root=project, config_file=None)
    cold = scan([project], config, cwd=project, run=run).findings
    warm = scan([project], config, cwd=project, run=run).findings
    assert warm == cold and cold
    assert gc.get_freeze_count() == 0 and gc.get_threshold() == before
