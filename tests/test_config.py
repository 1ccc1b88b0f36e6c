"""Tests for pdlint.config: discovery, strict validation, ruff selection semantics."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pdlint.config import (
    DEFAULT_EXCLUDES,
    DEFAULT_TEST_PATHS,
    Config,
    ConfigError,
    apply_overrides,
    find_config_file,
    load_config,
)

KNOWN: dict[str, str] = {
    "PDL001": "parse-error",
    "PDL102": "malformed-tag",
    "PDL103": "unknown-category",
    "PDL105": "untagged-pii-field",
    "PDL107": "special-category-without-condition",
    "PDL201": "pii-in-log",
    "PDL901": "unused-suppression",
}
BUILTIN_CATEGORIES = {"contact", "contact.email", "contact.phone", "identity.name"}


def category_known(key: str) -> bool:
    return key in BUILTIN_CATEGORIES


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def load(tmp_path: Path, body: str, name: str = "pyproject.toml") -> Config:
    header = "" if name != "pyproject.toml" and not body.strip() else "[tool.pdlint]\n"
    write(tmp_path / name, header + body)
    return load_config(tmp_path, known_rules=KNOWN, category_known=category_known)


def error_for(tmp_path: Path, body: str, name: str = "pyproject.toml") -> str:
    with pytest.raises(ConfigError) as info:
        load(tmp_path, body, name)
    return str(info.value)


@pytest.fixture(autouse=True)
def _cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Messages show paths relative to the cwd; run every test from tmp_path."""
    monkeypatch.chdir(tmp_path)


# --------------------------------------------------------------------------------------------
# find_config_file
# --------------------------------------------------------------------------------------------


class TestFindConfigFile:
    def test_walks_up_to_parent(self, tmp_path: Path) -> None:
        cfg = write(tmp_path / "proj" / "pyproject.toml", "[tool.pdlint]\n")
        start = tmp_path / "proj" / "src" / "pkg"
        start.mkdir(parents=True)
        assert find_config_file(start) == cfg

    def test_start_may_be_a_file(self, tmp_path: Path) -> None:
        cfg = write(tmp_path / "pdlint.toml", "")
        module = write(tmp_path / "pkg" / "mod.py", "")
        assert find_config_file(module) == cfg

    def test_priority_within_a_directory(self, tmp_path: Path) -> None:
        write(tmp_path / "pyproject.toml", "[tool.pdlint]\n")
        assert find_config_file(tmp_path) == tmp_path / "pyproject.toml"
        write(tmp_path / "pdlint.toml", "")
        assert find_config_file(tmp_path) == tmp_path / "pdlint.toml"
        write(tmp_path / ".pdlint.toml", "")
        assert find_config_file(tmp_path) == tmp_path / ".pdlint.toml"

    def test_closest_file_wins(self, tmp_path: Path) -> None:
        write(tmp_path / "pyproject.toml", "[tool.pdlint]\n")
        nested = write(tmp_path / "sub" / "pdlint.toml", "")
        assert find_config_file(tmp_path / "sub") == nested

    def test_pyproject_without_table_is_skipped(self, tmp_path: Path) -> None:
        outer = write(tmp_path / "pyproject.toml", "[tool.pdlint]\nselect = ['PDL1']\n")
        write(tmp_path / "sub" / "pyproject.toml", "[project]\nname = 'x'\n[tool.ruff]\n")
        assert find_config_file(tmp_path / "sub") == outer

    def test_pyproject_mentioning_pdlint_elsewhere_is_skipped(self, tmp_path: Path) -> None:
        write(tmp_path / "pyproject.toml", "[project]\nname = 'pdlint-plugin'\n")
        (tmp_path / ".git").mkdir()
        assert find_config_file(tmp_path) is None

    @pytest.mark.parametrize("marker", [".git", ".hg"])
    def test_stops_at_vcs_root(self, tmp_path: Path, marker: str) -> None:
        write(tmp_path / "pdlint.toml", "")  # a parent project's config: must not leak in
        repo = tmp_path / "checkout"
        (repo / marker).mkdir(parents=True)
        (repo / "src").mkdir()
        assert find_config_file(repo / "src") is None

    def test_git_file_marks_a_root_too(self, tmp_path: Path) -> None:
        write(tmp_path / "pdlint.toml", "")
        write(tmp_path / "worktree" / ".git", "gitdir: /elsewhere\n")
        assert find_config_file(tmp_path / "worktree") is None

    def test_config_next_to_vcs_marker_is_found(self, tmp_path: Path) -> None:
        (tmp_path / ".git").mkdir()
        cfg = write(tmp_path / "pyproject.toml", "[tool.pdlint]\n")
        (tmp_path / "a" / "b").mkdir(parents=True)
        assert find_config_file(tmp_path / "a" / "b") == cfg

    def test_broken_pyproject_with_pdlint_table_is_an_error(self, tmp_path: Path) -> None:
        write(tmp_path / "pyproject.toml", "[tool.pdlint]\nselect = [\n")
        with pytest.raises(
            ConfigError, match=r"^pyproject\.toml: invalid TOML at end of file \(line 2\): "
        ):
            find_config_file(tmp_path)

    def test_broken_unrelated_pyproject_is_skipped(self, tmp_path: Path) -> None:
        (tmp_path / ".git").mkdir()
        write(tmp_path / "sub" / "pyproject.toml", "[project\nname = {{ cookiecutter }}\n")
        assert find_config_file(tmp_path / "sub") is None


    def test_bom_is_stripped(self, tmp_path: Path) -> None:
        (tmp_path / "pyproject.toml").write_bytes(b"\xef\xbb\xbf[tool.pdlint]\nfail-on = 'never'\n")
        assert find_config_file(tmp_path) == tmp_path / "pyproject.toml"
        config = load_config(tmp_path, known_rules=KNOWN)
        assert config.fail_on == "never"

    def test_deep_nesting_is_a_config_error(self, tmp_path: Path) -> None:
        write(tmp_path / "pyproject.toml", "[tool.pdlint]\nx = " + "[" * 5000 + "]" * 5000)
        with pytest.raises(ConfigError, match=r"^pyproject\.toml: too deeply nested"):
            find_config_file(tmp_path)

    def test_directory_is_skipped_with_a_warning(self, tmp_path: Path) -> None:
        outer = write(tmp_path / "pdlint.toml", "[tool.pdlint]\n")
        (tmp_path / "sub" / "pyproject.toml").mkdir(parents=True)
        (tmp_path / "sub" / ".pdlint.toml").mkdir()
        warnings: list[str] = []
        assert find_config_file(tmp_path / "sub", warnings) == outer
        assert warnings == [
            "sub/.pdlint.toml is a directory, not a file; ignored",
            "sub/pyproject.toml is a directory, not a file; ignored",
        ]
        assert find_config_file(tmp_path / "sub") == outer  # warnings are optional

    def test_load_config_hands_the_warnings_over(self, tmp_path: Path) -> None:
        (tmp_path / ".git").mkdir()
        (tmp_path / "pdlint.toml").mkdir()
        config = load_config(tmp_path, known_rules=KNOWN)
        assert config.config_file is None
        assert config.warnings == ("pdlint.toml is a directory, not a file; ignored",)
        assert config == Config(root=tmp_path, config_file=None)  # not part of equality

    def test_broken_link_is_skipped_with_a_warning(self, tmp_path: Path) -> None:
        (tmp_path / ".git").mkdir()
        (tmp_path / "pdlint.toml").symlink_to("elsewhere.toml")
        warnings: list[str] = []
        assert find_config_file(tmp_path, warnings) is None
        assert warnings == ["pdlint.toml is a broken symbolic link; ignored"]


