"""Large files: the size guard, the memory bound on extraction processes, and extraction in
segments, which must give exactly the facts of a whole-module extraction."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from pdlint import engine
from pdlint.config import Config
from pdlint.engine import RunOptions, scan
from pdlint.extract import _extract_segmented, _likely_statement_starts, extract_file
from pdlint.extract.positions import source_lines
from pdlint.extract.source import decode
from pdlint.facts import FileFacts
from pdlint.inputs import ExtractOptions, FileInput

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = sorted((ROOT / "fixtures").rglob("*.py"))
WHOLE = 10**9

VIEW = '''
def view_{n}(request):
    """Return the profile for item {n}."""
    email = request.GET.get("email")
    if email:
        log.info("looking up %s", email)
    data = {{"id": {n}, "email": email}}
    return data
'''

# Everything a segment cannot see on its own: the module's comment block, docstring and
# file-level suppression; names bound in other segments (an import at the very end, a def
# used above it, ``if``/``try`` imports); the top-level data flow across statements; comment
# blocks above statements, after indented and column-0 comments; lines in column 0 inside
# strings and brackets (the cheap cut finder takes them for statements); form feeds,
# non-ASCII columns, ``;``, backslashes, decorators, ``match``, ``async``.
TRICKY = '''#!/usr/bin/env python
# gdpr: subject=customer
# pdlint: file-ignore[PDL105]
"""Module docstring.

GDPR: uses=contact.email
"""
# comment after the docstring: still the module's block
import logging
from typing import TYPE_CHECKING

log = logging.getLogger(__name__)
audit = make_audit()  # bound before its def, as a whole-module walk sees it
SQL = """
SELECT email
FROM users
def not_a_def():
"""
if TYPE_CHECKING:
    from app.models import Customer
else:
    Customer = None
try:
    import ujson as json
except ImportError:
    import json


# gdpr: collects=contact.email purpose=account basis=contract
@app.route("/signup")
@login_required
def signup(request):
    email = request.POST.get("email")
    log.info("signup %s", email)
    helper(email)
    return email

    # indented comment after a body



def helper(value):  # gdpr: uses=contact.email
    print(value)
    # gdpr: shares=contact.email
# column-0 comment after an indented one

# pdlint: ignore[PDL201]
def quiet(request):
    log.warning(request.user.email)


class Customer(models.Model):  # gdpr: subject=customer
    """A customer.

    GDPR: stores=contact.email retention=2y
    """
    email = models.EmailField()  # gdpr: contact.email
    phone = models.CharField(max_length=20)  # noqa: PDL105
    # gdpr: orphan?

x = 1; y = Session()
total = (
1 + 2
)
value = \\
    3
for item in range(3):
    log.info(item)
else:
    pass
with open("f") as handle:
    data = handle.read()
token = request_email = current.email
log.info("module level %s", token)
print(token)
def make_audit():
    return object()
\x0c
def after_form_feed(user):  # \x0c a form feed inside a line
    """Naïve café résumé."""
    log.error("é %s", user.email)
match command:
    case "go":
        log.info(user.phone)
    case _:
        pass
async def fetch(request):
    async with client:
        await send(request.user.email)
CALL = send(
request.user.email)
@decorator
class Late(Base):
    pass
from late_module import Base, decorator  # imported at the end, resolved everywhere
'''


def _info(rel: str) -> FileInput:
    return FileInput(rel, rel.removesuffix(".py").replace("/", "."))


def _whole(info: FileInput, data: bytes) -> FileFacts:
    return extract_file(info, data, segment_above=WHOLE)


def _segmented(info: FileInput, data: bytes, size: int) -> FileFacts | None:
    text = decode(data)
    assert isinstance(text, str)
    return _extract_segmented(info, text, ExtractOptions(), size)


# -- segments ------------------------------------------------------------------------------
@pytest.mark.parametrize("size", [1, 3, 10])
def test_segmented_fixtures_give_the_facts_of_a_whole_extraction(size: int) -> None:
    segmented = 0
    for path in FIXTURES:
        rel = path.relative_to(ROOT).as_posix()
        data = path.read_bytes()
        whole = _whole(_info(rel), data)
        assert extract_file(_info(rel), data, segment_above=0, segment_lines=size) == whole, rel
        if _segmented(_info(rel), data, size) is not None:
            segmented += 1
    assert segmented >= len(FIXTURES) // 2  # most fixtures really were cut


@pytest.mark.parametrize("variant", ["lf", "crlf", "repeated", "views"])
@pytest.mark.parametrize("size", [1, 2, 7, 40])
def test_segmented_tricky_modules_give_the_facts_of_a_whole_extraction(variant: str,
                                                                       size: int) -> None:
    text = {
        "lf": TRICKY,
        "crlf": TRICKY.replace("\n", "\r\n"),
        "repeated": TRICKY * 3,
        "views": "import logging\nlog = logging.getLogger(__name__)\n"
                 + "".join(VIEW.format(n=n) for n in range(60)),
    }[variant]
    info = _info("app/views.py")
    data = text.encode()
    whole = _whole(info, data)
    assert whole.parse_error is None and whole.functions
    segmented = _segmented(info, data, size)
    assert segmented is not None  # really cut, not handed back to the whole-module path
    assert segmented == whole
    if variant == "lf":
        assert whole.module_calls and whole.suppressions and whole.tags
        assert ("Base", "late_module.Base") in whole.imports


def test_a_syntax_error_in_a_long_module_is_reported_as_for_a_short_one() -> None:
    info = _info("app/broken.py")
    data = (TRICKY + "def broken(:\n    pass\n" + TRICKY).encode()
    whole = _whole(info, data)
    assert whole.parse_error is not None
    assert extract_file(info, data, segment_above=0, segment_lines=1) == whole


def test_the_cheap_cut_finder_skips_multiline_strings() -> None:
    text = 'A = 1\nSQL = """\nSELECT 1\n"""\nB = 2\n'
    assert [text[at:].split("\n", 1)[0] for at in _likely_statement_starts(text)] == [
        "A = 1", 'SQL = """', "B = 2"]


