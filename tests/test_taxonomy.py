"""Tests for pdlint.taxonomy: the category table and the helpers rules build on."""

from __future__ import annotations

import pytest

from pdlint import taxonomy
from pdlint.taxonomy import (
    ALIASES,
    CATEGORIES,
    ROOTS,
    SEVERITIES,
    CategoryInfo,
    covers,
    fides_key,
    is_criminal,
    is_special,
    parent_chain,
    resolve_category,
    severity_of,
    suggest_category,
)

try:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    HAVE_HYPOTHESIS = True
except ImportError:  # pragma: no cover - hypothesis is a declared test dependency
    HAVE_HYPOTHESIS = False

# The table of tags.md, spelt out so that a change to the taxonomy is a visible test change.
TAGS_MD_KEYS = {
    "identity": [
        "name",
        "name.first",
        "name.last",
        "username",
        "birth_date",
        "age",
        "gender",
        "nationality",
        "language",
        "marital",
        "photo",
        "signature",
    ],
    "contact": [
        "email",
        "phone",
        "fax",
        "address",
        "address.street",
        "address.city",
        "address.postal_code",
        "address.state",
        "address.country",
        "url",
    ],
    "gov": ["national_id", "tax_id", "passport", "driver_license", "vehicle", "immigration"],
    "financial": ["card", "bank", "payment", "income", "credit", "crypto"],
    "online": ["ip", "device_id", "cookie_id", "session_id", "user_agent"],
    "location": ["precise", "coarse"],
    "account": ["id", "settings", "privacy", "credentials", "permissions"],
    "behavior": ["browsing", "search", "purchase", "media", "events"],
    "content": ["private", "public"],
    "employment": ["title", "employer"],
    "special": [
        "racial_ethnic",
        "political",
        "religious",
        "trade_union",
        "genetic",
        "biometric",
        "health",
        "sex_life",
    ],
    "criminal": ["record"],
}
ALL_TAGS_MD_KEYS = [f"{root}.{child}" for root, kids in TAGS_MD_KEYS.items() for child in kids]


# --- the table ------------------------------------------------------------------------------


def test_roots_are_the_twelve_of_tags_md() -> None:
    assert ROOTS == tuple(TAGS_MD_KEYS)
    assert len(ROOTS) == 12
    for root in ROOTS:
        assert root in CATEGORIES


@pytest.mark.parametrize("key", ALL_TAGS_MD_KEYS)
def test_every_tags_md_key_is_canonical(key: str) -> None:
    assert key in CATEGORIES
    assert resolve_category(key) == key


def test_no_unexpected_keys() -> None:
    expected = set(ROOTS) | set(ALL_TAGS_MD_KEYS) | {"gov.birth_certificate"}
    assert set(CATEGORIES) == expected


def test_birth_date_is_canonical_and_dob_an_alias() -> None:
    assert "identity.birth_date" in CATEGORIES
    assert "identity.dob" not in CATEGORIES
    assert ALIASES["identity.dob"] == "identity.birth_date"
    assert ALIASES["dob"] == "identity.birth_date"


def test_birth_certificate_from_domain_md() -> None:
    info = CATEGORIES["gov.birth_certificate"]
    assert info.fides == "user.government_id.birth_certificate"
    assert info.severity == "high"


@pytest.mark.parametrize("key", list(CATEGORIES))
def test_every_entry_is_well_formed(key: str) -> None:
    info = CATEGORIES[key]
    assert isinstance(info, CategoryInfo)
    assert info.key == key
    assert info.severity in SEVERITIES
    assert info.fides == "user" or info.fides.startswith("user.")
    assert info.description and info.description.strip() == info.description
    assert key == key.lower() and " " not in key
    if "." in key:
        assert key.rsplit(".", 1)[0] in CATEGORIES, "parent must exist"


def test_table_is_read_only() -> None:
    with pytest.raises(TypeError):
        CATEGORIES["x"] = CATEGORIES["contact"]  # type: ignore[index]
    with pytest.raises(TypeError):
        ALIASES["x"] = "contact"  # type: ignore[index]
    with pytest.raises(AttributeError):
        CATEGORIES["contact"].severity = "low"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("key", "severity"),
    [
        ("account.id", "pseudonymous"),
        ("account.credentials", "secret"),
        ("special.health", "special"),
        ("special", "special"),
        ("criminal.record", "special"),
        ("criminal", "special"),
        ("gov.national_id", "high"),
        ("gov.vehicle", "medium"),
        ("financial.card", "high"),
        ("location.precise", "high"),
        ("location.coarse", "low"),
        ("contact.email", "medium"),
        ("contact.address.street", "medium"),
        ("contact.address.city", "low"),
        ("identity.username", "low"),
    ],
)
def test_severities_follow_domain_md(key: str, severity: str) -> None:
    assert CATEGORIES[key].severity == severity
    assert severity_of(key) == severity


