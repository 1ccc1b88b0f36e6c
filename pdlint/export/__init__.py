"""Exporting the personal-data flow graph: ``pdlint graph``.

:func:`export_graph` enriches the scan's graph (:mod:`pdlint.export.enrich`),
:mod:`pdlint.export.focus` narrows it, and the writers turn it into DOT
(:mod:`~pdlint.export.dot`), Mermaid (:mod:`~pdlint.export.mermaid`) or node-link JSON
(:mod:`~pdlint.export.json_graph`); :mod:`~pdlint.export.render` runs Graphviz for pictures.
"""

from __future__ import annotations

from collections.abc import Callable

import networkx as nx

from pdlint.export.dot import to_dot
from pdlint.export.enrich import LOG_SINKS, export_graph
from pdlint.export.focus import COLLAPSE_LEVELS, Focus, FocusError, apply
from pdlint.export.json_graph import to_json
from pdlint.export.mermaid import to_mermaid
from pdlint.export.render import RenderError

WRITERS: dict[str, Callable[[nx.DiGraph], str]] = {
    "dot": to_dot,
    "mermaid": to_mermaid,
    "json": to_json,
}
GRAPH_FORMATS: tuple[str, ...] = tuple(WRITERS)

#: Output suffixes that choose a format when ``--format`` is not given.
SUFFIX_FORMATS: dict[str, str] = {
    ".dot": "dot", ".gv": "dot", ".svg": "dot", ".png": "dot", ".pdf": "dot",
    ".mmd": "mermaid", ".mermaid": "mermaid", ".md": "mermaid",
    ".json": "json",
}


def write(graph: nx.DiGraph, fmt: str) -> str:
    """The graph as text in ``fmt`` (one of :data:`GRAPH_FORMATS`)."""
    return WRITERS[fmt](graph)


__all__ = [
    "COLLAPSE_LEVELS",
    "GRAPH_FORMATS",
    "LOG_SINKS",
    "SUFFIX_FORMATS",
    "WRITERS",
    "Focus",
    "FocusError",
    "RenderError",
    "apply",
    "export_graph",
    "to_dot",
    "to_json",
    "to_mermaid",
    "write",
]
