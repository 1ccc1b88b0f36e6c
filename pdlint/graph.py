"""The personal-data flow graph (networkx): the product's central data structure.

Built at link time from per-file facts and the propagated data flow:

- ``category:<key>`` nodes (data categories; special ones flagged),
- ``model:<symbol>`` and ``field:<symbol>`` nodes (models/schemas holding personal data),
- ``function:<symbol>`` nodes (handlers flagged with their framework and kind, tagged or not),
- ``sink:<kind>`` nodes (log, print, warn, tracker, exception);

and edges ``holds`` (field → category), ``has`` (model → field), ``reads`` (category →
function), ``calls`` (function → function, labelled with the categories passed along) and
``sends`` (function → sink, labelled with the categories that reach it; a leak). Rules query
the data flow directly; ``pdlint graph`` exports this graph.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import networkx as nx

from pdlint import taxonomy
from pdlint.dataflow import value_data

if TYPE_CHECKING:
    from pdlint.project import Project


def _categories(data: object) -> list[str]:
    return sorted({d.category for d in value_data(data)})  # type: ignore[arg-type]


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
    flow = project.dataflow

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

    for symbol in sorted(flow.units):
        unit = flow.units[symbol]
        if unit.function is None:
            continue
        read = _categories(flow.concrete(unit, unit.function.reads, with_params=False))
        for key in read:
            graph.add_edge(category_node(key), function_node(symbol), kind="reads",
                           categories=[key])
        for call, target in flow.callees(symbol):
            callee = flow.units[target]
            assert callee.function is not None
            passed: set[str] = set()
            for atoms in flow.bind_args(call, callee.function).values():
                passed.update(_categories(flow.concrete(unit, atoms)))
            source, dest = function_node(symbol), function_node(target)
            if graph.has_edge(source, dest):
                passed.update(graph.edges[source, dest]["categories"])
            graph.add_edge(source, dest, kind="calls", categories=sorted(passed))

    for hit in flow.sink_hits():
        categories = _categories(hit.data)
        if not categories or hit.unit.facts.is_test:
            continue
        sink = f"sink:{hit.call.sink}"
        if sink not in graph:
            graph.add_node(sink, kind="sink", label=hit.call.sink)
        source = (function_node(hit.unit.symbol) if hit.unit.function
                  else f"module:{hit.unit.symbol}")
        if source not in graph:
            graph.add_node(source, kind="module", label=hit.unit.symbol)
        existing = graph.edges[source, sink]["categories"] if graph.has_edge(source, sink) else []
        graph.add_edge(source, sink, kind="sends", leak=True,
                       categories=sorted(set(existing) | set(categories)))
    return graph
