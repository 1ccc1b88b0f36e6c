"""Orchestration: discover → extract → link → check → post-process → report.

The engine is the only place that knows the order of the phases; each phase is one function:

* :func:`~pdlint.discover.discover` finds the files, :func:`extract_all` turns each into facts
  (from the facts cache when it can);
* :func:`link` merges the facts into a :class:`~pdlint.project.Project`, which is all that
  ``pdlint graph`` and ``pdlint inventory`` need (``scan(..., rules=False)`` stops there);
* :func:`check` runs the rules, which only query the project, into raw reports;
* :func:`pdlint.postprocess.postprocess` applies tag ignores, suppressions, PDL901, per-file
  ignores and severities to them;
* :func:`report` makes them findings (display paths made once) and the :class:`ScanResult`.

Reporters and the CLI get a :class:`ScanResult` back; nothing here prints.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from pdlint.cache import EntryWriter, FactsCache
from pdlint.config import Config
from pdlint.cpus import available_cpus
from pdlint.discover import SourceFile, discover
from pdlint.facts import FileFacts, ParseErrorFact
from pdlint.findings import Finding, finalize
from pdlint.gcpolicy import ScanGC, scan_gc
from pdlint.inputs import ExtractOptions, FileInput
from pdlint.modules import plan_modules
from pdlint.postprocess import (
    POSTPROCESSOR_RULES,
    Context,
    DisplayPaths,
    Raw,
    findings,
    postprocess,
)
from pdlint.project import Project
from pdlint.rules import ALL_RULES, KNOWN, Rule
from pdlint.rules.parse import reduced_reads

if TYPE_CHECKING:  # loaded only with --coverage, by the CLI
    from pdlint.coverage_data import CoverageInfo


@dataclass
class ScanResult:
    """What a scan found, plus the counts the summary line needs."""

    findings: list[Finding]
    files: int
    parse_errors: int
    suppressed: int = 0
    baselined: int = 0  # findings hidden by --baseline
    stale: int = 0  # --baseline entries that no current finding matches
    outside_changes: int = 0  # findings hidden by --changed-since (not on a changed line)
    outside_files: int = 0  # findings hidden because their file was not named (pre-commit)
    skipped: int = 0  # files above max-file-size (each one a PDL001 too)
    problems: list[tuple[str, str]] = field(default_factory=list)  # discovery problems
    project: Project | None = None
    # scan(..., named=...): the root-relative files the named paths cover (pre-commit's staged
    # files), to which the CLI limits the report; None: every file analysed is reported
    named_files: frozenset[str] | None = None

    def by_rule(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for finding in self.findings:
            counts[finding.rule] = counts.get(finding.rule, 0) + 1
        return dict(sorted(counts.items()))

    def by_severity(self) -> dict[str, int]:
        counts = {"error": 0, "warning": 0, "info": 0}
        for finding in self.findings:
            counts[finding.severity] += 1
        return counts


def read_facts(source: SourceFile, module: str, options: ExtractOptions | None = None,
               data: bytes | None = None) -> FileFacts:
    """Read (unless ``data`` is given) and extract one file; never raises: failures become
    PDL001 facts."""
    try:
        from pdlint.extract import extract_file  # libcst is imported only when a file is parsed

        if data is None:
            try:
                data = source.path.read_bytes()
            except OSError as exc:
                reason = exc.strerror or type(exc).__name__
                return FileFacts(source.rel, module, source.is_test,
                                 parse_error=ParseErrorFact(f"cannot read file: {reason}"))
        return extract_file(FileInput(source.rel, module, source.is_test), data,
                            options or ExtractOptions())
    except MemoryError:
        # In a worker this is its address-space limit (_limit_memory): the trees of this file
        # are freed when the exception goes, and the worker goes on with the next file.
        data = None
        # (the budget depends on --jobs and the machine: the message does not name it, so a
        # report stays the same whatever the number of workers; docs/performance.md does)
        return FileFacts(source.rel, module, source.is_test, parse_error=ParseErrorFact(
            "ran out of memory while analysing; split the file or exclude it"))
    except Exception as exc:  # pragma: no cover - last line of defence, reported as PDL001
        return FileFacts(source.rel, module, source.is_test,
                         parse_error=ParseErrorFact(
                             f"internal error while analysing ({type(exc).__name__}); "
                             "please report it"))


def enabled_rules(config: Config) -> list[Rule]:
    enabled = config.enabled_rules(KNOWN)
    return [rule() for rule in ALL_RULES if rule.code in enabled]


@dataclass(frozen=True)
class RunOptions:
    """How to run extraction: parallelism, cache, progress (none of it changes results)."""

    jobs: int = 1
    cache_dir: Path | None = None  # None: no cache
    progress: Callable[[int, int], None] | None = None  # (done, total), for a progress bar


def default_jobs() -> int:
    """The CPUs this process may use: its affinity mask, capped by a container's CPU quota
    (see :mod:`pdlint.cpus`), not the machine's total."""
    return available_cpus()


