"""The format an ``--output`` file gets: what its suffix says, or an error.

``pdlint graph -o map.jpg`` once wrote DOT text into ``map.jpg`` and reported success. A
file's suffix is a promise about its content, so it decides the format; a suffix pdlint
cannot produce, or one that contradicts ``--format``, is a usage error (exit 2) naming the
suffixes that work. A file without a suffix takes ``--format`` (or the default).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from pdlint.commands.common import fail


def output_format(output: Path | None, explicit: str | None, suffixes: Mapping[str, str],
                  default: str) -> str:
    """The format to write: see the module docstring."""
    if output is None or not output.suffix:
        return explicit or default
    implied = suffixes.get(output.suffix.lower())
    if implied is None:
        fail(f"--output {output}: pdlint cannot write {output.suffix} files here; use one of "
             f"{', '.join(sorted(suffixes))} (or a name without a suffix and --format)")
    if explicit is not None and explicit != implied:
        fail(f"--output {output}: a {output.suffix} file holds {implied}, not "
             f"--format {explicit}; change the suffix or drop --format")
    return implied