@pytest.mark.parametrize("key", [k for k in CATEGORIES if k.startswith("special")])
def test_all_special_keys_are_special_severity(key: str) -> None:
    assert CATEGORIES[key].severity == "special"


def test_aliases_point_at_canonical_keys_and_never_shadow_them() -> None:
    for alias, key in ALIASES.items():
        assert key in CATEGORIES, alias
        assert alias not in CATEGORIES, alias
        assert alias == alias.lower()


@pytest.mark.parametrize(
    ("alias", "key"),
    [
        ("email", "contact.email"),
        ("dob", "identity.birth_date"),
        ("birthdate", "identity.birth_date"),
        ("identity.dob", "identity.birth_date"),
        ("ssn", "gov.national_id"),
        ("nin", "gov.national_id"),
        ("tin", "gov.tax_id"),
        ("name", "identity.name"),
        ("first_name", "identity.name.first"),
        ("last_name", "identity.name.last"),
        ("sex", "identity.gender"),
        ("locale", "identity.language"),
        ("avatar", "identity.photo"),
        ("mobile", "contact.phone"),
        ("zip", "contact.address.postal_code"),
        ("postcode", "contact.address.postal_code"),
        ("address", "contact.address"),
        ("website", "contact.url"),
        ("license_plate", "gov.vehicle"),
        ("visa_status", "gov.immigration"),
        ("pan", "financial.card"),
        ("iban", "financial.bank"),
        ("salary", "financial.income"),
        ("credit_score", "financial.credit"),
        ("wallet", "financial.crypto"),
        ("ip", "online.ip"),
        ("idfa", "online.device_id"),
        ("mac", "online.device_id"),
        ("cookie", "online.cookie_id"),
        ("online.cookie", "online.cookie_id"),
        ("session", "online.session_id"),
        ("gps", "location.precise"),
        ("geoip", "location.coarse"),
        ("uid", "account.id"),
        ("user_id", "account.id"),
        ("preferences", "account.settings"),
        ("consent_record", "account.privacy"),
        ("password", "account.credentials"),
        ("token", "account.credentials"),
        ("mfa", "account.credentials"),
        ("role", "account.permissions"),
        ("history", "behavior.browsing"),
        ("telemetry", "behavior.events"),
        ("messages", "content.private"),
        ("reviews", "content.public"),
        ("job_title", "employment.title"),
        ("employer", "employment.employer"),
        ("race", "special.racial_ethnic"),
        ("religion", "special.religious"),
        ("union", "special.trade_union"),
        ("dna", "special.genetic"),
        ("fingerprint", "special.biometric"),
        ("medical", "special.health"),
        ("sexual_orientation", "special.sex_life"),
        ("conviction", "criminal.record"),
    ],
)
def test_domain_md_aliases(alias: str, key: str) -> None:
    assert ALIASES[alias] == key
    assert resolve_category(alias) == key


def test_a_root_is_never_shadowed_by_an_alias() -> None:
    assert resolve_category("criminal") == "criminal"
    assert covers("criminal", "criminal.record")


def test_subject_words_are_not_categories() -> None:
    assert resolve_category("child") is None
    assert resolve_category("minor") is None


# --- resolve_category -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("contact.email", "contact.email"),
        ("Contact.Email", "contact.email"),
        ("  contact.email  ", "contact.email"),
        ("EMAIL", "contact.email"),
        ("birth-date", "identity.birth_date"),
        ("identity.birth-date", "identity.birth_date"),
        ("contact.*", "contact"),
        ("contact.address.*", "contact.address"),
        ("special.*", "special"),
        ("email.*", "contact.email"),
        ("contact", "contact"),
        ("fides:user.contact.email", "contact.email"),
        ("FIDES:user.contact.email", "contact.email"),
        ("fides:user.government_id.passport_number", "gov.passport"),
        ("fides:user.contact.address.city", "contact.address.city"),
        ("fides:user.financial", "financial"),
        ("fides:user.device", "online"),
        ("fides:user.criminal_history", "criminal"),
        ("fides:user.unique_id.pseudonymous", "account.id"),
        ("fides:user.demographic", "identity"),
        ("fides:user.contact.email.work", "fides:user.contact.email.work"),
        ("fides:user.sensor", "fides:user.sensor"),
        ("fides:user", "fides:user"),
    ],
)
def test_resolve_known(written: str, expected: str) -> None:
    assert resolve_category(written) == expected


