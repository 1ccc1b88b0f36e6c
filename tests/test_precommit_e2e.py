"""pre-commit end to end, with the configuration docs/ci.md tells users to write.

pre-commit clones the hook repository at ``rev`` and pip-installs it into its own virtualenv.
So that the test exercises the working tree (committed or not), it snapshots this checkout's
package files (pyproject.toml, README.md, .pre-commit-hooks.yaml, pdlint/) into a temporary
git repository. The ``.pre-commit-config.yaml`` of each test project is the snippet of
docs/ci.md, taken from the document's text, with its ``repo:``/``rev:`` placeholders replaced
by that local path and its commit: if the documented snippet stops working, so do
these tests.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

CHECKOUT = Path(__file__).resolve().parents[1]
HOOKS_FILE = CHECKOUT / ".pre-commit-hooks.yaml"
CI_DOC = CHECKOUT / "docs" / "ci.md"
# The placeholders of docs/ci.md's snippet, which a user replaces with their pdlint clone.
REPO_PLACEHOLDER = "<URL or path of your pdlint clone>"
REV_PLACEHOLDER = "<commit sha or tag>"

pytestmark = [
    pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed"),
    pytest.mark.skipif(importlib.util.find_spec("pre_commit") is None,
                       reason="pre-commit is not installed (pip install pre-commit)"),
    pytest.mark.skipif(not HOOKS_FILE.is_file(), reason=".pre-commit-hooks.yaml is missing"),
]

LEAKY = """\
import logging

logger = logging.getLogger(__name__)


def notify(user):
    logger.info("sending to %s", user.email)
"""

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


def _yaml_blocks() -> list[str]:
    text = CI_DOC.read_text(encoding="utf-8")
    return re.findall(r"^```yaml\n(.*?)^```$", text, re.MULTILINE | re.DOTALL)


def documented_config() -> str:
    """docs/ci.md's `.pre-commit-config.yaml` snippet, verbatim."""
    snippets = [block for block in _yaml_blocks() if block.startswith("# .pre-commit-config.yaml")]
    assert len(snippets) == 1, "docs/ci.md must show one .pre-commit-config.yaml snippet"
    return snippets[0]


def documented_baseline_hook() -> str:
    """docs/ci.md's hook entry that adopts the hook with a baseline (`args: [--baseline, …]`)."""
    entries = [block for block in _yaml_blocks()
               if block.lstrip().startswith("- id: pdlint") and "--baseline" in block]
    assert len(entries) == 1, "docs/ci.md must show one hook entry with --baseline"
    return entries[0]


def _config(repo: Path, rev: str, hook_id: str = "pdlint", hook_entry: str | None = None) -> str:
    """The documented snippet with its placeholders filled in (and the hook as documented)."""
    text = documented_config()
    assert REPO_PLACEHOLDER in text and REV_PLACEHOLDER in text, (
        "the snippet's placeholders changed: update REPO_PLACEHOLDER/REV_PLACEHOLDER")
    text = text.replace(REPO_PLACEHOLDER, repo.as_posix()).replace(REV_PLACEHOLDER, rev)
    if hook_id != "pdlint":  # "Use `id: pdlint-project` instead"
        assert "      - id: pdlint\n" in text
        text = text.replace("      - id: pdlint\n", f"      - id: {hook_id}\n")
    if hook_entry is not None:  # replaces the hooks: list of the snippet
        head = text[:text.index("    hooks:\n") + len("    hooks:\n")]
        text = head + textwrap.indent(textwrap.dedent(hook_entry), " " * 6)
    return text


def _hook_ids() -> list[str]:
    return re.findall(r"^- id: (\S+)$", HOOKS_FILE.read_text(encoding="utf-8"), re.MULTILINE)


