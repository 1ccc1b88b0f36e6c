"""The personal-data flow graph (networkx): the product's central data structure.

Built at link time from per-file facts and the propagated data flow:

- ``category:<key>`` nodes (data categories; special ones flagged),
- ``model:<symbol>`` and ``field:<symbol>`` nodes (models/schemas holding personal data),
- ``function:<symbol>`` nodes (handlers flagged with their framework and kind, tagged or not),
- ``sink:<kind>`` nodes (log, print, warn, tracker, exception), from the leak flows of
  :attr:`Project.flows <pdlint.project.Project.flows>`;

and edges ``holds`` (field → category), ``has`` (model → field), ``reads`` (category →
function), ``calls`` (function → function, labelled with the categories passed along) and
``sends`` (function → sink, labelled with the categories that reach it; a leak). Rules query
the flows (:mod:`pdlint.flows`) this graph renders; ``pdlint graph`` exports it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import networkx as nx

from pdlint import taxonomy

if TYPE_CHECKING:
    from pdlint.project import Project


def function_attrs(project: Project, symbol: str) -> dict[str, object]:
    """Node attributes of a function: where it is, whether it is a (tagged) handler."""
    entry = project.functions.get(symbol)
    handler = project.handlers.get(symbol)
    attrs: dict[str, object] = {
        "kind": "handler" if handler else "function",
        "label": symbol,
        "tagged": bool(project.covering_tags(symbol)),
    }
    if entry is not None:
        attrs["path"] = entry[1].path
        attrs["line"] = entry[0].span.line
        attrs["module"] = entry[1].module
    if handler is not None:
        attrs["framework"] = handler.framework
        attrs["handler_kind"] = handler.kind
    return attrs


def build_graph(project: Project) -> nx.DiGraph:
    graph = nx.DiGraph()
    def category_node(key: str) -> str:
        node = f"category:{key}"
        if node not in graph:
            graph.add_node(node, kind="category", label=key,
                           special=taxonomy.is_special(key) or taxonomy.is_criminal(key))
        return node

    for symbol in sorted(project.models.models):
        model = project.models.models[symbol]
        pii = [f for f in model.fields if f.classification and f.classification.kind == "value"]
        if not pii:
            continue
        model_node = f"model:{symbol}"
        graph.add_node(model_node, kind="model", label=model.name, path=model.path,
                       line=model.span.line, framework=model.framework,
                       tagged=bool(project.tags_of(symbol)))
        for field in pii:
            assert field.classification is not None
            field_node = f"field:{field.symbol}"
            graph.add_node(field_node, kind="field", label=f"{model.name}.{field.name}",
                           path=field.path, line=field.span.line,
                           tagged=bool(project.tags_of(field.symbol)))
            graph.add_edge(model_node, field_node, kind="has", categories=[])
            graph.add_edge(field_node, category_node(field.classification.category),
                           kind="holds", categories=[field.classification.category])

    def function_node(symbol: str) -> str:
        node = f"function:{symbol}"
        if node not in graph:
            graph.add_node(node, **function_attrs(project, symbol))
        return node

    flows = project.flows
    for read in flows.reads:
        graph.add_edge(category_node(read.category), function_node(read.function),
                       kind="reads", categories=[read.category])
    for passing in flows.passings:
        source, dest = function_node(passing.caller), function_node(passing.callee)
        passed = set(passing.categories)
        if graph.has_edge(source, dest):
            passed.update(graph.edges[source, dest]["categories"])
        graph.add_edge(source, dest, kind="calls", categories=sorted(passed))

    for edge in flows.leaks():
        if not edge.categories:
            continue
        sink = f"sink:{edge.kind}"
        if sink not in graph:
            graph.add_node(sink, kind="sink", label=str(edge.kind))
        source = f"module:{edge.source}" if edge.from_module else function_node(edge.source)
        if source not in graph:
            graph.add_node(source, kind="module", label=edge.source)
        existing = graph.edges[source, sink]["categories"] if graph.has_edge(source, sink) else []
        graph.add_edge(source, sink, kind="sends", leak=True,
                       categories=sorted(set(existing) | set(edge.categories)))
    return graph
