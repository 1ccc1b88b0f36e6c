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


def test_objects_frozen_by_the_embedder_stay_frozen() -> None:
    gc.freeze()
    theirs = gc.get_freeze_count()
    assert theirs > 0
    with scan_gc() as collector:
        with collector.loading():
            pass
    assert gc.get_freeze_count() == theirs


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
