"""The pdlint data-category taxonomy, kept as plain data.

Every finding, tag check and inventory row speaks in these keys, so they live in one table
that rules can query without knowing how the hierarchy is spelt.  The design choices (see
``shared/design/tags.md`` and ``domain.md`` §1.4) that shape this module:

* keys are lower-case dotted paths and a parent covers its children, so "is this declared?"
  and "is this Art. 9 data?" are prefix tests rather than lookups in ad-hoc lists;
* ``special.*`` mirrors GDPR Art. 9 and ``criminal.*`` mirrors Art. 10 exactly, so the rule
  demanding an ``art9=`` / ``art10=`` condition needs nothing but the root;
* every key maps to one fideslang 3.x data category so the inventory can be exported to fides
  tooling without a second hand-maintained table;
* developers type tags by hand, so common short names (``email``, ``dob``, ``ssn``) are
  accepted as aliases, and unknown names get a did-you-mean rather than a bare error.

Project-defined categories (``[tool.pdlint.categories]``) are not stored here: callers pass
them in as ``custom`` so that this module stays free of configuration state.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

__all__ = [
    "ALIASES",
    "CATEGORIES",
    "ROOTS",
    "SEVERITIES",
    "CategoryInfo",
    "covers",
    "fides_key",
    "is_criminal",
    "is_special",
    "parent_chain",
    "resolve_category",
    "severity_of",
    "suggest_category",
]

#: Severity levels, most to least severe; ``secret`` is a separate axis (credentials are a
#: security problem before they are a privacy one) and therefore comes last.
SEVERITIES: tuple[str, ...] = ("special", "high", "medium", "low", "pseudonymous", "secret")

#: Prefix that marks a raw fideslang key written in a tag (``collects=fides:user.contact.email``).
FIDES_PREFIX = "fides:"

#: Severity of anything the taxonomy does not know (custom keys, raw fides keys): "medium" is
#: the neutral middle, so an unknown category is neither silenced nor escalated.
DEFAULT_SEVERITY = "medium"


@dataclass(frozen=True)
class CategoryInfo:
    """One node of the taxonomy.

    Attributes:
        key: canonical dotted pdlint key, e.g. ``"contact.email"``.
        fides: the fideslang 3.x data category used when exporting the inventory.
        severity: default severity of findings about this data (one of :data:`SEVERITIES`);
            configuration may override it, which is why it is data and not code.
        description: short human text for reports and docs.
    """

    key: str
    fides: str
    severity: str
    description: str


# (key, fideslang key, severity, description).  Roots come first within their group so that
# reverse fides lookups prefer the general key when several share one fideslang key.
_TABLE: tuple[tuple[str, str, str, str], ...] = (
    # identity ---------------------------------------------------------------------------
    ("identity", "user", "medium", "Who the person is: names, demographics, likeness"),
    ("identity.name", "user.name", "medium", "Real name of the person"),
    ("identity.name.first", "user.name.first", "medium", "First / given name"),
    ("identity.name.last", "user.name.last", "medium", "Last / family name"),
    ("identity.username", "user.account.username", "low", "Username or handle"),
    ("identity.birth_date", "user.demographic.date_of_birth", "medium", "Date of birth"),
    ("identity.age", "user.demographic.age_range", "low", "Age or age range"),
    ("identity.gender", "user.demographic.gender", "low", "Gender or sex"),
    ("identity.nationality", "user.demographic", "low", "Nationality or citizenship"),
    ("identity.language", "user.demographic.language", "low", "Spoken language or locale"),
    ("identity.marital", "user.demographic.marital_status", "low", "Marital status"),
    ("identity.photo", "user.content.self_image", "medium", "Photo or avatar of the person"),
    ("identity.signature", "user.content.signature", "medium", "Handwritten or drawn signature"),
    # contact ----------------------------------------------------------------------------
    ("contact", "user.contact", "medium", "Ways to reach the person"),
    ("contact.email", "user.contact.email", "medium", "Email address"),
    ("contact.phone", "user.contact.phone_number", "medium", "Phone or mobile number"),
    ("contact.fax", "user.contact.fax_number", "low", "Fax number"),
    ("contact.address", "user.contact.address", "medium", "Postal address"),
    ("contact.address.street", "user.contact.address.street", "medium", "Street address"),
    ("contact.address.city", "user.contact.address.city", "low", "City"),
    ("contact.address.postal_code", "user.contact.address.postal_code", "low", "Postal code"),
    ("contact.address.state", "user.contact.address.state", "low", "State or region"),
    ("contact.address.country", "user.contact.address.country", "low", "Country"),
    ("contact.url", "user.contact.url", "low", "Personal website or social profile link"),
    # gov --------------------------------------------------------------------------------
    ("gov", "user.government_id", "high", "Government-issued identifiers"),
    (
        "gov.national_id",
        "user.government_id.national_identification_number",
        "high",
        "National identification / social security number",
    ),
    (
        "gov.tax_id",
        "user.government_id.national_identification_number",
        "high",
        "Tax identification number",
    ),
    ("gov.passport", "user.government_id.passport_number", "high", "Passport number"),
    (
        "gov.driver_license",
        "user.government_id.drivers_license_number",
        "high",
        "Driving licence number",
    ),
    (
        "gov.vehicle",
        "user.government_id.vehicle_registration",
        "medium",
        "Licence plate or vehicle registration",
    ),
    ("gov.immigration", "user.government_id.immigration", "high", "Visa or residency status"),
    (
        "gov.birth_certificate",
        "user.government_id.birth_certificate",
        "high",
        "Birth certificate data",
    ),
    # financial --------------------------------------------------------------------------
    ("financial", "user.financial", "high", "Money matters of the person"),
    ("financial.card", "user.financial.credit_card", "high", "Payment card number (PAN)"),
    ("financial.bank", "user.financial.bank_account", "high", "Bank account / IBAN"),
    ("financial.payment", "user.payment", "medium", "Payment records and transactions"),
    ("financial.income", "user.financial", "medium", "Salary or income"),
    ("financial.credit", "user.financial", "high", "Credit score or creditworthiness"),
    ("financial.crypto", "user.financial", "medium", "Cryptocurrency wallet"),
    # online -----------------------------------------------------------------------------
    ("online", "user.device", "medium", "Online and device identifiers"),
    ("online.ip", "user.device.ip_address", "medium", "IP address"),
    ("online.device_id", "user.device.device_id", "medium", "Device / advertising identifier"),
    ("online.cookie_id", "user.device.cookie_id", "low", "Cookie identifier"),
    ("online.session_id", "user.unique_id.pseudonymous", "low", "Session identifier"),
    ("online.user_agent", "user.device", "low", "Browser user agent"),
    # location ---------------------------------------------------------------------------
    ("location", "user.location", "medium", "Where the person is"),
    ("location.precise", "user.location.precise", "high", "Precise location (GPS, lat/lng)"),
    ("location.coarse", "user.location.imprecise", "low", "Coarse location (city, GeoIP)"),
    # account ----------------------------------------------------------------------------
    ("account", "user.account", "low", "The person's account with the system"),
    (
        "account.id",
        "user.unique_id.pseudonymous",
        "pseudonymous",
        "Internal user id (pseudonymous: never a leak finding on its own)",
    ),
    ("account.settings", "user.account.settings", "low", "Account settings and preferences"),
    ("account.privacy", "user.privacy_preferences", "low", "Privacy choices and consent records"),
    (
        "account.credentials",
        "user.authorization.credentials",
        "secret",
        "Passwords, tokens, MFA secrets",
    ),
    ("account.permissions", "user.authorization", "low", "Roles and permissions"),
    # behavior ---------------------------------------------------------------------------
    ("behavior", "user.behavior", "medium", "What the person does"),
    ("behavior.browsing", "user.behavior.browsing_history", "medium", "Browsing history"),
    ("behavior.search", "user.behavior.search_history", "medium", "Search history"),
    ("behavior.purchase", "user.behavior.purchase_history", "medium", "Purchase history"),
    ("behavior.media", "user.behavior.media_consumption", "medium", "Media consumption"),
    ("behavior.events", "user.telemetry", "low", "Telemetry and product analytics events"),
    # content ----------------------------------------------------------------------------
    ("content", "user.content", "medium", "Content created by the person"),
    ("content.private", "user.content.private", "medium", "Private messages and uploads"),
    ("content.public", "user.content.public", "low", "Public posts and reviews"),
    # employment -------------------------------------------------------------------------
    ("employment", "user", "low", "Professional data"),
    ("employment.title", "user.job_title", "low", "Job title"),
    ("employment.employer", "user.workplace", "low", "Employer or workplace"),
    # special (Art. 9) -------------------------------------------------------------------
    ("special", "user", "special", "Special categories of personal data (GDPR Art. 9)"),
    (
        "special.racial_ethnic",
        "user.demographic.race_ethnicity",
        "special",
        "Racial or ethnic origin",
    ),
    ("special.political", "user.demographic.political_opinion", "special", "Political opinions"),
    (
        "special.religious",
        "user.demographic.religious_belief",
        "special",
        "Religious or philosophical beliefs",
    ),
    (
        "special.trade_union",
        "user.demographic.trade_union_membership",
        "special",
        "Trade union membership",
    ),
    ("special.genetic", "user.health_and_medical.genetic", "special", "Genetic data"),
    ("special.biometric", "user.biometric", "special", "Biometric data used to identify"),
    ("special.health", "user.health_and_medical", "special", "Health and medical data"),
    (
        "special.sex_life",
        "user.demographic.sexual_orientation",
        "special",
        "Sex life or sexual orientation",
    ),
    # criminal (Art. 10) -----------------------------------------------------------------
    ("criminal", "user.criminal_history", "special", "Criminal convictions and offences (Art. 10)"),
    ("criminal.record", "user.criminal_history", "special", "Criminal record or conviction"),
)

CATEGORIES: Mapping[str, CategoryInfo] = MappingProxyType(
    {key: CategoryInfo(key, fides, sev, desc) for key, fides, sev, desc in _TABLE}
)
"""Every canonical key (roots included) -> its :class:`CategoryInfo`, in table order."""

ROOTS: tuple[str, ...] = tuple(key for key in CATEGORIES if "." not in key)
"""The twelve top-level keys, in table order."""

# alias -> canonical key.  Short names people actually type in tags (domain.md §1.4), plus
# spellings of canonical keys that an earlier draft used (``identity.dob``) or that fideslang
# has as a separate node (``online.cookie``), so old tags keep resolving.
_ALIAS_TABLE: dict[str, tuple[str, ...]] = {
    "identity.name": ("name", "full_name"),
    "identity.name.first": ("first_name",),
    "identity.name.last": ("last_name",),
    "identity.username": ("username",),
    "identity.birth_date": ("dob", "birthdate", "birth_date", "date_of_birth", "identity.dob"),
    "identity.age": ("age",),
    "identity.gender": ("gender", "sex"),
    "identity.nationality": ("nationality",),
    "identity.language": ("language", "locale"),
    "identity.marital": ("marital_status",),
    "identity.photo": ("photo", "avatar"),
    "identity.signature": ("signature",),
    "contact.email": ("email",),
    "contact.phone": ("phone", "mobile"),
    "contact.fax": ("fax",),
    "contact.address": ("address",),
    "contact.address.postal_code": ("zip", "postcode", "postal_code"),
    "contact.url": ("website", "social_handle"),
    "gov.national_id": ("ssn", "nin", "national_id"),
    "gov.tax_id": ("tax_id", "tin"),
    "gov.passport": ("passport",),
    "gov.driver_license": ("driver_license",),
    "gov.vehicle": ("license_plate",),
    "gov.immigration": ("visa_status",),
    "financial.card": ("card", "pan"),
    "financial.bank": ("iban", "bank_account"),
    "financial.payment": ("payment",),
    "financial.income": ("salary", "income"),
    "financial.credit": ("credit_score",),
    "financial.crypto": ("wallet",),
    "online.ip": ("ip",),
    "online.device_id": ("device_id", "idfa", "mac"),
    "online.cookie_id": ("cookie", "online.cookie"),
    "online.session_id": ("session",),
    "online.user_agent": ("user_agent",),
    "location.precise": ("gps", "latlng"),
    "location.coarse": ("geoip", "city_level"),
    "account.id": ("user_id", "uid"),
    "account.settings": ("preferences",),
    "account.privacy": ("consent_record",),
    "account.credentials": ("password", "token", "mfa"),
    "account.permissions": ("role",),
    "behavior.browsing": ("history",),
    "behavior.events": ("telemetry", "events"),
    "content.private": ("messages", "uploads"),
    "content.public": ("posts", "reviews"),
    "employment.title": ("job_title",),
    "employment.employer": ("employer",),
    "special.racial_ethnic": ("race", "ethnicity"),
    "special.political": ("political",),
    "special.religious": ("religion", "belief"),
    "special.trade_union": ("union",),
    "special.genetic": ("genetic", "dna"),
    "special.biometric": ("biometric", "face", "fingerprint"),
    "special.health": ("health", "medical"),
    "special.sex_life": ("sexual_orientation",),
    # ``criminal`` (an alias in domain.md) is the root itself, which covers the record anyway.
    "criminal.record": ("conviction",),
}

ALIASES: Mapping[str, str] = MappingProxyType(
    {alias: key for key, aliases in _ALIAS_TABLE.items() for alias in aliases}
)
"""Alias accepted in tags -> canonical key."""

# fideslang key -> pdlint key, for ``fides:`` values.  Several pdlint keys share a fides key
# (fideslang is coarser in places); the first in table order wins, which is the root or the
# most general key, except where an explicit choice reads better.  ``user`` itself is left
# out: it is the whole of personal data and maps to no single pdlint root.
_FIDES_PREFERRED: dict[str, str] = {
    "user.unique_id.pseudonymous": "account.id",
    "user.demographic": "identity",
}


def _build_fides_reverse() -> dict[str, str]:
    reverse: dict[str, str] = {}
    for info in CATEGORIES.values():
        if info.fides != "user":
            reverse.setdefault(info.fides, info.key)
    reverse.update(_FIDES_PREFERRED)
    return reverse


_FIDES_REVERSE: Mapping[str, str] = MappingProxyType(_build_fides_reverse())

_SEGMENT = r"[a-z][a-z0-9_]*"
_PATH_RE = re.compile(rf"{_SEGMENT}(?:\.{_SEGMENT})*")

# Values longer than this are not categories; skipping them keeps difflib (quadratic in the
# worst case) cheap on hostile or accidental huge input.
_MAX_SUGGEST_LEN = 120


def _normalise(value: str) -> str:
    """Spelling-insensitive form of a category as written: case and ``-``/``_`` do not matter."""
    return value.strip().lower().replace("-", "_")


def _strip_star(value: str) -> str:
    """``contact.*`` means the parent ``contact`` (which already covers its children)."""
    return value[:-2] if value.endswith(".*") else value


def _is_user_fides(raw: str) -> bool:
    """A well-formed fideslang key under ``user``: the only fides branch about persons."""
    return (raw == "user" or raw.startswith("user.")) and _PATH_RE.fullmatch(raw) is not None


def _custom_keys(custom: Iterable[str]) -> frozenset[str]:
    return frozenset(_strip_star(_normalise(key)) for key in custom if key and key.strip())


def resolve_category(value: str, custom: Iterable[str] = ()) -> str | None:
    """Canonical key for a category as written in a tag, or ``None`` when unknown.

    Accepted spellings, in order:

    * a canonical key (``contact.email``) or an alias (``email``, ``dob``, ``identity.dob``);
    * either of those with a trailing ``.*`` - it means the parent, which covers its children;
    * ``fides:<key>``: mapped back to the pdlint key with that fideslang key when there is one,
      otherwise returned unchanged (as written, prefix included, lower-cased) when it is a
      well-formed ``user.…`` key, because fideslang users may tag at a finer grain than pdlint
      models and that is not an error;
    * a project key from ``custom`` (``custom.loyalty_id``), or a dotted descendant written
      under one (``custom.loyalty_id.tier``), returned as written (normalised).

    Case and ``-``/``_`` are ignored, as everywhere in the tag grammar.  Children of built-in
    keys that the taxonomy does not define (``contact.email.work``) are unknown on purpose:
    silently accepting them would hide typos such as ``contact.address.zip``.
    """
    if not isinstance(value, str):
        return None
    norm = _normalise(value)
    if not norm:
        return None
    if norm.startswith(FIDES_PREFIX):
        raw = _strip_star(norm[len(FIDES_PREFIX) :].strip())
        if not _PATH_RE.fullmatch(raw):
            return None
        known = _FIDES_REVERSE.get(raw)
        if known is not None:
            return known
        if _is_user_fides(raw):
            return FIDES_PREFIX + raw
        return None
    norm = _strip_star(norm)
    if norm in CATEGORIES:
        return norm
    alias = ALIASES.get(norm)
    if alias is not None:
        return alias
    customs = _custom_keys(custom)
    if norm in customs:
        return norm
    if _PATH_RE.fullmatch(norm) and any(
        norm.startswith(custom_key + ".") for custom_key in customs
    ):
        return norm
    return None


def _leaf_candidates() -> dict[str, str]:
    """Leaf segment -> key, so a misspelt short name (``emial``) finds ``contact.email``.

    Leaves that occur under several roots (``id``, ``public``, ``record``) are ambiguous and
    left out; the first key in table order wins otherwise.
    """
    seen: dict[str, str] = {}
    ambiguous: set[str] = set()
    for key in CATEGORIES:
        leaf = key.rsplit(".", 1)[-1]
        if leaf in seen and seen[leaf] != key:
            ambiguous.add(leaf)
        seen.setdefault(leaf, key)
    return {leaf: key for leaf, key in seen.items() if leaf not in ambiguous}


_LEAVES: Mapping[str, str] = MappingProxyType(_leaf_candidates())


def suggest_category(value: str, custom: Iterable[str] = ()) -> str | None:
    """Best did-you-mean for an unknown category, as a canonical (or custom) key, or ``None``.

    Matches the value against canonical keys, aliases, custom keys and bare leaf names
    (so ``emial`` -> ``contact.email`` and ``contact.adress`` -> ``contact.address``); for a
    dotted value whose whole spelling matches nothing, its last segment is tried against
    leaves and aliases.  Callers ask only after :func:`resolve_category` failed, so an exact
    hit is simply returned as its canonical key.
    """
    if not isinstance(value, str):
        return None
    norm = _strip_star(_normalise(value))
    if norm.startswith(FIDES_PREFIX):
        fides_part = norm[len(FIDES_PREFIX) :]
        if len(fides_part) > _MAX_SUGGEST_LEN:
            return None
        match = difflib.get_close_matches(fides_part, list(_FIDES_REVERSE), n=1, cutoff=0.75)
        return FIDES_PREFIX + match[0] if match else None
    if not norm or len(norm) > _MAX_SUGGEST_LEN:
        return None
    customs = sorted(_custom_keys(custom))
    targets: dict[str, str] = {key: key for key in CATEGORIES}
    targets.update({key: key for key in customs})
    targets.update(ALIASES)
    match = difflib.get_close_matches(norm, list(targets), n=1, cutoff=0.75)
    if match:
        return targets[match[0]]
    leaf_targets: dict[str, str] = dict(_LEAVES)
    leaf_targets.update(ALIASES)
    leaf = norm.rsplit(".", 1)[-1]
    match = difflib.get_close_matches(leaf, list(leaf_targets), n=1, cutoff=0.75)
    if match:
        return leaf_targets[match[0]]
    return None


def _canonical_or_raw(key: str) -> str:
    """Resolve aliases and ``.*`` when possible; otherwise the normalised text itself.

    Lets the predicates below take whatever a tag said without every caller resolving first,
    while unknown or custom keys still behave structurally.
    """
    resolved = resolve_category(key)
    return resolved if resolved is not None else _strip_star(_normalise(key))


def _nearest_known(key: str) -> str:
    """Like :func:`_canonical_or_raw`, but a raw ``fides:`` key finer than any pdlint key is
    mapped to the pdlint key of its nearest fides ancestor.

    Severity and the Art. 9/10 tests must not be fooled by spelling: data tagged
    ``fides:user.health_and_medical.record_id`` is health data whatever pdlint calls it.
    """
    canonical = _canonical_or_raw(key)
    if canonical.startswith(FIDES_PREFIX):
        for ancestor in parent_chain(canonical[len(FIDES_PREFIX) :]):
            known = _FIDES_REVERSE.get(ancestor)
            if known is not None:
                return known
    return canonical


def covers(declared: str, observed: str) -> bool:
    """True when a declaration of ``declared`` accounts for ``observed`` data.

    A parent covers its children (``contact`` covers ``contact.email``) and a key covers
    itself; segment boundaries matter, so ``contact.add`` does not cover ``contact.address``.
    Aliases and ``.*`` are resolved first, so ``email`` covers ``contact.email``.
    """
    parent = _canonical_or_raw(declared)
    child = _canonical_or_raw(observed)
    if not parent or not child:
        return False
    return child == parent or child.startswith(parent + ".")


def parent_chain(key: str) -> tuple[str, ...]:
    """The key followed by each ancestor, most specific first.

    ``parent_chain("contact.address.city")`` is
    ``("contact.address.city", "contact.address", "contact")``.  Purely structural: it works
    for custom and unknown keys too, which is what severity and coverage walks need.
    """
    norm = _strip_star(_normalise(key))
    if not norm:
        return ()
    parts = norm.split(".")
    return tuple(".".join(parts[:end]) for end in range(len(parts), 0, -1))


def is_special(key: str) -> bool:
    """True for Art. 9 special-category data (``special`` and everything under it).

    Aliases and raw ``fides:`` keys are recognised too (``health``,
    ``fides:user.health_and_medical.record_id``), so a spelling cannot dodge PDL107.
    """
    return covers("special", _nearest_known(key))


def is_criminal(key: str) -> bool:
    """True for Art. 10 criminal-offence data (``criminal`` and everything under it).

    Aliases and raw ``fides:`` keys count, as for :func:`is_special`.
    """
    return covers("criminal", _nearest_known(key))


def severity_of(key: str) -> str:
    """Default severity for ``key``: its own, else its nearest known ancestor's, else medium.

    Walking up means an undeclared child such as ``special.health.mental`` still counts as
    special-category data, and a raw ``fides:`` key takes the severity of the pdlint key of
    its nearest fides ancestor; custom and unknown keys fall back to ``"medium"``.
    """
    for candidate in parent_chain(_nearest_known(key)):
        info = CATEGORIES.get(candidate)
        if info is not None:
            return info.severity
    return DEFAULT_SEVERITY


def fides_key(key: str) -> str | None:
    """The fideslang data category for ``key`` (alias, ``.*`` or ``fides:`` accepted).

    A raw ``fides:user.…`` value maps to its own fides key; unknown and custom keys have none.
    """
    norm = _normalise(key)
    if norm.startswith(FIDES_PREFIX):
        raw = _strip_star(norm[len(FIDES_PREFIX) :].strip())
        return raw if _is_user_fides(raw) else None
    resolved = resolve_category(key)
    if resolved is None:
        return None
    info = CATEGORIES.get(resolved)
    return info.fides if info is not None else None