def _env(home: Path) -> dict[str, str]:
    env = {
        key: value for key, value in os.environ.items()
        if not key.startswith(("GIT_", "PRE_COMMIT")) and key != "NO_COLOR"
    }
    env.update({
        "GIT_AUTHOR_NAME": "pdlint tests", "GIT_AUTHOR_EMAIL": "tests@pdlint.invalid",
        "GIT_COMMITTER_NAME": "pdlint tests", "GIT_COMMITTER_EMAIL": "tests@pdlint.invalid",
        "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
        "PRE_COMMIT_HOME": str(home), "PRE_COMMIT_COLOR": "never", "NO_COLOR": "1",
    })
    return env


def _git(repo: Path, env: dict[str, str], *args: str) -> str:
    return subprocess.run(["git", "-c", "commit.gpgsign=false", *args], cwd=repo, env=env,
                          capture_output=True, text=True, check=True).stdout.strip()


def _commit(repo: Path, env: dict[str, str], message: str) -> str:
    _git(repo, env, "add", "-A")
    _git(repo, env, "commit", "-q", "--allow-empty", "-m", message)
    return _git(repo, env, "rev-parse", "HEAD")


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, dict[str, str]]:
    """A git snapshot of this checkout's package, plus a PRE_COMMIT_HOME shared by the tests."""
    base = tmp_path_factory.mktemp("precommit")
    env = _env(base / "pre-commit-home")
    snapshot = base / "pdlint-hook"
    snapshot.mkdir()
    for name in ("pyproject.toml", "README.md", ".pre-commit-hooks.yaml"):
        if (CHECKOUT / name).is_file():
            shutil.copy2(CHECKOUT / name, snapshot / name)
    shutil.copytree(CHECKOUT / "pdlint", snapshot / "pdlint",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info"))
    _git(snapshot, env, "init", "-q")
    return snapshot, _commit(snapshot, env, "snapshot"), env


def _project(base: Path, hook: tuple[Path, str, dict[str, str]], hook_id: str,
             files: dict[str, str], *, hook_entry: str | None = None) -> Path:
    snapshot, commit, env = hook
    project = base / "project"
    for rel, text in {"app/__init__.py": "", **files}.items():
        (project / rel).parent.mkdir(parents=True, exist_ok=True)
        (project / rel).write_text(text)
    (project / ".pre-commit-config.yaml").write_text(
        _config(snapshot, commit, hook_id, hook_entry))
    _git(project, env, "init", "-q")
    _commit(project, env, "initial")
    return project


def _pre_commit(project: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run([sys.executable, "-m", "pre_commit", "run", "--color", "never", *args],
                          cwd=project, env=env, capture_output=True, text=True, timeout=900)
    output = proc.stdout + proc.stderr
    if proc.returncode == 3 or "An unexpected error has occurred" in output:
        if any(hint in output for hint in ("Could not find a version", "No matching distribution",
                                           "Failed to establish a new connection")):
            pytest.skip(f"pre-commit could not install the hook's dependencies:\n{output}")
        pytest.fail(f"pre-commit failed to run:\n{output}")
    return proc


def test_hook_fails_on_a_logged_email_and_passes_after_the_fix(
    tmp_path: Path, hook_repo: tuple[Path, str, dict[str, str]]
) -> None:
    env = hook_repo[2]
    project = _project(tmp_path, hook_repo, "pdlint", {"app/views.py": LEAKY})

    failed = _pre_commit(project, env, "--all-files")
    assert failed.returncode != 0, failed.stdout
    assert "PDL201" in failed.stdout and "app/views.py" in failed.stdout
    assert "user.email" in failed.stdout

    (project / "app" / "views.py").write_text(LEAKY.replace("user.email", "user.id"))
    _git(project, env, "add", "-A")
    passed = _pre_commit(project, env)  # the staged files, as `git commit` would run it
    assert passed.returncode == 0, passed.stdout
    assert "Passed" in passed.stdout and "PDL201" not in passed.stdout
    # The facts cache the hook wrote is ignored by git: the hook leaves the tree clean.
    assert (project / ".pdlint_cache").is_dir()
    assert _git(project, env, "status", "--porcelain") == "M  app/views.py"


def test_hook_reports_project_level_findings_for_the_staged_file(
    tmp_path: Path, hook_repo: tuple[Path, str, dict[str, str]]
) -> None:
    """Only helpers.py is passed, but the email reaching it comes from caller.py."""
    env = hook_repo[2]
    project = _project(tmp_path, hook_repo, "pdlint",
                       {"app/helpers.py": HELPERS, "app/caller.py": CALLER})
    only_helpers = _pre_commit(project, env, "--files", "app/helpers.py")
    assert only_helpers.returncode != 0, only_helpers.stdout
    assert "PDL201" in only_helpers.stdout and "app.views" not in only_helpers.stdout
    assert "from app.caller.notify" in only_helpers.stdout
    only_caller = _pre_commit(project, env, "--files", "app/caller.py")
    assert only_caller.returncode == 0, only_caller.stdout


def test_project_hook_scans_everything(
    tmp_path: Path, hook_repo: tuple[Path, str, dict[str, str]]
) -> None:
    env = hook_repo[2]
    project = _project(tmp_path, hook_repo, "pdlint-project", {"app/views.py": LEAKY})
    (project / "README.txt").write_text("docs\n")
    _git(project, env, "add", "README.txt")
    proc = _pre_commit(project, env)  # only a non-Python file staged: still runs
    assert proc.returncode != 0 and "PDL201" in proc.stdout


def test_documented_snippet_names_the_shipped_hooks() -> None:
    """docs/ci.md's snippet and hook table use the ids that .pre-commit-hooks.yaml defines."""
    import yaml

    hooks = yaml.safe_load(HOOKS_FILE.read_text(encoding="utf-8"))
    assert [hook["id"] for hook in hooks] == _hook_ids() == ["pdlint", "pdlint-project"]
    config = yaml.safe_load(_config(Path("/hook"), "1a2b3c4d" * 5))
    assert config["repos"][0]["repo"] == "/hook" and config["repos"][0]["rev"] == "1a2b3c4d" * 5
    assert [hook["id"] for hook in config["repos"][0]["hooks"]] == ["pdlint"]
    assert yaml.safe_load(textwrap.dedent(documented_baseline_hook()))[0]["id"] in _hook_ids()
    table = re.findall(r"^\| `([a-z-]+)` \| `pdlint scan", CI_DOC.read_text(encoding="utf-8"),
                       re.MULTILINE)
    assert table == _hook_ids()
    for hook in hooks:  # the table says what each hook runs
        assert f"| `{hook['id']}` | `{hook['entry']}" in CI_DOC.read_text(encoding="utf-8")
    # the example in the hooks file's own header is the documented one
    header = HOOKS_FILE.read_text(encoding="utf-8")
    assert f"repo: {REPO_PLACEHOLDER}" in header and f"rev: {REV_PLACEHOLDER}" in header


def test_documented_baseline_adoption(
    tmp_path: Path, hook_repo: tuple[Path, str, dict[str, str]]
) -> None:
    """The hook entry with `args: [--baseline, …]` as documented: old findings pass, new fail."""
    env = hook_repo[2]
    project = _project(tmp_path, hook_repo, "pdlint", {"app/views.py": LEAKY},
                       hook_entry=documented_baseline_hook())
    assert "--baseline" in (project / ".pre-commit-config.yaml").read_text()
    # `pdlint scan --write-baseline .pdlint-baseline.json`, as docs/ci.md says, once
    written = subprocess.run([sys.executable, "-m", "pdlint", "scan", "--write-baseline",
                              ".pdlint-baseline.json"], cwd=project, env=env,
                             capture_output=True, text=True)
    assert written.returncode == 0, written.stderr
    _commit(project, env, "baseline")
    known = _pre_commit(project, env, "--all-files")
    assert known.returncode == 0, known.stdout

    (project / "app" / "signup.py").write_text(LEAKY.replace("notify", "welcome"))
    _git(project, env, "add", "-A")
    new = _pre_commit(project, env)
    assert new.returncode != 0, new.stdout
    assert "PDL201" in new.stdout and "app/signup.py" in new.stdout
    assert "app/views.py" not in new.stdout
