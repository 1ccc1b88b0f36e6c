"""Allow ``python -m pdlint``.

``python -m`` puts the current directory first on ``sys.path``. pdlint runs inside the
project it scans, so a ``click.py`` or ``pathspec.py`` at that project's root would be
imported in place of the real library, running the scanned code. pdlint never imports or
executes what it scans: the entry drops that path before importing anything else.
"""

import os
import sys

_HOME = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # where pdlint lives
if (sys.path and not getattr(sys.flags, "safe_path", False)
        and os.path.abspath(sys.path[0] or os.curdir) == os.getcwd() != _HOME):
    del sys.path[0]  # (kept when pdlint itself is run from an uninstalled checkout)

from pdlint.cli import run  # noqa: E402  (after the sys.path fix, on purpose)

if __name__ == "__main__":  # pragma: no cover - exercised through subprocess tests
    run()
