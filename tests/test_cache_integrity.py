"""A cache entry is a hit only for the exact inputs it was built from.

An entry's file name is a hash, and nothing stops anyone from putting another entry under
it: a CI cache restored from another branch, a shared ``--cache-dir``, or a deliberate swap.
Before entries carried their key material, renaming the entry of a clean file over the
entry of a leaky one made the leak vanish (and the scan exit 0). Now each entry stores what
it was built from and a lookup that finds anything else treats it as a miss and rewrites it.
"""

from __future__ import annotations

import json
import pickle
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from pdlint import cache as cache_module
from pdlint.cache import CacheKey, EntryWriter, FactsCache, dumps, loads
from pdlint.cli import main
from pdlint.facts import FileFacts

CLEAN = "def add(a, b):\n    return a + b\n"
LEAKY = ("import logging\n\nlogger = logging.getLogger(__name__)\n\n\n"
         "def signup(email):\n    logger.info('new user %s', email)\n")


def _entries(cache_dir: Path) -> set[Path]:
    return set((cache_dir / "facts").rglob("*.bin"))


def _scan(project: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch,
          jobs: str = "1") -> tuple[int, dict[str, object]]:
    monkeypatch.chdir(project)
    result = CliRunner().invoke(main, ["scan", "--format", "json", "--no-progress", "--jobs",
                                       jobs, "--cache-dir", str(cache_dir)])
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, json.loads(result.stdout)


def _rules(report: dict[str, object]) -> list[str]:
    findings = report["findings"]
    assert isinstance(findings, list)
    return [finding["rule"] for finding in findings]


@pytest.fixture
def poisoned(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path, Path, Path]:
    """(project, cache dir, the clean file's entry, the leaky file's entry)."""
    project = tmp_path / "project"
    project.mkdir()
    cache_dir = tmp_path / "cache"
    (project / "clean.py").write_text(CLEAN)
    _scan(project, cache_dir, monkeypatch)
    (clean_entry,) = _entries(cache_dir)
    (project / "leaky.py").write_text(LEAKY)
    code, report = _scan(project, cache_dir, monkeypatch)
    assert code == 1 and "PDL201" in _rules(report)
    (leaky_entry,) = _entries(cache_dir) - {clean_entry}
    return project, cache_dir, clean_entry, leaky_entry