# --------------------------------------------------------------------------------------------
# load_config
# --------------------------------------------------------------------------------------------


class TestLoadConfig:
    def test_defaults_without_config(self, tmp_path: Path) -> None:
        (tmp_path / ".git").mkdir()
        config = load_config(tmp_path, known_rules=KNOWN)
        assert config == Config(root=tmp_path, config_file=None)
        assert config.select == ("ALL",)
        assert config.exclude == DEFAULT_EXCLUDES
        assert config.test_paths == DEFAULT_TEST_PATHS
        assert config.respect_gitignore and not config.force_exclude
        assert config.fail_on == "info"

    def test_root_is_the_config_directory(self, tmp_path: Path) -> None:
        write(tmp_path / "pyproject.toml", "[tool.pdlint]\n")
        (tmp_path / "src").mkdir()
        config = load_config(tmp_path / "src", known_rules=KNOWN)
        assert config.root == tmp_path
        assert config.config_file == tmp_path / "pyproject.toml"
        assert config.root.is_absolute()

    def test_every_key(self, tmp_path: Path) -> None:
        config = load(
            tmp_path,
            """
select = ["PDL1", "pii-in-log"]
extend-select = ["PDL901"]
ignore = ["PDL103"]
exclude = ["vendor"]
extend-exclude = ["*_pb2.py"]
force-exclude = true
respect-gitignore = false
test-paths = ["qa/"]
ignore-pii-names = ["username_field"]
sanitizers = ["myapp.privacy.*", "mask_*"]
fail-on = "warning"

[tool.pdlint.per-file-ignores]
"tests/*" = ["PDL2"]
"__init__.py" = ["untagged-pii-field", "PDL107"]

[tool.pdlint.severity]
"pii-in-log" = "error"
PDL105 = "info"

[tool.pdlint.categories]
"hr.badge_id" = "Employee badge number"

[tool.pdlint.extend-pii-names]
badge_no = "hr.badge_id"
mobile = "contact.phone"
""",
        )
        assert config.select == ("PDL1", "pii-in-log")
        assert config.extend_select == ("PDL901",)
        assert config.ignore == ("PDL103",)
        assert config.exclude == ("vendor",)
        assert config.extend_exclude == ("*_pb2.py",)
        assert config.force_exclude is True
        assert config.respect_gitignore is False
        assert config.test_paths == ("qa/",)
        assert config.ignore_pii_names == ("username_field",)
        assert config.sanitizers == ("myapp.privacy.*", "mask_*")
        assert config.fail_on == "warning"
        assert config.per_file_ignores == (
            ("tests/*", ("PDL2",)),
            ("__init__.py", ("untagged-pii-field", "PDL107")),
        )
        assert config.severity == (("PDL105", "info"), ("PDL201", "error"))
        assert config.categories == (("hr.badge_id", "Employee badge number", "", ""),)
        assert config.extend_pii_names == (("badge_no", "hr.badge_id"), ("mobile", "contact.phone"))

    @pytest.mark.parametrize("name", [".pdlint.toml", "pdlint.toml"])
    def test_dedicated_files_use_the_same_table(self, tmp_path: Path, name: str) -> None:
        config = load(tmp_path, 'select = ["PDL2"]\n', name=name)
        assert config.select == ("PDL2",)
        assert config.config_file == tmp_path / name

    def test_empty_dedicated_file_gives_defaults(self, tmp_path: Path) -> None:
        config = load(tmp_path, "", name="pdlint.toml")
        assert config.config_file == tmp_path / "pdlint.toml"
        assert config.select == ("ALL",)

    def test_dedicated_file_rejects_top_level_keys(self, tmp_path: Path) -> None:
        write(tmp_path / "pdlint.toml", 'select = ["PDL1"]\n')
        with pytest.raises(ConfigError) as info:
            load_config(tmp_path, known_rules=KNOWN)
        assert str(info.value) == (
            "pdlint.toml: unexpected top-level key 'select': settings go under "
            "[tool.pdlint], as in pyproject.toml"
        )

    def test_dedicated_file_rejects_other_tools(self, tmp_path: Path) -> None:
        write(tmp_path / ".pdlint.toml", "[tool.ruff]\nline-length = 1\n")
        with pytest.raises(ConfigError, match=r"unexpected table \[tool\.ruff\]"):
            load_config(tmp_path, known_rules=KNOWN)

    def test_table_must_be_a_table(self, tmp_path: Path) -> None:
        write(tmp_path / "pyproject.toml", "[tool]\npdlint = 3\n")
        with pytest.raises(ConfigError, match=r"\[tool\.pdlint\] must be a table, got int"):
            load_config(tmp_path, known_rules=KNOWN)

    def test_explicit_overrides_discovery(self, tmp_path: Path) -> None:
        write(tmp_path / "pyproject.toml", '[tool.pdlint]\nselect = ["PDL1"]\n')
        other = write(tmp_path / "ci" / "strict.toml", '[tool.pdlint]\nselect = ["PDL2"]\n')
        config = load_config(tmp_path, Path("ci/strict.toml"), known_rules=KNOWN)
        assert config.select == ("PDL2",)
        assert config.config_file == other
        assert config.root == tmp_path / "ci"

    def test_explicit_pyproject_without_table_gives_defaults(self, tmp_path: Path) -> None:
        cfg = write(tmp_path / "pyproject.toml", "[project]\nname = 'x'\n")
        config = load_config(tmp_path, cfg, known_rules=KNOWN)
        assert config.config_file == cfg
        assert config.select == ("ALL",)

    def test_explicit_missing_file(self, tmp_path: Path) -> None:
        with pytest.raises(ConfigError, match=r"^nope\.toml: config file not found"):
            load_config(tmp_path, Path("nope.toml"), known_rules=KNOWN)

    def test_explicit_directory(self, tmp_path: Path) -> None:
        (tmp_path / "conf").mkdir()
        with pytest.raises(ConfigError, match="expects a file"):
            load_config(tmp_path, Path("conf"), known_rules=KNOWN)

    def test_explicit_symlink_loop(self, tmp_path: Path) -> None:
        (tmp_path / "a.toml").symlink_to("b.toml")
        (tmp_path / "b.toml").symlink_to("a.toml")
        with pytest.raises(ConfigError) as info:
            load_config(tmp_path, Path("a.toml"), known_rules=KNOWN)
        assert str(info.value) == "a.toml: config file is a symbolic link loop (given with --config)"

    def test_explicit_invalid_toml(self, tmp_path: Path) -> None:
        write(tmp_path / "x.toml", "[tool.pdlint]\nselect = ]\n")
        with pytest.raises(ConfigError, match=r"^x\.toml: invalid TOML at line 2, column \d+: "):
            load_config(tmp_path, Path("x.toml"), known_rules=KNOWN)

    def test_explicit_not_utf8(self, tmp_path: Path) -> None:
        (tmp_path / "x.toml").write_bytes(b"[tool.pdlint]\nselect = ['\xff']\n")
        with pytest.raises(ConfigError, match="not valid UTF-8"):
            load_config(tmp_path, Path("x.toml"), known_rules=KNOWN)

    def test_syntax_error_in_pyproject_names_file_and_line(self, tmp_path: Path) -> None:
        message = error_for(tmp_path, 'select = ["PDL1"]\nignore = [PDL2]\n')
        assert message.startswith("pyproject.toml: invalid TOML at line 3, column ")

    def test_error_outside_cwd_shows_absolute_path(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        write(tmp_path / "proj" / "pyproject.toml", "[tool.pdlint]\nselct = []\n")
        (tmp_path / "elsewhere").mkdir()
        monkeypatch.chdir(tmp_path / "elsewhere")
        with pytest.raises(ConfigError) as info:
            load_config(tmp_path / "proj", known_rules=KNOWN)
        assert str(info.value).startswith(str(tmp_path / "proj" / "pyproject.toml") + ": ")

    def test_config_is_picklable(self, tmp_path: Path) -> None:
        config = load(tmp_path, 'select = ["PDL1"]\n')
        assert pickle.loads(pickle.dumps(config)) == config

    def test_custom_category_accepted_for_extend_pii_names(self, tmp_path: Path) -> None:
        config = load(
            tmp_path,
            '[tool.pdlint.extend-pii-names]\nbadge = "hr.badge"\n'
            '[tool.pdlint.categories]\n"hr.badge" = "Badge"\n',
        )
        assert config.extend_pii_names == (("badge", "hr.badge"),)


# Every validation error: (body, exact message or substrings).
VALIDATION_ERRORS: list[tuple[str, str]] = [
    (
        'selct = ["ALL"]',
        "pyproject.toml: unknown key 'selct' in [tool.pdlint] (did you mean 'select'?)",
    ),
    (
        "extend_select = []",
        "pyproject.toml: unknown key 'extend_select' in [tool.pdlint] "
        "(did you mean 'extend-select'? keys are kebab-case)",
    ),
    ("extend-ignore = []", "use 'ignore'"),
    ("[tool.pdlint.lint]\nselect = []", "no 'lint' sub-table"),
    ("frobnicate = 1", "pyproject.toml: unknown key 'frobnicate' in [tool.pdlint]"),
    ("select = 5", "pyproject.toml: 'select' must be a list of strings, got int"),
    (
        'select = "PDL1"',
        "pyproject.toml: 'select' must be a list of strings, got string "
        '(write select = ["PDL1"])',
    ),
    (
        'ignore = ["PDL1", 3]',
        "pyproject.toml: 'ignore' must be a list of strings, but item 2 is int (3)",
    ),
    ('extend-select = [""]', "'extend-select' contains an empty string (item 1)"),
    (
        'select = ["PDL999"]',
        "pyproject.toml: unknown rule selector 'PDL999' in 'select' (did you mean 'PDL901'?)",
    ),
    (
        'ignore = ["pii_in_log"]',
        "unknown rule selector 'pii_in_log' in 'ignore' (did you mean 'pii-in-log'?)",
    ),
    (
        'extend-select = ["pdl1"]',
        "unknown rule selector 'pdl1' in 'extend-select' (did you mean 'PDL1'?)",
    ),
    ('select = ["PDL4"]', "unknown rule selector 'PDL4' in 'select'"),
    ('select = ["untaged-pii-field"]', "(did you mean 'untagged-pii-field'?)"),
    ('select = ["all"]', "(did you mean 'ALL'?)"),
    (
        '[tool.pdlint.per-file-ignores]\n"tests/*" = ["PDL99"]',
        "unknown rule selector 'PDL99' in 'per-file-ignores' entry 'tests/*'",
    ),
    (
        '[tool.pdlint.per-file-ignores]\n"tests/*" = "PDL201"',
        "'per-file-ignores' entry 'tests/*' must be a list of rule selectors, got string",
    ),
    ('per-file-ignores = ["tests/*"]', "'per-file-ignores' must be a table, got list"),
    (
        '[tool.pdlint.per-file-ignores]\n"tests/*" = ["PDL2", 1]',
        "'per-file-ignores' entry 'tests/*' must be a list of strings, but item 2 is int",
    ),
    (
        '[tool.pdlint.severity]\nPDL999 = "error"',
        "pyproject.toml: unknown rule 'PDL999' in 'severity' (did you mean 'PDL901'?)",
    ),
    (
        '[tool.pdlint.severity]\nPDL105 = "warn"',
        "pyproject.toml: 'severity' of 'PDL105' must be one of 'error', 'warning', 'info', "
        "got 'warn' (did you mean 'warning'?)",
    ),
    ("[tool.pdlint.severity]\nPDL105 = 1", "'severity' of 'PDL105' must be one of"),
    (
        '[tool.pdlint.severity]\nPDL105 = "error"\nuntagged-pii-field = "info"',
        "'severity' of PDL105 is given twice",
    ),
    (
        'fail-on = "errors"',
        "pyproject.toml: 'fail-on' must be one of 'error', 'warning', 'info', 'never', "
        "got 'errors' (did you mean 'error'?)",
    ),
    ('fail-on = "WARNING"', "(did you mean 'warning'?)"),
    ("fail-on = 1", "'fail-on' must be one of 'error', 'warning', 'info', 'never', got int"),
    ('force-exclude = "yes"', "'force-exclude' must be true or false, got string ('yes')"),
    ("respect-gitignore = 0", "'respect-gitignore' must be true or false, got int"),
    (
        '[tool.pdlint.categories]\n"HR.Badge" = "x"',
        "invalid category key 'HR.Badge' in 'categories': keys are lower-case dotted paths "
        "such as 'hr.badge_id' (did you mean 'hr.badge'?)",
    ),
    ('[tool.pdlint.categories]\n"hr..badge" = "x"', "invalid category key 'hr..badge'"),
    (
        '[tool.pdlint.categories]\n"hr.badge" = 1',
        "'categories' entry 'hr.badge' must be a description string or a table with description/fides/severity, got int",
    ),
    (
        '[tool.pdlint.categories]\n"hr.badge" = "x"\n'
        '[tool.pdlint.extend-pii-names]\nbadge_no = "hr.badg"',
        "'extend-pii-names' maps 'badge_no' to unknown category 'hr.badg' "
        "(did you mean 'hr.badge'?); use a built-in category or declare it under "
        "[tool.pdlint.categories]",
    ),
    ('[tool.pdlint.extend-pii-names]\nbadge = "hr.badge"', "unknown category 'hr.badge'"),
    (
        '[tool.pdlint.extend-pii-names]\n"badge-no" = "contact.email"',
        "'badge-no' in 'extend-pii-names' is not a Python identifier",
    ),
    ("[tool.pdlint.extend-pii-names]\nbadge = 1", "must be a category key string, got int"),
    ('[tool.pdlint.extend-pii-names]\nbadge = "Contact"', "invalid category key 'Contact'"),
    ('ignore-pii-names = ["not valid"]', "'not valid' in 'ignore-pii-names' is not a Python"),
    ('sanitizers = ["my app.mask"]', "'my app.mask' in 'sanitizers' is not a function name"),
    ('sanitizers = ["myapp..mask"]', "is not a function name or dotted path"),
    ('exclude = ["!"]', "invalid pattern '!' in 'exclude'"),
    ('extend-exclude = [""]', "'extend-exclude' contains an empty string"),
    ("test-paths = [1]", "'test-paths' must be a list of strings, but item 1 is int"),
    ('[tool.pdlint.per-file-ignores]\n"!" = ["PDL1"]', "invalid pattern '!'"),
]


@pytest.mark.parametrize(("body", "expected"), VALIDATION_ERRORS)
def test_validation_errors(tmp_path: Path, body: str, expected: str) -> None:
    message = error_for(tmp_path, body + "\n")
    assert expected in message
    assert message.startswith("pyproject.toml: ")
    assert "\n" not in message  # one line, printed before exit 2



@pytest.mark.parametrize(("body", "shown"), [
    ('"k' + "e" * 100_000 + '" = 1', "unknown key 'keeee"),
    ('select = ["' + "P" * 100_000 + '"]', "unknown rule selector 'PPPP"),
    ('fail-on = "' + "w" * 100_000 + '"', "got 'wwww"),
    ('force-exclude = "' + "y" * 100_000 + '"', "got string ('yyyy"),
    ('sanitizers = ["' + "a b" * 50_000 + '"]', "'a ba b"),
    ("exclude = ['" + "a" * 100_000 + "\\']", "invalid pattern 'aaaa"),
    ('ignore-pii-names = ["' + "-" * 100_000 + '"]', "'-----"),
    ('[tool.pdlint.categories]\n"' + "X" * 100_000 + '" = "x"', "invalid category key 'XXXX"),
    ('[tool.pdlint.per-file-ignores]\n"' + "t" * 100_000 + '" = ["PDL99"]', "entry 'tttt"),
    ('[tool.pdlint.severity]\n"' + "R" * 100_000 + '" = "error"', "unknown rule 'RRRR"),
    ('[tool.pdlint.extend-pii-names]\nbadge = "' + "h" * 100_000 + '"', "category 'hhhh"),
    ('"sel\\u001bect" = 1', "unknown key 'sel\\x1bect'"),
    ('"\\u001b" = 1', "unknown key '\\x1b'"),
    ('select = ["PDL\\n1"]', "unknown rule selector 'PDL\\n1'"),
])
def test_echoed_values_are_short_and_escaped(tmp_path: Path, body: str, shown: str) -> None:
    message = error_for(tmp_path, body + "\n")
    assert shown in message
    assert len(message) < 300
    assert message.isprintable()


def test_dedicated_file_echoes_a_short_stray_key(tmp_path: Path) -> None:
    write(tmp_path / "pdlint.toml", "z" * 100_000 + " = 1\n")
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path, known_rules=KNOWN)
    message = str(info.value)
    assert message.startswith("pdlint.toml: unexpected top-level key 'zzz") and len(message) < 300


