"""The ``gdpr`` tag grammar: finding tags in comments and docstrings and parsing records.

A tag is how a developer tells pdlint what personal data a piece of code handles and why
(``# gdpr: collects=contact.email purpose=account basis=contract retention=2y``).  The
contract is ``shared/design/tags.md``; this module implements its grammar and nothing else:

* it is pure string processing with no libcst, so the extractor, the rules, the docs
  generator and the tests can all use it without a syntax tree;
* it never raises: tags are hand-written free text inside arbitrary files, and a linter that
  crashes on a stray quote is worse than one that reports it.  Every defect becomes a
  :class:`TagProblem` (rule PDL102) carrying the offset of the offending item, so a finding
  can point at the right column;
* it checks syntax and the enumerated vocabularies (keys, bases, rights, Art. 9/10
  conditions, durations, transfers) but not whether a well-formed category exists: that is
  PDL103's job, which needs the project's custom categories from configuration.

Tokenising follows the design note (shlex-like: whitespace-separated, double quotes group,
a token ending in ``,`` is glued to the next so ``collects=a, b`` works) but is hand-written,
because ``shlex`` raises on unbalanced quotes and loses the offsets findings need.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from pdlint import taxonomy

__all__ = [
    "CATEGORY_KEYS",
    "FLAGS",
    "KEYS",
    "LIST_KEYS",
    "SCALAR_KEYS",
    "DocstringTag",
    "TagProblem",
    "TagRecord",
    "comment_tag_body",
    "comment_tag_offset",
    "docstring_tags",
    "parse_tag",
]

LIST_KEYS: frozenset[str] = frozenset(
    {
        "collects",
        "uses",
        "stores",
        "shares",
        "data",
        "to",
        "purpose",
        "subject",
        "right",
        "consent",
        "tests",
        "ignore",
    }
)
"""Keys that take a comma-separated list and may repeat (repeats are merged)."""

SCALAR_KEYS: frozenset[str] = frozenset(
    {"basis", "art9", "art10", "retention", "transfer", "reason", "id"}
)
"""Keys that take exactly one value; giving one twice is an error, since which should win?"""

KEYS: frozenset[str] = LIST_KEYS | SCALAR_KEYS
"""Every key the grammar knows."""

CATEGORY_KEYS: frozenset[str] = frozenset({"data", "collects", "uses", "stores", "shares"})
"""Keys whose values are data categories (``data`` is also what a bare path means)."""

FLAGS: frozenset[str] = frozenset(
    {"none", "consent-check", "encrypted", "pseudonymised", "anonymised", "optional"}
)
"""Bare words with a meaning of their own, in canonical (British, kebab) spelling."""

# Spelling variants accepted for flags, after lower-casing and ``_`` -> ``-``.
_FLAG_SPELLINGS: Mapping[str, str] = MappingProxyType(
    {
        "none": "none",
        "consent-check": "consent-check",
        "encrypted": "encrypted",
        "pseudonymised": "pseudonymised",
        "pseudonymized": "pseudonymised",
        "anonymised": "anonymised",
        "anonymized": "anonymised",
        "optional": "optional",
    }
)

# Enumerated values: accepted spelling (lower, kebab) -> canonical kebab form.  Singular and
# plural forms, the short aliases of domain.md §1.5 and US spellings are all accepted because
# the tag is read far more often than written and a pedantic parser just teaches people to
# stop tagging; the record always carries the canonical form so rules compare one spelling.
_BASIS: Mapping[str, str] = MappingProxyType(
    {
        "consent": "consent",
        "contract": "contract",
        "legal-obligation": "legal-obligation",
        "legal-obligations": "legal-obligation",
        "legal": "legal-obligation",
        "vital-interests": "vital-interests",
        "vital-interest": "vital-interests",
        "vital": "vital-interests",
        "public-task": "public-task",
        "public-tasks": "public-task",
        "public": "public-task",
        "legitimate-interests": "legitimate-interests",
        "legitimate-interest": "legitimate-interests",
        "legitimate": "legitimate-interests",
        "li": "legitimate-interests",
    }
)

# ``withdraw`` (of consent, Art. 7(3)) maps to objection: both stop processing that the person
# no longer accepts, and tags.md lists it among the aliases of the six rights.
_RIGHTS: Mapping[str, str] = MappingProxyType(
    {
        "access": "access",
        "rectification": "rectification",
        "rectify": "rectification",
        "erasure": "erasure",
        "erase": "erasure",
        "delete": "erasure",
        "deletion": "erasure",
        "forget": "erasure",
        "restriction": "restriction",
        "restrict": "restriction",
        "portability": "portability",
        "export": "portability",
        "objection": "objection",
        "object": "objection",
        "withdraw": "objection",
    }
)

_ART9: Mapping[str, str] = MappingProxyType(
    {
        "explicit-consent": "explicit-consent",
        "employment": "employment",
        "vital-interests": "vital-interests",
        "vital-interest": "vital-interests",
        "nonprofit": "nonprofit",
        "non-profit": "nonprofit",
        "made-public": "made-public",
        "legal-claims": "legal-claims",
        "legal-claim": "legal-claims",
        "public-interest": "public-interest",
        "health-care": "health-care",
        "healthcare": "health-care",
        "public-health": "public-health",
        "research": "research",
    }
)

_ART10: Mapping[str, str] = MappingProxyType(
    {
        "official-authority": "official-authority",
        "authorised-by-law": "authorised-by-law",
        "authorized-by-law": "authorised-by-law",
    }
)

_ENUMS: Mapping[str, Mapping[str, str]] = MappingProxyType(
    {"basis": _BASIS, "right": _RIGHTS, "art9": _ART9, "art10": _ART10}
)

_TRANSFER_MECHANISMS: tuple[str, ...] = ("adequacy", "scc", "bcr", "derogation")

# Every pattern is ASCII-only: ``\d`` would accept Arabic-Indic digits and ``str.lower``
# would let odd Unicode through into keys the rest of pdlint compares literally.
_SEG = r"[a-z][a-z0-9_]*"
_CATEGORY_RE = re.compile(rf"(?:fides:)?{_SEG}(?:\.{_SEG})*(?:\.\*)?")
_KEBAB_SEG = r"[a-z][a-z0-9-]*"
_PURPOSE_RE = re.compile(rf"{_KEBAB_SEG}(?:\.{_KEBAB_SEG})*")
_FIDES_PURPOSE_RE = re.compile(rf"fides:{_SEG}(?:\.{_SEG})*")
_SUBJECT_RE = re.compile(_SEG)
_RULE_CODE_RE = re.compile(r"[A-Z]+[0-9]+")
_TRANSFER_RE = re.compile(r"([a-z]{2}):([a-z-]+)")

_UNITS = "h|d|w|mo|y"
_SIMPLE_DURATION_RE = re.compile(rf"[0-9]+(?:{_UNITS})")
_ACCOUNT_RE = re.compile(rf"account(?:\+[0-9]+(?:{_UNITS}))?")
_ISO_DURATION_RE = re.compile(
    r"P(?=[0-9]|T[0-9])(?:[0-9]+Y)?(?:[0-9]+M)?(?:[0-9]+W)?(?:[0-9]+D)?"
    r"(?:T(?=[0-9])(?:[0-9]+H)?(?:[0-9]+M)?(?:[0-9]+S)?)?"
)
_BARE_MINUTE_MONTH_RE = re.compile(r"((?:account\+)?[0-9]+)m")
_WORD_UNIT_RE = re.compile(
    r"((?:account\+)?[0-9]+)[ _-]?(hours?|hrs?|days?|weeks?|wks?|months?|mos|years?|yrs?)"
)
_WORD_UNITS: Mapping[str, str] = MappingProxyType(
    {
        "hour": "h",
        "hours": "h",
        "hr": "h",
        "hrs": "h",
        "day": "d",
        "days": "d",
        "week": "w",
        "weeks": "w",
        "wk": "w",
        "wks": "w",
        "month": "mo",
        "months": "mo",
        "mos": "mo",
        "year": "y",
        "years": "y",
        "yr": "y",
        "yrs": "y",
    }
)
_RETENTION_WORDS: frozenset[str] = frozenset({"session", "legal", "indefinite"})

# Longest excerpt of user text quoted in a message; longer text is cut with an ellipsis so a
# pasted blob cannot turn one finding into a screenful.
_MAX_SHOWN = 40
# Texts longer than this are never fed to difflib: suggestions are for typos, not essays.
_MAX_SUGGEST = 64


@dataclass(frozen=True)
class TagProblem:
    """One defect in a tag, reported as PDL102.

    Attributes:
        message: short human text naming the offending key or value.
        offset: 0-based character offset into the tag body where the bad item (or value)
            starts, so the finding's column can point at it.
        suggestion: the corrected spelling when one is obvious, for did-you-mean and fixes.
    """

    message: str
    offset: int
    suggestion: str | None = None


@dataclass(frozen=True)
class TagRecord:
    """One processing record: what a single tag line (or docstring section) declares.

    Only validated, normalised values are kept; anything rejected is reported as a
    :class:`TagProblem` instead, so rules reading a record never re-validate.

    Attributes:
        pairs: canonical key -> normalised values, keys in order of first appearance; a list
            key given several times has its values merged (de-duplicated, in order).  A bare
            category path appears under ``data``.  Keys whose every value was rejected are
            absent.
        flags: canonical flag names, in order of appearance, without duplicates.
    """

    pairs: tuple[tuple[str, tuple[str, ...]], ...] = ()
    flags: tuple[str, ...] = ()

    def get(self, key: str) -> tuple[str, ...]:
        """Values of ``key`` (case-insensitive, ``-``/``_`` alike), or ``()`` when absent."""
        wanted = _canonical_key(key) or key
        for name, values in self.pairs:
            if name == wanted:
                return values
        return ()

    def has(self, key: str) -> bool:
        """True when the record carries ``key`` as a pair, or ``key`` as a flag."""
        wanted = _canonical_key(key) or key
        if any(name == wanted for name, _ in self.pairs):
            return True
        return _FLAG_SPELLINGS.get(key.strip().lower().replace("_", "-"), key) in self.flags

    @property
    def categories(self) -> tuple[str, ...]:
        """Every category named by ``data``/``collects``/``uses``/``stores``/``shares``.

        As written (lower-cased), not resolved: resolution needs the project's custom
        categories, which only the caller knows.
        """
        seen: dict[str, None] = {}
        for name, values in self.pairs:
            if name in CATEGORY_KEYS:
                for value in values:
                    seen.setdefault(value, None)
        return tuple(seen)

    @property
    def is_none(self) -> bool:
        """True for ``# gdpr: none``: reviewed, no personal data here."""
        return "none" in self.flags


