"""Narrowing the flow graph to what a person can read: filters applied before export.

Applied in this order by :func:`apply`: only what touches some categories
(``--category``), the neighbourhood of some symbols (``--focus``/``--depth``), only the
paths from data to sinks (``--sinks-only``), then one node per module or package
(``--collapse``). Every function returns a new graph and leaves its input alone.
"""

from __future__ import annotations

import difflib
from collections import deque
from collections.abc import Collection, Iterable
from dataclasses import dataclass

import networkx as nx

from pdlint import taxonomy

COLLAPSE_LEVELS: tuple[str, ...] = ("none", "module", "package")
_KINDS = ("function", "model", "field", "category", "sink", "module")
# Edge kinds in order of importance: a collapsed edge shows the strongest kind it merges.
_EDGE_RANK = ("sends", "writes", "calls", "reads", "holds", "has")


class FocusError(ValueError):
    """A focus option names nothing in the graph (a usage error: exit 2)."""


@dataclass(frozen=True)
class Focus:
    categories: tuple[str, ...] = ()  # canonical keys; a parent covers its children
    symbols: tuple[str, ...] = ()
    depth: int = 2
    collapse: str = "none"
    sinks_only: bool = False

    @property
    def narrows(self) -> bool:
        return bool(self.categories or self.symbols or self.sinks_only
                    or self.collapse != "none")


def apply(graph: nx.DiGraph, focus: Focus, packages: Collection[str] = ()) -> nx.DiGraph:
    """``graph`` narrowed by every option of ``focus`` (see the module docstring)."""
    result = graph
    if focus.categories:
        result = by_category(result, focus.categories)
    if focus.symbols:
        seeds: list[str] = []
        for symbol in focus.symbols:
            seeds.extend(find_nodes(result, symbol, fallback=graph))
        result = neighbourhood(result, seeds, focus.depth)
    if focus.sinks_only:
        result = sinks_only(result)
    if focus.collapse != "none":
        result = collapse(result, focus.collapse, packages)
    return result if result is not graph else graph.copy()


# -- by category ---------------------------------------------------------------------------
def by_category(graph: nx.DiGraph, keys: Iterable[str]) -> nx.DiGraph:
    """Only what touches ``keys``: edges carrying them (labels trimmed to them), their ends,
    the matching category nodes, and the models owning kept fields."""
    wanted = tuple(keys)

    def matches(category: str) -> bool:
        return any(taxonomy.covers(key, category) for key in wanted)

    result = nx.DiGraph()
    result.graph.update(graph.graph)
    for node, data in graph.nodes(data=True):
        if data.get("kind") == "category" and matches(str(data.get("label", ""))):
            result.add_node(node, **data)
    for source, target, data in graph.edges(data=True):
        kept = [c for c in data.get("categories") or () if matches(c)]
        if not kept:
            continue
        for node in (source, target):
            if node not in result:
                result.add_node(node, **graph.nodes[node])
        result.add_edge(source, target, **{**data, "categories": kept})
    _add_owning_models(graph, result)
    return result


def _add_owning_models(graph: nx.DiGraph, result: nx.DiGraph) -> None:
    for node in sorted(result):
        if result.nodes[node].get("kind") != "field":
            continue
        for model in graph.predecessors(node):
            if graph.nodes[model].get("kind") == "model" and \
                    graph.edges[model, node].get("kind") == "has":
                if model not in result:
                    result.add_node(model, **graph.nodes[model])
                result.add_edge(model, node, **graph.edges[model, node])


# -- neighbourhood -------------------------------------------------------------------------
def find_nodes(graph: nx.DiGraph, text: str, fallback: nx.DiGraph | None = None) -> list[str]:
    """Nodes that ``text`` names, most specific reading first.

    Accepted: a node id (``function:app.views.register``), a symbol or category key without
    the kind (``app.views.register``, ``contact.email``), a module or package (every node
    in it), or a unique dotted suffix (``views.register``). Raises :class:`FocusError` with
    a suggestion when nothing matches.
    """
    text = text.strip()
    if not text:
        raise FocusError("--focus needs a symbol, module or category")
    if text in graph:
        return [text]
    exact = [f"{kind}:{text}" for kind in _KINDS if f"{kind}:{text}" in graph]
    if exact:
        return exact
    in_module = sorted(node for node, data in graph.nodes(data=True)
                       if isinstance(data.get("module"), str)
                       and (data["module"] == text or str(data["module"]).startswith(text + ".")))
    if in_module:
        return in_module
    suffix = sorted(node for node in graph
                    if node.partition(":")[2].endswith("." + text))
    if suffix:
        return suffix
    pool = fallback if fallback is not None else graph
    names = sorted({node.partition(":")[2] for node in pool})
    close = difflib.get_close_matches(text, names, n=1, cutoff=0.6)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    where = "in the graph" if fallback is None or text not in fallback else \
        "in the graph left by the other filters"
    raise FocusError(f"--focus '{text}' matches nothing {where}{hint}")


def neighbourhood(graph: nx.DiGraph, seeds: Iterable[str], depth: int) -> nx.DiGraph:
    """The seeds, what flows into them and what they flow into, up to ``depth`` steps each
    way (siblings sharing a category are left out), plus the models of included fields."""
    seeds = [seed for seed in seeds if seed in graph]
    keep: set[str] = set(seeds)
    for step in (graph.successors, graph.predecessors):
        frontier = deque((seed, 0) for seed in seeds)
        seen = set(seeds)
        while frontier:
            node, distance = frontier.popleft()
            if distance >= depth:
                continue
            for other in sorted(step(node)):
                if other not in seen:
                    seen.add(other)
                    keep.add(other)
                    frontier.append((other, distance + 1))
    result = graph.subgraph(keep).copy()
    _add_owning_models(graph, result)
    return result


