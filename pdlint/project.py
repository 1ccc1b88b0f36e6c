"""The link phase: all files' facts merged into one project view that rules query.

Rules never read source; they read this. It is rebuilt on every run from (possibly cached)
per-file facts, so everything here must stay cheap relative to extraction.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from pdlint import taxonomy
from pdlint.classify import Classifier
from pdlint.config import Config
from pdlint.dataflow import DataFlow
from pdlint.facts import FileFacts, FunctionFact, TagFact
from pdlint.frameworks import HandlerInfo
from pdlint.inputs import ExtractOptions, classifier_for
from pdlint.models import ModelIndex

if TYPE_CHECKING:  # networkx costs 60 ms to import; only the flow graph needs it
    import networkx as nx

    from pdlint.coverage_data import CoverageInfo  # only --coverage loads it
    from pdlint.flows import FlowModel


@dataclass
class Project:
    """Linked view of a scanned project."""

    config: Config
    files: tuple[FileFacts, ...]
    classifier: Classifier = field(repr=False)
    coverage: CoverageInfo | None = None  # the executed lines, when --coverage is given

    @classmethod
    def link(cls, config: Config, files: Iterable[FileFacts]) -> Project:
        ordered = tuple(sorted(files, key=lambda f: f.path))
        classifier = classifier_for(ExtractOptions.from_config(config))
        return cls(config=config, files=ordered, classifier=classifier)

    @cached_property
    def custom_categories(self) -> frozenset[str]:
        return frozenset(entry[0] for entry in self.config.categories)

    @cached_property
    def models(self) -> ModelIndex:
        return ModelIndex(self.files, self.classifier)

    @cached_property
    def dataflow(self) -> DataFlow:
        return DataFlow(self.source_files, self.classifier)

    @cached_property
    def flows(self) -> FlowModel:
        """Every flow edge: sources → functions → logs, recipients, stores, responses
        (see :mod:`pdlint.flows`). Rules query it; the graph and the inventory render it."""
        from pdlint.flows import build_flows

        return build_flows(self)

    @cached_property
    def graph(self) -> nx.DiGraph:
        """The personal-data flow graph (see :mod:`pdlint.graph`)."""
        from pdlint.graph import build_graph

        return build_graph(self)

    @cached_property
    def source_files(self) -> tuple[FileFacts, ...]:
        """Application code: not tests, not generated code."""
        return tuple(f for f in self.files if not f.is_test and not f.generated)

    @cached_property
    def handlers(self) -> dict[str, HandlerInfo]:
        from pdlint.frameworks.handlers import find_handlers

        return find_handlers(self.source_files)

    @cached_property
    def functions(self) -> dict[str, tuple[FunctionFact, FileFacts]]:
        index: dict[str, tuple[FunctionFact, FileFacts]] = {}
        for facts in self.files:
            for function in facts.functions:
                index.setdefault(function.symbol, (function, facts))
        return index

    def covering_tags(self, symbol: str) -> list[TagFact]:
        """Tags on a function, its class and its module (what covers a handler)."""
        found = list(self.tags_of(symbol))
        entry = self.functions.get(symbol)
        if entry is not None:
            function, facts = entry
            if function.class_symbol:
                found += self.tags_of(function.class_symbol)
            found += self.tags_of(facts.module)
        return found

    @cached_property
    def tags_by_owner(self) -> dict[str, list[TagFact]]:
        index: dict[str, list[TagFact]] = {}
        for facts in self.files:
            for tag in facts.tags:
                if tag.owner is not None:
                    index.setdefault(tag.owner, []).append(tag)
        return index

    def tags_of(self, symbol: str) -> list[TagFact]:
        return self.tags_by_owner.get(symbol, [])

    def reviewed_none(self, symbol: str) -> bool:
        """``# gdpr: none`` on ``symbol``: someone reviewed it and found no personal data."""
        return any(tag.is_none for tag in self.tags_of(symbol))

    def field_declared(self, symbol: str) -> bool:
        """Whether a model field holding personal data is accounted for: by its own tag, by a
        tag of its class naming a category that covers what the field holds, or by a
        ``# gdpr: none`` review of its class. PDL105 reports the fields for which this is
        false, and the graph and the inventory mark the same fields undeclared: one answer
        for all three."""
        if self.tags_of(symbol):
            return True
        model_symbol = symbol.rpartition(".")[0]
        if self.reviewed_none(model_symbol):
            return True
        model = self.models.models.get(model_symbol)
        if model is None:
            return False
        field = next((f for f in model.fields if f.symbol == symbol), None)
        if field is None or field.classification is None:
            return False
        declared = self.declared_categories(self.tags_of(model_symbol))
        observed = field.classification.category
        return any(taxonomy.covers(key, observed) for key in declared)

    def resolve_category(self, value: str) -> str | None:
        return taxonomy.resolve_category(value, self.custom_categories)

    def declared_categories(self, tags: Iterable[TagFact]) -> set[str]:
        declared: set[str] = set()
        for tag in tags:
            for value in tag.categories:
                resolved = self.resolve_category(value)
                if resolved is not None:
                    declared.add(resolved)
        return declared
