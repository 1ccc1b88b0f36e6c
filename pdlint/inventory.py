"""The record of processing activities (GDPR Art. 30), built from tags and detections.

One entry per data category: where it is stored (model fields), which handlers and tagged
functions collect or use it, for which purposes, on which legal bases, for how long, who
receives it, and which handlers serve the data subject's rights. Every location says
whether a tag declares it; what the code shows but no tag declares is listed as
``detected, undeclared`` so the record shows the gap instead of hiding it.

Renderers: Markdown (for people), JSON, CSV (one row per location), and fideslang YAML (a
``dataset`` with one collection per model and a ``system`` with one privacy declaration
per (purpose, legal basis) — domain.md §5), written by hand with every string quoted.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from dataclasses import field as _field
from typing import TYPE_CHECKING, Any

import networkx as nx

from pdlint import __version__, taxonomy
from pdlint.dataflow import value_data
from pdlint.export.enrich import export_graph
from pdlint.visible import dumps, visible

if TYPE_CHECKING:
    from pdlint.facts import TagFact
    from pdlint.project import Project

DECLARED = "declared"
UNDECLARED = "detected, undeclared"
SCHEMA = "pdlint-inventory/1"
INVENTORY_FORMATS: tuple[str, ...] = ("markdown", "json", "csv", "fides")

_VERBS = ("collects", "uses", "stores", "shares", "data")

# -- fideslang mappings (fideslang 3.x; domain.md §1.5) ------------------------------------
#: The 55 data uses of the fideslang 3.x default taxonomy, to validate generated keys.
FIDES_DATA_USES: frozenset[str] = frozenset({
    "analytics", "analytics.reporting", "analytics.reporting.ad_performance",
    "analytics.reporting.content_performance", "analytics.reporting.campaign_insights",
    "analytics.reporting.system", "analytics.reporting.system.performance", "collect",
    "employment", "employment.recruitment", "essential", "essential.fraud_detection",
    "essential.legal_obligation", "essential.service", "essential.service.authentication",
    "essential.service.notifications", "essential.service.notifications.email",
    "essential.service.notifications.sms", "essential.service.operations",
    "essential.service.operations.support", "essential.service.operations.improve",
    "essential.service.payment_processing", "essential.service.security",
    "essential.service.upgrades", "finance", "functional", "functional.storage",
    "functional.service", "functional.service.improve", "marketing", "marketing.advertising",
    "marketing.advertising.first_party", "marketing.advertising.first_party.contextual",
    "marketing.advertising.first_party.targeted", "marketing.advertising.frequency_capping",
    "marketing.advertising.negative_targeting", "marketing.advertising.profiling",
    "marketing.advertising.serving", "marketing.advertising.third_party",
    "marketing.advertising.third_party.targeted", "marketing.communications",
    "marketing.communications.email", "marketing.communications.sms", "operations",
    "personalize", "personalize.content", "personalize.profiling",
    "personalize.content.limited", "personalize.content.profiling",
    "personalize.content.profiled", "personalize.system", "sales", "third_party_sharing",
    "third_party_sharing.legal_obligation", "train_ai_system",
})
_PURPOSE_USES: Mapping[str, str] = {
    "account": "essential.service",
    "auth": "essential.service.authentication",
    "security": "essential.service.security",
    "fraud": "essential.fraud_detection",
    "payment": "essential.service.payment_processing",
    "notify": "essential.service.notifications",
    "notify.email": "essential.service.notifications.email",
    "notify.sms": "essential.service.notifications.sms",
    "support": "essential.service.operations.support",
    "ops": "essential.service.operations",
    "legal": "essential.legal_obligation",
    "storage": "functional.storage",
    "analytics": "analytics.reporting",
    "improve": "functional.service.improve",
    "personalize": "personalize",
    "personalize.content": "personalize.content",
    "personalize.profiling": "personalize.content.profiling",
    "marketing": "marketing.communications",
    "marketing.email": "marketing.communications.email",
    "marketing.sms": "marketing.communications.sms",
    "ads": "marketing.advertising",
    "ads.targeted": "marketing.advertising.first_party.targeted",
    "ads.first-party": "marketing.advertising.first_party.targeted",
    "ads.third-party": "marketing.advertising.third_party.targeted",
    "ads.profiling": "marketing.advertising.profiling",
    "sharing": "third_party_sharing",
    "hr": "employment",
    "recruiting": "employment.recruitment",
    "finance": "finance",
    "ml": "train_ai_system",
    "sales": "sales",
}
#: The data use written for a purpose fideslang has no key for (flagged in a comment).
UNMAPPED_DATA_USE = "collect"
_LEGAL_BASIS: Mapping[str, str] = {
    "consent": "Consent",
    "contract": "Contract",
    "legal-obligation": "Legal obligations",
    "vital-interests": "Vital interests",
    "public-task": "Public interest",
    "legitimate-interests": "Legitimate interests",
}
_ART9_BASIS: Mapping[str, str] = {
    "explicit-consent": "Explicit consent",
    "employment": "Employment, social security and social protection",
    "vital-interests": "Vital interests",
    "nonprofit": "Not-for-profit bodies",
    "made-public": "Made public by the data subject",
    "legal-claims": "Legal claims or judicial acts",
    "public-interest": "Reasons of substantial public interest (with a basis in law)",
    "health-care": "Health or social care (with a basis in law)",
    "public-health": "Public health (with a basis in law)",
    "research": "Archiving, research and statistics (with a basis in law)",
}
_TRANSFER_BASIS: Mapping[str, str] = {
    "adequacy": "Adequacy Decision",
    "scc": "SCCs",
    "bcr": "BCRs",
    "derogation": "Other",
}
_CHILD_CATEGORY = "user.childrens"


def data_use(purpose: str) -> str | None:
    """The fideslang data use for a ``purpose=`` value (domain.md §1.5), or None."""
    if purpose.startswith("fides:"):
        return purpose[len("fides:"):]
    if purpose in _PURPOSE_USES:
        return _PURPOSE_USES[purpose]
    head = purpose.split(".", 1)[0]
    return _PURPOSE_USES.get(head)


_UNITS = {"h": "hour", "d": "day", "w": "week", "mo": "month", "y": "year"}
_DURATION = re.compile(r"^([0-9]+)(h|d|w|mo|y)$")


def describe_retention(value: str) -> str:
    """``2y`` → ``2 years``; ``account+30d`` → ``30 days after the account is deleted``."""
    def duration(text: str) -> str | None:
        match = _DURATION.match(text)
        if not match:
            return None
        count, unit = int(match.group(1)), _UNITS[match.group(2)]
        return f"{count} {unit}{'' if count == 1 else 's'}"

    if value == "account":
        return "until the account is deleted"
    if value.startswith("account+"):
        after = duration(value[len("account+"):])
        return f"{after} after the account is deleted" if after else value
    words = {"session": "for the session", "legal": "statutory period",
             "indefinite": "indefinite"}
    if value in words:
        return words[value]
    return duration(value) or value


# -- the model -------------------------------------------------------------------------
class _Declared:
    """A place in the code that handles a category, declared by a tag or only detected."""

    declared: bool

    @property
    def status(self) -> str:
        return DECLARED if self.declared else UNDECLARED

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)  # type: ignore[call-overload]
        data["status"] = self.status
        return data


@dataclass
class Storage(_Declared):
    """A place a category is stored: a model field (or a whole model, from a class tag)."""

    model: str  # class symbol
    model_name: str
    field: str | None  # None: declared on the class, not on a field
    path: str
    line: int
    framework: str
    declared: bool
    detected: bool
    retention: list[str] = _field(default_factory=list)
    encrypted: bool = False

    @property
    def symbol(self) -> str:
        return f"{self.model}.{self.field}" if self.field else self.model

    def to_dict(self) -> dict[str, Any]:
        data = super().to_dict()
        data["symbol"] = self.symbol
        return data


@dataclass
class Use(_Declared):
    """Code that collects, uses, stores or shares a category: a handler, a tagged function,
    or a tagged class or module."""

    symbol: str
    kind: str  # handler | function | class | module
    path: str | None
    line: int | None
    verbs: list[str]
    declared: bool
    detected: bool
    framework: str | None = None
    handler_kind: str | None = None
    routes: list[str] = _field(default_factory=list)


@dataclass
class Recipient(_Declared):  # gdpr: none reason="a recipient is an organisation"
    name: str
    declared: bool
    detected: bool
    via: list[str] = _field(default_factory=list)


@dataclass
class CategoryEntry:
    key: str
    description: str
    fides: str | None
    severity: str
    special: str  # "" | "art9" | "art10"
    custom: bool
    declared: bool = False
    detected: bool = False
    storage: list[Storage] = _field(default_factory=list)
    uses: list[Use] = _field(default_factory=list)
    purposes: set[str] = _field(default_factory=set)
    bases: set[str] = _field(default_factory=set)
    retention: set[str] = _field(default_factory=set)
    subjects: set[str] = _field(default_factory=set)
    transfers: set[str] = _field(default_factory=set)
    conditions: set[str] = _field(default_factory=set)  # art9= / art10=
    consents: set[str] = _field(default_factory=set)
    recipients: dict[str, Recipient] = _field(default_factory=dict)
    rights: dict[str, set[str]] = _field(default_factory=dict)

    @property
    def status(self) -> str:
        return DECLARED if self.declared else UNDECLARED

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "description": self.description,
            "fides": self.fides,
            "severity": self.severity,
            "special": self.special or None,
            "custom": self.custom,
            "status": self.status,
            "declared": self.declared,
            "detected": self.detected,
            "purposes": sorted(self.purposes),
            "legal_bases": sorted(self.bases),
            "special_conditions": sorted(self.conditions),
            "retention": sorted(self.retention),
            "subjects": sorted(self.subjects),
            "transfers": sorted(self.transfers),
            "consents": sorted(self.consents),
            "recipients": [self.recipients[name].to_dict() for name in sorted(self.recipients)],
            "rights": {right: sorted(owners) for right, owners in sorted(self.rights.items())},
            "storage": [s.to_dict() for s in self.storage],
            "processing": [u.to_dict() for u in self.uses],
        }


@dataclass
class Record:
    """One tag (one processing record), as written, with its categories resolved."""

    owner: str
    owner_kind: str
    path: str
    line: int
    categories: list[str]
    verbs: dict[str, list[str]]
    purposes: list[str]
    basis: str | None
    retention: str | None
    subjects: list[str]
    recipients: list[str]
    rights: list[str]
    transfer: str | None
    condition: str | None  # art9= or art10=
    consents: list[str]
    flags: list[str]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Inventory:
    name: str
    categories: list[CategoryEntry]
    records: list[Record]
    rights_handlers: list[dict[str, Any]]
    problems: list[str]

    def summary(self) -> dict[str, int]:
        storage = [s for c in self.categories for s in c.storage]
        uses = [u for c in self.categories for u in c.uses]
        return {
            "categories": len(self.categories),
            "undeclared_categories": sum(1 for c in self.categories if not c.declared),
            "special_categories": sum(1 for c in self.categories if c.special),
            "storage_locations": len(storage),
            "undeclared_storage_locations": sum(1 for s in storage if not s.declared),
            "processing_locations": len(uses),
            "undeclared_processing_locations": sum(1 for u in uses if not u.declared),
            "records": len(self.records),
            "rights_handlers": len(self.rights_handlers),
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA,
            "generator": f"pdlint {__version__}",
            "name": self.name,
            "summary": self.summary(),
            "categories": [c.to_dict() for c in self.categories],
            "records": [r.to_dict() for r in self.records],
            "rights_handlers": self.rights_handlers,
            "problems": self.problems,
        }


# -- building ----------------------------------------------------------------------------
class _Builder:
    def __init__(self, project: Project, name: str) -> None:
        self.project = project
        self.name = name
        self.custom = {entry[0]: entry for entry in project.config.categories}
        self.problems: list[str] = []
        self.entries: dict[str, CategoryEntry] = {}
        self.touched: dict[str, set[str]] = {}

    # categories --------------------------------------------------------------------------
    def resolve(self, values: Iterable[str], where: str) -> list[str]:
        keys: list[str] = []
        for value in values:
            resolved = self.project.resolve_category(value)
            if resolved is None:
                self.problems.append(f"unknown category '{value}' in the tag at {where}")
            elif resolved not in keys:
                keys.append(resolved)
        return keys

    def entry(self, key: str) -> CategoryEntry:
        found = self.entries.get(key)
        if found is None:
            info = taxonomy.CATEGORIES.get(key)
            custom = self.custom.get(key)
            special = "art9" if taxonomy.is_special(key) else \
                "art10" if taxonomy.is_criminal(key) else ""
            description = info.description if info else (custom[1] if custom else "")
            fides = taxonomy.fides_key(key) or (custom[2] if custom and custom[2] else None)
            severity = (custom[3] if custom and custom[3] else taxonomy.severity_of(key))
            found = CategoryEntry(key, description, fides, severity, special, custom is not None)
            self.entries[key] = found
        return found

    def covered(self, declared: Iterable[str]) -> list[CategoryEntry]:
        keys = list(declared)
        return [entry for key, entry in sorted(self.entries.items())
                if any(taxonomy.covers(d, key) for d in keys)]

    def touched_by(self, symbol: str) -> set[str]:
        found = self.touched.get(symbol)
        if found is None:
            found = {d.category for d in value_data(self.project.dataflow.touched(symbol))}
            self.touched[symbol] = found
        return found

    # phases ------------------------------------------------------------------------------
    def build(self) -> Inventory:
        project = self.project
        graph = export_graph(project)
        tags = self.tags()
        records = [self.record(facts_path, tag) for facts_path, tag in tags]

        detected: set[str] = set()
        for model in project.models.models.values():
            for model_field in model.fields:
                if model_field.classification and model_field.classification.kind == "value":
                    detected.add(model_field.classification.category)
        for symbol in sorted(project.handlers):
            detected |= self.touched_by(symbol)
        for record in records:
            if record.owner_kind == "function":
                detected |= self.touched_by(record.owner)
        for key in sorted(detected):
            self.entry(key).detected = True
        # A declared key gets its own entry unless it covers detected ones (``data=contact``
        # on a class speaks for the contact fields found under it).
        declared_keys = sorted({key for record in records for key in record.categories})
        for key in declared_keys:
            if not any(taxonomy.covers(key, other) for other in detected):
                self.entry(key)
        for key in declared_keys:
            for entry in self.covered([key]):
                entry.declared = True

        self.storage()
        self.uses(records)
        for record in records:
            self.apply(record)
        self.recipients(graph)
        rights_handlers = self.rights_handlers(records)
        categories = [self.entries[key] for key in sorted(self.entries)]
        for entry in categories:
            entry.storage.sort(key=lambda s: (s.model, s.field or ""))
            entry.uses.sort(key=lambda u: u.symbol)
        return Inventory(self.name, categories, records, rights_handlers,
                         sorted(set(self.problems)))

    def tags(self) -> list[tuple[str, TagFact]]:
        found = []
        for facts in self.project.source_files:
            for tag in facts.tags:
                if tag.owner is None or tag.owner_kind is None:
                    continue
                found.append((facts.path, tag))
        return sorted(found, key=lambda item: (item[0], item[1].span.line, item[1].span.column))

    def record(self, path: str, tag: TagFact) -> Record:
        assert tag.owner is not None and tag.owner_kind is not None
        where = f"{path}:{tag.span.line}"
        verbs: dict[str, list[str]] = {}
        categories: list[str] = []
        for verb in _VERBS:
            keys = self.resolve(tag.get(verb), where)
            if keys:
                verbs[verb] = keys
                categories.extend(k for k in keys if k not in categories)
        condition = (tag.get("art9") or tag.get("art10") or (None,))[0]
        return Record(
            owner=tag.owner,
            owner_kind=tag.owner_kind,
            path=path,
            line=tag.span.line,
            categories=categories,
            verbs=verbs,
            purposes=list(tag.get("purpose")),
            basis=(tag.get("basis") or (None,))[0],
            retention=(tag.get("retention") or (None,))[0],
            subjects=list(tag.get("subject")),
            recipients=list(tag.get("to")),
            rights=list(tag.get("right")),
            transfer=(tag.get("transfer") or (None,))[0],
            condition=condition,
            consents=list(tag.get("consent")),
            flags=list(tag.flags),
        )

    def storage(self) -> None:
        project = self.project
        models = project.models.models
        for symbol in sorted(models):
            model = models[symbol]
            class_tags = project.tags_of(symbol)
            class_retention = [v for t in class_tags for v in t.get("retention")]
            covered_by_fields: set[str] = set()
            for model_field in model.fields:
                own = project.tags_of(model_field.symbol)
                where = f"{model_field.path}:{model_field.span.line}"
                retention = [v for t in own for v in t.get("retention")] or class_retention
                keys: list[str] = []
                classification = model_field.classification
                detected_key = None
                if (classification is not None and classification.kind == "value"
                        and not project.reviewed_none(symbol)):  # `# gdpr: none`: reviewed
                    detected_key = classification.category
                    keys.append(detected_key)
                for key in self.resolve((v for t in own for v in t.categories), where):
                    if key not in keys:
                        keys.append(key)
                for key in keys:
                    if key not in self.entries:
                        continue
                    declared = project.field_declared(model_field.symbol) \
                        if key == detected_key else True
                    self.entries[key].storage.append(Storage(
                        model=symbol, model_name=model.name, field=model_field.name,
                        path=model_field.path, line=model_field.span.line,
                        framework=model.framework, declared=declared,
                        detected=key == detected_key, retention=sorted(set(retention)),
                        encrypted=model_field.encrypted or any(
                            "encrypted" in t.flags for t in own),
                    ))
                    covered_by_fields.add(key)
            # A class tag declaring data that no field shows: the model stores it as a whole.
            for key in self.resolve((v for t in class_tags for v in t.categories),
                                    f"{model.path}:{model.span.line}"):
                if any(taxonomy.covers(key, other) for other in covered_by_fields):
                    continue
                if key in self.entries:
                    self.entries[key].storage.append(Storage(
                        model=symbol, model_name=model.name, field=None, path=model.path,
                        line=model.span.line, framework=model.framework, declared=True,
                        detected=False, retention=sorted(set(class_retention)),
                    ))
        # Field tags on classes pdlint does not recognise as models still declare storage.
        for facts in project.source_files:
            for tag in facts.tags:
                if tag.owner_kind != "field" or tag.owner is None:
                    continue
                model_symbol, _, name = tag.owner.rpartition(".")
                if model_symbol in models:
                    continue
                for key in self.resolve(tag.categories, f"{facts.path}:{tag.span.line}"):
                    if key in self.entries:
                        self.entries[key].storage.append(Storage(
                            model=model_symbol, model_name=model_symbol.rsplit(".", 1)[-1],
                            field=name, path=facts.path, line=tag.span.line, framework="",
                            declared=True, detected=False,
                            retention=list(tag.get("retention")),
                            encrypted="encrypted" in tag.flags,
                        ))

    def _declared_verbs(self, tags: Iterable[TagFact], where: str) -> list[tuple[str, str]]:
        pairs: list[tuple[str, str]] = []
        for tag in tags:
            for verb in _VERBS:
                for key in self.resolve(tag.get(verb), where):
                    pairs.append((key, verb))
        return pairs

    def uses(self, records: list[Record]) -> None:
        project = self.project
        listed: set[str] = set()
        owners_with_own_tags = {r.owner for r in records if r.owner_kind == "function"}
        symbols = sorted(set(project.handlers) | owners_with_own_tags)
        for symbol in symbols:
            entry_fn = project.functions.get(symbol)
            path = entry_fn[1].path if entry_fn else None
            line = entry_fn[0].span.line if entry_fn else None
            where = f"{path}:{line}" if path else symbol
            handler = project.handlers.get(symbol)
            declared = self._declared_verbs(project.covering_tags(symbol), where)
            touched = self.touched_by(symbol)
            for key, entry in sorted(self.entries.items()):
                verbs = sorted({verb for d, verb in declared if taxonomy.covers(d, key)})
                detected = key in touched
                if not verbs and not detected:
                    continue
                entry.uses.append(Use(
                    symbol=symbol, kind="handler" if handler else "function", path=path,
                    line=line, verbs=verbs or ["uses"],
                    declared=bool(verbs), detected=detected,
                    framework=handler.framework if handler else None,
                    handler_kind=handler.kind if handler else None,
                    routes=list(handler.routes) if handler else [],
                ))
                listed.add(symbol)
        # Class and module tags whose code is not listed above (no handler under them): the
        # declaration still belongs in the record.
        models = project.models.models
        for record in records:
            if record.owner_kind not in ("class", "module") or not record.categories:
                continue
            if record.owner in models:
                continue
            prefix = record.owner + "."
            if any(symbol.startswith(prefix) for symbol in listed):
                continue
            for key, entry in sorted(self.entries.items()):
                verbs = sorted({verb for verb, keys in record.verbs.items()
                                for d in keys if taxonomy.covers(d, key)})
                if not verbs:
                    continue
                existing = next((u for u in entry.uses if u.symbol == record.owner), None)
                if existing is not None:
                    existing.verbs = sorted(set(existing.verbs) | set(verbs))
                    continue
                entry.uses.append(Use(
                    symbol=record.owner, kind=record.owner_kind, path=record.path,
                    line=record.line, verbs=verbs, declared=True, detected=False,
                ))

    def _owner_categories(self, record: Record) -> set[str]:
        """Categories at the locations a categoryless tag sits on (``subject=customer`` on
        a model speaks for its fields; ``right=erasure`` on a handler for what it touches)."""
        project = self.project
        owner = record.owner
        found: set[str] = set()
        if record.owner_kind == "field":
            model = project.models.models.get(owner.rpartition(".")[0])
            if model is not None:
                for model_field in model.fields:
                    if model_field.symbol == owner and model_field.classification:
                        found.add(model_field.classification.category)
            return found
        model = project.models.models.get(owner)
        if model is not None:
            return {f.classification.category for f in model.fields
                    if f.classification and f.classification.kind == "value"}
        if record.owner_kind == "function":
            return set(self.touched_by(owner))
        prefix = owner + "."
        for symbol in sorted(project.functions):
            if symbol.startswith(prefix) and (symbol in project.handlers
                                              or record.owner_kind == "class"):
                found |= self.touched_by(symbol)
        for symbol, other in project.models.models.items():
            if symbol.startswith(prefix):
                found |= {f.classification.category for f in other.fields
                          if f.classification and f.classification.kind == "value"}
        return found

    def targets(self, record: Record) -> list[CategoryEntry]:
        if record.categories:
            return self.covered(record.categories)
        keys = self._owner_categories(record)
        return [self.entries[key] for key in sorted(keys) if key in self.entries]

    def apply(self, record: Record) -> None:
        for entry in self.targets(record):
            entry.purposes.update(record.purposes)
            if record.basis:
                entry.bases.add(record.basis)
            if record.retention:
                entry.retention.add(record.retention)
            entry.subjects.update(record.subjects)
            if record.transfer:
                entry.transfers.add(record.transfer)
            if record.condition:
                entry.conditions.add(record.condition)
            entry.consents.update(record.consents)
            for name in record.recipients:
                recipient = entry.recipients.setdefault(name, Recipient(name, True, False))
                recipient.declared = True
                if record.owner not in recipient.via:
                    recipient.via.append(record.owner)
            for right in record.rights:
                entry.rights.setdefault(right, set()).add(record.owner)

    def recipients(self, graph: nx.DiGraph) -> None:
        for source, target, data in sorted(graph.edges(data=True), key=lambda e: (e[0], e[1])):
            node = graph.nodes[target]
            if node.get("sink_kind") != "third_party" or not data.get("detected", True):
                continue
            name = str(node.get("recipient", node.get("label", target)))
            symbol = source.partition(":")[2]
            for key in data.get("categories") or ():
                entry = self.entries.get(key)
                if entry is None:
                    continue
                recipient = entry.recipients.setdefault(name, Recipient(name, False, True))
                recipient.detected = True
                if symbol not in recipient.via:
                    recipient.via.append(symbol)
        for entry in self.entries.values():
            for recipient in entry.recipients.values():
                recipient.via.sort()

    def rights_handlers(self, records: list[Record]) -> list[dict[str, Any]]:
        handlers: dict[str, dict[str, Any]] = {}
        for record in records:
            if not record.rights:
                continue
            item = handlers.setdefault(record.owner, {
                "symbol": record.owner, "kind": record.owner_kind, "path": record.path,
                "line": record.line, "rights": [], "categories": [],
            })
            item["rights"] = sorted(set(item["rights"]) | set(record.rights))
            categories = {entry.key for entry in self.targets(record)}
            item["categories"] = sorted(set(item["categories"]) | categories)
        return [handlers[symbol] for symbol in sorted(handlers)]


def build_inventory(project: Project, name: str) -> Inventory:
    """The Art. 30 record of ``project`` (``name`` labels it and keys the fides resources)."""
    return _Builder(project, name).build()


# -- renderers ---------------------------------------------------------------------------
def render_json(inventory: Inventory) -> str:
    return dumps(inventory.to_dict(), indent=2) + "\n"


_CSV_COLUMNS = ("category", "description", "special", "category_status", "location_type",
                "symbol", "kind", "path", "line", "status", "verbs", "purposes",
                "legal_bases", "retention", "subjects", "recipients", "rights", "fides")


def _cell(value: object) -> str:
    """A CSV cell that a spreadsheet will not run as a formula (OWASP CSV injection)."""
    text = "" if value is None else str(value)
    text = visible(text.replace("\r\n", " ").replace("\n", " ").replace("\r", " "))
    if text[:1] in ("=", "+", "-", "@", "\t"):
        text = "'" + text
    return text


def render_csv(inventory: Inventory) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(_CSV_COLUMNS)
    for entry in inventory.categories:
        common = {
            "category": entry.key, "description": entry.description,
            "special": entry.special, "category_status": entry.status,
            "purposes": "; ".join(sorted(entry.purposes)),
            "legal_bases": "; ".join(sorted(entry.bases)),
            "retention": "; ".join(sorted(entry.retention)),
            "subjects": "; ".join(sorted(entry.subjects)),
            "recipients": "; ".join(f"{r.name} ({r.status})"
                                    for _, r in sorted(entry.recipients.items())),
            "rights": "; ".join(f"{right}: {', '.join(sorted(owners))}"
                                for right, owners in sorted(entry.rights.items())),
            "fides": entry.fides or "",
        }
        rows: list[dict[str, object]] = []
        for storage in entry.storage:
            rows.append({**common, "location_type": "storage", "symbol": storage.symbol,
                         "kind": storage.framework or "model", "path": storage.path,
                         "line": storage.line, "status": storage.status,
                         "verbs": "stores"})
        for use in entry.uses:
            rows.append({**common, "location_type": "processing", "symbol": use.symbol,
                         "kind": use.kind, "path": use.path or "", "line": use.line or "",
                         "status": use.status, "verbs": ", ".join(use.verbs)})
        if not rows:
            rows.append({**common, "location_type": "", "symbol": "", "kind": "", "path": "",
                         "line": "", "status": entry.status, "verbs": ""})
        for row in rows:
            writer.writerow([_cell(row.get(column, "")) for column in _CSV_COLUMNS])
    return out.getvalue()


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~])")


def md_text(value: object) -> str:
    """Plain text for Markdown (tables included): punctuation escaped, no line breaks."""
    text = visible(" ".join(str(value).split()))
    return _MD_SPECIAL.sub(r"\\\1", text)


def md_code(value: object) -> str:
    """An inline code span that survives any content (backticks, pipes in tables)."""
    text = visible(" ".join(str(value).split())).replace("|", "\\|")
    fence = "``" if "`" in text else "`"
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _where(path: str | None, line: int | None) -> str:
    if not path:
        return ""
    return md_code(f"{path}:{line}" if line else path)


def _list(values: Iterable[str], empty: str = "—") -> str:
    items = [md_text(v) for v in sorted(values)]
    return ", ".join(items) if items else empty


def render_markdown(inventory: Inventory) -> str:
    summary = inventory.summary()
    lines = [
        f"# Record of processing activities: {md_text(inventory.name)}",
        "",
        "GDPR Art. 30 record built by pdlint from `# gdpr:` tags and from what the code "
        "shows. Locations marked **detected, undeclared** handle personal data that no tag "
        "declares: they are the gaps to close.",
        "",
        "| | |",
        "|---|---|",
        f"| Data categories | {summary['categories']} "
        f"({summary['undeclared_categories']} detected, undeclared; "
        f"{summary['special_categories']} special) |",
        f"| Storage locations | {summary['storage_locations']} "
        f"({summary['undeclared_storage_locations']} detected, undeclared) |",
        f"| Processing locations | {summary['processing_locations']} "
        f"({summary['undeclared_processing_locations']} detected, undeclared) |",
        f"| Processing records (tags) | {summary['records']} |",
        f"| Rights handlers | {summary['rights_handlers']} |",
        "",
        "## Overview",
        "",
        "| Category | Status | Stored in | Processed by | Purposes | Legal bases | Retention "
        "| Recipients |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for entry in inventory.categories:
        special = {"art9": " (Art. 9)", "art10": " (Art. 10)"}.get(entry.special, "")
        status = "declared" if entry.declared else "**detected, undeclared**"
        lines.append(
            f"| {md_code(entry.key)}{special} | {status} | {len(entry.storage)} | "
            f"{len(entry.uses)} | {_list(entry.purposes)} | {_list(entry.bases)} | "
            f"{_list(describe_retention(r) for r in entry.retention)} | "
            f"{_list(entry.recipients)} |")
    for entry in inventory.categories:
        title = f"## {md_code(entry.key)}"
        if entry.description:
            title += f": {md_text(entry.description)}"
        lines += ["", title, ""]
        special = {"art9": "yes, Art. 9 special category", "art10": "yes, Art. 10 criminal "
                   "data"}.get(entry.special, "no")
        status = "declared" if entry.declared else "**detected, undeclared**"
        recipients = ", ".join(
            f"{md_text(r.name)} ({'declared' if r.declared else '**detected, undeclared**'})"
            for _, r in sorted(entry.recipients.items())) or "—"
        rights = "; ".join(
            f"{md_text(right)}: " + ", ".join(md_code(o) for o in sorted(owners))
            for right, owners in sorted(entry.rights.items())) or "—"
        lines += [
            f"- **Status:** {status}",
            f"- **Special category:** {special}"
            + (f" (condition: {_list(entry.conditions)})" if entry.special else ""),
            f"- **Subjects:** {_list(entry.subjects)}",
            f"- **Purposes:** {_list(entry.purposes)}",
            f"- **Legal bases:** {_list(entry.bases)}",
            f"- **Retention:** {_list(describe_retention(r) for r in entry.retention)}",
            f"- **Recipients:** {recipients}",
            f"- **Transfers:** {_list(entry.transfers)}",
            f"- **Rights handlers:** {rights}",
            f"- **fideslang:** {md_code(entry.fides) if entry.fides else '—'}",
        ]
        if entry.storage:
            lines += ["", "| Stored in | Location | Retention | Status |", "|---|---|---|---|"]
            for storage in entry.storage:
                name = f"{storage.model_name}.{storage.field}" if storage.field else \
                    f"{storage.model_name} (class tag)"
                status = "declared" if storage.declared else "**detected, undeclared**"
                lines.append(f"| {md_code(name)} | {_where(storage.path, storage.line)} | "
                             f"{_list(describe_retention(r) for r in storage.retention)} | "
                             f"{status} |")
        if entry.uses:
            lines += ["", "| Processed by | Kind | Location | Declared as | Status |",
                      "|---|---|---|---|---|"]
            for use in entry.uses:
                kind = use.kind
                if use.framework:
                    kind = f"{use.framework} {use.handler_kind or use.kind}"
                routes = f" {md_code(', '.join(use.routes))}" if use.routes else ""
                status = "declared" if use.declared else "**detected, undeclared**"
                verbs = _list(use.verbs) if use.declared else "—"
                lines.append(f"| {md_code(use.symbol)}{routes} | {md_text(kind)} | "
                             f"{_where(use.path, use.line)} | {verbs} | {status} |")
    if inventory.rights_handlers:
        lines += ["", "## Data-subject rights", "", "| Right | Handler | Location | Categories |",
                  "|---|---|---|---|"]
        for item in inventory.rights_handlers:
            for right in item["rights"]:
                lines.append(f"| {md_text(right)} | {md_code(item['symbol'])} | "
                             f"{_where(item['path'], item['line'])} | "
                             f"{', '.join(md_code(c) for c in item['categories']) or '—'} |")
    if inventory.problems:
        lines += ["", "## Problems", ""]
        lines += [f"- {md_text(problem)}" for problem in inventory.problems]
    return "\n".join(lines) + "\n"


# -- fideslang YAML ----------------------------------------------------------------------
def yaml_str(value: str) -> str:
    """A YAML double-quoted scalar that any YAML 1.1/1.2 parser reads back unchanged."""
    out = ['"']
    for char in value:
        code = ord(char)
        if char == '"':
            out.append('\\"')
        elif char == "\\":
            out.append("\\\\")
        elif char == "\n":
            out.append("\\n")
        elif char == "\t":
            out.append("\\t")
        elif 0xDC80 <= code <= 0xDCFF:  # an undecodable byte of a file name: show the byte
            out.append(f"\\\\x{code - 0xDC00:02x}")
        elif 0xD800 <= code <= 0xDFFF:
            out.append("\\uFFFD")
        elif not char.isprintable() or char in "\ufffe\uffff":
            # controls, bidirectional overrides, separators: a YAML escape of the same char
            out.append(f"\\u{code:04X}" if code <= 0xFFFF else f"\\U{code:08X}")
        else:
            out.append(char)
    out.append('"')
    # `##[` would be the Actions runner's legacy command syntax in a CI log: \x23 is `#`
    return "".join(out).replace("##[", "#\\x23[")


def _yaml_scalar(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return yaml_str(str(value))


def _yaml_lines(value: object, indent: int) -> list[str]:
    pad = " " * indent
    lines: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, (dict, list)) and item:
                lines.append(f"{pad}{key}:")
                lines.extend(_yaml_lines(item, indent + 2))
            elif isinstance(item, (dict, list)):
                lines.append(f"{pad}{key}: {'{}' if isinstance(item, dict) else '[]'}")
            else:
                lines.append(f"{pad}{key}: {_yaml_scalar(item)}")
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, dict) and item:
                nested = _yaml_lines(item, indent + 2)
                lines.append(f"{pad}- {nested[0].lstrip()}")
                lines.extend(nested[1:])
            elif isinstance(item, list) and item:
                lines.append(f"{pad}-")
                lines.extend(_yaml_lines(item, indent + 2))
            else:
                lines.append(f"{pad}- {_yaml_scalar(item)}")
    return lines


def fides_key_of(name: str) -> str:
    """A valid fideslang ``FidesKey`` (letters, digits, ``_ . - < >``) for ``name``."""
    key = re.sub(r"[^A-Za-z0-9_.\-]", "_", name).strip("._-")
    return key or "pdlint_system"


def fides_resources(inventory: Inventory) -> tuple[dict[str, Any], list[str]]:
    """The fideslang ``dataset`` and ``system`` resources, and notes for the reader."""
    key = fides_key_of(inventory.name)
    notes: list[str] = []
    fides_of: dict[str, str] = {entry.key: entry.fides for entry in inventory.categories
                                if entry.fides}
    entries = {entry.key: entry for entry in inventory.categories}

    def fides_key(category: str) -> str | None:
        return fides_of.get(category) or taxonomy.fides_key(category)
    for entry in inventory.categories:
        if not entry.fides:
            notes.append(f"category {entry.key} has no fideslang data category; set one "
                         "with `fides = ...` under [tool.pdlint.categories]")

    collections: dict[str, dict[str, Any]] = {}
    names: dict[str, set[str]] = {}
    for entry in inventory.categories:
        for storage in entry.storage:
            names.setdefault(storage.model_name, set()).add(storage.model)
    for entry in inventory.categories:
        for storage in entry.storage:
            name = storage.model_name if len(names[storage.model_name]) == 1 else storage.model
            collection = collections.setdefault(storage.model, {
                "name": name,
                "description": f"{storage.model} ({storage.framework or 'class'}, "
                               f"{storage.path})",
                "data_categories": [],
                "fields": {},
            })
            if storage.field is None:
                if entry.fides and entry.fides not in collection["data_categories"]:
                    collection["data_categories"].append(entry.fides)
                continue
            item = collection["fields"].setdefault(storage.field, {
                "name": storage.field, "description": "", "data_categories": [],
                "statuses": set(), "keys": [], "retention": set(),
            })
            if entry.fides and entry.fides not in item["data_categories"]:
                item["data_categories"].append(entry.fides)
            item["statuses"].add(storage.status)
            item["keys"].append(entry.key)
            item["retention"].update(storage.retention)
    dataset_collections = []
    for model in sorted(collections, key=lambda m: collections[m]["name"]):
        collection = collections[model]
        fields = []
        for field_name in sorted(collection["fields"]):
            item = collection["fields"][field_name]
            status = UNDECLARED if UNDECLARED in item["statuses"] else DECLARED
            entry_field: dict[str, Any] = {
                "name": item["name"],
                "description": f"pdlint: {', '.join(item['keys'])} ({status})",
                "data_categories": sorted(item["data_categories"]),
            }
            if item["retention"]:
                entry_field["retention"] = "; ".join(
                    describe_retention(r) for r in sorted(item["retention"]))
            fields.append(entry_field)
        out: dict[str, Any] = {"name": collection["name"],
                               "description": collection["description"]}
        if collection["data_categories"]:
            out["data_categories"] = sorted(collection["data_categories"])
        out["fields"] = fields
        dataset_collections.append(out)
    dataset = {
        "fides_key": key,
        "name": inventory.name,
        "description": f"Personal data stored by {inventory.name}, as found by pdlint "
                       "(tags and detections).",
        "collections": dataset_collections,
    }

    groups: dict[tuple[str, str], dict[str, Any]] = {}
    transfers: set[str] = set()
    for record in inventory.records:
        if record.transfer:
            transfers.add(record.transfer)
        if not record.purposes:
            continue
        categories = record.categories or sorted(
            {e.key for e in inventory.categories if record.owner_kind != "field"
             and record.owner in {u.symbol for u in e.uses}})
        for purpose in record.purposes:
            group = groups.setdefault((purpose, record.basis or ""), {
                "categories": set(), "subjects": set(), "retention": set(),
                "recipients": set(), "shared": set(), "conditions": set(), "owners": set(),
            })
            group["categories"].update(categories)
            group["subjects"].update(record.subjects)
            if record.retention:
                group["retention"].add(record.retention)
            group["recipients"].update(record.recipients)
            if record.recipients:
                group["shared"].update(record.verbs.get("shares") or categories)
            if record.condition:
                group["conditions"].add(record.condition)
            group["owners"].add(record.owner)
    declarations = []
    for (purpose, basis), group in sorted(groups.items()):
        use = data_use(purpose)
        if use is None:
            notes.append(f"purpose {purpose!r} has no fideslang data use: "
                         f"{UNMAPPED_DATA_USE!r} is a placeholder, choose one")
            use = UNMAPPED_DATA_USE
        elif use not in FIDES_DATA_USES:
            notes.append(f"purpose {purpose!r} maps to {use!r}, which is not a data use "
                         "of the fideslang 3.x default taxonomy")
        # Subjects declared elsewhere for the same data (``subject=customer`` on the model).
        for category in group["categories"]:
            for other in inventory.categories:
                if taxonomy.covers(category, other.key) or taxonomy.covers(other.key, category):
                    group["subjects"].update(other.subjects)
        subjects = sorted(s for s in group["subjects"] if s != "child")
        fides_categories = sorted({fk for c in group["categories"]
                                   if (fk := fides_key(c)) is not None})
        if "child" in group["subjects"]:
            fides_categories.append(_CHILD_CATEGORY)
        special = any(taxonomy.is_special(c) or taxonomy.is_criminal(c)
                      or (c in entries and bool(entries[c].special))
                      for c in group["categories"])
        declaration: dict[str, Any] = {
            "name": f"{purpose} ({basis})" if basis else purpose,
            "data_use": use,
            "data_categories": fides_categories,
            "data_subjects": subjects,
            "dataset_references": [key],
        }
        if basis in _LEGAL_BASIS:
            declaration["legal_basis_for_processing"] = _LEGAL_BASIS[basis]
        if group["retention"]:
            declaration["retention_period"] = "; ".join(
                describe_retention(r) for r in sorted(group["retention"]))
        declaration["processes_special_category_data"] = special
        conditions = sorted(group["conditions"])
        if special and conditions and conditions[0] in _ART9_BASIS:
            declaration["special_category_legal_basis"] = _ART9_BASIS[conditions[0]]
        declaration["data_shared_with_third_parties"] = bool(group["recipients"])
        if group["recipients"]:
            declaration["third_parties"] = ", ".join(sorted(group["recipients"]))
            declaration["shared_categories"] = sorted(
                {fk for c in group["shared"] if (fk := fides_key(c)) is not None})
        declarations.append(declaration)
    undeclared = [e.key for e in inventory.categories if not e.declared]
    if undeclared:
        notes.append("detected, undeclared (in no privacy declaration): "
                     + ", ".join(undeclared))
    system: dict[str, Any] = {
        "fides_key": key,
        "name": inventory.name,
        "description": f"{inventory.name}, as described by its gdpr tags (pdlint).",
        "system_type": "Service",
        "processes_personal_data": bool(inventory.categories),
        "does_international_transfers": bool(transfers),
    }
    if transfers:
        system["legal_basis_for_transfers"] = sorted(
            {_TRANSFER_BASIS.get(t.partition(":")[2], "Other") for t in transfers})
    system["dataset_references"] = [key]
    system["privacy_declarations"] = declarations
    return {"dataset": [dataset], "system": [system]}, notes


def _comment(text: str) -> str:
    """A YAML comment line: one line, printable characters only."""
    return "# " + visible(" ".join(text.split()))


def render_fides(inventory: Inventory) -> str:
    resources, notes = fides_resources(inventory)
    lines = [
        _comment(f"fideslang dataset and system for {inventory.name}, generated by pdlint "
                 f"{__version__} from gdpr tags and detections."),
        _comment("Review before use: pdlint reads code, not intent."),
    ]
    lines.extend(_comment(f"note: {note}") for note in notes)
    lines.extend(_yaml_lines(resources, 0))
    return "\n".join(lines) + "\n"


RENDERERS = {
    "markdown": render_markdown,
    "json": render_json,
    "csv": render_csv,
    "fides": render_fides,
}


def render(inventory: Inventory, fmt: str) -> str:
    return RENDERERS[fmt](inventory)
