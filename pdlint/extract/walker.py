"""One read-only pass over a module's statements.

We deliberately do not use ``CSTVisitor``: ``module.visit`` rebuilds every node on the way
back up, which costs as much as the parse. This walker only descends through statement
bodies (and never into expressions unless a fact needs them), reading node fields
directly.

It records:
- definitions (classes with their bases, decorators and class-level attributes; functions);
- *tag slots*: which source line may carry a ``# gdpr:`` comment for which owner, following
  tags.md (above a def/class or its decorators, between decorators and ``def``, on the
  ``def``/``class`` line, at the start of a body, trailing an assignment, in the module's
  leading comment block); a tag comment on any other line is an orphan;
- docstring tags (module, class, function docstrings);
- *anchors*: each statement's first line and the line its suppressions cover through.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import libcst as cst

from pdlint.classify import Classifier
from pdlint.extract.flow import FlowOptions, FunctionFlow, _sorted
from pdlint.extract.names import annotation_text, dotted, import_bindings, resolve
from pdlint.extract.positions import Positions
from pdlint.facts import CallFact, ClassAttr, ClassFact, FunctionFact, Span


@dataclass(frozen=True)
class Owner:
    symbol: str
    kind: str  # "module" | "class" | "function" | "field" | "variable"


@dataclass
class DocstringSite:
    """A docstring literal and the owner it documents (parsed for tags by the caller)."""

    owner: Owner
    raw: str  # the string literal as written, prefix and quotes included
    line: int
    column: int  # 1-based column of the literal's first character


@dataclass
class _ClassBuilder:
    symbol: str
    name: str
    span: Span
    end_line: int
    bases: tuple[str, ...]
    decorators: tuple[str, ...]
    keywords: tuple[tuple[str, str], ...]
    attrs: list[ClassAttr] = field(default_factory=list)


class ModuleWalker:
    """Collects definitions, tag slots, docstrings and anchors for one module."""

    def __init__(self, module_name: str, is_package: bool, positions: Positions,
                 collect_attrs: bool = True, classifier: Classifier | None = None,
                 flow_options: FlowOptions | None = None) -> None:
        self.module_name = module_name
        self.classifier = classifier
        self.flow_options = flow_options or FlowOptions()
        self.instances: dict[str, str] = {}
        self.module_calls: list[CallFact] = []
        self.is_package = is_package
        self.positions = positions
        self.collect_attrs = collect_attrs
        self.scope: dict[str, str] = {}
        self.imports: list[tuple[str, str]] = []
        self.classes: list[_ClassBuilder] = []
        self.functions: list[FunctionFact] = []
        self.slots: dict[int, Owner] = {}
        self.docstrings: list[DocstringSite] = []
        self.anchors: list[tuple[int, int]] = []
        self.header_end = 0  # last line of the module's leading comment block
        self._module_flow: FunctionFlow | None = None  # the module's top-level data flow

    # -- entry point --------------------------------------------------------------------
    def walk(self, module: cst.Module) -> None:
        """Walk a whole module."""
        self._bind_module_names(module.body)
        self._walk_module(module, first=True)
        self.finish()

    def bind_names(self, body: Sequence[cst.BaseStatement]) -> None:
        """Bind a module's imports and top-level definitions before it is walked in
        segments (see :mod:`pdlint.extract`): ``body`` holds the statements of the
        whole module that bind names, so a name bound in one segment resolves in all."""
        self._bind_module_names(body)

    def walk_segment(self, module: cst.Module, positions: Positions, first: bool) -> None:
        """Walk one segment of a module: a run of its top-level statements, parsed on its
        own; ``positions`` give the file's line numbers.

        Names must already be bound (:meth:`bind_names`). For a segment after the first,
        ``module.header`` holds the comment lines above its first statement, which a
        whole-module parse gives as that statement's ``leading_lines``. Call
        :meth:`finish` after the last segment.
        """
        self.positions = positions
        self._walk_module(module, first)
        if self._module_flow is not None:
            # the segment's tree is freed next: keep the module's calls, not its nodes
            self._module_flow.settle()

    def finish(self) -> None:
        """Close the module-level data flow (after the whole module or its last segment)."""
        if self._module_flow is not None:
            self.module_calls = self._module_flow.finish()

    def _walk_module(self, module: cst.Module, first: bool) -> None:
        module_owner = Owner(self.module_name, "module")
        header = module.header
        body = module.body
        if first:
            self.header_end = len(header)
            head = body[0] if body else None
            run = _touching_run(header) if head is not None else 0
            first_target = self._target_of(head, module_owner) if head else None
            for index in range(len(header)):
                line = index + 1
                if first_target is not None and index >= len(header) - run:
                    self.slots[line] = first_target
                else:
                    self.slots[line] = module_owner
            self._docstring(body, module_owner)
        self._walk_body(body, module_owner, first_owner=None, class_builder=None,
                        header_done=True, segment_header=None if first else header)
        if self.classifier is not None:
            if self._module_flow is None:
                self._module_flow = self._flow(None)
            self._module_flow.positions = self.positions
            self._module_flow.block(body)

    def _flow(self, class_symbol: str | None) -> FunctionFlow:
        assert self.classifier is not None
        return FunctionFlow(self.classifier, self.scope, self.positions, self.flow_options,
                            class_symbol=class_symbol, instances=self.instances)

    # -- helpers ------------------------------------------------------------------------
    def _bind_module_names(self, body: Sequence[cst.BaseStatement]) -> None:
        """Bind imports and top-level definitions so that later names resolve."""
        for stmt in body:
            if isinstance(stmt, cst.SimpleStatementLine):
                for small in stmt.body:
                    if isinstance(small, (cst.Import, cst.ImportFrom)):
                        for local, target in import_bindings(small, self.module_name,
                                                             self.is_package):
                            self.scope.setdefault(local, target)
                            self.imports.append((local, target))
                    elif (isinstance(small, cst.Assign) and len(small.targets) == 1
                          and isinstance(small.targets[0].target, cst.Name)
                          and isinstance(small.value, cst.Call)):
                        constructor = resolve(dotted(small.value.func), self.scope)
                        if constructor:
                            self.instances.setdefault(small.targets[0].target.value, constructor)
            elif isinstance(stmt, (cst.ClassDef, cst.FunctionDef)):
                self.scope.setdefault(stmt.name.value, f"{self.module_name}.{stmt.name.value}")
            elif isinstance(stmt, (cst.If, cst.Try)):
                # ``if TYPE_CHECKING:`` / ``try: import x except ImportError: ...``
                blocks: list[cst.BaseSuite] = [stmt.body]
                if isinstance(stmt, cst.Try):
                    blocks.extend(handler.body for handler in stmt.handlers)
                elif isinstance(stmt.orelse, cst.Else):
                    blocks.append(stmt.orelse.body)
                for block in blocks:
                    if isinstance(block, cst.IndentedBlock):
                        self._bind_module_names(block.body)

    def _resolve(self, expr: cst.BaseExpression) -> str | None:
        return resolve(dotted(expr), self.scope)

    def _target_of(self, stmt: cst.BaseStatement | None, parent: Owner) -> Owner | None:
        """What a comment touching ``stmt`` from above (or trailing it) attaches to."""
        if isinstance(stmt, cst.FunctionDef):
            return Owner(_join(parent, stmt.name.value), "function")
        if isinstance(stmt, cst.ClassDef):
            return Owner(_join(parent, stmt.name.value), "class")
        if isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1:
            name = _assigned_name(stmt.body[0])
            if name is not None:
                kind = "field" if parent.kind == "class" else "variable"
                return Owner(_join(parent, name), kind)
        return None

    def _first_line(self, stmt: cst.BaseStatement) -> int:
        if isinstance(stmt, cst.SimpleStatementLine):
            return self.positions.line(stmt.body[0]) if stmt.body else 1
        return self.positions.first_line(stmt)

    def _docstring(self, body: Sequence[cst.BaseStatement], owner: Owner) -> None:
        if not body:
            return
        stmt = body[0]
        if not (isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1):
            return
        expr = stmt.body[0]
        if isinstance(expr, cst.Expr) and isinstance(expr.value, cst.SimpleString):
            span = self.positions.span(expr)
            self.docstrings.append(DocstringSite(owner, expr.value.value, span.line, span.column))

    # -- the walk -----------------------------------------------------------------------
    def _walk_body(
        self,
        body: Sequence[cst.BaseStatement],
        parent: Owner,
        first_owner: Owner | None,
        class_builder: _ClassBuilder | None,
        header_done: bool = False,
        segment_header: Sequence[cst.EmptyLine] | None = None,
    ) -> None:
        """Walk one block. ``first_owner`` owns comments at the top of a def/class body;
        at module level (``header_done``) comments after the docstring belong to the module.
        ``segment_header``: the block is a segment after the first (see :meth:`walk_segment`)
        and these are the comment lines above its first statement."""
        module_level = header_done
        continuation = segment_header is not None
        for index, stmt in enumerate(body):
            target = self._target_of(stmt, parent)
            if module_level and index == 0 and not continuation:
                pass  # its comments are in Module.header, handled by _walk_module()
            elif (module_level and index == 1 and not continuation
                  and _is_docstring(body[0])):
                # Comments between the module docstring and the next statement are still the
                # module's leading comment block.
                self._leading(stmt, target, parent)
            else:
                # Comments at the very top of a function body describe the function
                # (tags.md: `def f(user):` then `# gdpr: shares=…`), even above an assignment.
                top_of_def = index == 0 and first_owner is not None
                above = None if (top_of_def and parent.kind == "function"
                                 and isinstance(stmt, cst.SimpleStatementLine)) else target
                leading = segment_header if continuation and index == 0 else None
                self._leading(stmt, above, first_owner if index == 0 else None, leading)
            if isinstance(stmt, cst.SimpleStatementLine):
                self._simple_line(stmt, target, class_builder)
            elif isinstance(stmt, cst.FunctionDef):
                assert target is not None
                self._function(stmt, target, parent)
            elif isinstance(stmt, cst.ClassDef):
                assert target is not None
                self._class(stmt, target)
            else:
                self._compound(stmt, parent)

    def _leading(self, stmt: cst.BaseStatement, target: Owner | None,
                 first_owner: Owner | None,
                 lines: Sequence[cst.EmptyLine] | None = None) -> None:
        """Slots for the comment lines above ``stmt`` (its ``leading_lines`` unless
        ``lines`` is given)."""
        leading: Sequence[cst.EmptyLine] = (
            getattr(stmt, "leading_lines", ()) if lines is None else lines)
        if not leading:
            return
        start = self._first_line(stmt)
        run = _touching_run(leading)
        total = len(leading)
        for index in range(total):
            line = start - total + index
            touching = index >= total - run
            if target is not None and touching:
                self.slots[line] = target
            elif first_owner is not None:
                self.slots[line] = first_owner

    def _simple_line(self, stmt: cst.SimpleStatementLine, target: Owner | None,
                     class_builder: _ClassBuilder | None) -> None:
        for small in stmt.body:
            span = self.positions.span(small)
            self.anchors.append((span.line, span.end_line))
        if not stmt.body:
            return
        end_line = self.positions.end_line(stmt.body[-1])
        if target is not None and stmt.trailing_whitespace.comment is not None:
            self.slots[end_line] = target
        if class_builder is not None and self.collect_attrs and len(stmt.body) == 1:
            attr = self._class_attr(stmt.body[0])
            if attr is not None:
                class_builder.attrs.append(attr)

    def _class_attr(self, small: cst.BaseSmallStatement) -> ClassAttr | None:
        name = _assigned_name(small)
        if name is None:
            return None
        value: cst.BaseExpression | None
        annotation: str | None = None
        if isinstance(small, cst.AnnAssign):
            annotation = annotation_text(small.annotation.annotation, self.scope)
            value = small.value
        else:
            assert isinstance(small, cst.Assign)
            value = small.value
        call = call_arg = None
        call_args: list[str] = []
        if isinstance(value, cst.Call):
            call = self._resolve(value.func)
            for arg in value.args:
                resolved = self._resolve(_call_target(arg.value))
                if resolved is None:
                    continue
                call_args.append(resolved)
                if arg.keyword is None and call_arg is None and arg.star == "":
                    call_arg = resolved
        return ClassAttr(name, self.positions.span(small), annotation, call, call_arg,
                         tuple(call_args))

    def _header_line(self, node: cst.FunctionDef | cst.ClassDef) -> int:
        """The line of the ``:`` ending a def/class header (where a header comment sits)."""
        body = node.body
        if isinstance(body, cst.IndentedBlock) and body.body:
            first = body.body[0]
            return self._first_line(first) - len(getattr(first, "leading_lines", ())) - 1
        return self.positions.end_line(node)

    def _definition_slots(self, node: cst.FunctionDef | cst.ClassDef, owner: Owner) -> None:
        for index, decorator in enumerate(node.decorators):
            if decorator.trailing_whitespace.comment is not None:
                self.slots[self.positions.decorator_end_line(decorator)] = owner
            if index and decorator.leading_lines:  # comment lines between two decorators
                start = self.positions.decorator_start_line(decorator)
                count = len(decorator.leading_lines)
                for offset in range(count):
                    self.slots[start - count + offset] = owner
        def_line = self.positions.line(node)
        after = node.lines_after_decorators
        for index in range(len(after)):
            self.slots[def_line - len(after) + index] = owner
        header_line = self._header_line(node)
        body = node.body
        if isinstance(body, cst.IndentedBlock):
            if body.header.comment is not None:
                self.slots[header_line] = owner
        elif (isinstance(body, cst.SimpleStatementSuite)
              and body.trailing_whitespace.comment is not None):
            self.slots[header_line] = owner
        self.anchors.append((self.positions.first_line(node), max(def_line, header_line)))

    def _function(self, node: cst.FunctionDef, owner: Owner, parent: Owner) -> None:
        self._definition_slots(node, owner)
        decorators = tuple(
            name for name in (self._resolve(_call_target(d.decorator)) for d in node.decorators)
            if name
        )
        span = self.positions.span(node)
        class_symbol = parent.symbol if parent.kind == "class" else None
        flow_fields: dict[str, object] = {}
        if self.classifier is not None:
            flow = self._flow(class_symbol)
            params = flow.bind_params(node.params)
            flow.block(node.body)
            decorator_flow = self._flow(class_symbol)
            for decorator in node.decorators:
                decorator_flow._statement = node
                decorator_flow.expr(decorator.decorator)
            flow_fields = {
                "params": params,
                "decorator_calls": tuple(decorator_flow.finish()),
                "calls": tuple(flow.finish()),
                "returns": _sorted(flow.result.returns),
                "reads": _sorted(flow.result.reads),
                "writes": tuple(sorted(flow.result.writes)),
            }
        self.functions.append(
            FunctionFact(
                symbol=owner.symbol,
                name=node.name.value,
                span=Span(span.line, span.column, span.line, span.column),
                end_line=span.end_line,
                decorators=decorators,
                class_symbol=class_symbol,
                is_async=node.asynchronous is not None,
                **flow_fields,  # type: ignore[arg-type]
            )
        )
        self._suite(node.body, owner, first_owner=owner, class_builder=None)

    def _class(self, node: cst.ClassDef, owner: Owner) -> None:
        self._definition_slots(node, owner)
        bases = tuple(
            name for name in (self._resolve(arg.value) for arg in node.bases) if name
        )
        keywords = tuple(
            (arg.keyword.value, _render_simple(arg.value))
            for arg in node.keywords
            if arg.keyword is not None
        )
        decorators = tuple(
            name for name in (self._resolve(_call_target(d.decorator)) for d in node.decorators)
            if name
        )
        span = self.positions.span(node)
        builder = _ClassBuilder(owner.symbol, node.name.value,
                                Span(span.line, span.column, span.line, span.column),
                                span.end_line, bases, decorators, keywords)
        self.classes.append(builder)
        self._suite(node.body, owner, first_owner=owner, class_builder=builder)

    def _suite(self, body: cst.BaseSuite, owner: Owner, first_owner: Owner | None,
               class_builder: _ClassBuilder | None) -> None:
        if isinstance(body, cst.IndentedBlock):
            self._docstring(body.body, owner)
            self._walk_body(body.body, owner, first_owner, class_builder)
        else:
            for small in body.body:
                span = self.positions.span(small)
                self.anchors.append((span.line, span.end_line))

    def _compound(self, stmt: cst.BaseStatement, parent: Owner) -> None:
        """if/for/while/try/with/match: definitions inside keep the enclosing scope."""
        self.anchors.append((self.positions.line(stmt), self.positions.line(stmt)))
        for block in _blocks(stmt):
            if isinstance(block, cst.IndentedBlock):
                self._walk_body(block.body, parent, first_owner=None, class_builder=None)
            else:
                for small in block.body:
                    span = self.positions.span(small)
                    self.anchors.append((span.line, span.end_line))

    def class_facts(self) -> tuple[ClassFact, ...]:
        return tuple(
            ClassFact(b.symbol, b.name, b.span, b.end_line, b.bases, b.decorators,
                      tuple(b.attrs), b.keywords)
            for b in self.classes
        )


def _blocks(stmt: cst.BaseStatement) -> list[cst.BaseSuite]:
    blocks: list[cst.BaseSuite] = []
    if isinstance(stmt, cst.If):
        blocks.append(stmt.body)
        orelse = stmt.orelse
        while isinstance(orelse, cst.If):
            blocks.append(orelse.body)
            orelse = orelse.orelse
        if isinstance(orelse, cst.Else):
            blocks.append(orelse.body)
    elif isinstance(stmt, (cst.For, cst.While)):
        blocks.append(stmt.body)
        if stmt.orelse is not None:
            blocks.append(stmt.orelse.body)
    elif isinstance(stmt, cst.With):
        blocks.append(stmt.body)
    elif isinstance(stmt, cst.Match):
        blocks.extend(case.body for case in stmt.cases)
    elif hasattr(stmt, "handlers"):  # Try / TryStar
        blocks.append(stmt.body)  # type: ignore[attr-defined]
        blocks.extend(handler.body for handler in stmt.handlers)  # type: ignore[attr-defined]
        for name in ("orelse", "finalbody"):
            part = getattr(stmt, name, None)
            if part is not None:
                blocks.append(part.body)
    return blocks


def _is_docstring(stmt: cst.BaseStatement) -> bool:
    return (
        isinstance(stmt, cst.SimpleStatementLine)
        and len(stmt.body) == 1
        and isinstance(stmt.body[0], cst.Expr)
        and isinstance(stmt.body[0].value, (cst.SimpleString, cst.ConcatenatedString))
    )


def _touching_run(lines: Sequence[cst.EmptyLine]) -> int:
    """How many comment lines directly above the statement (no blank line between)."""
    run = 0
    for line in reversed(lines):
        if line.comment is None:
            break
        run += 1
    return run


def _assigned_name(small: cst.BaseSmallStatement) -> str | None:
    if isinstance(small, cst.AnnAssign) and isinstance(small.target, cst.Name):
        return small.target.value
    if (
        isinstance(small, cst.Assign)
        and len(small.targets) == 1
        and isinstance(small.targets[0].target, cst.Name)
    ):
        return small.targets[0].target.value
    return None


def _call_target(expr: cst.BaseExpression) -> cst.BaseExpression:
    """For ``@dec(...)``/``Column(String(50))`` the callee; otherwise the expression."""
    return expr.func if isinstance(expr, cst.Call) else expr


def _render_simple(expr: cst.BaseExpression) -> str:
    if isinstance(expr, cst.Name):
        return expr.value
    name = dotted(expr)
    return name if name is not None else "?"


def _join(parent: Owner, name: str) -> str:
    return f"{parent.symbol}.{name}" if parent.symbol else name