# --------------------------------------------------------------------------------------------
# Small helpers


def _show(text: str) -> str:
    """Quote user text for a message: printable, and short even for a pasted blob."""
    cleaned = "".join(ch if ch.isprintable() else f"\\x{ord(ch):02x}" for ch in text)
    if len(cleaned) > _MAX_SHOWN:
        cleaned = cleaned[: _MAX_SHOWN - 1] + "\u2026"
    return f"'{cleaned}'"


def _closest(word: str, candidates: Iterable[str], cutoff: float = 0.6) -> str | None:
    """difflib's best match, skipped for huge input (difflib is quadratic)."""
    if not word or len(word) > _MAX_SUGGEST:
        return None
    matches = difflib.get_close_matches(word, sorted(candidates), n=1, cutoff=cutoff)
    return matches[0] if matches else None


def _canonical_key(raw: str) -> str | None:
    """The grammar key for ``raw``: case-insensitive, with ``-``/``_`` ignored (``art_9``)."""
    norm = raw.strip().lower().replace("-", "_")
    if norm in KEYS:
        return norm
    squashed = norm.replace("_", "")
    return squashed if squashed in KEYS else None


def _flag(raw: str) -> str | None:
    return _FLAG_SPELLINGS.get(raw.strip().lower().replace("_", "-"))


