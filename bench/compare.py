#!/usr/bin/env python3
"""Compare the reports of two pdlint builds, byte for byte, on the fixtures and real code.

Usage::

    python bench/compare.py --old "OLD_PYTHON -m pdlint" [--new "NEW_PYTHON -m pdlint"]
                            [--projects fixtures,django,pretix,saleor,weblate]
                            [--cache-dir DIR] [--out DIR]

A refactoring must not change what pdlint reports, and a deliberate fix must change only
what it fixes. For every target this runs, with each build, ``scan --format json`` (and
``graph --format json`` and ``inventory --format json`` on the fixtures), compares the
outputs byte for byte and, where they differ, lists the findings one build has and the
other has not. Exit status 0 when everything is identical, 1 otherwise.

The fixture projects use their own configuration; the pinned real projects of
``bench/run.py`` (downloaded by pip into the cache directory the first time) are scanned
with ``--isolated``. Standard library only.
"""

from __future__ import annotations

import argparse
import json
import shlex
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
FIXTURES = HERE.parent / "fixtures"
sys.path.insert(0, str(HERE))

import run as bench  # noqa: E402  (bench/run.py: pinned projects, download, unpack)


def _targets(names: list[str], cache: Path) -> list[tuple[str, Path, bool]]:
    """(label, directory, is a fixture) for every target asked for."""
    targets: list[tuple[str, Path, bool]] = []
    for name in names:
        if name == "fixtures":
            targets += [(f"fixtures/{p.name}", p, True) for p in sorted(FIXTURES.iterdir())
                        if (p / "pyproject.toml").is_file()]
            continue
        version = bench.PROJECTS.get(name)
        if version is None:
            raise SystemExit(f"unknown project {name!r}: one of fixtures, "
                             f"{', '.join(bench.PROJECTS)}")
        archive = bench.download(name, version, cache / "sdist" / f"{name}-{version}")
        targets.append((f"{name} {version}",
                        bench.unpack(archive, cache / "src" / f"{name}-{version}"), False))
    return targets


def _run(command: list[str], args: list[str], cwd: Path, out: Path) -> int:
    with out.open("wb") as handle:
        done = subprocess.run([*command, *args], cwd=cwd, stdout=handle,
                              stderr=subprocess.DEVNULL, check=False, timeout=3600)
    return done.returncode


def _findings(path: Path) -> Counter[tuple[str, int, str, str]]:
    try:
        document = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return Counter()
    return Counter((f["path"], f["line"], f["rule"], f["message"])
                   for f in document.get("findings", ()))


def compare(old: list[str], new: list[str], targets: list[tuple[str, Path, bool]],
            out: Path) -> int:
    differing = 0
    for label, directory, fixture in targets:
        runs = [("scan", ["scan", "--no-cache", "--jobs", "2", "--format", "json"])]
        if fixture:
            runs += [("graph", ["graph", "--no-cache", "--format", "json"]),
                     ("inventory", ["inventory", "--no-cache", "--format", "json"])]
        for kind, args in runs:
            if not fixture:
                args = [*args, "--isolated"]
            slug = label.replace("/", "_").replace(" ", "_")
            reports = []
            for side, command in (("old", old), ("new", new)):
                report = out / f"{slug}.{kind}.{side}.json"
                code = _run(command, args, directory, report)
                reports.append((report, code))
            (old_report, old_code), (new_report, new_code) = reports
            same = old_report.read_bytes() == new_report.read_bytes() and old_code == new_code
            print(f"{'same' if same else 'DIFF'}  {label:32} {kind:9} "
                  f"exit {old_code}/{new_code}")
            if same:
                continue
            differing += 1
            if kind == "scan":
                before, after = _findings(old_report), _findings(new_report)
                if before == after:
                    print("    the findings are the same; other fields of the document differ")
                for key in sorted((after - before).elements()):
                    print(f"    + {key[0]}:{key[1]} {key[2]} {key[3][:120]}")
                for key in sorted((before - after).elements()):
                    print(f"    - {key[0]}:{key[1]} {key[2]} {key[3][:120]}")
    print(f"{differing} report(s) differ" if differing else "all reports are byte-identical")
    return 1 if differing else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--old", required=True, help="the reference build, as a command")
    parser.add_argument("--new", default=f"{shlex.quote(sys.executable)} -m pdlint",
                        help="the build under test [default: this interpreter's pdlint]")
    parser.add_argument("--projects", default="fixtures",
                        help="comma-separated: fixtures and/or " + ",".join(bench.PROJECTS))
    parser.add_argument("--cache-dir", type=Path, default=HERE / ".cache")
    parser.add_argument("--out", type=Path, default=None,
                        help="keep the reports here [default: a temporary directory]")
    options = parser.parse_args(argv)
    targets = _targets([p.strip() for p in options.projects.split(",") if p.strip()],
                       options.cache_dir)
    if options.out is not None:
        options.out.mkdir(parents=True, exist_ok=True)
        return compare(shlex.split(options.old), shlex.split(options.new), targets, options.out)
    with tempfile.TemporaryDirectory(prefix="pdlint-compare-") as tmp:
        return compare(shlex.split(options.old), shlex.split(options.new), targets, Path(tmp))


if __name__ == "__main__":
    sys.exit(main())
