"""Baselines, changed-lines mode and "report only the given files" (pdlint.gate + the CLI)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from pdlint.cli import main
from pdlint.findings import Finding, finalize
from pdlint.gate import (
    Baseline,
    BaselineEntry,
    ChangedLines,
    GateError,
    apply_baseline,
    baseline_document,
    changed_lines,
    in_files,
    load_baseline,
    parse_diff,
    write_baseline,
)

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

VIEWS = """\
import logging

logger = logging.getLogger(__name__)


def notify(user):
    channel = "mail"
    logger.info("sending %s to %s", channel, user.email)


def audit(user):
    logger.info("audit for %s", user.id)
"""

MOVED = '''\
"""Views."""

import logging
import os

logger = logging.getLogger(__name__)


def audit(user):
    logger.info("audit for %s", user.id)


def notify(user):
    if os.environ.get("SEND"):
        {channel} = "mail"
        logger.info(
            "sending %s to %s",
            {channel},
            user.email,
        )
'''

# --------------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------------


def finding(rule: str = "PDL201", path: str = "app/views.py", line: int = 1,
            symbol: str | None = "app.views.notify", message: str = "m") -> Finding:
    return Finding(rule=rule, name="pii-in-log", severity="error", path=path, line=line,
                   column=1, end_line=line, end_column=5, message=message, symbol=symbol,
                   root_path=path)


@pytest.fixture
def git_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A predictable git: no user or system configuration, a fixed identity."""
    for key, value in {
        "GIT_AUTHOR_NAME": "pdlint tests", "GIT_AUTHOR_EMAIL": "tests@pdlint.invalid",
        "GIT_COMMITTER_NAME": "pdlint tests", "GIT_COMMITTER_EMAIL": "tests@pdlint.invalid",
        "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
    }.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("GIT_DIR", raising=False)
    monkeypatch.delenv("GIT_WORK_TREE", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)


def git(repo: Path, *args: str) -> str:
    proc = subprocess.run(["git", "-c", "commit.gpgsign=false", *args], cwd=repo,
                          capture_output=True, text=True, check=True)
    return proc.stdout


def commit_all(repo: Path, message: str = "change") -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "--allow-empty", "-m", message)


