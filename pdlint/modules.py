"""Module names: one unique key per file, and which module an import in a file can see.

Every symbol pdlint knows (functions, classes, tags, handlers, findings) is keyed by a dotted
name that starts with its file's module name, so two files must never share one. Real
repositories are full of files Python itself would name alike: ``examples/a/app/views.py``
and ``examples/b/app/views.py`` are both ``app.views`` when their own folder is on
``sys.path``; so are three services that each have ``app/app.py``, or ``lib/tasks.py`` next
to ``tasks.py``. Each file therefore gets three things:

* ``name``: what an import statement in its own source root calls it (``app.views``);
* ``root``: that source root, the folder on ``sys.path`` (``examples/a``; the folder above
  the outermost ``__init__.py`` for a package, the file's own folder for a plain script);
* ``key``: the unique name symbols are built from. It is the natural name pdlint always
  used (``name`` for packages, the folder path for plain scripts) unless that collides;
  then every file of the colliding package trees is qualified by its source root
  (``examples.a.app.views``), so relative imports inside a tree keep agreeing.

The link step then rewrites each file's resolved references so that ``from app.helpers
import notify`` in ``examples/a/app/views.py`` reaches ``examples.a.app.helpers``: names
resolve in the file's own source root first, then in the folders above it (a test or script
next to an example sees that example), and otherwise as written.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from pdlint.discover import SourceFile
from pdlint.facts import CallFact, ClassAttr, ClassFact, FileFacts, FunctionFact, ParamFact

__all__ = ["ModuleName", "ModuleNamer", "ModulePlan", "plan_modules"]

#: Leading folders that are source roots by convention (``src/pkg``): left out of names.
_SOURCE_DIRS = ("src", "lib")


@dataclass(frozen=True)
class ModuleName:
    """How one file is named: see the module docstring."""

    key: str
    name: str
    root: str  # posix folder relative to the project root; "" for the root itself
    package: bool  # inside a package (an ``__init__.py`` chain), not a plain script


def _dotted(folder: str) -> str:
    """A folder as dotted name parts (dots inside folder names would add parts)."""
    return ".".join(part.replace(".", "_") for part in folder.split("/") if part)


class ModuleNamer:
    """Natural module names from file paths, following ``__init__.py`` package chains.

    Works on plain strings with a memo per directory: it runs for every file of every scan,
    warm ones included, where pathlib's per-call overhead was a visible share of the time.
    """

    def __init__(self, root: Path) -> None:
        self.root = os.fspath(root)
        self._is_package: dict[str, bool] = {}
        self._prefixes: dict[str, tuple[str, ...]] = {}
        self._tops: dict[str, str] = {}  # package directory -> its outermost package dir
        self._packages: dict[str, tuple[tuple[str, ...], str]] = {}  # dir -> (prefix, root)

    def _package(self, directory: str) -> bool:
        known = self._is_package.get(directory)
        if known is None:
            known = (os.path.isfile(os.path.join(directory, "__init__.py"))
                     or os.path.isfile(os.path.join(directory, "__init__.pyi")))
            self._is_package[directory] = known
        return known

    def _prefix(self, directory: str) -> tuple[str, ...]:
        """Package names from the outermost package down to ``directory`` (a package)."""
        chain: list[str] = []  # directories whose prefix is not known yet, innermost first
        current = directory
        while current not in self._prefixes:
            chain.append(current)
            parent = os.path.dirname(current)
            if parent == current or not self._package(parent):
                break
            current = parent
        known = self._prefixes.get(current, ())
        top = self._tops.get(current, current)
        for path in reversed(chain):
            if os.path.dirname(path) != path:  # the filesystem root names no package
                known = (*known, os.path.basename(path))
            self._prefixes[path] = known
            self._tops[path] = top
        return known

    def _rel_folder(self, directory: str) -> str:
        rel = os.path.relpath(directory, self.root) if directory else "."
        if rel == "." or rel.startswith(".."):
            return ""
        return rel.replace(os.sep, "/")

    def describe(self, source: SourceFile) -> ModuleName:
        """The natural name of ``source`` (unique unless files collide: see plan_modules)."""
        directory, filename = os.path.split(os.fspath(source.path))
        stem = os.path.splitext(filename)[0]
        parts: list[str] = [] if stem == "__init__" else [stem]
        if self._package(directory):
            known = self._packages.get(directory)
            if known is None:  # once per package directory: relpath is not cheap
                prefix = self._prefix(directory)
                root = self._rel_folder(os.path.dirname(self._tops[directory]))
                known = self._packages[directory] = (prefix, root)
            prefix, root = known
            dotted = ".".join([*prefix, *parts]) or stem
            return ModuleName(dotted, dotted, root, True)
        rel_parts = source.rel.split("/")[:-1]
        folder = "/".join(rel_parts)
        if rel_parts and rel_parts[0] in _SOURCE_DIRS:
            rel_parts = rel_parts[1:]
        if any(part.startswith("..") or ":" in part for part in rel_parts):
            rel_parts = []
            folder = ""
        key = ".".join([p for p in rel_parts if p] + parts) or stem
        return ModuleName(key, stem, folder, False)


@dataclass
class ModulePlan:
    """Every file's :class:`ModuleName`, and the import rewriting that follows from them."""

    names: dict[str, ModuleName]  # rel path -> name

    def key(self, rel: str) -> str:
        return self.names[rel].key

    def renamed(self) -> dict[str, dict[str, str]]:
        """Per source root: import head → key prefix, where the two differ."""
        table: dict[str, dict[str, str]] = {}
        for entry in self.names.values():
            if entry.key == entry.name:
                continue
            head = entry.name.split(".", 1)[0]
            depth = entry.name.count(".")
            # the key prefix that stands for ``head``: drop the name's other parts
            prefix = entry.key.rsplit(".", depth)[0] if depth else entry.key
            table.setdefault(entry.root, {}).setdefault(head, prefix)
        return table

    def resolver(self) -> Callable[[FileFacts], FileFacts]:
        """A function rewriting one file's references to the modules that file can see."""
        table = self.renamed()
        visible: dict[str, dict[str, str]] = {}

        def seen_from(root: str) -> dict[str, str]:
            found = visible.get(root)
            if found is None:
                found = {}
                folder = root
                while True:
                    for head, prefix in table.get(folder, {}).items():
                        found.setdefault(head, prefix)
                    if not folder:
                        break
                    folder = folder.rpartition("/")[0]
                visible[root] = found
            return found

        def resolve(facts: FileFacts) -> FileFacts:
            entry = self.names.get(facts.path)
            if entry is None or not table:
                return facts
            mapping = seen_from(entry.root)
            if not mapping or not any(target.split(".", 1)[0] in mapping
                                      for _, target in facts.imports):
                return facts
            return rewrite(facts, mapping)

        return resolve


