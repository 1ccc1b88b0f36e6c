"""Test files carry their suppression comments, read with the stdlib ``ast`` (no libcst).

Test modules are read cheaply (:mod:`pdlint.testrefs`), not walked with libcst, so the
statements a suppression covers come from :mod:`pdlint.extract.anchors`. These tests check
that those anchors are the walker's on varied code, that a test file's suppressions are
exactly what the same text gives as an application file, and what PDL901 then does with
them in a real scan: report an unused one, ignore other tools' codes, keep a code of a
rule not implemented yet.
"""

from __future__ import annotations

import ast
import io
import textwrap
import tokenize
from pathlib import Path

import pytest

from pdlint import cache, extract
from pdlint.commands.common import category_known
from pdlint.config import Config, load_config
from pdlint.engine import RunOptions, ScanResult, link, scan
from pdlint.extract import FileInput, extract_file
from pdlint.extract.anchors import module_anchors
from pdlint.extract.positions import Positions, source_lines
from pdlint.extract.source import ParsedSource, parse
from pdlint.extract.walker import ModuleWalker
from pdlint.facts import FileFacts, Span, Suppression
from pdlint.postprocess import Context, suppressions, unused_suppressions
from pdlint.rules import KNOWN, RULES, Report
from pdlint.rules.leaks import PiiInLog

SNIPPETS: dict[str, str] = {
    "simple statements": """\
        import os
        x = 1; y = 2
        assert os
        """,
    "module header and docstring": """\
        #!/usr/bin/env python
        # a leading comment

        # touching the docstring
        \"\"\"Docstring.\"\"\"
        # after the docstring
        import os
        """,
    "comments only": """\
        # nothing but comments

        # and a blank line
        """,
    "decorated defs": """\
        import pytest


        @pytest.fixture
        # between the decorator and the def
        def client():
            return 1


        @pytest.mark.parametrize(
            "value",
            [1, 2],
        )
        @pytest.mark.slow
        async def test_values(
            value,
            client,
        ) -> None:  # on the header line
            # top of the body

            assert value
        """,
    "decorated first statement": """\
        @decorator
        class Case:
            @staticmethod
            def helper(): return (
                1,
            )

            def method(self): pass; pass
        """,
    "multi-line calls": """\
        def test_call(client):
            response = client.post(
                "/signup",
                data={
                    "name": "x",
                },
            )
            assert response.status_code == (
                200
            )
            client.get("/a"); client.get(
                "/b")
        """,
    "compound statements": """\
        def test_branches(value):
            if value:
                a = 1
            elif value is None:
                a = 2
            elif value == 3: a = 3
            else:
                if value < 0:
                    a = 4
            for item in range(3):
                continue
            else:
                pass
            while value:
                break
            else: pass
            with open("f") as one, \\
                    open("g") as two:
                pass
            async def inner():
                async with lock:
                    pass
                async for item in items:
                    pass
            try:
                pass
            except ValueError:
                pass
            except (TypeError,
                    KeyError):
                pass
            else:
                pass
            finally:
                pass
            match value:
                case 1:
                    pass
                case {"key": other}:
                    pass
                case _: pass
        """,
    "comments at the end of blocks": """\
        class TestSomething:
            def test_one(self):
                assert True
                # trailing the body

            # between methods
            def test_two(self):
                pass
        # column 0, inside the class
            x = 1
        # after everything
        """,
    "body comments in column 0": """\
        def test_one():
        # a comment in column 0 above the first statement

            pass
        """,
    "backslash continuations": """\
        import os, \\
            sys
        value = 1 + \\
            2
        assert value, \\
            "message"
        if value and \\
                sys:
            pass
        def test_after(): \\
            pass
        """,
    "non-ascii text": """\
        def test_naïve():  # café
            straße = "ünïcode"; größe = 1
            if straße: größe = 2
            elif größe: pass
        """,
    "except star": """\
        def test_groups():
            try:
                pass
            except* ValueError:
                pass
        """,
}


def _text(name: str) -> str:
    return textwrap.dedent(SNIPPETS[name])


