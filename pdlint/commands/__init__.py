"""Subcommands beyond ``scan``/``rules``/``explain``, each in its own module.

Every module listed here exposes click commands; :data:`COMMANDS` is what ``pdlint``'s
group registers.
"""

from __future__ import annotations

import click

from pdlint.commands.graph import graph_command
from pdlint.commands.inventory import inventory_command

COMMANDS: list[click.Command] = [graph_command, inventory_command]
