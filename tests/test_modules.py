"""Module naming: two files never share a key, and imports reach the module their file sees.

The fixture ``fixtures/colliding`` holds the layouts real repositories have (examples/a and
examples/b with the same package, several services each with ``app/app.py``, ``lib/tasks.py``
beside ``tasks.py``); its ``# expect:`` lines list every finding of every selected rule.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from pdlint.cli import main
from pdlint.discover import SourceFile
from pdlint.expectations import markers_under
from pdlint.facts import CallFact, FileFacts, FunctionFact, Span
from pdlint.modules import plan_modules

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "colliding"


def _layout(tmp_path: Path, files: list[str]) -> list[SourceFile]:
    sources = []
    for rel in files:
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x = 1\n", encoding="utf-8")
    for rel in sorted(files):
        if rel.endswith((".py", ".pyi")):
            sources.append(SourceFile(tmp_path / rel, rel, False))
    return sources


def _keys(tmp_path: Path, files: list[str]) -> dict[str, str]:
    plan = plan_modules(_layout(tmp_path, files), tmp_path)
    return {rel: entry.key for rel, entry in plan.names.items()}


def test_unrelated_files_keep_their_natural_names(tmp_path: Path) -> None:
    keys = _keys(tmp_path, ["shop/__init__.py", "shop/views.py", "scripts/run.py",
                            "src/pkg/__init__.py", "src/pkg/mod.py", "tool.py"])
    assert keys == {"shop/__init__.py": "shop", "shop/views.py": "shop.views",
                    "scripts/run.py": "scripts.run", "src/pkg/__init__.py": "pkg",
                    "src/pkg/mod.py": "pkg.mod", "tool.py": "tool"}


def test_colliding_package_trees_are_qualified_whole(tmp_path: Path) -> None:
    keys = _keys(tmp_path, ["examples/a/app/__init__.py", "examples/a/app/views.py",
                            "examples/a/app/helpers.py", "examples/b/app/__init__.py",
                            "examples/b/app/views.py", "other/__init__.py"])
    # helpers.py collides with nothing, but its tree does: relative imports stay consistent
    assert keys["examples/a/app/helpers.py"] == "examples.a.app.helpers"
    assert keys["examples/a/app/views.py"] == "examples.a.app.views"
    assert keys["examples/b/app/views.py"] == "examples.b.app.views"
    assert keys["examples/b/app/__init__.py"] == "examples.b.app"
    assert keys["other/__init__.py"] == "other"


def test_a_tree_at_the_root_keeps_its_name_and_the_others_move(tmp_path: Path) -> None:
    keys = _keys(tmp_path, ["app/__init__.py", "app/app.py", "services/x/app/__init__.py",
                            "services/x/app/app.py", "services/y/app/__init__.py",
                            "services/y/app/app.py"])
    assert keys["app/app.py"] == "app.app"
    assert keys["services/x/app/app.py"] == "services.x.app.app"
    assert keys["services/y/app/app.py"] == "services.y.app.app"


@pytest.mark.parametrize("files", [
    ["tasks.py", "lib/tasks.py"],
    ["tasks.py", "src/tasks.py", "lib/tasks.py"],
    ["m.py", "m.pyi"],
    ["pkg/__init__.py", "pkg/m.py", "pkg/m.pyi", "src/pkg/__init__.py", "src/pkg/m.py"],
    ["a.b/__init__.py", "a.b/c.py", "a/b/__init__.py", "a/b/c.py", "a_b/c.py"],
])
def test_every_file_gets_its_own_key(tmp_path: Path, files: list[str]) -> None:
    keys = _keys(tmp_path, files)
    assert len(set(keys.values())) == len(keys), keys


def _facts(rel: str, module: str, imports: tuple[tuple[str, str], ...],
           callee: str) -> FileFacts:
    span = Span(1, 1, 1, 2)
    call = CallFact(0, callee, callee, span)
    function = FunctionFact(f"{module}.f", "f", span, 1, (), calls=(call,))
    return FileFacts(rel, module, imports=imports, functions=(function,))


def test_imports_resolve_in_the_files_own_source_root_first(tmp_path: Path) -> None:
    files = ["examples/a/app/__init__.py", "examples/a/app/views.py",
             "examples/a/app/helpers.py", "examples/a/main.py", "examples/a/tests/test_x.py",
             "examples/b/app/__init__.py", "examples/b/app/views.py", "top.py"]
    plan = plan_modules(_layout(tmp_path, files), tmp_path)
    resolve = plan.resolver()
    imports = (("notify", "app.helpers.notify"),)
    seen = {}
    for rel in ("examples/a/app/views.py", "examples/a/main.py", "examples/a/tests/test_x.py",
                "examples/b/app/views.py", "top.py"):
        facts = resolve(_facts(rel, plan.key(rel), imports, "app.helpers.notify"))
        seen[rel] = facts.functions[0].calls[0].callee
        assert facts.imports[0][1] == seen[rel]
    assert seen == {
        "examples/a/app/views.py": "examples.a.app.helpers.notify",
        "examples/a/main.py": "examples.a.app.helpers.notify",
        "examples/a/tests/test_x.py": "examples.a.app.helpers.notify",  # the folder above
        "examples/b/app/views.py": "examples.b.app.helpers.notify",
        "top.py": "app.helpers.notify",  # sees neither example: left as written
    }


def test_a_plain_script_sees_its_sibling_scripts(tmp_path: Path) -> None:
    plan = plan_modules(_layout(tmp_path, ["scripts/run.py", "scripts/common.py"]), tmp_path)
    facts = plan.resolver()(_facts("scripts/run.py", "scripts.run",
                                   (("helper", "common.helper"),), "common.helper"))
    assert facts.functions[0].calls[0].callee == "scripts.common.helper"


@pytest.mark.parametrize("jobs", ["1", "3"])
def test_colliding_fixture_reports_every_file_on_its_own(
        jobs: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(FIXTURE)
    result = CliRunner().invoke(main, ["scan", "--no-cache", "--jobs", jobs, "--format",
                                       "json", "-q"])
    report = json.loads(result.stdout)
    got = Counter((f["path"], f["line"], f["rule"]) for f in report["findings"])
    expected = markers_under(FIXTURE)
    assert got == expected, (sorted((expected - got).elements()),
                             sorted((got - expected).elements()))
    # the cross-file leak is traced through example A's own helper
    traced = [f for f in report["findings"] if f["path"] == "examples/a/app/helpers.py"
              and f["rule"] == "PDL201"]
    assert "examples.a.app.views.signup" in traced[0]["message"]
