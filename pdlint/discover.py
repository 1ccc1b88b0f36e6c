"""Find the Python files a scan covers: the *discover* step of the pipeline.

The rules follow ruff, which most users already know:

* directories are walked for ``*.py`` and ``*.pyi``; ``exclude`` + ``extend-exclude``
  (gitignore-style, relative to the config root, a bare name matching at any depth) and, when
  ``respect-gitignore`` is on, ``.git/info/exclude`` and every ``.gitignore`` on the way (each
  applying to its own subtree, deeper files overriding shallower ones) prune directories
  *before* they are entered -- a 40 000-file ``.venv`` costs one pattern match, not a walk;
* paths named on the command line are always scanned, whatever their name or extension, unless
  ``force-exclude`` is set and they match ``exclude`` (that is what pre-commit, which passes
  every staged file, needs); ``.gitignore`` never removes an explicit path (ruff behaves the
  same);
* symlinks are followed, but every directory is entered at most once (by real path) and a link
  to one of its own ancestors is reported, never followed, so a loop cannot hang the scan.
  Real directories are walked before symlinked ones and files reached without a link win the
  de-duplication, so a file's ``rel`` is its canonical location whenever there is one;
* problems (unreadable directory, missing argument, symlink loop) are collected, not raised:
  one bad path must not hide the findings in all the others.

The result is sorted by ``rel`` so output and cache keys never depend on filesystem order.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from fnmatch import fnmatchcase
from pathlib import Path

import pathspec
from pathspec.util import normalize_file

from pdlint.config import Config, compile_gitignore

__all__ = [
    "PYTHON_SUFFIXES",
    "DiscoveryResult",
    "SourceFile",
    "discover",
    "make_test_classifier",
    "path_bytes",
]

#: File name endings picked up when walking directories.
PYTHON_SUFFIXES: tuple[str, ...] = (".py", ".pyi")


def path_bytes(path: str) -> bytes:
    """The bytes of a path held as ``str``, for hash keys and fingerprints.

    File names are bytes on POSIX and need not be UTF-8 (``bad\\xff.py``); Python hands them
    over with each undecodable byte as a lone surrogate (``surrogateescape``), and that is
    how pdlint keeps paths internally. A plain ``str.encode()`` raises on those, so every
    digest of a path goes through here: ``surrogateescape`` gives back the name's real
    bytes, so a fingerprint does not depend on how a terminal would show the name. A lone
    surrogate that did not come from a byte (a Windows name, or text built elsewhere) is
    kept with ``surrogatepass``: still deterministic, and this never raises.
    """
    try:
        return path.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return path.encode("utf-8", "surrogatepass")


@dataclass(frozen=True)
class SourceFile:
    """One file to analyse."""

    path: Path  # absolute path (symlinks not resolved: this is where the user sees the file)
    rel: str  # posix path relative to config.root (symbols, per-file-ignores, test paths)
    is_test: bool  # matches config.test_paths


@dataclass(frozen=True)
class DiscoveryResult:
    """Files to analyse plus the paths that could not be walked (the scan goes on)."""

    files: tuple[SourceFile, ...]  # sorted by rel, no duplicates
    problems: tuple[tuple[str, str], ...]  # (display path, message)
    # With discover(..., named=...): the rels the named paths expand to on their own (what
    # discover(named) would return as files), so a report can be limited to them. None
    # when no paths were named.
    named: frozenset[str] | None = None


def make_test_classifier(patterns: Iterable[str]) -> Callable[[str], bool]:
    """Build the ``is_test`` predicate for ``config.test_paths``.

    Three pattern shapes, chosen so the defaults read naturally:

    * ``"tests/"`` (one name + trailing slash): any *directory* component of the path matches
      the glob, at any depth -- ``pkg/tests/helpers.py`` is test code;
    * ``"test_*.py"`` (no slash): a glob on the file name;
    * anything else with a slash (``"src/testing/*.py"``): a gitignore-style pattern on the
      whole relative path.

    Exposed so other steps (the graph, the CLI's ``--show-files``) classify paths the same way.
    """
    dir_globs: list[str] = []
    name_globs: list[str] = []
    path_patterns: list[str] = []
    for pattern in patterns:
        stripped = pattern.rstrip("/")
        if "/" in stripped:
            path_patterns.append(pattern)
        elif pattern.endswith("/"):
            dir_globs.append(stripped)
        else:
            name_globs.append(pattern)
    spec = compile_gitignore(tuple(path_patterns)) if path_patterns else None

    def is_test(rel: str) -> bool:
        parts = rel.split("/")
        name = parts[-1]
        if any(fnmatchcase(name, glob) for glob in name_globs):
            return True
        if dir_globs and any(fnmatchcase(part, g) for part in parts[:-1] for g in dir_globs):
            return True
        return spec is not None and bool(spec.match_file(rel))

    return is_test


class _Matcher:
    """A compiled gitignore spec answering (include, index of the deciding pattern).

    Most paths of a walk match no pattern at all. pathspec tries every pattern in turn for
    each path; one combined regular expression answers "none matches" in a single search,
    and only paths that match something go through pathspec's precise last-match-wins
    check. (On django's 18,500 checks this is about 8x less matching.)
    """

    __slots__ = ("any_match", "spec")

    def __init__(self, spec: pathspec.PathSpec, ignored: int | None = None) -> None:
        self.spec = spec
        self.any_match = _combined_regex(spec, ignored)

    def without(self, index: int | None) -> _Matcher:
        """The same spec, with pattern ``index`` left out of the "none matches" shortcut.

        For a layer whose pattern ``index`` matched an explicitly given directory (see
        :class:`_Layer`): that pattern alone never decides anything below it, so it must not
        send every path of the walk down the slow path. (Only an including pattern is left
        out: a negation always counts.)
        """
        return _Matcher(self.spec, index)

    def check(self, path: str) -> tuple[bool | None, int | None]:
        if self.any_match is not None and not self.any_match.search(normalize_file(path)):
            return None, None
        result = self.spec.check_file(path)  # pathspec >= 0.12, as pyproject requires
        return result.include, result.index


def _combined_regex(spec: pathspec.PathSpec, ignored: int | None) -> re.Pattern[str] | None:
    """One regex that matches wherever any pattern of ``spec`` (but pattern ``ignored``)
    matches; pathspec matches a pattern with ``regex.search``. None when the patterns are
    not plain regexes."""
    parts: list[str] = []
    for position, pattern in enumerate(spec.patterns):
        if pattern.include is None or (position == ignored and pattern.include):
            # blank lines and comments match nothing; an ignored *including* pattern alone
            # never decides for a layer (a negation still does, so it stays)
            continue
        regex = getattr(pattern, "regex", None)
        if not isinstance(regex, re.Pattern) or not isinstance(regex.pattern, str):
            return None
        # group names repeat across patterns; only pathspec's own check reads them
        parts.append("(?:" + _NAMED_GROUP.sub("(?:", regex.pattern) + ")")
    if not parts:
        return re.compile(r"(?!)")  # matches nothing
    try:
        return re.compile("|".join(parts))
    except re.error:  # pragma: no cover - a pattern shape we did not foresee
        return None


_NAMED_GROUP = re.compile(r"\(\?P<[A-Za-z_][A-Za-z0-9_]*>")


@dataclass(frozen=True)
class _Layer:
    """Patterns of one ignore file, relative to ``base`` (an absolute dir path + separator).

    ``skip`` is the index of a pattern that matched an explicitly given directory or one of
    its ancestors: pathspec reports that pattern for every descendant too, and descendants of a
    path the user asked for must not be dropped because of that match.
    """

    base: str
    matcher: _Matcher
    skip: int | None = None

    def decide(self, abs_path: str) -> bool | None:
        include, index = self.matcher.check(abs_path[len(self.base) :])
        if include and index == self.skip:
            return None
        return include


@dataclass(frozen=True)
class _Frame:
    """A directory waiting to be listed, with everything its entries are judged by."""

    abs: str  # absolute path as reached (symlinks not resolved)
    real: str  # real path, for "enter every directory once" and loop detection
    rel: str  # output rel of the directory ("" for config.root)
    match_rel: str  # path matched against exclude patterns ("" = the base itself)
    layers: tuple[_Layer, ...]  # gitignore layers, shallow to deep
    exclude_skip: int | None  # see _Layer.skip
    via_link: bool  # reached through a symlinked directory


def _inherit(layer: _Layer, directory: str) -> _Layer:
    """Mark the pattern that ignores an explicitly given directory as inherited (see _Layer)."""
    relative = (directory + os.sep)[len(layer.base) :]  # keeps the trailing "/" of a dir
    if not relative:  # the layer's own directory: its patterns only see what is below
        return layer
    include, index = layer.matcher.check(relative)
    if not include:
        return layer
    return replace(layer, skip=index, matcher=layer.matcher.without(index))


def _within(path: str, ancestor: str) -> bool:
    return path == ancestor or path.startswith(ancestor.rstrip(os.sep) + os.sep)


def _relpath(path: str, base: str) -> str:
    rel = os.path.relpath(path, base)
    return "" if rel == os.curdir else Path(rel).as_posix()


def _join(rel: str, name: str) -> str:
    return f"{rel}/{name}" if rel else name


class _Walker:
    """State of one expansion of command-line paths (one or two per discover() call)."""

    def __init__(self, config: Config, like: _Walker | None = None) -> None:
        self.config = config
        self.root = os.path.abspath(config.root)
        self.root_real = os.path.realpath(self.root)
        self.cwd = os.getcwd()
        # A walker made ``like`` another one expands other paths under the same rules: it
        # reuses the compiled patterns and the ignore files already read (the walk state
        # below is its own, so its result is what a discover() of its paths alone gives).
        if like is None:
            self.exclude = _Matcher(compile_gitignore(config.all_excludes))
            self.is_test = make_test_classifier(config.test_paths)
            self.gitignore_cache: dict[str, _Layer | None] = {}
        else:
            self.exclude = like.exclude
            self.is_test = like.is_test
            self.gitignore_cache = like.gitignore_cache
        self.visited: set[str] = set()
        self.deferred: deque[_Frame] = deque()
        # real path -> (rank, sequence, abs, rel); lowest (rank, sequence) wins.
        self.found: dict[str, tuple[int, int, str, str]] = {}
        self.problems: list[tuple[str, str]] = []
        self.sequence = 0

    # -- paths --------------------------------------------------------------------------------

    def rel_of(self, abs_path: str) -> str:
        """Posix path relative to the root; else to the cwd; else absolute."""
        if _within(abs_path, self.root):
            return _relpath(abs_path, self.root)
        real = os.path.realpath(abs_path)
        if _within(real, self.root_real):
            return _relpath(real, self.root_real)
        if _within(abs_path, self.cwd):
            return _relpath(abs_path, self.cwd)
        return Path(abs_path).as_posix()

    def match_rel_of(self, abs_path: str) -> str:
        """The path exclude patterns see for a command-line argument.

        Exclude patterns are written relative to the config root.  A path outside the root is
        matched as if its parent directory were the root, which keeps the patterns that make
        sense there (bare names such as ``build``, ``*_pb2.py``) working.
        """
        if _within(abs_path, self.root):
            return _relpath(abs_path, self.root)
        real = os.path.realpath(abs_path)
        if _within(real, self.root_real):
            return _relpath(real, self.root_real)
        return os.path.basename(abs_path)

    # -- ignore rules -------------------------------------------------------------------------

    def excluded(self, match_rel: str, skip: int | None = None) -> bool:
        include, index = self.exclude.check(match_rel)
        return bool(include) and index != skip

    def gitignored(self, abs_path: str, layers: tuple[_Layer, ...]) -> bool:
        decision: bool | None = None
        for layer in layers:  # deeper files come later and override shallower ones
            verdict = layer.decide(abs_path)
            if verdict is not None:
                decision = verdict
        return bool(decision)

    def load_ignore_file(self, path: str, base: str) -> _Layer | None:
        if path in self.gitignore_cache:
            return self.gitignore_cache[path]
        layer: _Layer | None = None
        try:
            with open(path, encoding="utf-8", errors="replace") as handle:
                lines = [line.rstrip("\r\n") for line in handle]
        except OSError as exc:
            self.problem(self.rel_of(path) or path, f"cannot read: {exc.strerror or exc}")
            lines = []
        if lines:
            try:
                spec: pathspec.PathSpec = pathspec.GitIgnoreSpec.from_lines(lines)
            except ValueError:  # like git, drop the invalid lines and keep the rest
                valid = []
                for line in lines:
                    try:
                        pathspec.GitIgnoreSpec.from_lines([line])
                    except ValueError:
                        continue
                    valid.append(line)
                spec = pathspec.GitIgnoreSpec.from_lines(valid)
            if len(spec):
                layer = _Layer(base=base.rstrip(os.sep) + os.sep, matcher=_Matcher(spec))
        self.gitignore_cache[path] = layer
        return layer

    def ancestor_layers(self, directory: str) -> tuple[_Layer, ...]:
        """Ignore files that apply to ``directory`` from above it (not its own .gitignore).

        Git reads every ``.gitignore`` from the work-tree root down, plus
        ``.git/info/exclude``; without a ``.git`` the config root (or the directory itself)
        is taken as the top.
        """
        chain: list[str] = []
        top: str | None = None
        current = directory
        while True:
            chain.append(current)
            if os.path.exists(os.path.join(current, ".git")):
                top = current
                break
            parent = os.path.dirname(current)
            if parent == current:
                break
            current = parent
        if top is None:
            if _within(directory, self.root):
                chain = [d for d in chain if _within(d, self.root)]
            else:
                chain = [directory]
        layers: list[_Layer] = []
        if top is not None:
            info_exclude = os.path.join(top, ".git", "info", "exclude")
            if os.path.isfile(info_exclude):
                layer = self.load_ignore_file(info_exclude, top)
                if layer:
                    layers.append(layer)
        for ancestor in reversed(chain[1:]):
            gitignore = os.path.join(ancestor, ".gitignore")
            if os.path.isfile(gitignore):
                layer = self.load_ignore_file(gitignore, ancestor)
                if layer:
                    layers.append(layer)
        return tuple(layers)

    # -- results ------------------------------------------------------------------------------

    def problem(self, display: str, message: str) -> None:
        self.problems.append((display, message))

    def add_file(self, key: str, rank: int, abs_path: str, rel: str) -> None:
        self.sequence += 1
        previous = self.found.get(key)
        if previous is None or (rank, self.sequence) < previous[:2]:
            self.found[key] = (rank, self.sequence, abs_path, rel)

    # -- walking ------------------------------------------------------------------------------

    def add_argument(self, path: Path) -> None:
        display = os.fspath(path)
        abs_path = os.path.abspath(path)
        try:
            mode = os.stat(abs_path).st_mode
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                message = "symbolic link loop"
            elif exc.errno == errno.ENOENT and os.path.islink(abs_path):
                message = "broken symbolic link"
            else:
                message = (exc.strerror or str(exc)).lower()
            self.problem(display, message)
            return
        match_rel = self.match_rel_of(abs_path)
        if self.config.force_exclude and match_rel and self.excluded(match_rel):
            return
        if stat.S_ISDIR(mode):
            self.walk_argument(abs_path, match_rel)
        elif stat.S_ISREG(mode):
            self.add_file(os.path.realpath(abs_path), 0, abs_path, self.rel_of(abs_path))
        else:
            self.problem(display, "not a regular file or directory")

    def walk_argument(self, directory: str, match_rel: str) -> None:
        """Walk a directory named on the command line (scanned even if excluded itself)."""
        real = os.path.realpath(directory)
        if real in self.visited:
            return
        layers: tuple[_Layer, ...] = ()
        if self.config.respect_gitignore:
            layers = tuple(_inherit(layer, directory) for layer in self.ancestor_layers(directory))
        exclude_skip = None
        if match_rel:
            include, index = self.exclude.check(match_rel + "/")
            exclude_skip = index if include else None
        frame = _Frame(
            abs=directory,
            real=real,
            rel=self.rel_of(directory),
            match_rel=match_rel,
            layers=layers,
            exclude_skip=exclude_skip,
            via_link=False,
        )
        self.visited.add(real)
        self.walk(frame)

    def walk_deferred(self) -> None:
        """Symlinked directories, after every real directory had its chance (see module doc)."""
        while self.deferred:
            frame = self.deferred.popleft()
            if frame.real in self.visited:
                continue
            self.visited.add(frame.real)
            self.walk(frame)

    def walk(self, start: _Frame) -> None:
        stack = [start]
        while stack:
            frame = stack.pop()
            try:
                with os.scandir(frame.abs) as iterator:
                    entries = sorted(iterator, key=lambda entry: entry.name)
            except OSError as exc:
                self.problem(frame.rel or ".", (exc.strerror or str(exc)).lower())
                continue
            layers = frame.layers
            if self.config.respect_gitignore and any(e.name == ".gitignore" for e in entries):
                gitignore = os.path.join(frame.abs, ".gitignore")
                if os.path.isfile(gitignore):
                    layer = self.load_ignore_file(gitignore, frame.abs)
                    if layer is not None:
                        layers = (*layers, layer)
            children: list[_Frame] = []
            for entry in entries:
                self.visit(frame, layers, entry, children)
            stack.extend(reversed(children))  # depth-first, in name order

    def visit(
        self, frame: _Frame, layers: tuple[_Layer, ...], entry: os.DirEntry[str], out: list[_Frame]
    ) -> None:
        name = entry.name
        try:
            is_link = entry.is_symlink()
            is_dir = entry.is_dir()  # follows symlinks; False for a broken one
        except OSError:
            return
        match_rel = _join(frame.match_rel, name)
        rel = _join(frame.rel, name)
        if is_dir:
            if self.excluded(match_rel + "/", frame.exclude_skip) or (
                layers and self.gitignored(entry.path + os.sep, layers)
            ):
                return
            if is_link:
                target = os.path.realpath(entry.path)
                if _within(frame.real, target):
                    self.problem(rel, "symbolic link loop: points to one of its parent directories")
                    return
                child_real = target
            else:
                child_real = os.path.join(frame.real, name)
            child = _Frame(
                abs=entry.path,
                real=child_real,
                rel=rel,
                match_rel=match_rel,
                layers=layers,
                exclude_skip=frame.exclude_skip,
                via_link=frame.via_link or is_link,
            )
            if is_link:
                self.deferred.append(child)
            elif child_real not in self.visited:
                self.visited.add(child_real)
                out.append(child)
            return
        if not name.endswith(PYTHON_SUFFIXES):
            return
        try:
            if not entry.is_file():  # broken symlink, fifo, socket...
                return
        except OSError:
            return
        if self.excluded(match_rel, frame.exclude_skip) or (
            layers and self.gitignored(entry.path, layers)
        ):
            return
        key = os.path.realpath(entry.path) if is_link else os.path.join(frame.real, name)
        rank = 2 if (is_link or frame.via_link) else 1
        self.add_file(key, rank, entry.path, rel)

    def expand(self, paths: Iterable[Path]) -> None:
        for path in paths:
            self.add_argument(path)
        self.walk_deferred()

    def rels(self) -> frozenset[str]:
        """The ``rel`` of every file :meth:`result` would return (without building them)."""
        return frozenset(rel for _rank, _sequence, _abs, rel in self.found.values())

    def result(self, named: frozenset[str] | None = None) -> DiscoveryResult:
        by_rel: dict[str, SourceFile] = {}
        for _rank, _sequence, abs_path, rel in sorted(self.found.values()):
            if rel not in by_rel:
                by_rel[rel] = SourceFile(path=Path(abs_path), rel=rel, is_test=self.is_test(rel))
        files = tuple(by_rel[rel] for rel in sorted(by_rel))
        problems = tuple(sorted(set(self.problems)))
        return DiscoveryResult(files=files, problems=problems, named=named)


def discover(paths: Sequence[Path], config: Config,
             named: Sequence[Path] | None = None) -> DiscoveryResult:
    """Expand command-line ``paths`` into the sorted, de-duplicated files to analyse.

    Never raises for a bad path: it becomes an entry of ``problems`` and the rest is scanned.

    ``named`` (pre-commit's staged files, usually also among ``paths``, which then widen
    the scan to their project) fills ``DiscoveryResult.named`` with the files those paths
    cover on their own, the ones a report is limited to. The walk of ``paths`` cannot tell
    that by itself: it reaches a named directory from the root first, under the root's
    rules and with the root's symlink resolution, and then skips the argument as already
    visited; so the named paths are expanded here a second time, by a walker that shares
    the compiled patterns and the ignore files already read. For named files that is a
    ``stat`` each. Its problems are dropped: a named path is one of ``paths`` when the CLI
    names it, and the walk of ``paths`` has reported them already.
    """
    walker = _Walker(config)
    walker.expand(paths)
    named_rels: frozenset[str] | None = None
    if named is not None:
        own = _Walker(config, like=walker)
        own.expand(named)
        named_rels = own.rels()
    return walker.result(named_rels)
