"""``pdlint graph``: export the personal-data flow graph (DOT, Mermaid, JSON, or a picture).

Shares the scan's configuration, cache and path handling; exits 0 when the graph was
written and 2, with ``pdlint: error: …``, on bad input (unknown category, nothing to focus
on, Graphviz missing for a picture, unwritable output).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from pdlint.commands.common import (
    fail,
    load,
    require_paths,
    scan_options,
    scan_project,
    split_values,
    warn,
    write_text,
)
from pdlint.commands.outputs import output_format as resolve_format

if TYPE_CHECKING:
    from pdlint.config import Config
    from pdlint.project import Project

GRAPH_FORMATS = ("dot", "mermaid", "json")
COLLAPSE_LEVELS = ("none", "module", "package")
#: Above this many nodes a picture stops being readable: suggest narrowing it.
LARGE_GRAPH = 300
# GitHub's Mermaid refuses diagrams beyond these (mermaid's maxEdges and maxTextSize).
MERMAID_MAX_EDGES = 500
MERMAID_MAX_TEXT = 50_000


def _collapse_level(_ctx: click.Context, _param: click.Parameter, value: str) -> str:
    level = value.strip().lower()
    if level in COLLAPSE_LEVELS or (level.isdigit() and int(level) > 0):
        return level
    raise click.BadParameter(f"'{value}' is not one of {', '.join(COLLAPSE_LEVELS)} or a "
                             "positive number")


def resolve_categories(values: Sequence[str], config: Config) -> tuple[str, ...]:
    """Canonical keys for ``--category`` values (aliases accepted), or exit 2."""
    from pdlint import taxonomy

    custom = [entry[0] for entry in config.categories]
    keys: list[str] = []
    for value in split_values(values):
        resolved = taxonomy.resolve_category(value, custom)
        if resolved is None:
            suggestion = taxonomy.suggest_category(value, custom)
            hint = f" (did you mean '{suggestion}'?)" if suggestion else ""
            fail(f"--category: unknown data category '{value}'{hint}")
            raise AssertionError  # unreachable: fail exits
        if resolved not in keys:
            keys.append(resolved)
    return tuple(keys)


def packages_of(project: Project) -> frozenset[str]:
    """Modules that are packages (``__init__`` files): what ``--collapse package`` keeps."""
    return frozenset(facts.module for facts in project.files
                     if Path(facts.path).stem == "__init__")


@click.command("graph", short_help="Export the personal-data flow graph (DOT, Mermaid, JSON, SVG).")
@scan_options
@click.option("--format", "output_format", type=click.Choice(GRAPH_FORMATS), default=None,
              help="dot (Graphviz), mermaid (GitHub Markdown) or json (networkx node-link) "
                   "[default: from --output's suffix, else dot].")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Write to FILE instead of stdout; .svg, .png and .pdf are rendered with "
                   "Graphviz's `dot`.")
@click.option("--category", "categories", multiple=True, metavar="KEY",
              help="Keep only what touches this data category (a parent covers its children; "
                   "repeat or comma-separate).")
@click.option("--focus", "focus", multiple=True, metavar="SYMBOL",
              help="Keep the neighbourhood of a function, model, module or category.")
@click.option("--depth", type=click.IntRange(min=0), default=2, show_default=True,
              help="Steps upstream and downstream of --focus.")
@click.option("--collapse", default="none", show_default=True, metavar="LEVEL",
              callback=_collapse_level,
              help="One node per module, per package, or per N leading parts of the module "
                   "path (none, module, package or a number).")
@click.option("--sinks-only", is_flag=True,
              help="Keep only the paths that carry personal data from a category to a sink.")
def graph_command(
    paths: tuple[Path, ...],
    config_file: Path | None,
    isolated: bool,
    jobs: int | None,
    no_cache: bool,
    cache_dir: Path | None,
    output_format: str | None,
    output: Path | None,
    categories: tuple[str, ...],
    focus: tuple[str, ...],
    depth: int,
    collapse: str,
    sinks_only: bool,
) -> None:
    """Export the personal-data flow graph of PATHS (default: the current directory).

    Nodes are data categories, models and fields, handlers and functions, and sinks (logs,
    third parties, storage, responses); edges carry the categories that flow along them.
    Edges into log sinks are leaks, drawn red.
    """
    from pdlint.export import (
        SUFFIX_FORMATS,
        Focus,
        FocusError,
        RenderError,
        apply,
        export_graph,
        write,
    )
    from pdlint.export.render import INSTALL_HINT, find_dot, render, render_format

    require_paths(paths)
    config = load(config_file, isolated)
    keys = resolve_categories(categories, config)
    picture = render_format(output) if output is not None else None
    if picture is not None and output_format not in (None, "dot"):
        fail(f"--output {output}: only --format dot can be rendered to .{picture}; "
             f"write a .{'mmd' if output_format == 'mermaid' else output_format} file instead")
    fmt = resolve_format(output, output_format, SUFFIX_FORMATS, "dot")
    if picture is not None and find_dot() is None:
        fail(f"--output {output}: rendering .{picture} needs Graphviz's `dot`, which is not "
              f"installed or not on PATH; {INSTALL_HINT}")
    if fmt == "dot":
        try:
            import pydot  # noqa: F401
        except ImportError:
            fail("--format dot needs the pydot package: pip install pydot")
    symbols = tuple(s.strip() for s in focus if s.strip())
    if depth != 2 and not symbols:
        warn("--depth only applies with --focus; ignored")

    project = scan_project(paths, config, jobs, no_cache, cache_dir)
    narrowing = Focus(categories=keys, symbols=symbols, depth=depth, collapse=collapse,
                      sinks_only=sinks_only)
    try:
        graph = apply(export_graph(project), narrowing, packages_of(project))
    except FocusError as exc:
        fail(str(exc))
        raise AssertionError from exc  # unreachable: fail exits
    if not len(graph):
        warn("the graph is empty: no personal data found"
              + (" for these filters" if narrowing.narrows else ""))
    elif len(graph) > LARGE_GRAPH and fmt != "json" and not narrowing.narrows:
        warn(f"the graph has {len(graph)} nodes, too many to read as a picture; narrow it "
              "with --collapse module, --category KEY, --focus SYMBOL [--depth N] or "
              "--sinks-only")
    text = write(graph, fmt)
    if fmt == "mermaid" and (graph.number_of_edges() > MERMAID_MAX_EDGES
                             or len(text) > MERMAID_MAX_TEXT):
        warn(f"the diagram has {graph.number_of_edges()} edges and {len(text)} characters; "
              f"GitHub renders Mermaid only up to {MERMAID_MAX_EDGES} edges and "
              f"{MERMAID_MAX_TEXT} characters: narrow it")
    if output is not None and picture is not None:
        try:
            render(text, output)
        except RenderError as exc:
            fail(str(exc))
    else:
        if fmt == "mermaid" and output is not None and output.suffix.lower() == ".md":
            text = f"```mermaid\n{text}```\n"
        write_text(text, output)
    if output is not None:
        click.echo(f"pdlint: wrote {output} ({len(graph)} nodes, "
                   f"{graph.number_of_edges()} edges)", err=True)
