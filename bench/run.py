#!/usr/bin/env python3
"""Benchmark pdlint on real, pinned open-source projects (public tools only).

Usage::

    python bench/run.py [--projects django,pretix,...] [--jobs N] [--json out.json]
                        [--cache-dir DIR] [--skip-bandit] [--repeat K]

Run it with the interpreter of the environment pdlint is installed in (``/path/to/venv/bin/python
bench/run.py``): the ``pdlint`` and ``bandit`` commands are looked up next to that interpreter
first, then on ``PATH``.  See ``bench/README.md`` for what is measured and why.

Standard library only, Python 3.10+.  Every measured command runs as a whole process under a tiny
wrapper process that times it with ``time.perf_counter()`` and reads its peak memory from
``resource.getrusage(RUSAGE_CHILDREN).ru_maxrss`` (the largest single process of the command) and,
on Linux, by sampling ``/proc`` (the summed PSS/RSS of the whole process tree, workers included).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tarfile
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

HERE = Path(__file__).resolve().parent

#: The pinned projects, in the order they are benchmarked.  ``NAME==VERSION`` on the command
#: line overrides a pin (or adds a project).
PROJECTS: dict[str, str] = {
    "django": "6.1.3",
    "pretix": "2026.8.0",
    "saleor": "2.10.1",
    "weblate": "2026.10.1",
}

#: pdlint's default excludes, used only if ``pdlint.config.DEFAULT_EXCLUDES`` cannot be imported.
FALLBACK_EXCLUDES: tuple[str, ...] = (
    ".git",
    ".venv",
    "venv",
    "build",
    "dist",
    "node_modules",
    "__pycache__",
    ".tox",
    ".nox",
    "site-packages",
)
PY_SUFFIXES = (".py", ".pyi")
SDIST_SUFFIXES = (".tar.gz", ".tgz", ".tar.bz2", ".tar.xz", ".zip")
#: Build tools that ``pip download --no-build-isolation`` needs in the running interpreter.
BUILD_TOOLS = ("setuptools", "wheel", "tomli")
#: Exit codes that mean "ran fine" (pdlint and bandit exit 1 when they find something).
OK_CODES = (0, 1)

# Rows of the table, in order: key -> label.
ROWS: dict[str, str] = {
    "pdlint_cold": "pdlint cold (--no-cache)",
    "pdlint_populate": "pdlint cache populate",
    "pdlint_warm": "pdlint warm (no change)",
    "pdlint_touch": "pdlint warm, 1 file changed",
    "bandit": "bandit -r",
    "floor_ast": "floor: ast.parse, 1 proc",
    "floor_libcst_1": "floor: libcst, 1 proc",
    "floor_libcst_n": "floor: libcst, N procs",
}

# --------------------------------------------------------------------------------------------
# The measuring wrapper: a separate ``python -c`` process that runs ONE command as its child,
# so ``RUSAGE_CHILDREN`` of the wrapper is exactly that command (plus its own descendants).
# --------------------------------------------------------------------------------------------

MEASURE_CODE = r"""
import json, os, resource, signal, subprocess, sys, threading, time
spec = json.loads(sys.argv[1])
interval = spec.get("interval", 0.1)
peak = [0, ""]
stop = threading.Event()
HAVE_PROC = os.path.isdir("/proc/self")
PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024 if hasattr(os, "sysconf") else 4

def children_map():
    kids = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % name) as fh:
                data = fh.read()
        except OSError:
            continue
        ppid = int(data[data.rindex(")") + 2:].split()[1])
        kids.setdefault(ppid, []).append(int(name))
    return kids

def tree(root):
    kids = children_map()
    out, i = [root], 0
    while i < len(out):
        out.extend(kids.get(out[i], ()))
        i += 1
    return out

def mem_kb(pid):
    try:
        with open("/proc/%d/smaps_rollup" % pid) as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1]), "pss"
    except (OSError, ValueError):
        pass
    try:
        with open("/proc/%d/statm" % pid) as fh:
            return int(fh.read().split()[1]) * PAGE_KB, "rss"
    except (OSError, ValueError, IndexError):
        return 0, ""

def sample(pid):
    while not stop.is_set():
        try:
            total, kind = 0, ""
            for p in tree(pid):
                kb, k = mem_kb(p)
                total += kb
                kind = kind or k
            if total > peak[0]:
                peak[0], peak[1] = total, kind
        except Exception:
            pass
        stop.wait(interval)

out = open(spec["stdout"], "wb") if spec.get("stdout") else subprocess.DEVNULL
err = open(spec["stderr"], "wb") if spec.get("stderr") else subprocess.DEVNULL
timed_out = False
t0 = time.perf_counter()
proc = subprocess.Popen(spec["cmd"], cwd=spec.get("cwd"), stdout=out, stderr=err,
                        stdin=subprocess.DEVNULL, start_new_session=True)
thread = None
if HAVE_PROC and spec.get("sample", True):
    thread = threading.Thread(target=sample, args=(proc.pid,), daemon=True)
    thread.start()
try:
    rc = proc.wait(timeout=spec.get("timeout"))
except subprocess.TimeoutExpired:
    timed_out = True
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except OSError:
        pass
    rc = proc.wait()
seconds = time.perf_counter() - t0
stop.set()
if thread is not None:
    thread.join()
maxrss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
if sys.platform == "darwin":
    maxrss //= 1024
print(json.dumps({"rc": rc, "seconds": seconds, "maxrss_kb": maxrss, "tree_kb": peak[0],
                  "tree_kind": peak[1], "timed_out": timed_out}))
