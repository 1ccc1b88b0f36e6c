"""The rule registry: every rule pdlint ships, keyed by code."""

from __future__ import annotations

from pdlint.rules.base import Example, Report, Rule
from pdlint.rules.catalogue import CATALOGUE
from pdlint.rules.drift import StaleTag, UndeclaredData
from pdlint.rules.fields import UntaggedPiiField
from pdlint.rules.handlers import UntaggedHandler
from pdlint.rules.leaks import PiiInException, PiiInLog, SecretInLog
from pdlint.rules.parse import ParseError
from pdlint.rules.suppressions import UnusedSuppression
from pdlint.rules.tags import MalformedTag, SpecialCategoryWithoutCondition, UnknownCategory
from pdlint.rules.tests import UntestedTaggedFunction

ALL_RULES: tuple[type[Rule], ...] = (
    ParseError,
    UntaggedHandler,
    MalformedTag,
    UnknownCategory,
    UndeclaredData,
    UntaggedPiiField,
    StaleTag,
    SpecialCategoryWithoutCondition,
    PiiInLog,
    PiiInException,
    SecretInLog,
    UntestedTaggedFunction,
    UnusedSuppression,
)

RULES: dict[str, type[Rule]] = {rule.code: rule for rule in ALL_RULES}
# Codes accepted in configuration and suppressions: the whole catalogue, so a config that
# names a rule of a later release is not an error today.
KNOWN: dict[str, str] = dict(CATALOGUE)
assert all(KNOWN[rule.code] == rule.name for rule in ALL_RULES)
# Catalogue codes with no implementation in this version: accepted, but they check nothing.
RESERVED: dict[str, str] = {code: name for code, name in KNOWN.items() if code not in RULES}


def lookup(code_or_name: str) -> type[Rule] | None:
    """A rule by code (case-insensitive) or by kebab-case name."""
    wanted = code_or_name.strip()
    rule = RULES.get(wanted.upper())
    if rule is not None:
        return rule
    for candidate in ALL_RULES:
        if candidate.name == wanted.lower():
            return candidate
    return None


__all__ = ["ALL_RULES", "KNOWN", "RESERVED", "RULES", "Example", "Report", "Rule", "lookup"]
