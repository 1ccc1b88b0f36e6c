"""Parallel extraction and the facts cache never change a report."""

from __future__ import annotations

import os
import pickle
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from pdlint.cache import FactsCache, dumps, loads
from pdlint.cli import main
from pdlint.config import Config
from pdlint.engine import RunOptions, scan

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "django_app"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    target = tmp_path / "django_app"
    shutil.copytree(FIXTURE, target, ignore=shutil.ignore_patterns(".pdlint_cache"))
    return target


def run_json(project: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> str:
    monkeypatch.chdir(project)
    result = CliRunner().invoke(main, ["scan", "--format", "json", *args])
    assert result.exit_code in (0, 1), result.output
    return result.stdout


def test_jobs_and_cache_give_byte_identical_reports(project: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    serial = run_json(project, monkeypatch, "--no-cache", "--jobs", "1")
    parallel = run_json(project, monkeypatch, "--no-cache", "--jobs", "2")
    wide = run_json(project, monkeypatch, "--no-cache", "--jobs", "8")
    cold = run_json(project, monkeypatch, "--jobs", "2")  # entries written by the workers
    warm = run_json(project, monkeypatch, "--jobs", "2")
    warm_serial = run_json(project, monkeypatch, "--jobs", "1")
    assert serial == parallel == wide == cold == warm == warm_serial
    assert (project / ".pdlint_cache" / ".gitignore").read_text().strip().endswith("*")
    assert (project / ".pdlint_cache" / "CACHEDIR.TAG").exists()


def scan_with_cache(project: Path, cache_dir: Path, jobs: int = 1) -> tuple[list, RunOptions]:
    config = Config(root=project, config_file=None)
    run = RunOptions(jobs=jobs, cache_dir=cache_dir)
    result = scan([project], config, cwd=project, run=run)
    return result.findings, run


def test_warm_run_reextracts_only_changed_files(project: Path, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    cache_dir = tmp_path / "cache"
    first, _ = scan_with_cache(project, cache_dir)
    calls: list[str] = []
    import pdlint.engine as engine

    original = engine._extract_chunk

    def counting(chunk, options, writer=None):  # type: ignore[no-untyped-def]
        calls.extend(rel for _, rel, _, _, _, _ in chunk)
        return original(chunk, options, writer)

    monkeypatch.setattr(engine, "_extract_chunk", counting)
    second, _ = scan_with_cache(project, cache_dir)
    assert calls == [] and second == first
    models = project / "accounts" / "models.py"
    models.write_text(models.read_text() + "\n# a new comment\n")
    third, _ = scan_with_cache(project, cache_dir)
    assert calls == ["accounts/models.py"]
    assert [f.rule for f in third] == [f.rule for f in first]


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: b"",
        lambda data: data[: len(data) // 2],  # truncated
        lambda data: data[:-1] + bytes([data[-1] ^ 0xFF]),  # flipped byte
        lambda data: b"garbage" * 10,
        lambda data: data[:9] + pickle.dumps({"not": "facts"}),  # foreign, checksum wrong
    ],
)
def test_corrupt_entries_are_ignored_and_rebuilt(project: Path, tmp_path: Path, damage) -> None:  # type: ignore[no-untyped-def]
    cache_dir = tmp_path / "cache"
    first, _ = scan_with_cache(project, cache_dir)
    entries = sorted((cache_dir / "facts").rglob("*.bin"))
    assert entries
    for entry in entries:
        entry.write_bytes(damage(entry.read_bytes()))
    second, _ = scan_with_cache(project, cache_dir)
    assert second == first
    assert all(loads(entry.read_bytes()) is not None for entry in entries)  # rebuilt


def test_a_cache_entry_cannot_run_code(tmp_path: Path) -> None:
    class Evil:
        def __reduce__(self):  # type: ignore[no-untyped-def]
            return (os.system, ("touch " + str(tmp_path / "pwned"),))

    import zlib

    payload = pickle.dumps(Evil())
    entry = b"PDLC2" + zlib.crc32(payload).to_bytes(4, "big") + payload
    assert loads(entry) is None
    assert not (tmp_path / "pwned").exists()


def test_round_trip_of_real_facts(project: Path) -> None:
    from pdlint.extract import FileInput, extract_file

    data = (project / "accounts" / "views.py").read_bytes()
    facts = extract_file(FileInput("accounts/views.py", "accounts.views"), data)
    assert loads(dumps(facts)) == facts


def test_cache_key_depends_on_content_config_and_place(tmp_path: Path) -> None:
    a = FactsCache(tmp_path, "config-a")
    b = FactsCache(tmp_path, "config-b")
    key = a.key(b"x = 1\n", "app/x.py", "app.x", False)
    assert key != b.key(b"x = 1\n", "app/x.py", "app.x", False)
    assert key != a.key(b"x = 2\n", "app/x.py", "app.x", False)
    assert key != a.key(b"x = 1\n", "app/y.py", "app.y", False)
    assert key != a.key(b"x = 1\n", "app/x.py", "app.x", True)
    assert key == a.key(b"x = 1\n", "app/x.py", "app.x", False)


def test_concurrent_runs_share_a_cache_safely(project: Path, tmp_path: Path) -> None:
    cache_dir = tmp_path / "shared-cache"
    command = [sys.executable, "-m", "pdlint", "scan", "--format", "json", "--jobs", "2",
               "--cache-dir", str(cache_dir)]
    env = {**os.environ, "NO_COLOR": "1"}
    procs = [subprocess.Popen(command, cwd=project, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, env=env) for _ in range(3)]
    outputs = [proc.communicate(timeout=300) for proc in procs]
    assert all(proc.returncode == 1 for proc in procs), [err for _, err in outputs]
    assert len({out for out, _ in outputs}) == 1
    assert not list(cache_dir.rglob(".tmp-*"))
    assert all(loads(p.read_bytes()) is not None for p in (cache_dir / "facts").rglob("*.bin"))
    again = subprocess.run(command, cwd=project, capture_output=True, env=env, timeout=300)
    assert again.stdout == outputs[0][0]


def test_cache_clear(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    run_json(project, monkeypatch)
    assert list((project / ".pdlint_cache" / "facts").rglob("*.bin"))
    result = CliRunner().invoke(main, ["cache", "clear"])
    assert result.exit_code == 0 and "Removed" in result.stderr
    assert not list((project / ".pdlint_cache" / "facts").rglob("*.bin"))


def test_unwritable_cache_dir_does_not_fail_the_scan(project: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = project / "not-a-dir"
    blocker.write_text("a file where the cache directory should be")
    baseline = run_json(project, monkeypatch, "--no-cache")
    assert run_json(project, monkeypatch, "--cache-dir", str(blocker / "cache")) == baseline


def _entries(cache_dir: Path) -> set[Path]:
    return {p for p in (cache_dir / "facts").rglob("*.bin")}


def test_prune_drops_old_unused_entries_and_keeps_used_ones(project: Path,
                                                            tmp_path: Path) -> None:
    from pdlint.cache import MAX_AGE, PRUNE_EVERY

    cache_dir = tmp_path / "cache"
    scan_with_cache(project, cache_dir)
    used = _entries(cache_dir)
    assert used
    # an entry of a file version that no longer exists, written long ago
    stale = cache_dir / "facts" / "zz" / ("0" * 62 + ".bin")
    stale.parent.mkdir()
    stale.write_bytes(b"old")
    leftover = stale.parent / ".tmp-crashed"
    leftover.write_bytes(b"half")
    long_ago = time.time() - MAX_AGE - 10
    for path in [*used, stale, leftover]:
        os.utime(path, (long_ago, long_ago))
    (cache_dir / "last-prune").unlink(missing_ok=True)

    # a warm scan reads every entry it needs, which marks them as used today...
    scan_with_cache(project, cache_dir)
    now = time.time()
    assert all(now - p.stat().st_mtime < PRUNE_EVERY for p in used)
    # ...and pruned what nobody had used for a month
    assert not stale.exists() and not leftover.exists()
    assert _entries(cache_dir) == used

    # pruning runs at most once a day, and then spares what was used within the month
    fingerprint = Config(root=project, config_file=None).extraction_fingerprint()
    other_run = FactsCache(cache_dir, fingerprint)  # used nothing itself
    assert other_run.prune(now + 60) == 0
    assert other_run.prune(now + PRUNE_EVERY + 60) == 0
    assert _entries(cache_dir) == used
    assert other_run.prune(now + 2 * PRUNE_EVERY + MAX_AGE) == len(used)


def test_entries_another_project_uses_survive_its_neighbours_prune(tmp_path: Path) -> None:
    """Two projects share one cache directory; the one that prunes must not delete the
    entries the other one keeps hitting."""
    from pdlint.cache import MAX_AGE, PRUNE_EVERY

    cache_dir = tmp_path / "cache"
    first = tmp_path / "first"
    second = tmp_path / "second"
    for target in (first, second):
        shutil.copytree(FIXTURE, target, ignore=shutil.ignore_patterns(".pdlint_cache"))
    (second / "accounts" / "extra.py").write_text("def helper(email):\n    return email\n")
    scan_with_cache(first, cache_dir)
    scan_with_cache(second, cache_dir)
    everything = _entries(cache_dir)
    long_ago = time.time() - MAX_AGE - 10
    for path in everything:
        os.utime(path, (long_ago, long_ago))
    stamp = cache_dir / "last-prune"
    os.utime(stamp, (time.time() - 60, time.time() - 60))  # pruned an hour ago: not today
    scan_with_cache(second, cache_dir)  # the second project hits its entries today
    os.utime(stamp, (time.time() - PRUNE_EVERY - 60,) * 2)  # tomorrow...
    scan_with_cache(first, cache_dir)  # ...the first project runs first and prunes
    assert _entries(cache_dir) == everything


def test_a_scan_records_the_entries_it_uses(project: Path, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    cache_dir = tmp_path / "cache"
    seen: list[set[str]] = []
    original = FactsCache.prune

    def recording(self, now=None):  # type: ignore[no-untyped-def]
        seen.append(set(self.used))
        return original(self, now)

    monkeypatch.setattr(FactsCache, "prune", recording)
    scan_with_cache(project, cache_dir)  # cold: every entry written
    scan_with_cache(project, cache_dir)  # warm: every entry read
    on_disk = {f"{p.parent.name}{p.stem}" for p in _entries(cache_dir)}
    assert seen[0] == on_disk == seen[1]


def test_prune_survives_a_damaged_cache_directory(tmp_path: Path) -> None:
    cache_dir = tmp_path / "cache"
    (cache_dir / "facts").mkdir(parents=True)
    (cache_dir / "facts" / "ab").write_text("a file where a shard directory should be")
    cache = FactsCache(cache_dir, "x")
    assert cache.prune() == 0
    assert FactsCache(tmp_path / "missing", "x").prune() == 0


def test_a_warm_scan_imports_neither_libcst_nor_networkx(project: Path, tmp_path: Path) -> None:
    """Both cost tens of milliseconds to import: a warm scan, which parses nothing and draws
    no graph, must not pay for them (a fresh interpreter, so other tests cannot interfere)."""
    cache_dir = tmp_path / "cache"
    probe = (
        "import sys\n"
        "from pdlint.cli import main\n"
        "try:\n"
        f"    main(['scan', '--jobs', '1', '--cache-dir', {str(cache_dir)!r}, '--format', 'json', '-q'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print('LOADED', *sorted(m for m in ('libcst', 'networkx') if m in sys.modules),\n"
        "      file=sys.stderr)\n"
    )
    runs = [subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                           cwd=project) for _ in range(2)]
    cold, warm = (run.stderr.strip().splitlines()[-1] for run in runs)
    assert cold == "LOADED libcst"  # parsing needs libcst; nothing needs networkx
    assert warm == "LOADED"
