"""The exported flow graph: the scan's graph plus what a reader of a data map needs.

:func:`pdlint.graph.build_graph` gives categories, models/fields, functions/handlers and the
log-like sinks that rules query. For a picture of where personal data goes, the export adds,
from the same facts and data flow (never from source):

- ``module`` on every model/field node, so exporters can cluster by module or package;
- ``declared`` on field nodes: a field tag, or its class tag, declares a covering category
  (what PDL105 accepts), where ``tagged`` only says the field carries a tag itself;
- third-party sinks ``sink:third_party:<recipient>``: calls into known SDKs and HTTP clients
  that receive personal data (§3.6 of the domain notes), and recipients declared with
  ``to=`` in a function's tag (``declared=True`` edges);
- storage: ``writes`` edges from a function to the model it constructs or creates through a
  manager, or to the field whose attribute it assigns; client-side and shared stores
  (``sink:storage:cookie``, ``sink:storage:cache``, ``sink:storage:messages``) and task
  queues (``sink:queue``);
- ``sink:response``: personal data a route or view returns.

Every ``sink`` node carries ``sink_kind`` (``log``, ``print``, ``warn``, ``tracker``,
``exception``, ``third_party``, ``storage``, ``queue``, ``response``); only edges into the
log-like ones are leaks (``leak=True``), as in the scan's graph.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import networkx as nx

from pdlint.flows import Flow
from pdlint.graph import function_attrs
from pdlint.knowledge import LEAK_KINDS, SinkKind

if TYPE_CHECKING:
    from pdlint.project import Project

#: Sinks whose edges are leaks (personal data written to logs and their relatives).
LOG_SINKS: frozenset[str] = frozenset(kind.value for kind in LEAK_KINDS)


def _merge_edge(graph: nx.DiGraph, source: str, target: str, kind: str,
                categories: Iterable[str], *, declared: bool = False) -> None:
    """Add or widen an edge; an edge is ``declared`` only while every source of it is."""
    found = sorted(set(categories))
    if graph.has_edge(source, target):
        data = graph.edges[source, target]
        data["categories"] = sorted(set(data.get("categories", [])) | set(found))
        if not declared:
            data["detected"] = True
        data["declared"] = bool(data.get("declared")) or declared
        return
    attrs: dict[str, object] = {"kind": kind, "categories": found}
    if kind == "sends":
        attrs["leak"] = False
    attrs["declared"] = declared
    attrs["detected"] = not declared
    graph.add_edge(source, target, **attrs)


def _sink(graph: nx.DiGraph, kind: str, name: str | None = None) -> str:
    node = f"sink:{kind}" if name is None else f"sink:{kind}:{name}"
    if node not in graph:
        attrs: dict[str, object] = {"kind": "sink", "label": name or kind, "sink_kind": kind}
        if name is not None:
            attrs["recipient" if kind == "third_party" else "store"] = name
        graph.add_node(node, **attrs)
    return node


class _Enricher:
    def __init__(self, project: Project, graph: nx.DiGraph) -> None:
        self.project = project
        self.graph = graph
        self.module_of_path = {facts.path: facts.module for facts in project.files}

    # -- nodes ----------------------------------------------------------------------------
    def annotate_nodes(self) -> None:
        graph, project = self.graph, self.project
        for node in sorted(graph):
            data = graph.nodes[node]
            kind = data.get("kind")
            if kind in ("model", "field") and "path" in data and "module" not in data:
                module = self.module_of_path.get(str(data["path"]))
                if module is not None:
                    data["module"] = module
            if kind == "module" and "module" not in data:
                data["module"] = str(data.get("label", node.partition(":")[2]))
            if kind == "sink" and "sink_kind" not in data:
                data["sink_kind"] = str(data.get("label", node.partition(":")[2]))
            if kind == "field":
                data["declared"] = project.field_declared(node.partition(":")[2])

    def function_node(self, symbol: str) -> str:
        node = f"function:{symbol}"
        if node in self.graph:
            return node
        self.graph.add_node(node, **function_attrs(self.project, symbol))
        return node

    # -- edges: the project's flows that are not leaks (the scan's graph has those) -------
    def add_flows(self) -> None:
        for flow in self.project.flows:
            if flow.kind.leaks:
                continue
            self._render(flow)

    def _render(self, flow: Flow) -> None:
        source = self.function_node(flow.source)
        if flow.kind is SinkKind.MODEL:
            target = f"field:{flow.target}" if flow.field else f"model:{flow.target}"
            _merge_edge(self.graph, source, target, "writes", flow.categories)
            return
        sink = _sink(self.graph, flow.kind.value, flow.target)
        _merge_edge(self.graph, source, sink, "sends", flow.categories, declared=flow.declared)


def export_graph(project: Project) -> nx.DiGraph:
    """A copy of the project's flow graph with modules, storage, recipients and responses."""
    graph = project.graph.copy()
    enricher = _Enricher(project, graph)
    enricher.annotate_nodes()
    enricher.add_flows()
    enricher.annotate_nodes()  # nodes added for flows need their module too
    for _u, _v, data in graph.edges(data=True):  # one schema for every edge
        data.setdefault("categories", [])
        data.setdefault("declared", False)
        data.setdefault("detected", True)
        if data.get("kind") == "sends":
            data.setdefault("leak", False)
    return graph