def test_line_numbers_follow_python_not_str_splitlines() -> None:
    assert source_lines("a\x0cb\nc\u2028d\r\ne\rf\n") == ["a\x0cb", "c\u2028d", "e", "f"]
    assert source_lines("a\nb") == "a\nb".splitlines()


# -- the size guard ------------------------------------------------------------------------
def _project(tmp_path: Path) -> Path:
    project = tmp_path / "proj"
    (project / "app").mkdir(parents=True)
    (project / "app" / "__init__.py").write_text("")
    (project / "app" / "small.py").write_text(
        'import logging\nlog = logging.getLogger(__name__)\n\n'
        'def a(request):\n    log.info(request.user.email)\n')
    big = "import logging\nlog = logging.getLogger(__name__)\n" + "".join(
        VIEW.format(n=n) for n in range(40))
    (project / "app" / "big.py").write_text(big)
    return project


def _scan(project: Path, limit: int, cache: Path | None = None, jobs: int = 1):  # type: ignore[no-untyped-def]
    config = dataclasses.replace(Config(root=project, config_file=None), max_file_size=limit)
    return scan([project], config, cwd=project, run=RunOptions(jobs=jobs, cache_dir=cache))


def test_a_file_above_max_file_size_is_one_pdl001_and_is_never_read(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = _project(tmp_path)
    big = project / "app" / "big.py"
    size = big.stat().st_size
    read = Path.read_bytes

    def guarded(path: Path) -> bytes:
        assert path.name != "big.py", "a skipped file was read"
        return read(path)

    monkeypatch.setattr(Path, "read_bytes", guarded)
    result = _scan(project, 2048, cache=tmp_path / "cache")
    monkeypatch.undo()
    errors = [f for f in result.findings if f.rule == "PDL001"]
    assert len(errors) == 1 and errors[0].path.endswith("app/big.py")
    assert f"the file is {size / 1024:.1f} KiB, above max-file-size (2.0 KiB)" in errors[0].message
    assert "raise max-file-size or exclude it" in errors[0].message
    assert any(f.rule == "PDL201" and f.path.endswith("small.py") for f in result.findings)
    assert not any(f.rule == "PDL201" and f.path.endswith("big.py") for f in result.findings)

    # the skip was not cached: raising the limit analyses the file, with the same cache
    raised = _scan(project, size, cache=tmp_path / "cache")
    assert not [f for f in raised.findings if f.rule == "PDL001"]
    assert sum(f.rule == "PDL201" and f.path.endswith("big.py") for f in raised.findings) == 40
    unlimited = _scan(project, 0)
    assert unlimited.findings == raised.findings


# -- the memory bound ----------------------------------------------------------------------
needs_rlimit = pytest.mark.skipif(sys.platform.startswith("win") or sys.platform == "darwin",
                                  reason="RLIMIT_AS is not enforced here")


@needs_rlimit
def test_a_memory_error_under_the_limit_is_a_pdl001_for_that_file_only() -> None:
    script = textwrap.dedent("""
        from pdlint import engine
        from pdlint.inputs import ExtractOptions
        import pdlint.extract  # imported before the limit, like a worker's first file
        big = b"x = 1\\n" * (12 * 1024 * 1024)  # 72 MiB: more than the budget
        engine._limit_memory(32 * 1024 * 1024)
        jobs = [("-", "big.py", "big", False, big, ""), ("-", "ok.py", "ok", False, b"y = 2\\n", "")]
        del big
        for facts in engine._extract_chunk(jobs, ExtractOptions()):
            print(facts.path, facts.parse_error.message if facts.parse_error else "ok")
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "big.py ran out of memory while analysing; split the file or exclude it",
        "ok.py ok",
    ]


@needs_rlimit
@pytest.mark.parametrize("jobs", [1, 2])
def test_a_file_that_exhausts_a_worker_costs_only_itself(tmp_path: Path, jobs: int) -> None:
    """With --jobs 1 a large file goes to a limited child process (the scanning process is
    never limited); in a pool, a worker that dies takes only its own file with it. The scan
    runs in a subprocess, whose stderr takes the dying workers' last words."""
    project = _project(tmp_path)
    for n in range(12):  # enough files for the pool
        (project / "app" / f"mod{n}.py").write_text(f"def f{n}(user):\n    print(user.email)\n")
    # one statement that no segmentation can cut, needing far more than 64 MiB to parse
    (project / "app" / "bomb.py").write_text("DATA = [\n" + "    1,\n" * 60_000 + "]\n")
    script = textwrap.dedent(f"""
        import json, sys
        from pathlib import Path
        from pdlint import engine
        from pdlint.config import Config
        engine.memory_budget = lambda workers: 64 * 1024 * 1024
        engine._IN_PROCESS_MAX = 100_000
        project = Path(sys.argv[1])
        result = engine.scan([project], Config(root=project, config_file=None), cwd=project,
                             run=engine.RunOptions(jobs={jobs}))
        print(json.dumps([[f.rule, Path(f.path).name, f.message] for f in result.findings]))
    """)
    done = subprocess.run([sys.executable, "-c", script, str(project)], capture_output=True,
                          text=True, cwd=ROOT, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    findings = json.loads(done.stdout)
    errors = [(name, message) for rule, name, message in findings if rule == "PDL001"]
    assert [name for name, _ in errors] == ["bomb.py"]
    # CPython's own parser raises MemoryError for depth, which pdlint.extract.source reads as
    # nesting; libcst's is the memory limit. The message names no budget (it depends on
    # --jobs and the machine, and reports must not)
    assert ("memory" in errors[0][1] and "MiB" not in errors[0][1]
            or errors[0][1].endswith("too deeply nested to analyse (recursion limit)"))
    analysed = {name for rule, name, _ in findings if rule != "PDL001"}
    assert {f"mod{n}.py" for n in range(12)} | {"small.py", "big.py"} <= analysed


def test_the_budget_is_bounded_by_the_machine() -> None:
    for workers in (1, 2, 64):
        budget = engine.memory_budget(workers)
        assert 1024**3 <= budget <= 4 * 1024**3


def test_the_summary_counts_skipped_files_apart(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from pdlint.cli import main

    (tmp_path / "big.py").write_text("x = 1\n" * 400, encoding="utf-8")
    (tmp_path / "bad.py").write_text("def (:\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["scan", "--isolated", "--no-cache", "--max-file-size",
                                       "1KB", str(tmp_path)])
    assert result.exit_code == 1
    assert result.stderr.strip().endswith(
        "(1 file could not be parsed; 1 file skipped (above max-file-size))"), result.stderr
