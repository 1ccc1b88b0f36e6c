"""Mermaid ``flowchart LR`` (renders in GitHub Markdown inside a ```mermaid block).

Node ids are ``n1``, ``n2``… and subgraph ids ``c1``, ``c2``…; every label is a quoted
Mermaid string whose risky characters are written as Mermaid entity codes (``#quot;``,
``#lt;``, ``#35;``…) by :func:`escape`, so names from the scanned code cannot close a label,
start an edge (``-->``), open a shape, inject HTML or a ``%%{init}%%`` directive.
"""

from __future__ import annotations

from collections.abc import Mapping

import networkx as nx

from pdlint.export import style

# Characters written as entity codes inside labels. `#` must be one of them: it starts an
# entity, so a literal `#35;` in a name stays text.
_ENTITIES: Mapping[str, str] = {
    '"': "#quot;",
    "#": "#35;",
    "&": "#amp;",
    "<": "#lt;",
    ">": "#gt;",
    "|": "#124;",
    "`": "#96;",
    "\\": "#92;",
    "%": "#37;",
    "[": "#91;",
    "]": "#93;",
    "{": "#123;",
    "}": "#125;",
    ";": "#59;",
}


def escape(text: str) -> str:
    """Text for the inside of a quoted Mermaid label; line breaks become ``<br/>``."""
    out: list[str] = []
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    for char in text:
        if char == "\n":
            out.append("<br/>")
        elif char in _ENTITIES:
            out.append(_ENTITIES[char])
        elif style.unrenderable(char):
            out.append("#65533;")
        else:
            out.append(char)
    return "".join(out)


def quote(text: str) -> str:
    return f'"{escape(text)}"'


def _class_def(look: style.Look) -> str:
    parts = [f"fill:{look.fill}", f"stroke:{look.stroke}", "color:#000"]
    if look.bold:
        parts.append("stroke-width:2px")
    if look.dashed:
        parts.append("stroke-dasharray:5 3")
    return ",".join(parts)


def to_mermaid(graph: nx.DiGraph) -> str:
    ids = {node: f"n{index}" for index, node in enumerate(sorted(graph), start=1)}
    lines = ["%% pdlint personal-data flow graph", "flowchart LR"]

    members: dict[str, list[str]] = {}
    loose: list[str] = []
    for node in sorted(graph):
        data = graph.nodes[node]
        kind = data.get("kind")
        if kind == "category":
            members.setdefault("\0categories", []).append(node)
        elif kind == "sink":
            members.setdefault("\0sinks", []).append(node)
        else:
            module = style.cluster_module(data)
            if module is None:
                loose.append(node)
            else:
                members.setdefault(module, []).append(node)
    tree = style.cluster_tree(k for k in members if not k.startswith("\0"))
    children: dict[str | None, list[str]] = {}
    for module in sorted(tree):
        children.setdefault(tree[module], []).append(module)
    cluster_ids = {module: f"c{index}" for index, module in enumerate(sorted(tree), start=1)}

    def node_line(node: str, indent: str) -> str:
        data = graph.nodes[node]
        opening, closing = style.look(data).mermaid
        return f"{indent}{ids[node]}{opening}{quote(style.node_label(node, data))}{closing}"

    def emit(module: str, depth: int) -> None:
        indent = "  " * depth
        lines.append(f"{indent}subgraph {cluster_ids[module]}[{quote(module)}]")
        for child in children.get(module, []):
            emit(child, depth + 1)
        for node in members.get(module, []):
            lines.append(node_line(node, indent + "  "))
        lines.append(f"{indent}end")

    next_id = len(cluster_ids) + 1
    if "\0categories" in members:
        lines.append(f"  subgraph c{next_id}[{quote(style.CATEGORY_CLUSTER)}]")
        next_id += 1
        lines.extend(node_line(node, "    ") for node in members["\0categories"])
        lines.append("  end")
    for module in children.get(None, []):
        emit(module, 1)
    for node in loose:
        lines.append(node_line(node, "  "))
    if "\0sinks" in members:
        lines.append(f"  subgraph c{next_id}[{quote(style.SINK_CLUSTER)}]")
        lines.extend(node_line(node, "    ") for node in members["\0sinks"])
        lines.append("  end")

    link_styles: dict[str, list[int]] = {}
    for index, (source, target) in enumerate(sorted(graph.edges())):
        data = graph.edges[source, target]
        look = style.edge_look(data)
        arrow = "-.->" if look.dashed else ("==>" if look.width >= 2 else "-->")
        label = style.edge_label(data)
        text = f"|{quote(label)}|" if label else ""
        lines.append(f"  {ids[source]} {arrow}{text} {ids[target]}")
        width = f"{look.width:g}px"
        link_styles.setdefault(f"stroke:{look.color},stroke-width:{width}", []).append(index)

    used: dict[str, list[str]] = {}
    for node in sorted(graph):
        used.setdefault(style.look_key(graph.nodes[node]), []).append(ids[node])
    for key in sorted(used):
        node_look = style.LOOKS[key]
        lines.append(f"  classDef {node_look.css_class} {_class_def(node_look)}")
        lines.append(f"  class {','.join(used[key])} {node_look.css_class}")
    for css, indexes in sorted(link_styles.items()):
        lines.append(f"  linkStyle {','.join(str(i) for i in indexes)} {css}")
    return "\n".join(lines) + "\n"