def scan(paths: Sequence[Path], config: Config, cwd: Path | None = None,
         coverage: CoverageInfo | None = None, run: RunOptions = RunOptions(),
         rules: bool = True, named: Sequence[Path] | None = None) -> ScanResult:
    """Run the whole pipeline over ``paths`` with ``config``.

    ``coverage`` is a loaded :class:`~pdlint.coverage_data.CoverageInfo` (``--coverage``).
    With ``rules=False`` the scan stops after the link phase: the result has the project,
    the file counts and the problems, but no findings (what ``graph`` and ``inventory``
    need, without the cost of every rule).

    ``named`` are the paths the user named when ``paths`` widen them to their project
    (pre-commit passes the staged files): the files they cover are returned as
    ``ScanResult.named_files``, found by the same discover phase, so the caller can limit
    the report to them without discovering anything itself. Nothing else changes: the
    findings are those of a scan of ``paths``.
    """
    cwd = cwd or Path.cwd()
    with scan_gc() as collector:
        discovered = discover(paths, config, named=named)
        plan = plan_modules(discovered.files, config.root)
        options = ExtractOptions.from_config(config)
        jobs = [(source, plan.key(source.rel)) for source in discovered.files]
        files = extract_all(jobs, options, config, run, collector)
        # each import reaches the module its file can see (pdlint.modules)
        resolve = plan.resolver()
        files = [resolve(facts) for facts in files]
        collector.freeze_loaded()
        project = link(files, config, coverage)
        if rules:
            enabled = enabled_rules(config)
            context = Context(project, config, frozenset(rule.code for rule in enabled))
            raw = check(project, [rule for rule in enabled
                                  if rule.code not in POSTPROCESSOR_RULES])
            result = report(postprocess(raw, context), context, cwd, discovered.files)
        else:
            result = report((), Context(project, config, frozenset()), cwd, discovered.files)
    result.problems = [*discovered.problems, *result.problems]
    result.named_files = discovered.named
    return result


Job = tuple[str, str, str, bool, bytes | None, str]  # path, rel, module, is_test, data, key

# -- memory: the size guard and the bound on extraction processes ----------------------------
#
# libcst needs about 13 KB per source line; large modules are parsed in segments (see
# pdlint.extract), which keeps a 5 MB module near 250 MB, but one huge statement cannot be
# cut. Two guards keep such input from taking the machine down:
#
# * files above ``max-file-size`` (default 2 MiB) are not read at all: each is one PDL001;
# * extraction processes get an address-space limit (RLIMIT_AS; none on Windows) of what
#   they hold at start plus a budget: min(4 GiB, half the machine's memory (or its cgroup's
#   limit) divided among the workers), at least 1 GiB. An overrun is a MemoryError, caught
#   per file (PDL001), or, inside libcst's native parser, the end of the worker; the engine
#   then re-runs that worker's files one per process, so only the culprit is lost. With
#   --jobs 1 the scan runs in the main process, which is never limited, so files above
#   _IN_PROCESS_MAX are extracted in a limited child process even then.

GIB = 1024**3
_IN_PROCESS_MAX = 1024 * 1024


def format_size(size: int, other: int | None = None) -> str:
    """``4.8 MiB``, ``12.0 KiB``, ``900 bytes``. With ``other`` (the size it is compared to)
    both get the same unit, and up to three decimals so that they do not read the same."""
    largest = max(size, other or 0)
    for unit, scale in (("GiB", GIB), ("MiB", 1024**2), ("KiB", 1024)):
        if largest >= scale:
            for decimals in (1, 2, 3):
                shown = f"{size / scale:.{decimals}f}"
                if other is None or shown != f"{other / scale:.{decimals}f}":
                    break
            return f"{shown} {unit}"
    return f"{size} bytes"


def _skipped(source: SourceFile, module: str, size: int, limit: int) -> FileFacts:
    """A file above max-file-size: reported, never read, never cached (raising the limit
    must analyse it, and the cache key does not include the limit)."""
    return FileFacts(source.rel, module, source.is_test, parse_error=ParseErrorFact(
        f"skipped: the file is {format_size(size, limit)}, above max-file-size "
        f"({format_size(limit, size)}); raise max-file-size or exclude it", skipped=True))


