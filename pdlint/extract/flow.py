"""Intra-procedural personal-data flow, summarised as atoms during extraction.

For each function we walk its statements once, in order, keeping an environment from local
names to the *atoms* their values may carry (see :mod:`pdlint.facts`): personal data read
directly (``user.email``, ``form["phone"]``, ``request.remote_addr``), a parameter, or a
call's result. Branches are merged by union and loops run twice, so the analysis is
flow-sensitive for straight-line code (``email = hash(email)`` is clean afterwards) without
a fixed-point engine. Calls are recorded with what flows into them; whether a call's result
carries data depends on the callee, which the project-level link phase decides (a project
function's return summary, or its arguments for library calls), so extraction stays per file.

Sinks (logging, print, warnings, error trackers, raised exceptions) are recognised here from
syntax alone, with the payload that reaches them; which calls they are is declared in
:mod:`pdlint.knowledge` (``logs``, ``trackers``), as are the framework request sources.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

import libcst as cst

from pdlint import knowledge
from pdlint import lexicon as lx
from pdlint.classify import Classification, Classifier, split_identifier
from pdlint.extract.names import annotation_text, dotted, resolve, string_value
from pdlint.extract.positions import Positions
from pdlint.facts import Atom, CallFact, ParamFact, Span

Atoms = frozenset[Atom]
EMPTY: Atoms = frozenset()
_NO_SPAN = Span(1, 1, 1, 1)

# -- framework sources (pdlint.knowledge): attribute chains that are personal data whatever
# their name; whole request bodies and validated payloads, personal data when passed on
# whole; methods whose result is the request body.
_SOURCES = knowledge.REQUEST_SOURCES
_CONTAINERS = knowledge.REQUEST_CONTAINERS
_CONTAINER_CALLS = knowledge.REQUEST_BODY_CALLS

# -- sanitisers: calls whose result carries no personal data --------------------------------
_SANITIZER_CALLEES = re.compile(
    r"^(len|bool|int|float|isinstance|issubclass|hasattr|callable|id|hash|type|"
    + "|".join(knowledge.SANITIZERS) + r")$"
)
_SANITIZER_WORDS = re.compile(
    r"(?i)(^|_|\.)(mask|masked|redact|redacted|scrub|anonymi[sz]e|pseudonymi[sz]e|obfuscate|"
    r"hash|hashed|digest|encrypt|encrypted|hexdigest|sha\d*|md5|hmac|count|len|exists|"
    r"is_valid|validate|verify|check|compare)(_|$|\.)"
)
_SANITIZER_METHODS = frozenset({
    "hexdigest", "digest", "encrypt", "count", "exists", "is_valid", "startswith", "endswith",
    "isdigit", "isalpha", "__len__", "set_password", "check_password", "has_usable_password",
})

# -- sinks (pdlint.knowledge: logs, trackers) ----------------------------------------------
_LOG_METHODS = knowledge.LOGGER.methods
_LOG_CONTEXT_METHODS = knowledge.LOGGER.context_methods
_LOGGER_PREFIXES = knowledge.LOGGER.prefixes
_LOGGER_NAME = knowledge.LOGGER_NAMES
_LOGGER_FACTORIES = knowledge.LOGGER_FACTORIES
_CALL_SINKS = knowledge.CALL_SINKS
_NOT_PAYLOAD_KWARGS = frozenset({"exc_info", "stack_info", "stacklevel", "level"})
# Lookups in message catalogues and UI tables name messages, not data:
# `self.error_messages["duplicate_email"]`, `form.fields["email"]`.
_CATALOGUES = frozenset({
    "error_messages", "default_error_messages", "messages", "help_texts", "labels",
    "verbose_names", "fields", "base_fields", "declared_fields", "widgets", "templates",
    "strings", "translations", "texts", "titles", "placeholders", "errors", "initial",
})
# Calls that turn a request container into its parameter *names*.
_KEY_VIEWS = frozenset({"keys", "set", "frozenset", "sorted", "list", "tuple", "len"})
_PROPAGATING_KWARG_CALLS = re.compile(r"(^|\.)(format|format_map|dict|join)$")
_BUILTINS = frozenset({
    "print", "len", "str", "repr", "int", "float", "bool", "list", "dict", "set", "tuple",
    "sorted", "reversed", "min", "max", "sum", "any", "all", "zip", "map", "filter", "range",
    "enumerate", "isinstance", "getattr", "setattr", "hasattr", "super", "type", "id", "open",
    "format", "iter", "next", "abs", "round", "vars", "object", "Exception", "ValueError",
})


@dataclass(frozen=True)
class FlowOptions:
    """What configuration changes about flow extraction (part of the cache key)."""

    sanitizers: tuple[str, ...] = ()


@dataclass
class FlowResult:
    returns: set[Atom] = field(default_factory=set)
    reads: set[Atom] = field(default_factory=set)
    writes: set[str] = field(default_factory=set)


class FunctionFlow:
    """Walks one function body (or a module's top level) and summarises its data flow."""

    def __init__(
        self,
        classifier: Classifier,
        scope: Mapping[str, str],
        positions: Positions,
        options: FlowOptions,
        class_symbol: str | None = None,
        instances: Mapping[str, str] | None = None,
    ) -> None:
        self.classifier = classifier
        self.scope = scope
        self.positions = positions
        self.options = options
        self.class_symbol = class_symbol
        self.instances = instances or {}
        self.env: dict[str, Atoms] = {}
        self.types: dict[str, str] = {}
        self.result = FlowResult()
        self._statement: cst.CSTNode | None = None
        self._facts: list[tuple[CallFact, cst.Call, cst.CSTNode | None]] = []
        self._sanitized: set[int] = set()  # ids of call nodes whose result is sanitised
        self._spans: dict[int, Span] = {}
        self._settled: list[CallFact] = []  # finished calls of earlier segments (settle())
        self._first_index = 0  # the index of the first call in self._facts

    # -- parameters -----------------------------------------------------------------------
    def bind_params(self, params: cst.Parameters) -> tuple[ParamFact, ...]:
        facts: list[ParamFact] = []
        ordered: list[tuple[cst.Param, str]] = []
        ordered += [(p, "positional") for p in params.posonly_params]
        ordered += [(p, "positional") for p in params.params]
        if isinstance(params.star_arg, cst.Param):
            ordered.append((params.star_arg, "star"))
        ordered += [(p, "keyword") for p in params.kwonly_params]
        if params.star_kwarg is not None:
            ordered.append((params.star_kwarg, "double_star"))
        for index, (param, kind) in enumerate(ordered):
            name = param.name.value
            annotation = None
            if param.annotation is not None:
                annotation = annotation_text(param.annotation.annotation, self.scope)
            default_call = None
            default_args: tuple[str, ...] = ()
            if isinstance(param.default, cst.Call):
                default_call = resolve(dotted(param.default.func), self.scope)
                default_args = tuple(
                    name_ for name_ in (resolve(dotted(a.value), self.scope)
                                        for a in param.default.args) if name_
                )
            facts.append(ParamFact(name, annotation, default_call, default_args, kind))
            self.env[name] = frozenset({("p", index)})
            if annotation and "." in annotation and "[" not in annotation:
                self.types[name] = annotation
        return tuple(facts)

    # -- statements -----------------------------------------------------------------------
    def block(self, body: Sequence[cst.BaseStatement] | cst.BaseSuite) -> None:
        if isinstance(body, cst.IndentedBlock):
            statements: Sequence[cst.CSTNode] = body.body
        elif isinstance(body, cst.SimpleStatementSuite):
            statements = body.body
        else:
            statements = body  # type: ignore[assignment]
        for stmt in statements:
            self.statement(stmt)

    def statement(self, stmt: cst.CSTNode) -> None:
        if isinstance(stmt, cst.SimpleStatementLine):
            for small in stmt.body:
                self.statement(small)
            return
        self._statement = stmt
        if isinstance(stmt, cst.Assign):
            targets = [t.target for t in stmt.targets]
            if (len(targets) == 1 and isinstance(targets[0], (cst.Tuple, cst.List))
                    and isinstance(stmt.value, (cst.Tuple, cst.List))
                    and len(targets[0].elements) == len(stmt.value.elements)
                    and not any(isinstance(e, cst.StarredElement)
                                for e in (*targets[0].elements, *stmt.value.elements))):
                # `a, b = x, y`: element by element
                values = [self.expr(e.value) for e in stmt.value.elements]
                for element, atoms, node in zip(targets[0].elements, values,
                                                stmt.value.elements, strict=False):
                    self.bind(element.value, atoms, node.value)
                return
            value = self.expr(stmt.value)
            for target in targets:
                self.bind(target, value, stmt.value)
        elif isinstance(stmt, cst.AnnAssign):
            if stmt.value is not None:
                value = self.expr(stmt.value)
                self.bind(stmt.target, value, stmt.value)
            if isinstance(stmt.target, cst.Name):
                hint = annotation_text(stmt.annotation.annotation, self.scope)
                if hint and "[" not in hint:
                    self.types[stmt.target.value] = hint
        elif isinstance(stmt, cst.AugAssign):
            value = self.expr(stmt.value)
            if isinstance(stmt.target, cst.Name):
                name = stmt.target.value
                self.env[name] = self.env.get(name, EMPTY) | value
            else:
                self.bind(stmt.target, value, None)
        elif isinstance(stmt, cst.Expr):
            value = self.expr(stmt.value)
            if isinstance(stmt.value, (cst.Yield,)):
                self.result.returns |= value
        elif isinstance(stmt, cst.Return):
            if stmt.value is not None:
                self.result.returns |= self.expr(stmt.value)
        elif isinstance(stmt, cst.Raise):
            self._raise(stmt)
        elif isinstance(stmt, cst.Assert):
            self.expr(stmt.test)
        elif isinstance(stmt, cst.Del):
            pass
        elif isinstance(stmt, cst.If):
            self._if(stmt)
        elif isinstance(stmt, (cst.For, cst.While)):
            self._loop(stmt)
        elif isinstance(stmt, cst.With):
            for item in stmt.items:
                value = self.expr(item.item)
                if item.asname is not None:
                    self.bind(item.asname.name, value, None)
            self.block(stmt.body)
        elif isinstance(stmt, cst.Match):
            self.expr(stmt.subject)
            self._branches([case.body for case in stmt.cases], keep_original=True)
        elif hasattr(stmt, "handlers") and hasattr(stmt, "body"):  # Try / TryStar
            self._try(stmt)
        # FunctionDef / ClassDef: analysed on their own

    def _if(self, stmt: cst.If) -> None:
        self.expr(stmt.test)
        blocks: list[cst.BaseSuite] = [stmt.body]
        orelse: cst.If | cst.Else | None = stmt.orelse
        has_else = False
        while orelse is not None:
            if isinstance(orelse, cst.If):
                self._statement = orelse
                self.expr(orelse.test)
                blocks.append(orelse.body)
                orelse = orelse.orelse
            else:
                blocks.append(orelse.body)
                has_else = True
                orelse = None
        self._branches(blocks, keep_original=not has_else)

    def _branches(self, blocks: Sequence[cst.BaseSuite], keep_original: bool) -> None:
        start = dict(self.env)
        merged: dict[str, Atoms] = dict(start) if keep_original else {}
        for block in blocks:
            self.env = dict(start)
            self.block(block)
            for name, value in self.env.items():
                merged[name] = merged.get(name, EMPTY) | value
        self.env = merged

    def _loop(self, stmt: cst.For | cst.While) -> None:
        start = dict(self.env)
        for _ in range(2):  # twice: values assigned late in the body reach its start
            if isinstance(stmt, cst.For):
                self.bind(stmt.target, self.expr(stmt.iter), stmt.iter)
            else:
                self.expr(stmt.test)
            self.block(stmt.body)
        if stmt.orelse is not None:
            self.block(stmt.orelse.body)
        for name, value in start.items():
            self.env[name] = self.env.get(name, EMPTY) | value

    def _try(self, stmt: cst.CSTNode) -> None:
        start = dict(self.env)
        self.block(stmt.body)  # type: ignore[attr-defined]
        after_body = dict(self.env)
        merged = dict(after_body)
        for handler in stmt.handlers:  # type: ignore[attr-defined]
            self.env = {k: start.get(k, EMPTY) | after_body.get(k, EMPTY)
                        for k in set(start) | set(after_body)}
            if handler.name is not None:
                self.bind(handler.name.name, EMPTY, None)
            self.block(handler.body)
            for name, value in self.env.items():
                merged[name] = merged.get(name, EMPTY) | value
        self.env = merged
        orelse = getattr(stmt, "orelse", None)
        if orelse is not None:
            self.block(orelse.body)
        final = getattr(stmt, "finalbody", None)
        if final is not None:
            self.block(final.body)

    def _raise(self, stmt: cst.Raise) -> None:
        exc = stmt.exc
        if exc is None:
            return
        if isinstance(exc, cst.Call):
            payload = EMPTY
            for arg in exc.args:
                payload |= self.expr(arg.value)
            self.expr(exc.func)
            callee = resolve(dotted(exc.func), self.scope)
            self._record(exc, callee, dotted(exc.func) or "", EMPTY, sink="exception",
                         payload=payload, evaluate_args=False)
        else:
            self.expr(exc)

    # -- binding --------------------------------------------------------------------------
    def bind(self, target: cst.BaseExpression, value: Atoms,
             value_node: cst.CSTNode | None) -> None:
        if isinstance(target, cst.Name):
            # The target's own name is evidence too (`access_token = issue_token(...)`),
            # unless the value is a literal or the result of a sanitiser (`email = hash(email)`).
            if not (isinstance(value_node, cst.BaseExpression) and (_is_literal(value_node)
                                                or id(value_node) in self._sanitized
                                                or _constructs_object(value_node)
                                                or self._vetoed(value_node))):
                named = self.classify(target.value, "variable", None)
                if named is not None:
                    value = value | self._direct(named, target.value)
            self.env[target.value] = value
            if isinstance(value_node, cst.Call):
                constructed = resolve(dotted(value_node.func), self.scope)
                if constructed and constructed[:1].isalpha() and "." in constructed:
                    last = constructed.rsplit(".", 1)[-1]
                    if last[:1].isupper():
                        self.types[target.value] = constructed
                    else:
                        self.types.pop(target.value, None)
            else:
                self.types.pop(target.value, None)
        elif isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                self.bind(element.value, value, None)
        elif isinstance(target, cst.StarredElement):
            self.bind(target.value, value, None)
        elif isinstance(target, cst.Attribute):
            # `user.email = new_email` updates a person object: the function touches it.
            self.expr(target.value)
            found = self.classify(target.attr.value, "attribute", dotted(target))
            if found is not None and found.kind == "value":
                label = dotted(target) or f"….{target.attr.value}"
                self.result.reads.add(("d", found.category, found.kind, label))
                self.result.writes.add(label)
        elif isinstance(target, cst.Subscript):
            self.expr(target.value)
            key = _string_key(target)
            if key is not None:
                found = self.classify(key, "key", None)
                if found is not None and found.kind == "value":
                    self.result.reads.add(("d", found.category, found.kind, _sub_label(target)))

    # -- classification -------------------------------------------------------------------
    def classify(self, name: str, role: str, chain: str | None) -> Classification | None:
        person = False
        if chain and "." in chain:
            # Only the object the attribute is read from gives context:
            # `request.user.email` (owner `user`) yes; `request.event.settings.locales` no.
            owner = chain.rsplit(".", 2)[-2]
            person = owner not in ("request", "self", "cls") and \
                self.classifier.is_person_name(owner) and \
                not _generic_owner(owner)
        try:
            found = self.classifier.classify(name, role=role, person_context=person)
        except Exception:  # pragma: no cover - classification must never stop extraction
            return None
        if (found is not None and found.phrase == ("secret",) and role == "attribute"
                and chain and "." in chain and not person):
            # A bare `.secret` is a credential on a client/app/settings object only.
            owner = chain.rsplit(".", 2)[-2]
            if not set(split_identifier(owner)) & lx.SECRET_OWNER_WORDS:
                return None
        return found

    def _vetoed(self, node: cst.CSTNode) -> bool:
        """The value's own name is about the organisation or infrastructure.

        `sender_address = cleaned_data.get("mail_from")` or `username=form["smtp_username"]`:
        the target/keyword name alone would say personal data, but the value's name was
        already judged not to be (organisation or infrastructure words vetoed it), and that
        closer evidence wins.
        """
        name: str | None = None
        if isinstance(node, cst.Name):
            name = node.value
        elif isinstance(node, cst.Attribute):
            name = node.attr.value
        elif isinstance(node, cst.Subscript):
            name = _string_key(node)
        elif (isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute)
              and node.func.attr.value in ("get", "pop", "getlist") and node.args):
            name = _literal(node.args[0].value)
        if not name:
            return False
        try:
            if self.classifier.classify(name, role="key") is not None:
                return False
            tokens = split_identifier(name)
            kept = [t for t in tokens if t not in lx.ORG_WORDS and t not in lx.INFRA]
            if not kept or len(kept) == len(tokens):
                return False
            return self.classifier.classify("_".join(kept), role="key",
                                            person_context=True) is not None
        except Exception:  # pragma: no cover - classification must never stop extraction
            return False

    def _direct(self, found: Classification | None, label: str) -> Atoms:
        if found is None:
            return EMPTY
        atom = ("d", found.category, found.kind, label)
        self.result.reads.add(atom)
        return frozenset({atom})

    # -- expressions ----------------------------------------------------------------------
    def expr(self, node: cst.BaseExpression | None) -> Atoms:
        if node is None:
            return EMPTY
        if isinstance(node, cst.Name):
            return self._name(node)
        if isinstance(node, cst.Attribute):
            return self._attribute(node)
        if isinstance(node, cst.Call):
            return self._call(node)
        if isinstance(node, cst.Subscript):
            return self._subscript(node)
        if isinstance(node, (cst.SimpleString, cst.Integer, cst.Float, cst.Imaginary,
                             cst.Ellipsis)):
            return EMPTY
        if isinstance(node, cst.FormattedString):
            out = EMPTY
            for part in node.parts:
                if isinstance(part, cst.FormattedStringExpression):
                    out |= self.expr(part.expression)
            return out
        if isinstance(node, cst.ConcatenatedString):
            return self.expr(node.left) | self.expr(node.right)
        if isinstance(node, cst.BinaryOperation):
            return self.expr(node.left) | self.expr(node.right)
        if isinstance(node, cst.BooleanOperation):
            return self.expr(node.left) | self.expr(node.right)
        if isinstance(node, cst.Comparison):
            self.expr(node.left)
            for target in node.comparisons:
                self.expr(target.comparator)
            return EMPTY
        if isinstance(node, cst.UnaryOperation):
            value = self.expr(node.expression)
            return EMPTY if isinstance(node.operator, cst.Not) else value
        if isinstance(node, (cst.List, cst.Tuple, cst.Set)):
            out = EMPTY
            for element in node.elements:
                out |= self.expr(element.value)
            return out
        if isinstance(node, cst.Dict):
            return self._dict(node)
        if isinstance(node, (cst.ListComp, cst.SetComp, cst.GeneratorExp, cst.DictComp)):
            return self._comprehension(node)
        if isinstance(node, cst.IfExp):
            self.expr(node.test)
            return self.expr(node.body) | self.expr(node.orelse)
        if isinstance(node, cst.Await):
            return self.expr(node.expression)
        if isinstance(node, cst.NamedExpr):
            value = self.expr(node.value)
            self.bind(node.target, value, node.value)
            return value
        if isinstance(node, cst.Yield):
            yielded = node.value
            if isinstance(yielded, cst.From):
                return self.expr(yielded.item)
            return self.expr(yielded) if yielded is not None else EMPTY
        if isinstance(node, cst.StarredElement):
            return self.expr(node.value)
        if isinstance(node, cst.Lambda):
            return EMPTY
        if isinstance(node, cst.Slice):
            return EMPTY
        return EMPTY

    def _name(self, node: cst.Name) -> Atoms:
        name = node.value
        if name in self.env:
            return self.env[name]
        if name in _BUILTINS or name in self.scope or name.isupper() or name[:1].isupper():
            return EMPTY
        return EMPTY

    def _attribute(self, node: cst.Attribute) -> Atoms:
        chain = dotted(node)
        receiver = self.expr(node.value)
        if chain is not None:
            for pattern, category in _SOURCES:
                if category and pattern.search(chain):
                    atom = ("d", category, "value", chain)
                    self.result.reads.add(atom)
                    return frozenset({atom})
            if _CONTAINERS.search(chain):
                atom = ("d", "request", "container", chain)
                self.result.reads.add(atom)
                return frozenset({atom})
        found = self.classify(node.attr.value, "attribute", chain)
        if found is not None:
            return self._direct(found, chain or f"….{node.attr.value}")
        if _is_container_atoms(receiver):
            return receiver  # request.POST.dict() etc.
        return EMPTY

    def _subscript(self, node: cst.Subscript) -> Atoms:
        base = self.expr(node.value)
        key = _string_key(node)
        for element in node.slice:
            if isinstance(element.slice, cst.Index):
                self.expr(element.slice.value)
        if key is not None:
            # A literal key says what the value is: row["email"] is an e-mail address,
            # row["id"] / request.POST["quantity"] are not personal data whatever row holds.
            base_name = dotted(node.value)
            if base_name and base_name.rsplit(".", 1)[-1] in _CATALOGUES:
                return EMPTY
            return self._direct(self.classify(key, "key", None), _sub_label(node))
        return base - {a for a in base if a[0] == "d" and a[2] == "container"}

    def _dict(self, node: cst.Dict) -> Atoms:
        out = EMPTY
        for element in node.elements:
            if isinstance(element, cst.DictElement):
                value = self.expr(element.value)
                self.expr(element.key)
                out |= value
                key = element.key
                carries = any(atom[0] in ("d", "p") for atom in value)
                if isinstance(key, cst.SimpleString) and carries:
                    text = string_value(key)
                    if isinstance(text, str):
                        found = self.classify(text, "key", None)
                        if found is not None:
                            out |= self._direct(found, "{…}")
            else:
                out |= self.expr(element.value)
        return out

    def _comprehension(self, node: cst.BaseExpression) -> Atoms:
        saved = dict(self.env)
        clause: cst.CompFor | None = node.for_in  # type: ignore[attr-defined]
        while clause is not None:
            self.bind(clause.target, self.expr(clause.iter), clause.iter)
            for condition in clause.ifs:
                self.expr(condition.test)
            clause = clause.inner_for_in
        if isinstance(node, cst.DictComp):
            out = self.expr(node.key) | self.expr(node.value)
        else:
            out = self.expr(node.elt)  # type: ignore[attr-defined]
        self.env = saved
        return out

    # -- calls ----------------------------------------------------------------------------
    def _callee(self, func: cst.BaseExpression) -> str | None:
        if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name):
            owner = func.value.value
            if owner in ("self", "cls") and self.class_symbol:
                return f"{self.class_symbol}.{func.attr.value}"
            known = self.types.get(owner)
            if known:
                return f"{known}.{func.attr.value}"
        return resolve(dotted(func), self.scope)

    def _call(self, node: cst.Call) -> Atoms:
        func = node.func
        written = dotted(func) or ""
        callee = self._callee(func)
        receiver = EMPTY
        if isinstance(func, cst.Attribute):
            receiver = self.expr(func.value)
        elif not isinstance(func, cst.Name):
            receiver = self.expr(func)
        method = func.attr.value if isinstance(func, cst.Attribute) else (
            func.value if isinstance(func, cst.Name) else "")

        # key lookups: d.get("email"), d.pop("email"), getattr(x, "email")
        key_atoms = EMPTY
        if method in ("get", "pop", "getlist", "setdefault") and node.args:
            key = _literal(node.args[0].value)
            if key is not None:
                found = self.classify(key, "key", None)
                key_atoms = self._direct(found, f"{written or '…'}(…)") if found else EMPTY
                if found is None:
                    # d.get("quantity"): a field that is not personal data, whatever d holds
                    self._record(node, self._callee(func), written, EMPTY)
                    return EMPTY
            elif _is_container_atoms(receiver):
                # request.POST.get(name): one unknown parameter, not the whole body
                self._record(node, self._callee(func), written, EMPTY)
                return EMPTY
        elif written == "getattr" and len(node.args) >= 2:
            key = _literal(node.args[1].value)
            if key is not None:
                key_atoms = self._direct(self.classify(key, "attribute", None), "getattr(…)")

        if method in _KEY_VIEWS and (_is_container_atoms(receiver) or (
                isinstance(func, cst.Name) and node.args
                and _is_container_atoms(self._peek(node.args[0].value)))):
            # set(request.GET) / request.POST.keys(): parameter names, not their values
            self._record(node, callee, written, EMPTY)
            return EMPTY
        sink, payload_from = self._sink(func, callee, written, method)
        record = self._record(node, callee, written, receiver, sink=sink,
                              payload_mode=payload_from)
        index = record.index
        if self._sanitizer(callee or "", written, method):
            self._sanitized.add(id(node))
            return key_atoms
        if key_atoms:
            return key_atoms
        result: set[Atom] = {("c", index)}
        # getters: user.get_full_name(), get_email()
        if method and (method.startswith("get_") or method.startswith("get")) and method != "get":
            found = self.classify(method, "callable", written)
            if found is not None:
                result |= self._direct(found, f"{written}()" if written else f"{method}()")
        if callee and _CONTAINER_CALLS.search(callee):
            atom = ("d", "request", "container", f"{written}()")
            self.result.reads.add(atom)
            result.add(atom)
        return frozenset(result)

    def _peek(self, node: cst.BaseExpression) -> Atoms:
        """Atoms of a plain name or attribute chain without recording anything."""
        if isinstance(node, cst.Name):
            return self.env.get(node.value, EMPTY)
        chain = dotted(node)
        if chain and _CONTAINERS.search(chain):
            return frozenset({("d", "request", "container", chain)})
        return EMPTY

    def _sanitizer(self, callee: str, written: str, method: str) -> bool:
        if _SANITIZER_CALLEES.match(callee) or method in _SANITIZER_METHODS:
            return True
        if written and _SANITIZER_WORDS.search(written.rsplit(".", 1)[-1]):
            return True
        for pattern in self.options.sanitizers:
            if fnmatch.fnmatchcase(callee, pattern) or fnmatch.fnmatchcase(written, pattern) or (
                "." not in pattern and fnmatch.fnmatchcase(written.rsplit(".", 1)[-1], pattern)
            ):
                return True
        return False

    def _sink(self, func: cst.BaseExpression, callee: str | None, written: str,
              method: str) -> tuple[str | None, str]:
        known = _CALL_SINKS.get(callee) if callee else None
        if known is not None and not (callee == "print" and "print" in self.scope):
            return known.kind.value, known.payload
        if not isinstance(func, cst.Attribute):
            return None, ""
        if method not in _LOG_METHODS and method not in _LOG_CONTEXT_METHODS:
            return None, ""
        if not self._is_logger(func.value, callee):
            return None, ""
        if method in _LOG_CONTEXT_METHODS:
            return "log", "kwargs"
        return "log", "skip-level" if method == "log" else "log"

    def _is_logger(self, receiver: cst.BaseExpression, callee: str | None) -> bool:
        if callee and callee.startswith(_LOGGER_PREFIXES):
            return True
        node = receiver
        while True:
            if isinstance(node, cst.Call):
                inner = resolve(dotted(node.func), self.scope)
                if inner and _LOGGER_FACTORIES.match(inner):
                    return True
                node = node.func
                if isinstance(node, cst.Attribute) and node.attr.value in ("opt", "bind", "new"):
                    node = node.value
                    continue
                return False
            if isinstance(node, cst.Name):
                name = node.value
                bound = self.instances.get(name) or self.scope.get(name)
                if bound and (_LOGGER_FACTORIES.match(bound) or bound == "loguru.logger"):
                    return True
                return bool(_LOGGER_NAME.match(name))
            if isinstance(node, cst.Attribute):
                return bool(_LOGGER_NAME.match(node.attr.value))
            return False

    def _record(
        self,
        node: cst.Call,
        callee: str | None,
        written: str,
        receiver: Atoms,
        sink: str | None = None,
        payload: Atoms = EMPTY,
        payload_mode: str = "",
        evaluate_args: bool = True,
    ) -> CallFact:
        args: list[tuple[Atom, ...]] = []
        kwargs: list[tuple[str, tuple[Atom, ...]]] = []
        arg_refs: list[str | None] = []
        kwarg_refs: list[tuple[str, str]] = []
        strings: list[str | None] = []
        kwarg_strings: list[tuple[str, str]] = []
        positional: list[Atoms] = []
        keyword: dict[str, Atoms] = {}
        for arg in node.args:
            value = self.expr(arg.value) if evaluate_args else EMPTY
            ref = resolve(dotted(arg.value), self.scope) if isinstance(
                arg.value, (cst.Name, cst.Attribute)) else None
            if isinstance(arg.value, cst.Call):
                inner = dotted(arg.value.func)
                ref = resolve(inner, self.scope) if inner else None
            literal = _literal(arg.value)
            if arg.keyword is None and not arg.star:
                positional.append(value)
                args.append(_sorted(value))
                arg_refs.append(ref)
                strings.append(literal)
            elif arg.keyword is not None:
                keyword[arg.keyword.value] = value
                kwargs.append((arg.keyword.value, _sorted(value)))
                if ref:
                    kwarg_refs.append((arg.keyword.value, ref))
                if literal is not None:
                    kwarg_strings.append((arg.keyword.value, literal))
                found = self.classify(arg.keyword.value, "keyword", None)
                if (found is not None and found.kind == "value" and not _is_literal(arg.value)
                        and not self._vetoed(arg.value)):
                    self.result.reads.add(("d", found.category, found.kind,
                                           f"{written or 'call'}({arg.keyword.value}=…)"))
            else:  # *args / **kwargs
                positional.append(value)
                args.append(_sorted(value))
                arg_refs.append(None)
                strings.append(None)
        if sink is not None and payload_mode:
            payload = self._payload(payload_mode, positional, keyword)
        method = node.func.attr.value if isinstance(node.func, cst.Attribute) else written
        if _PROPAGATING_KWARG_CALLS.search(callee or "") or method in ("format", "format_map"):
            # "{email}".format(email=x) / dict(email=x): keyword values flow into the result
            extra = EMPTY
            for value in keyword.values():
                extra |= value
            if extra:
                args.append(_sorted(extra))
        index = self._first_index + len(self._facts)
        fact = CallFact(
            index=index,
            callee=callee,
            written=written,
            span=self._span(node),
            args=tuple(args),
            kwargs=tuple(kwargs),
            receiver=_sorted(receiver),
            arg_refs=tuple(arg_refs),
            kwarg_refs=tuple(kwarg_refs),
            strings=tuple(strings),
            kwarg_strings=tuple(kwarg_strings),
            sink=sink,
            payload=_sorted(payload),
        )
        self._facts.append((fact, node, self._statement))
        return fact

    def _payload(self, mode: str, positional: list[Atoms], keyword: dict[str, Atoms]) -> Atoms:
        out = EMPTY
        if mode == "first":
            return positional[0] if positional else keyword.get("message", EMPTY)
        if mode in ("all", "log", "skip-level"):
            for value in positional[1:] if mode == "skip-level" else positional:
                out |= value
        if mode in ("all", "log", "skip-level", "kwargs"):
            for name, value in keyword.items():
                if name not in _NOT_PAYLOAD_KWARGS:
                    out |= value
        return out

    def _span(self, node: cst.Call) -> Span:
        """The enclosing statement's range (sinks get their exact range in ``finish``).

        Calls of one statement share one Span object, which keeps cached facts small."""
        stmt = self._statement
        if stmt is None:
            return _NO_SPAN
        span = self._spans.get(id(stmt))
        if span is None:
            span = self._spans[id(stmt)] = self.positions.span(stmt)
        return span

    def settle(self) -> None:
        """Finish the calls recorded so far and drop every reference to their syntax nodes.

        A module extracted in segments (:mod:`pdlint.extract`) frees each segment's tree
        before parsing the next, while its top-level flow (this object) runs across all of
        them. A segment ends between two top-level statements, and the records that
        :meth:`finish` merges (a loop's calls, walked twice) never span two statements, so
        finishing segment by segment gives the same calls. The id()-keyed tables are cleared
        because a freed node's id may be reused by a node of the next segment.
        """
        self._settled.extend(self._finished())
        self._first_index += len(self._facts)
        self._facts = []
        self._spans.clear()
        self._sanitized.clear()
        self._statement = None

    def finish(self) -> list[CallFact]:
        """Calls in index order; sinks get the exact line and column of their call."""
        return self._settled + self._finished() if self._settled else self._finished()

    def _finished(self) -> list[CallFact]:
        facts: list[CallFact] = []
        # Loop bodies are walked twice, so the same call may be recorded twice: keep every
        # record (atoms refer to them by index) but report a sink once, on its last record,
        # with the union of what reached it.
        last: dict[int, int] = {}
        merged: dict[int, set[Atom]] = {}
        for position, (fact, node, _stmt) in enumerate(self._facts):
            if fact.sink is not None:
                last[id(node)] = position
                merged.setdefault(id(node), set()).update(fact.payload)
        for position, (fact, node, stmt) in enumerate(self._facts):
            if fact.sink is not None:
                if last[id(node)] != position:
                    fact = replace(fact, sink=None, payload=())
                else:
                    fact = replace(fact, payload=_sorted(merged[id(node)]))
            if (fact.sink is not None) and stmt is not None:
                exact = self.positions.call_span(stmt, node)
                if exact is not None:
                    fact = replace(fact, span=exact)
            facts.append(fact)
        return facts