def test_a_clean_file_s_entry_renamed_over_a_leaky_one_does_not_hide_the_leak(
        poisoned: tuple[Path, Path, Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """The reproducer: swap the entries, scan again, the PDL201 must still be there."""
    project, cache_dir, clean_entry, leaky_entry = poisoned
    shutil.copyfile(clean_entry, leaky_entry)
    code, report = _scan(project, cache_dir, monkeypatch)
    assert code == 1 and "PDL201" in _rules(report)
    # the poisoned entry was rewritten with the leaky file's own facts
    assert leaky_entry.read_bytes() != clean_entry.read_bytes()
    facts = loads(leaky_entry.read_bytes())
    assert facts is not None and facts.path == "leaky.py"


def test_swapped_entries_are_misses_both_ways(poisoned: tuple[Path, Path, Path, Path],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    project, cache_dir, clean_entry, leaky_entry = poisoned
    clean, leaky = clean_entry.read_bytes(), leaky_entry.read_bytes()
    clean_entry.write_bytes(leaky)
    leaky_entry.write_bytes(clean)
    calls = _count_extractions(monkeypatch)
    code, report = _scan(project, cache_dir, monkeypatch)
    assert code == 1 and _rules(report).count("PDL201") == 1
    assert sorted(calls) == ["clean.py", "leaky.py"]  # both re-extracted, neither trusted


def _count_extractions(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Records the files the engine extracts (instead of loading from the cache)."""
    import pdlint.engine as engine

    calls: list[str] = []
    original = engine._extract_chunk

    def counting(chunk, options, writer=None):  # type: ignore[no-untyped-def]
        calls.extend(rel for _, rel, _, _, _, _ in chunk)
        return original(chunk, options, writer)

    monkeypatch.setattr(engine, "_extract_chunk", counting)
    return calls


def test_a_warm_scan_still_loads_every_file_from_the_cache(
        poisoned: tuple[Path, Path, Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    project, cache_dir, _, _ = poisoned
    calls = _count_extractions(monkeypatch)
    hits: list[int] = []
    original_get = FactsCache.get

    def counting_get(self: FactsCache, key: str) -> FileFacts | None:
        found = original_get(self, key)
        hits.append(found is not None)
        return found

    monkeypatch.setattr(FactsCache, "get", counting_get)
    code, report = _scan(project, cache_dir, monkeypatch)
    assert calls == [] and hits == [True, True]
    assert code == 1 and "PDL201" in _rules(report)


def test_entries_written_by_workers_are_hits_in_a_fresh_interpreter(tmp_path: Path) -> None:
    """Cold with a process pool (the workers store the entries, with the key material that
    travelled with each job), then warm in a new interpreter: nothing is parsed, so libcst
    is never imported (the pattern of test_cache_parallel)."""
    project = tmp_path / "project"
    project.mkdir()
    (project / "leaky.py").write_text(LEAKY)
    for number in range(20):
        (project / f"module_{number}.py").write_text(f"def f{number}(x):\n    return x\n")
    cache_dir = tmp_path / "cache"
    probe = (
        "import sys\n"
        "from pdlint.cli import main\n"
        "try:\n"
        f"    main(['scan', '--jobs', sys.argv[1], '--cache-dir', {str(cache_dir)!r},"
        " '--format', 'json', '-q', '--no-progress'])\n"
        "except SystemExit as exit:\n"
        "    print('EXIT', exit.code, file=sys.stderr)\n"
        "print('LOADED', *sorted(m for m in ('libcst',) if m in sys.modules), file=sys.stderr)\n"
    )
    runs = [subprocess.run([sys.executable, "-c", probe, jobs], capture_output=True,
                           text=True, cwd=project, timeout=300) for jobs in ("2", "1")]
    cold, warm = (run.stderr.strip().splitlines()[-2:] for run in runs)
    assert cold[0] == "EXIT 1", runs[0].stderr  # (the workers parsed: libcst is theirs)
    assert len(_entries(cache_dir)) == 21
    assert warm == ["EXIT 1", "LOADED"], runs[1].stderr
    assert runs[0].stdout == runs[1].stdout and "PDL201" in runs[1].stdout


# -- one entry, one lookup ------------------------------------------------------------------


def _facts(path: str = "app/x.py", module: str = "app.x", is_test: bool = False) -> FileFacts:
    return FileFacts(path, module, is_test, lines=2)


def _stored(tmp_path: Path, fingerprint: str = "config-a", data: bytes = b"x = 1\n",
            rel: str = "app/x.py", module: str = "app.x", is_test: bool = False) -> bytes:
    """The bytes of the entry a scan with these inputs writes."""
    writer_cache = FactsCache(tmp_path / "writer", fingerprint)
    key = writer_cache.key(data, rel, module, is_test)
    assert EntryWriter(tmp_path / "writer").put(key, _facts(rel, module, is_test))
    return cache_module._entry_path(tmp_path / "writer", key).read_bytes()


def _place(cache: FactsCache, key: str, entry: bytes) -> Path:
    path = cache_module._entry_path(cache.directory, key)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(entry)
    return path


def test_a_genuine_entry_is_a_hit(tmp_path: Path) -> None:
    cache = FactsCache(tmp_path / "cache", "config-a")
    key = cache.key(b"x = 1\n", "app/x.py", "app.x", False)
    _place(cache, key, _stored(tmp_path))
    assert cache.get(key) == _facts()
    assert (cache.hits, cache.misses, cache.rejected) == (1, 0, 0)


@pytest.mark.parametrize(
    "other",
    [
        pytest.param({"fingerprint": "config-b"}, id="another extraction fingerprint"),
        pytest.param({"data": b"x = 2\n"}, id="other content"),
        pytest.param({"rel": "app/y.py"}, id="another path"),
        pytest.param({"module": "x"}, id="another module"),
        pytest.param({"is_test": True}, id="a test file"),
    ],
)
def test_an_entry_built_from_other_inputs_is_a_miss(tmp_path: Path,
                                                    other: dict[str, object]) -> None:
    """Whatever differs between what the entry was built from and what is asked for."""
    cache = FactsCache(tmp_path / "cache", "config-a")
    key = cache.key(b"x = 1\n", "app/x.py", "app.x", False)
    _place(cache, key, _stored(tmp_path, **other))  # type: ignore[arg-type]
    assert cache.get(key) is None
    assert (cache.hits, cache.misses, cache.rejected) == (0, 1, 1)


def test_an_entry_from_another_pdlint_is_a_miss(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    entry = _stored(tmp_path)
    monkeypatch.setattr(cache_module, "__version__", "0.0.0-other")
    cache = FactsCache(tmp_path / "cache", "config-a")
    key = cache.key(b"x = 1\n", "app/x.py", "app.x", False)
    _place(cache, key, entry)
    assert cache.get(key) is None


def test_a_forged_header_over_another_file_s_facts_is_a_miss(tmp_path: Path) -> None:
    """The right key material in front of facts that describe another file."""
    cache = FactsCache(tmp_path / "cache", "config-a")
    key = cache.key(b"x = 1\n", "app/x.py", "app.x", False)
    assert isinstance(key, CacheKey)
    _place(cache, key, dumps(_facts("app/clean.py", "app.clean"), key.material))
    assert cache.get(key) is None


@pytest.mark.parametrize("path", [123, None, b"app/x.py", ("app", "x.py")])
def test_facts_of_the_wrong_type_are_a_miss_not_a_crash(tmp_path: Path, path: object) -> None:
    cache = FactsCache(tmp_path / "cache", "config-a")
    key = cache.key(b"x = 1\n", "app/x.py", "app.x", False)
    assert isinstance(key, CacheKey)
    _place(cache, key, dumps(FileFacts(path, "app.x"), key.material))  # type: ignore[arg-type]
    assert cache.get(key) is None


Damage = Callable[[bytes], bytes]


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda entry: b"", id="empty"),
        pytest.param(lambda entry: entry[:3], id="shorter than the magic"),
        pytest.param(lambda entry: entry[:12], id="cut inside the header length"),
        pytest.param(lambda entry: entry[:40], id="cut inside the header"),
        pytest.param(lambda entry: entry[: len(entry) // 2 + 60], id="truncated facts"),
        pytest.param(lambda entry: entry[:-1] + bytes([entry[-1] ^ 0xFF]), id="flipped byte"),
        pytest.param(lambda entry: b"garbage" * 40, id="garbage"),
        pytest.param(lambda entry: entry[:9] + b"\xff\xff\xff\xff" + entry[13:],
                     id="header length past the end"),
        pytest.param(lambda entry: b"PDLC2" + entry[5:9] + pickle.dumps(_facts()),
                     id="the previous format"),
    ],
)
def test_a_damaged_entry_is_a_miss_and_is_rewritten(tmp_path: Path, damage: Damage) -> None:
    cache = FactsCache(tmp_path / "cache", "config-a")
    key = cache.key(b"x = 1\n", "app/x.py", "app.x", False)
    genuine = _stored(tmp_path)
    path = _place(cache, key, damage(genuine))
    assert cache.get(key) is None and cache.misses == 1
    assert cache.writer.put(key, _facts())  # what the engine does after a miss
    assert path.read_bytes() == genuine
    assert cache.get(key) == _facts()


def test_a_key_without_its_material_is_never_a_hit_nor_stored(tmp_path: Path) -> None:
    """A plain string cannot be verified against anything, so it cannot be trusted."""
    cache = FactsCache(tmp_path / "cache", "config-a")
    key = cache.key(b"x = 1\n", "app/x.py", "app.x", False)
    _place(cache, key, _stored(tmp_path))
    assert cache.get(str(key)) is None
    assert not EntryWriter(tmp_path / "other").put(str(key), _facts())
    assert cache.get(key) == _facts()


def test_the_key_keeps_its_material_across_processes(tmp_path: Path) -> None:
    """Jobs are pickled to worker processes, which store what they extract."""
    key = FactsCache(tmp_path, "config-a").key(b"x = 1\n", "app/x.py", "app.x", False)
    copy = pickle.loads(pickle.dumps(key))
    assert isinstance(copy, CacheKey) and copy == key and copy.material == key.material
    assert {copy} == {str(key)}  # still the plain key for FactsCache.used and prune()


def test_the_key_material_is_unambiguous(tmp_path: Path) -> None:
    """Length-prefixed fields: no file name can make two different inputs encode alike."""
    cache = FactsCache(tmp_path, "config-a")
    assert (cache.key(b"", "a\x1fb", "c", False) != cache.key(b"", "a", "b\x1fc", False))
    assert cache.key(b"", "a", "b", False) != cache.key(b"", "ab", "", False)


def test_loads_without_an_expectation_checks_integrity_only(tmp_path: Path) -> None:
    entry = _stored(tmp_path)
    assert loads(entry) == _facts()
    assert loads(entry, b"something else") is None
