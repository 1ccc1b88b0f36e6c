"""``pdlint graph``: the exported flow graph, its filters and its DOT/Mermaid/JSON writers."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from functools import cache
from pathlib import Path

import networkx as nx
import pydot
import pytest
from click.testing import CliRunner, Result
from hypothesis import given, settings
from hypothesis import strategies as st

from pdlint import commands as commands_pkg
from pdlint import taxonomy
from pdlint.cli import main
from pdlint.commands import graph as graph_command
from pdlint.config import load_config
from pdlint.engine import scan
from pdlint.export import (
    COLLAPSE_LEVELS,
    GRAPH_FORMATS,
    Focus,
    FocusError,
    apply,
    export_graph,
    style,
    to_dot,
    to_json,
    to_mermaid,
)
from pdlint.export import dot as dot_writer
from pdlint.export import focus as focus_mod
from pdlint.export import mermaid as mermaid_writer
from pdlint.export.json_graph import read_node_link
from pdlint.export.render import RenderError, render
from pdlint.project import Project
from pdlint.rules import KNOWN
from pdlint.visible import hidden

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
GOLDEN = Path(__file__).resolve().parent / "golden"
PROJECTS = ("flask_shop", "django_app", "fastapi_service")
HAS_DOT = shutil.which("dot") is not None


def scan_project(root: Path) -> Project:
    config = load_config(root, known_rules=KNOWN,
                         category_known=lambda key: taxonomy.resolve_category(key) is not None)
    result = scan([root], config, root)
    assert result.project is not None
    return result.project


@cache
def fixture_project(name: str) -> Project:
    return scan_project(FIXTURES / name)


def fixture_graph(name: str) -> nx.DiGraph:
    return export_graph(fixture_project(name))


def invoke(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


# -- reading DOT back ----------------------------------------------------------------------
def unquote(value: str | None) -> str:
    """A DOT quoted string back to its text (the inverse of dot.quote)."""
    assert value is not None
    assert value.startswith('"') and value.endswith('"'), value
    out: list[str] = []
    body = value[1:-1]
    index = 0
    while index < len(body):
        char = body[index]
        if char == "\\" and index + 1 < len(body):
            nxt = body[index + 1]
            out.append({"n": "\n", '"': '"', "\\": "\\"}.get(nxt, "\\" + nxt))
            index += 2
            continue
        out.append(char)
        index += 1
    return "".join(out)


def all_nodes(graph: pydot.Graph) -> dict[str, pydot.Node]:
    found = {node.get_name(): node for node in graph.get_nodes()
             if node.get_name() not in ("node", "edge", "graph")}
    for sub in graph.get_subgraphs():
        found.update(all_nodes(sub))
    return found


def clusters(graph: pydot.Graph) -> dict[str, tuple[pydot.Graph, str | None]]:
    """Cluster label -> (cluster, parent cluster label)."""
    found: dict[str, tuple[pydot.Graph, str | None]] = {}

    def walk(current: pydot.Graph, parent: str | None) -> None:
        for sub in current.get_subgraphs():
            label = unquote(sub.get("label"))
            found[label] = (sub, parent)
            walk(sub, label)

    walk(graph, None)
    return found


def parse_dot(text: str) -> pydot.Dot:
    parsed = pydot.graph_from_dot_data(text)
    assert parsed is not None and len(parsed) == 1
    return parsed[0]


def by_pdlint_id(parsed: pydot.Dot) -> dict[str, pydot.Node]:
    return {unquote(node.get("pdlint_id")): node for node in all_nodes(parsed).values()}


# -- DOT --------------------------------------------------------------------------------------
@pytest.mark.parametrize("project", PROJECTS)
def test_dot_parses_back_with_every_node_and_edge(project: str) -> None:
    graph = fixture_graph(project)
    parsed = parse_dot(to_dot(graph))
    nodes = by_pdlint_id(parsed)
    assert set(nodes) == set(graph)
    names = {node.get_name(): pid for pid, node in nodes.items()}
    edges = {(names[e.get_source()], names[e.get_destination()]): e for e in parsed.get_edges()}
    assert set(edges) == set(graph.edges())
    for (source, target), edge in edges.items():
        data = graph.edges[source, target]
        assert unquote(edge.get("pdlint_kind")) == data["kind"]
        assert unquote(edge.get("pdlint_categories")) == ",".join(data["categories"])
        label = edge.get("label")
        assert (unquote(label) if label else "") == style.edge_label(data)
    for pid, node in nodes.items():
        assert unquote(node.get("label")) == style.node_label(pid, graph.nodes[pid])
        assert unquote(node.get("pdlint_kind")) == graph.nodes[pid]["kind"]


def test_flask_shop_dot_nodes_edges_and_labels() -> None:
    parsed = parse_dot(to_dot(fixture_graph("flask_shop")))
    nodes = by_pdlint_id(parsed)
    names = {node.get_name(): pid for pid, node in nodes.items()}
    edges = {(names[e.get_source()], names[e.get_destination()]): e for e in parsed.get_edges()}

    signup = nodes["function:shop.views.signup"]
    assert unquote(signup.get("label")) == "signup()\nflask route"
    assert "dashed" not in unquote(signup.get("style"))
    untagged = nodes["function:shop.views.update_profile"]
    assert unquote(untagged.get("label")) == "update_profile()\nflask route · untagged"
    assert "dashed" in unquote(untagged.get("style"))
    assert unquote(untagged.get("fillcolor")) != unquote(signup.get("fillcolor"))
    assert unquote(nodes["model:shop.models.Customer"].get("shape")) == "cylinder"
    assert unquote(nodes["category:contact.email"].get("shape")) == "ellipse"
    assert unquote(nodes["field:shop.models.Customer.phone"].get("label")) == \
        "Customer.phone\nundeclared"
    assert unquote(nodes["sink:log"].get("label")) == "log"

    leak = edges[("function:shop.views.signup", "sink:log")]
    assert unquote(leak.get("color")) == "#cc0000"
    assert unquote(leak.get("label")) == "contact.email"
    call = edges[("function:shop.services.mailer.send_order_confirmation",
                  "function:shop.services.mailer.send_email")]
    assert unquote(call.get("label")) == "contact.address, contact.email, identity.name.first"
    assert unquote(call.get("color")) != "#cc0000"
    write = edges[("function:shop.views.signup", "model:shop.models.Customer")]
    assert unquote(write.get("pdlint_kind")) == "writes"
    assert ("field:shop.models.Customer.email", "category:contact.email") in edges
    assert ("category:contact.email", "function:shop.views.signup") in edges

    groups = clusters(parsed)
    assert groups["shop.views"][1] == "shop"  # module clusters nest in their package
    assert groups["shop.services.mailer"][1] == "shop"  # a lone sub-package is not a level
    assert groups["personal data"][1] is None and groups["where it goes"][1] is None
    in_views = {names[n.get_name()] for n in groups["shop.views"][0].get_nodes()}
    assert "function:shop.views.signup" in in_views
    in_categories = {names[n.get_name()] for n in groups["personal data"][0].get_nodes()}
    assert in_categories == {n for n in nodes if n.startswith("category:")}


def test_special_categories_are_highlighted() -> None:
    graph = fixture_graph("django_app")
    parsed = parse_dot(to_dot(graph))
    health = by_pdlint_id(parsed)["category:special.health"]
    plain = by_pdlint_id(parsed)["category:contact.email"]
    assert unquote(health.get("label")) == "special.health\nArt. 9 special category"
    assert unquote(health.get("fillcolor")) != unquote(plain.get("fillcolor"))
    assert "bold" in unquote(health.get("style"))


def test_third_parties_carry_the_recipient_name() -> None:
    graph = fixture_graph("django_app")
    assert graph.nodes["sink:third_party:sms-provider"]["recipient"] == "sms-provider"
    edge = graph.edges["function:accounts.sms.send_sms", "sink:third_party:sms-provider"]
    assert edge["kind"] == "sends" and edge["categories"] == ["contact.phone"]
    assert edge["declared"] and edge["detected"] and not edge["leak"]
    mail = "sink:third_party:e-mail (SMTP)"
    assert graph.has_edge("function:accounts.tasks.send_welcome_email", mail)
    label = style.node_label(mail, graph.nodes[mail])
    assert label == "e-mail (SMTP)\nthird party"


@pytest.mark.skipif(not HAS_DOT, reason="Graphviz is not installed")
@pytest.mark.parametrize("project", PROJECTS)
def test_graphviz_accepts_the_dot(project: str, tmp_path: Path) -> None:
    target = tmp_path / "graph.svg"
    render(to_dot(fixture_graph(project)), target)
    text = target.read_text(encoding="utf-8")
    assert text.lstrip().startswith("<?xml") and "</svg>" in text


# -- Mermaid ---------------------------------------------------------------------------------
def test_mermaid_snapshot() -> None:
    text = to_mermaid(fixture_graph("flask_shop"))
    golden = GOLDEN / "graph.flask_shop.mmd"
    if os.environ.get("PDLINT_UPDATE_GOLDEN"):
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


_MERMAID_LINE = re.compile(
    r"^(%% pdlint personal-data flow graph|flowchart LR|\s*end"
    r'|\s*subgraph c\d+\["[^"]*"\]'
    r'|\s*n\d+(\(\[|\[\(|\(|\[|\{\{|>|\[/)"[^"]*"(\]\)|\)\]|\)|\]|\}\}|/\])'
    r'|\s*n\d+ (-->|==>|-\.->)(\|"[^"|]*"\|)? n\d+'
    r"|\s*classDef \w+ [\w:#,. -]+|\s*class [n\d,]+ \w+|\s*linkStyle [\d,]+ [\w:#,.-]+)$"
)
_ENTITY = re.compile(r"#(\d+|quot|amp|lt|gt);")


def assert_safe_mermaid(text: str) -> None:
    for line in text.splitlines():
        assert _MERMAID_LINE.match(line), f"unexpected Mermaid line: {line!r}"
        for label in re.findall(r'"([^"]*)"', line):
            plain = _ENTITY.sub("", label.replace("<br/>", ""))
            assert not set(plain) & set('"<>|`\\%#[]{}&\n\r'), (line, label)


@pytest.mark.parametrize("project", PROJECTS)
def test_mermaid_lines_follow_the_grammar(project: str) -> None:
    graph = fixture_graph(project)
    text = to_mermaid(graph)
    assert_safe_mermaid(text)
    assert len(re.findall(r"^\s*n\d+ (?:-->|==>|-\.->)", text, re.M)) == graph.number_of_edges()
    declared = {int(m) for m in re.findall(r"^\s*n(\d+)[(\[{>]", text, re.M)}
    assert declared == set(range(1, len(graph) + 1))


def test_mermaid_leaks_are_red_and_untagged_handlers_dashed() -> None:
    graph = fixture_graph("flask_shop")
    text = to_mermaid(graph)
    edges = sorted(graph.edges())
    leak_indexes = {i for i, (u, v) in enumerate(edges) if graph.edges[u, v].get("leak")}
    red = next(line for line in text.splitlines() if "stroke:#cc0000" in line
               and line.strip().startswith("linkStyle"))
    assert {int(i) for i in red.split()[1].split(",")} == leak_indexes
    assert "classDef handler_untagged" in text and "stroke-dasharray" in text


# -- JSON --------------------------------------------------------------------------------------
@pytest.mark.parametrize("project", PROJECTS)
def test_json_round_trip(project: str) -> None:
    graph = fixture_graph(project)
    data = json.loads(to_json(graph))
    assert data["directed"] is True and "edges" in data
    back = read_node_link(data)
    assert back.graph.pop("schema") == "pdlint-graph/1"
    assert nx.utils.graphs_equal(back, graph)
    assert dict(back.nodes(data=True)) == dict(graph.nodes(data=True))
    plain = nx.node_link_graph(data, edges="edges")
    assert sorted(plain.edges(data=True)) == sorted(graph.edges(data=True))


@pytest.mark.parametrize("writer", [to_dot, to_mermaid, to_json])
def test_output_is_deterministic(writer) -> None:  # type: ignore[no-untyped-def]
    first = writer(export_graph(scan_project(FIXTURES / "flask_shop")))
    second = writer(export_graph(scan_project(FIXTURES / "flask_shop")))
    assert first == second


# -- the exported graph --------------------------------------------------------------------------
def test_export_adds_modules_storage_and_declared_fields() -> None:
    graph = fixture_graph("flask_shop")
    project = fixture_project("flask_shop")
    assert set(project.graph) <= set(graph)  # the scan's graph is kept
    assert graph.nodes["field:shop.models.Customer.email"]["module"] == "shop.models"
    assert graph.nodes["field:shop.models.Address.street"]["declared"]  # class tag data=contact
    assert not graph.nodes["field:shop.models.Address.recipient_name"]["declared"]
    assert graph.edges["function:shop.views.update_profile",
                       "field:shop.models.Customer.phone"]["kind"] == "writes"
    # `g.client_ip = ...` is Flask's request global, not Order.client_ip
    assert not graph.has_edge("function:shop.views.remember_client_address",
                              "field:shop.models.Order.client_ip")
    for _, _, data in graph.edges(data=True):
        if data["kind"] == "sends":
            sink = data
            assert "leak" in sink
    for node, data in graph.nodes(data=True):
        if data["kind"] == "sink":
            assert data["sink_kind"]
            leaks = {graph.edges[u, node].get("leak") for u in graph.predecessors(node)}
            assert leaks <= {data["sink_kind"] in style.LOG_SINKS}


# -- focus ---------------------------------------------------------------------------------------
def test_category_filter_keeps_only_what_touches_it() -> None:
    graph = fixture_graph("flask_shop")
    narrowed = apply(graph, Focus(categories=("contact.email",)))
    kinds = {narrowed.nodes[n]["kind"] for n in narrowed}
    assert {n for n in narrowed if n.startswith("category:")} == {"category:contact.email"}
    for _, _, data in narrowed.edges(data=True):
        assert data["kind"] == "has" or data["categories"] == ["contact.email"]
    assert "function:shop.views.signup" in narrowed and "sink:log" in narrowed
    assert "function:shop.views.remember_client_address" not in narrowed  # online.ip only
    assert "model:shop.models.Customer" in narrowed  # owner of a kept field
    assert kinds >= {"category", "field", "model", "handler", "sink"}


def test_parent_category_covers_children() -> None:
    narrowed = apply(fixture_graph("flask_shop"), Focus(categories=("contact.address",)))
    assert "category:contact.address.city" in narrowed
    assert "category:contact.email" not in narrowed


def test_focus_and_depth() -> None:
    graph = fixture_graph("flask_shop")
    near = apply(graph, Focus(symbols=("shop.views.signup",), depth=1))
    assert "function:shop.views.signup" in near
    assert set(graph.successors("function:shop.views.signup")) <= set(near)
    assert set(graph.predecessors("function:shop.views.signup")) <= set(near)
    assert "function:shop.views.login" not in near  # a sibling reading the same category
    wider = apply(graph, Focus(symbols=("views.signup",), depth=3))
    assert set(near) < set(wider)
    only = apply(graph, Focus(symbols=("function:shop.views.signup",), depth=0))
    assert set(only) == {"function:shop.views.signup"}


def test_focus_on_a_module_or_category() -> None:
    graph = fixture_graph("flask_shop")
    mailer = apply(graph, Focus(symbols=("shop.services.mailer",), depth=0))
    assert mailer and all(str(mailer.nodes[n].get("module")) == "shop.services.mailer"
                          for n in mailer)
    email = apply(graph, Focus(symbols=("contact.email",), depth=1))
    assert "field:shop.models.Customer.email" in email and "function:shop.views.login" in email


def test_focus_that_matches_nothing_suggests() -> None:
    with pytest.raises(FocusError, match="did you mean 'shop.views.signup'"):
        apply(fixture_graph("flask_shop"), Focus(symbols=("shop.views.sigup",)))


def test_sinks_only_keeps_paths_from_data_to_sinks() -> None:
    graph = fixture_graph("flask_shop")
    narrowed = apply(graph, Focus(sinks_only=True))
    assert "function:shop.views.signup" in narrowed
    assert "function:shop.views.verify_email" not in narrowed
    assert "field:shop.models.Address.city" not in narrowed
    flow = nx.DiGraph((u, v) for u, v, d in narrowed.edges(data=True)
                      if d["kind"] not in ("has", "holds"))
    sources = [n for n in narrowed if narrowed.nodes[n]["kind"] == "category"]
    sinks = {n for n in narrowed if narrowed.nodes[n]["kind"] == "sink"} | {
        v for _, v, d in narrowed.edges(data=True) if d["kind"] == "writes"}
    for node in narrowed:
        if narrowed.nodes[node]["kind"] == "model" and node not in flow:
            continue  # context for a kept field
        assert any(node == s or (s in flow and node in flow and nx.has_path(flow, s, node))
                   for s in sources)
        assert any(node == t or (node in flow and t in flow and nx.has_path(flow, node, t))
                   for t in sinks)


def test_collapse_module_and_package() -> None:
    graph = fixture_graph("flask_shop")
    project = fixture_project("flask_shop")
    modules = apply(graph, Focus(collapse="module"))
    assert {d["kind"] for _, d in modules.nodes(data=True)} == {"module", "category", "sink"}
    assert "module:shop.views" in modules and "module:shop.services.mailer" in modules
    views = modules.nodes["module:shop.views"]
    assert views["handlers"] >= 9 and views["untagged_handlers"] == 1
    assert modules.edges["module:shop.views", "sink:log"]["leak"] is True
    assert nx.number_of_selfloops(modules) == 0
    packages = graph_command.packages_of(project)
    assert "shop" in packages and "shop.views" not in packages
    by_package = apply(graph, Focus(collapse="package"), packages)
    assert "module:shop.services" in by_package and "module:shop" in by_package
    assert len(by_package) <= len(modules)
    parsed = parse_dot(to_dot(modules))
    assert set(by_pdlint_id(parsed)) == set(modules)


def test_collapse_rejects_unknown_levels(in_flask_shop: Path) -> None:
    with pytest.raises(FocusError, match="positive number"):
        apply(fixture_graph("flask_shop"), Focus(collapse="0"))
    result = invoke("graph", "--no-cache", "--collapse", "modules")
    assert result.exit_code == 2 and "'modules' is not one of" in result.output
    result = invoke("graph", "--no-cache", "--format", "json", "--collapse", "1")
    assert result.exit_code == 0, result.output
    assert "module:shop" in {n["id"] for n in json.loads(result.stdout)["nodes"]}


def test_filters_do_not_touch_their_input() -> None:
    graph = fixture_graph("flask_shop")
    before = json.loads(to_json(graph))
    apply(graph, Focus(categories=("contact",), symbols=("shop.views",), sinks_only=True,
                       collapse="module"))
    assert json.loads(to_json(graph)) == before


def synthetic(modules: int) -> tuple[nx.DiGraph, frozenset[str]]:
    """A flow graph shaped like a large project: packages of modules of handlers."""
    graph = nx.DiGraph()
    keys = ["contact.email", "contact.phone", "identity.name", "online.ip", "special.health"]
    for key in keys:
        graph.add_node(f"category:{key}", kind="category", label=key,
                       special=key.startswith("special"))
    graph.add_node("sink:log", kind="sink", label="log", sink_kind="log")
    for index in range(modules):
        module = f"app{index % 30}.area{index % 7}.mod{index}"
        for fn in range(3):
            node = f"function:{module}.view{fn}"
            graph.add_node(node, kind="handler" if fn == 0 else "function", label=node[9:],
                           module=module, tagged=index % 5 != 0)
            key = keys[(index + fn) % len(keys)]
            graph.add_edge(f"category:{key}", node, kind="reads", categories=[key])
            if fn:
                graph.add_edge(f"function:{module}.view0", node, kind="calls",
                               categories=[key])
        if index % 11 == 0:
            graph.add_edge(f"function:{module}.view1", "sink:log", kind="sends",
                           categories=["contact.email"], leak=True)
    packages = frozenset(f"app{i}" for i in range(30)) | frozenset(
        f"app{i}.area{j}" for i in range(30) for j in range(7))
    return graph, packages


def test_a_3000_module_project_collapses_to_a_readable_picture(tmp_path: Path) -> None:
    graph, packages = synthetic(3000)
    assert len(graph) > 9000
    by_package = apply(graph, Focus(collapse="package"), packages)
    assert len(by_package) < 250
    leaks = apply(graph, Focus(sinks_only=True, collapse="module"), packages)
    assert len(leaks) < 300 and "sink:log" in leaks
    top = apply(graph, Focus(collapse="1"), packages)
    assert {n for n in top if n.startswith("module:")} == {f"module:app{i}" for i in range(30)}
    two = apply(graph, Focus(collapse="2"), packages)
    assert len([n for n in two if n.startswith("module:")]) == 30 * 7
    one = apply(graph, Focus(symbols=("app3.area3.mod3",), depth=1))
    assert len(one) < 20
    text = to_dot(by_package)
    assert set(by_pdlint_id(parse_dot(text))) == set(by_package)
    if HAS_DOT:
        render(text, tmp_path / "big.svg", timeout=120)


# -- escaping ------------------------------------------------------------------------------------
HOSTILE = [
    'a"b', "a\\", "\\N\\G\\l", 'x"];\nevil [label="pwned', "<b>bold</b>", "<<table>>",
    "{x|y}", "a-->b", "end", "subgraph", "%%{init: {}}%%", "line\r\nbreak", "tab\tchar",
    "nul\x00char", "uni\u2028code", "#quot;", "`md`", "graph {", "}", "a|b", "--", "-.->",
    "click n1 call alert()", 'style n1 fill:#f00', "\ud800",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_dot_escape_keeps_hostile_text_inside_one_string(text: str) -> None:
    source = f"digraph {{ n1 [label={dot_writer.quote(text)}]; n2; n1 -> n2 }}"
    parsed = parse_dot(source)
    nodes = all_nodes(parsed)
    assert set(nodes) == {"n1", "n2"}
    assert len(parsed.get_edges()) == 1
    expected = "".join("\ufffd" if (ord(c) < 0x20 and c != "\n") or c in "\u2028\ud800" else c
                       for c in text.replace("\r\n", "\n"))
    assert unquote(nodes["n1"].get("label")) == expected


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_dot_quote_round_trips_any_text(text: str) -> None:
    quoted = dot_writer.quote(text)
    parsed = parse_dot(f"digraph {{ n1 [label={quoted}] }}")
    assert set(all_nodes(parsed)) == {"n1"}
    assert "\n" not in quoted and "\r" not in quoted
    # what comes back is the text, line breaks unified and control characters replaced
    back = unquote(all_nodes(parsed)["n1"].get("label"))
    assert back.replace("\ufffd", "") == "".join(
        c for c in text.replace("\r\n", "\n").replace("\r", "\n")
        if c == "\n" or not hidden(c)
    ).replace("\ufffd", "")


@pytest.mark.skipif(not HAS_DOT, reason="Graphviz is not installed")
def test_graphviz_reads_hostile_labels_as_one_node() -> None:
    labels = " ".join(f"n{i} [label={dot_writer.quote(t)}];" for i, t in enumerate(HOSTILE))
    done = subprocess.run(["dot", "-Tcanon"], input=f"digraph {{ {labels} }}".encode(),
                          capture_output=True, check=False)
    assert done.returncode == 0, done.stderr
    canon = done.stdout.decode("utf-8", "replace")
    declared = set(re.findall(r"^\s*(n\d+)\s*\[", canon, re.M))
    assert declared == {f"n{i}" for i in range(len(HOSTILE))}


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_mermaid_escape_leaves_no_syntax(text: str) -> None:
    escaped = mermaid_writer.escape(text)
    plain = _ENTITY.sub("", escaped.replace("<br/>", ""))
    assert not set(plain) & set('"<>|`\\%#[]{}&;\n\r')


@pytest.mark.parametrize("text", HOSTILE)
def test_mermaid_hostile_label_is_one_node(text: str) -> None:
    graph = nx.DiGraph()
    graph.add_node("category:x", kind="category", label=text)
    graph.add_node(f"function:{text}", kind="handler", label=text, module=text, tagged=False)
    graph.add_edge("category:x", f"function:{text}", kind="calls", categories=[text, text + "2"])
    out = to_mermaid(graph)
    assert_safe_mermaid(out)
    assert len(re.findall(r"^\s*n\d+[(\[{>]", out, re.M)) == 2


# -- a hostile project, end to end -------------------------------------------------------------
HOSTILE_DIR = 'odd"dir{x}-->y\\z\nq<b>%%'
HOSTILE_VIEWS = '''\
import logging

import requests
from flask import Flask, request

app = Flask(__name__)
log = logging.getLogger(__name__)


@app.route("/signup", methods=["POST"])
def signup():
    email = request.form["email"]
    log.info("signup %s", email)
    notify(email)
    return "ok"


def notify(email):
    # gdpr: shares=contact.email to="evil\\" --> n1 {x} <b>|y| end" purpose=notify basis=contract
    requests.post("https://api.example.com/notify", json={"email": email})
'''


@pytest.fixture
def hostile_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    try:
        folder = tmp_path / HOSTILE_DIR
        folder.mkdir()
    except OSError:  # pragma: no cover - file systems that refuse such names
        pytest.skip("the file system refuses hostile directory names")
    (folder / "views.py").write_text(HOSTILE_VIEWS)
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_hostile_names_cannot_break_dot_or_mermaid(hostile_project: Path) -> None:
    graph = export_graph(scan_project(hostile_project))
    module = HOSTILE_DIR + ".views"
    assert f"function:{module}.signup" in graph
    recipient = 'evil" --> n1 {x} <b>|y| end'
    assert f"sink:third_party:{recipient}" in graph

    parsed = parse_dot(to_dot(graph))
    nodes = by_pdlint_id(parsed)
    assert set(nodes) == set(graph)
    assert len(parsed.get_edges()) == graph.number_of_edges()
    assert unquote(nodes[f"sink:third_party:{recipient}"].get("label")) == \
        f"{recipient}\nthird party"
    assert module in clusters(parsed)

    text = to_mermaid(graph)
    assert_safe_mermaid(text)
    assert len(re.findall(r"^\s*n\d+[(\[{>]", text, re.M)) == len(graph)

    result = invoke("graph", "--no-cache", "--format", "mermaid")
    assert result.exit_code == 0, result.output
    assert result.stdout == text
    if HAS_DOT:
        result = invoke("graph", "--no-cache", "-o", "hostile.svg")
        assert result.exit_code == 0, result.output
        assert "</svg>" in (hostile_project / "hostile.svg").read_text(encoding="utf-8")


# -- the command -----------------------------------------------------------------------------------
@pytest.fixture
def in_flask_shop(monkeypatch: pytest.MonkeyPatch) -> Path:
    root = FIXTURES / "flask_shop"
    monkeypatch.chdir(root)
    return root


def test_graph_is_registered_and_formats_agree() -> None:
    assert {c.name for c in commands_pkg.COMMANDS} >= {"graph", "inventory"}
    assert graph_command.GRAPH_FORMATS == GRAPH_FORMATS
    assert graph_command.COLLAPSE_LEVELS == focus_mod.COLLAPSE_LEVELS == COLLAPSE_LEVELS


def test_cli_default_is_dot_on_stdout(in_flask_shop: Path) -> None:
    result = invoke("graph", "--no-cache")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("strict digraph {")
    assert set(by_pdlint_id(parse_dot(result.stdout))) == set(fixture_graph("flask_shop"))


def test_cli_format_follows_the_output_suffix(in_flask_shop: Path, tmp_path: Path) -> None:
    for name, start in (("g.json", "{"), ("g.mmd", "%% pdlint"), ("g.dot", "strict digraph"),
                        ("g.md", "```mermaid\n%% pdlint")):
        target = tmp_path / name
        result = invoke("graph", "--no-cache", "-o", str(target))
        assert result.exit_code == 0, result.output
        assert target.read_text(encoding="utf-8").startswith(start)
        assert f"wrote {target}" in result.output


def test_cli_filters(in_flask_shop: Path) -> None:
    result = invoke("graph", "--no-cache", "--format", "json", "--category", "email",
                    "--focus", "shop.views.signup", "--depth", "1")
    assert result.exit_code == 0, result.output
    nodes = {n["id"] for n in json.loads(result.stdout)["nodes"]}
    assert "function:shop.views.signup" in nodes and "category:contact.email" in nodes
    assert not any(n.startswith("category:") and n != "category:contact.email" for n in nodes)
    result = invoke("graph", "--no-cache", "--format", "json", "--collapse", "module",
                    "--sinks-only")
    assert result.exit_code == 0, result.output
    kinds = {n["kind"] for n in json.loads(result.stdout)["nodes"]}
    assert kinds <= {"module", "category", "sink"}


@pytest.mark.parametrize(("args", "message"), [
    (("--category", "contact.emial"), "unknown data category 'contact.emial' (did you mean "
                                      "'contact.email'?)"),
    (("--focus", "shop.views.nothing"), "--focus 'shop.views.nothing' matches nothing"),
    (("--format", "mermaid", "-o", "x.png"), "only --format dot can be rendered"),
    (("-o", "/nonexistent-dir/x.dot"), "cannot write /nonexistent-dir/x.dot"),
    (("no-such-path",), "no-such-path: no such file or directory"),
])
def test_cli_errors_exit_2(in_flask_shop: Path, args: tuple[str, ...], message: str) -> None:
    result = invoke("graph", "--no-cache", *args)
    assert result.exit_code == 2
    assert "pdlint: error: " in result.output and message in result.output
    assert "Traceback" not in result.output


def test_cli_says_when_graphviz_is_missing(in_flask_shop: Path, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("pdlint.export.render.find_dot", lambda: None)
    result = invoke("graph", "--no-cache", "-o", str(tmp_path / "g.svg"))
    assert result.exit_code == 2
    assert "needs Graphviz's `dot`, which is not installed" in result.output
    assert "--output FILE.dot" in result.output
    assert not (tmp_path / "g.svg").exists()
    with pytest.raises(RenderError, match="not installed"):
        render("digraph {}", tmp_path / "g.png")


@pytest.mark.skipif(not HAS_DOT, reason="Graphviz is not installed")
def test_cli_renders_pictures(in_flask_shop: Path, tmp_path: Path) -> None:
    for suffix, magic in ((".svg", b"<?xml"), (".png", b"\x89PNG"), (".pdf", b"%PDF")):
        target = tmp_path / f"g{suffix}"
        result = invoke("graph", "--no-cache", "--collapse", "module", "-o", str(target))
        assert result.exit_code == 0, result.output
        assert target.read_bytes().startswith(magic)


def test_render_reports_graphviz_failures(tmp_path: Path) -> None:
    fake = tmp_path / "dot"
    fake.write_text("#!/bin/sh\necho 'Error: syntax error in line 1' >&2\nexit 1\n")
    fake.chmod(0o755)
    with pytest.raises(RenderError, match="syntax error in line 1"):
        render("digraph {", tmp_path / "out.svg", executable=str(fake))
    with pytest.raises(RenderError, match="use .svg, .png or .pdf"):
        render("digraph {}", tmp_path / "out.gif", executable=str(fake))


def test_cli_warns_about_an_empty_graph(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "lib.py").write_text("def add(a, b):\n    return a + b\n")
    monkeypatch.chdir(tmp_path)
    result = invoke("graph", "--no-cache", "--format", "mermaid")
    assert result.exit_code == 0
    assert "the graph is empty" in result.output
    assert result.stdout.startswith("%% pdlint personal-data flow graph\nflowchart LR\n")