@pytest.mark.parametrize(
    "written",
    [
        "",
        "   ",
        "emial",
        "contact.email.work",
        "contact.address.zip",
        "contact.",
        ".contact",
        "contact..email",
        "fides:",
        "fides:system.operations",
        "fides:User Contact",
        "custom.loyalty_id",
        "*",
        ".*",
        "none",
    ],
)
def test_resolve_unknown(written: str) -> None:
    assert resolve_category(written) is None


def test_resolve_custom_keys() -> None:
    custom = ["custom.loyalty_id", "Acme.Badge.*"]
    assert resolve_category("custom.loyalty_id", custom) == "custom.loyalty_id"
    assert resolve_category("custom.loyalty_id.tier", custom) == "custom.loyalty_id.tier"
    assert resolve_category("custom.loyalty_id.*", custom) == "custom.loyalty_id"
    assert resolve_category("acme.badge", custom) == "acme.badge"
    assert resolve_category("acme.badge.colour", custom) == "acme.badge.colour"
    # only exact custom keys and what is written under them
    assert resolve_category("custom", custom) is None
    assert resolve_category("custom.other", custom) is None
    assert resolve_category("custom.loyalty_idx", custom) is None
    assert resolve_category("custom.loyalty_id..x", custom) is None


def test_resolve_custom_accepts_any_iterable_and_ignores_blanks() -> None:
    assert resolve_category("x.y", iter(["x.y"])) == "x.y"
    assert resolve_category("x.y", ("", "  ", "x.y")) == "x.y"
    assert resolve_category("", ("",)) is None


def test_builtin_keys_win_over_custom() -> None:
    assert resolve_category("email", ["email"]) == "contact.email"


# --- suggest_category -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("emial", "contact.email"),
        ("contact.emial", "contact.email"),
        ("contact.adress", "contact.address"),
        ("contact.adress.city", "contact.address.city"),
        ("identity.birthdate", "identity.birth_date"),
        ("identity.dbo", "identity.birth_date"),
        ("pasport", "gov.passport"),
        ("helth", "special.health"),
        ("gov.ssn", "gov.national_id"),
        ("contact.email", "contact.email"),
        ("fides:user.contact.emial", "fides:user.contact.email"),
    ],
)
def test_suggest(written: str, expected: str) -> None:
    assert suggest_category(written) == expected


def test_suggest_custom() -> None:
    assert suggest_category("custom.loyalti_id", ["custom.loyalty_id"]) == "custom.loyalty_id"


@pytest.mark.parametrize("written", ["xyzzy", "", "q" * 5000, "fides:" + "q" * 5000])
def test_suggest_nothing_close(written: str) -> None:
    assert suggest_category(written) is None


# --- structure helpers ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("declared", "observed", "expected"),
    [
        ("contact", "contact.email", True),
        ("contact", "contact.address.city", True),
        ("contact.address", "contact.address.city", True),
        ("contact.email", "contact.email", True),
        ("contact.email", "contact", False),
        ("contact.email", "contact.phone", False),
        ("contact.add", "contact.address", False),
        ("contact.*", "contact.email", True),
        ("email", "contact.email", True),
        ("contact", "email", True),
        ("fides:user.contact", "contact.email", True),
        ("special", "special.health", True),
        ("special", "criminal.record", False),
        ("custom.a", "custom.a.b", True),
        ("custom.a", "custom.ab", False),
        ("", "contact", False),
        ("contact", "", False),
    ],
)
def test_covers(declared: str, observed: str, expected: bool) -> None:
    assert covers(declared, observed) is expected


