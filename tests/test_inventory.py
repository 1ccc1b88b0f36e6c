"""``pdlint inventory``: the Art. 30 record of processing, and its four renderers."""

from __future__ import annotations

import csv
import io
import json
import re
from functools import cache
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hypothesis import given, settings
from hypothesis import strategies as st

from pdlint import taxonomy
from pdlint.cli import main
from pdlint.config import load_config
from pdlint.engine import scan
from pdlint.inventory import (
    DECLARED,
    FIDES_DATA_USES,
    UNDECLARED,
    UNMAPPED_DATA_USE,
    CategoryEntry,
    Inventory,
    _cell,
    build_inventory,
    data_use,
    describe_retention,
    fides_key_of,
    md_code,
    md_text,
    render_csv,
    render_fides,
    render_json,
    render_markdown,
    yaml_str,
)
from pdlint.rules import KNOWN


def load_yaml(text: str):  # type: ignore[no-untyped-def]
    """PyYAML reads the fides output back (the tests that need it skip without it)."""
    yaml = pytest.importorskip("yaml")
    return yaml.safe_load(text)

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
PROJECTS = ("flask_shop", "django_app", "fastapi_service")
LEGAL_BASES = {"Consent", "Contract", "Legal obligations", "Vital interests", "Public interest",
               "Legitimate interests"}
FIDES_CATEGORIES = {info.fides for info in taxonomy.CATEGORIES.values()} | {"user.childrens"}


def scan_inventory(root: Path, name: str | None = None) -> Inventory:
    config = load_config(root, known_rules=KNOWN,
                         category_known=lambda key: taxonomy.resolve_category(key) is not None)
    result = scan([root], config, root)
    assert result.project is not None
    return build_inventory(result.project, name or root.name)


@cache
def fixture_inventory(name: str) -> Inventory:
    return scan_inventory(FIXTURES / name)


def category(inventory: Inventory, key: str) -> CategoryEntry:
    return next(entry for entry in inventory.categories if entry.key == key)


