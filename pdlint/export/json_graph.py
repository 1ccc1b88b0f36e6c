"""JSON: networkx node-link data (``nx.node_link_graph`` reads it back), sorted for diffs."""

from __future__ import annotations

from typing import Any

import networkx as nx

from pdlint.visible import dumps

SCHEMA = "pdlint-graph/1"


def _sorted_copy(graph: nx.DiGraph) -> nx.DiGraph:
    ordered = nx.DiGraph()
    ordered.graph.update(sorted(graph.graph.items()))
    for node in sorted(graph):
        ordered.add_node(node, **dict(sorted(graph.nodes[node].items())))
    for source, target in sorted(graph.edges()):
        ordered.add_edge(source, target, **dict(sorted(graph.edges[source, target].items())))
    return ordered


def node_link(graph: nx.DiGraph) -> dict[str, Any]:
    """Node-link data with an ``edges`` key (networkx ≥ 3.4 default spelling)."""
    ordered = _sorted_copy(graph)
    ordered.graph.setdefault("schema", SCHEMA)
    try:
        data: dict[str, Any] = nx.node_link_data(ordered, edges="edges")
    except TypeError:  # networkx < 3.4 calls the key ``link``
        data = nx.node_link_data(ordered, link="edges")  # type: ignore[call-arg]
    return data


def read_node_link(data: dict[str, Any]) -> nx.DiGraph:
    """The inverse of :func:`node_link` (used by tests and by tools reading the export)."""
    try:
        graph = nx.node_link_graph(data, edges="edges")
    except TypeError:  # pragma: no cover - networkx < 3.4
        graph = nx.node_link_graph(data, link="edges")  # type: ignore[call-arg]
    return graph  # type: ignore[no-any-return]


def to_json(graph: nx.DiGraph) -> str:
    return dumps(node_link(graph), indent=2, sort_keys=True) + "\n"
