"""Tests for pdlint.discover: walking, excludes, .gitignore, symlinks, test classification."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from pdlint.config import Config
from pdlint.discover import DiscoveryResult, discover, make_test_classifier


def touch(root: Path, *rels: str) -> None:
    for rel in rels:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x = 1\n", encoding="utf-8")


def rels(result: DiscoveryResult) -> list[str]:
    return [f.rel for f in result.files]


def scan(root: Path, *paths: str | Path, **options: object) -> DiscoveryResult:
    config = Config(root=root, config_file=None, **options)  # type: ignore[arg-type]
    return discover([Path(p) for p in (paths or (root,))], config)


needs_symlinks = pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks")


@pytest.fixture(autouse=True)
def _cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


# --------------------------------------------------------------------------------------------
# Basics
# --------------------------------------------------------------------------------------------


def test_walks_python_files_only(tmp_path: Path) -> None:
    touch(tmp_path, "a.py", "b.pyi", "c.txt", "d.pyc", "e.pyx", "Makefile", "pkg/f.py", "pkg/g.md")
    result = scan(tmp_path)
    assert rels(result) == ["a.py", "b.pyi", "pkg/f.py"]
    assert result.problems == ()
    assert all(f.path.is_absolute() and f.path.is_file() for f in result.files)
    assert result.files[0].path == tmp_path / "a.py"


def test_sorted_by_rel_and_independent_of_filesystem_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    touch(tmp_path, "b/z.py", "b/a.py", "a.py", "c.py", "a/b/c.py", "B.py")
    first = scan(tmp_path)
    assert rels(first) == sorted(rels(first))

    real_scandir = os.scandir

    class Reversed:
        def __init__(self, path: str) -> None:
            self.inner = real_scandir(path)

        def __enter__(self) -> Iterator[os.DirEntry[str]]:
            return iter(sorted(self.inner, key=lambda e: e.name, reverse=True))

        def __exit__(self, *args: object) -> None:
            self.inner.close()

    monkeypatch.setattr(os, "scandir", Reversed)
    assert scan(tmp_path) == first


def test_default_excludes_pruned_at_any_depth(tmp_path: Path) -> None:
    touch(
        tmp_path,
        "app.py",
        ".venv/lib/site.py",
        "venv/x.py",
        "node_modules/pkg/x.py",
        "pkg/__pycache__/x.py",
        "pkg/build/gen.py",
        "dist/x.py",
        ".tox/py/x.py",
        "lib/site-packages/x.py",
        ".git/hooks/x.py",
        "pkg/mod.py",
        "builder/ok.py",  # only the exact name is excluded
    )
    assert rels(scan(tmp_path)) == ["app.py", "builder/ok.py", "pkg/mod.py"]


def test_never_descends_into_excluded_directories(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    touch(tmp_path, "a.py", ".venv/lib/python3/site-packages/big.py", "node_modules/x/y.py")
    listed: list[str] = []
    real_scandir = os.scandir

    def recording_scandir(path: str) -> object:
        listed.append(os.path.relpath(path, tmp_path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", recording_scandir)
    assert rels(scan(tmp_path)) == ["a.py"]
    assert listed == ["."]


def test_extend_exclude(tmp_path: Path) -> None:
    touch(
        tmp_path,
        "app.py",
        "proto/user_pb2.py",
        "generated/models.py",
        "scripts/tool.py",
        "pkg/scripts/keep.py",
        ".venv/x.py",
    )
    result = scan(tmp_path, extend_exclude=("*_pb2.py", "generated/", "/scripts"))
    assert rels(result) == ["app.py", "pkg/scripts/keep.py"]


def test_exclude_replaces_defaults(tmp_path: Path) -> None:
    touch(tmp_path, "a.py", ".venv/x.py", "vendor/y.py")
    assert rels(scan(tmp_path, exclude=("vendor",))) == [".venv/x.py", "a.py"]


def test_excludes_are_relative_to_the_root(tmp_path: Path) -> None:
    touch(tmp_path, "src/gen/a.py", "src/b.py")
    # Walking a sub-directory still matches anchored patterns against root-relative paths.
    assert rels(scan(tmp_path, tmp_path / "src", extend_exclude=("/src/gen",))) == ["src/b.py"]


def test_directory_named_like_a_python_file(tmp_path: Path) -> None:
    touch(tmp_path, "x.py/inner.py", "x.py/data.txt")
    assert rels(scan(tmp_path)) == ["x.py/inner.py"]
    assert rels(scan(tmp_path, "x.py")) == ["x.py/inner.py"]


def test_duplicate_arguments_are_merged(tmp_path: Path) -> None:
    touch(tmp_path, "src/a.py", "src/sub/b.py")
    result = scan(tmp_path, ".", "src", "src/a.py", "./src/a.py", "src/sub")
    assert rels(result) == ["src/a.py", "src/sub/b.py"]


# --------------------------------------------------------------------------------------------
# .gitignore
# --------------------------------------------------------------------------------------------


def test_nested_gitignore(tmp_path: Path) -> None:
    touch(
        tmp_path,
        "app.py",
        "local.py",
        "a_gen.py",
        "ignored_dir/x.py",
        "sub/local.py",
        "sub/drop_gen.py",
        "sub/keep_gen.py",
        "sub/deep/local.py",
        "other/local_only_in_sub.py",
    )
    (tmp_path / ".gitignore").write_text("# comment\nignored_dir/\n*_gen.py\n")
    (tmp_path / "sub" / ".gitignore").write_text("!keep_gen.py\nlocal.py\n")
    assert rels(scan(tmp_path)) == [
        "app.py",
        "local.py",  # sub/.gitignore only applies below sub/
        "other/local_only_in_sub.py",
        "sub/keep_gen.py",  # re-included by the deeper file
    ]


def test_git_info_exclude(tmp_path: Path) -> None:
    touch(tmp_path, "a.py", "scratch.py")
    (tmp_path / ".git" / "info").mkdir(parents=True)
    (tmp_path / ".git" / "info" / "exclude").write_text("scratch.py\n")
    assert rels(scan(tmp_path)) == ["a.py"]


def test_gitignore_above_a_walked_directory_applies(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    touch(tmp_path, "src/a.py", "src/secret_local.py")
    (tmp_path / ".gitignore").write_text("*_local.py\n")
    assert rels(scan(tmp_path, "src")) == ["src/a.py"]


def test_respect_gitignore_false(tmp_path: Path) -> None:
    touch(tmp_path, "a.py", "gen/b.py")
    (tmp_path / ".gitignore").write_text("gen/\n")
    assert rels(scan(tmp_path, respect_gitignore=False)) == ["a.py", "gen/b.py"]


def test_explicit_ignored_directory_is_walked(tmp_path: Path) -> None:
    touch(tmp_path, "gen/b.py", "gen/sub/c.py", "gen/skip.log.py", "build/d.py")
    (tmp_path / ".gitignore").write_text("gen/\n*.log.py\n")
    assert rels(scan(tmp_path, "gen")) == ["gen/b.py", "gen/sub/c.py"]
    assert rels(scan(tmp_path, "build")) == ["build/d.py"]


def test_invalid_gitignore_lines_are_dropped(tmp_path: Path) -> None:
    touch(tmp_path, "a.py", "b.py")
    (tmp_path / ".gitignore").write_text("!\nb.py\n")
    assert rels(scan(tmp_path)) == ["a.py"]


# --------------------------------------------------------------------------------------------
# Explicit files and force-exclude
# --------------------------------------------------------------------------------------------


def test_explicit_files_bypass_excludes_and_extension(tmp_path: Path) -> None:
    touch(tmp_path, "build/gen.py", "scripts/tool", "gen/x.py", "notes.txt")
    (tmp_path / ".gitignore").write_text("gen/\n")
    result = scan(tmp_path, "build/gen.py", "scripts/tool", "gen/x.py")
    assert rels(result) == ["build/gen.py", "gen/x.py", "scripts/tool"]


def test_force_exclude_applies_exclude_to_explicit_paths(tmp_path: Path) -> None:
    touch(tmp_path, "build/gen.py", "a_pb2.py", "ok.py", "gen/x.py", "pkg/build/y.py")
    (tmp_path / ".gitignore").write_text("gen/\n")
    result = scan(
        tmp_path,
        "build/gen.py",
        "a_pb2.py",
        "ok.py",
        "gen/x.py",
        "pkg/build",
        force_exclude=True,
        extend_exclude=("*_pb2.py",),
    )
    # .gitignore does not remove an explicit file even with force-exclude (ruff does the same).
    assert rels(result) == ["gen/x.py", "ok.py"]
    assert result.problems == ()


# --------------------------------------------------------------------------------------------
# Problems
# --------------------------------------------------------------------------------------------


def test_missing_path_is_a_problem_and_scan_goes_on(tmp_path: Path) -> None:
    touch(tmp_path, "a.py")
    result = scan(tmp_path, "missing.py", "a.py", "nodir/")
    assert rels(result) == ["a.py"]
    assert result.problems == (
        ("missing.py", "no such file or directory"),
        ("nodir", "no such file or directory"),  # Path() drops the trailing slash
    )


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root can read everything"
)
def test_unreadable_directory_is_a_problem(tmp_path: Path) -> None:
    touch(tmp_path, "a.py", "locked/b.py")
    (tmp_path / "locked").chmod(0)
    try:
        result = scan(tmp_path)
    finally:
        (tmp_path / "locked").chmod(0o755)
    assert rels(result) == ["a.py"]
    assert result.problems == (("locked", "permission denied"),)


def test_unreadable_directory_reported_via_scandir_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    touch(tmp_path, "a.py", "locked/b.py")
    real_scandir = os.scandir

    def failing_scandir(path: str) -> object:
        if os.path.basename(path) == "locked":
            raise PermissionError(13, "Permission denied", path)
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", failing_scandir)
    result = scan(tmp_path)
    assert rels(result) == ["a.py"]
    assert result.problems == (("locked", "permission denied"),)


# --------------------------------------------------------------------------------------------
# Symlinks
# --------------------------------------------------------------------------------------------


@needs_symlinks
def test_symlink_loop_terminates(tmp_path: Path) -> None:
    touch(tmp_path, "pkg/a.py", "pkg/sub/b.py")
    os.symlink(tmp_path / "pkg", tmp_path / "pkg" / "sub" / "loop")  # sub/loop -> its grandparent
    os.symlink("..", tmp_path / "pkg" / "up")  # pkg/up -> root
    result = scan(tmp_path)
    assert rels(result) == ["pkg/a.py", "pkg/sub/b.py"]
    assert {p for p, _ in result.problems} == {"pkg/sub/loop", "pkg/up"}
    assert all("symbolic link loop" in message for _, message in result.problems)


@needs_symlinks
def test_self_referencing_symlink_is_skipped(tmp_path: Path) -> None:
    touch(tmp_path, "a.py")
    os.symlink("me.py", tmp_path / "me.py")
    result = scan(tmp_path)
    assert rels(result) == ["a.py"]
    assert result.problems == ()
    assert scan(tmp_path, "me.py").problems == (("me.py", "symbolic link loop"),)


@needs_symlinks
def test_broken_symlinks_skipped_silently(tmp_path: Path) -> None:
    touch(tmp_path, "a.py")
    os.symlink(tmp_path / "nowhere.py", tmp_path / "dangling.py")
    os.symlink(tmp_path / "nodir", tmp_path / "dangling_dir")
    result = scan(tmp_path)
    assert rels(result) == ["a.py"]
    assert result.problems == ()
    explicit = scan(tmp_path, "dangling.py")
    assert explicit.problems == (("dangling.py", "broken symbolic link"),)


@needs_symlinks
def test_symlinked_directory_followed_once_with_canonical_rel(tmp_path: Path) -> None:
    touch(tmp_path, "src/pkg/a.py")
    os.symlink(tmp_path / "src" / "pkg", tmp_path / "alias")  # sorts before "src"
    os.symlink(tmp_path / "src" / "pkg", tmp_path / "src" / "zalias")
    assert rels(scan(tmp_path)) == ["src/pkg/a.py"]


@needs_symlinks
def test_symlinked_file_included_once(tmp_path: Path) -> None:
    touch(tmp_path, "real/mod.py")
    os.symlink(tmp_path / "real" / "mod.py", tmp_path / "a_link.py")
    result = scan(tmp_path)
    assert rels(result) == ["real/mod.py"]


@needs_symlinks
def test_symlink_to_directory_outside_root(tmp_path: Path) -> None:
    project = tmp_path / "proj"
    touch(tmp_path, "shared/lib.py", "proj/app.py")
    os.symlink(tmp_path / "shared", project / "vendored")
    result = scan(project)
    assert rels(result) == ["app.py", "vendored/lib.py"]
    assert result.files[1].path == project / "vendored" / "lib.py"


@needs_symlinks
def test_excluded_symlink_name_not_followed(tmp_path: Path) -> None:
    touch(tmp_path, "app.py", "elsewhere/lib.py")
    project = tmp_path / "proj"
    project.mkdir()
    (project / "app.py").write_text("")
    os.symlink(tmp_path / "elsewhere", project / ".venv")
    assert rels(scan(project)) == ["app.py"]


# --------------------------------------------------------------------------------------------
# Paths outside the root
# --------------------------------------------------------------------------------------------


def test_paths_outside_root_relative_to_cwd(tmp_path: Path) -> None:
    touch(tmp_path, "proj/a.py", "other/b.py", "other/build/c.py")
    result = scan(tmp_path / "proj", "other")  # cwd is tmp_path
    assert rels(result) == ["other/b.py"]  # bare exclude names still apply
    assert result.files[0].path == tmp_path / "other" / "b.py"


def test_paths_outside_root_and_cwd_are_absolute(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    touch(tmp_path, "proj/a.py", "other/tests/b.py")
    monkeypatch.chdir(tmp_path / "proj")
    result = scan(tmp_path / "proj", "../other", ".")
    expected = (tmp_path / "other" / "tests" / "b.py").as_posix()
    assert rels(result) == sorted([expected, "a.py"])
    assert {f.rel: f.is_test for f in result.files}[expected] is True


# --------------------------------------------------------------------------------------------
# Test classification
# --------------------------------------------------------------------------------------------


def test_test_classification(tmp_path: Path) -> None:
    touch(
        tmp_path,
        "tests/helpers.py",
        "pkg/test/util.py",
        "pkg/tests/deep/x.py",
        "test_api.py",
        "pkg/api_test.py",
        "conftest.py",
        "pkg/conftest.py",
        "pkg/testing_utils.py",
        "pkg/contest.py",
        "pkg/latest/x.py",
        "pkg/mod.py",
    )
    flags = {f.rel: f.is_test for f in scan(tmp_path).files}
    assert {rel for rel, is_test in flags.items() if is_test} == {
        "tests/helpers.py",
        "pkg/test/util.py",
        "pkg/tests/deep/x.py",
        "test_api.py",
        "pkg/api_test.py",
        "conftest.py",
        "pkg/conftest.py",
    }


@pytest.mark.parametrize(
    ("rel", "expected"),
    [
        ("spec/a.py", True),
        ("pkg/specs/a.py", True),
        ("qa/a.py", True),
        ("qa/deep/a.py", True),
        ("pkg/qa/a.py", False),  # path patterns are anchored at the root
        ("check_a.py", True),
        ("tests/a.py", False),  # custom test-paths replace the defaults
        ("spec.py", False),  # a directory pattern never matches the file name
    ],
)
def test_custom_test_paths(rel: str, expected: bool) -> None:
    is_test = make_test_classifier(("spec*/", "qa/**/*.py", "check_*.py"))
    assert is_test(rel) is expected


# -- the "no pattern matches" shortcut gives pathspec's answers ----------------------------

_PATTERN_POOL = ["build/", "*.pyc", "!keep.py", "/docs", "a/**/b", "node_modules", "*.py",
                 "!src/*.py", "sub/", "[ab]?.txt", "**/gen_*", "x/y/", "\\#odd", "", "# c",
                 "migrations/*.py", "!migrations/0001_initial.py"]
_SEGMENTS = ["a", "b", "src", "docs", "build", "sub", "x", "y", "migrations", "keep.py",
             "m.py", "gen_z.py", "ab.txt", "#odd", "node_modules", "0001_initial.py"]


@given(patterns=st.lists(st.sampled_from(_PATTERN_POOL), max_size=8),
       paths=st.lists(st.lists(st.sampled_from(_SEGMENTS), min_size=1, max_size=5),
                      min_size=1, max_size=10),
       trailing=st.booleans(), ignored=st.none() | st.integers(0, 7))
@example(patterns=["build/", "!keep.py"], paths=[["keep.py"]], trailing=False, ignored=1)
@settings(max_examples=300, deadline=None)
def test_matcher_agrees_with_pathspec(patterns: list[str], paths: list[list[str]],
                                      trailing: bool, ignored: int | None) -> None:
    from pdlint.config import compile_gitignore
    from pdlint.discover import _Matcher

    spec = compile_gitignore(tuple(patterns))
    plain = _Matcher(spec)
    skipping = plain.without(ignored)
    for parts in paths:
        path = "/".join(parts) + ("/" if trailing else "")
        expected = spec.check_file(path)
        assert plain.check(path) == (expected.include, expected.index)
        # leaving pattern ``ignored`` out of the shortcut never changes a layer's decision
        include, index = skipping.check(path)
        if expected.include and expected.index == ignored:
            assert include is None or (include and index == ignored)
        else:
            assert (include, index) == (expected.include, expected.index)