def invoke(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


# -- what the record says ----------------------------------------------------------------
def test_flask_shop_storage_declared_and_undeclared() -> None:
    email = category(fixture_inventory("flask_shop"), "contact.email")
    storage = {s.symbol: s for s in email.storage}
    assert storage["shop.models.Customer.email"].status == DECLARED
    assert storage["shop.models.Customer.email"].retention == ["account"]
    assert storage["shop.models.NewsletterSubscriber.email"].status == DECLARED  # class tag
    phone = category(fixture_inventory("flask_shop"), "contact.phone")
    statuses = {s.symbol: s.status for s in phone.storage}
    assert statuses["shop.models.Customer.phone"] == UNDECLARED
    assert statuses["shop.models.Address.delivery_phone"] == DECLARED  # class data=contact
    postal = category(fixture_inventory("flask_shop"), "contact.address.postal_code")
    assert {s.symbol: s.status for s in postal.storage}[
        "shop.models.Order.billing_postal_code"] == UNDECLARED


def test_flask_shop_handlers_purposes_bases_rights() -> None:
    inventory = fixture_inventory("flask_shop")
    email = category(inventory, "contact.email")
    uses = {u.symbol: u for u in email.uses}
    assert uses["shop.views.signup"].verbs == ["collects", "uses"]
    assert uses["shop.views.signup"].routes == ["/signup"]
    assert uses["shop.views.signup"].status == DECLARED
    assert uses["shop.views.update_profile"].status == UNDECLARED  # the untagged handler
    assert uses["shop.views.update_profile"].kind == "handler"
    assert {"account", "notify", "auth", "marketing.email"} <= email.purposes
    assert {"contract", "consent", "legal-obligation"} <= email.bases
    assert {"account", "account+30d", "2y"} <= email.retention
    assert email.subjects == {"customer"}
    assert email.rights["access"] == {"shop.views.export_data"}
    assert email.rights["erasure"] == {"shop.views.delete_account"}
    ip = category(inventory, "online.ip")
    assert "security" in ip.purposes and "legitimate-interests" in ip.bases
    handlers = {h["symbol"]: h for h in inventory.rights_handlers}
    assert handlers["shop.views.export_data"]["rights"] == ["access", "portability"]
    assert "unknown category 'contact.emial' in the tag at shop/models.py:28" in \
        inventory.problems


def test_django_custom_special_and_recipients() -> None:
    inventory = fixture_inventory("django_app")
    loyalty = category(inventory, "loyalty.member_number")
    assert loyalty.custom and loyalty.fides == "user.unique_id"
    assert loyalty.description == "loyalty card number"
    assert [s.symbol for s in loyalty.storage] == ["accounts.models.Customer.loyalty_number"]
    health = category(inventory, "special.health")
    assert health.special == "art9" and "explicit-consent" in health.conditions
    phone = category(inventory, "contact.phone")
    sms = phone.recipients["sms-provider"]
    assert sms.declared and sms.detected and sms.via == ["accounts.sms.send_sms"]
    smtp = category(inventory, "contact.email").recipients["e-mail (SMTP)"]
    assert not smtp.declared and smtp.detected and smtp.status == UNDECLARED
    # a class tag on a management command with no handler under it is still a record
    uses = {u.symbol: u for u in category(inventory, "contact.email").uses}
    command = "accounts.management.commands.export_customers.Command"
    assert uses[command].kind == "class" and uses[command].verbs == ["uses"]


def test_fastapi_gaps_are_listed() -> None:
    inventory = fixture_inventory("fastapi_service")
    username = category(inventory, "identity.username")
    assert username.status == UNDECLARED and username.detected
    assert any(u.symbol == "app.main.login" and u.status == UNDECLARED for u in username.uses)
    summary = inventory.summary()
    assert summary["undeclared_categories"] >= 1
    assert summary["special_categories"] == 1


@pytest.mark.parametrize("project", PROJECTS)
def test_every_detected_field_is_in_the_record(project: str) -> None:
    inventory = fixture_inventory(project)
    config = load_config(FIXTURES / project, known_rules=KNOWN)
    result = scan([FIXTURES / project], config, FIXTURES / project)
    assert result.project is not None
    stored = {s.symbol for entry in inventory.categories for s in entry.storage}
    for model in result.project.models.models.values():
        for field in model.fields:
            if field.classification and field.classification.kind == "value":
                assert field.symbol in stored


# -- renderers ------------------------------------------------------------------------------
@pytest.mark.parametrize("project", PROJECTS)
def test_markdown_reads_as_a_record(project: str) -> None:
    text = render_markdown(fixture_inventory(project))
    assert text.startswith("# Record of processing activities: ")
    assert "## Overview" in text
    for entry in fixture_inventory(project).categories:
        assert f"## `{entry.key}`" in text
    for line in text.splitlines():
        if line.startswith("|") and not line.startswith("|---"):
            cells = re.split(r"(?<!\\)\|", line)[1:-1]
            header = text.splitlines()[text.splitlines().index(line) - 1]
            assert cells, line
            del header


def test_markdown_marks_gaps() -> None:
    text = render_markdown(fixture_inventory("flask_shop"))
    assert "| `Customer.phone` | `shop/models.py:26` | — | **detected, undeclared** |" in text
    assert "| `shop.views.update_profile` `/profile` | flask route | `shop/views.py:104` | — " \
           "| **detected, undeclared** |" in text


@pytest.mark.parametrize("project", PROJECTS)
def test_json_is_complete_and_stable(project: str) -> None:
    inventory = fixture_inventory(project)
    data = json.loads(render_json(inventory))
    assert data["schema"] == "pdlint-inventory/1"
    assert [c["key"] for c in data["categories"]] == sorted(c.key for c in inventory.categories)
    for entry in data["categories"]:
        assert entry["status"] in (DECLARED, UNDECLARED)
        for location in entry["storage"] + entry["processing"]:
            assert location["status"] == (DECLARED if location["declared"] else UNDECLARED)
    assert render_json(scan_inventory(FIXTURES / project)) == render_json(inventory)


@pytest.mark.parametrize("project", PROJECTS)
def test_csv_has_one_row_per_location(project: str) -> None:
    inventory = fixture_inventory(project)
    rows = list(csv.DictReader(io.StringIO(render_csv(inventory))))
    expected = sum(max(1, len(e.storage) + len(e.uses)) for e in inventory.categories)
    assert len(rows) == expected
    assert {r["status"] for r in rows} <= {DECLARED, UNDECLARED}
    assert {r["location_type"] for r in rows} <= {"storage", "processing", ""}


@pytest.mark.parametrize("project", PROJECTS)
def test_fides_yaml_is_valid_fideslang(project: str) -> None:
    text = render_fides(fixture_inventory(project))
    data = load_yaml(text)
    assert set(data) == {"dataset", "system"}
    (dataset,) = data["dataset"]
    (system,) = data["system"]
    key_re = re.compile(r"^[a-zA-Z0-9_.<>-]+$")
    assert key_re.match(dataset["fides_key"]) and system["fides_key"] == dataset["fides_key"]
    assert system["system_type"] == "Service"
    assert system["privacy_declarations"]
    for collection in dataset["collections"]:
        assert collection["fields"] or collection.get("data_categories")
        for field in collection["fields"]:
            assert set(field["data_categories"]) <= FIDES_CATEGORIES | {"user.unique_id"}
    for declaration in system["privacy_declarations"]:
        assert declaration["data_use"] in FIDES_DATA_USES
        assert declaration["dataset_references"] == [dataset["fides_key"]]
        if "legal_basis_for_processing" in declaration:
            assert declaration["legal_basis_for_processing"] in LEGAL_BASES
        assert isinstance(declaration["processes_special_category_data"], bool)
        for key in declaration["data_categories"]:
            assert key.startswith("user")


def test_fides_declarations_group_by_purpose_and_basis() -> None:
    data = load_yaml(render_fides(fixture_inventory("fastapi_service")))
    declarations = {d["name"]: d for d in data["system"][0]["privacy_declarations"]}
    access = declarations["accessibility (consent)"]
    assert access["processes_special_category_data"] is True
    assert access["special_category_legal_basis"] == "Explicit consent"
    assert access["data_use"] == UNMAPPED_DATA_USE  # no fideslang use for this purpose
    assert access["legal_basis_for_processing"] == "Consent"
    auth = declarations["auth (contract)"]
    assert auth["data_use"] == "essential.service.authentication"
    text = render_fides(fixture_inventory("fastapi_service"))
    assert "# note: purpose 'accessibility' has no fideslang data use" in text
    django = load_yaml(render_fides(fixture_inventory("django_app")))
    notify = {d["name"]: d for d in django["system"][0]["privacy_declarations"]}[
        "notify (contract)"]
    assert notify["data_shared_with_third_parties"] is True
    assert notify["third_parties"] == "sms-provider"
    assert notify["shared_categories"] == ["user.contact.phone_number"]
    assert "customer" in notify["data_subjects"]
    collections = {c["name"]: c for c in django["dataset"][0]["collections"]}
    fields = {f["name"]: f for f in collections["Customer"]["fields"]}
    assert fields["email"]["data_categories"] == ["user.contact.email"]
    assert fields["email"]["retention"] == "until the account is deleted"
    assert "detected, undeclared" in fields["phone"]["description"]


def test_purpose_mapping_follows_domain_table() -> None:
    assert data_use("account") == "essential.service"
    assert data_use("notify.email") == "essential.service.notifications.email"
    assert data_use("marketing.email") == "marketing.communications.email"
    assert data_use("ads.third-party") == "marketing.advertising.third_party.targeted"
    assert data_use("marketing.newsletter") == "marketing.communications"  # unknown refinement
    assert data_use("fides:analytics.reporting.system") == "analytics.reporting.system"
    assert data_use("shipping") is None
    for purpose in ("account", "auth", "security", "fraud", "payment", "notify", "support",
                    "ops", "legal", "storage", "analytics", "improve", "personalize",
                    "marketing", "ads", "sharing", "hr", "recruiting", "finance", "ml", "sales"):
        assert data_use(purpose) in FIDES_DATA_USES


def test_retention_is_described_for_people() -> None:
    assert describe_retention("2y") == "2 years"
    assert describe_retention("1h") == "1 hour"
    assert describe_retention("6mo") == "6 months"
    assert describe_retention("account") == "until the account is deleted"
    assert describe_retention("account+30d") == "30 days after the account is deleted"
    assert describe_retention("P90D") == "P90D"


# -- hostile text ---------------------------------------------------------------------------
@settings(max_examples=300, deadline=None)
@given(st.text())
def test_yaml_strings_round_trip(text: str) -> None:
    expected = "".join("\ufffd" if 0xD800 <= ord(c) <= 0xDFFF else c for c in text)
    assert load_yaml(f"key: {yaml_str(text)}\n") == {"key": expected}


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_markdown_cells_cannot_split_a_table(text: str) -> None:
    for rendered in (md_text(text), md_code(text)):
        assert "\n" not in rendered and "\r" not in rendered
        assert not re.search(r"(?<!\\)\|", rendered)


def test_csv_cells_cannot_become_formulas() -> None:
    assert _cell("=HYPERLINK(\"x\")") == "'=HYPERLINK(\"x\")"
    assert _cell("+1") == "'+1" and _cell("@x") == "'@x" and _cell("-2") == "'-2"
    assert _cell("a\nb") == "a b"
    assert _cell("contact.email") == "contact.email"


def test_fides_keys_are_valid() -> None:
    assert fides_key_of("my shop/v2 (prod)") == "my_shop_v2__prod"
    assert fides_key_of('"') == "pdlint_system"


HOSTILE_MODELS = '''\
from django.db import models


class Member(models.Model):  # gdpr: subject=customer
    email = models.EmailField()  # gdpr: contact.email retention=2y
    tier = models.CharField(max_length=8)  # gdpr: loyalty.tier


def share(member):
    # gdpr: shares=contact.email to="evil\\" | <b>x</b> `y`\\n--> z" purpose=sharing basis=consent
    return member.email
'''
HOSTILE_CONFIG = '''\
[tool.pdlint.categories]
"loyalty.tier" = {description = "a \\"quoted\\" | pipe\\n# heading <b>`x`</b>", fides = "user.unique_id"}
'''


@pytest.fixture
def hostile_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "pyproject.toml").write_text(HOSTILE_CONFIG)
    (tmp_path / "club").mkdir()
    (tmp_path / "club" / "__init__.py").write_text("")
    (tmp_path / "club" / "models.py").write_text(HOSTILE_MODELS)
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_hostile_text_stays_inside_every_format(hostile_project: Path) -> None:
    inventory = scan_inventory(hostile_project, name='we"ird: name\n- x')
    tier = category(inventory, "loyalty.tier")
    description = 'a "quoted" | pipe\n# heading <b>`x`</b>'
    assert tier.description == description
    recipient = 'evil" | <b>x</b> `y`\\n--> z'
    assert recipient in category(inventory, "contact.email").recipients

    markdown = render_markdown(inventory)
    for line in markdown.splitlines():
        if line.startswith("| `loyalty.tier`"):
            assert len(re.findall(r"(?<!\\)\|", line)) == 9  # 8 columns
    assert "<b>" not in markdown and "\n# heading" not in markdown

    data = load_yaml(render_fides(inventory))
    system = data["system"][0]
    assert system["name"] == 'we"ird: name\n- x'
    sharing = {d["name"]: d for d in system["privacy_declarations"]}["sharing (consent)"]
    assert sharing["third_parties"] == recipient

    rows = list(csv.DictReader(io.StringIO(render_csv(inventory))))
    assert any(row["description"] == description.replace("\n", " ") for row in rows)
    assert json.loads(render_json(inventory))["name"] == 'we"ird: name\n- x'