def _with_suggestion(message: str, suggestion: str | None) -> str:
    return f"{message} (did you mean '{suggestion}'?)" if suggestion else message


# --------------------------------------------------------------------------------------------
# Tokenising


class _Token:
    """A whitespace-separated item with quotes removed and every character's origin kept.

    ``quoted[i]`` says whether ``text[i]`` came from inside double quotes: such characters
    never act as separators (``reason="a, b=c"``).  ``offsets[i]`` is its position in the
    body, used to point problems at the exact value.  Characters are collected in a list and
    joined on demand, so a megabyte-long token costs linear, not quadratic, time.
    """

    def __init__(self, start: int) -> None:
        self.start = start
        self.end = start
        self.chars: list[str] = []
        self.offsets: list[int] = []
        self.quoted: list[bool] = []
        self._text: str | None = None

    @property
    def text(self) -> str:
        if self._text is None:
            self._text = "".join(self.chars)
        return self._text

    def add(self, ch: str, offset: int, quoted: bool) -> None:
        self.chars.append(ch)
        self.offsets.append(offset)
        self.quoted.append(quoted)
        self._text = None

    def extend(self, other: _Token) -> None:
        self.chars.extend(other.chars)
        self.offsets.extend(other.offsets)
        self.quoted.extend(other.quoted)
        self.end = other.end
        self._text = None

    def find(self, ch: str, begin: int = 0) -> int:
        """Index of the first unquoted ``ch`` at or after ``begin``, or -1."""
        text = self.text
        index = text.find(ch, begin)
        while index != -1 and self.quoted[index]:
            index = text.find(ch, index + 1)
        return index

    def offset_at(self, index: int) -> int:
        """Body offset of character ``index``; past the end means just after the token."""
        if 0 <= index < len(self.offsets):
            return self.offsets[index]
        return self.end

    def starts_unquoted(self, ch: str) -> bool:
        return bool(self.chars) and self.chars[0] == ch and not self.quoted[0]

    def ends_unquoted(self, ch: str) -> bool:
        return bool(self.chars) and self.chars[-1] == ch and not self.quoted[-1]


def _tokenise(body: str, problems: list[TagProblem]) -> list[_Token]:
    """Split on unquoted whitespace; ``"…"`` groups and may hold ``\\"`` and ``\\\\``."""
    tokens: list[_Token] = []
    current: _Token | None = None
    index = 0
    length = len(body)
    while index < length:
        ch = body[index]
        if ch.isspace():
            if current is not None:
                current.end = index
                tokens.append(current)
                current = None
            index += 1
            continue
        if current is None:
            current = _Token(start=index)
        if ch != '"':
            current.add(ch, index, False)
            index += 1
            continue
        quote_at = index
        index += 1
        closed = False
        while index < length:
            ch = body[index]
            if ch == "\\" and index + 1 < length and body[index + 1] in '"\\':
                current.add(body[index + 1], index + 1, True)
                index += 2
                continue
            if ch == '"':
                closed = True
                index += 1
                break
            current.add(ch, index, True)
            index += 1
        if not closed:
            problems.append(TagProblem("unbalanced quote: missing closing '\"'", quote_at))
    if current is not None:
        current.end = length
        tokens.append(current)
    return tokens