def test_cli_values_are_short_and_escaped() -> None:
    base = Config(root=Path("."), config_file=None, known_rules=tuple(sorted(KNOWN.items())))
    with pytest.raises(ConfigError) as info:
        apply_overrides(base, select="\x1b" + "Q" * 100_000)
    assert str(info.value).startswith("unknown rule selector '\\x1bQQQ")
    assert len(str(info.value)) < 300


@given(st.text(max_size=400))
def test_shorten_is_bounded_and_printable(text: str) -> None:
    from pdlint.config import _shorten

    shown = _shorten(text)
    assert shown.isprintable()
    assert len(shown) <= 80 + len(f"… ({len(text)} characters)")
    if text.isprintable() and len(text) <= 80:
        assert shown == text

# --------------------------------------------------------------------------------------------
# Selection semantics
# --------------------------------------------------------------------------------------------


def cfg(**kwargs: object) -> Config:
    return Config(root=Path("/r"), config_file=None, **kwargs)  # type: ignore[arg-type]


ALL_CODES = frozenset(KNOWN)


class TestEnabledRules:
    @pytest.mark.parametrize(
        ("kwargs", "expected"),
        [
            ({}, ALL_CODES),
            ({"select": ("ALL",)}, ALL_CODES),
            ({"select": ("PDL",)}, ALL_CODES),
            ({"select": ("PDL1",)}, {"PDL102", "PDL103", "PDL105", "PDL107"}),
            ({"select": ("PDL10",)}, {"PDL102", "PDL103", "PDL105", "PDL107"}),
            ({"select": ("PDL0",)}, {"PDL001"}),
            ({"select": ("pii-in-log", "PDL901")}, {"PDL201", "PDL901"}),
            ({"select": ("PDL2",), "extend_select": ("PDL105",)}, {"PDL201", "PDL105"}),
            ({"select": ("PDL1",), "ignore": ("PDL103", "PDL107")}, {"PDL102", "PDL105"}),
            ({"ignore": ("PDL1",)}, {"PDL001", "PDL201", "PDL901"}),
            ({"ignore": ("ALL",)}, set()),
            ({"select": (), "extend_select": ("PDL201",)}, {"PDL201"}),
            # The more specific selector wins (ruff), whichever list it is in.
            ({"select": ("PDL105",), "ignore": ("PDL1",)}, {"PDL105"}),
            (
                {"select": ("PDL1",), "ignore": ("untagged-pii-field",)},
                {"PDL102", "PDL103", "PDL107"},
            ),
            ({"extend_select": ("PDL105",), "ignore": ("PDL",)}, {"PDL105"}),
            # Same specificity: ignore wins.
            ({"select": ("PDL105",), "ignore": ("untagged-pii-field",)}, set()),
            ({"select": ("PDL1",), "ignore": ("PDL1",)}, set()),
            # Unknown selectors (only possible when Config is built by hand) select nothing.
            ({"select": ("PDL999", "PDL201")}, {"PDL201"}),
        ],
    )
    def test_selection(self, kwargs: dict[str, object], expected: set[str]) -> None:
        assert cfg(**kwargs).enabled_rules(KNOWN) == frozenset(expected)

    def test_new_rules_follow_prefixes(self) -> None:
        config = cfg(select=("PDL2",))
        assert config.enabled_rules({**KNOWN, "PDL202": "pii-in-print"}) == {"PDL201", "PDL202"}

    @given(
        select=st.sets(st.sampled_from(sorted(KNOWN))),
        ignore=st.sets(st.sampled_from(sorted(KNOWN))),
        by_name=st.booleans(),
    )
    def test_codes_and_names_are_set_difference(
        self, select: set[str], ignore: set[str], by_name: bool
    ) -> None:
        written = tuple(KNOWN[c] for c in select) if by_name else tuple(sorted(select))
        config = cfg(select=written, ignore=tuple(sorted(ignore)))
        assert config.enabled_rules(KNOWN) == frozenset(select - ignore)