def plan_modules(sources: Sequence[SourceFile], root: Path) -> ModulePlan:
    """Name every file so that no two share a key (see the module docstring)."""
    namer = ModuleNamer(root)
    natural = {source.rel: namer.describe(source) for source in sources}
    by_key: dict[str, list[str]] = {}
    for rel, entry in natural.items():
        by_key.setdefault(entry.key, []).append(rel)
    colliding = {key: rels for key, rels in by_key.items() if len(rels) > 1}
    if not colliding:
        return ModulePlan(natural)
    # qualify whole trees (source root, top package) so relative imports stay consistent;
    # plain scripts are qualified one by one (their folder, src/ and lib/ included)
    trees = {_tree(rel, natural[rel]) for rels in colliding.values() for rel in rels
             if natural[rel].root}  # a tree at the project root cannot be qualified
    names: dict[str, ModuleName] = {}
    for rel, entry in natural.items():
        if _tree(rel, entry) in trees:
            entry = replace(entry, key=f"{_dotted(entry.root)}.{entry.name}")
        names[rel] = entry
    return ModulePlan(_unique(names))


def _tree(rel: str, entry: ModuleName) -> tuple[str, str]:
    """What is qualified as one: a package tree (source root, top package), or a script."""
    return (entry.root, entry.name.split(".", 1)[0] if entry.package else "\0" + rel)


def _unique(names: dict[str, ModuleName]) -> dict[str, ModuleName]:
    """Last resort for keys that still collide (``m.py`` beside ``m.pyi``): the first file
    by (stub last, path) keeps the key, the others get a numbered one."""
    taken: set[str] = set()
    out: dict[str, ModuleName] = {}
    for rel in sorted(names, key=lambda rel: (rel.endswith(".pyi"), rel)):
        entry = names[rel]
        key = entry.key
        number = 1
        while key in taken:
            number += 1
            key = f"{entry.key}_{'stub' if rel.endswith('.pyi') else 'copy'}{number}"
        taken.add(key)
        out[rel] = entry if key == entry.key else replace(entry, key=key)
    return {rel: out[rel] for rel in names}


# -- rewriting one file's resolved references ------------------------------------------


def rewrite(facts: FileFacts, mapping: dict[str, str]) -> FileFacts:
    """``facts`` with every resolved dotted reference whose head is in ``mapping`` moved
    to the key prefix it stands for. Only resolved names change: labels, literals and
    symbols defined in the file stay as they are."""

    def name(value: str) -> str:
        head, dot, rest = value.partition(".")
        prefix = mapping.get(head)
        return value if prefix is None else prefix + dot + rest

    def opt(value: str | None) -> str | None:
        return None if value is None else name(value)

    def names(values: Iterable[str]) -> tuple[str, ...]:
        return tuple(name(value) for value in values)

    def call(fact: CallFact) -> CallFact:
        return replace(
            fact,
            callee=opt(fact.callee),
            arg_refs=tuple(opt(ref) for ref in fact.arg_refs),
            kwarg_refs=tuple((key, name(ref)) for key, ref in fact.kwarg_refs),
        )

    def param(fact: ParamFact) -> ParamFact:
        return replace(fact, annotation=opt(fact.annotation),
                       default_call=opt(fact.default_call),
                       default_args=names(fact.default_args))

    def function(fact: FunctionFact) -> FunctionFact:
        return replace(
            fact,
            decorators=names(fact.decorators),
            params=tuple(param(p) for p in fact.params),
            decorator_calls=tuple(call(c) for c in fact.decorator_calls),
            calls=tuple(call(c) for c in fact.calls),
            writes=names(fact.writes),
        )

    def attr(fact: ClassAttr) -> ClassAttr:
        return replace(fact, annotation=opt(fact.annotation), call=opt(fact.call),
                       call_arg=opt(fact.call_arg), call_args=names(fact.call_args))

    def klass(fact: ClassFact) -> ClassFact:
        return replace(fact, bases=names(fact.bases), decorators=names(fact.decorators),
                       attrs=tuple(attr(a) for a in fact.attrs))

    return replace(
        facts,
        classes=tuple(klass(c) for c in facts.classes),
        functions=tuple(function(f) for f in facts.functions),
        imports=tuple((local, name(target)) for local, target in facts.imports),
        instances=tuple((local, name(target)) for local, target in facts.instances),
        module_calls=tuple(call(c) for c in facts.module_calls),
    )