def _glue(tokens: list[_Token], problems: list[TagProblem]) -> list[_Token]:
    """Undo splits the grammar forgives.

    ``collects=a, b`` (a token ending in a comma joins the next), ``a ,b`` (a token starting
    with a comma joins the previous), and ``key = value`` / ``key =value`` (reported, since it
    is not the documented syntax, but still understood so the record is not lost).
    """
    glued: list[_Token] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        index += 1
        if glued and token.starts_unquoted(","):
            glued[-1].extend(token)
            token = glued.pop()
        if (
            index < len(tokens)
            and tokens[index].starts_unquoted("=")
            and token.find("=") == -1
            and _canonical_key(token.text) is not None
        ):
            problems.append(
                TagProblem(
                    f"no spaces around '=' after {_show(token.text)}",
                    tokens[index].start,
                )
            )
            equals = tokens[index]
            token.extend(equals)
            index += 1
            if equals.text == "=" and index < len(tokens) and tokens[index].find("=") == -1:
                token.extend(tokens[index])
                index += 1
        while token.ends_unquoted(",") and index < len(tokens):
            token.extend(tokens[index])
            index += 1
        glued.append(token)
    return glued


def _split_values(token: _Token, begin: int) -> list[tuple[str, int]]:
    """Comma-separated values of ``token.text[begin:]`` with their body offsets."""
    values: list[tuple[str, int]] = []
    start = begin
    while True:
        comma = token.find(",", start)
        stop = len(token.text) if comma == -1 else comma
        values.append((token.text[start:stop], token.offset_at(start)))
        if comma == -1:
            return values
        start = comma + 1


# --------------------------------------------------------------------------------------------
# Value validation.  Each returns (normalised value or None, problem or None).

_Checked = tuple[str | None, TagProblem | None]


def _check_category(value: str, offset: int, key: str) -> _Checked:
    norm = value.strip().lower().replace("-", "_")
    if _CATEGORY_RE.fullmatch(norm):
        return norm, None
    return None, TagProblem(
        f"bad category path {_show(value)} in '{key}' "
        "(expected lower-case dotted words such as contact.email)",
        offset,
    )


def _check_enum(value: str, offset: int, key: str) -> _Checked:
    table = _ENUMS[key]
    norm = value.strip().lower().replace("_", "-")
    canonical = table.get(norm)
    if canonical is not None:
        return canonical, None
    match = _closest(norm, table)
    suggestion = table[match] if match else None
    return None, TagProblem(
        _with_suggestion(f"unknown {key} {_show(value)}", suggestion), offset, suggestion
    )


def _check_retention(value: str, offset: int) -> _Checked:
    text = value.strip()
    lower = text.lower()
    if (
        lower in _RETENTION_WORDS
        or _SIMPLE_DURATION_RE.fullmatch(lower)
        or _ACCOUNT_RE.fullmatch(lower)
    ):
        return lower, None
    upper = text.upper()
    if _ISO_DURATION_RE.fullmatch(upper):
        return upper, None
    minute_month = _BARE_MINUTE_MONTH_RE.fullmatch(lower)
    if minute_month:
        suggestion = minute_month.group(1) + "mo"
        return None, TagProblem(
            f"ambiguous duration {_show(value)}: 'm' could be minutes or months; "
            "use 'mo' for months",
            offset,
            suggestion,
        )
    word_unit = _WORD_UNIT_RE.fullmatch(lower)
    if word_unit:
        suggestion = word_unit.group(1) + _WORD_UNITS[word_unit.group(2)]
        return None, TagProblem(
            _with_suggestion(f"bad duration {_show(value)}", suggestion), offset, suggestion
        )
    if lower.isascii() and lower.isdigit():
        return None, TagProblem(
            f"bad duration {_show(value)}: missing unit (h, d, w, mo or y)", offset
        )
    suggestion = _closest(lower, ("session", "account", "legal", "indefinite"), cutoff=0.75)
    return None, TagProblem(
        _with_suggestion(
            f"bad duration {_show(value)} (expected e.g. 30d, 6mo, 2y, P90D, session, "
            "account+30d, legal, indefinite)",
            suggestion,
        ),
        offset,
        suggestion,
    )


