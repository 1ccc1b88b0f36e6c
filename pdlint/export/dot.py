"""Graphviz DOT, written through networkx and pydot.

Node ids in the output are ``n1``, ``n2``… (sorted by pdlint id, so the text is stable);
the pdlint id travels in a ``pdlint_id`` attribute. Every attribute value is a DOT quoted
string built by :func:`quote`, so nothing that comes from the scanned code (module names,
custom categories, recipients, labels) can close a string, start an HTML label or add a
statement: pydot leaves a value that is already quoted as it is.
"""

from __future__ import annotations

from collections.abc import Mapping

import networkx as nx

from pdlint.export import style

_FONT = "Helvetica"


def escape(text: str) -> str:
    """Text for the inside of a DOT quoted string used as a label (an *escString*).

    Backslashes are doubled (Graphviz would read ``\\N``, ``\\G``, ``\\l`` as escapes), quotes
    are escaped, every line break becomes ``\\n`` (a centred line in the label), and other
    control characters are replaced by U+FFFD so they cannot upset a Graphviz parser.
    """
    out: list[str] = []
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    for char in text:
        if char == "\\":
            out.append("\\\\")
        elif char == '"':
            out.append('\\"')
        elif char == "\n":
            out.append("\\n")
        elif style.unrenderable(char):
            out.append("\ufffd")
        else:
            out.append(char)
    return "".join(out)


def quote(text: object) -> str:
    """A complete DOT quoted string: ``"..."``, with :func:`escape` applied."""
    return f'"{escape(str(text))}"'


def _attrs(values: Mapping[str, object]) -> dict[str, str]:
    return {key: quote(value) for key, value in values.items() if value is not None}


def node_attributes(node: str, data: Mapping[str, object]) -> dict[str, str]:
    look = style.look(data)
    styles = ["filled"]
    if data.get("kind") in ("handler", "function", "field"):
        styles.append("rounded")
    if look.dashed:
        styles.append("dashed")
    if look.bold:
        styles.append("bold")
    values: dict[str, object] = {
        "label": style.node_label(node, data),
        "shape": look.dot_shape,
        "style": ",".join(styles),
        "fillcolor": look.fill,
        "color": look.stroke,
        "tooltip": style.tooltip(node, data),
        "pdlint_id": node,
        "pdlint_kind": data.get("kind", ""),
    }
    if look.bold and look.css_class in ("special", "sink_log"):
        values["penwidth"] = "2"
        values["fontcolor"] = "#990000"
    return _attrs(values)


def edge_attributes(data: Mapping[str, object]) -> dict[str, str]:
    look = style.edge_look(data)
    values: dict[str, object] = {
        "color": look.color,
        "penwidth": f"{look.width:g}",
        "pdlint_kind": data.get("kind", ""),
    }
    label = style.edge_label(data)
    if label:
        values["label"] = label
        values["fontcolor"] = look.color
    if look.dashed:
        values["style"] = "dashed"
    if data.get("kind") == "has":
        values["arrowhead"] = "none"
    if data.get("kind") == "holds":
        # Fields sit with the storage on the right; what they hold must not pull them left.
        values["constraint"] = "false"
    categories = data.get("categories") or ()
    values["pdlint_categories"] = ",".join(str(c) for c in categories)  # type: ignore[attr-defined]
    return _attrs(values)


def to_dot(graph: nx.DiGraph, title: str | None = None) -> str:
    """The whole graph as DOT text: clusters per module/package, styles by kind."""

    ids = {node: f"n{index}" for index, node in enumerate(sorted(graph), start=1)}
    styled = nx.DiGraph()
    styled.graph["graph"] = _attrs({
        "rankdir": "LR",
        "fontname": _FONT,
        "fontsize": "11",
        "nodesep": "0.25",
        "ranksep": "0.6",
        "labelloc": "b",
        "label": title if title is not None else style.legend(),
    })
    styled.graph["node"] = _attrs({"fontname": _FONT, "fontsize": "10"})
    styled.graph["edge"] = _attrs({"fontname": _FONT, "fontsize": "8", "arrowsize": "0.7"})
    for node in sorted(graph):
        styled.add_node(ids[node], **node_attributes(node, graph.nodes[node]))
    for source, target in sorted(graph.edges()):
        styled.add_edge(ids[source], ids[target],
                        **edge_attributes(graph.edges[source, target]))

    dot = nx.nx_pydot.to_pydot(styled)
    # Edges go last, after the clusters, so every node is declared where it belongs first.
    edges = dot.get_edges()
    for edge in edges:
        dot.del_edge(edge.get_source(), edge.get_destination())
    _cluster(dot, graph, ids)
    for edge in edges:
        dot.add_edge(edge)
    return str(dot.to_string())


def _cluster(dot: object, graph: nx.DiGraph, ids: Mapping[str, str]) -> None:
    """Move nodes into one cluster per module (nested in package clusters), one for the
    data categories and one for the sinks."""
    import pydot

    assert isinstance(dot, pydot.Dot)
    members: dict[str, list[str]] = {}
    for node in sorted(graph):
        data = graph.nodes[node]
        kind = data.get("kind")
        if kind == "category":
            key = "\0categories"
        elif kind == "sink":
            key = "\0sinks"
        else:
            key = style.cluster_module(data) or "\0other"
        members.setdefault(key, []).append(node)
    tree = style.cluster_tree(k for k in members if not k.startswith("\0"))
    counter = iter(range(1, len(tree) + 4))
    clusters: dict[str, pydot.Cluster] = {}
    def new_cluster(label: str, fill: str, stroke: str) -> pydot.Cluster:
        cluster = pydot.Cluster(f"c{next(counter)}")
        for key, value in _attrs({
            "label": label, "style": "rounded,filled", "fillcolor": fill, "color": stroke,
            "fontname": _FONT, "fontsize": "11", "labeljust": "l",
        }).items():
            cluster.set(key, value)
        return cluster

    for module in sorted(tree):  # parents sort before their children
        clusters[module] = new_cluster(module, "#fbfbfb", "#bbbbbb")
    for module in sorted(tree):
        parent = tree[module]
        holder = clusters[parent] if parent is not None else dot
        holder.add_subgraph(clusters[module])  # type: ignore[arg-type]
    specials = {
        "\0categories": (style.CATEGORY_CLUSTER, "#fffdf3"),
        "\0sinks": (style.SINK_CLUSTER, "#fdf5f5"),
    }
    for key, (label, fill) in specials.items():
        if key in members:
            clusters[key] = new_cluster(label, fill, "#cccccc")
            dot.add_subgraph(clusters[key])  # type: ignore[arg-type]
    for key in sorted(members):
        home = clusters.get(key)
        if home is None:
            continue  # nodes without a module stay at the top level
        for node in members[key]:
            name = ids[node]
            found = dot.get_node(name)
            if not found:
                continue
            dot.del_node(name)
            home.add_node(found[0])
