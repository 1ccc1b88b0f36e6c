"""``# expect:`` markers: the one syntax rule examples and fixture projects share.

A comment line ``# expect: PDL201`` (or ``# expect: PDL201, PDL207``) standing alone marks
a finding on the line directly below it (fixtures/README.md). Rule examples
(:class:`pdlint.rules.base.Example`) and the fixture projects' end-to-end tests read them
with these functions, so both mean the same thing by a marker.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

__all__ = ["EXPECT_MARKER", "Expected", "markers_in", "markers_under"]

#: An expected finding: a comment line alone, above the line the finding is reported on.
EXPECT_MARKER = re.compile(r"^[ \t]*# expect:[ \t]*(?P<codes>\S.*?)[ \t]*$")

Expected = tuple[str, int, str]  # (path, line, code)


def markers_in(sources: Iterable[tuple[str, str]]) -> Counter[Expected]:
    """The findings the ``# expect:`` lines of ``(path, text)`` pairs ask for."""
    found: Counter[Expected] = Counter()
    for path, text in sources:
        for number, line in enumerate(text.split("\n"), start=1):
            match = EXPECT_MARKER.match(line)
            if match:
                for code in match.group("codes").split(","):
                    found[(path, number + 1, code.strip())] += 1
    return found


def markers_under(root: Path) -> Counter[Expected]:
    """The findings a fixture project asks for: the markers of its ``*.py`` files (paths
    relative to ``root``) and the ``path:line: CODE`` lines of ``EXPECTED_EXTRA.txt``, for
    findings no comment line can mark."""
    found = markers_in((path.relative_to(root).as_posix(), path.read_text(encoding="utf-8"))
                       for path in sorted(root.rglob("*.py")))
    extra = root / "EXPECTED_EXTRA.txt"
    if extra.exists():
        for line in extra.read_text(encoding="utf-8").splitlines():
            if line.strip():
                path_text, number, code = (part.strip() for part in line.split(":"))
                found[(path_text, int(number), code)] += 1
    return found
