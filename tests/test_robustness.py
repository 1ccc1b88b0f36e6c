"""Bad input never produces a traceback and never stops the rest of the scan."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from pdlint.extract import FileInput, extract_file

GOOD = b"from django.db import models\n\nclass Customer(models.Model):\n    email = models.EmailField()\n"


def run_cli(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "pdlint", "scan", "--format", "json", *args],
        cwd=tmp_path, capture_output=True, text=True, env=env, timeout=300,
    )


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("nul.py", b"x = 1\n\x00\n", "NUL"),
        ("latin.py", b"# -*- coding: utf-8 -*-\nx = '\xff\xfe'\n", "decode"),
        ("badcookie.py", b"# -*- coding: klingon -*-\nx = 1\n", "encoding"),
        ("syntax.py", b"def f(:\n    pass\n", "syntax error"),
        ("parens.py", b"x = " + b"(" * 5000 + b"1" + b")" * 5000 + b"\n", "nested"),
        ("chain.py", b"x = " + b"+".join([b"a"] * 100_000) + b"\n", "nested"),
        ("attrs.py", b"x = a" + b".b" * 50_000 + b"\n", "nested"),
        ("unary.py", b"x = " + b"-" * 50_000 + b"1\n", "nested"),
        ("indent.py", b"".join(b"    " * i + b"if x:\n" for i in range(120)) + b"    " * 120
         + b"pass\n", "nested"),
    ],
)
def test_bad_files_become_parse_errors(name: str, data: bytes, message: str) -> None:
    facts = extract_file(FileInput(name, name[:-3]), data)
    assert facts.parse_error is not None
    assert message.lower() in facts.parse_error.message.lower()


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"\n\n",
        b"\xef\xbb\xbfx = 1\n",  # BOM
        b"# only a comment",
        b"x = 1",  # no trailing newline
        b"x = '" + b"a" * 2_000_000 + b"'\n",  # a 2 MB line
        b"x = 1\r\ny = 2\r\n",  # CRLF
        b"# -*- coding: latin-1 -*-\nname = '\xe9'\n",
        b"x = " + b"(" * 150 + b"1" + b")" * 150 + b"\n",
    ],
)
def test_odd_but_valid_files_parse(data: bytes) -> None:
    facts = extract_file(FileInput("odd.py", "odd"), data)
    assert facts.parse_error is None


def test_scan_goes_on_past_bad_files(tmp_path: Path) -> None:
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "__init__.py").write_bytes(b"")
    (tmp_path / "app" / "models.py").write_bytes(GOOD)
    (tmp_path / "app" / "nul.py").write_bytes(b"x = 1\x00\n")
    (tmp_path / "app" / "deep.py").write_bytes(b"x = " + b"(" * 5000 + b"1" + b")" * 5000)
    (tmp_path / "app" / "broken.py").write_bytes(b"def f(:\n")
    (tmp_path / "app" / "empty.py").write_bytes(b"")
    (tmp_path / "dir.py").mkdir()  # a directory that looks like a file
    (tmp_path / "dir.py" / "inner.py").write_bytes(b"x = 1\n")
    (tmp_path / "loop").mkdir()
    os.symlink(tmp_path, tmp_path / "loop" / "back")  # a symlink loop
    os.symlink(tmp_path / "missing.py", tmp_path / "dangling.py")  # a broken link
    proc = run_cli(tmp_path)
    assert "Traceback" not in proc.stderr
    assert proc.returncode == 1, proc.stderr
    report = json.loads(proc.stdout)
    rules = {(f["path"], f["rule"]) for f in report["findings"]}
    assert ("app/models.py", "PDL105") in rules
    assert {("app/nul.py", "PDL001"), ("app/deep.py", "PDL001"),
            ("app/broken.py", "PDL001")} <= rules
    assert report["summary"]["parse_errors"] == 3
    paths = {f["path"] for f in report["findings"]}
    assert "app/empty.py" not in paths


def test_unreadable_file_is_pdl001(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pdlint.config import Config
    from pdlint.engine import scan

    target = tmp_path / "secret.py"
    target.write_bytes(b"x = 1\n")
    original = Path.read_bytes

    def deny(self: Path) -> bytes:
        if self.name == "secret.py":
            raise PermissionError(13, "Permission denied")
        return original(self)

    monkeypatch.setattr(Path, "read_bytes", deny)
    result = scan([tmp_path], Config(root=tmp_path, config_file=None), cwd=tmp_path)
    (finding,) = [f for f in result.findings if f.rule == "PDL001"]
    assert "Permission denied" in finding.message


def test_messages_never_echo_string_literals(tmp_path: Path) -> None:
    secret = "jane.doe.private@example.com"
    (tmp_path / "bad.py").write_text(f'x = "{secret}" +\n', encoding="utf-8")
    (tmp_path / "tagged.py").write_text(
        f'email = "{secret}"  # gdpr: contact.emial purpse=x\n', encoding="utf-8"
    )
    proc = run_cli(tmp_path)
    assert secret not in proc.stdout
    assert secret not in proc.stderr


def test_valid_python_that_libcst_refuses_is_analysed_not_pdl001(tmp_path: Path) -> None:
    """The issue's three reproductions: CPython imports each file, so pdlint reads it (in a
    repaired form, see tests/test_parse_fallback.py) and reports its leak at its line."""
    secret = "jane.doe.private@example.com"
    leak = b"def f(user):\n    logging.info('x %s', user.email)\n"
    (tmp_path / "latin.py").write_bytes(b"# caf\xe9\nimport logging\n" + leak)
    strings = "".join(f'    "{secret if i == 3 else i}"\n' for i in range(5000))
    (tmp_path / "concat.py").write_bytes(f"import logging\nX = (\n{strings})\n".encode() + leak)
    (tmp_path / "backslash.py").write_bytes(
        b"import logging\nif True:\n    pass\n\\\nelse:\n    pass\n" + leak)
    (tmp_path / "broken.py").write_bytes(b"# caf\xe9\ndef f(:\n")  # CPython refuses it
    proc = run_cli(tmp_path, "--no-cache")
    assert "Traceback" not in proc.stderr
    assert secret not in proc.stdout and secret not in proc.stderr
    report = json.loads(proc.stdout)
    found = sorted((f["path"], f["rule"], f["line"]) for f in report["findings"])
    assert found == [("backslash.py", "PDL201", 8), ("broken.py", "PDL001", 1),
                     ("concat.py", "PDL201", 5005), ("latin.py", "PDL201", 4)]
    assert report["summary"]["parse_errors"] == 1