@pytest.fixture
def repo(tmp_path: Path, git_env: None, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git repository on branch main with app/views.py (one PDL201 leak), committed."""
    root = tmp_path / "project"
    (root / "app").mkdir(parents=True)
    (root / "app" / "__init__.py").write_text("")
    (root / "app" / "views.py").write_text(VIEWS)
    (root / "pdlint.toml").write_text("[tool.pdlint]\n")
    git(root, "init", "-q")
    git(root, "symbolic-ref", "HEAD", "refs/heads/main")
    commit_all(root, "initial")
    monkeypatch.chdir(root)
    return root


def invoke(*args: str) -> Result:
    return CliRunner().invoke(main, ["scan", "--no-cache", "--color", "never", *args])


def scan_json(*args: str) -> tuple[int, dict]:
    result = invoke("--format", "json", *args)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, json.loads(result.stdout)


def located(report: dict) -> list[tuple[str, int, str]]:
    return [(f["path"], f["line"], f["rule"]) for f in report["findings"]]


# --------------------------------------------------------------------------------------------
# baseline documents
# --------------------------------------------------------------------------------------------


def test_baseline_document_is_sorted_and_deterministic(tmp_path: Path) -> None:
    findings = finalize([
        finding(path="b.py", message="two"), finding(path="a.py", message="one"),
        finding(path="a.py", message="one", line=9),
    ])
    text = baseline_document(findings)
    assert text == baseline_document(list(reversed(findings)))
    document = json.loads(text)
    assert document["tool"] == "pdlint" and document["format"] == 1 and document["version"]
    assert [row["path"] for row in document["findings"]] == ["a.py", "a.py", "b.py"]
    assert set(document["findings"][0]) == {"fingerprint", "rule", "path", "symbol", "message"}
    target = tmp_path / "sub" / "baseline.json"
    assert write_baseline(target, findings) == 3
    assert target.read_text(encoding="utf-8") == text
    loaded = load_baseline(target)
    assert loaded.fingerprints == {f.fingerprint for f in findings}
    assert not list(tmp_path.glob("sub/.*.tmp"))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "not found; create it with `pdlint scan --write-baseline"),
        (b"{not json", "is not valid JSON"),
        (b"\xff\xfe", "is not valid JSON"),
        (b"[]", "is not a pdlint baseline"),
        (b'{"findings": []}', "is not a pdlint baseline"),
        (b'{"version": "0.1.0", "findings": [], "summary": {}}', "is a `--format json` report"),
        (b'{"tool": "pdlint", "format": 99, "findings": []}', "has format 99"),
        (b'{"tool": "pdlint", "format": 1, "findings": {}}', "'findings' must be a list"),
        (b'{"tool": "pdlint", "format": 1, "findings": [{"rule": "PDL201"}]}',
         "entry 1 has no fingerprint"),
        (b'{"tool": "pdlint", "format": 1, "findings": [{"fingerprint": "x", "rule": 3}]}',
         "entry 1 is malformed"),
    ],
)
def test_broken_or_foreign_baselines_are_clear_errors(
    tmp_path: Path, content: bytes | None, message: str
) -> None:
    path = tmp_path / "baseline.json"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(GateError, match="baseline|report") as info:
        load_baseline(path)
    assert message in str(info.value)


def test_broken_baseline_exits_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "x.py").write_text("x = 1\n")
    (tmp_path / "b.json").write_text("[1, 2]")
    result = invoke("--baseline", "b.json")
    assert result.exit_code == 2
    assert "pdlint: error: b.json is not a pdlint baseline" in result.stderr
    assert invoke("--baseline", "missing.json").exit_code == 2


def test_apply_baseline_splits_and_counts_stale() -> None:
    done = {f.message: f for f in finalize([finding(message=m) for m in ("kept", "fixed",
                                                                         "fresh")])}
    kept, fixed, fresh = done["kept"], done["fixed"], done["fresh"]
    baseline = Baseline((BaselineEntry.of(kept), BaselineEntry.of(fixed)))
    match = apply_baseline([kept, fresh], baseline)
    assert match.new == [fresh] and match.baselined == [kept]
    assert [entry.message for entry in match.stale] == ["fixed"]
    assert apply_baseline([kept], baseline, lambda entry: entry.path != "app/views.py").stale == []


def test_in_files_uses_root_relative_paths() -> None:
    a, b = finding(path="a.py"), finding(path="b.py")
    assert in_files([a, b], {"b.py"}) == [b]


# --------------------------------------------------------------------------------------------
# diff parsing
# --------------------------------------------------------------------------------------------

DIFF = b"""\
diff --git a/app/views.py b/app/views.py
index 1111111..2222222 100644
--- a/app/views.py
+++ b/app/views.py
@@ -3,0 +4,2 @@ import logging
+x = 1
+y = 2
@@ -10 +12 @@ def audit(user):
-    old
+    new
@@ -20,3 +21,0 @@ def gone():
-a
-b
-c
diff --git a/old.py b/new name.py
similarity index 90%
rename from old.py
rename to new name.py
--- a/old.py
+++ b/new name.py\t
@@ -1 +1 @@
-a
+b
diff --git a/deleted.py b/deleted.py
deleted file mode 100644
--- a/deleted.py
+++ /dev/null
@@ -1,2 +0,0 @@
-a
-b
diff --git "a/\\303\\251t\\303\\251.py" "b/\\303\\251t\\303\\251.py"
--- "a/\\303\\251t\\303\\251.py"
+++ "b/\\303\\251t\\303\\251.py"
@@ -0,0 +1,3 @@
+a
+b
+c
diff --git a/only_moved.py b/elsewhere.py
similarity index 100%
rename from only_moved.py
rename to elsewhere.py
"""


def test_parse_diff() -> None:
    assert parse_diff(DIFF) == {
        "app/views.py": {4, 5, 12},
        "new name.py": {1},
        "\u00e9t\u00e9.py": {1, 2, 3},
    }


def test_changed_lines_overlap(tmp_path: Path) -> None:
    changed = ChangedLines()
    changed.add(str(tmp_path / "a.py"), [5, 6])
    changed.add(str(tmp_path / "new.py"), None)
    assert changed.touches(str(tmp_path / "a.py"), 5)
    assert changed.touches(str(tmp_path / "a.py"), 1, 5)
    assert changed.touches(str(tmp_path / "a.py"), 6, 400)
    assert not changed.touches(str(tmp_path / "a.py"), 7, 9)
    assert not changed.touches(str(tmp_path / "a.py"), 1, 4)
    assert changed.touches(str(tmp_path / "new.py"), 123)
    assert not changed.touches(str(tmp_path / "other.py"), 1)


# --------------------------------------------------------------------------------------------
# baselines end to end
# --------------------------------------------------------------------------------------------


def test_baseline_survives_moves_and_reindent_but_not_new_leaks(repo: Path) -> None:
    views = repo / "app" / "views.py"
    result = invoke("--write-baseline", ".pdlint-baseline.json")
    assert result.exit_code == 0, result.output
    assert "Wrote 1 finding to the baseline .pdlint-baseline.json." in result.stderr
    assert result.stdout == ""
    code, report = scan_json("--baseline", ".pdlint-baseline.json")
    assert (code, report["findings"]) == (0, [])
    assert report["summary"]["baselined"] == 1 and report["summary"]["stale_baseline"] == 0

    # Lines shifted (a docstring and imports above), the function moved below another one and
    # its body re-indented under a condition: still the same, baselined finding.
    moved = MOVED.format(channel="channel")
    views.write_text(moved)
    code, report = scan_json()
    assert located(report) == [("app/views.py", 16, "PDL201")]  # it is still found...
    code, report = scan_json("--baseline", ".pdlint-baseline.json")
    assert (code, report["findings"]) == (0, [])  # ...and still baselined
    assert report["summary"]["baselined"] == 1

    # Renaming a variable that the message does not name changes nothing either.
    views.write_text(MOVED.format(channel="medium"))
    code, report = scan_json("--baseline", ".pdlint-baseline.json")
    assert (code, report["findings"]) == (0, [])

    # A second, new occurrence of the same leak in the same function is new...
    views.write_text(views.read_text() + '    logger.info("again %s", user.email)\n')
    code, report = scan_json("--baseline", ".pdlint-baseline.json")
    assert code == 1 and len(report["findings"]) == 1
    assert report["findings"][0]["rule"] == "PDL201"
    assert report["summary"]["baselined"] == 1

    # ...and so is a leak in another function.
    views.write_text(views.read_text().replace('user.id)', 'user.phone_number)'))
    code, report = scan_json("--baseline", ".pdlint-baseline.json")
    assert code == 1 and len(report["findings"]) == 2
    assert {f["symbol"] for f in report["findings"]} == {"app.views.notify", "app.views.audit"}


def test_renaming_the_leaked_variable_makes_a_new_finding_and_a_stale_entry(repo: Path) -> None:
    """The message names the leaking expression, so renaming it is a different finding."""
    views = repo / "app" / "views.py"
    assert invoke("--write-baseline", "baseline.json").exit_code == 0
    views.write_text(VIEWS.replace("def notify(user):", "def notify(customer):")
                     .replace("user.email", "customer.email"))
    result = invoke("--baseline", "baseline.json")
    assert result.exit_code == 1
    assert "customer.email" in result.stdout
    assert "(1 stale baseline entry)" in result.stderr


def test_stale_entries_are_counted_and_rewriting_the_baseline_clears_them(repo: Path) -> None:
    views = repo / "app" / "views.py"
    views.write_text(VIEWS + '\n\ndef extra(user):\n    print(user.email)\n')
    assert invoke("--write-baseline", "baseline.json").exit_code == 0
    assert len(json.loads((repo / "baseline.json").read_text())["findings"]) == 2
    views.write_text(VIEWS.replace("user.email", "user.id"))  # both leaks fixed
    result = invoke("--baseline", "baseline.json")
    assert result.exit_code == 0
    assert result.stderr.strip() == "No findings in 2 files. (2 stale baseline entries)"
    assert invoke("--write-baseline", "baseline.json").exit_code == 0
    assert json.loads((repo / "baseline.json").read_text())["findings"] == []
    result = invoke("--baseline", "baseline.json")
    assert result.stderr.strip() == "No findings in 2 files."


def test_baseline_paths_are_root_relative(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A baseline written at the root matches when pdlint runs from a subdirectory."""
    assert invoke("--write-baseline", "baseline.json").exit_code == 0
    entry = json.loads((repo / "baseline.json").read_text())["findings"][0]
    assert entry["path"] == "app/views.py" and entry["symbol"] == "app.views.notify"
    monkeypatch.chdir(repo / "app")
    code, report = scan_json("--baseline", "../baseline.json", str(repo))
    assert (code, report["findings"]) == (0, [])
    # Scanning only part of the project cannot call entries elsewhere stale.
    (repo / "other").mkdir()
    (repo / "other" / "clean.py").write_text("x = 1\n")
    code, report = scan_json("--baseline", "../baseline.json", str(repo / "other"))
    assert report["summary"]["stale_baseline"] == 0
    # Nor can a scan with the rule switched off.
    code, report = scan_json("--baseline", "../baseline.json", "--ignore", "PDL201", str(repo))
    assert report["summary"]["stale_baseline"] == 0


def test_text_summary_shows_baselined(repo: Path) -> None:
    assert invoke("--write-baseline", "b.json").exit_code == 0
    result = invoke("--baseline", "b.json")
    assert result.stderr.strip() == "No findings in 2 files. (1 finding in the baseline not shown)"


def test_write_baseline_rejects_changed_since(repo: Path) -> None:
    result = invoke("--write-baseline", "b.json", "--changed-since", "main")
    assert result.exit_code == 2 and "cannot be combined" in result.stderr


# --------------------------------------------------------------------------------------------
# changed-lines mode end to end
# --------------------------------------------------------------------------------------------


def test_changed_since_reports_only_changed_lines(repo: Path) -> None:
    git(repo, "checkout", "-q", "-b", "feature")
    views = repo / "app" / "views.py"
    # A new leak in audit (committed on the branch), a line shift above the old leak.
    views.write_text("# header\n" + VIEWS.replace("user.id", "user.phone_number"))
    commit_all(repo, "leak phone")
    # main moves on after the branch point: it fixes the old leak and adds one of its own.
    # Compared with main itself, the old leak's line differs; compared with the merge base
    # (what --changed-since uses), this branch never touched it.
    git(repo, "checkout", "-q", "main")
    (repo / "app" / "views.py").write_text(VIEWS.replace("user.email", "user.id"))
    (repo / "app" / "mainline.py").write_text("def f(user):\n    print(user.email)\n")
    commit_all(repo, "main moves on")
    git(repo, "checkout", "-q", "feature")
    # Uncommitted and staged work counts too; untracked new files count entirely.
    (repo / "app" / "staged.py").write_text("def g(user):\n    print(user.email)\n")
    git(repo, "add", "app/staged.py")
    (repo / "app" / "untracked.py").write_text("def h(user):\n\n    print(user.email)\n")

    code, full = scan_json()
    assert len(full["findings"]) == 4
    code, report = scan_json("--changed-since", "main")
    assert code == 1
    assert located(report) == [
        ("app/staged.py", 2, "PDL201"),
        ("app/untracked.py", 3, "PDL201"),
        ("app/views.py", 13, "PDL201"),  # not the old leak, shifted to line 9
    ]
    # The findings kept are the full scan's, unchanged (same fingerprints).
    assert {f["fingerprint"] for f in report["findings"]} <= {
        f["fingerprint"] for f in full["findings"]}


def test_changed_since_summary_says_how_many_findings_were_left_out(repo: Path) -> None:
    git(repo, "checkout", "-q", "-b", "feature")
    (repo / "app" / "new.py").write_text("def g(user):\n    print(user.email)\n")
    result = invoke("--changed-since", "main")
    assert result.exit_code == 1 and "app/new.py" in result.stdout
    assert "app/views.py" not in result.stdout
    assert result.stderr.strip().endswith(
        "(1 finding outside the changed lines not shown)"), result.stderr
    code, report = scan_json("--changed-since", "main")
    assert report["summary"]["outside_changed_lines"] == 1


def test_changed_since_handles_renames_and_subdirectories(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    git(repo, "mv", "app/views.py", "app/pages.py")
    code, report = scan_json("--changed-since", "HEAD")
    assert (code, report["findings"]) == (0, [])  # moved, not changed
    pages = repo / "app" / "pages.py"
    pages.write_text(pages.read_text().replace("user.id", "user.email"))
    code, report = scan_json("--changed-since", "HEAD")
    assert located(report) == [("app/pages.py", 12, "PDL201")]
    # From a subdirectory, the whole project is analysed and paths stay cwd-relative.
    monkeypatch.chdir(repo / "app")
    code, report = scan_json("--changed-since", "HEAD")
    assert located(report) == [("pages.py", 12, "PDL201")]


def test_changed_since_with_a_nested_project(tmp_path: Path, git_env: None,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """The config root below the git top: diff paths are mapped through the top level."""
    top = tmp_path / "mono"
    project = top / "services" / "api"
    (project / "app").mkdir(parents=True)
    (project / "pdlint.toml").write_text("[tool.pdlint]\n")
    (project / "app" / "views.py").write_text(VIEWS)
    git(top, "init", "-q")
    commit_all(top, "initial")
    (project / "app" / "views.py").write_text(VIEWS.replace("user.id", "user.email"))
    monkeypatch.chdir(project)
    code, report = scan_json("--changed-since", "HEAD")
    assert located(report) == [("app/views.py", 12, "PDL201")]


def test_changed_since_errors(repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    result = invoke("--changed-since", "no-such-branch")
    assert result.exit_code == 2
    assert "unknown revision 'no-such-branch'" in result.stderr
    assert invoke("--changed-since", "--help-me").exit_code == 2
    elsewhere = tmp_path / "not-a-repo"
    elsewhere.mkdir()
    (elsewhere / "x.py").write_text("x = 1\n")
    monkeypatch.chdir(elsewhere)
    result = invoke("--changed-since", "main")
    assert result.exit_code == 2 and "is not inside a git repository" in result.stderr
    with pytest.raises(GateError, match="not inside a git repository"):
        changed_lines(elsewhere, "main")


def test_changed_since_without_a_merge_base_falls_back_to_a_plain_diff(repo: Path) -> None:
    git(repo, "checkout", "-q", "--orphan", "unrelated")
    git(repo, "rm", "-q", "-r", "--cached", ".")
    for path in (repo / "app").iterdir():
        path.unlink()
    (repo / "app" / "other.py").write_text("def k(user):\n    print(user.email)\n")
    commit_all(repo, "unrelated history")
    # no merge base between main and this branch: `git diff main` is used
    changed = changed_lines(repo, "main")
    assert changed.touches(str(repo / "app" / "other.py"), 2)


def test_changed_since_with_baseline_combines(repo: Path) -> None:
    assert invoke("--write-baseline", "b.json").exit_code == 0
    views = repo / "app" / "views.py"
    views.write_text(VIEWS.replace("sending %s to", "now sending %s to"))  # same finding
    code, report = scan_json("--changed-since", "HEAD", "--baseline", "b.json")
    assert (code, report["findings"]) == (0, [])
    assert report["summary"]["baselined"] == 1


# --------------------------------------------------------------------------------------------
# given files (pre-commit): the project is analysed, only these files are reported
# --------------------------------------------------------------------------------------------

HELPERS = """\
import logging

logger = logging.getLogger(__name__)


def log_address(address):
    logger.info("sending to %s", address)
"""

CALLER = """\
from app.helpers import log_address


def notify(user):
    log_address(user.email)
"""


@pytest.fixture
def cross(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A leak that only the whole project shows: the email comes from another module."""
    root = tmp_path / "cross"
    (root / "app").mkdir(parents=True)
    (root / ".git").mkdir()  # the project root
    (root / "pdlint.toml").write_text("[tool.pdlint]\n")  # found from subdirectories too
    (root / "app" / "__init__.py").write_text("")
    (root / "app" / "helpers.py").write_text(HELPERS)
    (root / "app" / "caller.py").write_text(CALLER)
    (root / "app" / "views.py").write_text(VIEWS)
    monkeypatch.chdir(root)
    monkeypatch.delenv("NO_COLOR", raising=False)
    return root


def test_given_files_are_analysed_with_their_project(cross: Path) -> None:
    code, full = scan_json()
    code, report = scan_json("app/helpers.py")
    assert code == 1
    assert report["findings"] == [f for f in full["findings"] if f["path"] == "app/helpers.py"]
    assert report["findings"][0]["message"].startswith("contact.email (user.email)")
    assert report["summary"]["files"] == 1
    # The caller itself has no finding: nothing is reported for it.
    code, report = scan_json("app/caller.py")
    assert (code, report["findings"], report["summary"]["files"]) == (0, [], 1)
    # Several files: exactly the full scan's findings in those files.
    code, report = scan_json("app/views.py", "app/helpers.py")
    assert report["findings"] == [f for f in full["findings"]
                                  if f["path"] in ("app/views.py", "app/helpers.py")]
    assert report["summary"]["files"] == 2


def test_given_files_with_absolute_paths_and_from_a_subdirectory(
    cross: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, report = scan_json(str(cross / "app" / "helpers.py"))
    assert located(report) == [("app/helpers.py", 7, "PDL201")]
    monkeypatch.chdir(cross / "app")
    code, report = scan_json("helpers.py")
    assert located(report) == [("helpers.py", 7, "PDL201")]


def test_given_files_and_directories_mixed(cross: Path) -> None:
    (cross / "lib").mkdir()
    (cross / "lib" / "more.py").write_text("def m(user):\n    print(user.email)\n")
    code, report = scan_json("lib", "app/helpers.py")
    assert sorted(located(report)) == [("app/helpers.py", 7, "PDL201"),
                                       ("lib/more.py", 2, "PDL201")]


def test_force_exclude_drops_excluded_given_files(cross: Path) -> None:
    (cross / "pdlint.toml").write_text('[tool.pdlint]\nextend-exclude = ["app/helpers.py"]\n')
    code, report = scan_json("--force-exclude", "app/helpers.py")
    assert (code, report["findings"], report["summary"]["files"]) == (0, [], 0)
    # Without --force-exclude an explicitly named file is scanned, as ruff does.
    code, report = scan_json("app/helpers.py")
    assert located(report) == [("app/helpers.py", 7, "PDL201")]


def test_given_files_outside_a_project_are_scanned_alone(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """No config file and no repository root: no project to analyse, just the files."""
    (tmp_path / "a.py").write_text(CALLER)
    (tmp_path / "b.py").write_text("def m(user):\n    print(user.email)\n")
    monkeypatch.chdir(tmp_path)
    code, report = scan_json("a.py")
    assert (report["findings"], report["summary"]["files"]) == ([], 1)


def test_given_files_with_baseline_count_stale_entries_project_wide(cross: Path) -> None:
    assert invoke("--write-baseline", "b.json").exit_code == 0
    (cross / "app" / "views.py").write_text(VIEWS.replace("user.email", "user.id"))
    code, report = scan_json("--baseline", "b.json", "app/helpers.py")
    assert (code, report["findings"]) == (0, [])
    assert report["summary"]["baselined"] == 1
    assert report["summary"]["stale_baseline"] == 1  # views.py's leak was fixed