"""

# --------------------------------------------------------------------------------------------
# Floors: run as ``python bench/run.py --_floor MODE FILELIST JOBS`` (a whole process).
# --------------------------------------------------------------------------------------------


def _floor_ast(paths: list[str]) -> int:
    import ast
    import warnings

    warnings.simplefilter("ignore")  # SyntaxWarning for invalid escapes in old code
    errors = 0
    for path in paths:
        try:
            with open(path, "rb") as fh:
                ast.parse(fh.read(), filename=path)
        except (SyntaxError, ValueError, OSError, RecursionError, MemoryError):
            errors += 1
    return errors


def _floor_libcst(paths: list[str]) -> int:
    import libcst

    errors = 0
    for path in paths:
        try:
            with open(path, "rb") as fh:
                libcst.parse_module(fh.read())
        except Exception:  # ParserSyntaxError, encoding problems, ...
            errors += 1
    return errors


def _floor_main(argv: list[str]) -> int:
    mode, listfile, jobs = argv[0], argv[1], int(argv[2])
    paths = Path(listfile).read_text(encoding="utf-8").splitlines()
    func = _floor_ast if mode == "ast" else _floor_libcst
    if jobs <= 1:
        errors = func(paths)
    else:
        import multiprocessing

        chunks = [paths[i : i + 16] for i in range(0, len(paths), 16)]
        with multiprocessing.Pool(jobs) as pool:
            errors = sum(pool.imap_unordered(func, chunks))
    print(json.dumps({"files": len(paths), "errors": errors}))
    return 0


# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------


def warn(message: str) -> None:
    print(f"warning: {message}", file=sys.stderr, flush=True)


def info(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def run_quiet(cmd: list[str], timeout: float = 120, cwd: str | None = None) -> tuple[int, str]:
    """Run a helper command, returning (exit code, stdout+stderr); never raises."""
    try:
        proc = subprocess.run(
            cmd,
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=timeout,
            stdin=subprocess.DEVNULL,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        return 127, str(exc)
    return proc.returncode, (proc.stdout or "") + (proc.stderr or "")


def find_command(name: str) -> list[str] | None:
    """``name`` next to the running interpreter, else on PATH."""
    beside = Path(sys.executable).parent / name
    if beside.is_file() and os.access(beside, os.X_OK):
        return [str(beside)]
    found = shutil.which(name)
    return [found] if found else None


def script_python(script: list[str] | None) -> str | None:
    """The interpreter in a console script's ``#!`` line, if any."""
    if not script:
        return None
    try:
        with open(script[0], "rb") as fh:
            first = fh.readline().decode("utf-8", "replace").strip()
    except OSError:
        return None
    if first.startswith("#!"):
        parts = first[2:].split()
        if parts and os.path.basename(parts[0]).startswith("python") and os.path.isfile(parts[0]):
            return parts[0]
    return None


def importable(python: str, module: str) -> bool:
    rc, _ = run_quiet([python, "-c", f"import {module}"], timeout=60)
    return rc == 0


def fmt_num(value: float | None, digits: int = 2) -> str:
    if value is None:
        return "-"
    return f"{value:,.{digits}f}"


def fmt_int(value: float | None) -> str:
    return "-" if value is None else f"{round(value):,}"


# --------------------------------------------------------------------------------------------
# Download and unpack
# --------------------------------------------------------------------------------------------


def ensure_build_tools() -> bool:
    """setuptools, wheel and tomli importable here (needed by ``--no-build-isolation``)."""
    missing = [m for m in BUILD_TOOLS if not importable(sys.executable, m)]
    if not missing:
        return True
    info(f"  installing build tools for --no-build-isolation: {', '.join(missing)}")
    rc, out = run_quiet([sys.executable, "-m", "pip", "install", "-q", *missing], timeout=600)
    if rc != 0:
        warn(f"could not pip-install {', '.join(missing)} (exit {rc}):\n{out.strip()[-1500:]}")
        return False
    return True


def find_sdist(directory: Path) -> Path | None:
    if not directory.is_dir():
        return None
    for path in sorted(directory.iterdir()):
        if path.is_file() and path.name.endswith(SDIST_SUFFIXES):
            return path
    return None


def download(name: str, version: str, dest: Path) -> Path:
    """The sdist of NAME==VERSION in ``dest`` (downloaded by pip unless already there)."""
    existing = find_sdist(dest)
    if existing is not None:
        return existing
    dest.mkdir(parents=True, exist_ok=True)
    base = [
        sys.executable,
        "-m",
        "pip",
        "download",
        "--no-deps",
        "--ignore-requires-python",
        "--disable-pip-version-check",
        "-d",
        str(dest),
    ]
    # 1. with build isolation: only NAME must be an sdist, its build backend may be a wheel.
    #    Works for most projects; fails when the project's build requirements conflict with
    #    pip's own backend requirements (pretix).
    # 2. without build isolation: metadata is prepared with this interpreter's setuptools,
    #    wheel and tomli (fails when they are too old for the project, e.g. django needs a
    #    setuptools that understands SPDX license strings -- hence attempt 1 first).
    attempts = [
        ("build isolation", [*base, "--no-binary", name, f"{name}=={version}"]),
        (
            "--no-build-isolation",
            [*base, "--no-binary", ":all:", "--no-build-isolation", f"{name}=={version}"],
        ),
    ]
    logs: list[str] = []
    reason = "pip failed"
    for label, cmd in attempts:
        if label == "--no-build-isolation" and not ensure_build_tools():
            logs.append(f"[{label}] skipped: build tools missing")
            continue
        info(f"  pip download {name}=={version} ({label})")
        rc, out = run_quiet(cmd, timeout=1800)
        found = find_sdist(dest)
        if rc == 0 and found is not None:
            return found
        tail = [
            line[:300] + (" ..." if len(line) > 300 else "")
            for line in out.strip().splitlines()[-12:]
        ]
        logs.append(f"[{label}] exit {rc}:\n  " + "\n  ".join(tail))
        errors = [line for line in tail if line.startswith("ERROR:")]
        reason = (errors[-1] if errors else (tail[-1] if tail else f"exit {rc}"))[:300]
        if "No matching distribution" in out or "Could not find a version" in out:
            break  # no such release: building differently will not help
    raise BenchError(
        f"could not download {name}=={version} with pip ({reason})\n" + "\n".join(logs)
    )


def _safe_name(name: str) -> PurePosixPath | None:
    """The member path if it stays inside the target directory, else None."""
    path = PurePosixPath(name.replace("\\", "/"))
    if path.is_absolute() or ".." in path.parts or (path.parts and ":" in path.parts[0]):
        return None
    parts = [p for p in path.parts if p not in ("", ".")]
    return PurePosixPath(*parts) if parts else None