def _check_transfer(value: str, offset: int) -> _Checked:
    norm = value.strip().lower().replace("_", "-")
    match = _TRANSFER_RE.fullmatch(norm)
    expected = "expected <country>:<adequacy|scc|bcr|derogation>, e.g. us:scc"
    if not match:
        return None, TagProblem(f"bad transfer {_show(value)} ({expected})", offset)
    country, mechanism = match.groups()
    if mechanism in _TRANSFER_MECHANISMS:
        return norm, None
    close = _closest(mechanism, _TRANSFER_MECHANISMS)
    suggestion = f"{country}:{close}" if close else None
    return None, TagProblem(
        _with_suggestion(f"unknown transfer mechanism {_show(mechanism)}", suggestion),
        offset,
        suggestion,
    )


def _check_purpose(value: str, offset: int) -> _Checked:
    stripped = value.strip().lower()
    if stripped.startswith(taxonomy.FIDES_PREFIX):
        norm = stripped.replace("-", "_")
        if _FIDES_PURPOSE_RE.fullmatch(norm):
            return norm, None
    else:
        norm = stripped.replace("_", "-")
        if _PURPOSE_RE.fullmatch(norm):
            return norm, None
    return None, TagProblem(
        f"bad purpose {_show(value)} (expected kebab words such as marketing.email)", offset
    )


def _check_subject(value: str, offset: int) -> _Checked:
    norm = value.strip().lower().replace("-", "_")
    if _SUBJECT_RE.fullmatch(norm):
        return norm, None
    return None, TagProblem(
        f"bad subject {_show(value)} (expected a word such as customer)", offset
    )


def _check_rule_code(value: str, offset: int) -> _Checked:
    norm = value.strip().upper()
    if _RULE_CODE_RE.fullmatch(norm):
        return norm, None
    return None, TagProblem(f"bad rule code {_show(value)} in 'ignore' (e.g. PDL201)", offset)


def _check_value(key: str, value: str, offset: int) -> _Checked:
    """Validate and normalise one value of ``key`` (not empty; checked by the caller)."""
    if key in CATEGORY_KEYS:
        return _check_category(value, offset, key)
    if key in _ENUMS:
        return _check_enum(value, offset, key)
    if key == "retention":
        return _check_retention(value, offset)
    if key == "transfer":
        return _check_transfer(value, offset)
    if key == "purpose":
        return _check_purpose(value, offset)
    if key == "subject":
        return _check_subject(value, offset)
    if key == "ignore":
        return _check_rule_code(value, offset)
    if key in ("to", "consent"):
        return value.strip().lower(), None
    return value.strip(), None  # reason, id, tests: free text kept as written


# --------------------------------------------------------------------------------------------
# Records


class _Builder:
    """Accumulates pairs in first-appearance order, merging list keys, refusing scalar repeats."""

    def __init__(self) -> None:
        # Dicts as ordered sets: de-duplication stays linear however long the list.
        self.pairs: dict[str, dict[str, None]] = {}
        self.flags: list[str] = []
        self.scalars_seen: set[str] = set()

    def add(self, key: str, value: str) -> None:
        self.pairs.setdefault(key, {})[value] = None

    def add_flag(self, flag: str) -> None:
        if flag not in self.flags:
            self.flags.append(flag)

    def record(self) -> TagRecord:
        return TagRecord(
            pairs=tuple((key, tuple(values)) for key, values in self.pairs.items() if values),
            flags=tuple(self.flags),
        )


def _parse_pair(token: _Token, equals: int, builder: _Builder, problems: list[TagProblem]) -> None:
    raw_key = token.text[:equals]
    if not raw_key.strip():
        problems.append(
            TagProblem(f"stray '=' in {_show(token.text)}: no key before it", token.start)
        )
        return
    key = _canonical_key(raw_key)
    if key is None:
        suggestion = _closest(raw_key.strip().lower().replace("-", "_"), KEYS)
        problems.append(
            TagProblem(
                _with_suggestion(f"unknown key {_show(raw_key)}", suggestion),
                token.start,
                suggestion,
            )
        )
        return
    if key in SCALAR_KEYS:
        if key in builder.scalars_seen:
            problems.append(TagProblem(f"'{key}' given twice", token.start))
            return
        builder.scalars_seen.add(key)
    value_start = equals + 1
    if value_start >= len(token.text):
        problems.append(TagProblem(f"empty value for '{key}'", token.start))
        return
    if key == "reason":
        # Free text: commas belong to the sentence, not to a list.
        text = token.text[value_start:].strip()
        if text:
            builder.add(key, text)
        else:
            problems.append(TagProblem("empty value for 'reason'", token.offset_at(value_start)))
        return
    accepted = 0
    for value, offset in _split_values(token, value_start):
        if not value.strip():
            problems.append(TagProblem(f"empty value in '{key}'", offset))
            continue
        if key in SCALAR_KEYS and accepted:
            problems.append(TagProblem(f"'{key}' takes a single value", offset))
            break
        normalised, problem = _check_value(key, value, offset)
        if problem is not None:
            problems.append(problem)
        if normalised is not None:
            builder.add(key, normalised)
            accepted += 1
    builder.pairs.setdefault(key, {})  # keeps first-appearance order even if all rejected


