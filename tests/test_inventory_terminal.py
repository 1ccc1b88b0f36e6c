"""``pdlint inventory`` on a terminal renders its Markdown (rich); to a file or a pipe it
writes the plain Markdown, byte for byte."""

from __future__ import annotations

import io
import os
import re
import select
import subprocess
import sys
from pathlib import Path

import pytest

from pdlint import taxonomy
from pdlint.commands.inventory import print_markdown, renders_for_terminal
from pdlint.config import load_config
from pdlint.engine import scan
from pdlint.inventory import build_inventory, render_markdown
from pdlint.rules import KNOWN

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07")
COLOR = re.compile(r"\x1b\[(?:[0-9;]*;)?(?:3[0-9]|4[0-9]|9[0-7]|10[0-7])[;m]")


def plain_markdown(name: str) -> str:
    root = FIXTURES / name
    config = load_config(root, known_rules=KNOWN,
                         category_known=lambda key: taxonomy.resolve_category(key) is not None)
    result = scan([root], config, root)
    assert result.project is not None
    return render_markdown(build_inventory(result.project, name))


@pytest.mark.parametrize(("fmt", "output", "isatty", "expected"), [
    ("markdown", None, True, True),
    ("markdown", None, False, False),  # a pipe
    ("markdown", Path("ropa.md"), True, False),  # -o on a terminal: the file is plain
    ("json", None, True, False),
    ("csv", None, True, False),
    ("fides", None, True, False),
])
def test_only_markdown_to_a_terminal_is_rendered(fmt: str, output: Path | None, isatty: bool,
                                                 expected: bool) -> None:
    assert renders_for_terminal(fmt, output, isatty) is expected


def test_rendered_markdown_drops_the_escapes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    stream = io.StringIO()
    print_markdown("# Record: flask\\_shop\n\n- **Recipients:** e-mail \\(SMTP\\)\n", stream,
                   force_terminal=True, width=100)
    screen = stream.getvalue()
    assert "\x1b[" in screen
    text = ANSI.sub("", screen)
    assert "flask_shop" in text and "e-mail (SMTP)" in text and "\\" not in text


def test_rendered_markdown_respects_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    stream = io.StringIO()
    print_markdown("Uses `shop.views.signup`.\n", stream, force_terminal=True, width=80)
    assert "shop.views.signup" in stream.getvalue()
    assert not COLOR.search(stream.getvalue())


def test_no_control_sequence_from_the_text_reaches_the_terminal() -> None:
    stream = io.StringIO()
    print_markdown("to=evil\x1b]0;owned\x07\x1b[2J\x9b1m done\n", stream, force_terminal=True,
                   width=80)
    screen = stream.getvalue()
    assert "\x1b]0;" not in screen and "\x1b[2J" not in screen and "\x9b" not in screen
    assert "evil" in ANSI.sub("", screen)


def run(args: list[str], cwd: Path, env: dict[str, str], *, tty: bool) -> tuple[int, bytes]:
    """Run ``python -m pdlint`` with stdout on a pseudo-terminal (``tty``) or a pipe."""
    if not tty:
        done = subprocess.run([sys.executable, "-m", "pdlint", *args], cwd=cwd, env=env,
                              capture_output=True, timeout=120, check=False)
        return done.returncode, done.stdout
    import fcntl
    import struct
    import termios

    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 60, 200, 0, 0))
    process = subprocess.Popen([sys.executable, "-m", "pdlint", *args], cwd=cwd, env=env,
                               stdin=slave, stdout=slave, stderr=subprocess.DEVNULL,
                               close_fds=True)
    os.close(slave)
    screen = b""
    try:
        while True:
            ready, _, _ = select.select([master], [], [], 120)
            if not ready:
                break
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: the child closed the terminal
                break
            if not chunk:
                break
            screen += chunk
    finally:
        os.close(master)
        returncode = process.wait(timeout=120)
    return returncode, screen


@pytest.fixture
def env() -> dict[str, str]:
    clean = {key: value for key, value in os.environ.items()
             if key not in ("NO_COLOR", "FORCE_COLOR", "COLUMNS", "LINES", "TTY_COMPATIBLE",
                            "TTY_INTERACTIVE")}
    return {**clean, "TERM": "xterm-256color"}


@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")
@pytest.mark.parametrize("no_color", [False, True])
def test_a_real_terminal_shows_rendered_markdown(env: dict[str, str], no_color: bool) -> None:
    if no_color:
        env["NO_COLOR"] = "1"
    code, screen = run(["inventory", "--no-cache"], FIXTURES / "flask_shop", env, tty=True)
    assert code == 0
    raw = screen.decode("utf-8")
    text = ANSI.sub("", raw)
    assert "Record of processing activities: flask_shop" in text
    assert "flask\\_shop" not in text and "\\_" not in text
    assert "contact.email" in text and "| Category |" not in text  # a table, not pipes
    assert bool(COLOR.search(raw)) is not no_color


@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")
def test_a_real_terminal_shows_smtp_unescaped(env: dict[str, str]) -> None:
    code, screen = run(["inventory", "--no-cache"], FIXTURES / "django_app", env, tty=True)
    assert code == 0
    text = ANSI.sub("", screen.decode("utf-8"))
    assert "e-mail (SMTP)" in text and "\\(SMTP\\)" not in text


def test_a_pipe_gets_the_plain_markdown_byte_for_byte(env: dict[str, str]) -> None:
    code, out = run(["inventory", "--no-cache"], FIXTURES / "flask_shop", env, tty=False)
    assert code == 0
    assert out == plain_markdown("flask_shop").encode("utf-8")
    assert b"flask\\_shop" in out


@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")
def test_a_file_from_a_terminal_gets_the_plain_markdown(env: dict[str, str],
                                                        tmp_path: Path) -> None:
    target = tmp_path / "ropa.md"
    code, _ = run(["inventory", "--no-cache", "-o", str(target)], FIXTURES / "flask_shop", env,
                  tty=True)
    assert code == 0
    assert target.read_bytes() == plain_markdown("flask_shop").encode("utf-8")
