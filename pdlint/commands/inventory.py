"""``pdlint inventory``: the record of processing activities (GDPR Art. 30).

Built from the ``# gdpr:`` tags and from what the scan detects; untagged detections are
listed as "detected, undeclared". Exits 0 when the record was written, 2 on bad input.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from typing import TextIO

import click

from pdlint.commands.common import (
    fail,
    load,
    require_paths,
    scan_options,
    scan_project,
    write_text,
)
from pdlint.commands.outputs import output_format as resolve_format

INVENTORY_FORMATS = ("markdown", "json", "csv", "fides")
_SUFFIXES = {".md": "markdown", ".markdown": "markdown", ".json": "json", ".csv": "csv",
             ".yml": "fides", ".yaml": "fides"}
# C0/C1 control characters but newline and tab: no escape sequence from a tag's text may
# reach the terminal (rich strips only a few of them).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def renders_for_terminal(fmt: str, output: Path | None, isatty: bool) -> bool:
    """Markdown is rendered (rich) only for a person reading stdout on a terminal, where
    the escapes that keep a table intact (``flask\\_shop``) are noise; a file (``-o``) or a
    pipe gets the plain Markdown, byte for byte, for tools, diffs and commits."""
    return fmt == "markdown" and output is None and isatty


def print_markdown(text: str, stream: TextIO, *, force_terminal: bool | None = None,
                   width: int | None = None) -> None:
    """Render Markdown on ``stream`` as rich does on a terminal; ``NO_COLOR`` keeps it
    colourless, as for ``pdlint scan`` (see ``pdlint.cli._console``)."""
    from rich.console import Console
    from rich.markdown import Markdown

    console = Console(
        file=stream,
        force_terminal=force_terminal,
        no_color=bool(os.environ.get("NO_COLOR")),
        highlight=False,
        markup=False,
        emoji=False,
        width=width,
    )
    console.print(Markdown(_CONTROL.sub("", text), hyperlinks=False))


@click.command("inventory", short_help="Write the record of processing activities (GDPR Art. 30).")
@scan_options
@click.option("--format", "output_format", type=click.Choice(INVENTORY_FORMATS), default=None,
              help="markdown (readable), json, csv (one row per location) or fides "
                   "(fideslang dataset + system YAML) [default: from --output's suffix, "
                   "else markdown].")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Write to FILE instead of stdout.")
@click.option("--name", default=None,
              help="Name of the system (and fides key) [default: the project directory's "
                   "name].")
def inventory_command(
    paths: tuple[Path, ...],
    config_file: Path | None,
    isolated: bool,
    jobs: int | None,
    no_cache: bool,
    cache_dir: Path | None,
    output_format: str | None,
    output: Path | None,
    name: str | None,
) -> None:
    """Write the record of processing activities (GDPR Art. 30) for PATHS.

    Per data category: where it is stored, which handlers collect or use it, purposes,
    legal bases, retention, recipients and rights handlers, each location marked declared
    or "detected, undeclared".
    """
    from pdlint.inventory import build_inventory, render

    require_paths(paths)
    config = load(config_file, isolated)
    fmt = resolve_format(output, output_format, _SUFFIXES, "markdown")
    if name is not None and not name.strip():
        fail("--name must not be empty")
    project = scan_project(paths, config, jobs, no_cache, cache_dir)
    title = name.strip() if name else (config.root.resolve().name or "project")
    inventory = build_inventory(project, title)
    text = render(inventory, fmt)
    if renders_for_terminal(fmt, output, sys.stdout.isatty()):
        print_markdown(text, sys.stdout)
    else:
        write_text(text, output)
    if output is not None:
        summary = inventory.summary()
        click.echo(f"pdlint: wrote {output} ({summary['categories']} categories, "
                   f"{summary['undeclared_categories']} undeclared)", err=True)
