"""Identifier classification: does this name hold personal data, and of which category?

pdlint never runs code, so names are most of the evidence it has.  The obvious approach --
"does the name contain ``email``/``age``/``ip``?" -- is what makes privacy linters unbearable:
``age`` is in ``page``/``usage``/``message``, ``ip`` in ``zip``, and ``email_backend`` is
configuration.  This module implements domain.md §2.2 instead:

1. **tokenise** (snake/camel/acronyms, concatenations such as ``firstname``) and match whole
   tokens, never substrings;
2. **match phrases head-final**: English compounds name their thing last, so the phrase ending
   furthest right wins (``last_login_ip`` is an IP), then the longest;
3. **ambiguous words need person context** (``name``, ``address``, ``age``, ``ip``...): a
   person word in the name, or a person object around it -- and nothing but harmless
   qualifiers next to them (``pet_name`` is not a person's name);
4. **modifiers veto or downgrade**: *not-data* (``email_template``), *infrastructure*
   (``server_ip``), *organisation* (``support_email``), *protective* (``email_hash`` ->
   kind ``protected``), predicates and type gating (``is_email_verified``, ``phone: bool`` ->
   kind ``metadata``);
5. credentials are their own axis (kind ``secret``) and user ids are pseudonymous links
   (kind ``id``), so rules can treat them differently from plain values;
6. **person roles say whose a datum is**: an agent noun (``sender``, ``poster``, ``reporter``,
   ``assignee``...) gives a direct identifier (name, username, e-mail, phone, IP) person
   context (``poster_name``), and an agent phrase -- ``<participle> by`` / ``<participle>
   from`` (``changed_by_username``, ``requested_by_email``, ``joined_from_ip``) -- makes it
   the agent's whatever record the name starts with.  Links stay links (``sender_id``,
   ``created_by_id``, ``changed_by``) and programs stay programs (``email_sender``).

Precedence, strongest first:

a. **never data**: module constants and ALL_CAPS settings (``DEFAULT_FROM_EMAIL``), dunders,
   class and type names, and the project's ``ignore-pii-names``;
b. **the project's ``extend-pii-names``**: a project phrase found in a name is personal data
   whatever built-in word stands before it (``support_email``, ``changed_by_username``) and
   whatever the declared type; only what *follows* it can still make the name another thing
   (``badge_no_regex``) or a fact about it (``badge_no_verified``, ``badge_no: bool``);
c. **typed evidence** (``EmailField``, ``GenericIPAddressField``, ``EmailStr``...): beats the
   name vetoes that only say what the datum is for or what happened to it
   (``notification_email``, ``sent_by_email``), the idiomatic ``from`` after a participle
   (``joined_from_ip``) and the record before an agent phrase; it does not beat the words
   that say whose it is not or that it is not the datum: organisation (``support_email``,
   ``noreply_email``, ``from_email``), infrastructure without a person word (``server_ip``),
   descriptors and configuration (``email_template``, ``email_domain``).  A non-PII type
   (``CharField``) is no evidence: the name decides; gating types (``BooleanField``) only
   turn a match into metadata (``is_email_verified``);
d. **person roles** (6.) over the built-in vetoes of the words they consist of
   (``changed``/``sent`` are not-data, ``from`` an organisation word elsewhere);
e. **name vetoes** (4.) over plain phrase matches.

All word lists live in :mod:`pdlint.lexicon`; this module is only the procedure.
``classify`` runs on every identifier of large codebases, so the lexicon is compiled into
lookup tables once per :class:`Classifier` and results are memoised.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Final, NamedTuple

from pdlint import lexicon as lx

__all__ = ["KINDS", "ROLES", "Classification", "Classifier", "split_identifier"]

Phrase = tuple[str, ...]

#: Syntactic positions a name can be classified in (see :meth:`Classifier.classify`).
ROLES: Final = frozenset({
    "field", "variable", "attribute", "key", "parameter", "keyword", "callable",
})
#: Values of :attr:`Classification.kind`.
KINDS: Final = ("value", "metadata", "protected", "secret", "id")

# ALL_CAPS names in these roles are constants/configuration (``settings.EMAIL_HOST``,
# ``GENDER_CHOICES``); string keys (``"REMOTE_ADDR"``) and call keywords are not.
_CONSTANT_ROLES: Final = frozenset({"variable", "field", "attribute"})
_DUNDER: Final = re.compile(r"__\w+__")
# Dict keys that look like identifiers or header names; sentences and format strings do not.
_KEYLIKE: Final = re.compile(r"[\w.\-: /]{1,80}")
_PARTS: Final = re.compile(r"[^\W_]+")
_WORDS: Final = re.compile(r"[A-Z]{2,}s(?![a-z])|[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+")
_IPV: Final = re.compile(r"IPv(?=[46])")
_DOTTED: Final = re.compile(r"[A-Za-z_][\w.]*")
_CALL_OR_SUBSCRIPT: Final = re.compile(r"([A-Za-z_][\w.]*)\s*([\[(])")
_SPECIAL_ROOTS: Final = ("special.", "criminal.")
_ALL_CONCATENATIONS: Final = frozenset(lx.CONCATENATIONS)
_TYPE_NAMES: Final = frozenset(
    {key.rsplit(".", 1)[-1] for key in lx.TYPED_FIELDS} | lx.ENCRYPTED_TYPES | lx.MASKED_TYPES
)


# ---------------------------------------------------------------------------------------
# Tokenisation
# ---------------------------------------------------------------------------------------


def split_identifier(name: str) -> tuple[str, ...]:
    """Tokens of an identifier, lower-cased, with concatenations expanded.

    Handles snake_case, camelCase, PascalCase and acronyms (``HTTPRequestIP`` ->
    ``http request ip``, ``userIDs`` -> ``user ids``); digits become their own tokens
    (``address2`` -> ``address 2``) except in :data:`~pdlint.lexicon.KEEP_ALNUM` words
    (``md5``, ``ipv4``, ``last4``); single-token concatenations are expanded
    (``emailaddress`` -> ``email address``, ``dob`` -> ``date of birth``, ``lng`` ->
    ``longitude``) and split words rejoined (``e_mail`` -> ``email``).  Header names and
    keys work too (``X-Forwarded-For``).  Plurals are left alone: the classifier
    singularises against its own vocabulary.
    """
    return _split(name, frozenset())


@functools.lru_cache(maxsize=65536)
def _split(name: str, keep: frozenset[str]) -> tuple[str, ...]:
    """:func:`split_identifier`, leaving the concatenations in ``keep`` unexpanded."""
    words: list[str] = []
    for part in _PARTS.findall(_IPV.sub("Ipv", name)):
        if part.isascii():
            words.extend(word.lower() for word in _WORDS.findall(part))
        else:
            words.append(part.lower())
    tokens: list[str] = []
    for word in _merge_alnum(words):
        kept = word in keep or (word.endswith("s") and word[:-1] in keep)
        tokens.extend((word,) if kept else _expand(word))
    return _merge_tokens(tokens)


def _merge_alnum(words: list[str]) -> list[str]:
    """Re-attach digits to the words in KEEP_ALNUM (``sha`` + ``256`` -> ``sha256``)."""
    merged: list[str] = []
    for word in words:
        if merged and (merged[-1] + word) in lx.KEEP_ALNUM:
            merged[-1] += word
        else:
            merged.append(word)
    return merged


def _expand(word: str) -> Phrase:
    expansion = lx.CONCATENATIONS.get(word)
    if expansion is not None:
        return expansion
    # Plural concatenations (``usernames``, ``emailaddresses``) expand like the singular.
    if word.endswith("es") and word[:-2] in lx.CONCATENATIONS and word[:-2].endswith("s"):
        return lx.CONCATENATIONS[word[:-2]]
    if word.endswith("s") and len(word) > 4 and word[:-1] in lx.CONCATENATIONS:
        return lx.CONCATENATIONS[word[:-1]]
    return (word,)


def _merge_tokens(tokens: list[str]) -> Phrase:
    out: list[str] = []
    i = 0
    while i < len(tokens):
        for pair, joined in lx.TOKEN_MERGES.items():
            if tuple(tokens[i : i + len(pair)]) == pair:
                out.append(joined)
                i += len(pair)
                break
        else:
            out.append(tokens[i])
            i += 1
    return tuple(out)


def _contains(tokens: Phrase, phrase: Phrase) -> bool:
    """Whether ``phrase`` occurs as a contiguous run of whole tokens."""
    size = len(phrase)
    return any(tokens[i : i + size] == phrase for i in range(len(tokens) - size + 1))


def _is_all_caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 2 and not any(c.islower() for c in letters)


def _is_class_name(text: str) -> bool:
    """PascalCase: a class being instantiated (``EmailMessage(...)``) is a type, not a value."""
    bare = text.lstrip("_")
    return bool(bare) and bare[0].isupper() and any(c.islower() for c in bare)


# ---------------------------------------------------------------------------------------
# Person roles
# ---------------------------------------------------------------------------------------


def _after_participle(tokens: Phrase, index: int) -> bool:
    """Whether ``tokens[index]`` follows a participle (``joined_from``, ``signed_up_from``)."""
    before = index - 1
    if before >= 1 and tokens[before] in lx.AGENT_PARTICLES:
        before -= 1
    return before >= 0 and tokens[before] in lx.AGENT_PARTICIPLES


def _agent_start(tokens: Phrase, end: int, category: str) -> int | None:
    """Start of an agent phrase ending at ``end`` for a head of ``category``, else None.

    An agent phrase is ``<participle> [particle] by|from [person words]``
    (``changed_by``, ``logged_in_from``, ``created_by_user``): the head after it is the agent's
    (or, for ``from``, the origin of their action), a person's datum whatever record the name
    starts with -- so the tokens before the phrase describe the record, not the datum.
    """
    j = end
    while j > 0 and (tokens[j - 1] in lx.PERSON_WORDS or tokens[j - 1] in lx.ROLE_PERSON_WORDS):
        j -= 1
    if j < 2:
        return None
    heads = lx.AGENT_PREPOSITIONS.get(tokens[j - 1])
    if heads is None or not category.startswith(heads) or not _after_participle(tokens, j - 1):
        return None
    start = j - 2
    return start - 1 if tokens[start] in lx.AGENT_PARTICLES else start


def _is_org_word(tokens: Phrase, index: int) -> bool:
    """Organisation word at ``index``; idiomatic ones (``from``) only outside an agent phrase:
    ``from_email`` is the site's sender address, ``joined_from_ip`` a person's origin."""
    token = tokens[index]
    if token not in lx.ORG_WORDS:
        return False
    return token not in lx.IDIOMATIC_ORG_WORDS or not _after_participle(tokens, index)


# ---------------------------------------------------------------------------------------
# Annotations and typed evidence
# ---------------------------------------------------------------------------------------


class _TypeFacts(NamedTuple):
    category: str | None
    needs_context: bool
    encrypted: bool
    masked: bool
    gate: str | None  # "bool" | "number" | "time" | None


_NO_TYPE: Final = _TypeFacts(None, False, False, False, None)


def _split_top(text: str, sep: str) -> list[str]:
    """Split on ``sep`` outside brackets/parentheses."""
    parts: list[str] = []
    depth = 0
    current: list[str] = []
    for ch in text:
        if ch in "[(":
            depth += 1
        elif ch in "])":
            depth -= 1
        if ch == sep and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    return [part.strip() for part in parts if part.strip()]


def _leaves(expr: str, deep: bool, depth: int = 0) -> list[str]:
    """The concrete type names inside an annotation as written.

    ``Optional[X]``, ``X | None``, ``Mapped[X]``, ``Annotated[X, ...]``, ``Column(X, ...)``
    are unwrapped to ``X``; with ``deep`` also containers (``list[EmailStr]`` holds
    e-mails) and the metadata of ``Annotated``.  Calls reduce to their callee
    (``models.BooleanField(default=False)`` -> ``models.BooleanField``).
    """
    expr = expr.strip().strip("\"'").strip()
    if not expr or depth > 12:
        return []
    alternatives = _split_top(expr, "|")
    if len(alternatives) > 1:
        return [leaf for alt in alternatives for leaf in _leaves(alt, deep, depth + 1)]
    match = _CALL_OR_SUBSCRIPT.match(expr)
    if match is None:
        if expr in ("None", "NoneType", "...") or not _DOTTED.fullmatch(expr):
            return []
        return [expr]
    head, bracket = match.group(1), match.group(2)
    inner = expr[match.end() :]
    if inner.endswith(("]", ")")):
        inner = inner[:-1]
    last = head.rsplit(".", 1)[-1]
    args = _split_top(inner, ",")
    if bracket == "(":
        if last in lx.COLUMN_CALLS:
            for arg in args:
                if "=" not in arg and not arg.startswith(("'", '"')):
                    return _leaves(arg, deep, depth + 1)
            return []
        return [head]
    if last in lx.UNION_WRAPPERS or (deep and last in lx.CONTAINER_WRAPPERS):
        return [leaf for arg in args for leaf in _leaves(arg, deep, depth + 1)]
    if last == "Annotated" and deep:
        return [leaf for arg in args for leaf in _leaves(arg, deep, depth + 1)]
    if last in lx.TRANSPARENT_WRAPPERS:
        return _leaves(args[0], deep, depth + 1) if args else []
    return [head]


def _typed_lookup(leaf: str) -> tuple[str, bool] | None:
    """TYPED_FIELDS entry for ``a.b.C``: tries ``a.b.C``, ``b.C``, ``C``."""
    parts = leaf.split(".")
    for i in range(len(parts)):
        found = lx.TYPED_FIELDS.get(".".join(parts[i:]))
        if found is not None:
            return found
    return None


@functools.lru_cache(maxsize=8192)
def _type_facts(annotation: str) -> _TypeFacts:
    deep = _leaves(annotation, deep=True)
    if not deep:
        return _NO_TYPE
    category: str | None = None
    needs_context = False
    for leaf in deep:
        found = _typed_lookup(leaf)
        if found is not None:
            category, needs_context = found
            break
    lasts = [leaf.rsplit(".", 1)[-1] for leaf in deep]
    encrypted = any(last in lx.ENCRYPTED_TYPES for last in lasts)
    masked = any(last in lx.MASKED_TYPES for last in lasts)
    gates = {lx.GATING_TYPES.get(leaf.rsplit(".", 1)[-1]) for leaf in _leaves(annotation, False)}
    gate = gates.pop() if len(gates) == 1 else None
    return _TypeFacts(category, needs_context, encrypted, masked, gate)


# ---------------------------------------------------------------------------------------
# Results and compiled lexicon entries
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Classification:
    """What a name says about the data it holds.

    Attributes:
        category: canonical tags.md key (``"contact.email"``, ``"online.ip"``,
            ``"account.id"``, ``"account.credentials"``) or a project key from config.
        kind: ``"value"`` -- the datum itself; ``"metadata"`` -- a fact about it
            (``is_email_verified``, ``email_verified_at``, ``phone: bool``): evidence of a
            person object, never a leak; ``"protected"`` -- hashed/masked/encrypted: still
            personal, but sanitised; ``"secret"`` -- the credentials axis; ``"id"`` -- a
            pseudonymous account id (the recommended thing to log).
        phrase: the lexicon phrase that matched (empty for purely typed evidence).
        needs_context: the match relied on person context (an ambiguous word such as
            ``name``/``address``/``age``/``ip``, or a type like ``URLField``), so it is
            weaker evidence than ``email`` and must not make an object a person's.
    """

    category: str
    kind: str
    phrase: tuple[str, ...]
    needs_context: bool


@dataclass(frozen=True, slots=True)
class _Entry:
    """One lexicon phrase compiled with everything needed to judge a match."""

    phrase: Phrase
    category: str
    needs_context: bool
    strict: bool  # unambiguous, but only harmless qualifiers on either side
    context_words: frozenset[str]  # tokens that supply person context inside the name
    person_context_ok: bool  # whether the caller's person_context counts at all
    field_only: bool  # ... or only for model/schema fields
    allowed: frozenset[str]  # tokens that may stand next to an ambiguous phrase
    vetoes: frozenset[str]  # phrase- and category-specific exclusions
    exempt: frozenset[str]  # global modifiers that are fine for this category
    credential: bool
    special: bool
    key_only: bool  # only string keys (header names)
    role_head: bool  # a direct identifier a person role attaches to (`poster_name`)
    project: bool  # from the project's `extend-pii-names`: beats every built-in veto


def _lookup(table: Mapping[str, frozenset[str]], category: str) -> frozenset[str]:
    """Entries for a category and its ancestors (``"gov"`` applies to ``gov.passport``)."""
    parts = category.split(".")
    found: frozenset[str] = frozenset()
    for i in range(1, len(parts) + 1):
        found |= table.get(".".join(parts[:i]), frozenset())
    return found


def _is_role_head(category: str) -> bool:
    return category.startswith(lx.ROLE_HEAD_CATEGORIES)


def _compile(phrase: Phrase, category: str, *, strong: bool = False) -> _Entry:
    needs = not strong and phrase in lx.CONTEXT_PHRASES
    qualified_only = phrase in lx.QUALIFIED_ONLY
    role_head = _is_role_head(category)
    extra_context = lx.PHRASE_CONTEXT_WORDS.get(phrase, frozenset())
    if role_head:
        extra_context = extra_context | lx.ROLE_PERSON_WORDS  # `poster_name`, `reporter_email`
    context_words = extra_context if qualified_only else lx.STRONG_PERSON_WORDS | extra_context
    exempt = _lookup(lx.CATEGORY_EXEMPTIONS, category) | lx.PHRASE_EXEMPTIONS.get(
        phrase, frozenset()
    )
    allowed = (
        lx.PERSON_WORDS
        | lx.GENERIC_QUALIFIERS
        | lx.TRAILING_VALUE_WORDS
        | lx.METADATA_SUFFIXES
        | lx.PROTECTIVE
        | lx.PHRASE_QUALIFIERS.get(phrase, frozenset())
        | _lookup(lx.CATEGORY_QUALIFIERS, category)
        | context_words
        | exempt
    )
    return _Entry(
        phrase=phrase,
        category=category,
        needs_context=needs,
        strict=not strong and category in lx.STRICT_CATEGORIES,
        context_words=context_words,
        person_context_ok=not qualified_only,
        field_only=phrase in lx.FIELD_ONLY_CONTEXT,
        allowed=allowed,
        vetoes=lx.PHRASE_EXCLUSIONS.get(phrase, frozenset())
        | _lookup(lx.CATEGORY_EXCLUSIONS, category),
        exempt=exempt,
        credential=category == lx.CREDENTIALS,
        special=category.startswith(_SPECIAL_ROOTS),
        key_only=phrase in lx.KEY_ONLY_PHRASES,
        role_head=role_head,
        project=strong,
    )


def _vocabulary() -> set[str]:
    """Every word the lexicon knows; only these get singularised (``emails`` -> ``email``)."""
    words: set[str] = set()
    for phrases in lx.PHRASES.values():
        for phrase in phrases:
            words.update(phrase)
    for phrase in lx.CONSENT_PHRASES:
        words.update(phrase)
    for group in (
        lx.PERSON_WORDS, lx.NOT_DATA, lx.INFRA, lx.ORG_WORDS, lx.PROTECTIVE,
        lx.ROLE_PERSON_WORDS, lx.PERSON_SUFFIXES, lx.TRAILING_NOT_DATA, lx.ADDRESS_WORDS,
        lx.CARD_WORDS,
        *lx.PHRASE_EXCLUSIONS.values(), *lx.CATEGORY_EXCLUSIONS.values(),
        *lx.PHRASE_CONTEXT_WORDS.values(),
    ):
        words.update(group)
    return words


def _plural_map(vocabulary: set[str]) -> dict[str, str]:
    """Plural form -> vocabulary word, for regular English plurals not themselves words."""
    plurals: dict[str, str] = {}
    for word in vocabulary:
        if len(word) < 3 and word not in ("id", "ip", "pk"):
            continue
        forms = [word + "s"]
        if word.endswith(("s", "x", "z", "ch", "sh")):
            forms = [word + "es"]
        elif word.endswith("y") and len(word) > 2 and word[-2] not in "aeiou":
            forms.append(word[:-1] + "ies")
        for form in forms:
            if form not in vocabulary:
                plurals.setdefault(form, word)
    plurals.update(lx.IRREGULAR_PLURALS)
    return plurals


# ---------------------------------------------------------------------------------------
# The classifier
# ---------------------------------------------------------------------------------------


class Classifier:
    """Classifies identifiers into data categories (see the module docstring).

    One instance per configuration: construction compiles the lexicon (plus the project's
    ``extend-pii-names``) into lookup tables; ``classify`` results are memoised per instance.
    Instances pickle by their configuration, so they can be sent to worker processes.
    """

    def __init__(
        self,
        extra_names: Mapping[str, str] | None = None,
        ignored_names: Iterable[str] = (),
    ) -> None:
        """Compile the lexicon.

        Args:
            extra_names: project identifiers/phrases -> category (config
                ``extend-pii-names``, e.g. ``{"loyalty_no": "custom.loyalty"}``).  They are
                tokenised and matched as phrases like built-in ones, but are *strong*: the
                project said so, so no person context is needed and no built-in veto before
                the phrase, nor the declared type, silences it (``support_loyalty_no``).  What
                follows the phrase still decides the head (``loyalty_no_regex`` is not data).
            ignored_names: identifiers never classified (config deny list).  Matched as the
                exact identifier, case-insensitively, and as a token phrase inside longer
                names (ignoring ``legacy_email`` also ignores ``old_legacy_email``), with
                concatenations left as written (ignoring ``tel`` does not ignore ``phone``).
        """
        self._extra: dict[str, str] = dict(extra_names or {})
        self._ignored: tuple[str, ...] = tuple(ignored_names)

        vocabulary = _vocabulary()
        extra_phrases = {name: split_identifier(name) for name in self._extra}
        for tokens in extra_phrases.values():
            vocabulary.update(tokens)
        self._plurals = _plural_map(vocabulary)

        entries: dict[Phrase, _Entry] = {}
        for category, phrases in lx.PHRASES.items():
            for phrase in phrases:
                entries[phrase] = _compile(phrase, category)
        project_phrases: set[Phrase] = set()
        for name, category in self._extra.items():
            phrase = self._normalise(extra_phrases[name])
            if phrase:
                entries[phrase] = _compile(phrase, category, strong=True)
                project_phrases.add(phrase)
        self._project_phrases: frozenset[Phrase] = frozenset(project_phrases)
        by_first: dict[str, list[_Entry]] = {}
        for entry in entries.values():
            by_first.setdefault(entry.phrase[0], []).append(entry)
        self._by_first: dict[str, tuple[_Entry, ...]] = {
            first: tuple(sorted(group, key=lambda e: -len(e.phrase)))
            for first, group in by_first.items()
        }

        self._ignored_exact = frozenset(name.strip().lower() for name in self._ignored)
        # Deny-listed names match as written (concatenations unexpanded): ignoring `tel`
        # must not silence `phone`.
        self._ignored_phrases = tuple(
            phrase
            for phrase in {self._normalise(_split(name, _ALL_CONCATENATIONS))
                           for name in self._ignored}
            if phrase
        )

        self._tokens = functools.lru_cache(maxsize=131072)(self._tokens_uncached)
        self._classify = functools.lru_cache(maxsize=262144)(self._classify_uncached)

    def __reduce__(self) -> tuple[type[Classifier], tuple[dict[str, str], tuple[str, ...]]]:
        # The memo caches wrap bound methods and do not pickle; rebuild from configuration.
        return (Classifier, (self._extra, self._ignored))

    # -- tokens ---------------------------------------------------------------------------

    def _normalise(self, tokens: Phrase) -> Phrase:
        """Drop digit tokens and singularise known plurals."""
        plurals = self._plurals
        return tuple(plurals.get(t, t) for t in tokens if not t.isdigit())

    def _tokens_uncached(self, name: str) -> Phrase:
        return self._normalise(_split(name, lx.CONTEXT_CONCATENATIONS))

    # -- public API -----------------------------------------------------------------------

    def classify(
        self,
        name: str,
        *,
        role: str = "variable",
        annotation: str | None = None,
        person_context: bool = False,
        module_constant: bool = False,
    ) -> Classification | None:
        """Classify one identifier, or return None when it is not personal data.

        Args:
            name: the identifier or string key as written.
            role: where it stands -- ``"field"`` (class attribute of a model/schema),
                ``"variable"`` (assignment target / local), ``"attribute"`` (last part of an
                attribute read: ``email`` in ``user.email``), ``"key"`` (string key of a dict
                literal, subscript or ``.get()``), ``"parameter"``, ``"keyword"``
                (keyword-argument name at a call site) or ``"callable"`` (function/method
                name: only getters such as ``get_email``/``clean_email`` are values).
            annotation: the declared type as written (``"bool"``, ``"Optional[str]"``,
                ``"models.BooleanField"``, ``"EmailStr"``).  Gating types turn the match
                into metadata; PII types are typed evidence and win over the name.
            person_context: the enclosing class / attribute chain / dict is a person object.
            module_constant: an ALL_CAPS name bound at module level: configuration, never
                classified.  (String keys like ``"REMOTE_ADDR"`` with role ``"key"`` are.)

        Raises:
            ValueError: for an unknown ``role`` (a caller bug, better loud than silent).
        """
        return self._classify(name, role, annotation, person_context, module_constant)

    def classify_type(self, type_name: str) -> tuple[str, bool] | None:
        """Typed evidence: ``(category, needs_person_context)`` for a PII type, else None.

        Accepts the type as written or resolved (``"models.EmailField"``, ``"EmailStr"``,
        ``"Optional[EmailStr]"``, ``"list[EmailStr]"``, ``"marshmallow.fields.Email"``,
        ``"sqlalchemy_utils.EmailType"``, ``"Column(EmailType)"``).  Types such as
        ``URLField``/``ImageField``/``CountryField``/``IPv4Address`` are personal data only
        on a person object, hence the flag.
        """
        facts = _type_facts(type_name)
        if facts.category is None:
            return None
        return facts.category, facts.needs_context

    def is_encrypted_type(self, type_name: str) -> bool:
        """Whether a field type stores its value encrypted or hashed (the ``encrypted`` flag).

        ``EncryptedCharField``, ``EncryptedEmailField``, sqlalchemy_utils ``EncryptedType``/
        ``StringEncryptedType``/``PasswordType``...: the data is still personal, but PDL602
        (plaintext sensitive field) must not fire and leaks are of a protected form.
        """
        return _type_facts(type_name).encrypted

    def is_person_name(self, name: str) -> bool:
        """Whether an identifier denotes a person object (class, variable, chain part).

        True for ``Customer``, ``request.user``, ``current_user``, ``UserSerializer``,
        ``CreateUserRequest``, ``PatientRecord``, ``BillingAddress``; False for properties
        of a person (``user_email``, ``user_count``, ``user_id``), programs named after one
        (``UserAdmin``, ``UserFactory``, ``db_user``, ``http_client``, ``s3_client``),
        organisations (``CompanyProfile``, ``support_contact``) and ``contact_us`` pages.
        """
        tokens = self._tokens(name.strip())
        if not tokens or any(_contains(tokens, p) for p in lx.NOT_PERSON_PHRASES):
            return False
        for index in range(len(tokens) - 1, -1, -1):
            head = tokens[index]
            if head not in lx.PERSON_WORDS:
                continue
            if any(t not in lx.PERSON_SUFFIXES and t not in lx.PERSON_WORDS
                   for t in tokens[index + 1 :]):
                return False  # `user_email`: the name is a property of the person
            before = tokens[:index]
            if head in lx.WEAK_PERSON_WORDS or head in lx.TRAILING_NOT_DATA:
                if any(t not in lx.PERSON_WORDS and t not in lx.PERSON_HEAD_QUALIFIERS
                       for t in before):
                    continue  # `http_client`; but `CreateUserRequest` may still have `user`
                return True
            return not any(
                t not in lx.PERSON_WORDS
                and (t in lx.INFRA or t in lx.NOT_DATA or (t in lx.ORG_WORDS
                                                           and t not in ("info", "from")))
                for t in before
            )
        return False

    def is_consent_name(self, name: str) -> bool:
        """Whether an identifier is a consent flag or check (domain.md §3.7).

        ``consent``, ``has_consent``, ``marketing_opt_in``, ``opted_in``, ``subscribed``,
        ``newsletter``, ``accepts_marketing``, ``allow_tracking``, and the negatives
        ``opt_out``/``unsubscribed``/``do_not_track``/``dnt``/``gpc``.  Not consent:
        ``terms_accepted`` (a contract), and consent *evidence or UI* such as
        ``consented_at``, ``consent_ip``, ``consent_version``, ``consent_banner``.
        """
        tokens = self._tokens(name.strip())
        if not tokens or any(t in lx.CONSENT_VETOES for t in tokens):
            return False
        return any(_contains(tokens, phrase) for phrase in lx.CONSENT_PHRASES)

    # -- classification -------------------------------------------------------------------

    def _classify_uncached(
        self,
        name: str,
        role: str,
        annotation: str | None,
        person_context: bool,
        module_constant: bool,
    ) -> Classification | None:
        if role not in ROLES:
            raise ValueError(f"unknown role {role!r}; expected one of {sorted(ROLES)}")
        text = name.strip()
        if module_constant or not text or _DUNDER.fullmatch(text):
            return None
        if text.lower() in self._ignored_exact:
            return None
        if role in _CONSTANT_ROLES and _is_all_caps(text):
            return None
        if role in ("callable", "attribute") and _is_class_name(text):
            return None  # `EmailMessage(...)`, `ec.EllipticCurvePrivateKey`: a class
        if role != "key" and text in _TYPE_NAMES:
            return None  # `ipaddress.IPv4Address`, `pydantic.EmailStr`: a type, not a value
        tokens = self._tokens(text)
        if role == "key":
            if (not _KEYLIKE.fullmatch(text) or "::" in text or len(tokens) > 6
                    or (" " in text and len(tokens) > 3)):
                return None  # a sentence, format string or type tag, not a field name
            if len(tokens) > 1 and tokens[0] == "http":
                tokens = tokens[1:]  # WSGI/CGI header keys: HTTP_X_FORWARDED_FOR
        if not tokens:
            return None
        if self._ignored_phrases:
            raw = self._normalise(_split(text, _ALL_CONCATENATIONS))
            if any(_contains(raw, p) for p in self._ignored_phrases):
                return None

        if role == "callable":
            # Only getters return the datum; `send_email()`, `validate_email()`,
            # `email_user()` and noun-named APIs (`ipaddress.ip_address()`) do not.
            if tokens[0] in lx.ACTION_VERBS or tokens[0] not in lx.GETTER_PREFIXES:
                return None
            if len(tokens) < 2:
                return None
            tokens = tokens[1:]
        elif len(tokens) > 1 and tokens[0] in lx.ACCESSOR_PREFIXES:
            tokens = tokens[1:]
        predicate = len(tokens) > 1 and tokens[0] in lx.METADATA_PREFIXES
        if predicate:
            tokens = tokens[1:]

        facts = _type_facts(annotation) if annotation else _NO_TYPE
        found = self._match(tokens, role, person_context, predicate, facts.gate)
        if facts.category is not None:
            project = found is not None and found.phrase in self._project_phrases
            applies, typed = self._typed(tokens, facts, found, person_context, project)
            if applies and (typed is not None or not project):
                return typed  # the type's vetoes never silence the project's own names
        if found is not None and facts.encrypted and found.kind in ("value", "secret", "id"):
            return Classification(found.category, "protected", found.phrase,
                                  found.needs_context)
        return found

    def _match(
        self,
        tokens: Phrase,
        role: str,
        person_context: bool,
        predicate: bool,
        gate: str | None,
    ) -> Classification | None:
        candidates: list[tuple[int, int, _Entry]] = []
        by_first = self._by_first
        for start, token in enumerate(tokens):
            for entry in by_first.get(token, ()):
                end = start + len(entry.phrase)
                if tokens[start:end] == entry.phrase:
                    candidates.append((start, end, entry))
        # Head-final: the phrase ending furthest right names the thing; then the longest.
        candidates.sort(key=lambda c: (-c[1], c[0]))
        for start, end, entry in candidates:
            result = self._judge(entry, tokens, start, end, role, person_context, predicate,
                                 gate)
            if result is not None:
                return result
        return None

    def _judge(
        self,
        entry: _Entry,
        tokens: Phrase,
        start: int,
        end: int,
        role: str,
        person_context: bool,
        predicate: bool,
        gate: str | None,
    ) -> Classification | None:
        if entry.key_only and role != "key":
            return None
        # The tokens judged around the phrase.  A project phrase (`extend-pii-names`) is judged
        # only by what follows it: the project said it is personal data, so no built-in word
        # before it vetoes.  After an agent phrase (`changed_by_`, `joined_from_`) the datum is
        # that person's: the agent phrase and the record named before it are not judged.
        agent = None if entry.project else _agent_start(tokens, start, entry.category)
        scope = start if entry.project or agent is not None else 0
        before, after = tokens[scope:start], tokens[end:]
        others = before + after
        person_in_name = agent is not None or any(
            t in lx.STRONG_PERSON_WORDS or (entry.role_head and t in lx.ROLE_PERSON_WORDS)
            for t in others
        )

        if entry.needs_context:
            # A yes/no about an ambiguous word (`is_mobile`, `mobile: bool`) is too weak.
            if predicate or gate == "bool":
                return None
            where = others if entry.person_context_ok else before
            if agent is None and not any(t in entry.context_words for t in where) and not (
                person_context
                and entry.person_context_ok
                and (role == "field" or not entry.field_only)
            ):
                return None
            if any(t not in entry.allowed for t in others):
                return None  # `pet_name`, `address_family`: another thing's name/address
            if any(t in lx.CONTAINER_WORDS for t in before):
                return None  # `contact_list_name`: the name of the list
        elif entry.strict and any(t in lx.CONTAINER_WORDS for t in before):
            return None
        elif any(t not in entry.allowed for t in (others if entry.strict else after)):
            return None  # `birthday_cake`, `password_mgr`: the head is another noun

        if after and after[-1] in lx.PERSON_WORDS and entry.category != lx.ACCOUNT_ID:
            return None  # `email_user`, `phone_owner`: the name denotes a person object

        for index in (*range(scope, start), *range(end, len(tokens))):
            token = tokens[index]
            if token in entry.vetoes:
                return None
            if token in entry.exempt or token in lx.PROTECTIVE:
                continue
            if token in lx.NOT_DATA:
                return None
            if token in lx.TRAILING_NOT_DATA and index >= end:
                return None
            if not entry.credential:
                if _is_org_word(tokens, index):
                    return None
                if token in lx.INFRA and not person_in_name:
                    return None
        if not entry.credential and any(_contains(tokens[scope:], p) for p in lx.ORG_PHRASES):
            return None

        return Classification(
            entry.category,
            self._kind(entry, others, after, predicate, gate),
            entry.phrase,
            entry.needs_context,
        )

    @staticmethod
    def _kind(
        entry: _Entry,
        others: Phrase,
        after: Phrase,
        predicate: bool,
        gate: str | None,
    ) -> str:
        category = entry.category
        # A yes/no or number about an Art. 9/10 category is itself such data
        # (`has_disability`, `is_pregnant: bool`, `bmi: float`): never metadata.
        if not entry.special:
            if predicate or gate == "bool" or any(t in lx.METADATA_SUFFIXES for t in after):
                return "metadata"
            if gate == "number" and not category.startswith(lx.NUMERIC_VALUE_PREFIXES):
                return "metadata"
            if gate == "time" and not category.startswith(lx.TEMPORAL_VALUE_PREFIXES):
                return "metadata"
        if any(t in lx.PROTECTIVE for t in others):
            return "protected"
        if entry.credential:
            return "secret"
        if category in lx.IDENTIFIER_CATEGORIES or entry.phrase in lx.ID_PHRASES:
            return "id"
        return "value"

    def _typed(
        self,
        tokens: Phrase,
        facts: _TypeFacts,
        found: Classification | None,
        person_context: bool,
        project: bool,
    ) -> tuple[bool, Classification | None]:
        """Typed evidence beats names (``contact = models.EmailField()``).

        Returns ``(applies, result)``; ``applies`` is False when the type says nothing here
        (a context-dependent type without person context), so the name-based result stands.
        The type overrides the name vetoes that only say what an address is for or what
        happened to it (``notification_email``, ``sent_by_email``, ``joined_from_ip``: see
        :data:`~pdlint.lexicon.TYPE_OVERRIDES_NOT_DATA`) and the record before an agent phrase
        (``ticket_changed_by_email``).  The name still vetoes when it says whose the datum
        is not -- the organisation's mailbox (``support_email``, ``from_email``), a server's
        address (``server_ip``) -- or that the field is not the datum (``email_template``,
        configuration), unless it is the project's own ``extend-pii-names`` phrase
        (``project``), which no built-in word vetoes.
        """
        assert facts.category is not None
        agent_end = next(
            (end for end in range(len(tokens), 1, -1)
             if _agent_start(tokens, end, facts.category) is not None),
            None,
        )
        role_words = lx.ROLE_PERSON_WORDS if _is_role_head(facts.category) else frozenset()
        person_in_name = agent_end is not None or any(
            t in lx.STRONG_PERSON_WORDS or t in role_words for t in tokens
        )
        if facts.needs_context and not (person_context or person_in_name or project):
            return False, None
        if facts.category != lx.CREDENTIALS and not project:
            scope = agent_end or 0
            for index in range(scope, len(tokens)):
                token = tokens[index]
                if token in lx.PROTECTIVE or token in ("id", "pk", "uuid", "guid", "code"):
                    continue
                if token in lx.TYPE_OVERRIDES_NOT_DATA:
                    continue
                if _is_org_word(tokens, index) or token in lx.NOT_DATA:
                    return True, None
                if token in lx.INFRA and not person_in_name:
                    return True, None
            if any(_contains(tokens[scope:], p) for p in lx.ORG_PHRASES):
                return True, None
        if facts.masked:
            # SecretStr/SecretBytes print as '**********': whatever they hold, a log of them
            # leaks nothing.  Keep the name's category when it has one (`email: SecretStr`).
            category = found.category if found is not None else facts.category
            kind = "protected"
        else:
            category = facts.category
            if facts.encrypted or (found is not None and found.kind == "protected"):
                kind = "protected"
            elif category == lx.CREDENTIALS:
                kind = "secret"
            elif category == lx.ACCOUNT_ID:
                kind = "id"
            else:
                kind = "value"
        phrase = found.phrase if found is not None and found.category == category else ()
        return True, Classification(category, kind, phrase, facts.needs_context)
