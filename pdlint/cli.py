"""The ``pdlint`` command line (click).

Exit codes follow ruff: 0 no finding at or above the failure threshold, 1 findings,
2 usage, configuration or internal errors. Findings go to stdout (or ``--output``); the
summary and diagnostics go to stderr, so machine formats stay clean in pipes.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import NoReturn

import click
from rich.console import Console
from rich.text import Text

from pdlint import __version__
from pdlint.cache import CACHE_DIR_NAME
from pdlint.cache import clear as clear_cache
from pdlint.commands import COMMANDS
from pdlint.commands.common import (
    EXIT_FINDINGS,
    EXIT_OK,
    load,
    require_paths,
    run_options,
    split_values,
    warn,
    warn_if_empty,
)
from pdlint.commands.common import fail as _fail
from pdlint.config import Config, ConfigError, apply_overrides
from pdlint.engine import ScanResult, scan
from pdlint.findings import Finding, at_least
from pdlint.gate import (
    Baseline,
    BaselineEntry,
    ChangedLines,
    GateError,
    apply_baseline,
    changed_lines,
    in_files,
    load_baseline,
    write_baseline,
)
from pdlint.report import FORMATS, RENDERERS, render_statistics, render_summary, render_text
from pdlint.rules import ALL_RULES, KNOWN, RESERVED, lookup
from pdlint.visible import visible


def _console(stream: object, color: str) -> Console:
    force: bool | None = {"always": True, "never": False}.get(color)
    no_color = color == "never" or (color == "auto" and bool(os.environ.get("NO_COLOR")))
    return Console(
        file=stream,  # type: ignore[arg-type]
        force_terminal=force,
        no_color=no_color,
        highlight=False,
        markup=False,
        emoji=False,
        soft_wrap=True,
    )


@contextmanager
def _progress(enabled: bool, color: str) -> Iterator[Callable[[int, int], None] | None]:
    """A transient rich progress bar on stderr, only on a terminal and for long scans."""
    if not enabled or not sys.stderr.isatty() or os.environ.get("CI"):
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    console = _console(sys.stderr, color)
    bar = Progress(TextColumn("reading files"), BarColumn(), MofNCompleteColumn(),
                   console=console, transient=True)
    task = bar.add_task("read", total=None)
    started = False

    def update(done: int, total: int) -> None:
        nonlocal started
        if total < 100:
            return  # short scans stay quiet
        if not started:
            bar.start()
            started = True
        bar.update(task, completed=done, total=total)

    try:
        yield update
    finally:
        if started:
            bar.stop()


def _split(values: Sequence[str]) -> tuple[str, ...] | None:
    """The values of a list option, or None when it was not given at all."""
    return tuple(split_values(values)) if values else None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="pdlint")
def main() -> None:
    """pdlint keeps personal data (GDPR) under control in Python code.

    It reads the code without running it: finds personal data, checks the `# gdpr:` tags
    that declare it, and reports what is undeclared, leaking or malformed.
    """


def run() -> NoReturn:
    """Console entry point (``pdlint``, ``python -m pdlint``): the CLI, then a quick exit.

    A large scan leaves about a million small objects alive; freeing them one by one at
    interpreter exit took ~50 ms on django, a twentieth of a warm scan, and achieves nothing.
    Once the output is flushed the process ends without that teardown (mypy does the same).
    Tests drive :func:`main` through click's runner and are not affected.
    """
    try:
        main()
        code: object = 0
    except SystemExit as exc:
        code = exc.code
    if code is not None and not isinstance(code, int):
        click.echo(str(code), err=True)
        code = 1
    os._exit(_flush_streams(code or 0))


def _flush_streams(code: int) -> int:
    """Flush stdout and stderr before the quick exit; the exit code to use.

    A reader that went away (``pdlint scan | head``) is not an error. Any other write
    failure (a full disk under ``--format json > report.json``) must not pass as success.
    """
    for stream in (sys.stdout, sys.stderr):
        if stream is None:  # pythonw and some launchers have no console streams
            continue
        try:
            stream.flush()
        except BrokenPipeError:
            pass
        except (OSError, ValueError) as exc:
            reason = getattr(exc, "strerror", None) or str(exc)
            try:
                if sys.stderr is not None and stream is not sys.stderr:
                    sys.stderr.write(f"pdlint: error: cannot write the output: {reason}\n")
                    sys.stderr.flush()
            except (OSError, ValueError):
                pass
            code = 2
    return code


@main.command("scan")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--config", "config_file", type=click.Path(path_type=Path), default=None,
              help="Use this configuration file instead of searching for pyproject.toml.")
@click.option("--isolated", is_flag=True, help="Ignore all configuration files.")
@click.option("--format", "output_format", type=click.Choice(FORMATS), default="text",
              show_default=True, help="Output format.")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Write the report to FILE instead of stdout.")
@click.option("-q", "--quiet", is_flag=True, help="Print findings only: no summary.")
@click.option("--statistics", is_flag=True, help="Print counts per rule instead of findings.")
@click.option("--select", multiple=True, help="Rules to enable (codes, prefixes or names).")
@click.option("--extend-select", multiple=True, help="Rules to enable on top of the selection.")
@click.option("--ignore", multiple=True, help="Rules to disable.")
@click.option("--exclude", multiple=True, help="Paths to exclude (replaces the defaults).")
@click.option("--extend-exclude", multiple=True, help="Paths to exclude on top of the defaults.")
@click.option("--force-exclude", is_flag=True, default=None,
              help="Apply excludes to files named on the command line too (pre-commit).")
@click.option("--fail-on", type=click.Choice(["error", "warning", "info", "never"]), default=None,
              help="Lowest severity that makes the exit code 1 [default: info].")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings.")
@click.option("--max-file-size", metavar="SIZE", default=None,
              help="Skip (and report as PDL001) files larger than SIZE: bytes, or with a unit "
                   "such as 2MB or 512KiB; 0 for no limit [default: 2MiB].")
@click.option("--color", type=click.Choice(["auto", "always", "never"]), default="auto",
              show_default=True, help="Colour the text output.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="Worker processes for reading files [default: the CPUs available].")
@click.option("--no-cache", is_flag=True, help="Do not read or write the facts cache.")
@click.option("--cache-dir", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="Where to keep the facts cache [default: .pdlint_cache at the project root].")
@click.option("--no-progress", is_flag=True, help="Never show a progress bar.")
@click.option("--coverage", "coverage_file", type=click.Path(path_type=Path), default=None,
              help="Coverage data (.coverage file or `coverage json` report): a tagged function "
                   "counts as tested only when a test executed it (PDL301).")
@click.option("--baseline", "baseline_file", type=click.Path(path_type=Path, dir_okay=False),
              default=None, help="Report only findings not recorded in this baseline file.")
@click.option("--write-baseline", "write_baseline_file",
              type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Record the current findings in FILE (for --baseline) and exit 0.")
@click.option("--changed-since", metavar="REF", default=None,
              help="Report only findings on lines changed since the git revision REF "
                   "(e.g. origin/main); the whole project is still analysed.")
def scan_command(
    paths: tuple[Path, ...],
    config_file: Path | None,
    isolated: bool,
    output_format: str,
    output: Path | None,
    quiet: bool,
    statistics: bool,
    select: tuple[str, ...],
    extend_select: tuple[str, ...],
    ignore: tuple[str, ...],
    exclude: tuple[str, ...],
    extend_exclude: tuple[str, ...],
    force_exclude: bool | None,
    fail_on: str | None,
    exit_zero: bool,
    max_file_size: str | None,
    color: str,
    jobs: int | None,
    no_cache: bool,
    cache_dir: Path | None,
    no_progress: bool,
    coverage_file: Path | None,
    baseline_file: Path | None,
    write_baseline_file: Path | None,
    changed_since: str | None,
) -> None:
    """Scan PATHS (default: the current directory) and report findings.

    When PATHS name files (pre-commit passes the staged ones), the whole project they belong
    to is analysed, so project-level rules see every module, and only findings in those files
    are reported.
    """
    require_paths(paths)
    config = load(config_file, isolated)
    try:
        config = apply_overrides(
            config,
            select=_split(select),
            extend_select=_split(extend_select),
            ignore=_split(ignore),
            exclude=_split(exclude),
            extend_exclude=_split(extend_exclude),
            force_exclude=force_exclude or None,
            fail_on=fail_on,
            max_file_size=max_file_size,
            known_rules=KNOWN,
        )
    except ConfigError as exc:
        _fail(str(exc))
    _warn_reserved(config)
    if write_baseline_file is not None and changed_since is not None:
        _fail("--write-baseline cannot be combined with --changed-since: a baseline records "
              "findings, not changed lines")
    baseline: Baseline | None = None
    changed: ChangedLines | None = None
    try:
        if baseline_file is not None and write_baseline_file is None:
            baseline = load_baseline(baseline_file)
        if changed_since is not None:
            changed = changed_lines(config.root, changed_since)
    except GateError as exc:
        _fail(str(exc))
    targets, named = _plan(paths, config, whole_project=changed is not None)
    from pdlint.coverage_data import CoverageError, load_coverage

    try:
        coverage = load_coverage(coverage_file, root=config.root) if coverage_file else None
        with _progress(enabled=not (quiet or no_progress), color=color) as progress:
            run = run_options(config, jobs, no_cache, cache_dir, progress)
            result = scan(targets, config, Path.cwd(), coverage=coverage, run=run, named=named)
    except CoverageError as exc:
        _fail(f"--coverage: {exc}")
    except KeyboardInterrupt:  # pragma: no cover - interactive
        _fail("interrupted")
    except RecursionError:  # pragma: no cover - defensive
        _fail("internal error: recursion limit reached; please report this")
    err = _console(sys.stderr, color)
    for where, problem in _named_problems(result.problems, result.named_files, config.root):
        err.print(Text(f"pdlint: warning: {visible(where)}: {problem}", style="yellow"))
    warn_if_empty(result.files, paths)
    result = _gate(result, config, targets, result.named_files, changed, baseline)
    if write_baseline_file is not None:
        try:
            count = write_baseline(write_baseline_file, result.findings)
        except GateError as exc:
            _fail(str(exc))
        if not quiet:
            click.echo(f"Wrote {count} finding{'' if count == 1 else 's'} to the baseline "
                       f"{write_baseline_file}.", err=True)
        sys.exit(EXIT_OK)
    _emit(result, output_format, output, quiet, statistics, color, err)
    if exit_zero:
        sys.exit(EXIT_OK)
    failing = any(at_least(f.severity, config.fail_on) for f in result.findings)
    sys.exit(EXIT_FINDINGS if failing else EXIT_OK)


def _warn_reserved(config: Config) -> None:
    """One warning naming the catalogue codes the configuration asks for that check nothing
    in this version: a user must not believe third-party disclosure is checked when it is
    not. Not an error, so a configuration written for a newer release keeps working."""
    reserved = sorted(config.named_rules(KNOWN) & RESERVED.keys())
    if reserved:
        names = ", ".join(f"{code} ({RESERVED[code]})" for code in reserved)
        verb = "checks" if len(reserved) == 1 else "check"
        warn(f"{names} {verb} nothing in pdlint {__version__}: "
             f"{'it is' if len(reserved) == 1 else 'they are'} reserved for a later release")


def _is_project(config: Config) -> bool:
    """True when the configuration root is a project: a config file or a repository root."""
    return config.config_file is not None or any(
        (config.root / marker).exists() for marker in (".git", ".hg"))


def _plan(paths: Sequence[Path], config: Config,
          whole_project: bool) -> tuple[list[Path], list[Path] | None]:
    """What to analyse, and the named paths whose files alone are reported (None: every
    file analysed is).

    Files named on the command line (pre-commit) are analysed with the whole project they
    belong to, because project-level rules (calls between modules, handler tests, drift)
    need every module; only their own findings are reported, so the result for those files
    is the one a full scan gives. Which files the named paths cover (``force-exclude`` drops
    excluded ones) is the discover phase's answer, ``ScanResult.named_files``: this only
    decides whether to widen the scan, and discovers nothing itself.
    """
    if not paths:
        return ([config.root] if whole_project else [Path.cwd()]), None
    if not any(path.is_file() for path in paths) or not _is_project(config):
        return list(paths), None
    return [config.root, *paths], list(paths)


def _named_problems(problems: Sequence[tuple[str, str]], only_files: frozenset[str] | None,
                    root: Path) -> list[tuple[str, str]]:
    """The warnings to print: all of them, or, when files were named (pre-commit), those about
    the named files. The rest of the project is analysed for context only, and its warnings
    would repeat on every commit."""
    if only_files is None:
        return list(problems)
    cwd = os.getcwd()
    return [(where, problem) for where, problem in problems
            if os.path.relpath(os.path.join(cwd, where), root).replace(os.sep, "/")
            in only_files]


def _gate(result: ScanResult, config: Config, targets: Sequence[Path],
          only_files: frozenset[str] | None, changed: ChangedLines | None,
          baseline: Baseline | None) -> ScanResult:
    """Apply the report filters: named files, changed lines, baseline (in that order)."""
    from dataclasses import replace

    outside: dict[str, int] = {"outside_files": 0, "outside_changes": 0}

    def keep(findings: list[Finding], count: bool = False) -> list[Finding]:
        if only_files is not None:
            kept = in_files(findings, only_files)
            if count:
                outside["outside_files"] += len(findings) - len(kept)
            findings = kept
        if changed is not None:
            kept = changed.select(findings, Path.cwd())
            if count:
                outside["outside_changes"] += len(findings) - len(kept)
            findings = kept
        return findings

    changes: dict[str, object] = {}
    analysed = {facts.path: facts for facts in result.project.files} if result.project else {}
    if only_files is not None:
        named = [facts for path, facts in analysed.items() if path in only_files]
        changes["files"] = len(named)
        changes["parse_errors"] = sum(1 for facts in named if facts.parse_error is not None)
    if baseline is not None:
        root = os.path.realpath(config.root)
        whole = any(os.path.realpath(target) == root for target in targets)
        enabled = config.enabled_rules(KNOWN)

        def reproducible(entry: BaselineEntry) -> bool:
            return entry.rule in enabled and (whole or entry.path in analysed)

        match = apply_baseline(result.findings, baseline, reproducible)
        changes["findings"] = keep(match.new, count=True)
        changes["baselined"] = len(keep(match.baselined))
        changes["stale"] = len(match.stale)
    else:
        changes["findings"] = keep(result.findings, count=True)
    changes.update(outside)
    return replace(result, **changes)  # type: ignore[arg-type]


def _emit(result: ScanResult, output_format: str, output: Path | None, quiet: bool,
          statistics: bool, color: str, err: Console) -> None:
    handle = None
    try:
        if output is not None:
            try:
                handle = output.open("w", encoding="utf-8", newline="\n")
            except OSError as exc:
                _fail(f"cannot write {output}: {exc.strerror}")
        stream = handle if handle is not None else sys.stdout
        renderer = RENDERERS.get(output_format)
        if renderer is not None:
            stream.write(renderer(result))
        else:
            out = _console(stream, "never" if handle is not None else color)
            if statistics:
                render_statistics(result, out)
            else:
                render_text(result, out)
        if not quiet:  # every format: stdout carries only the report
            render_summary(result, err)
    finally:
        if handle is not None:
            handle.close()


@main.group("cache")
def cache_group() -> None:
    """Manage the facts cache (.pdlint_cache)."""


@cache_group.command("clear")
@click.option("--config", "config_file", type=click.Path(path_type=Path), default=None)
@click.option("--cache-dir", type=click.Path(path_type=Path, file_okay=False), default=None)
def cache_clear(config_file: Path | None, cache_dir: Path | None) -> None:
    """Delete every cached entry (the next scan re-reads every file)."""
    directory = cache_dir or load(config_file).root / CACHE_DIR_NAME
    removed = clear_cache(directory)
    click.echo(f"Removed {removed} cache entr{'y' if removed == 1 else 'ies'} from {directory}",
               err=True)


@main.command("rules")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
def rules_command(output_format: str) -> None:
    """List every rule: code, name, default severity and what it finds."""
    if output_format == "json":
        import json

        rows = [
            {"code": r.code, "name": r.name, "severity": r.severity, "summary": r.summary}
            for r in ALL_RULES
        ]
        click.echo(json.dumps(rows, indent=2))
        return
    width = max(len(rule.name) for rule in ALL_RULES)
    for rule in ALL_RULES:
        click.echo(f"{rule.code}  {rule.name.ljust(width)}  {rule.severity.ljust(7)}  "
                   f"{rule.summary}")


@main.command("explain")
@click.argument("rule")
def explain_command(rule: str) -> None:
    """Explain RULE (a code such as PDL105, or a name such as untagged-pii-field)."""
    found = lookup(rule)
    planned = rule.upper() if rule.upper() in KNOWN else next(
        (code for code, name in KNOWN.items() if name == rule.lower()), None)
    if found is None and planned is not None:
        _fail(f"{planned} {KNOWN[planned]} is in the rule catalogue but not implemented in "
              f"pdlint {__version__} yet")
    if found is None:
        import difflib

        choices = list(KNOWN) + list(KNOWN.values())
        close = difflib.get_close_matches(rule.upper(), choices, n=1) or difflib.get_close_matches(
            rule.lower(), choices, n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        _fail(f"unknown rule '{rule}'{hint}; `pdlint rules` lists them")
    click.echo(found.explain(), nl=False)


for _command in COMMANDS:
    main.add_command(_command)


if __name__ == "__main__":  # pragma: no cover
    main()