# -- helpers ---------------------------------------------------------------------------------
def _sorted(atoms: Iterable[Atom]) -> tuple[Atom, ...]:
    return tuple(sorted(set(atoms), key=repr))


def _is_container_atoms(atoms: Atoms) -> bool:
    return any(a[0] == "d" and a[2] == "container" for a in atoms)


def _generic_owner(owner: str) -> bool:
    """Owners named by a generic person word (``member``, ``child``, ``parent``, ``client``…)
    are as often a tar member, a tree node or an HTTP client as a person: they give an
    attribute no person context of their own (`member.name` is not a person's name)."""
    tokens = split_identifier(owner)
    return bool(tokens) and tokens[-1] in lx.WEAK_PERSON_WORDS and tokens[-1] != "profile"


def _constructs_object(node: cst.CSTNode) -> bool:
    """``Foo(...)``/``mod.Foo(...)``: a value built by a class (``email = EmailMessage()``)."""
    if not isinstance(node, cst.Call):
        return False
    name = dotted(node.func)
    if not name:
        return False
    last = name.rsplit(".", 1)[-1]
    return last[:1].isupper() and not last.isupper()


def _literal(node: cst.BaseExpression) -> str | None:
    if isinstance(node, cst.SimpleString):
        return string_value(node)
    return None


def _is_literal(node: cst.BaseExpression) -> bool:
    return isinstance(node, (cst.SimpleString, cst.Integer, cst.Float, cst.Name)) and not (
        isinstance(node, cst.Name) and node.value not in ("None", "True", "False")
    )


def _string_key(node: cst.Subscript) -> str | None:
    if len(node.slice) != 1:
        return None
    element = node.slice[0].slice
    if isinstance(element, cst.Index):
        return _literal(element.value)
    return None


def _sub_label(node: cst.Subscript) -> str:
    base = dotted(node.value)
    return f"{base}[…]" if base else "…[…]"
