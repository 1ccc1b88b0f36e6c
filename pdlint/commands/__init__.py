"""Subcommands beyond ``scan``/``rules``/``explain``, each in its own module.

Every module listed here exposes click commands; :data:`COMMANDS` is what ``pdlint``'s
group registers.
"""

from __future__ import annotations

import click

COMMANDS: list[click.Command] = []
