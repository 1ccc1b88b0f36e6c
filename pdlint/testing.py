"""Helpers to run pdlint on in-memory sources (rule examples, tests, docs).

Writing the sources to a temporary directory and scanning it exercises the same code path
as the command line, so a rule example that passes here passes for users too.
"""

from __future__ import annotations

import tempfile
from collections.abc import Mapping
from pathlib import Path

from pdlint.config import Config
from pdlint.engine import ScanResult, scan


def scan_sources(sources: Mapping[str, str], pyproject: str | None = None) -> ScanResult:
    """Scan a throw-away project made of ``sources`` (relative path → text)."""
    with tempfile.TemporaryDirectory(prefix="pdlint-") as tmp:
        root = Path(tmp).resolve()
        for rel, text in sources.items():
            target = root / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
            # Make every directory on the way a package so module names are realistic.
            parent = target.parent
            while parent != root:
                init = parent / "__init__.py"
                if not init.exists():
                    init.write_text("", encoding="utf-8")
                parent = parent.parent
        if pyproject is not None:
            (root / "pyproject.toml").write_text(pyproject, encoding="utf-8")
            from pdlint.commands.common import category_known as _category_known
            from pdlint.config import load_config
            from pdlint.rules import KNOWN

            config = load_config(root, root / "pyproject.toml", known_rules=KNOWN,
                                 category_known=_category_known)
        else:
            config = Config(root=root, config_file=None)
        return scan([root], config, cwd=root)