# -- the command --------------------------------------------------------------------------------
@pytest.fixture
def in_flask_shop(monkeypatch: pytest.MonkeyPatch) -> Path:
    root = FIXTURES / "flask_shop"
    monkeypatch.chdir(root)
    return root


def test_cli_markdown_by_default(in_flask_shop: Path) -> None:
    result = invoke("inventory", "--no-cache")
    assert result.exit_code == 0, result.output
    assert result.stdout == render_markdown(fixture_inventory("flask_shop"))


@pytest.mark.parametrize(("fmt", "suffix"), [("json", ".json"), ("csv", ".csv"),
                                             ("fides", ".yml"), ("markdown", ".md")])
def test_cli_formats_and_suffixes(in_flask_shop: Path, tmp_path: Path, fmt: str,
                                  suffix: str) -> None:
    by_flag = invoke("inventory", "--no-cache", "--format", fmt, "--name", "shop")
    assert by_flag.exit_code == 0, by_flag.output
    target = tmp_path / f"record{suffix}"
    by_suffix = invoke("inventory", "--no-cache", "--name", "shop", "-o", str(target))
    assert by_suffix.exit_code == 0, by_suffix.output
    assert target.read_text(encoding="utf-8") == by_flag.stdout
    assert "wrote" in by_suffix.output


def test_cli_name_defaults_to_the_project_directory(in_flask_shop: Path) -> None:
    result = invoke("inventory", "--no-cache", "--format", "fides")
    assert load_yaml(result.stdout)["system"][0]["fides_key"] == "flask_shop"


@pytest.mark.parametrize(("args", "message"), [
    (("--name", "  "), "--name must not be empty"),
    (("--config", "missing.toml"), "config file not found"),
    (("-o", "/nonexistent-dir/x.md"), "cannot write /nonexistent-dir/x.md"),
    (("--format", "yaml"), "Invalid value for '--format'"),
])
def test_cli_errors_exit_2(in_flask_shop: Path, args: tuple[str, ...], message: str) -> None:
    result = invoke("inventory", "--no-cache", *args)
    assert result.exit_code == 2
    assert message in result.output and "Traceback" not in result.output
