"""Per-file facts: the small, picklable result of reading one source file.

Extraction (``pdlint.extract``) is the only phase that reads source code. It turns the bytes
of one file into a :class:`FileFacts` value made only of tuples, strings and ints, so that it
can be computed in worker processes, cached by content hash and merged deterministically.
Everything after extraction (linking, rules, reporters) works on these facts and never
touches a syntax tree. Keep these types free of imports from the rest of pdlint.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any


class _Compact:
    """Pickle as (class, field values): a third smaller and faster to load than the
    default per-instance dict, which matters for the facts cache."""

    __slots__ = ()

    def __reduce__(self) -> tuple[Any, ...]:
        names = [f.name for f in fields(self)]  # type: ignore[arg-type]
        return (self.__class__, tuple(getattr(self, name) for name in names))


@dataclass(frozen=True)
class Span(_Compact):
    """A source range; lines and columns are 1-based, end column exclusive (like SARIF)."""

    line: int
    column: int
    end_line: int
    end_column: int


@dataclass(frozen=True)
class TagProblemFact(_Compact):
    """One problem found while parsing a tag record (becomes a PDL102 finding)."""

    message: str
    column: int
    line: int = 0  # 0: the tag's own line (docstring sections span several lines)


@dataclass(frozen=True)
class TagFact(_Compact):
    """A ``gdpr`` record found in a comment or docstring, with what it attaches to.

    ``owner`` is the qualified symbol (``shop.models.Customer.email``) or ``None`` for an
    orphan tag, which attaches to nothing and is reported as malformed.
    """

    span: Span
    owner: str | None
    owner_kind: str | None  # "module" | "class" | "function" | "field" | "variable"
    form: str  # "comment" | "docstring"
    body: str
    pairs: tuple[tuple[str, tuple[str, ...]], ...]
    flags: tuple[str, ...]
    problems: tuple[TagProblemFact, ...] = ()

    def get(self, key: str) -> tuple[str, ...]:
        for name, values in self.pairs:
            if name == key:
                return values
        return ()

    @property
    def categories(self) -> tuple[str, ...]:
        seen: list[str] = []
        for key in ("data", "collects", "uses", "stores", "shares"):
            for value in self.get(key):
                if value not in seen:
                    seen.append(value)
        return tuple(seen)

    @property
    def is_none(self) -> bool:
        return "none" in self.flags


@dataclass(frozen=True)
class ClassAttr(_Compact):
    """A class-level assignment or annotation: a candidate model/schema field.

    Whether the class is a model (and so whether this is a field) is decided in the link
    phase, where base classes defined in other modules can be resolved.
    """

    name: str
    span: Span
    # annotation as written, imports resolved for its head: "pydantic.EmailStr"
    annotation: str | None
    call: str | None  # callee of the assigned value, resolved: "django.db.models.EmailField"
    # first positional argument when it is a name/call: Column(String) -> "sqlalchemy.String"
    call_arg: str | None
    # resolved names of all positional args and keyword values that are names/calls
    call_args: tuple[str, ...] = ()


@dataclass(frozen=True)
class ClassFact(_Compact):
    """A class definition with the raw material needed to recognise models and schemas."""

    symbol: str
    name: str
    span: Span  # the ``class`` line
    end_line: int
    # resolved dotted names as far as imports tell ("django.db.models.Model")
    bases: tuple[str, ...]
    decorators: tuple[str, ...]  # resolved dotted names of decorators ("dataclasses.dataclass")
    attrs: tuple[ClassAttr, ...] = ()
    # class keywords: (name, value as written), e.g. ("table", "True")
    keywords: tuple[tuple[str, str], ...] = ()


# -- data flow -------------------------------------------------------------------------
#
# Expressions are summarised as *atoms* (small tuples), computed flow-sensitively inside
# one function during extraction:
#   ("d", category, kind, label)  personal data read directly: `user.email`, `form["phone"]`
#                                 (kind: value | metadata | protected | secret | id);
#                                 label names the expression, never a literal value
#   ("p", index)                  whatever the caller passed as parameter ``index``
#   ("c", index)                  the result of call ``index`` of this function (resolved at
#                                 link time: a project callee's return, or its arguments)
# Sanitisers (hashing, len(), bool(), comparisons, configured maskers) produce no atoms.
Atom = tuple  # see above; kept as plain tuples so facts stay small and picklable
Atoms = tuple[Atom, ...]


@dataclass(frozen=True)
class ParamFact(_Compact):
    """A function parameter: its name, annotation and default as written (resolved)."""

    name: str
    annotation: str | None = None
    default_call: str | None = None  # Depends(current_user) -> "fastapi.Depends"
    # resolved names inside that call: ("app.auth.current_user",)
    default_args: tuple[str, ...] = ()
    kind: str = "positional"  # positional | keyword | star | double_star


@dataclass(frozen=True)
class CallFact(_Compact):
    """One call inside a function, with what flows into it."""

    index: int
    callee: str | None  # resolved dotted callee: "logging.info", "shop.mailer.send", "self.save"
    written: str  # the callee as written ("log.info"), for messages; "" when not a name
    span: Span
    args: tuple[Atoms, ...] = ()
    kwargs: tuple[tuple[str, Atoms], ...] = ()
    receiver: Atoms = ()
    arg_refs: tuple[str | None, ...] = ()  # resolved dotted names of Name/Attribute arguments
    kwarg_refs: tuple[tuple[str, str], ...] = ()  # keyword -> resolved dotted name
    strings: tuple[str | None, ...] = ()  # literal string positional arguments (routes, keys)
    kwarg_strings: tuple[tuple[str, str], ...] = ()
    sink: str | None = None  # "log" | "print" | "warn" | "tracker" | "exception" | None
    payload: Atoms = ()  # what reaches the sink


@dataclass(frozen=True)
class FunctionFact(_Compact):
    """A function or method definition, with its data-flow summary."""

    symbol: str
    name: str
    span: Span  # the ``def`` line
    end_line: int
    decorators: tuple[str, ...]
    class_symbol: str | None = None
    is_async: bool = False
    params: tuple[ParamFact, ...] = ()
    decorator_calls: tuple[CallFact, ...] = ()  # decorators that are calls: @app.route("/x")
    calls: tuple[CallFact, ...] = ()
    returns: Atoms = ()
    reads: Atoms = ()  # every "d" atom read anywhere in the body (touches personal data)
    writes: tuple[str, ...] = ()  # model-ish constructors/managers called with PII keywords


@dataclass(frozen=True)
class Suppression(_Compact):
    """An inline suppression comment and the lines it covers."""

    comment_line: int
    column: int
    first_line: int  # first covered line
    last_line: int  # last covered line (inclusive)
    codes: tuple[str, ...]  # as written, upper-cased; empty for a bare ``# pdlint: ignore``
    kind: str  # "line" | "file"
    syntax: str  # "pdlint" | "noqa"


@dataclass(frozen=True)
class ParseErrorFact(_Compact):
    """Why a file could not be read or parsed (becomes PDL001)."""

    message: str
    line: int = 1
    column: int = 1
    skipped: bool = False  # not read at all (above max-file-size), rather than unreadable


@dataclass(frozen=True)
class FileFacts(_Compact):
    """Everything pdlint knows about one file after reading it once."""

    path: str  # posix path relative to the project root
    module: str  # dotted module name ("shop.models")
    is_test: bool = False
    # migrations and other generated code: mirrors models, no field findings
    generated: bool = False
    parse_error: ParseErrorFact | None = None
    classes: tuple[ClassFact, ...] = ()
    functions: tuple[FunctionFact, ...] = ()
    tags: tuple[TagFact, ...] = ()
    suppressions: tuple[Suppression, ...] = ()
    imports: tuple[tuple[str, str], ...] = ()  # (local name, resolved dotted target)
    # module-level ``name = Callee(...)`` bindings:
    # ("app", "flask.Flask"), ("log", "logging.getLogger")
    instances: tuple[tuple[str, str], ...] = ()
    module_calls: tuple[CallFact, ...] = ()  # calls at module level (urlpatterns, add_url_rule…)
    # names a test module refers to (calls, imports, attributes) and the routes it requests;
    # filled for test files only
    test_refs: tuple[str, ...] = ()
    test_routes: tuple[tuple[str, str], ...] = ()  # ("get"|"post"|…|"reverse"|"url_for", literal)
    lines: int = 0
    # set when the file is valid Python that pdlint could only read in a repaired form: which
    # lines and why, never quoting them (see pdlint.extract.source; shown as a warning)
    parse_note: str | None = None