# -- sources to sinks ----------------------------------------------------------------------
def _reach(adjacency: dict[str, list[str]], starts: Iterable[str]) -> set[str]:
    seen = set(starts)
    queue = deque(seen)
    while queue:
        node = queue.popleft()
        for other in adjacency.get(node, ()):
            if other not in seen:
                seen.add(other)
                queue.append(other)
    return seen


def sinks_only(graph: nx.DiGraph) -> nx.DiGraph:
    """Only nodes on a path carrying personal data from a category to a sink (a log, a third
    party, a response, a store, or a model/field written to)."""
    forward: dict[str, list[str]] = {}
    backward: dict[str, list[str]] = {}
    edges = []
    sinks: set[str] = set()
    for source, target, data in graph.edges(data=True):
        kind = data.get("kind")
        if kind in ("has", "holds") or not data.get("categories"):
            continue
        edges.append((source, target))
        forward.setdefault(source, []).append(target)
        backward.setdefault(target, []).append(source)
        if kind == "writes":
            sinks.add(target)
    sinks.update(node for node, data in graph.nodes(data=True) if data.get("kind") == "sink")
    sources = {node for node, data in graph.nodes(data=True) if data.get("kind") == "category"}
    keep = _reach(forward, sources) & _reach(backward, sinks)
    result = nx.DiGraph()
    result.graph.update(graph.graph)
    for node in sorted(keep):
        result.add_node(node, **graph.nodes[node])
    for source, target in edges:
        if source in keep and target in keep:
            result.add_edge(source, target, **graph.edges[source, target])
    _add_owning_models(graph, result)
    return result


# -- collapse ------------------------------------------------------------------------------
def _group(node: str, data: dict[str, object], level: str, packages: Collection[str]) -> str:
    kind = data.get("kind")
    module = data.get("module")
    if kind in ("category", "sink") or not isinstance(module, str) or not module:
        return node
    if level == "package" and module not in packages:
        module = module.rpartition(".")[0] or module
    elif level.isdigit():
        module = ".".join(module.split(".")[:int(level)])
    return f"module:{module}"


def valid_level(level: str) -> bool:
    """``none``, ``module``, ``package``, or N (keep N leading parts of the module path)."""
    return level in COLLAPSE_LEVELS or (level.isdigit() and int(level) > 0)


def collapse(graph: nx.DiGraph, level: str, packages: Collection[str] = ()) -> nx.DiGraph:
    """One node per module, per package (``packages`` names the modules that are packages,
    i.e. ``__init__`` files), or per N leading parts of the module path (``level="2"``:
    ``app.billing.views`` → ``app.billing``), with edges merged and calls inside a group
    dropped."""
    if not valid_level(level):
        raise FocusError(f"--collapse must be one of {', '.join(COLLAPSE_LEVELS)} or a "
                         f"positive number, not '{level}'")
    if level == "none":
        return graph.copy()
    result = nx.DiGraph()
    result.graph.update(graph.graph)
    group: dict[str, str] = {}
    counts: dict[str, dict[str, int]] = {}
    for node in sorted(graph):
        data = graph.nodes[node]
        target = _group(node, data, level, packages)
        group[node] = target
        if target == node:
            result.add_node(node, **data)
            continue
        module = target.partition(":")[2]
        tally = counts.setdefault(target, {"handlers": 0, "untagged_handlers": 0,
                                           "functions": 0, "models": 0, "fields": 0,
                                           "undeclared_fields": 0})
        kind = data.get("kind")
        if kind == "handler":
            tally["handlers"] += 1
            tally["untagged_handlers"] += 0 if data.get("tagged") else 1
        elif kind == "function":
            tally["functions"] += 1
        elif kind == "model":
            tally["models"] += 1
        elif kind == "field":
            tally["fields"] += 1
            tally["undeclared_fields"] += 0 if data.get("declared", data.get("tagged")) else 1
        if target not in result:
            result.add_node(target, kind="module", label=module, module=module)
    for target, tally in counts.items():
        result.nodes[target].update(tally)
        result.nodes[target]["tagged"] = not (tally["untagged_handlers"]
                                              or tally["undeclared_fields"])
    merged: dict[tuple[str, str], dict[str, object]] = {}
    for source, target, data in sorted(graph.edges(data=True), key=lambda e: (e[0], e[1])):
        a, b = group[source], group[target]
        if a == b:
            continue
        edge = merged.setdefault((a, b), {"kinds": set(), "categories": set(), "leak": False,
                                          "declared": True, "detected": False})
        edge["kinds"].add(str(data.get("kind", "")))  # type: ignore[attr-defined]
        edge["categories"].update(data.get("categories") or ())  # type: ignore[attr-defined]
        edge["leak"] = bool(edge["leak"]) or bool(data.get("leak"))
        edge["declared"] = bool(edge["declared"]) and bool(data.get("declared"))
        edge["detected"] = bool(edge["detected"]) or bool(data.get("detected", True))
    for (a, b), edge in sorted(merged.items()):
        kinds = sorted(edge["kinds"], key=lambda k: _EDGE_RANK.index(k)  # type: ignore[call-overload]
                       if k in _EDGE_RANK else len(_EDGE_RANK))
        attrs: dict[str, object] = {
            "kind": kinds[0],
            "kinds": kinds,
            "categories": sorted(edge["categories"]),  # type: ignore[call-overload]
            "declared": edge["declared"],
            "detected": edge["detected"],
        }
        if kinds[0] == "sends":
            attrs["leak"] = edge["leak"]
        result.add_edge(a, b, **attrs)
    return result