def unpack(archive: Path, dest: Path) -> Path:
    """Extract regular files and directories only (no links, devices or unsafe paths).

    Returns the project tree: the single top-level directory of the archive, or ``dest``.
    """
    marker = dest / ".bench-unpacked"
    if not marker.is_file():
        if dest.exists():
            shutil.rmtree(dest)
        tmp = dest.with_name(dest.name + ".partial")
        if tmp.exists():
            shutil.rmtree(tmp)
        tmp.mkdir(parents=True)
        skipped = 0
        if archive.name.endswith(".zip"):
            with zipfile.ZipFile(archive) as zf:
                for zinfo in zf.infolist():
                    rel = _safe_name(zinfo.filename)
                    mode = (zinfo.external_attr >> 16) & 0o170000
                    if rel is None or mode in (0o120000,):  # unsafe path or symlink
                        skipped += 1
                        continue
                    target = tmp.joinpath(*rel.parts)
                    if zinfo.is_dir():
                        target.mkdir(parents=True, exist_ok=True)
                        continue
                    target.parent.mkdir(parents=True, exist_ok=True)
                    with zf.open(zinfo) as src, open(target, "wb") as out:
                        shutil.copyfileobj(src, out)
        else:
            with tarfile.open(archive) as tf:
                for member in tf:
                    rel = _safe_name(member.name)
                    if rel is None or not (member.isfile() or member.isdir()):
                        skipped += 1
                        continue
                    target = tmp.joinpath(*rel.parts)
                    if member.isdir():
                        target.mkdir(parents=True, exist_ok=True)
                        continue
                    target.parent.mkdir(parents=True, exist_ok=True)
                    member_file = tf.extractfile(member)
                    if member_file is None:
                        skipped += 1
                        continue
                    with member_file, open(target, "wb") as out:
                        shutil.copyfileobj(member_file, out)
        if skipped:
            warn(f"{archive.name}: skipped {skipped} unsafe or non-regular archive member(s)")
        tmp.rename(dest)
        marker.write_text(archive.name + "\n", encoding="utf-8")
    entries = [p for p in dest.iterdir() if p.name != marker.name]
    if len(entries) == 1 and entries[0].is_dir():
        return entries[0]
    return dest


# --------------------------------------------------------------------------------------------
# The tree
# --------------------------------------------------------------------------------------------


def python_files(tree: Path, excludes: tuple[str, ...]) -> list[Path]:
    """*.py / *.pyi under ``tree``, pruning names in ``excludes`` at any depth, sorted."""
    excluded = set(excludes)
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(tree):
        dirnames[:] = sorted(d for d in dirnames if d not in excluded)
        for fname in filenames:
            if fname.endswith(PY_SUFFIXES) and fname not in excluded:
                found.append(Path(dirpath, fname))
    return sorted(found)


def count_lines(paths: list[Path]) -> int:
    total = 0
    for path in paths:
        data = path.read_bytes()
        total += data.count(b"\n") + (1 if data and not data.endswith(b"\n") else 0)
    return total


#: Run with pdlint's interpreter: reads root + file paths (one per line) on stdin, prints a JSON
#: list with "test", "generated" or "app" per file, as pdlint itself classifies them (test
#: paths from its default config; generated = migrations and marked files). Tests and
#: generated files are read with the stdlib parser only, so they cost far less per line.
_CLASSIFY = (
    "import json, sys\n"
    "from pdlint.config import Config\n"
    "from pdlint.discover import make_test_classifier\n"
    "from pdlint.extract import is_generated\n"
    "root, *paths = sys.stdin.read().splitlines()\n"
    "is_test = make_test_classifier(Config(root=root, config_file=None).test_paths)\n"
    "out = []\n"
    "for path in paths:\n"
    "    rel = path[len(root) + 1:].replace('\\\\', '/')\n"
    "    head = open(path, 'rb').read(4096).decode('utf-8', 'replace')\n"
    "    out.append('test' if is_test(rel) else 'generated' if is_generated(rel, head)\n"
    "               else 'app')\n"
    "print(json.dumps(out))\n"
)


def line_kinds(python: str, tree: Path, files: list[Path],
               lines: list[int]) -> dict[str, int] | None:
    """Lines of application code, tests and generated code, as pdlint classifies the files;
    None when pdlint cannot be imported by ``python``."""
    stdin = "\n".join([str(tree), *map(str, files)])
    try:
        proc = subprocess.run([python, "-c", _CLASSIFY], input=stdin, capture_output=True,
                              text=True, timeout=600, check=False)
        kinds = json.loads(proc.stdout.strip().splitlines()[-1]) if proc.returncode == 0 else None
    except (OSError, subprocess.SubprocessError, ValueError, IndexError):
        return None
    if not isinstance(kinds, list) or len(kinds) != len(files):
        return None
    totals = {"app": 0, "test": 0, "generated": 0}
    for count, kind in zip(lines, kinds, strict=True):
        totals[kind] = totals.get(kind, 0) + count
    return totals


