"""Recognising models and schemas across the project, and classifying their fields.

Per-file facts only record classes with their (import-resolved) bases, decorators and
class-level attributes. Whether a class is a Django model, a SQLAlchemy mapping, a Pydantic
schema, a dataclass, an attrs class, a TypedDict, a marshmallow schema or a DRF serializer
is decided here, at project level, because an abstract base (``TimeStampedModel``) or a
shared Pydantic base usually lives in another module.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from pdlint import knowledge
from pdlint import lexicon as lx
from pdlint.classify import Classification, Classifier
from pdlint.facts import ClassAttr, ClassFact, FileFacts, Span

# Framework roots, matched against import-resolved dotted base names (pdlint.knowledge:
# django, drf, schemas).
_BASE_RULES = knowledge.MODEL_BASES
_DATACLASS_DECORATORS = re.compile(
    r"^(dataclasses\.dataclass|dataclass|attr\.(s|attrs|define|frozen|mutable|dataclass)"
    r"|attrs\.(define|frozen|mutable)|pydantic\.dataclasses\.dataclass)$"
)
_ATTRS_DECORATORS = re.compile(r"^(attr|attrs)\.")
_DJANGO_FIELD = re.compile(r"^(django\.db\.models(\.fields(\.\w+)?)?|django\.contrib\.\w+\.\w+"
                           r"(\.\w+)*|models)\.\w*Field$")
_RELATION = re.compile(r"(ForeignKey|OneToOneField|ManyToManyField|GenericForeignKey|relationship"
                       r"|GenericRelation|backref)$")
_SQLA_COLUMN = re.compile(r"(^|\.)(Column|mapped_column|column_property)$")
_SQLA_HINT = re.compile(r"^(sqlalchemy|flask_sqlalchemy)\.|(^|\.)db\.(Column|Model)$")
_MARSHMALLOW_FIELD = re.compile(r"^(marshmallow\.fields|fields|ma)\.\w+$")
_DRF_FIELD = re.compile(r"^(rest_framework\.serializers|serializers)\.\w*Field$")
_ENCRYPTED = re.compile(r"(?i)encrypt")
_USER_BASES = re.compile(r"(^|\.)(AbstractUser|AbstractBaseUser|User|UserMixin)$")
_ANNOTATION_ATOM = re.compile(r"[A-Za-z_][\w.]*")
_IGNORED_ANNOTATIONS = re.compile(r"(^|\.)(ClassVar|InitVar)(\[|$)")


@dataclass(frozen=True)
class ModelField:
    """A field of a recognised model/schema, with its classification (if personal data)."""

    symbol: str
    name: str
    path: str
    span: Span
    model: str  # class symbol
    framework: str
    type_name: str | None
    classification: Classification | None
    evidence: str  # "type" | "name" | ""
    encrypted: bool = False


@dataclass(frozen=True)
class Model:
    symbol: str
    name: str
    path: str
    span: Span
    framework: str
    person: bool  # a person (or person-linked) object: gives context to ambiguous names
    fields: tuple[ModelField, ...]


class ModelIndex:
    """All model/schema classes of a project, keyed by class symbol."""

    def __init__(self, files: Iterable[FileFacts], classifier: Classifier) -> None:
        self.classifier = classifier
        self._classes: dict[str, tuple[ClassFact, FileFacts]] = {}
        for facts in files:
            for cls in facts.classes:
                self._classes.setdefault(cls.symbol, (cls, facts))
        self._framework_cache: dict[str, str | None] = {}
        self.models: dict[str, Model] = {}
        for symbol in sorted(self._classes):
            cls, facts = self._classes[symbol]
            if facts.generated or facts.is_test:
                continue
            framework = self.framework(symbol)
            if framework is None or framework in ("settings", "django-form"):
                continue
            self.models[symbol] = self._build(cls, facts, framework)

    # -- framework recognition ----------------------------------------------------------
    def framework(self, symbol: str, _depth: int = 0) -> str | None:
        if symbol in self._framework_cache:
            return self._framework_cache[symbol]
        self._framework_cache[symbol] = None  # guards against inheritance cycles
        entry = self._classes.get(symbol)
        result: str | None = None
        if entry is not None and _depth < 50:
            result = self._framework_of(entry[0], _depth)
        self._framework_cache[symbol] = result
        return result

    def _framework_of(self, cls: ClassFact, depth: int) -> str | None:
        for base in cls.bases:
            for name, pattern in _BASE_RULES:
                if pattern.match(base):
                    return name
        for base in cls.bases:
            if base in self._classes:
                inherited = self.framework(base, depth + 1)
                if inherited is not None:
                    return inherited
        if any(_DATACLASS_DECORATORS.match(d) for d in cls.decorators):
            attrs = any(_ATTRS_DECORATORS.match(d) for d in cls.decorators)
            return "attrs" if attrs else "dataclass"
        return _framework_from_attrs(cls.attrs)

    def _is_user_model(self, cls: ClassFact) -> bool:
        return any(_USER_BASES.search(base) for base in cls.bases)

    # -- fields -------------------------------------------------------------------------
    def _build(self, cls: ClassFact, facts: FileFacts, framework: str) -> Model:
        candidates = [
            (attr, type_name)
            for attr in self._inherited_attrs(cls)
            if (type_name := _field_type(attr, framework)) is not False
        ]
        person = (
            self.classifier.is_person_name(cls.name)
            or self._is_user_model(cls)
            or any(_links_to_user(attr) for attr, _ in candidates)
        )
        if not person:
            # A sibling that is unambiguously personal data makes the object a person's
            # (a class with `email` makes its `name` a person's name).
            for attr, _type_name in candidates:
                # ... by its name: a type alone says what is stored, not whose it is (an
                # EmailField called `report_source_bugs` holds a bug-report address, and the
                # component's `name` is no person's name for it)
                found = self._classify(attr, None, person_context=False)
                if (found is not None and found[0].kind == "value"
                        and not found[0].needs_context and not _someone_elses(attr.name)):
                    person = True
                    break
        own = {attr.name for attr in cls.attrs}
        fields: list[ModelField] = []
        for attr, type_name in candidates:
            if attr.name not in own:
                continue  # inherited attributes are reported on the class that declares them
            found = self._classify(attr, type_name, person_context=person)
            classification, evidence = found if found is not None else (None, "")
            fields.append(
                ModelField(
                    symbol=f"{cls.symbol}.{attr.name}",
                    name=attr.name,
                    path=facts.path,
                    span=attr.span,
                    model=cls.symbol,
                    framework=framework,
                    type_name=type_name if isinstance(type_name, str) else None,
                    classification=classification,
                    evidence=evidence,
                    encrypted=bool(type_name and _ENCRYPTED.search(str(type_name)))
                    or any(_ENCRYPTED.search(name) for name in (attr.call or "",)),
                )
            )
        return Model(cls.symbol, cls.name, facts.path, cls.span, framework, person, tuple(fields))

    def _inherited_attrs(self, cls: ClassFact) -> list[ClassAttr]:
        """Own attributes plus those of project base classes (for person context)."""
        seen: set[str] = set()
        result: list[ClassAttr] = []
        stack = [cls]
        visited: set[str] = set()
        while stack:
            current = stack.pop(0)
            if current.symbol in visited:
                continue
            visited.add(current.symbol)
            for attr in current.attrs:
                if attr.name not in seen:
                    seen.add(attr.name)
                    result.append(attr)
            for base in current.bases:
                entry = self._classes.get(base)
                if entry is not None:
                    stack.append(entry[0])
        return result

    def _classify(
        self, attr: ClassAttr, type_name: str | bool | None, person_context: bool
    ) -> tuple[Classification, str] | None:
        """Classify a field by its type and name together: the type is strong evidence,
        but organisation/infrastructure words in the name still veto it
        (`support_email = EmailField()` is the organisation's mailbox)."""
        if attr.name.startswith("_") or attr.name.isupper():
            return None
        annotation = type_name if isinstance(type_name, str) else None
        found = self.classifier.classify(
            attr.name, role="field", annotation=annotation, person_context=person_context
        )
        if found is None:
            return None
        typed = False
        if annotation:
            typed = any(self.classifier.classify_type(atom) is not None
                        for atom in _type_atoms(annotation))
        return found, ("type" if typed else "name")


def _framework_from_attrs(attrs: tuple[ClassAttr, ...]) -> str | None:
    """Recognise a model by its fields when its bases are unknown (e.g. ``db.Model``)."""
    for attr in attrs:
        call = attr.call or ""
        if _DJANGO_FIELD.match(call):
            return "django"
        if _SQLA_COLUMN.search(call) and (_SQLA_HINT.search(call) or "." not in call
                                          or call.startswith("sqlalchemy")):
            return "sqlalchemy"
        if attr.annotation and re.match(r"^(sqlalchemy\.orm\.)?Mapped\[", attr.annotation):
            return "sqlalchemy"
        if call.startswith("marshmallow.fields."):
            return "marshmallow"
        if call.startswith("rest_framework.serializers."):
            return "drf"
    return None


def _field_type(attr: ClassAttr, framework: str) -> str | None | bool:
    """The field's type as written, None when untyped, False when not a data field."""
    call = attr.call or ""
    if call and _RELATION.search(call):
        return False
    if attr.annotation and _IGNORED_ANNOTATIONS.search(attr.annotation):
        return False
    if framework == "django":
        if _DJANGO_FIELD.match(call) or call.endswith("Field"):
            return call
        if call and any(_DJANGO_FIELD.match(arg) for arg in attr.call_args):
            # encrypt(models.CharField(...)) and similar wrappers
            return f"{call}({next(a for a in attr.call_args if _DJANGO_FIELD.match(a))})"
        return False
    if framework == "sqlalchemy":
        if _SQLA_COLUMN.search(call):
            if any(_RELATION.search(arg) or arg.endswith("ForeignKey") for arg in attr.call_args):
                return False
            return attr.call_arg or _mapped_inner(attr.annotation)
        if attr.annotation and "Mapped[" in attr.annotation:
            return _mapped_inner(attr.annotation)
        return False
    if framework == "marshmallow":
        if _MARSHMALLOW_FIELD.match(call) and not call.endswith(("Nested", "Method", "Function")):
            return call
        return False
    if framework == "drf":
        if _DRF_FIELD.match(call) and not call.endswith(("MethodField", "RelatedField")):
            return call
        return False
    # pydantic, dataclass, attrs, typeddict, namedtuple: annotated attributes
    if attr.annotation is not None:
        return attr.annotation
    if framework == "attrs" and re.search(r"(^|\.)(ib|attrib|field)$", call):
        return None
    if framework == "pydantic" and call.endswith("Field"):
        return None
    return False


def _mapped_inner(annotation: str | None) -> str | None:
    if not annotation:
        return None
    match = re.search(r"Mapped\[(.*)\]$", annotation)
    return match.group(1) if match else annotation


def _someone_elses(name: str) -> bool:
    """A field that names whose datum it is (``created_by_email``, ``author_email``,
    ``sender_name``) holds another person's data: it makes the record *about* that person
    no more than a ``Document`` with an author is a person, so its siblings (``name``, the
    document's name) get no person context from it."""
    tokens = name.lower().strip("_").split("_")
    return any(t in lx.ROLE_PERSON_WORDS or t in ("by", "from") for t in tokens[:-1])


def _links_to_user(attr: ClassAttr) -> bool:
    call = attr.call or ""
    if not _RELATION.search(call):
        return False
    return any(
        re.search(r"(AUTH_USER_MODEL|(^|\.)(User|Customer|Profile|Person|Member|Account))$", arg)
        for arg in attr.call_args
    )


def _type_atoms(type_name: str) -> list[str]:
    """Dotted names inside a type expression, outermost last-resort order preserved."""
    return _ANNOTATION_ATOM.findall(type_name)
