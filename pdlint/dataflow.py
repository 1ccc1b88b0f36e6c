"""Project-level data flow: calls resolved across modules, taint propagated to a fixed point.

Extraction summarised each function with atoms in its own terms (``("p", i)`` for "whatever
the caller passed", ``("c", k)`` for "the result of call k"). Here, over all files at once:

- calls are resolved to project functions through imports, re-exports, ``self``/typed
  receivers and base classes;
- each function gets a *return summary*: the personal data it returns whatever its
  arguments (``returns_data``) and the parameters that flow to its return
  (``returns_params``) — so an identity helper (``def clean(x): return x.strip()``) carries
  e-mail only where it is given e-mail, not everywhere it is used;
- each parameter gets the personal data callers pass into it, with the call path it came
  along (``app.views.register → services.notify.send_receipt``);
- every sink call gets the concrete personal data that reaches it.

Iteration order is sorted and every set is replaced only by a "smaller" path, so results are
deterministic and the loops terminate.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from pdlint.classify import Classifier
from pdlint.facts import Atom, CallFact, ClassFact, FileFacts, FunctionFact, ParamFact

MAX_PATH = 6


@dataclass(frozen=True, order=True)
class Datum:
    """Personal data that reaches somewhere: its category, kind, the expression, the path."""

    category: str
    kind: str  # value | metadata | protected | secret | id | container
    label: str  # the expression that read it ("customer.email"), never a value
    path: tuple[str, ...]  # function symbols it travelled through, origin first

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.category, self.kind, self.label)


class DataSet:
    """Data keyed by (category, kind, label), keeping the shortest path for each."""

    __slots__ = ("items",)

    def __init__(self, items: Iterable[Datum] = ()) -> None:
        self.items: dict[tuple[str, str, str], Datum] = {}
        for item in items:
            self.add(item)

    def add(self, item: Datum) -> bool:
        current = self.items.get(item.key)
        if current is None or (len(item.path), item.path) < (len(current.path), current.path):
            self.items[item.key] = item
            return True
        return False

    def update(self, other: Iterable[Datum]) -> bool:
        changed = False
        for item in other:
            changed |= self.add(item)
        return changed

    def __iter__(self):  # type: ignore[no-untyped-def]
        # Insertion order: deterministic, because every loop that fills a set runs in
        # sorted order; callers that present results sort them (see ``sorted()``).
        return iter(self.items.values())

    def sorted(self) -> list[Datum]:
        return sorted(self.items.values())

    def __len__(self) -> int:
        return len(self.items)


class Unit:
    """A function, or a module's top-level code (``function`` is None).

    A plain slotted class: there is one per function of the project and the link phase
    reads ``calls`` in its innermost loops.
    """

    __slots__ = ("calls", "edges", "facts", "function", "params", "symbol", "targets")

    def __init__(self, symbol: str, facts: FileFacts, function: FunctionFact | None) -> None:
        self.symbol = symbol
        self.facts = facts
        self.function = function
        self.calls: tuple[CallFact, ...] = function.calls if function else facts.module_calls
        self.params: tuple[ParamFact, ...] = function.params if function else ()
        # filled by DataFlow once every unit is known: the project function each call
        # reaches (by call index), and just the calls that reach one, with their target
        self.targets: list[str | None] = []
        self.edges: tuple[tuple[CallFact, str], ...] = ()


@dataclass(frozen=True)
class SinkHit:
    """Personal data reaching a sink call."""

    unit: Unit
    call: CallFact
    data: tuple[Datum, ...]


class DataFlow:
    """Resolves calls and propagates personal data over the whole project."""

    def __init__(self, files: Iterable[FileFacts], classifier: Classifier) -> None:
        self.classifier = classifier
        self.units: dict[str, Unit] = {}
        self.classes: dict[str, ClassFact] = {}
        self.modules: dict[str, FileFacts] = {}
        for facts in sorted(files, key=lambda f: f.path):
            if facts.parse_error is not None:
                continue
            self.modules.setdefault(facts.module, facts)
            self.units.setdefault(facts.module, Unit(facts.module, facts, None))
            for function in facts.functions:
                self.units.setdefault(function.symbol, Unit(function.symbol, facts, function))
            for cls in facts.classes:
                self.classes.setdefault(cls.symbol, cls)
        self._link_calls()
        # Filled on demand: most functions never return or receive personal data.
        self.returns_data: defaultdict[str, DataSet] = defaultdict(DataSet)
        self.returns_params: defaultdict[str, set[int]] = defaultdict(set)
        self.param_data: defaultdict[str, dict[int, DataSet]] = defaultdict(dict)
        self._own_param_data: dict[str, dict[int, tuple[Datum, ...]]] = {}
        self._memo: dict[tuple[str, bool], dict[int, DataSet]] = {}
        self._params_memo: dict[str, dict[int, set[int]]] = {}
        self._bound_memo: dict[tuple[str, int], dict[int, tuple[Atom, ...]]] = {}
        self._layouts: dict[str, tuple[bool, int | None, int | None, list[int],
                                       dict[str, int]]] = {}
        self._summaries()
        self._propagate()

    # -- call resolution ------------------------------------------------------------------
    def _link_calls(self) -> None:
        """Resolve every call once (by callee name: most names recur across the project)."""
        by_name: dict[str, str | None] = {}
        for unit in self.units.values():
            targets: list[str | None] = []
            for call in unit.calls:
                name = call.callee
                if not name:
                    targets.append(None)
                    continue
                if name not in by_name:
                    by_name[name] = self._resolve_name(name)
                targets.append(by_name[name])
            unit.targets = targets
            unit.edges = tuple((call, target)
                               for call, target in zip(unit.calls, targets, strict=True)
                               if target is not None)

    def resolve(self, unit: Unit, call: CallFact) -> str | None:
        """The project function a call reaches, if any."""
        targets = unit.targets
        return targets[call.index] if call.index < len(targets) else None

    def _resolve_name(self, name: str, depth: int = 0) -> str | None:
        if depth > 5:
            return None
        unit = self.units.get(name)
        if unit is not None and unit.function is not None:
            return name
        head, _, attr = name.rpartition(".")
        if not head:
            return None
        # a method inherited from a project base class
        cls = self.classes.get(head)
        if cls is not None:
            for base in cls.bases:
                found = self._resolve_name(f"{base}.{attr}", depth + 1)
                if found:
                    return found
            return None
        # a name re-exported by a project module (`from .notify import send` in a package),
        # or a method of a module-level instance (`repository = Repository()`)
        for split in range(name.count("."), 0, -1):
            parts = name.split(".")
            module, rest = ".".join(parts[:split]), parts[split:]
            facts = self.modules.get(module)
            if facts is None:
                continue
            for local, target in facts.imports:
                if local == rest[0] and target != name:
                    return self._resolve_name(".".join([target, *rest[1:]]), depth + 1)
            for local, constructor in facts.instances:
                if local == rest[0] and len(rest) > 1:
                    return self._resolve_name(".".join([constructor, *rest[1:]]), depth + 1)
            break
        return None

    def _layout(self, callee: FunctionFact) -> tuple[bool, int | None, int | None, list[int],
                                                       dict[str, int]]:
        """How a function's parameters take arguments (computed once per function)."""
        layout = self._layouts.get(callee.symbol)
        if layout is None:
            params = callee.params
            is_method = bool(callee.class_symbol and params
                             and params[0].name in ("self", "cls")
                             and "staticmethod" not in " ".join(callee.decorators))
            star = next((i for i, p in enumerate(params) if p.kind == "star"), None)
            double = next((i for i, p in enumerate(params) if p.kind == "double_star"), None)
            positional = [i for i, p in enumerate(params) if p.kind == "positional"]
            names = {p.name: i for i, p in enumerate(params)
                     if p.kind in ("positional", "keyword")}
            layout = self._layouts[callee.symbol] = (is_method, star, double, positional, names)
        return layout

    def bind_args(self, call: CallFact, callee: FunctionFact) -> dict[int, tuple[Atom, ...]]:
        """Which call arguments reach which callee parameter (by index)."""
        is_method, star, double, positional, names = self._layout(callee)
        offset = 0
        if is_method and "." in call.written:
            receiver_head = call.written.split(".", 1)[0]
            # Class.method(obj, x) passes self explicitly
            offset = 0 if receiver_head[:1].isupper() and receiver_head != "self" else 1
        bound: dict[int, list[Atom]] = {}
        for position, atoms in enumerate(call.args):
            if not atoms:
                continue  # nothing flows through this argument
            slot = position + offset
            if slot < len(positional):
                target = positional[slot]
            elif star is not None:
                target = star
            else:
                continue
            bound.setdefault(target, []).extend(atoms)
        for name, atoms in call.kwargs:
            if not atoms:
                continue
            target_index = names.get(name, double)
            if target_index is not None:
                bound.setdefault(target_index, []).extend(atoms)
        return {i: tuple(atoms) for i, atoms in bound.items()}

    # -- parameters named or typed like personal data ---------------------------------------
    def own_param_data(self, unit: Unit, index: int) -> tuple[Datum, ...]:
        cache = self._own_param_data.setdefault(unit.symbol, {})
        if index not in cache:
            cache[index] = self._classify_param(unit, index)
        return cache[index]

    def _classify_param(self, unit: Unit, index: int) -> tuple[Datum, ...]:
        if index >= len(unit.params):
            return ()
        param = unit.params[index]
        if param.name in ("self", "cls", "request", "args", "kwargs"):
            return ()
        found = None
        if param.annotation:
            typed = self.classifier.classify_type(param.annotation)
            if typed is not None and not typed[1]:
                kind = "secret" if typed[0] == "account.credentials" else "value"
                return (Datum(typed[0], kind, param.name, (unit.symbol,)),)
        try:
            found = self.classifier.classify(param.name, role="parameter",
                                             annotation=param.annotation)
        except Exception:  # pragma: no cover - classification never stops a scan
            found = None
        if found is None:
            return ()
        return (Datum(found.category, found.kind, param.name, (unit.symbol,)),)

    # -- concrete data of atoms ---------------------------------------------------------
    def concrete(self, unit: Unit, atoms: Iterable[Atom], *,
                 with_params: bool = True) -> DataSet:
        """The personal data that ``atoms`` (in ``unit``'s terms) stand for."""
        out = DataSet()
        self._add_atoms(out, unit, atoms, with_params, len(unit.calls))
        return out

    def _add_atoms(self, out: DataSet, unit: Unit, atoms: Iterable[Atom], with_params: bool,
                   limit: int) -> None:
        """Add the data of ``atoms`` to ``out``; call results only below index ``limit``."""
        for atom in atoms:
            tag = atom[0]
            if tag == "d":
                out.add(Datum(atom[1], atom[2], atom[3], (unit.symbol,)))
            elif tag == "p":
                if with_params:
                    self._add_param_data(out, unit, atom[1])
            elif tag == "c" and atom[1] < limit:
                out.update(self._call_result(unit, atom[1], with_params))

    def _add_param_data(self, out: DataSet, unit: Unit, index: int) -> None:
        out.update(self.own_param_data(unit, index))
        data = self.param_data[unit.symbol].get(index)
        if data is not None:
            out.update(data)

    def _inputs(self, unit: Unit, call: CallFact) -> tuple[DataSet | None, list[Atom]]:
        """What a call's result is made of: the callee's own returned data, plus the atoms
        that flow through it (arguments bound to returned parameters of a project function;
        receiver and arguments of a library call: ``str(x)``, ``x.lower()``…)."""
        target = self.resolve(unit, call)
        atoms: list[Atom] = []
        if target is not None:
            bound = self._bound(unit, call, target)
            for param in sorted(self.returns_params.get(target, ())):
                atoms.extend(bound.get(param, ()))
            return self.returns_data.get(target), atoms
        atoms.extend(call.receiver)
        for arg in call.args:
            atoms.extend(arg)
        return None, atoms

    def _on_demand(self, unit: Unit, index: int, memo: dict[int, Any],
                   make: Callable[[DataSet | None, list[Atom], int], Any]) -> Any:
        """Compute a per-call value of ``unit`` along the calls it depends on.

        A call's receiver and arguments only refer to calls with lower indexes (they are
        evaluated first), so the dependencies form a DAG; an explicit stack walks it without
        recursion, and only the calls the result actually depends on are computed.
        ``make(base, atoms, index)`` builds one value once its dependencies are in ``memo``.
        """
        found = memo.get(index)
        if found is not None:
            return found
        calls = unit.calls
        stack = [index]
        while stack:
            current = stack[-1]
            if current in memo:
                stack.pop()
                continue
            base, atoms = self._inputs(unit, calls[current])
            pending = [a[1] for a in atoms
                       if a[0] == "c" and a[1] < current and a[1] not in memo]
            if pending:
                stack.extend(pending)
                continue
            memo[current] = make(base, atoms, current)
            stack.pop()
        return memo[index]

    def _call_result(self, unit: Unit, index: int, with_params: bool) -> DataSet:
        """What call ``index`` of ``unit`` returns (the personal data it carries)."""
        memo = self._memo.setdefault((unit.symbol, with_params), {})

        def make(base: DataSet | None, atoms: list[Atom], current: int) -> DataSet:
            out = DataSet(base) if base else DataSet()
            # the calls ``atoms`` depend on are already in ``memo``: no recursion here
            self._add_atoms(out, unit, atoms, with_params, current)
            return out

        result: DataSet = self._on_demand(unit, index, memo, make)
        return result

    def _returned_params(self, unit: Unit, atoms: Iterable[Atom]) -> set[int]:
        """Parameters of ``unit`` whose data may be in ``atoms``."""
        found: set[int] = set()
        count = len(unit.calls)
        for atom in atoms:
            if atom[0] == "p":
                found.add(atom[1])
            elif atom[0] == "c" and atom[1] < count:
                found |= self._call_params(unit, atom[1])
        return found

    def _call_params(self, unit: Unit, index: int) -> set[int]:
        """The parameters of ``unit`` whose data call ``index``'s result may carry."""
        memo = self._params_memo.setdefault(unit.symbol, {})

        def make(_base: DataSet | None, atoms: list[Atom], current: int) -> set[int]:
            params: set[int] = set()
            for atom in atoms:
                if atom[0] == "p":
                    params.add(atom[1])
                elif atom[0] == "c" and atom[1] < current:
                    params |= memo[atom[1]]
            return params

        result: set[int] = self._on_demand(unit, index, memo, make)
        return result

    # -- fixed points ---------------------------------------------------------------------
    def callees_first(self) -> list[str]:
        """Every unit, callees before callers (reverse topological order of the call
        graph's strongly connected components; members of a cycle in name order)."""
        successors = {symbol: sorted({target for _, target in unit.edges})
                      for symbol, unit in self.units.items()}
        order: list[str] = []
        for component in strongly_connected_components(sorted(self.units), successors):
            order.extend(sorted(component))
        return order

    def _summaries(self) -> None:
        """Return summaries to a fixed point, with a worklist: callees first, and a caller
        is revisited only when one of its callees' summaries grew."""
        callers: dict[str, set[str]] = defaultdict(set)
        for symbol, unit in self.units.items():
            if unit.function is not None:
                for _, target in unit.edges:
                    callers[target].add(symbol)
        queue = deque(s for s in self.callees_first() if self.units[s].function is not None)
        queued = set(queue)
        while queue:
            symbol = queue.popleft()
            queued.discard(symbol)
            unit = self.units[symbol]
            assert unit.function is not None
            if not unit.function.returns:
                continue  # returns nothing (or only literals): nothing to summarise
            self._memo.pop((symbol, False), None)
            self._params_memo.pop(symbol, None)
            changed = False
            params = self._returned_params(unit, unit.function.returns)
            if not params <= self.returns_params[symbol]:
                self.returns_params[symbol] |= params
                changed = True
            data = self.concrete(unit, unit.function.returns, with_params=False)
            changed |= self.returns_data[symbol].update(data)
            if changed:
                for caller in sorted(callers.get(symbol, ())):
                    if caller not in queued:
                        queue.append(caller)
                        queued.add(caller)

    def _propagate(self) -> None:
        """Parameter data to a fixed point: a function is revisited only when what its own
        callers pass into it grew (its contributions to its callees depend on nothing else
        once return summaries are final)."""
        self._memo.clear()
        queue = deque(sorted(self.units))
        queued = set(queue)
        while queue:
            symbol = queue.popleft()
            queued.discard(symbol)
            unit = self.units[symbol]
            self._memo.pop((symbol, True), None)
            for call, target in unit.edges:
                if target == symbol:
                    continue
                grew = False
                for param, atoms in self._bound(unit, call, target).items():
                    data = self.concrete(unit, atoms)
                    if not len(data):
                        continue
                    slot = self.param_data[target].setdefault(param, DataSet())
                    for datum in data:
                        if len(datum.path) >= MAX_PATH:
                            continue
                        path = datum.path if datum.path[-1] == target else (*datum.path, target)
                        grew |= slot.add(Datum(datum.category, datum.kind, datum.label, path))
                if grew and target not in queued:
                    queue.append(target)
                    queued.add(target)
        self._memo.clear()

    def _bound(self, unit: Unit, call: CallFact, target: str) -> dict[int, tuple[Atom, ...]]:
        key = (unit.symbol, call.index)
        bound = self._bound_memo.get(key)
        if bound is None:
            callee = self.units[target].function
            assert callee is not None
            bound = self._bound_memo[key] = self.bind_args(call, callee)
        return bound

    # -- queries --------------------------------------------------------------------------
    def sink_hits(self) -> list[SinkHit]:
        hits: list[SinkHit] = []
        for symbol in sorted(self.units):
            unit = self.units[symbol]
            for call in unit.calls:
                if call.sink is None or not call.payload:
                    continue
                data = tuple(self.concrete(unit, call.payload).sorted())
                if data:
                    hits.append(SinkHit(unit, call, data))
        return hits

    def touched(self, symbol: str) -> DataSet:
        """Personal data a function reads itself, or receives through its parameters."""
        unit = self.units.get(symbol)
        out = DataSet()
        if unit is None or unit.function is None:
            return out
        out.update(self.concrete(unit, unit.function.reads))
        for index in range(len(unit.params)):
            out.update(self.own_param_data(unit, index))
            data = self.param_data[symbol].get(index)
            if data is not None:
                out.update(data)
        return out

    def callees(self, symbol: str) -> list[tuple[CallFact, str]]:
        unit = self.units.get(symbol)
        if unit is None:
            return []
        return list(unit.edges)


def value_data(data: Iterable[Datum]) -> list[Datum]:
    """Data that counts as personal data in a leak: not ids, hashes, metadata or secrets."""
    return [d for d in data if d.kind == "value" and d.category != "account.id"]


def strongly_connected_components(nodes: Iterable[str],
                                  successors: dict[str, list[str]]) -> list[list[str]]:
    """Tarjan's algorithm without recursion; components come out in reverse topological
    order (a component after every component it reaches), deterministically for sorted
    inputs. Call graphs of real projects are deep: recursion would overflow the stack."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    components: list[list[str]] = []
    counter = 0
    for root in nodes:
        if root in index:
            continue
        work: list[tuple[str, int]] = [(root, 0)]
        while work:
            node, position = work.pop()
            if position == 0:
                index[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack.add(node)
            followers = successors.get(node, ())
            descended = False
            while position < len(followers):
                child = followers[position]
                position += 1
                if child not in index:
                    work.append((node, position))
                    work.append((child, 0))
                    descended = True
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            if descended:
                continue
            if low[node] == index[node]:
                component: list[str] = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                components.append(component)
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return components