def pick_touch_file(tree: Path, files: list[Path]) -> Path | None:
    """A deterministic ordinary module to edit: the median-sized non-test, non-init file."""

    def ordinary(path: Path) -> bool:
        rel = path.relative_to(tree).as_posix()
        name = path.name
        return not (
            name.startswith("test")
            or name.endswith("_test.py")
            or name == "conftest.py"
            or name.startswith("__init__")
            or name.endswith(".pyi")
            or re.search(r"(^|/)(tests?|testing|migrations)/", rel)
        )

    candidates = [p for p in files if ordinary(p)] or files
    if not candidates:
        return None
    by_size = sorted(candidates, key=lambda p: (p.stat().st_size, p.as_posix()))
    return by_size[len(by_size) // 2]


# --------------------------------------------------------------------------------------------
# Measuring
# --------------------------------------------------------------------------------------------


class BenchError(Exception):
    """A project-level failure: reported and skipped, never a traceback."""


@dataclass
class Sample:
    rc: int
    seconds: float
    maxrss_kb: int
    tree_kb: int
    tree_kind: str
    timed_out: bool
    ok: bool
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class Row:
    key: str
    label: str
    cmd: list[str]
    samples: list[Sample] = field(default_factory=list)
    files: int | None = None
    error: str | None = None
    output: Path | None = None  # a report the command must write (else the run failed)

    @property
    def ok(self) -> bool:
        return bool(self.samples) and all(s.ok for s in self.samples) and self.error is None

    @property
    def seconds(self) -> float | None:
        return statistics.median(s.seconds for s in self.samples) if self.ok else None

    @property
    def maxrss_mb(self) -> float | None:
        return max(s.maxrss_kb for s in self.samples) / 1024 if self.ok else None

    @property
    def tree_mb(self) -> float | None:
        if not self.ok or not any(s.tree_kb for s in self.samples):
            return None
        return max(s.tree_kb for s in self.samples) / 1024

    def as_json(self, lines: int) -> dict[str, Any]:
        seconds = self.seconds
        return {
            "label": self.label,
            "cmd": self.cmd,
            "ok": self.ok,
            "error": self.error,
            "files": self.files,
            "median_seconds": seconds,
            "lines_per_second": lines / seconds if seconds else None,
            "peak_maxrss_mb": self.maxrss_mb,
            "peak_tree_mb": self.tree_mb,
            "samples": [s.__dict__ for s in self.samples],
        }


def measure(
    cmd: list[str], cwd: Path, workdir: Path, tag: str, timeout: float, ok_codes=OK_CODES
) -> Sample:
    """Run ``cmd`` once as a whole process under the wrapper; never raises."""
    out = workdir / f"{tag}.stdout"
    err = workdir / f"{tag}.stderr"
    spec = {"cmd": cmd, "cwd": str(cwd), "timeout": timeout, "stdout": str(out), "stderr": str(err)}
    rc, text = run_quiet(
        [sys.executable, "-c", MEASURE_CODE, json.dumps(spec)], timeout=timeout + 60
    )
    try:
        data = json.loads(text.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return Sample(
            rc=rc or -1,
            seconds=0.0,
            maxrss_kb=0,
            tree_kb=0,
            tree_kind="",
            timed_out=False,
            ok=False,
            extra={"wrapper": text[-2000:]},
        )
    sample = Sample(
        rc=data["rc"],
        seconds=data["seconds"],
        maxrss_kb=data["maxrss_kb"],
        tree_kb=data["tree_kb"],
        tree_kind=data["tree_kind"],
        timed_out=data["timed_out"],
        ok=data["rc"] in ok_codes and not data["timed_out"],
    )
    if not sample.ok:
        try:
            tail = err.read_text(encoding="utf-8", errors="replace").strip()[-1500:]
        except OSError:
            tail = ""
        sample.extra["stderr_tail"] = tail
    return sample


@dataclass
class Tools:
    pdlint: list[str] | None
    bandit: list[str] | None
    python: str  # interpreter for the floors (has libcst when possible)
    has_libcst: bool
    pdlint_flags: dict[str, bool]
    versions: dict[str, str | None]
    excludes: tuple[str, ...]
    excludes_source: str


def detect_tools(skip_bandit: bool) -> Tools:
    pdlint = find_command("pdlint")
    if pdlint is None and importable(sys.executable, "pdlint"):
        pdlint = [sys.executable, "-m", "pdlint"]
    bandit = None if skip_bandit else find_command("bandit")
    if not skip_bandit and bandit is None:
        warn("bandit not found (pip install bandit): its row and the x-bandit ratios are skipped")

    # The interpreter for the floors: this one, or pdlint's, whichever has libcst.
    candidates = [sys.executable]
    other = script_python(pdlint)
    if other and other not in candidates:
        candidates.append(other)
    python, has_libcst = sys.executable, False
    for candidate in candidates:
        if importable(candidate, "libcst"):
            python, has_libcst = candidate, True
            break
    if not has_libcst:
        warn("libcst is not importable: the libcst floors are skipped")

    flags = {"--jobs": False, "--no-cache": False, "--cache-dir": False, "--no-progress": False}
    if pdlint is not None:
        rc, helptext = run_quiet([*pdlint, "scan", "--help"])
        if rc != 0:
            warn(
                f"`pdlint scan --help` failed (exit {rc}), pdlint is not measured:\n"
                f"{helptext.strip()[-800:]}"
            )
            pdlint = None
        else:
            for flag in flags:
                flags[flag] = re.search(re.escape(flag) + r"\b", helptext) is not None
            for flag, present in flags.items():
                if not present and flag != "--no-progress":
                    warn(f"pdlint scan has no {flag} option yet: it is dropped from the commands")
    else:
        warn("pdlint not found: only bandit and the floors are measured")

    probe = (
        "import json, importlib.metadata as m\n"
        "v = {}\n"
        "for n in ('pdlint', 'libcst', 'bandit'):\n"
        "    try: v[n] = m.version(n)\n"
        "    except Exception: v[n] = None\n"
        "try:\n"
        "    from pdlint.config import DEFAULT_EXCLUDES as E; v['_excludes'] = list(E)\n"
        "except Exception: pass\n"
        "print(json.dumps(v))\n"
    )
    versions: dict[str, Any] = {}
    for candidate in dict.fromkeys([other or python, python]):
        rc, out = run_quiet([candidate, "-c", probe])
        if rc == 0:
            got = json.loads(out.strip().splitlines()[-1])
            for key, value in got.items():
                if versions.get(key) is None:
                    versions[key] = value
    excludes_list = versions.pop("_excludes", None)
    if pdlint is not None:
        rc, out = run_quiet([*pdlint, "--version"])
        match = re.search(r"(\d+\.\d+[\w.+-]*)", out)
        if rc == 0 and match:
            versions["pdlint"] = match.group(1)
    if bandit is not None:
        rc, out = run_quiet([*bandit, "--version"])
        match = re.search(r"bandit\s+(\S+)", out)
        if rc == 0 and match:
            versions["bandit"] = match.group(1)
    if excludes_list:
        excludes, source = tuple(excludes_list), "pdlint.config.DEFAULT_EXCLUDES"
    else:
        excludes, source = FALLBACK_EXCLUDES, "built-in fallback list"
    return Tools(
        pdlint=pdlint,
        bandit=bandit,
        python=python,
        has_libcst=has_libcst,
        pdlint_flags=flags,
        versions=versions,
        excludes=excludes,
        excludes_source=source,
    )


def git_state() -> dict[str, Any] | None:
    rc, head = run_quiet(["git", "-C", str(HERE.parent), "rev-parse", "HEAD"])
    if rc != 0:
        return None
    rc2, status = run_quiet(["git", "-C", str(HERE.parent), "status", "--porcelain"])
    return {"commit": head.strip(), "dirty": bool(status.strip()) if rc2 == 0 else None}


@dataclass
class ProjectResult:
    name: str
    version: str
    tree: str = ""
    files: int = 0
    lines: int = 0
    line_kinds: dict[str, int] | None = None  # app / test / generated lines (pdlint's view)
    touched: str | None = None
    rows: dict[str, Row] = field(default_factory=dict)
    error: str | None = None
    notes: list[str] = field(default_factory=list)

    def seconds(self, key: str) -> float | None:
        row = self.rows.get(key)
        return row.seconds if row else None

    def libcst_floor_key(self, jobs: int) -> str:
        return "floor_libcst_n" if jobs > 1 else "floor_libcst_1"


def report_path(work: Path, key: str) -> Path:
    """Where the pdlint report of row ``key`` goes (kept, so cold and warm can be diffed)."""
    return work / f"{key}-report.json"


def pdlint_commands(tools: Tools, jobs: int, cache: Path, work: Path) -> dict[str, list[str]]:
    assert tools.pdlint is not None
    base = [*tools.pdlint, "scan", "--isolated"]

    def tail(key: str) -> list[str]:
        return ["--format", "json", "-o", str(report_path(work, key)), "."]

    if tools.pdlint_flags["--jobs"]:
        base += ["--jobs", str(jobs)]
    if tools.pdlint_flags["--no-progress"]:  # stderr is a file anyway; be explicit
        base += ["--no-progress"]
    cold = [*base, *(["--no-cache"] if tools.pdlint_flags["--no-cache"] else [])]
    cached = [*base, *(["--cache-dir", str(cache)] if tools.pdlint_flags["--cache-dir"] else [])]
    return {
        "pdlint_cold": [*cold, *tail("pdlint_cold")],
        "pdlint_populate": [*cached, *tail("pdlint_populate")],
        "pdlint_warm": [*cached, *tail("pdlint_warm")],
        "pdlint_touch": [*cached, *tail("pdlint_touch")],
    }


def pdlint_summary(report: Path) -> dict[str, Any]:
    """files / findings from a pdlint JSON report (empty dict if unreadable)."""
    try:
        data = json.loads(report.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    summary = data.get("summary", {}) if isinstance(data, dict) else {}
    findings = data.get("findings") if isinstance(data, dict) else None
    out: dict[str, Any] = {}
    if isinstance(summary.get("files"), int):
        out["files"] = summary["files"]
    if isinstance(findings, list):
        out["findings"] = len(findings)
    return out


def finding_diff(cold: Path, other: Path) -> str:
    """A short account of the findings in one report and not the other (last runs only)."""
    try:
        first = json.loads(cold.read_text(encoding="utf-8"))["findings"]
        second = json.loads(other.read_text(encoding="utf-8"))["findings"]
    except (OSError, ValueError, KeyError, TypeError):
        return ""

    def keyed(findings: list[Any]) -> dict[str, Any]:
        return {json.dumps(f, sort_keys=True): f for f in findings}

    a, b = keyed(first), keyed(second)

    def brief(f: Any) -> str:
        if not isinstance(f, dict):
            return str(f)[:80]
        where = f.get("path") or f.get("file") or f.get("filename") or "?"
        line = f.get("line") or f.get("start_line") or ""
        return f"{f.get('code') or f.get('rule') or '?'} {where}:{line}"

    only_a = [brief(a[k]) for k in sorted(a.keys() - b.keys())]
    only_b = [brief(b[k]) for k in sorted(b.keys() - a.keys())]
    return (
        f"; only cold: {len(only_a)} {only_a[:5]}; only {other.stem}: {len(only_b)} "
        f"{only_b[:5]} (reports in {cold.parent})"
    )


def bandit_files(report: Path) -> int | None:
    try:
        data = json.loads(report.read_text(encoding="utf-8"))
        return len([k for k in data.get("metrics", {}) if k != "_totals"])
    except (OSError, ValueError, AttributeError):
        return None


def bench_project(
    name: str, version: str, tools: Tools, args: argparse.Namespace, cache_root: Path
) -> ProjectResult:
    result = ProjectResult(name=name, version=version)
    info(f"\n== {name} {version}")
    try:
        archive = download(name, version, cache_root / "sdist" / f"{name}-{version}")
        tree = unpack(archive, cache_root / "src" / f"{name}-{version}")
    except BenchError as exc:
        result.error = str(exc)
        warn(f"{name} {version}: skipped: {exc}")
        return result
    except (OSError, tarfile.TarError, zipfile.BadZipFile) as exc:
        result.error = f"could not unpack: {exc}"
        warn(f"{name} {version}: skipped: could not unpack: {exc}")
        return result
    result.tree = str(tree)
    files = python_files(tree, tools.excludes)
    result.files = len(files)
    lines_per_file = [count_lines([path]) for path in files]  # the page cache is warm now
    result.lines = sum(lines_per_file)
    info(f"  {tree}: {result.files:,} files, {result.lines:,} lines")
    if tools.pdlint is not None:
        result.line_kinds = line_kinds(tools.python, tree, files, lines_per_file)
        if result.line_kinds:
            info("  " + ", ".join(f"{kind} {n:,}" for kind, n in result.line_kinds.items()))
    if not files:
        result.error = "no Python files found"
        return result

    work = cache_root / "work" / f"{name}-{version}"
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    listfile = work / "files.txt"
    listfile.write_text("".join(f"{p}\n" for p in files), encoding="utf-8")
    pdl_cache = work / "pdlint-cache"
    bandit_report = work / "bandit-report.json"
    jobs = args.jobs
    touch = pick_touch_file(tree, files)
    result.touched = touch.relative_to(tree).as_posix() if touch else None

    rows: dict[str, Row] = {}
    if tools.pdlint is not None:
        for key, cmd in pdlint_commands(tools, jobs, pdl_cache, work).items():
            if key == "pdlint_touch" and touch is None:
                continue
            rows[key] = Row(key, ROWS[key], cmd, output=report_path(work, key))
    if tools.bandit is not None:
        cmd = [*tools.bandit, "-q", "-r", ".", "-f", "json", "-o", str(bandit_report)]
        rows["bandit"] = Row("bandit", ROWS["bandit"], cmd, output=bandit_report)
    me = str(Path(__file__).resolve())
    rows["floor_ast"] = Row(
        "floor_ast", ROWS["floor_ast"], [sys.executable, me, "--_floor", "ast", str(listfile), "1"]
    )
    if tools.has_libcst:
        rows["floor_libcst_1"] = Row(
            "floor_libcst_1",
            ROWS["floor_libcst_1"],
            [tools.python, me, "--_floor", "libcst", str(listfile), "1"],
        )
        if jobs > 1:
            label = ROWS["floor_libcst_n"].replace("N procs", f"{jobs} procs")
            rows["floor_libcst_n"] = Row(
                "floor_libcst_n",
                label,
                [tools.python, me, "--_floor", "libcst", str(listfile), str(jobs)],
            )
    result.rows = rows

    def run(row: Row, rep: int) -> Sample:
        tag = f"{row.key}-{rep}"
        if row.output is not None and row.output.exists():
            row.output.unlink()
        sample = measure(row.cmd, tree, work, tag, args.timeout)
        if sample.ok and row.output is not None and not row.output.is_file():
            # exit 1 is "findings" for pdlint and bandit -- and also a Python traceback
            sample.ok = False
            try:
                tail = (work / f"{tag}.stderr").read_text(encoding="utf-8", errors="replace")
            except OSError:
                tail = ""
            sample.extra["stderr_tail"] = (
                f"no report written to {row.output}\n{tail.strip()[-1500:]}"
            )
        row.samples.append(sample)
        status = (
            "ok"
            if sample.ok
            else f"FAILED (exit {sample.rc}{', timeout' if sample.timed_out else ''})"
        )
        info(
            f"  [{rep + 1}/{args.repeat}] {row.label:<32} {sample.seconds:8.2f} s  "
            f"{sample.maxrss_kb / 1024:7.0f} MB  {status}"
        )
        if not sample.ok:
            tail = sample.extra.get("stderr_tail") or sample.extra.get("wrapper") or ""
            if tail:
                info("    " + tail.replace("\n", "\n    "))
        return sample

    def clear_default_cache() -> None:
        # Only used when pdlint lacks --no-cache / --cache-dir: its default cache lives in the
        # tree (.pdlint_cache at the project root).
        for stale in tree.rglob(".pdlint_cache"):
            shutil.rmtree(stale, ignore_errors=True)

    cold_summary: dict[str, Any] = {}
    for rep in range(args.repeat):
        if "pdlint_cold" in rows:
            if not tools.pdlint_flags["--no-cache"]:
                clear_default_cache()
            if run(rows["pdlint_cold"], rep).ok:
                summary = pdlint_summary(report_path(work, "pdlint_cold"))
                rows["pdlint_cold"].samples[-1].extra.update(summary)
                cold_summary = cold_summary or summary
        if "pdlint_populate" in rows:
            shutil.rmtree(pdl_cache, ignore_errors=True)
            if not tools.pdlint_flags["--cache-dir"]:
                clear_default_cache()
            if run(rows["pdlint_populate"], rep).ok:
                summary = pdlint_summary(report_path(work, "pdlint_populate"))
                rows["pdlint_populate"].samples[-1].extra.update(summary)
        if "pdlint_warm" in rows:
            if run(rows["pdlint_warm"], rep).ok:
                summary = pdlint_summary(report_path(work, "pdlint_warm"))
                rows["pdlint_warm"].samples[-1].extra.update(summary)
        if "pdlint_touch" in rows and touch is not None:
            original = touch.read_bytes()
            stat = touch.stat()
            try:
                with open(touch, "ab") as fh:
                    fh.write(
                        f"\n# pdlint-bench: touched (run {rep + 1}, {time.time_ns()})\n".encode()
                    )
                sample = run(rows["pdlint_touch"], rep)
                if sample.ok:
                    sample.extra.update(pdlint_summary(report_path(work, "pdlint_touch")))
            finally:
                touch.write_bytes(original)
                os.utime(touch, ns=(stat.st_atime_ns, stat.st_mtime_ns))
        if "bandit" in rows:
            if run(rows["bandit"], rep).ok:
                rows["bandit"].files = bandit_files(bandit_report)
        for key in ("floor_ast", "floor_libcst_1", "floor_libcst_n"):
            if key in rows:
                sample = run(rows[key], rep)
                try:
                    floor = json.loads((work / f"{key}-{rep}.stdout").read_text().strip())
                    sample.extra.update(floor)
                    rows[key].files = floor.get("files")
                except (OSError, ValueError):
                    pass

    if not (tools.pdlint_flags["--cache-dir"] and tools.pdlint_flags["--no-cache"]):
        clear_default_cache()  # leave the unpacked tree as it came
    shutil.rmtree(pdl_cache, ignore_errors=True)

    # Cross-checks worth a note.
    if cold_summary.get("files") is not None:
        for key in ("pdlint_cold", "pdlint_populate", "pdlint_warm", "pdlint_touch"):
            if key in rows:
                rows[key].files = cold_summary["files"]
        if cold_summary["files"] != result.files:
            note = (
                f"pdlint reported {cold_summary['files']:,} files, the bench counted "
                f"{result.files:,} (excludes or .gitignore differ)"
            )
            result.notes.append(note)
            warn(f"{name}: {note}")
    if cold_summary.get("findings") is not None:
        result.notes.append(f"pdlint cold: {cold_summary['findings']:,} findings")
        for key in ("pdlint_populate", "pdlint_warm"):
            if key not in rows:
                continue
            counts = [s.extra.get("findings") for s in rows[key].samples]
            if any(f is not None and f != cold_summary["findings"] for f in counts):
                note = (
                    f"{key} gave {counts} findings, cold gave {cold_summary['findings']}"
                    + finding_diff(report_path(work, "pdlint_cold"), report_path(work, key))
                )
                result.notes.append("MISMATCH: " + note)
                warn(f"{name}: {note}")
    for key in ("floor_ast", "floor_libcst_1"):
        if key in rows and rows[key].samples:
            errors = rows[key].samples[-1].extra.get("errors")
            if errors:
                result.notes.append(f"{rows[key].label}: {errors} file(s) failed to parse")
    if not tools.pdlint_flags["--cache-dir"] and tools.pdlint is not None:
        result.notes.append("pdlint has no --cache-dir: warm rows use its default cache, if any")
    return result


# --------------------------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------------------------


def print_table(result: ProjectResult, jobs: int, repeat: int) -> None:
    print()
    print(
        f"{result.name} {result.version}: {result.files:,} files, {result.lines:,} lines "
        f"(.py/.pyi); --jobs {jobs}; median of {repeat} run(s)"
    )
    if result.error:
        print(f"  SKIPPED: {result.error.splitlines()[0][:400]}")
        return
    bandit = result.seconds("bandit")
    floor = result.seconds(result.libcst_floor_key(jobs))
    header = (
        f"  {'measurement':<34} {'files':>6} {'lines':>9} {'seconds':>8} {'lines/s':>9} "
        f"{'x bandit':>8} {'x libcst':>8} {'peak MB':>8} {'tree MB':>8}"
    )
    print(header)
    print("  " + "-" * (len(header) - 2))
    for row in result.rows.values():
        if not row.ok:
            failed = [s for s in row.samples if not s.ok]
            why = f"exit {failed[0].rc}" if failed else "not run"
            if failed and failed[0].timed_out:
                why = "timeout"
            print(f"  {row.label:<34} FAILED ({why})")
            continue
        seconds = row.seconds
        assert seconds is not None
        files = row.files if row.files is not None else result.files
        print(
            f"  {row.label:<34} {files:>6,} {result.lines:>9,} {seconds:>8.2f} "
            f"{fmt_int(result.lines / seconds if seconds else None):>9} "
            f"{fmt_num(seconds / bandit if bandit else None):>8} "
            f"{fmt_num(seconds / floor if floor else None):>8} "
            f"{fmt_int(row.maxrss_mb):>8} {fmt_int(row.tree_mb):>8}"
        )
    if result.touched and "pdlint_touch" in result.rows:
        print(f"  changed file: {result.touched}")
    for note in result.notes:
        print(f"  note: {note}")
    checks = target_checks(result, jobs)
    if checks:
        print(
            "  targets: "
            + "; ".join(f"{label} {'PASS' if ok else 'FAIL'}" for label, ok in checks.items())
        )


def target_checks(result: ProjectResult, jobs: int) -> dict[str, bool]:
    checks: dict[str, bool] = {}
    cold, bandit = result.seconds("pdlint_cold"), result.seconds("bandit")
    if cold is not None and bandit:
        checks[f"cold <= 0.5 x bandit ({cold / bandit:.2f})"] = cold <= 0.5 * bandit
    warm = result.seconds("pdlint_warm")
    if warm is not None:
        checks[f"warm <= 1.0 s ({warm:.2f})"] = warm <= 1.0
    touch = result.seconds("pdlint_touch")
    if touch is not None:
        checks[f"1 change <= 1.5 s ({touch:.2f})"] = touch <= 1.5
    peaks: list[float] = []
    for key, row in result.rows.items():
        peak = row.tree_mb or row.maxrss_mb
        if key.startswith("pdlint") and peak is not None:
            peaks.append(peak)
    if peaks:
        checks[f"peak <= 1536 MB ({max(peaks):,.0f})"] = max(peaks) <= 1536
    return checks


def scaling_line(results: list[ProjectResult], key: str, label: str,
                 app_only: bool = False) -> str | None:
    parts = []
    values = []
    for r in results:
        seconds = r.seconds(key) if not r.error else None
        lines = (r.line_kinds or {}).get("app", 0) if app_only else r.lines
        if seconds is not None and lines:
            per = seconds / lines * 100_000
            values.append(per)
            parts.append(f"{r.name} {per:.2f} ({lines / 1000:,.0f}k lines)")
    if not parts:
        return None
    spread = f"; max/min {max(values) / min(values):.2f}" if len(values) > 1 and min(values) else ""
    return f"  {label:<26} " + " | ".join(parts) + spread


# --------------------------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------------------------


def parse_projects(spec: str | None) -> list[tuple[str, str]]:
    if not spec:
        return list(PROJECTS.items())
    chosen: list[tuple[str, str]] = []
    for item in (part.strip() for part in spec.split(",")):
        if not item:
            continue
        if "==" in item:
            name, version = (x.strip() for x in item.split("==", 1))
        elif item.lower() in PROJECTS:
            name, version = item.lower(), PROJECTS[item.lower()]
        else:
            raise SystemExit(
                f"unknown project {item!r}: use one of {', '.join(PROJECTS)} or NAME==VERSION"
            )
        chosen.append((name, version))
    return chosen


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--_floor"]:
        return _floor_main(argv[1:])
    parser = argparse.ArgumentParser(
        prog="python bench/run.py",
        description="Benchmark pdlint against bandit and parse floors on pinned real projects.",
    )
    parser.add_argument(
        "--projects",
        help=f"comma-separated (default: {','.join(PROJECTS)}); NAME==VERSION pins another release",
    )
    parser.add_argument(
        "--jobs",
        type=int,
        default=os.cpu_count() or 1,
        help="workers for pdlint --jobs and the parallel libcst floor (default: CPU count)",
    )
    parser.add_argument("--json", type=Path, help="write all numbers to this file")
    parser.add_argument(
        "--cache-dir",
        type=Path,
        default=HERE / ".cache",
        help="downloads, unpacked trees and scratch files (default: bench/.cache)",
    )
    parser.add_argument("--skip-bandit", action="store_true", help="do not run bandit")
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="run each measurement K times and report the median (default 1)",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=3600,
        help="seconds before one measured command is killed (default 3600)",
    )
    args = parser.parse_args(argv)
    if args.jobs < 1 or args.repeat < 1:
        parser.error("--jobs and --repeat must be at least 1")
    projects = parse_projects(args.projects)
    cache_root = args.cache_dir.resolve()
    cache_root.mkdir(parents=True, exist_ok=True)

    tools = detect_tools(args.skip_bandit)
    machine = {
        "platform": platform.platform(),
        "machine": platform.machine(),
        "processor": platform.processor(),
        "cpu_count": os.cpu_count(),
        "python": platform.python_version(),
        "python_implementation": platform.python_implementation(),
        "env": {
            k: os.environ[k]
            for k in ("PYTHONDONTWRITEBYTECODE", "PYTHONPYCACHEPREFIX", "PYTHONOPTIMIZE")
            if k in os.environ
        },
    }
    info(f"machine: {machine['platform']}, {machine['cpu_count']} CPUs, Python {machine['python']}")
    info("versions: " + ", ".join(f"{k} {v or '-'}" for k, v in tools.versions.items()))
    info(f"excludes: {tools.excludes_source}")

    results: list[ProjectResult] = []
    loads: dict[str, Any] = {}
    for name, version in projects:
        before = _loadavg()
        if before is not None and before > 0.5 * (os.cpu_count() or 1):
            warn(
                f"the machine is busy (1-minute load {before:.2f} on {os.cpu_count()} CPUs): "
                "timings will be noisy"
            )
        try:
            results.append(bench_project(name, version, tools, args, cache_root))
        except KeyboardInterrupt:
            raise
        except Exception as exc:  # keep going: one broken project must not hide the others
            warn(f"{name} {version}: unexpected error: {exc!r}")
            results.append(ProjectResult(name=name, version=version, error=repr(exc)))
        loads[name] = {"load1_before": before, "load1_after": _loadavg()}

    print()
    print(
        f"pdlint bench -- {machine['platform']}, {machine['cpu_count']} CPUs, "
        f"Python {machine['python']}; "
        + ", ".join(f"{k} {v or '-'}" for k, v in tools.versions.items())
    )
    missing = [
        f for f, present in tools.pdlint_flags.items() if not present and f != "--no-progress"
    ]
    if tools.pdlint is None:
        print(
            "NOTE: pdlint was not measured (not found, or `pdlint scan --help` failed: see the "
            "warnings on stderr)"
        )
    elif missing:
        print(
            f"NOTE: this pdlint has no {', '.join(missing)}: those flags were dropped "
            "(cold/warm rows are then not what their labels say)"
        )
    print(
        "peak MB = largest single process (ru_maxrss); tree MB = sampled sum over the "
        "process tree (PSS where available); x libcst = seconds / libcst floor at "
        f"{'the same --jobs' if args.jobs > 1 else '1 process'}"
    )
    for result in results:
        print_table(result, args.jobs, args.repeat)

    print()
    print("Scaling: seconds per 100k lines")
    lines = [
        scaling_line(results, "pdlint_cold", "pdlint cold"),
        scaling_line(results, "bandit", "bandit"),
        scaling_line(
            results, results[0].libcst_floor_key(args.jobs) if results else "", "libcst floor"
        ),
    ]
    printed = [line for line in lines if line]
    print("\n".join(printed) if printed else "  (no successful project)")
    # pdlint reads tests and generated code with the stdlib parser only: per line of
    # application code, its cold cost should be about the same in every project
    by_app = scaling_line(results, "pdlint_cold", "pdlint cold, app lines", app_only=True)
    if by_app:
        print("Scaling: seconds per 100k lines of application code (not tests or generated)")
        print(by_app)

    if args.json:
        payload = {
            "machine": machine,
            "versions": tools.versions,
            "pdlint_git": git_state(),
            "settings": {
                "jobs": args.jobs,
                "repeat": args.repeat,
                "timeout": args.timeout,
                "pdlint_flags_supported": tools.pdlint_flags,
                "excludes": list(tools.excludes),
                "excludes_source": tools.excludes_source,
                "bench_python": sys.executable,
                "floor_python": tools.python,
            },
            "projects": {
                r.name: {
                    "version": r.version,
                    "ok": r.error is None,
                    "error": r.error,
                    "tree": r.tree,
                    "files": r.files,
                    "lines": r.lines,
                    "line_kinds": r.line_kinds,
                    "changed_file": r.touched,
                    "notes": r.notes,
                    "rows": {k: row.as_json(r.lines) for k, row in r.rows.items()},
                    "ratios": {
                        "cold_vs_bandit": _ratio(r.seconds("pdlint_cold"), r.seconds("bandit")),
                        "cold_vs_libcst_floor": _ratio(
                            r.seconds("pdlint_cold"), r.seconds(r.libcst_floor_key(args.jobs))
                        ),
                        "cold_seconds_per_100k_lines": _ratio(
                            r.seconds("pdlint_cold"), r.lines / 100_000 if r.lines else None
                        ),
                        "cold_seconds_per_100k_app_lines": _ratio(
                            r.seconds("pdlint_cold"),
                            (r.line_kinds or {}).get("app", 0) / 100_000 or None,
                        ),
                    },
                    "targets": target_checks(r, args.jobs),
                    "load_average": loads.get(r.name),
                }
                for r in results
            },
        }
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
        info(f"\nwrote {args.json}")
    failed = [r.name for r in results if r.error]
    if failed:
        print(f"\nskipped: {', '.join(failed)} (see warnings above)")
    return 0 if len(failed) < len(results) else 1


def _loadavg() -> float | None:
    try:
        return os.getloadavg()[0]
    except (OSError, AttributeError):
        return None


def _ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a is not None and b else None


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        print("\ninterrupted", file=sys.stderr)
        sys.exit(130)