class TestPerFileIgnores:
    config = cfg(
        per_file_ignores=(
            ("tests/*", ("PDL2",)),
            ("**/migrations/*.py", ("PDL105",)),
            ("__init__.py", ("unused-suppression",)),
            ("scripts/legacy.py", ("ALL",)),
        )
    )
    enabled = ALL_CODES

    @pytest.mark.parametrize(
        ("rel", "removed"),
        [
            ("src/app.py", set()),
            ("tests/test_x.py", {"PDL201"}),
            ("tests/unit/test_x.py", {"PDL201"}),
            ("pkg/tests/test_x.py", set()),  # anchored: a slash in the glob ties it to the root
            ("app/migrations/0001_initial.py", {"PDL105"}),
            ("migrations/0001_initial.py", {"PDL105"}),
            ("app/migrations/sub/x.py", set()),
            ("__init__.py", {"PDL901"}),
            ("a/b/c/__init__.py", {"PDL901"}),
            ("scripts/legacy.py", set(KNOWN)),
        ],
    )
    def test_matching(self, rel: str, removed: set[str]) -> None:
        assert self.config.rules_for_path(rel, self.enabled, KNOWN) == self.enabled - removed

    def test_only_removes_from_enabled(self) -> None:
        enabled = frozenset({"PDL105"})
        assert self.config.rules_for_path("tests/x.py", enabled, KNOWN) == enabled

    def test_no_per_file_ignores_returns_enabled(self) -> None:
        assert cfg().rules_for_path("x.py", self.enabled, KNOWN) is self.enabled

    def test_loaded_from_file(self, tmp_path: Path) -> None:
        config = load(tmp_path, '[tool.pdlint.per-file-ignores]\n"conftest.py" = ["PDL1"]\n')
        result = config.rules_for_path("sub/conftest.py", config.enabled_rules(KNOWN), KNOWN)
        assert result == {"PDL001", "PDL201", "PDL901"}