def _physical_memory() -> int | None:
    """The machine's memory, or the memory limit of this process's cgroup if lower."""
    found: list[int] = []
    try:
        found.append(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES"))
    except (AttributeError, ValueError, OSError):
        pass
    for name in ("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"):
        try:
            with open(name, encoding="ascii") as stream:
                value = stream.read().strip()
        except (OSError, UnicodeDecodeError):
            continue
        if value.isdigit() and 0 < int(value) < 2**62:
            found.append(int(value))
    return min(found) if found else None


def memory_budget(workers: int) -> int:
    """What one extraction process may allocate: min(4 GiB, half the memory shared among
    ``workers``), at least 1 GiB (below that, ordinary large files would fail)."""
    physical = _physical_memory()
    if physical is None:
        return 4 * GIB
    return max(GIB, min(4 * GIB, physical // 2 // max(1, workers)))


def _limit_memory(budget: int) -> None:
    """Executor initializer: cap this process's address space at its size now plus
    ``budget``. A no-op where ``resource`` or RLIMIT_AS does not exist (Windows) or the
    limit cannot be set (macOS refuses some values); an existing lower limit stays."""
    try:
        import resource
    except ImportError:  # pragma: no cover - Windows
        return
    try:
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = _address_space() + budget
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        if soft != resource.RLIM_INFINITY and soft <= limit:
            return
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (AttributeError, ValueError, OSError):  # pragma: no cover - platform refuses
        return


def _address_space() -> int:
    """This process's virtual size (inherited mappings count against RLIMIT_AS too)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as stream:
            pages = int(stream.read().split()[0])
        return pages * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError, AttributeError):
        return 0


def _job_size(job: Job) -> int:
    data = job[4]
    if data is not None:
        return len(data)
    try:
        return os.stat(job[0]).st_size
    except OSError:
        return 0


def _extract_chunk(chunk: list[Job], options: ExtractOptions,
                   writer: EntryWriter | None = None) -> list[FileFacts]:
    """Worker entry point: extract a chunk of files (picklable in and out), storing each
    result in the cache when a ``writer`` is given and the job has a key."""
    out: list[FileFacts] = []
    for path, rel, module, is_test, data, key in chunk:
        facts = read_facts(SourceFile(Path(path), rel, is_test), module, options, data)
        if writer is not None and key:
            writer.put(key, facts)
        out.append(facts)
    return out


def extract_all(jobs: Sequence[tuple[SourceFile, str]], options: ExtractOptions, config: Config,
                run: RunOptions, collector: ScanGC | None = None) -> list[FileFacts]:
    """Facts for every file: from the cache where the content is unchanged, else extracted
    (in a process pool when there is enough work), in the input order."""
    results: list[FileFacts | None] = [None] * len(jobs)
    cache = FactsCache(run.cache_dir, config.extraction_fingerprint()) if run.cache_dir else None
    pending: list[tuple[int, Job]] = []
    limit = config.max_file_size
    # loading builds ~10^5 acyclic objects: see pdlint.gcpolicy
    with collector.loading() if collector is not None else nullcontext():
        for index, (source, module) in enumerate(jobs):
            data: bytes | None = None
            key = ""
            if limit > 0:
                try:
                    size = source.path.stat().st_size  # never read a file only to skip it
                except OSError:
                    size = 0  # reading it reports the problem
                if size > limit:
                    results[index] = _skipped(source, module, size, limit)
                    continue
            if cache is not None:
                try:
                    data = source.path.read_bytes()
                except OSError:
                    data = None
                if data is not None and 0 < limit < len(data):  # it grew since the stat
                    results[index] = _skipped(source, module, len(data), limit)
                    continue
                if data is not None:
                    key = cache.key(data, source.rel, module, source.is_test)
                    hit = cache.get(key)
                    if hit is not None:
                        results[index] = hit
                        continue
            pending.append((index, (str(source.path), source.rel, module, source.is_test,
                                    data, key)))
    total = len(pending)
    done = 0
    if run.progress is not None:
        run.progress(0, total)
    writer = cache.writer if cache is not None and pending else None
    for chunk_indexes, facts_list in _run_pending(pending, options, run.jobs, writer):
        for index, facts in zip(chunk_indexes, facts_list, strict=False):
            results[index] = facts
        done += len(chunk_indexes)
        if run.progress is not None:
            run.progress(done, total)
    if cache is not None:
        cache.used.update(job[5] for _, job in pending if job[5])
        cache.prune()  # at most once a day: see FactsCache.prune
    return [facts for facts in results if facts is not None]


def _run_pending(
    pending: list[tuple[int, Job]],
    options: ExtractOptions,
    jobs: int,
    writer: EntryWriter | None = None,
) -> Iterator[tuple[list[int], list[FileFacts]]]:
    """Extract pending files, serially or in a pool; yields (indexes, facts) per chunk.

    Pool workers are memory-limited (see _limit_memory); serially, files above
    _IN_PROCESS_MAX go to a limited child process, the others run in this process."""
    if not pending:
        return
    chunk_size = max(4, min(64, len(pending) // (jobs * 8) or 4))
    chunks = [pending[i:i + chunk_size] for i in range(0, len(pending), chunk_size)]
    if jobs <= 1 or len(pending) < 2 * chunk_size:
        budget = memory_budget(1)
        for chunk in chunks:
            facts_list: list[FileFacts] = []
            for _, job in chunk:
                if _job_size(job) > _IN_PROCESS_MAX:
                    facts_list.extend(_extract_chunk_isolated([job], options, writer, budget))
                else:
                    facts_list.extend(_extract_chunk([job], options, writer))
            yield [i for i, _ in chunk], facts_list
        return
    workers = min(jobs, len(chunks))
    budget = memory_budget(workers)
    try:
        executor = ProcessPoolExecutor(max_workers=workers, initializer=_limit_memory,
                                       initargs=(budget,))
    except (OSError, ValueError, NotImplementedError):  # pragma: no cover - no processes here
        yield from _run_pending(pending, options, 1, writer)
        return
    with executor:
        futures = {
            executor.submit(_extract_chunk, [job for _, job in chunk], options, writer): chunk
            for chunk in chunks
        }
        for future in as_completed(futures):
            chunk = futures[future]
            try:
                facts_list = future.result()
            except Exception:  # a worker died (a crash in a native parser, out of memory)
                facts_list = _extract_chunk_isolated([job for _, job in chunk], options, writer,
                                                     budget)
            yield [i for i, _ in chunk], facts_list


def _extract_chunk_isolated(chunk: list[Job], options: ExtractOptions,
                            writer: EntryWriter | None, budget: int) -> list[FileFacts]:
    """Extract one file per memory-limited process, so one bad file cannot sink the others
    (a failed chunk is re-run this way) nor the main process."""
    out: list[FileFacts] = []
    for job in chunk:
        try:
            single = ProcessPoolExecutor(max_workers=1, initializer=_limit_memory,
                                         initargs=(budget,))
        except (OSError, ValueError, NotImplementedError):  # pragma: no cover - no processes
            out.extend(_extract_chunk([job], options, writer))
            continue
        try:
            with single:
                out.extend(single.submit(_extract_chunk, [job], options, writer).result())
        except Exception:
            _, rel, module, is_test, _, _ = job
            out.append(FileFacts(rel, module, is_test, parse_error=ParseErrorFact(
                "the process analysing this file died: a crash in the parser, or it ran out "
                "of memory")))
    return out


def link(files: Iterable[FileFacts], config: Config,
         coverage: CoverageInfo | None = None) -> Project:
    """The link phase: every file's facts in one project view that rules and exports query
    (its indexes, data flow and handlers are computed on first use)."""
    project = Project.link(config, files)
    project.coverage = coverage
    return project


def check(project: Project, rules: Iterable[Rule]) -> list[Raw]:
    """The check phase: each rule's raw reports, rule by rule, before any suppression,
    per-file ignore or severity (the post-process phase, :mod:`pdlint.postprocess`)."""
    return [(rule, found) for rule in rules for found in rule.check(project)]


def report(raw: Iterable[Raw], context: Context, cwd: Path,
           sources: Sequence[SourceFile] = ()) -> ScanResult:
    """The report phase: post-processed reports as sorted, fingerprinted findings with paths
    relative to ``cwd``, plus the counts of the summary line."""
    project = context.project
    display = DisplayPaths(project, context.config, cwd, sources)
    parse_errors = sum(1 for facts in project.files
                       if facts.parse_error is not None and not facts.parse_error.skipped)
    skipped = sum(1 for facts in project.files
                  if facts.parse_error is not None and facts.parse_error.skipped)
    # files read in a reduced form (pdlint.extract.source): not an error, but said once each
    notes = [(display.get(path, path), note) for path, note in reduced_reads(project.files)]
    return ScanResult(finalize(findings(raw, display)), len(project.files), parse_errors,
                      context.suppressed, problems=notes, project=project, skipped=skipped)
