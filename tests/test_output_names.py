"""Names from the repository are data: every output format shows them safely and visibly.

A file or folder name may hold any byte but ``/`` and NUL on Linux: newlines that would start
a GitHub Actions workflow command (``pkg\\n::error::INJECTED/m.py``), ESC sequences that drive
a terminal, bidirectional overrides that reorder what a reviewer reads, bytes that are not
UTF-8. Every format must survive them (no crash, a valid document), carry no raw control
character, and still report the file's finding.
"""

from __future__ import annotations

import io
import json
import os
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.console import Console

from pdlint.config import Config
from pdlint.engine import RunOptions, ScanResult, scan
from pdlint.export import export_graph, write
from pdlint.inventory import build_inventory
from pdlint.inventory import render as render_inventory
from pdlint.report import RENDERERS, render_summary, render_text
from pdlint.visible import json_safe, visible

LEAK = b"import logging\n\n\ndef notify(user):\n    logging.info('to %s', user.email)\n"
#: Characters no line of any output may carry raw (pdlint's own tabs and newlines aside).
FORBIDDEN = {chr(c) for c in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20),
                              *range(0x7F, 0xA0))} | {"\u2028", "\u2029", "\u202e", "\u2066"}

try:
    with tempfile.TemporaryDirectory() as _probe:
        open(os.path.join(os.fsencode(_probe), b"\xff.py"), "wb").close()  # noqa: SIM115
    RAW_BYTES = True
except OSError:  # macOS and Windows refuse names that are not valid UTF-8
    RAW_BYTES = False

name_bytes = st.binary(min_size=1, max_size=16).map(
    lambda raw: raw.replace(b"/", b"_").replace(b"\0", b"_")).filter(
    lambda raw: raw not in (b".", b"..") and (RAW_BYTES or _utf8(raw)))
NASTY = [b"pkg\n::error::INJECTED", b"esc\x1b[31mred\x07", b"bad\xff\xfe", b"rtl\xe2\x80\xaecod",
         b"::error::INJECTED", b"a##[error]b", b" ::error::x", b"tab\there", b"cr\rline", b"del\x7f", b"c1\xc2\x9b", b"\xe2\x80\xa8sep", b"%0A::x",
         b" ::error::INJECTED", b"\xc2\xa0::error::INJECTED", b"\xe3\x80\x80::error::INJECTED"]


def _utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _scan(root: Path) -> ScanResult:
    return scan([root], Config(root=root, config_file=None), cwd=root,
                run=RunOptions(jobs=1, cache_dir=None))


def _assert_clean(text: str, what: str) -> None:
    text.encode("utf-8")  # no lone surrogate: the document can be written
    bad = FORBIDDEN.intersection(text)
    assert not bad, f"{what} carries raw {sorted(map(repr, bad))}"
    if what != "graph dot":  # DOT is read by Graphviz, never printed into a CI log: its
        # labels keep names as they are (Mermaid's entity codes already break `##[`)
        assert "##[" not in text, f"{what}: the Actions runner's legacy command syntax"
    for line in text.splitlines():
        if what != "github":  # the runner trims leading white space (.NET TrimStart) first
            assert not line.lstrip().startswith("::"), \
                f"{what}: a line could start a workflow command"


def _check_every_format(root: Path, name: str) -> None:
    result = _scan(root)
    assert [f.rule for f in result.findings] == ["PDL201"], result.findings
    shown = visible(name)
    for fmt, renderer in RENDERERS.items():
        out = renderer(result)
        _assert_clean(out, fmt)
        if fmt in ("json", "sarif", "gitlab"):
            json.loads(out)
        if fmt == "junit":
            ET.fromstring(out)
        if fmt == "github":
            assert all(line.startswith("::error ") for line in out.splitlines())
            assert len(out.splitlines()) == 1
    # JSON keeps the name exactly (its encoder escapes controls); only bytes that are not
    # UTF-8 are shown as escapes
    report = json.loads(RENDERERS["json"](result))
    assert report["findings"][0]["path"] == json_safe(name)
    for target in ("out", "err"):
        buffer = io.StringIO()
        console = Console(file=buffer, force_terminal=False, no_color=True, soft_wrap=True)
        render_text(result, console) if target == "out" else render_summary(result, console)
        _assert_clean(buffer.getvalue(), f"text ({target})")
        if target == "out":
            assert shown in buffer.getvalue()
    assert result.project is not None
    inventory = build_inventory(result.project, name)
    for fmt in ("markdown", "json", "csv", "fides"):
        out = render_inventory(inventory, fmt)
        _assert_clean(out, f"inventory {fmt}")
        if fmt == "json":
            json.loads(out)
        if fmt == "fides":
            list(yaml.safe_load_all(out))
    graph = export_graph(result.project)
    for fmt in ("dot", "mermaid", "json"):
        _assert_clean(write(graph, fmt), f"graph {fmt}")


def _layout(base: Path, raw: bytes, nested: bool) -> str:
    folder = os.path.join(os.fsencode(base), raw) if nested else os.fsencode(base)
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, b"m.py" if nested else raw + b".py")
    with open(path, "wb") as handle:
        handle.write(LEAK)
    return os.fsdecode(os.path.relpath(path, os.fsencode(base)))


@pytest.mark.parametrize("raw", [n for n in NASTY if RAW_BYTES or _utf8(n)])
@pytest.mark.parametrize("nested", [False, True])
def test_nasty_names_in_every_format(raw: bytes, nested: bool, tmp_path: Path) -> None:
    name = _layout(tmp_path, raw, nested)
    _check_every_format(tmp_path, name)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(raw=name_bytes, nested=st.booleans())
def test_any_file_name_in_every_format(raw: bytes, nested: bool) -> None:
    with tempfile.TemporaryDirectory() as base:
        try:
            name = _layout(Path(base), raw, nested)
        except OSError:  # a name this filesystem refuses (too long, reserved)
            return
        _check_every_format(Path(base), name)


def test_visible_shows_each_kind_of_character() -> None:
    assert visible("plain/ünïcode 名前.py") == "plain/ünïcode 名前.py"
    assert visible("a\nb\x1b\x07\x7f") == "a\\x0ab\\x1b\\x07\\x7f"
    assert visible("rtl\u202e") == "rtl\\u202e"
    assert visible(os.fsdecode(b"bad\xff")) == "bad\\xff"
    assert json_safe({"k\udcff": ["v\udcfe", 1, None]}) == {"k\\xff": ["v\\xfe", 1, None]}


@pytest.mark.skipif(not RAW_BYTES, reason="this filesystem refuses non-UTF-8 names")
def test_cli_survives_a_non_utf8_name(tmp_path: Path) -> None:
    import subprocess

    _layout(tmp_path, b"bad\xff", nested=False)
    for args in (["scan", "--no-cache"], ["scan"], ["scan"], ["scan", "--format", "sarif"],
                 ["graph", "--no-cache"], ["inventory", "--no-cache"]):
        done = subprocess.run([sys.executable, "-m", "pdlint", *args], cwd=tmp_path,
                              capture_output=True, check=False)
        assert b"Traceback" not in done.stderr, done.stderr.decode("utf-8", "replace")
        assert done.returncode in (0, 1), (args, done.stderr)
        if args[0] == "scan" and "sarif" not in args:
            assert b"bad\\xff.py" in done.stdout
