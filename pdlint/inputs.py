"""The inputs of extraction that are not file bytes: where a file sits, and the options.

Kept apart from :mod:`pdlint.extract` (which needs libcst) so that a run whose facts all come
from the cache never imports the parser.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, fields
from functools import lru_cache

from pdlint.classify import Classifier
from pdlint.config import Config


@dataclass(frozen=True)
class ExtractOptions:
    """The configuration that changes what extraction produces (part of the cache key)."""

    extend_pii_names: tuple[tuple[str, str], ...] = ()
    ignore_pii_names: tuple[str, ...] = ()
    sanitizers: tuple[str, ...] = ()

    @classmethod
    def from_config(cls, config: Config) -> ExtractOptions:
        return cls(config.extend_pii_names, config.ignore_pii_names, config.sanitizers)

    def fingerprint(self) -> str:
        """Stable digest of these options: part of the facts-cache key.

        Derived from the fields themselves, so an option added here changes the key without
        anyone remembering to list it; each value is sorted and deduplicated because the
        order of a list of names or patterns does not change what extraction produces.
        """
        payload = {f.name: sorted({repr(v) for v in getattr(self, f.name)})
                   for f in fields(self)}
        blob = json.dumps({"v": 2, **payload}, sort_keys=True, separators=(",", ":"),
                          ensure_ascii=True)
        return hashlib.sha256(blob.encode("ascii")).hexdigest()


@lru_cache(maxsize=8)
def classifier_for(options: ExtractOptions) -> Classifier:
    """One classifier per process and configuration (its tables are costly to build)."""
    return Classifier(extra_names=dict(options.extend_pii_names),
                      ignored_names=options.ignore_pii_names)


@dataclass(frozen=True)
class FileInput:
    """Where a file sits in the project; with its bytes this determines its facts."""

    rel: str  # posix path relative to the project root
    module: str  # dotted module name
    is_test: bool = False

    @property
    def is_package(self) -> bool:
        return self.rel.endswith("__init__.py") or self.rel.endswith("__init__.pyi")
