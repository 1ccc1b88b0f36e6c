"""What the graph looks like, shared by the DOT and Mermaid writers.

Labels here are plain text (newlines allowed); each writer escapes them for its own syntax.
Colours follow one key, repeated in docs/graph.md:

- yellow ellipses: data categories; red and bold: special categories (Art. 9 / Art. 10);
- blue cylinders: models; light-blue boxes: their fields;
- green boxes: tagged handlers; orange dashed boxes: untagged handlers; grey: other code;
- red notes: log-like sinks (every edge into them is a leak, drawn red);
  purple: third parties; grey cylinders: storage; teal: responses; dashed edges: declared in
  a tag but not seen in the code.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from pdlint.export.enrich import LOG_SINKS
from pdlint.visible import hidden


def unrenderable(char: str) -> bool:
    """A character no label may carry as it is: anything not printable but the space (C0
    and C1 controls, bidirectional overrides and other format characters, the Unicode line
    and paragraph separators) and lone surrogates (which cannot be written as UTF-8). Both
    writers show U+FFFD in its place, each in its own syntax."""
    return hidden(char)

#: Edges drawn without a label: the category is the node at one end of them.
_SELF_EVIDENT = frozenset({"has", "holds", "reads"})
MAX_EDGE_CATEGORIES = 3

_SINK_CAPTIONS: Mapping[str, str] = {
    "log": "log",
    "print": "stdout / print",
    "warn": "warnings",
    "tracker": "error tracker",
    "exception": "exception message",
    "queue": "task queue",
    "response": "HTTP response",
}


@dataclass(frozen=True)
class Look:
    """Style of one node: a shape name per writer and fill/stroke colours."""

    dot_shape: str
    mermaid: tuple[str, str]  # opening and closing brackets of the Mermaid node shape
    fill: str
    stroke: str
    dashed: bool = False
    bold: bool = False
    css_class: str = ""


_LOOKS: Mapping[str, Look] = {
    "category": Look("ellipse", ("([", "])"), "#fff2cc", "#b59a2f", css_class="category"),
    "special": Look("ellipse", ("([", "])"), "#f8cecc", "#cc0000", bold=True,
                    css_class="special"),
    "model": Look("cylinder", ("[(", ")]"), "#dae8fc", "#6c8ebf", css_class="model"),
    "model_untagged": Look("cylinder", ("[(", ")]"), "#dae8fc", "#6c8ebf", dashed=True,
                           css_class="model_untagged"),
    "field": Look("box", ("(", ")"), "#eef4fb", "#6c8ebf", css_class="field"),
    "field_undeclared": Look("box", ("(", ")"), "#eef4fb", "#d79b00", dashed=True,
                             css_class="field_undeclared"),
    "handler": Look("box", ("[", "]"), "#d5e8d4", "#82b366", bold=True, css_class="handler"),
    "handler_untagged": Look("box", ("[", "]"), "#ffe6cc", "#d79b00", dashed=True, bold=True,
                             css_class="handler_untagged"),
    "function": Look("box", ("(", ")"), "#f5f5f5", "#999999", css_class="function"),
    "function_tagged": Look("box", ("(", ")"), "#f5f5f5", "#82b366", css_class="function_tagged"),
    "module": Look("tab", ("[", "]"), "#f5f5f5", "#666666", css_class="module"),
    "module_untagged": Look("tab", ("[", "]"), "#ffe6cc", "#d79b00", dashed=True,
                            css_class="module_untagged"),
    "sink_log": Look("note", ("{{", "}}"), "#f8cecc", "#cc0000", bold=True,
                     css_class="sink_log"),
    "sink_third_party": Look("house", (">", "]"), "#e1d5e7", "#9673a6", css_class="sink_third"),
    "sink_storage": Look("cylinder", ("[(", ")]"), "#eeeeee", "#666666",
                         css_class="sink_storage"),
    "sink_response": Look("cds", ("[/", "/]"), "#d0e0e3", "#45818e", css_class="sink_response"),
    "sink_other": Look("octagon", ("{{", "}}"), "#eeeeee", "#666666", css_class="sink_other"),
}
LOOKS = _LOOKS


def look_key(attrs: Mapping[str, object]) -> str:
    kind = str(attrs.get("kind", ""))
    if kind == "category":
        return "special" if attrs.get("special") else "category"
    if kind == "model":
        return "model" if attrs.get("tagged", True) else "model_untagged"
    if kind == "field":
        return "field" if attrs.get("declared", attrs.get("tagged", True)) else "field_undeclared"
    if kind == "handler":
        return "handler" if attrs.get("tagged") else "handler_untagged"
    if kind == "function":
        return "function_tagged" if attrs.get("tagged") else "function"
    if kind == "module":
        return "module_untagged" if attrs.get("untagged_handlers") else "module"
    if kind == "sink":
        sink = str(attrs.get("sink_kind", ""))
        if sink in LOG_SINKS:
            return "sink_log"
        if sink in ("third_party", "storage", "response"):
            return f"sink_{sink}"
        return "sink_other"
    return "function"


def look(attrs: Mapping[str, object]) -> Look:
    return _LOOKS[look_key(attrs)]


def short_name(attrs: Mapping[str, object]) -> str:
    """A function's name within its module (``Customer.change_email``)."""
    label = str(attrs.get("label", ""))
    module = attrs.get("module")
    if isinstance(module, str) and module and label.startswith(module + "."):
        return label[len(module) + 1:]
    return label