def walker_anchors(text: str) -> tuple[list[tuple[int, int]], int]:
    """What the libcst walk of an application file records: sorted anchors, header end."""
    parsed = parse(text)
    assert isinstance(parsed, ParsedSource)
    positions = Positions.build(parsed.module, parsed.text, parsed.tree)
    walker = ModuleWalker("tests.test_x", False, positions)
    walker.walk(parsed.module)
    return sorted(walker.anchors), walker.header_end


@pytest.mark.parametrize("name", sorted(SNIPPETS))
def test_ast_anchors_are_the_walkers(name: str) -> None:
    text = _text(name)
    placed = module_anchors(ast.parse(text), source_lines(text))
    assert (list(placed.anchors), placed.header_end) == walker_anchors(text)


def _with_directives(text: str) -> list[str]:
    """Variants of ``text`` holding suppressions at every place a comment can go: one with
    a trailing directive on every line that can take a comment, and one per statement line
    with an own-line directive above it (plus a file-ignore at the top, a misplaced one at
    the bottom)."""
    lines = text.splitlines(keepends=True)
    ends: list[tuple[int, int]] = []  # where a line ends in a NEWLINE/NL token: (row, col)
    commented: set[int] = set()
    for token in tokenize.generate_tokens(io.StringIO(text).readline):
        if token.type == tokenize.COMMENT:
            commented.add(token.start[0])
        elif token.type in (tokenize.NEWLINE, tokenize.NL) and token.start[0] <= len(lines):
            ends.append(token.start)
    trailing = list(lines)
    for row, col in ends:
        if row not in commented:
            line = trailing[row - 1]
            trailing[row - 1] = line[:col] + "  # noqa: PDL201" + line[col:]
    variants = ["".join(trailing)]
    starts = {1} | {row + 1 for row, _ in ends}
    for row in sorted(starts):
        if row <= len(lines):
            variants.append("".join([*lines[:row - 1], "# pdlint: ignore[PDL105]\n",
                                     *lines[row - 1:]]))
    variants.append("# pdlint: file-ignore[PDL201]\n" + text + "# pdlint: file-ignore[PDL105]\n")
    return variants


def _facts(text: str, is_test: bool, rel: str = "tests/test_x.py") -> FileFacts:
    module = rel.removesuffix(".py").replace("/", ".")
    return extract_file(FileInput(rel, module, is_test), text.encode())


