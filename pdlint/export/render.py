"""Rendering DOT to SVG, PNG or PDF with Graphviz's ``dot`` program (when installed)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

#: Output suffixes rendered by Graphviz, and the ``-T`` format for each.
RENDERED: dict[str, str] = {".svg": "svg", ".png": "png", ".pdf": "pdf"}
TIMEOUT = 600.0

INSTALL_HINT = ("install Graphviz (https://graphviz.org/download/: `apt-get install graphviz`, "
                "`brew install graphviz`, `choco install graphviz`), or write DOT with "
                "`--output FILE.dot` and render it elsewhere")


class RenderError(Exception):
    """Graphviz is missing or failed; the message says what to do."""


def render_format(path: Path) -> str | None:
    """``svg``/``png``/``pdf`` when ``path`` asks for a rendered picture, else None."""
    return RENDERED.get(path.suffix.lower())


def find_dot() -> str | None:
    return shutil.which("dot")


def render(dot_source: str, output: Path, executable: str | None = None,
           timeout: float = TIMEOUT) -> None:
    """Write ``dot_source`` rendered to ``output`` (format from its suffix)."""
    fmt = render_format(output)
    if fmt is None:
        raise RenderError(f"cannot render to '{output.suffix}': use .svg, .png or .pdf")
    program = executable or find_dot()
    if program is None:
        raise RenderError(f"rendering {output.name} needs Graphviz's `dot`, which is not "
                          f"installed or not on PATH; {INSTALL_HINT}")
    try:
        done = subprocess.run(
            [program, f"-T{fmt}", "-o", str(output)],
            input=dot_source.encode("utf-8"),
            capture_output=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise RenderError(f"Graphviz took longer than {timeout:g}s; narrow the graph with "
                          "--category, --focus, --collapse module or --sinks-only") from exc
    except OSError as exc:
        raise RenderError(f"cannot run Graphviz's `dot` ({exc.strerror or exc}); "
                          f"{INSTALL_HINT}") from exc
    if done.returncode != 0:
        detail = done.stderr.decode("utf-8", "replace").strip().splitlines()
        reason = detail[-1] if detail else f"exit status {done.returncode}"
        raise RenderError(f"Graphviz failed to render {output.name}: {reason}")