def node_label(node: str, attrs: Mapping[str, object]) -> str:
    """The text shown in a node: a name, then a caption line saying what it is."""
    kind = str(attrs.get("kind", ""))
    label = str(attrs.get("label", node))
    if kind == "category":
        special = "Art. 9 special category" if attrs.get("special") else ""
        if special and label.split(".", 1)[0] == "criminal":
            special = "Art. 10 criminal data"
        return f"{label}\n{special}" if special else label
    if kind == "model":
        framework = attrs.get("framework")
        caption = f"{framework} model" if framework else "model"
        return f"{label}\n{caption}" + ("" if attrs.get("tagged", True) else " · untagged")
    if kind == "field":
        declared = attrs.get("declared", attrs.get("tagged", True))
        return label if declared else f"{label}\nundeclared"
    if kind in ("handler", "function"):
        name = short_name(attrs) + "()"
        if kind == "function":
            return name
        caption = " ".join(str(attrs[k]) for k in ("framework", "handler_kind") if attrs.get(k))
        caption = caption or "handler"
        return f"{name}\n{caption}" + ("" if attrs.get("tagged") else " · untagged")
    if kind == "module":
        parts = []
        handlers = int(str(attrs.get("handlers", 0) or 0))
        untagged = int(str(attrs.get("untagged_handlers", 0) or 0))
        if handlers:
            parts.append(f"{handlers} handler{'s' if handlers != 1 else ''}"
                         + (f", {untagged} untagged" if untagged else ""))
        functions = int(str(attrs.get("functions", 0) or 0))
        if functions:
            parts.append(f"{functions} function{'s' if functions != 1 else ''}")
        models = int(str(attrs.get("models", 0) or 0))
        if models:
            parts.append(f"{models} model{'s' if models != 1 else ''}")
        fields = int(str(attrs.get("fields", 0) or 0))
        if fields:
            parts.append(f"{fields} field{'s' if fields != 1 else ''}")
        caption = " · ".join(parts) if parts else "module code"
        return f"{label}\n{caption}"
    if kind == "sink":
        sink = str(attrs.get("sink_kind", label))
        if sink == "third_party":
            return f"{attrs.get('recipient', label)}\nthird party"
        if sink == "storage":
            return f"{attrs.get('store', label)}\nstorage"
        return _SINK_CAPTIONS.get(sink, label)
    return label


def tooltip(node: str, attrs: Mapping[str, object]) -> str:
    """Where the node comes from: its id and, when known, ``path:line``."""
    where = ""
    if attrs.get("path"):
        where = f" ({attrs['path']}" + (f":{attrs['line']}" if attrs.get("line") else "") + ")"
    return f"{node}{where}"


def edge_label(attrs: Mapping[str, object]) -> str:
    """The categories flowing along an edge; none where the category is an endpoint."""
    if attrs.get("kind") in _SELF_EVIDENT:
        return ""
    categories = [str(c) for c in attrs.get("categories") or ()]  # type: ignore[attr-defined]
    if len(categories) > MAX_EDGE_CATEGORIES:
        shown = categories[:MAX_EDGE_CATEGORIES]
        return ", ".join(shown) + f" +{len(categories) - len(shown)}"
    return ", ".join(categories)


@dataclass(frozen=True)
class EdgeLook:
    color: str
    width: float
    dashed: bool


def edge_look(attrs: Mapping[str, object]) -> EdgeLook:
    kind = attrs.get("kind")
    declared_only = bool(attrs.get("declared")) and not attrs.get("detected", True)
    if attrs.get("leak"):
        return EdgeLook("#cc0000", 2.0, declared_only)
    if kind == "sends":
        return EdgeLook("#9673a6", 1.5, declared_only)
    if kind == "writes":
        return EdgeLook("#3b6fb6", 1.5, declared_only)
    if kind == "calls":
        return EdgeLook("#333333", 1.0, declared_only)
    if kind in ("has", "holds"):
        return EdgeLook("#9db3d6", 1.0, kind == "has")
    return EdgeLook("#999999", 1.0, declared_only)


# -- clusters ------------------------------------------------------------------------------
CATEGORY_CLUSTER = "personal data"
SINK_CLUSTER = "where it goes"


def cluster_module(attrs: Mapping[str, object]) -> str | None:
    """The module or package whose cluster holds a node (None: categories, sinks)."""
    kind = attrs.get("kind")
    module = attrs.get("module")
    if kind in ("category", "sink") or not isinstance(module, str) or not module:
        return None
    if kind == "module":
        parent = module.rpartition(".")[0]
        return parent or None
    return module


def cluster_tree(modules: Iterable[str]) -> dict[str, str | None]:
    """Cluster for every module holding nodes, nested in package clusters.

    A package gets a cluster of its own only when it groups two or more clusters (or holds
    nodes itself), so ``shop.services.mailer`` alone does not nest three deep.
    """
    present = set(modules)
    prefixes: set[str] = set()
    for module in present:
        parts = module.split(".")
        prefixes.update(".".join(parts[:end]) for end in range(1, len(parts)))
    children: dict[str, set[str]] = {}
    for module in present:
        parts = module.split(".")
        for end in range(1, len(parts)):
            children.setdefault(".".join(parts[:end]), set()).add(parts[end])
    kept = set(present)
    for prefix in prefixes:
        if len(children.get(prefix, ())) >= 2:
            kept.add(prefix)
    parents: dict[str, str | None] = {}
    for cluster in sorted(kept):
        parts = cluster.split(".")
        parent = None
        for end in range(len(parts) - 1, 0, -1):
            candidate = ".".join(parts[:end])
            if candidate in kept:
                parent = candidate
                break
        parents[cluster] = parent
    return parents


def legend() -> str:
    return ("pdlint personal-data flow · red edges: leaks into logs · dashed boxes: untagged "
            "handlers / undeclared fields · dashed edges: declared only · red ellipses: "
            "Art. 9/10 data")