def test_parent_chain() -> None:
    assert parent_chain("contact.address.city") == (
        "contact.address.city",
        "contact.address",
        "contact",
    )
    assert parent_chain("contact") == ("contact",)
    assert parent_chain("contact.*") == ("contact",)
    assert parent_chain("custom.a.b") == ("custom.a.b", "custom.a", "custom")
    assert parent_chain("") == ()


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("special", True),
        ("special.health", True),
        ("special.health.mental", True),
        ("special.*", True),
        ("health", True),
        ("biometric", True),
        ("fides:user.health_and_medical.record_id", True),
        ("fides:user.biometric.health", True),
        ("specialx", False),
        ("criminal.record", False),
        ("contact.email", False),
        ("fides:user.contact", False),
        ("", False),
    ],
)
def test_is_special(key: str, expected: bool) -> None:
    assert is_special(key) is expected


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("criminal", True),
        ("criminal.record", True),
        ("conviction", True),
        ("fides:user.criminal_history", True),
        ("special.health", False),
        ("criminals", False),
    ],
)
def test_is_criminal(key: str, expected: bool) -> None:
    assert is_criminal(key) is expected


@pytest.mark.parametrize(
    ("key", "severity"),
    [
        ("special.health.mental", "special"),
        ("contact.email.work", "medium"),
        ("contact.address.city.district", "low"),
        ("account.credentials.api_key", "secret"),
        ("password", "secret"),
        ("uid", "pseudonymous"),
        ("custom.loyalty_id", "medium"),
        ("totally_unknown", "medium"),
        ("", "medium"),
        ("fides:user.health_and_medical.record_id", "special"),
        ("fides:user.authorization.credentials.password", "secret"),
        ("fides:user.sensor", "medium"),
    ],
)
def test_severity_of_walks_up(key: str, severity: str) -> None:
    assert severity_of(key) == severity


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("contact.email", "user.contact.email"),
        ("email", "user.contact.email"),
        ("contact.*", "user.contact"),
        ("identity.birth_date", "user.demographic.date_of_birth"),
        ("identity.name.first", "user.name.first"),
        ("account.id", "user.unique_id.pseudonymous"),
        ("account.credentials", "user.authorization.credentials"),
        ("special.health", "user.health_and_medical"),
        ("criminal.record", "user.criminal_history"),
        ("fides:user.sensor", "user.sensor"),
        ("fides:user.contact.email", "user.contact.email"),
        ("fides:system.operations", None),
        ("custom.loyalty_id", None),
        ("nonsense", None),
    ],
)
def test_fides_key(key: str, expected: str | None) -> None:
    assert fides_key(key) == expected


def test_fides_keys_map_back_to_their_key_or_a_more_general_one() -> None:
    for key, info in CATEGORIES.items():
        if info.fides == "user":
            continue
        back = resolve_category(taxonomy.FIDES_PREFIX + info.fides)
        assert back is not None, key
        assert CATEGORIES[back].fides == info.fides or covers(back, key), key


# --- robustness -----------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["\x00", "contact.\x00", "é.ü", "𝔠𝔬𝔫𝔱𝔞𝔠𝔱", "a" * 100_000])
def test_helpers_never_raise_on_odd_input(value: str) -> None:
    resolve_category(value, [value])
    suggest_category(value, [value])
    covers(value, value)
    parent_chain(value)
    is_special(value)
    is_criminal(value)
    severity_of(value)
    fides_key(value)


if HAVE_HYPOTHESIS:

    @settings(max_examples=300, deadline=None)
    @given(st.text(), st.lists(st.text(max_size=20), max_size=3))
    def test_helpers_never_raise_hypothesis(value: str, custom: list[str]) -> None:
        result = resolve_category(value, custom)
        assert result is None or isinstance(result, str)
        suggestion = suggest_category(value, custom)
        assert suggestion is None or isinstance(suggestion, str)
        assert severity_of(value) in SEVERITIES
        assert isinstance(covers(value, value), bool)
        fides_key(value)
        is_special(value)
        is_criminal(value)
        parent_chain(value)

    @settings(max_examples=200, deadline=None)
    @given(st.sampled_from(sorted(CATEGORIES)), st.sampled_from(sorted(CATEGORIES)))
    def test_covers_matches_parent_chain(declared: str, observed: str) -> None:
        assert covers(declared, observed) is (declared in parent_chain(observed))


def test_resolve_fides_with_star() -> None:
    assert resolve_category("fides:user.contact.*") == "contact"
    assert fides_key("fides:user.sensor.*") == "user.sensor"
