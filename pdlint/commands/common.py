"""What the subcommands share: failing with exit code 2, loading the configuration, the
path/config/cache options, running a scan and writing output.

It sits below both :mod:`pdlint.cli` and the subcommand modules, so neither has to import
the other.
"""

from __future__ import annotations

import errno
import os
import stat
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

from pdlint import taxonomy
from pdlint.config import Config, ConfigError, load_config
from pdlint.rules import KNOWN
from pdlint.visible import visible

if TYPE_CHECKING:
    from pdlint.engine import RunOptions
    from pdlint.project import Project

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def fail(message: str) -> NoReturn:
    click.echo(f"pdlint: error: {message}", err=True)
    sys.exit(EXIT_ERROR)


def warn(message: str) -> None:
    click.echo(f"pdlint: warning: {message}", err=True)


def split_values(values: Sequence[str]) -> list[str]:
    """Accept ``--select A,B`` and repeated ``--select A --select B`` alike."""
    items: list[str] = []
    for value in values:
        items.extend(part.strip() for part in value.split(",") if part.strip())
    return items


def category_known(key: str) -> bool:
    return taxonomy.resolve_category(key) is not None


def load(config_file: Path | None, isolated: bool = False) -> Config:
    """Configuration for the current directory, or exit 2 with a clear message."""
    cwd = Path.cwd()
    if isolated:
        return Config(root=cwd, config_file=None)
    try:
        config = load_config(cwd, config_file, known_rules=KNOWN, category_known=category_known)
    except ConfigError as exc:
        fail(str(exc))
    for message in config.warnings:  # config files skipped by the search (a directory...)
        warn(message)
    return config


def scan_options(function):  # type: ignore[no-untyped-def]
    """The path/config/cache options ``graph`` and ``inventory`` share with ``scan``."""
    options = [
        click.argument("paths", nargs=-1, type=click.Path(path_type=Path)),
        click.option("--config", "config_file", type=click.Path(path_type=Path), default=None,
                     help="Use this configuration file instead of searching for pyproject.toml."),
        click.option("--isolated", is_flag=True, help="Ignore all configuration files."),
        click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
                     help="Worker processes for reading files [default: the CPUs available]."),
        click.option("--no-cache", is_flag=True, help="Do not read or write the facts cache."),
        click.option("--cache-dir", type=click.Path(path_type=Path, file_okay=False),
                     default=None,
                     help="Where to keep the facts cache [default: .pdlint_cache at the root]."),
    ]
    for option in reversed(options):
        function = option(function)
    return function


def run_options(config: Config, jobs: int | None, no_cache: bool, cache_dir: Path | None,
                progress: Callable[[int, int], None] | None = None) -> RunOptions:
    """What ``--jobs``, ``--no-cache`` and ``--cache-dir`` mean, for every command."""
    from pdlint.cache import CACHE_DIR_NAME
    from pdlint.engine import RunOptions, default_jobs

    return RunOptions(
        jobs=jobs or default_jobs(),
        cache_dir=None if no_cache else (cache_dir or config.root / CACHE_DIR_NAME),
        progress=progress,
    )


def require_paths(paths: Sequence[Path]) -> None:
    """Exit 2 when a path named on the command line is not a file or directory pdlint can scan.

    A typo in a CI path must never give a green gate: discovery would find nothing there and
    the scan would pass with "0 files". The same holds for a broken symbolic link, a link
    loop, and anything that is neither a file nor a directory (a FIFO, a socket, a device
    such as ``/dev/null``): each is refused with the reason. Only ``stat`` is used, never
    ``open``: opening a FIFO blocks until a writer appears, which would hang CI.
    """
    for path in paths:
        problem = path_problem(path)
        if problem:
            fail(f"{display(path)}: {problem}")


#: Why a ``stat`` file type cannot be scanned, for :func:`path_problem`.
_NOT_SCANNABLE: tuple[tuple[Callable[[int], bool], str], ...] = (
    (stat.S_ISFIFO, "a named pipe (FIFO), not a file or directory"),
    (stat.S_ISSOCK, "a socket, not a file or directory"),
    (stat.S_ISCHR, "a character device, not a file or directory"),
    (stat.S_ISBLK, "a block device, not a file or directory"),
)


def path_problem(path: Path) -> str | None:
    """Why ``path`` cannot be scanned (``"a symbolic link loop"``), or None if it can.

    ``os.path.exists`` would fold a link loop, a permission error and a missing file into one
    ``False``; the ``stat`` error tells them apart, so the message says what is wrong.
    """
    try:
        mode = os.stat(path).st_mode
    except (FileNotFoundError, NotADirectoryError):
        return "a broken symbolic link" if os.path.islink(path) else "no such file or directory"
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "a symbolic link loop"
        return f"cannot be read ({exc.strerror or exc})"
    except ValueError:  # an embedded NUL byte: no file can have that name
        return "no such file or directory"
    if stat.S_ISDIR(mode) or stat.S_ISREG(mode):
        return None
    for test, reason in _NOT_SCANNABLE:
        if test(mode):
            return reason
    return "not a file or directory"


def warn_if_empty(files: int, paths: Sequence[Path]) -> None:
    """Warn (not fail, as ruff does) when the paths held no Python file at all."""
    if files:
        return
    where = ", ".join(display(path) for path in paths) if paths else "."
    warn(f"no Python files found under {where}")


def display(path: Path) -> str:
    """A path for a message: as the user wrote it, control characters made visible."""
    return visible(os.fspath(path))


def scan_project(paths: Sequence[Path], config: Config, jobs: int | None, no_cache: bool,
                 cache_dir: Path | None) -> Project:
    """Scan ``paths`` like ``pdlint scan`` does and return the linked project.

    The scan stops after the link phase: the graph and the inventory query the project, not
    the findings, so running every rule (and the post-processing) would be wasted work."""
    from pdlint.engine import scan

    require_paths(paths)
    run = run_options(config, jobs, no_cache, cache_dir)
    try:
        result = scan(list(paths) or [Path.cwd()], config, Path.cwd(), run=run, rules=False)
    except KeyboardInterrupt:  # pragma: no cover - interactive
        fail("interrupted")
    except RecursionError:  # pragma: no cover - defensive
        fail("internal error: recursion limit reached; please report this")
    for where, problem in result.problems:
        warn(f"{visible(where)}: {problem}")
    warn_if_empty(result.files, paths)
    assert result.project is not None
    return result.project


def write_text(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    try:
        with output.open("w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
    except OSError as exc:
        fail(f"cannot write {output}: {exc.strerror or exc}")