@pytest.mark.parametrize("name", sorted(SNIPPETS))
def test_a_test_file_has_the_suppressions_of_an_application_file(
        name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    for variant in _with_directives(_text(name)):
        application = _facts(variant, is_test=False)
        with monkeypatch.context() as patched:
            patched.setattr(extract, "parse", _no_libcst)  # the test file is read with ast
            as_test = _facts(variant, is_test=True)
        assert as_test.suppressions
        assert as_test.suppressions == application.suppressions, variant


def _no_libcst(*args: object) -> None:
    raise AssertionError("a test file was parsed with libcst")


def test_suppressions_in_a_test_file_cover_their_statements() -> None:
    text = textwrap.dedent("""\
        # pdlint: file-ignore[PDL105]
        import logging

        log = logging.getLogger(__name__)


        def test_signup(client, user):
            # pdlint: ignore[PDL201]
            log.info(
                "signup %s",
                user.email,
            )
            log.info(
                "user %s", user.email,
            )  # noqa: E501, PDL201
        # pdlint: file-ignore[PDL201]
        """)
    facts = _facts(text, is_test=True)
    assert facts.suppressions == (
        Suppression(1, 1, 1, 10**9, ("PDL105",), "file", "pdlint"),
        Suppression(8, 5, 9, 12, ("PDL201",), "line", "pdlint"),
        Suppression(15, 8, 13, 15, ("PDL201",), "line", "noqa"),
        Suppression(16, 1, 1, 10**9, ("PDL201",), "misplaced", "pdlint"),
    )
    assert facts.test_refs and not facts.tags  # tags are still not read in tests


def test_other_tools_noqa_codes_in_a_test_file_are_no_suppressions() -> None:
    text = "import os  # noqa: F401\nx = 1  # noqa: E501\n"
    assert _facts(text, is_test=True).suppressions == ()
    assert _facts(text, is_test=False).suppressions == ()


def test_a_test_file_that_does_not_parse_is_a_parse_error_as_before() -> None:
    facts = _facts("def test_x(:\n    pass  # pdlint: ignore[PDL201]\n", is_test=True)
    assert facts.parse_error is not None
    assert facts.suppressions == () and facts.test_refs == ()


def test_a_report_in_a_test_file_is_suppressed_and_the_comment_counted_as_used() -> None:
    """No implemented rule reports in test files today (PDL603, real data in tests, will):
    a report placed there is silenced by the file's comment like anywhere else."""
    text = "def test_x(user):\n    user.email = 'x'  # pdlint: ignore[PDL201]\n"
    path = "tests/test_x.py"
    project = link([_facts(text, is_test=True, rel=path)],
                   Config(root=Path("/proj"), config_file=None))
    codes = project.config.enabled_rules(KNOWN) & set(RULES)
    context = Context(project, project.config, frozenset(codes))
    rule = PiiInLog()
    report = Report(path, Span(2, 5, 2, 21), "a report in a test", symbol="tests.test_x")
    kept = suppressions([(rule, report)], context)
    assert kept == []
    assert context.used == {(path, 2): {"PDL201"}}
    assert unused_suppressions(kept, context) == []


# -- real scans --------------------------------------------------------------------------

APP = """\
import logging

log = logging.getLogger(__name__)


def signup(user):
    log.info("signup of %s", user.id)
"""


def scan_project(root: Path, files: dict[str, str], settings: str = "") -> ScanResult:
    (root / "pyproject.toml").write_text("[tool.pdlint]\n" + settings)
    for rel, text in files.items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
    config = load_config(root, None, known_rules=KNOWN, category_known=category_known)
    return scan([root], config, cwd=root, run=RunOptions(jobs=1))


def found(result: ScanResult, path: str) -> list[tuple[str, int, str]]:
    return [(f.rule, f.line, f.message) for f in result.findings if f.root_path == path]


TEST_FILE = """\
from app.views import signup


def test_signup(user):
    signup(user)  # pdlint: ignore[PDL201]
    signup(user)  # noqa: E501, F401
    # pdlint: ignore[PDL603]
    signup(user)
    signup(user)  # pdlint: ignore[PDL999]
"""


def test_a_scan_reports_an_unused_suppression_in_a_test_file(tmp_path: Path) -> None:
    result = scan_project(tmp_path, {"app/__init__.py": "", "app/views.py": APP,
                                     "tests/test_views.py": TEST_FILE})
    assert found(result, "tests/test_views.py") == [
        ("PDL901", 5, "unused suppression for PDL201: nothing to suppress here"),
        ("PDL901", 9, "unknown rule code(s) in suppression: PDL999"),
    ]  # E501/F401 are other tools' codes; PDL603 is catalogued, not implemented yet
    assert found(result, "app/views.py") == []


def test_per_file_ignores_silence_pdl901_in_tests(tmp_path: Path) -> None:
    result = scan_project(tmp_path, {"app/__init__.py": "", "app/views.py": APP,
                                     "tests/test_views.py": TEST_FILE},
                          '[tool.pdlint.per-file-ignores]\n"tests/**" = ["PDL901"]\n')
    assert found(result, "tests/test_views.py") == []


def test_a_scan_of_a_test_file_with_a_syntax_error_reports_pdl001(tmp_path: Path) -> None:
    result = scan_project(tmp_path, {"tests/test_broken.py":
                                     "def test_x(:\n    pass  # pdlint: ignore[PDL201]\n"})
    assert [rule for rule, _, _ in found(result, "tests/test_broken.py")] == ["PDL001"]
    assert result.parse_errors == 1


@pytest.mark.parametrize("name", ["anchors.py", "testrefs.py", "logs.py"])
def test_the_cache_salt_covers_the_test_file_read(name: str,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Cached facts are dropped when the code reading them changes, the knowledge registry
    included (``logs.py``: which calls are log sinks is decided at extraction)."""
    before = cache._code_fingerprint()
    read_bytes = Path.read_bytes

    def edited(path: Path) -> bytes:
        data = read_bytes(path)
        return data + b"\n# edited\n" if path.name == name else data

    monkeypatch.setattr(Path, "read_bytes", edited)
    assert cache._code_fingerprint() != before
