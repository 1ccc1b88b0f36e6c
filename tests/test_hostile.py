"""Hostile input: a scanned project must never get its code run, whatever it holds."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

SHADOWS = ("click", "pathspec", "rich", "libcst", "networkx", "tomli", "pdlint_payload")


@pytest.mark.parametrize("entry", [["-m", "pdlint"], ["-c", "import runpy; runpy.run_module("
                                                         "'pdlint', run_name='__main__')"]])
def test_python_m_pdlint_never_imports_the_scanned_project(tmp_path: Path,
                                                            entry: list[str]) -> None:
    marker = tmp_path / "IMPORTED"
    for name in SHADOWS:
        (tmp_path / f"{name}.py").write_text(
            f"open({str(marker)!r}, 'a').write({name!r} + '\\n')\n"
            "raise SystemExit('scanned code ran')\n", encoding="utf-8")
    done = subprocess.run([sys.executable, *entry, "scan", "--no-cache", "--jobs", "2"],
                          cwd=tmp_path, capture_output=True, text=True, check=False)
    assert not marker.exists(), marker.read_text()
    assert done.returncode == 0, done.stderr
    assert f"No findings in {len(SHADOWS)} files." in done.stderr