def _parse_bare(token: _Token, builder: _Builder, problems: list[TagProblem]) -> None:
    text = token.text
    flag = _flag(text)
    if flag is not None:
        builder.add_flag(flag)
        return
    key = _canonical_key(text)
    if key is not None:
        problems.append(TagProblem(f"'{key}' needs a value: write {key}=…", token.start, f"{key}="))
        return
    if token.find(",") != -1:
        for value, offset in _split_values(token, 0):
            if not value.strip():
                problems.append(TagProblem("empty value in category list", offset))
                continue
            normalised, problem = _check_category(value, offset, "data")
            if problem is not None:
                problems.append(problem)
            if normalised is not None:
                builder.add("data", normalised)
        return
    norm = text.strip().lower().replace("-", "_")
    if _CATEGORY_RE.fullmatch(norm):
        # A one-word path that is no known category but nearly a flag is a misspelt flag
        # (``encypted``); reporting it as an unknown category would hide the real mistake.
        if "." not in norm and taxonomy.resolve_category(norm) is None:
            near_flag = _closest(norm.replace("_", "-"), _FLAG_SPELLINGS, cutoff=0.75)
            if near_flag is not None:
                flag_name = _FLAG_SPELLINGS[near_flag]
                problems.append(
                    TagProblem(
                        _with_suggestion(f"unknown item {_show(text)}", flag_name),
                        token.start,
                        flag_name,
                    )
                )
                return
        builder.add("data", norm)
        return
    if "." in text and "=" not in text:
        problems.append(
            TagProblem(
                f"bad category path {_show(text)} "
                "(expected lower-case dotted words such as contact.email)",
                token.start,
            )
        )
        return
    near = _closest(text.lower().replace("_", "-"), _FLAG_SPELLINGS)
    suggestion = _FLAG_SPELLINGS[near] if near else None
    problems.append(
        TagProblem(
            _with_suggestion(f"unknown item {_show(text)}", suggestion), token.start, suggestion
        )
    )


def parse_tag(body: str) -> tuple[TagRecord, tuple[TagProblem, ...]]:
    """Parse one record from a tag body (the text after ``gdpr:``).

    Returns the record of everything that validated plus the problems found, in body order
    of discovery.  Never raises, whatever the input (unbalanced quotes, NUL, huge strings,
    any Unicode): a tag is untrusted text and a parse failure must become a finding.
    """
    problems: list[TagProblem] = []
    builder = _Builder()
    if not isinstance(body, str) or not body.strip():
        problems.append(TagProblem("empty tag: expected key=value items or a flag", 0))
        return builder.record(), tuple(problems)
    for token in _glue(_tokenise(body, problems), problems):
        if not token.text:
            problems.append(TagProblem("empty item '\"\"'", token.start))
            continue
        equals = token.find("=")
        if equals == -1:
            _parse_bare(token, builder, problems)
        else:
            _parse_pair(token, equals, builder, problems)
    return builder.record(), tuple(problems)


# --------------------------------------------------------------------------------------------
# Comments

# ``#``, optional spaces, the prefix, optional spaces, ``:``, optional spaces (EBNF of §1.6).
# Only ``gdpr`` is a tag prefix: ``# pdlint: …`` is the suppression syntax, kept separate.
_COMMENT_RE = re.compile(r"\s*#[ \t]*gdpr[ \t]*:[ \t]*", re.IGNORECASE)


def _comment_split(comment: str) -> tuple[int, str] | None:
    if not isinstance(comment, str):
        return None
    match = _COMMENT_RE.match(comment)
    if match is None:
        return None
    start = match.end()
    body = comment[start:]
    # A second comment after the tag (``# gdpr: contact.email  # type: ignore``) is not part
    # of the record; a ``#`` inside double quotes is.
    in_quotes = False
    for index, ch in enumerate(body):
        if ch == '"':
            in_quotes = not in_quotes
        elif ch == "#" and not in_quotes and index > 0 and body[index - 1].isspace():
            body = body[:index]
            break
    return start, body.rstrip()


def comment_tag_body(comment: str) -> str | None:
    """The body of a ``# gdpr: …`` comment, or ``None`` when the comment is not a tag.

    The prefix is case-insensitive and may have spaces around its colon (``#  GDPR : x``);
    a following comment (``  # type: ignore``) is cut off.  ``# gdpr`` without a colon, ``# not
    gdpr: x`` and ``# pdlint: ignore[…]`` are not tags.  ``# gdpr:`` alone gives ``""``,
    which :func:`parse_tag` reports as an empty tag.
    """
    split = _comment_split(comment)
    return None if split is None else split[1]


def comment_tag_offset(comment: str) -> int | None:
    """0-based offset of the body inside the comment text, to turn body offsets into columns."""
    split = _comment_split(comment)
    return None if split is None else split[0]


# --------------------------------------------------------------------------------------------
# Docstrings