class TestSeverity:
    def test_by_code_and_by_name(self, tmp_path: Path) -> None:
        config = load(
            tmp_path,
            '[tool.pdlint.severity]\nPDL105 = "error"\n"pii-in-log" = "info"\n',
        )
        assert config.severity_for("PDL105", "warning") == "error"
        assert config.severity_for("PDL201", "error") == "info"
        assert config.severity_for("PDL103", "warning") == "warning"

    def test_prefix_with_more_specific_override(self, tmp_path: Path) -> None:
        config = load(
            tmp_path,
            '[tool.pdlint.severity]\nPDL105 = "info"\nPDL1 = "error"\n',
        )
        assert config.severity_for("PDL102", "warning") == "error"
        assert config.severity_for("PDL105", "warning") == "info"
        assert config.severity_for("PDL201", "warning") == "warning"

    def test_same_value_twice_is_fine(self, tmp_path: Path) -> None:
        config = load(
            tmp_path, '[tool.pdlint.severity]\nPDL105 = "info"\nuntagged-pii-field = "info"\n'
        )
        assert config.severity == (("PDL105", "info"),)


class TestExtractionFingerprint:
    def test_stable_and_hex(self) -> None:
        a = cfg(sanitizers=("mask_*",), categories=(("hr.badge", "Badge"),))
        b = cfg(sanitizers=("mask_*",), categories=(("hr.badge", "Badge"),))
        assert a.extraction_fingerprint() == b.extraction_fingerprint()
        assert len(a.extraction_fingerprint()) == 64
        int(a.extraction_fingerprint(), 16)

    def test_every_extraction_option_is_part_of_the_key(self) -> None:
        """The digest is derived from ExtractOptions' own fields: a new option cannot be
        forgotten in a hand-written list."""
        from dataclasses import fields, replace

        from pdlint.inputs import ExtractOptions

        base = ExtractOptions()
        for option in fields(ExtractOptions):
            value = (("x", "contact.email"),) if option.name == "extend_pii_names" else ("x",)
            assert replace(base, **{option.name: value}).fingerprint() != base.fingerprint()

    def test_order_does_not_matter(self) -> None:
        a = cfg(sanitizers=("a", "b"), ignore_pii_names=("x", "y"))
        b = cfg(sanitizers=("b", "a"), ignore_pii_names=("y", "x"))
        assert a.extraction_fingerprint() == b.extraction_fingerprint()

    @pytest.mark.parametrize(
        "change",
        [
            {"extend_pii_names": (("badge", "hr.badge"),)},
            {"ignore_pii_names": ("username",)},
            {"sanitizers": ("mask_*",)},
        ],
    )
    def test_changes_with_extraction_settings(self, change: dict[str, object]) -> None:
        assert cfg(**change).extraction_fingerprint() != cfg().extraction_fingerprint()

    @pytest.mark.parametrize(
        "change",
        [
            {"select": ("PDL1",)},
            {"ignore": ("PDL2",)},
            {"exclude": ("x",)},
            {"severity": (("PDL105", "error"),)},
            {"fail_on": "never"},
            {"per_file_ignores": (("tests/*", ("PDL2",)),)},
            # categories are resolved at link time; the test flag is in each entry's key
            {"categories": (("hr.badge", "Badge"),)},
            {"test_paths": ("qa/",)},
        ],
    )
    def test_ignores_other_settings(self, change: dict[str, object]) -> None:
        assert cfg(**change).extraction_fingerprint() == cfg().extraction_fingerprint()