@dataclass(frozen=True)
class DocstringTag:
    """A record found in a docstring.

    Attributes:
        line_offset: 0-based line inside the docstring's raw text where the record starts.
        column: 0-based column of the body on that line (of the first item for a section).
        body: the record in comment grammar; a Google/NumPy section is rebuilt as
            ``k=v k=v …`` so one parser serves every form.
        record: the parsed record.
        problems: problems with offsets into ``body``; use :meth:`locate` to place them.
        segments: ``(body_offset, line_offset, column)`` anchors, ascending, mapping pieces of
            ``body`` back to the docstring (several for sections and wrapped fields).
    """

    line_offset: int
    column: int
    body: str
    record: TagRecord
    problems: tuple[TagProblem, ...]
    segments: tuple[tuple[int, int, int], ...] = ()

    def locate(self, offset: int) -> tuple[int, int]:
        """``(line_offset, column)`` in the docstring of ``body[offset]``.

        A rebuilt section body is not a substring of the docstring, so a problem offset
        alone cannot be turned into a position; the anchors can.
        """
        line, column, base = self.line_offset, self.column, 0
        for body_offset, seg_line, seg_column in self.segments:
            if body_offset > offset:
                break
            line, column, base = seg_line, seg_column, body_offset
        return line, column + max(0, offset - base)


_LINE_BREAK_RE = re.compile(r"\r\n|\r|\n")
_DOC_FIELD_RE = re.compile(r"(\s*):gdpr:[ \t]*(.*)", re.IGNORECASE)
_DOC_LINE_RE = re.compile(r"(\s*)gdpr[ \t]*:(?!:)[ \t]*(.*)", re.IGNORECASE)
_DOC_SECTION_RE = re.compile(r"(\s*)(?:gdpr|personal[ \t]+data)[ \t]*:[ \t]*", re.IGNORECASE)
_NUMPY_HEADER_RE = re.compile(r"(\s*)gdpr[ \t]*", re.IGNORECASE)
_NUMPY_RULE_RE = re.compile(r"\s*-{3,}\s*")
_SECTION_ITEM_RE = re.compile(r"(\s*)([A-Za-z][A-Za-z0-9_-]*)[ \t]*:(?!:)[ \t]*(.*)")
# Two words separated by blanks only (not ``a, b``): such a value must be quoted when a
# section line is rebuilt into comment grammar, or its second word would become an item.
_NEEDS_QUOTES_RE = re.compile(r"[^,\s]\s+[^,\s]")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _is_tag_line(line: str) -> bool:
    return bool(_DOC_FIELD_RE.fullmatch(line) or _DOC_LINE_RE.fullmatch(line))


def _looks_like_record(body: str, custom: Iterable[str]) -> bool:
    """Prose guard for ``GDPR: <body>`` lines.

    A docstring may say ``GDPR: this function deletes users.``; that is prose, not a tag.
    A body counts as a record when it has a ``=``, or when every word is a flag, a category
    that resolves (aliases and custom keys included), or a well-formed dotted path
    (``contact.emial`` is clearly meant as a tag; PDL103 will then report the typo).
    """
    if "=" in body:
        return True
    words = [word for word in re.split(r"[\s,]+", body.strip()) if word]
    if not words:
        return False
    for word in words:
        if _flag(word) is not None:
            continue
        if taxonomy.resolve_category(word, custom) is not None:
            continue
        if "." in word and _CATEGORY_RE.fullmatch(word):
            continue
        return False
    return True


def _make_tag(
    line: int, column: int, body: str, segments: tuple[tuple[int, int, int], ...]
) -> DocstringTag:
    record, problems = parse_tag(body)
    return DocstringTag(line, column, body, record, problems, segments)


class _BodyBuilder:
    """Joins pieces of docstring text with single spaces, remembering where each came from."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.segments: list[tuple[int, int, int]] = []

    @property
    def text(self) -> str:
        return "".join(self.parts)

    def raw(self, text: str) -> None:
        """Append text that has no counterpart in the docstring (a quote, say)."""
        self.parts.append(text)
        self.length += len(text)

    def add(self, text: str, line: int, column: int, *, space: bool = True) -> None:
        if self.length and space:
            self.raw(" ")
        self.segments.append((self.length, line, column))
        self.raw(text)


def _section_body(lines: list[str], items: list[int]) -> _BodyBuilder:
    """Rebuild section lines (``key: value``, bare flags, continuations) as ``k=v k=v``."""
    builder = _BodyBuilder()
    item_indent = _indent(lines[items[0]])
    # Each entry: (key, key line, key column, [(value text, line, column), …]) or a raw line.
    entries: list[tuple[str | None, int, int, list[tuple[str, int, int]]]] = []
    for number in items:
        line = lines[number]
        stripped = line.strip()
        column = _indent(line)
        if column > item_indent and entries:
            entries[-1][3].append((stripped, number, column))
            continue
        match = _SECTION_ITEM_RE.fullmatch(line)
        if match and match.group(2).lower() != "fides":
            value = match.group(3).rstrip()
            pieces = [(value, number, match.start(3))] if value else []
            entries.append((match.group(2), number, match.start(2), pieces))
        else:
            entries.append((None, number, column, [(stripped, number, column)]))
    for key, number, column, pieces in entries:
        if key is None:
            for text, piece_line, piece_column in pieces:
                builder.add(text, piece_line, piece_column)
            continue
        builder.add(key + "=", number, column)
        value = " ".join(text for text, _, _ in pieces)
        already_quoted = len(value) >= 2 and value[0] == value[-1] == '"'
        quote = not already_quoted and bool(_NEEDS_QUOTES_RE.search(value))
        if quote:
            builder.raw('"')
        for position, (text, piece_line, piece_column) in enumerate(pieces):
            if quote:
                text = text.replace("\\", "\\\\").replace('"', '\\"')
            builder.add(text, piece_line, piece_column, space=position > 0)
        if quote:
            builder.raw('"')
    return builder


def docstring_tags(text: str, custom: Iterable[str] = ()) -> tuple[DocstringTag, ...]:
    """Find the records in a docstring's raw text (what stands between the quotes).

    Recognised, each case-insensitive and allowing leading whitespace:

    * ``GDPR: <body>`` — one line, one record, unless the body is prose (see below);
    * ``:gdpr: <body>`` — a reST field (Sphinx renders it as a field list); more-indented
      lines right after it continue the field, as reST allows;
    * a Google/Napoleon section: ``GDPR:`` (or ``Personal data:``) alone on a line, then
      more-indented ``key: value`` lines (values comma-separated, bare flags allowed) up to a
      blank line or dedent — one section, one record;
    * a NumPy section: ``GDPR`` over a ``----`` rule, then ``key : value`` lines up to a blank
      line.

    A ``GDPR: <body>`` line whose body has no ``=`` and whose words are not all flags or
    category paths is prose (``GDPR: This function deletes users.``) and is ignored.
    ``custom`` lists project categories, so that ``GDPR: custom.loyalty_id`` is not prose.
    Never raises.
    """
    if not isinstance(text, str):
        return ()
    custom = tuple(custom)
    lines = _LINE_BREAK_RE.split(text)
    # The first line sits right after the opening quotes, so its raw indent says nothing;
    # like ``inspect.cleandoc``, give it the common margin of the other lines instead.
    margin = min((_indent(line) for line in lines[1:] if line.strip()), default=0)

    def indent_of(number: int) -> int:
        return margin if number == 0 else _indent(lines[number])

    found: list[DocstringTag] = []
    number = 0
    while number < len(lines):
        line = lines[number]
        field_match = _DOC_FIELD_RE.fullmatch(line)
        if field_match:
            indent = indent_of(number)
            builder = _BodyBuilder()
            body = field_match.group(2).rstrip()
            if body:
                builder.add(body, number, field_match.start(2))
            field_line, field_column = number, field_match.start(2)
            number += 1
            while (
                number < len(lines)
                and lines[number].strip()
                and _indent(lines[number]) > indent
                and not _is_tag_line(lines[number])
            ):
                builder.add(lines[number].strip(), number, _indent(lines[number]))
                number += 1
            if not builder.segments:
                builder.add("", field_line, field_column)
            first = builder.segments[0]
            found.append(_make_tag(first[1], first[2], builder.text, tuple(builder.segments)))
            continue
        section_match = _DOC_SECTION_RE.fullmatch(line)
        if section_match:
            indent = indent_of(number)
            items: list[int] = []
            following = number + 1
            while (
                following < len(lines)
                and lines[following].strip()
                and _indent(lines[following]) > indent
            ):
                items.append(following)
                following += 1
            if items:
                builder = _section_body(lines, items)
                first = builder.segments[0]
                found.append(_make_tag(first[1], first[2], builder.text, tuple(builder.segments)))
            elif line.strip().lower().startswith("gdpr"):
                found.append(_make_tag(number, len(line), "", ((0, number, len(line)),)))
            number = following
            continue
        line_match = _DOC_LINE_RE.fullmatch(line)
        if line_match:
            body = line_match.group(2).rstrip()
            if _looks_like_record(body, custom):
                column = line_match.start(2)
                found.append(_make_tag(number, column, body, ((0, number, column),)))
            number += 1
            continue
        numpy_match = _NUMPY_HEADER_RE.fullmatch(line)
        if numpy_match and number + 1 < len(lines) and _NUMPY_RULE_RE.fullmatch(lines[number + 1]):
            indent = indent_of(number)
            items = []
            following = number + 2
            while (
                following < len(lines)
                and lines[following].strip()
                and _indent(lines[following]) >= indent
            ):
                items.append(following)
                following += 1
            if items:
                builder = _section_body(lines, items)
                first = builder.segments[0]
                found.append(_make_tag(first[1], first[2], builder.text, tuple(builder.segments)))
            else:
                column = len(lines[number + 1])
                found.append(_make_tag(number + 1, column, "", ((0, number + 1, column),)))
            number = following
            continue
        number += 1
    return tuple(found)