# --------------------------------------------------------------------------------------------
# apply_overrides
# --------------------------------------------------------------------------------------------


class TestApplyOverrides:
    @pytest.fixture
    def base(self, tmp_path: Path) -> Config:
        return load(
            tmp_path,
            'select = ["PDL1"]\nextend-select = ["PDL201"]\nignore = ["PDL103"]\n'
            'extend-exclude = ["gen"]\nfail-on = "warning"\n',
        )

    def test_none_means_not_given(self, base: Config) -> None:
        assert apply_overrides(base, select=None, fail_on=None, force_exclude=None) is base

    def test_select_replaces_the_whole_file_selection(self, base: Config) -> None:
        config = apply_overrides(base, select=["PDL103"])
        assert config.select == ("PDL103",)
        assert config.extend_select == () and config.ignore == ()
        assert config.enabled_rules(KNOWN) == {"PDL103"}

    def test_comma_separated_and_repeated(self, base: Config) -> None:
        config = apply_overrides(base, select="PDL001, PDL2", extend_select=["PDL105,PDL901"])
        assert config.select == ("PDL001", "PDL2")
        assert config.extend_select == ("PDL105", "PDL901")

    def test_extend_select_and_ignore_layer_on_top(self, base: Config) -> None:
        config = apply_overrides(base, extend_select=["PDL103"], ignore=["PDL2"])
        assert config.select == ("PDL1",) and config.ignore == ("PDL103",)
        assert config.enabled_rules(KNOWN) == {"PDL102", "PDL103", "PDL105", "PDL107"}

    def test_cli_ignore_beats_more_specific_file_select(self, base: Config) -> None:
        # The file enables PDL201 with a code; `--ignore PDL` on the command line still wins.
        config = apply_overrides(base, ignore="PDL")
        assert config.enabled_rules(KNOWN) == frozenset()

    def test_exclude_replaces_extend_exclude_adds(self, base: Config) -> None:
        config = apply_overrides(base, exclude=["vendor"], extend_exclude=["legacy"])
        assert config.exclude == ("vendor",)
        assert config.extend_exclude == ("gen", "legacy")

    def test_scalars(self, base: Config) -> None:
        config = apply_overrides(base, fail_on="never", force_exclude=True, respect_gitignore=False)
        assert (config.fail_on, config.force_exclude, config.respect_gitignore) == (
            "never",
            True,
            False,
        )

    def test_tables_from_strings(self, base: Config) -> None:
        config = apply_overrides(
            base,
            per_file_ignores=["tests/*:PDL2,PDL105"],
            severity=["pii-in-log=error"],
        )
        assert config.per_file_ignores == (("tests/*", ("PDL2", "PDL105")),)
        assert config.severity == (("PDL201", "error"),)

    def test_validation_errors_name_the_flag(self, base: Config) -> None:
        with pytest.raises(ConfigError) as info:
            apply_overrides(base, select="PDL1,PDL999")
        assert str(info.value) == (
            "unknown rule selector 'PDL999' in --select (did you mean 'PDL901'?)"
        )
        with pytest.raises(ConfigError, match=r"^--fail-on must be one of .* got 'eror'"):
            apply_overrides(base, fail_on="eror")
        with pytest.raises(ConfigError, match=r"^--force-exclude must be true or false"):
            apply_overrides(base, force_exclude="yes")
        with pytest.raises(ConfigError, match="expected KEY=VALUE"):
            apply_overrides(base, severity="PDL105")

    def test_validates_with_explicit_known_rules(self) -> None:
        config = cfg()  # built by hand: no rule table remembered
        assert apply_overrides(config, select="PDL999").select == ("PDL999",)
        with pytest.raises(ConfigError, match="unknown rule selector"):
            apply_overrides(config, select="PDL999", known_rules=KNOWN)

    def test_extend_pii_names_uses_category_callback(self, base: Config) -> None:
        with pytest.raises(ConfigError, match="unknown category 'hr.x'"):
            apply_overrides(base, extend_pii_names={"x": "hr.x"}, category_known=category_known)
        config = apply_overrides(
            base, extend_pii_names={"x": "contact.email"}, category_known=category_known
        )
        assert config.extend_pii_names == (("x", "contact.email"),)

    def test_unknown_option_is_a_programming_error(self, base: Config) -> None:
        with pytest.raises(TypeError, match="selct"):
            apply_overrides(base, selct=["PDL1"])


class TestCategoryTables:
    def test_table_form_keeps_fides_and_severity(self, tmp_path: Path) -> None:
        config = load(
            tmp_path,
            '[tool.pdlint.categories]\n"loyalty.member_number" = { fides = "user.unique_id", '
            'severity = "low", description = "loyalty card number" }\n',
        )
        assert config.categories == (
            ("loyalty.member_number", "loyalty card number", "user.unique_id", "low"),
        )

    @pytest.mark.parametrize(
        ("body", "message"),
        [
            ('"a.b" = { descr = "x" }', "unknown key 'descr'"),
            ('"a.b" = { severity = "huge" }', "unknown severity 'huge'"),
            ('"a.b" = { fides = 3 }', "'fides' must be a string, got int"),
        ],
    )
    def test_table_form_is_validated(self, tmp_path: Path, body: str, message: str) -> None:
        assert message in error_for(tmp_path, "[tool.pdlint.categories]\n" + body + "\n")
