"""Tests for pdlint.classify and the data in pdlint.lexicon.

Precision is the product: every false-positive trap of domain.md §2.4 has a negative test
here, usually both without and with person context (model fields of a person class are
classified with ``person_context=True``, so a trap that only fails without context would
still fire in practice).
"""

from __future__ import annotations

import pickle
import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pdlint import lexicon as lx
from pdlint.classify import KINDS, ROLES, Classification, Classifier, split_identifier

# Canonical category keys of shared/design/tags.md (written out here on purpose: the test
# must fail if the lexicon drifts from the contract, whatever pdlint.taxonomy says).
CANONICAL: frozenset[str] = frozenset({
    "identity", "identity.name", "identity.name.first", "identity.name.last",
    "identity.username", "identity.birth_date", "identity.age", "identity.gender",
    "identity.nationality", "identity.language", "identity.marital", "identity.photo",
    "identity.signature",
    "contact", "contact.email", "contact.phone", "contact.fax", "contact.address",
    "contact.address.street", "contact.address.city", "contact.address.postal_code",
    "contact.address.state", "contact.address.country", "contact.url",
    "gov", "gov.national_id", "gov.tax_id", "gov.passport", "gov.driver_license",
    "gov.vehicle", "gov.immigration",
    "financial", "financial.card", "financial.bank", "financial.payment", "financial.income",
    "financial.credit", "financial.crypto",
    "online", "online.ip", "online.device_id", "online.cookie_id", "online.session_id",
    "online.user_agent",
    "location", "location.precise", "location.coarse",
    "account", "account.id", "account.settings", "account.privacy", "account.credentials",
    "account.permissions",
    "behavior", "behavior.browsing", "behavior.search", "behavior.purchase", "behavior.media",
    "behavior.events",
    "content", "content.private", "content.public",
    "employment", "employment.title", "employment.employer",
    "special", "special.racial_ethnic", "special.political", "special.religious",
    "special.trade_union", "special.genetic", "special.biometric", "special.health",
    "special.sex_life",
    "criminal", "criminal.record",
})

CTX: dict[str, Any] = {"person_context": True}
FIELD_CTX: dict[str, Any] = {"person_context": True, "role": "field"}


@pytest.fixture(scope="module")
def clf() -> Classifier:
    return Classifier()


def cat(clf: Classifier, name: str, **kwargs: Any) -> str | None:
    found = clf.classify(name, **kwargs)
    return None if found is None else found.category


# ---------------------------------------------------------------------------------------
# split_identifier
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "tokens"),
    [
        ("email", ("email",)),
        ("user_email", ("user", "email")),
        ("emailAddress", ("email", "address")),
        ("EmailAddress", ("email", "address")),
        ("emailaddress", ("email", "address")),
        ("EMAIL_ADDRESS", ("email", "address")),
        ("e_mail", ("email",)),
        ("eMail", ("email",)),
        ("e-mail", ("email",)),
        ("HTTPRequestIP", ("http", "request", "ip")),
        ("XMLHttpRequest", ("xml", "http", "request")),
        ("userID", ("user", "id")),
        ("userIDs", ("user", "ids")),
        ("getHTTPResponseCode", ("get", "http", "response", "code")),
        ("firstname", ("first", "name")),
        ("lastName", ("last", "name")),
        ("FullName", ("full", "name")),
        ("fullname", ("full", "name")),
        ("surname", ("surname",)),
        ("username", ("user", "name")),
        ("usernames", ("user", "name")),
        ("phonenumber", ("phone", "number")),
        ("ipaddress", ("ip", "address")),
        ("ipaddr", ("ip", "addr")),
        ("zipcode", ("zip", "code")),
        ("postcode", ("post", "code")),
        ("postalcode", ("postal", "code")),
        ("birthdate", ("birth", "date")),
        ("dateofbirth", ("date", "of", "birth")),
        ("birthday", ("birthday",)),
        ("dob", ("date", "of", "birth")),
        ("creditcard", ("credit", "card")),
        ("ccnumber", ("cc", "number")),
        ("useragent", ("user", "agent")),
        ("userid", ("user", "id")),
        ("uid", ("uid",)),
        ("lat", ("latitude",)),
        ("lng", ("longitude",)),
        ("lon", ("longitude",)),
        ("latLng", ("latitude", "longitude")),
        ("tel", ("phone",)),
        ("telephone", ("phone",)),
        ("msisdn", ("phone", "number")),
        ("address2", ("address", "2")),
        ("address_line_1", ("address", "line", "1")),
        ("password1", ("password", "1")),
        ("email_sha256", ("email", "sha256")),
        ("emailMd5", ("email", "md5")),
        ("IPv4Address", ("ip", "address")),
        ("ipv6_address", ("ip", "address")),
        ("card_last4", ("card", "last4")),
        ("X-Forwarded-For", ("x", "forwarded", "for")),
        ("HTTP_X_FORWARDED_FOR", ("http", "x", "forwarded", "for")),
        ("REMOTE_ADDR", ("remote", "addr")),
        ("__name__", ("name",)),
        ("_private_email", ("private", "email")),
        ("sign_up_form", ("signup", "form")),
        ("First Name", ("first", "name")),
        ("filename", ("filename",)),
        ("hostname", ("hostname",)),
        ("class_name", ("class", "name")),
        ("adobe", ("adobe",)),
        ("essex", ("essex",)),
        ("company", ("company",)),
        ("string", ("string",)),
        ("page", ("page",)),
        ("", ()),
        ("___", ()),
        ("123", ("123",)),
        ("straße_email", ("straße", "email")),
    ],
)
def test_split_identifier(name: str, tokens: tuple[str, ...]) -> None:
    assert split_identifier(name) == tokens


@given(st.text(max_size=40))
@settings(max_examples=300, deadline=None)
def test_split_identifier_tokens_are_clean(name: str) -> None:
    for token in split_identifier(name):
        assert token
        assert token == token.lower()
        assert not re.search(r"[\W_]", token)


@given(
    st.text(max_size=30),
    st.sampled_from(sorted(ROLES)),
    st.booleans(),
    st.sampled_from([None, "bool", "Optional[str]", "EmailStr", "list[", "Mapped[int]"]),
)
@settings(max_examples=300, deadline=None)
def test_classify_never_raises(name: str, role: str, ctx: bool, annotation: str | None) -> None:
    found = Classifier().classify(name, role=role, person_context=ctx, annotation=annotation)
    if found is not None:
        assert found.kind in KINDS


# ---------------------------------------------------------------------------------------
# Positives
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "kwargs", "category"),
    [
        ("email", {}, "contact.email"),
        ("user_email", {}, "contact.email"),
        ("emailAddress", {}, "contact.email"),
        ("EmailAddress", {}, "contact.email"),
        ("e_mail", {}, "contact.email"),
        ("emails", {}, "contact.email"),
        ("email_addresses", {}, "contact.email"),
        ("customer_email", {}, "contact.email"),
        ("billing_email", {}, "contact.email"),
        ("verified_email", {}, "contact.email"),
        ("email_lower", {}, "contact.email"),
        ("mail", CTX, "contact.email"),
        ("phone_number", {}, "contact.phone"),
        ("phoneNumber", {}, "contact.phone"),
        ("phone", {}, "contact.phone"),
        ("mobile_number", {}, "contact.phone"),
        ("mobile_phone", {}, "contact.phone"),
        ("phone_e164", {}, "contact.phone"),
        ("tel", {}, "contact.phone"),
        ("mobile", CTX, "contact.phone"),
        ("fax", {}, "contact.fax"),
        ("first_name", {}, "identity.name.first"),
        ("firstName", {}, "identity.name.first"),
        ("given_name", {}, "identity.name.first"),
        ("lastName", {}, "identity.name.last"),
        ("last_name", {}, "identity.name.last"),
        ("surname", {}, "identity.name.last"),
        ("family_name", {}, "identity.name.last"),
        ("full_name", {}, "identity.name"),
        ("customer_full_name", {}, "identity.name"),
        ("middle_name", {}, "identity.name"),
        ("name", CTX, "identity.name"),
        ("customer_name", {}, "identity.name"),
        ("patient_name", {}, "identity.name"),
        ("display_name", CTX, "identity.name"),
        ("nickname", CTX, "identity.name"),
        ("fullname", CTX, "identity.name"),
        ("username", {}, "identity.username"),
        ("user_name", {}, "identity.username"),
        ("screen_name", {}, "identity.username"),
        ("login", CTX, "identity.username"),
        ("date_of_birth", {}, "identity.birth_date"),
        ("dob", {}, "identity.birth_date"),
        ("birthdate", {}, "identity.birth_date"),
        ("birth_date", {}, "identity.birth_date"),
        ("birthday", {}, "identity.birth_date"),
        ("dateOfBirth", {}, "identity.birth_date"),
        ("age", CTX, "identity.age"),
        ("user_age", {}, "identity.age"),
        ("age_range", CTX, "identity.age"),
        ("gender", {}, "identity.gender"),
        ("sex", CTX, "identity.gender"),
        ("nationality", {}, "identity.nationality"),
        ("marital_status", {}, "identity.marital"),
        ("language", CTX, "identity.language"),
        ("avatar", {}, "identity.photo"),
        ("avatar_url", {}, "identity.photo"),
        ("profile_picture", {}, "identity.photo"),
        ("photo", CTX, "identity.photo"),
        ("signature", FIELD_CTX, "identity.signature"),
        ("customer_signature", {}, "identity.signature"),
        ("ssn", {}, "gov.national_id"),
        ("social_security_number", {}, "gov.national_id"),
        ("national_id", {}, "gov.national_id"),
        ("tax_id", {}, "gov.tax_id"),
        ("passport_number", {}, "gov.passport"),
        ("passport_id", {}, "gov.passport"),
        ("drivers_license", {}, "gov.driver_license"),
        ("license_plate", {}, "gov.vehicle"),
        ("visa_status", {}, "gov.immigration"),
        ("iban", {}, "financial.bank"),
        ("bank_account_number", {}, "financial.bank"),
        ("sort_code", {}, "financial.bank"),
        ("bank_swift", {}, "financial.bank"),
        ("credit_card_number", {}, "financial.card"),
        ("card_number", {}, "financial.card"),
        ("creditCard", {}, "financial.card"),
        ("cvv", {}, "financial.card"),
        ("card_pan", {}, "financial.card"),
        ("card_last4", {}, "financial.payment"),
        ("salary", {}, "financial.income"),
        ("annual_income", {}, "financial.income"),
        ("credit_score", {}, "financial.credit"),
        ("wallet_address", {}, "financial.crypto"),
        ("ip_address", {}, "online.ip"),
        ("ipAddress", {}, "online.ip"),
        ("remote_addr", {}, "online.ip"),
        ("client_ip", {}, "online.ip"),
        ("user_ip", {}, "online.ip"),
        ("last_login_ip", {}, "online.ip"),
        ("signup_ip", {}, "online.ip"),
        ("request_ip", {}, "online.ip"),
        ("ip", CTX, "online.ip"),
        ("remote_addr", {"role": "attribute"}, "online.ip"),
        ("user_agent", {}, "online.user_agent"),
        ("userAgent", {}, "online.user_agent"),
        ("device_id", {}, "online.device_id"),
        ("idfa", {}, "online.device_id"),
        ("mac_address", {}, "online.device_id"),
        ("browser_fingerprint", {}, "online.device_id"),
        ("cookie_id", {}, "online.cookie_id"),
        ("customer_cookie_id", {}, "online.cookie_id"),
        ("anonymous_id", {}, "online.cookie_id"),
        ("session_id", {}, "online.session_id"),
        ("latitude", {}, "location.precise"),
        ("longitude", {}, "location.precise"),
        ("lat", {}, "location.precise"),
        ("lng", {}, "location.precise"),
        ("user_lat", {}, "location.precise"),
        ("lat_lng", {}, "location.precise"),
        ("gps", {}, "location.precise"),
        ("location", CTX, "location.coarse"),
        ("home_address", {}, "contact.address"),
        ("billing_address", {}, "contact.address"),
        ("shipping_address", {}, "contact.address"),
        ("address", CTX, "contact.address"),
        ("customer_address", {}, "contact.address"),
        ("address_line_1", {}, "contact.address.street"),
        ("street", CTX, "contact.address.street"),
        ("zip_code", CTX, "contact.address.postal_code"),
        ("zip", CTX, "contact.address.postal_code"),
        ("postcode", CTX, "contact.address.postal_code"),
        ("billing_zip", {}, "contact.address.postal_code"),
        ("city", CTX, "contact.address.city"),
        ("shipping_city", {}, "contact.address.city"),
        ("billing_state", {}, "contact.address.state"),
        ("address_region", {}, "contact.address.state"),
        ("country", CTX, "contact.address.country"),
        ("country_code", CTX, "contact.address.country"),
        ("website", CTX, "contact.url"),
        ("twitter_handle", {}, "contact.url"),
        ("job_title", {}, "employment.title"),
        ("employer", {}, "employment.employer"),
        ("blood_type", {}, "special.health"),
        ("diagnosis", {}, "special.health"),
        ("diagnoses", {}, "special.health"),
        ("medical_history", {}, "special.health"),
        ("allergies", {}, "special.health"),
        ("disability", {}, "special.health"),
        ("health_record", {}, "special.health"),
        ("health", CTX, "special.health"),
        ("health_status", CTX, "special.health"),
        ("dna", {}, "special.genetic"),
        ("genetic_data", {}, "special.genetic"),
        ("biometric_data", {}, "special.biometric"),
        ("face_encoding", {}, "special.biometric"),
        ("user_fingerprint", {}, "special.biometric"),
        ("ethnicity", {}, "special.racial_ethnic"),
        ("race", CTX, "special.racial_ethnic"),
        ("religion", {}, "special.religious"),
        ("political_opinion", {}, "special.political"),
        ("sexual_orientation", {}, "special.sex_life"),
        ("trade_union_membership", {}, "special.trade_union"),
        ("criminal_record", {}, "criminal.record"),
        ("convictions", {}, "criminal.record"),
        ("purchase_history", {}, "behavior.purchase"),
        ("search_history", {}, "behavior.search"),
        ("browsing_history", {}, "behavior.browsing"),
        ("watch_history", {}, "behavior.media"),
        ("message", CTX, "content.private"),
        ("private_message", {}, "content.private"),
        ("review", CTX, "content.public"),
        # string keys: request.META / environ / headers / JSON payloads
        ("REMOTE_ADDR", {"role": "key"}, "online.ip"),
        ("HTTP_X_FORWARDED_FOR", {"role": "key"}, "online.ip"),
        ("HTTP_X_REAL_IP", {"role": "key"}, "online.ip"),
        ("X-Forwarded-For", {"role": "key"}, "online.ip"),
        ("HTTP_USER_AGENT", {"role": "key"}, "online.user_agent"),
        ("User-Agent", {"role": "key"}, "online.user_agent"),
        ("email", {"role": "key"}, "contact.email"),
        ("First Name", {"role": "key"}, "identity.name.first"),
        ("FirstName", {"role": "key"}, "identity.name.first"),
        ("Authorization", {"role": "key"}, "account.credentials"),
        # keyword arguments at call sites
        ("email", {"role": "keyword"}, "contact.email"),
        ("first_name", {"role": "keyword"}, "identity.name.first"),
        # getters
        ("get_email", {"role": "callable"}, "contact.email"),
        ("getEmail", {"role": "callable"}, "contact.email"),
        ("get_full_name", {"role": "callable"}, "identity.name"),
        ("get_client_ip", {"role": "callable"}, "online.ip"),
        ("clean_email", {"role": "callable"}, "contact.email"),
        ("get_name", {"role": "callable", "person_context": True}, "identity.name"),
        # accessor prefixes on non-callables
        ("get_email", {}, "contact.email"),
        # private and mangled names
        ("_email", {}, "contact.email"),
        ("__email", {}, "contact.email"),
    ],
)
def test_positive(clf: Classifier, name: str, kwargs: dict[str, Any], category: str) -> None:
    found = clf.classify(name, **kwargs)
    assert found is not None, name
    assert found.category == category, (name, found)


@pytest.mark.parametrize(
    ("name", "kwargs", "kind"),
    [
        ("email", {}, "value"),
        ("password", {}, "secret"),
        ("user_id", {}, "id"),
        ("email_hash", {}, "protected"),
        ("is_email_verified", {}, "metadata"),
    ],
)
def test_kind_basics(clf: Classifier, name: str, kwargs: dict[str, Any], kind: str) -> None:
    found = clf.classify(name, **kwargs)
    assert found is not None and found.kind == kind, (name, found)


def test_strong_match_does_not_need_context(clf: Classifier) -> None:
    found = clf.classify("email")
    assert found == Classification("contact.email", "value", ("email",), False)


def test_ambiguous_match_reports_needs_context(clf: Classifier) -> None:
    found = clf.classify("name", person_context=True)
    assert found == Classification("identity.name", "value", ("name",), True)
    assert clf.classify("address", person_context=True).needs_context  # type: ignore[union-attr]


def test_head_final_preference(clf: Classifier) -> None:
    # `last_login_ip` is an IP, not a username (login) nor a last name.
    assert cat(clf, "last_login_ip") == "online.ip"
    # The longest phrase wins among those ending at the same token.
    found = clf.classify("email_address")
    assert found is not None and found.phrase == ("email", "address")
    found = clf.classify("credit_card_number")
    assert found is not None and found.phrase == ("card", "number")
    assert cat(clf, "customer_email_address") == "contact.email"


def test_person_word_in_name_gives_context(clf: Classifier) -> None:
    assert cat(clf, "customer_name") == "identity.name"
    assert cat(clf, "user_address") == "contact.address"
    assert cat(clf, "patient_age") == "identity.age"
    assert cat(clf, "user_location") == "location.coarse"
    # ... but generic person words do not (program/tree/config meanings dominate)
    for name in ("client_address", "profile_name", "parent_name", "child_name",
                 "member_name", "visitor_name", "candidate_names", "request_name"):
        assert clf.classify(name) is None, name


def test_ambiguous_word_with_other_noun_is_not_data(clf: Classifier) -> None:
    # inside a person object, `pet_name` is still not the person's name
    for name in ("pet_name", "team_name", "dog_age", "song_name", "file_age"):
        assert clf.classify(name, **FIELD_CTX) is None, name


# ---------------------------------------------------------------------------------------
# Negatives: domain.md §2.4 traps, one by one
# ---------------------------------------------------------------------------------------

NEGATIVE_ANYWHERE = [
    # e-mail configuration, messages, counters
    "email_template", "email_backend", "EMAIL_BACKEND", "EMAIL_HOST", "EMAIL_PORT",
    "EMAIL_USE_TLS", "email_host", "email_port", "email_use_tls", "email_subject",
    "email_body", "email_enabled", "email_count", "DEFAULT_FROM_EMAIL", "default_from_email",
    "from_email", "EMAIL_HOST_USER", "email_domain", "email_client", "email_sender",
    "email_message", "email_id", "email_regex", "email_validator", "email_field",
    "email_campaign", "email_notification", "email_settings", "email_queue",
    # IPs and addresses of machines
    "server_ip", "bind_address", "listen_ip", "gateway_ip", "host_ip", "proxy_ip",
    "public_ip", "private_ip", "source_ip", "dst_ip", "ip_range", "ip_whitelist",
    "node_ip", "server_ip_address", "memory_address", "mem_address", "base_address",
    "return_address", "address_family", "server_address", "url_address", "socket_address",
    "contract_address", "local_address", "client_address",
    # names that are not a person's
    "filename", "file_name", "class_name", "__name__", "verbose_name", "host_name",
    "hostname", "table_name", "field_name", "model_name", "app_name", "company_name",
    "org_name", "product_name", "bucket_name", "queue_name", "event_name", "task_name",
    "tag_name", "related_name", "account_name", "profile_name", "target_fullname",
    "import_alias_full_name", "contact_list_name",
    # phone metadata
    "phone_regex", "PHONE_PATTERN", "phone_pattern", "phone_validator", "phone_format",
    "phone_mask", "phone_country_code", "phone_type", "phone_field", "phone_widget",
    # tokens and password mechanics
    "token", "csrf_token", "xsrf_token", "token_type", "password_reset", "forgot_password",
    "password_length", "min_password_length", "MIN_PASSWORD_LENGTH", "password_validators",
    "AUTH_PASSWORD_VALIDATORS", "password_policy", "password_strength", "password_hashers",
    "PASSWORD_HASHERS", "password_changed", "password_required", "confirm_password",
    "password_reset_url", "access_token_url", "api_key_header", "api_key_name",
    "secret_name", "secret_id", "aws_access_key_id", "password_field",
    # age substrings and cache ages
    "max_age", "cache_age", "cookie_age", "min_age", "page", "usage", "image", "storage",
    "message", "language", "manage", "agent", "agenda",
    # ops vocabulary
    "health_check", "health_status", "healthz", "healthcheck", "health_endpoint",
    # special-category words with technical meanings
    "race_condition", "union", "union_type", "third_party", "party", "orientation",
    "screen_orientation", "genetic_algorithm", "genetic_operator", "diagnostics",
    "disabled", "is_disabled", "belief_propagation",
    # signatures and fingerprints of machines
    "signature", "hmac_signature", "jwt_signature", "webhook_signature",
    "request_signature", "signature_header", "ssh_fingerprint", "cert_fingerprint",
    "file_fingerprint", "fingerprint", "key_fingerprint",
    # quasi-identifiers with generic meanings
    "zip", "zip_file", "state", "app_state", "region", "aws_region", "region_name",
    "home_region", "country", "product_country", "city", "store_city", "location",
    "file_location", "is_mobile", "mobile_app", "cell", "cell_value", "handle",
    "file_handle", "login", "login_url", "login_required", "last_login", "login_attempts",
    "credit", "credits", "card", "card_type", "pan", "camera_pan", "state_address",
    # token-matching substring traps
    "company", "span", "setting", "string", "adobe", "essex", "sextant", "passage",
    "setting_name", "tin_can", "destination", "ipython", "zipper", "dobby",
    # person links are not values
    "owner", "author", "sender", "recipient", "contact", "user", "customer",
    # organisation data
    "support_email", "company_phone", "noreply_email", "no_reply_email", "admin_email",
    "sales_email", "info_email", "team_email", "company_address", "store_address",
    "contact_us",
    # head-final: the phrase modifies another noun
    "birthday_cake", "passport_control", "password_mgr", "lng_buffer", "telephone_receiver",
    "email_user", "phone_owner",
]


@pytest.mark.parametrize("name", NEGATIVE_ANYWHERE)
def test_negative_without_context(clf: Classifier, name: str) -> None:
    assert clf.classify(name) is None, clf.classify(name)


# Most traps must stay quiet inside a person object too (model fields of `Customer`).
NEGATIVE_EVEN_IN_PERSON = [
    name for name in NEGATIVE_ANYWHERE
    if name not in {
        # these are personal data when they sit on a person object
        "signature", "fingerprint", "country", "city", "location", "handle", "login",
        "cell", "image", "message", "language", "zip", "contact", "user", "customer",
        "owner", "author", "sender", "recipient", "health_status", "email_user",
        "phone_owner", "client_address",
    }
]


@pytest.mark.parametrize("name", NEGATIVE_EVEN_IN_PERSON)
def test_negative_with_person_context(clf: Classifier, name: str) -> None:
    found = clf.classify(name, person_context=True, role="field")
    assert found is None, (name, found)


@pytest.mark.parametrize(
    ("name", "role"),
    [
        ("send_email", "callable"),
        ("email_user", "callable"),
        ("validate_email", "callable"),
        ("verify_email", "callable"),
        ("normalize_email", "callable"),
        ("mask_email", "callable"),
        ("hash_email", "callable"),
        ("send_sms_to_phone", "callable"),
        ("EmailMessage", "callable"),
        ("EmailMessage", "variable"),
        ("Email", "callable"),
        ("ip_address", "callable"),
        ("email", "callable"),
        ("full_name", "callable"),
        ("set_password", "callable"),
        ("check_password", "callable"),
        ("reset_password", "callable"),
        ("hash_password", "callable"),
        ("update_email", "callable"),
        ("export_user_data", "callable"),
        ("get_user_model", "callable"),
        ("get_email_template", "callable"),
        ("zip", "callable"),
        ("clean", "callable"),
        ("get", "callable"),
        ("EllipticCurvePrivateKey", "attribute"),
        ("IPv4Address", "attribute"),
        ("EmailStr", "variable"),
    ],
)
def test_callables_and_classes_are_not_values(clf: Classifier, name: str, role: str) -> None:
    assert clf.classify(name, role=role) is None
    assert clf.classify(name, role=role, person_context=True) is None


def test_all_caps_module_constants_are_configuration(clf: Classifier) -> None:
    assert clf.classify("EMAIL_BACKEND", module_constant=True) is None
    assert clf.classify("REMOTE_ADDR", module_constant=True) is None
    assert clf.classify("ADMIN_EMAIL", module_constant=True) is None
    # ALL_CAPS attributes are settings, not data
    assert clf.classify("DEFAULT_FROM_EMAIL", role="attribute") is None
    assert clf.classify("EMAIL", role="attribute") is None
    # ... but the same spelling as a string key is a real request header / META key
    assert cat(clf, "REMOTE_ADDR", role="key") == "online.ip"
    assert cat(clf, "EMAIL", role="key") == "contact.email"


def test_dunder_and_empty_names(clf: Classifier) -> None:
    for name in ("__name__", "__email__", "__str__", "", "   ", "_", "123"):
        assert clf.classify(name, person_context=True) is None


def test_keys_that_are_sentences_or_type_tags(clf: Classifier) -> None:
    assert clf.classify("Please enter your email address", role="key") is None
    assert clf.classify("{email}", role="key") is None
    assert clf.classify("AWS::IAM::AccessKey", role="key") is None
    assert cat(clf, "email address", role="key") == "contact.email"


def test_authorization_only_as_header_key(clf: Classifier) -> None:
    assert cat(clf, "Authorization", role="key") == "account.credentials"
    assert cat(clf, "HTTP_AUTHORIZATION", role="key") == "account.credentials"
    assert clf.classify("authorization") is None
    assert clf.classify("aggregation_authorizations", role="attribute") is None


# ---------------------------------------------------------------------------------------
# Kinds: metadata, protected, secret, id
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "kwargs", "category"),
    [
        ("is_email_verified", {}, "contact.email"),
        ("email_verified", {}, "contact.email"),
        ("email_verified_at", {}, "contact.email"),
        ("email_confirmed", {}, "contact.email"),
        ("has_phone", {}, "contact.phone"),
        ("phone_verified", {}, "contact.phone"),
        ("send_email", {}, "contact.email"),  # a flag variable: send_email = True
        ("can_email", {}, "contact.email"),
        ("email", {"annotation": "bool"}, "contact.email"),
        ("email", {"annotation": "Optional[bool]"}, "contact.email"),
        ("email", {"annotation": "bool | None"}, "contact.email"),
        ("email_verified", {"annotation": "models.BooleanField"}, "contact.email"),
        ("email", {"annotation": "models.BooleanField(default=False)"}, "contact.email"),
        ("email", {"annotation": "Mapped[bool]"}, "contact.email"),
        ("email", {"annotation": "Column(Boolean, default=False)"}, "contact.email"),
        ("email_verified_on", {"annotation": "datetime"}, "contact.email"),
        ("email", {"annotation": "datetime.datetime"}, "contact.email"),
        ("phone", {"annotation": "models.DateTimeField"}, "contact.phone"),
        ("name", {"annotation": "int", "person_context": True}, "identity.name"),
        ("is_phone_number_verified", {}, "contact.phone"),
        ("age_verified", CTX, "identity.age"),
        ("has_password", {}, "account.credentials"),
    ],
)
def test_metadata(clf: Classifier, name: str, kwargs: dict[str, Any], category: str) -> None:
    found = clf.classify(name, **kwargs)
    assert found is not None, name
    assert (found.category, found.kind) == (category, "metadata"), (name, found)


@pytest.mark.parametrize(
    ("name", "annotation", "category"),
    [
        ("birth_date", "models.DateField", "identity.birth_date"),
        ("date_of_birth", "datetime", "identity.birth_date"),
        ("dob", "date", "identity.birth_date"),
        ("birth_year", "int", "identity.birth_date"),
        ("latitude", "float", "location.precise"),
        ("lng", "Decimal", "location.precise"),
        ("salary", "int", "financial.income"),
        ("credit_score", "IntegerField", "financial.credit"),
        ("user_id", "int", "account.id"),
        ("phone_number", "int", "contact.phone"),
        ("email", "str", "contact.email"),
        ("email", "Optional[str]", "contact.email"),
        ("email", "models.CharField(max_length=254)", "contact.email"),
    ],
)
def test_value_types_are_not_gated(
    clf: Classifier, name: str, annotation: str, category: str
) -> None:
    found = clf.classify(name, annotation=annotation)
    assert found is not None and found.category == category
    assert found.kind in ("value", "id"), found


def test_special_categories_are_never_metadata(clf: Classifier) -> None:
    # A yes/no about health or a conviction is itself Art. 9/10 data.
    cases: list[tuple[str, dict[str, Any]]] = [
        ("has_disability", {}),
        ("is_pregnant", {"annotation": "bool"}),
        ("has_criminal_record", {}),
        ("bmi", {"annotation": "float"}),
        ("diagnosis_date", {"annotation": "date"}),
    ]
    for name, kwargs in cases:
        found = clf.classify(name, **kwargs)
        assert found is not None and found.kind == "value", (name, found)
        assert found.category.startswith(("special.", "criminal.")), found


def test_ambiguous_predicates_are_dropped(clf: Classifier) -> None:
    # `is_mobile` is device detection, `mobile: bool` likewise.
    assert clf.classify("is_mobile", person_context=True) is None
    assert clf.classify("mobile", annotation="bool", person_context=True) is None
    assert clf.classify("has_name", person_context=True) is None


@pytest.mark.parametrize(
    ("name", "category"),
    [
        ("email_hash", "contact.email"),
        ("hashed_email", "contact.email"),
        ("email_sha256", "contact.email"),
        ("email_md5", "contact.email"),
        ("email_hmac", "contact.email"),
        ("masked_email", "contact.email"),
        ("redacted_phone", "contact.phone"),
        ("anonymized_ip_address", "online.ip"),
        ("encrypted_ssn", "gov.national_id"),
        ("ssn_last4", "gov.national_id"),
        ("masked_card_number", "financial.card"),
        ("password_hash", "account.credentials"),
        ("hashed_password", "account.credentials"),
        ("enc_phone", "contact.phone"),
        ("pseudonymized_user_id", "account.id"),
    ],
)
def test_protected(clf: Classifier, name: str, category: str) -> None:
    found = clf.classify(name)
    assert found is not None and (found.category, found.kind) == (category, "protected"), (
        name, found
    )


@pytest.mark.parametrize(
    "name",
    [
        "password", "passwd", "pwd", "passphrase", "new_password", "old_password",
        "current_password", "raw_password", "password1", "password2", "user_password",
        "db_password", "smtp_password", "ldap_password", "database_password", "api_key",
        "apiKey", "secret_key", "secret", "client_secret", "app_secret", "webhook_secret",
        "access_token", "refresh_token", "auth_token", "bearer_token", "id_token",
        "reset_token", "password_reset_token", "reset_password_token", "verification_token",
        "email_confirmation_token", "forgot_password_token", "verification_code",
        "otp_secret", "mfa_secret", "totp_secret", "recovery_codes", "backup_codes",
        "security_answer", "private_key", "aws_secret_access_key", "user_pin", "otp",
    ],
)
def test_secrets(clf: Classifier, name: str) -> None:
    found = clf.classify(name)
    assert found is not None, name
    assert (found.category, found.kind) == ("account.credentials", "secret"), (name, found)


def test_secret_keys_and_infra_prefixes(clf: Classifier) -> None:
    found = clf.classify("SECRET_KEY", role="key")
    assert found is not None and found.kind == "secret"
    # infrastructure prefixes do not veto credentials, but ALL_CAPS constants are config
    assert clf.classify("DB_PASSWORD", module_constant=True) is None
    assert cat(clf, "DB_PASSWORD", role="key") == "account.credentials"
    # a bare `pin` is a GPIO pin unless a person or a card is around
    assert clf.classify("pin") is None
    assert clf.classify("led_pin") is None
    assert cat(clf, "card_pin") == "account.credentials"
    assert cat(clf, "pin", person_context=True) == "account.credentials"


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("user_id", {}),
        ("userId", {}),
        ("user_ids", {}),
        ("customer_id", {}),
        ("account_id", {}),
        ("member_id", {}),
        ("patient_id", {}),
        ("uid", {}),
        ("distinct_id", {}),
        ("owner_id", {}),
        ("author_id", {}),
        ("customer_pk", {}),
        ("pk", CTX),
        ("id", CTX),
        ("id", {"role": "attribute", "person_context": True}),
        ("uuid", FIELD_CTX),
        ("user_id", {"annotation": "int"}),
        ("stripe_customer_id", {}),
    ],
)
def test_ids(clf: Classifier, name: str, kwargs: dict[str, Any]) -> None:
    found = clf.classify(name, **kwargs)
    assert found is not None, name
    assert (found.category, found.kind) == ("account.id", "id"), (name, found)


@pytest.mark.parametrize(
    "name", ["id", "pk", "uuid", "email_id", "request_id", "session_user_id_", "parent_id",
             "child_id", "client_id", "message_id", "chat_id", "order_id", "stripe_id"],
)
def test_ids_never_values(clf: Classifier, name: str) -> None:
    for kwargs in ({}, CTX, FIELD_CTX):
        found = clf.classify(name, **kwargs)
        assert found is None or found.kind == "id", (name, kwargs, found)
    if name not in ("id", "pk", "uuid", "session_user_id_"):
        assert clf.classify(name, **CTX) is None, name


# ---------------------------------------------------------------------------------------
# Typed evidence
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("type_name", "expected"),
    [
        ("models.EmailField", ("contact.email", False)),
        ("django.db.models.EmailField", ("contact.email", False)),
        ("forms.EmailField", ("contact.email", False)),
        ("serializers.EmailField", ("contact.email", False)),
        ("rest_framework.serializers.IPAddressField", ("online.ip", False)),
        ("models.GenericIPAddressField", ("online.ip", False)),
        ("models.IPAddressField", ("online.ip", False)),
        ("models.URLField", ("contact.url", True)),
        ("models.ImageField", ("identity.photo", True)),
        ("PhoneNumberField", ("contact.phone", False)),
        ("phonenumber_field.modelfields.PhoneNumberField", ("contact.phone", False)),
        ("CountryField", ("contact.address.country", True)),
        ("localflavor.generic.models.IBANField", ("financial.bank", False)),
        ("BICField", ("financial.bank", False)),
        ("EncryptedEmailField", ("contact.email", False)),
        ("fields.Email", ("contact.email", False)),
        ("marshmallow.fields.Email", ("contact.email", False)),
        ("fields.IP", ("online.ip", False)),
        ("fields.IPv4", ("online.ip", False)),
        ("fields.IPv6", ("online.ip", False)),
        ("TelField", ("contact.phone", False)),
        ("wtforms.fields.TelField", ("contact.phone", False)),
        ("EmailStr", ("contact.email", False)),
        ("pydantic.EmailStr", ("contact.email", False)),
        ("Optional[EmailStr]", ("contact.email", False)),
        ("EmailStr | None", ("contact.email", False)),
        ("list[EmailStr]", ("contact.email", False)),
        ("Annotated[EmailStr, Field(max_length=254)]", ("contact.email", False)),
        ("'EmailStr'", ("contact.email", False)),
        ("NameEmail", ("contact.email", False)),
        ("IPvAnyAddress", ("online.ip", True)),
        ("IPv4Address", ("online.ip", True)),
        ("ipaddress.IPv6Address", ("online.ip", True)),
        ("SecretStr", ("account.credentials", False)),
        ("SecretBytes", ("account.credentials", False)),
        ("PhoneNumber", ("contact.phone", False)),
        ("pydantic_extra_types.phone_numbers.PhoneNumber", ("contact.phone", False)),
        ("PaymentCardNumber", ("financial.card", False)),
        ("Latitude", ("location.precise", False)),
        ("Longitude", ("location.precise", False)),
        ("pydantic_extra_types.coordinate.Coordinate", ("location.precise", False)),
        ("MacAddress", ("online.device_id", False)),
        ("sqlalchemy_utils.EmailType", ("contact.email", False)),
        ("EmailType()", ("contact.email", False)),
        ("Column(EmailType, nullable=False)", ("contact.email", False)),
        ("Column('email', EmailType)", ("contact.email", False)),
        ("Mapped[EmailType]", ("contact.email", False)),
        ("PhoneNumberType", ("contact.phone", False)),
        ("IPAddressType", ("online.ip", False)),
        ("CountryType", ("contact.address.country", True)),
        ("URLType", ("contact.url", True)),
        ("PasswordType", ("account.credentials", False)),
    ],
)
def test_classify_type(clf: Classifier, type_name: str, expected: tuple[str, bool]) -> None:
    assert clf.classify_type(type_name) == expected


@pytest.mark.parametrize(
    "type_name",
    [
        "str", "int", "bool", "Optional[str]", "models.CharField", "models.TextField",
        "models.BooleanField", "models.DateField", "Email", "IP", "Url", "Coordinate",
        "EmailMessage", "EncryptedCharField", "models.ForeignKey", "dict[str, Any]", "",
        "list[", "Column(String)", "Mapped[Optional[str]]",
    ],
)
def test_classify_type_negative(clf: Classifier, type_name: str) -> None:
    assert clf.classify_type(type_name) is None


def test_encrypted_types(clf: Classifier) -> None:
    for type_name in ("EncryptedCharField", "encrypted_model_fields.fields.EncryptedEmailField",
                      "fernet_fields.EncryptedTextField", "sqlalchemy_utils.EncryptedType",
                      "StringEncryptedType(Unicode, key)", "PasswordType",
                      "Optional[EncryptedType]"):
        assert clf.is_encrypted_type(type_name), type_name
    for type_name in ("CharField", "EmailField", "SecretStr", "str"):
        assert not clf.is_encrypted_type(type_name), type_name


def test_typed_evidence_beats_names(clf: Classifier) -> None:
    found = clf.classify("contact", role="field", annotation="models.EmailField")
    assert found == Classification("contact.email", "value", (), False)
    assert cat(clf, "reach_me", annotation="EmailStr") == "contact.email"
    assert cat(clf, "primary", annotation="PhoneNumberField") == "contact.phone"
    assert cat(clf, "addr", annotation="GenericIPAddressField") == "online.ip"
    # the name's phrase is kept when it agrees with the type
    found = clf.classify("email", annotation="EmailStr")
    assert found is not None and found.phrase == ("email",)


def test_typed_evidence_respects_organisation_and_infrastructure(clf: Classifier) -> None:
    assert clf.classify("support_email", annotation="models.EmailField") is None
    assert clf.classify("from_email", annotation="EmailStr") is None
    assert clf.classify("server_ip", annotation="GenericIPAddressField") is None
    assert clf.classify("email_template", annotation="EmailStr") is None


def test_context_dependent_types(clf: Classifier) -> None:
    # a URLField on a product is not personal; on a person it is a personal website
    assert clf.classify("link", annotation="models.URLField") is None
    assert cat(clf, "link", annotation="models.URLField", person_context=True) == "contact.url"
    assert cat(clf, "customer_link", annotation="URLField") == "contact.url"
    assert clf.classify("host", annotation="IPv4Address") is None
    assert cat(clf, "ip", annotation="IPv4Address", person_context=True) == "online.ip"
    assert cat(clf, "picture", annotation="models.ImageField", **FIELD_CTX) == "identity.photo"


def test_encrypted_and_masked_types_make_values_protected(clf: Classifier) -> None:
    found = clf.classify("ssn", annotation="EncryptedCharField")
    assert found is not None and (found.category, found.kind) == ("gov.national_id", "protected")
    found = clf.classify("contact", annotation="EncryptedEmailField")
    assert found is not None and (found.category, found.kind) == ("contact.email", "protected")
    # SecretStr prints '**********': logging it leaks nothing
    found = clf.classify("api_key", annotation="SecretStr")
    assert found is not None and (found.category, found.kind) == (
        "account.credentials", "protected"
    )
    found = clf.classify("email", annotation="Optional[SecretStr]")
    assert found is not None and (found.category, found.kind) == ("contact.email", "protected")
    found = clf.classify("password", annotation="PasswordType")
    assert found is not None and found.kind == "protected"
    assert clf.classify("title", annotation="EncryptedCharField") is None


# ---------------------------------------------------------------------------------------
# Precedence: typed evidence over name vetoes, person roles, project names over everything
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "annotation", "category"),
    [
        # the issue: `from`/`by`/`sent` vetoes must not silence a PII type
        ("joined_from_ip", "models.GenericIPAddressField", "online.ip"),
        ("sent_by_email", "models.EmailField", "contact.email"),
        ("logged_in_from_ip", "GenericIPAddressField", "online.ip"),
        ("signed_up_from_ip", "IPvAnyAddress", "online.ip"),  # the agent phrase is context
        ("registered_from_ip", "ipaddress.IPv4Address", "online.ip"),
        # what the address is for / what happened to it
        ("notification_email", "models.EmailField", "contact.email"),
        ("reminder_email", "EmailStr", "contact.email"),
        ("changed_email", "EmailStr", "contact.email"),
        ("report_email", "forms.EmailField", "contact.email"),
        # the record before an agent phrase is not whose the datum is
        ("ticket_changed_by_email", "models.EmailField", "contact.email"),
        ("server_created_by_email", "models.EmailField", "contact.email"),
        # agent nouns give a context-dependent type its person
        ("poster_ip", "IPvAnyAddress", "online.ip"),
        ("reporter_contact", "models.EmailField", "contact.email"),
    ],
)
def test_typed_evidence_beats_name_vetoes(
    clf: Classifier, name: str, annotation: str, category: str
) -> None:
    for context in (False, True):
        found = clf.classify(name, role="field", annotation=annotation, person_context=context)
        assert found is not None, (name, context)
        assert (found.category, found.kind) == (category, "value"), (name, context, found)


@pytest.mark.parametrize(
    ("name", "annotation"),
    [
        # an organisation's own mailbox is not a natural person's (domain.md §2.4)
        ("support_email", "models.EmailField"),
        ("noreply_email", "models.EmailField"),
        ("no_reply_email", "EmailStr"),
        ("company_email", "models.EmailField"),
        ("admin_email", "EmailStr"),
        ("info_email", "models.EmailField"),
        ("sales_email", "models.EmailField"),
        ("team_email", "EmailStr"),
        # the site's sender address: `from` as the header idiom, not after a participle
        ("from_email", "models.EmailField"),
        ("from_email", "EmailStr"),
        ("default_from_email", "EmailStr"),
        ("DEFAULT_FROM_EMAIL", "EmailStr"),
        ("SERVER_EMAIL", "EmailStr"),
        # machines
        ("server_ip", "models.GenericIPAddressField"),
        ("gateway_ip", "GenericIPAddressField"),
        ("bind_ip", "IPvAnyAddress"),
        ("migrated_from_ip", "models.GenericIPAddressField"),  # not a person's action
        # not the datum: descriptors, configuration
        ("email_template", "models.EmailField"),
        ("email_template", "EmailStr"),
        ("email_domain", "models.EmailField"),
        ("email_regex", "EmailStr"),
        ("email_backend", "EmailStr"),
        ("example_email", "EmailStr"),
        # a non-PII type is no typed evidence: the name decides
        ("email_template", "models.CharField"),
        ("sender_domain", "models.CharField"),
    ],
)
def test_typed_evidence_keeps_the_vetoes_that_say_whose_it_is_not(
    clf: Classifier, name: str, annotation: str
) -> None:
    for context in (False, True):
        found = clf.classify(name, role="field", annotation=annotation, person_context=context)
        assert found is None, (name, context, found)


def test_gating_types_still_make_metadata(clf: Classifier) -> None:
    for name in ("is_email_verified", "email_verified", "sent_by_email"):
        found = clf.classify(name, role="field", annotation="models.BooleanField",
                             person_context=True)
        assert found is not None and found.kind == "metadata", (name, found)


@pytest.mark.parametrize(
    ("name", "category"),
    [
        # agent nouns before a direct identifier
        ("sender_name", "identity.name"),
        ("poster_name", "identity.name"),
        ("poster_first_name", "identity.name.first"),
        ("reporter_name", "identity.name"),
        ("submitter_name", "identity.name"),
        ("reviewer_name", "identity.name"),
        ("recipient_name", "identity.name"),
        ("owner_name", "identity.name"),
        ("author_email", "contact.email"),
        ("assignee_email", "contact.email"),
        ("requester_phone", "contact.phone"),
        ("uploader_username", "identity.username"),
        # agent phrases: `<participle> by` names who did it
        ("changed_by_username", "identity.username"),
        ("requested_by_email", "contact.email"),
        ("created_by_email", "contact.email"),
        ("updated_by_email", "contact.email"),
        ("modified_by_name", "identity.name"),
        ("last_modified_by_name", "identity.name"),
        ("approved_by_full_name", "identity.name"),
        ("checked_in_by_name", "identity.name"),
        ("changed_by_user_name", "identity.username"),
        ("changed_by_user_email", "contact.email"),
        ("sent_by_email", "contact.email"),
        ("created_by_ip", "online.ip"),
        ("ticket_changed_by_name", "identity.name"),
        ("changedByUsername", "identity.username"),
        # `<participle> from` names where they did it from
        ("joined_from_ip", "online.ip"),
        ("signed_up_from_ip", "online.ip"),
    ],
)
def test_person_roles_are_personal_data(clf: Classifier, name: str, category: str) -> None:
    for kwargs in ({}, FIELD_CTX, {"role": "field", "annotation": "models.CharField"}):
        found = clf.classify(name, **kwargs)
        assert found is not None, (name, kwargs)
        assert (found.category, found.kind) == (category, "value"), (name, kwargs, found)


@pytest.mark.parametrize(
    "name",
    [
        # links, not the data
        "changed_by", "created_by", "changed_by_user", "created_by_id", "changed_by_id",
        "requested_by_pk",
        # programs and the organisation's sender
        "email_sender", "email_sender_name", "sender_domain", "sender_email_domain",
        "from_email", "default_from_email", "DEFAULT_FROM_EMAIL", "SERVER_EMAIL",
        # arrangement verbs are not agents; lookups are not values
        "sorted_by_name", "grouped_by_name", "ordered_by_name", "order_by_name",
        "filter_by_name", "indexed_by_name", "partitioned_by_ip",
        # a role does not attach to anything but a direct identifier
        "poster", "poster_image", "poster_url", "poster_size", "reporter_class",
        "reporter_format", "poster_location",
        # the head is still the last noun
        "created_by_email_template", "changed_by_username_regex", "sender_name_field",
        # not a person's action, and the `from` header idiom
        "migrated_from_ip", "copied_from_ip", "reply_from_email",
    ],
)
def test_person_role_traps(clf: Classifier, name: str) -> None:
    for kwargs in ({}, FIELD_CTX):
        found = clf.classify(name, **kwargs)
        assert found is None, (name, kwargs, found)
    assert clf.classify(name, role="key") is None, name


@pytest.mark.parametrize("name", ["sender_id", "author_id", "owner_id", "recipient_id"])
def test_role_ids_stay_pseudonymous_links(clf: Classifier, name: str) -> None:
    for kwargs in ({}, FIELD_CTX):
        found = clf.classify(name, **kwargs)
        assert found is not None and (found.category, found.kind) == ("account.id", "id"), (
            name, found
        )


def test_agent_nouns_do_not_make_person_objects(clf: Classifier) -> None:
    # `Poster` is a film poster, `Reporter` a test reporter: only the name/e-mail next to the
    # role is a person's
    for name in ("Poster", "Reporter", "Submitter", "poster", "TestReporter"):
        assert not clf.is_person_name(name), name


@pytest.mark.parametrize(
    ("extra", "name", "kwargs", "category"),
    [
        # a token the project maps beats the built-in vetoes before it
        ({"username": "identity.username"}, "changed_username", {}, "identity.username"),
        ({"username": "identity.username"}, "support_username", {}, "identity.username"),
        ({"username": "identity.username"}, "server_username", FIELD_CTX, "identity.username"),
        ({"badge_no": "contact.phone"}, "sent_badge_no", {}, "contact.phone"),
        # ... and so does a whole identifier, with or without a type
        ({"changed_by_username": "identity.username"}, "changed_by_username", {},
         "identity.username"),
        ({"support_email": "contact.email"}, "support_email", {}, "contact.email"),
        ({"support_email": "contact.email"}, "support_email",
         {"role": "field", "annotation": "models.EmailField"}, "contact.email"),
        ({"from_email": "contact.email"}, "from_email", {"annotation": "EmailStr"},
         "contact.email"),
        ({"server_ip": "online.ip"}, "server_ip",
         {"role": "field", "annotation": "models.GenericIPAddressField"}, "online.ip"),
        ({"crm_handle": "contact.url"}, "company_crm_handle", {"annotation": "models.URLField"},
         "contact.url"),
    ],
)
def test_project_names_beat_every_builtin_veto(
    extra: dict[str, str], name: str, kwargs: dict[str, Any], category: str
) -> None:
    clf = Classifier(extra_names=extra)
    found = clf.classify(name, **kwargs)
    assert found is not None, (name, kwargs)
    assert (found.category, found.kind) == (category, "value"), (name, found)
    # without the project's word, the built-in vetoes stand
    if name not in ("changed_by_username",):
        assert Classifier().classify(name, **kwargs) is None, name


def test_project_names_are_still_judged_by_what_follows() -> None:
    clf = Classifier(extra_names={"username": "identity.username", "badge_no": "hr.badge"})
    assert clf.classify("username_regex") is None  # head-final: a regex
    assert clf.classify("badge_no_template") is None
    found = clf.classify("badge_no_verified")
    assert found is not None and found.kind == "metadata"
    found = clf.classify("badge_no", annotation="bool")
    assert found is not None and found.kind == "metadata"
    # and the deny list and configuration constants still win
    assert Classifier(extra_names={"badge_no": "hr.badge"},
                      ignored_names=["support_badge_no"]).classify("support_badge_no") is None
    assert clf.classify("SUPPORT_BADGE_NO", role="variable") is None


# ---------------------------------------------------------------------------------------
# Person names
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "user", "User", "users", "Customer", "customers", "client", "person", "people",
        "patient", "employee", "member", "contact", "profile", "account", "applicant",
        "candidate", "student", "subscriber", "author", "owner", "buyer", "seller",
        "recipient", "sender", "guest", "visitor", "lead", "signup", "registration", "login",
        "request", "billing", "shipping", "beneficiary", "guardian", "parent", "child",
        "children", "current_user", "request_user", "AbstractUser", "AbstractBaseUser",
        "CustomUser", "UserProfile", "UserSerializer", "CustomerSchema", "UserCreate",
        "UserIn", "UserOut", "UserCreationForm", "UserChangeForm", "SignupForm",
        "RegistrationForm", "LoginForm", "LoginRequest", "CreateUserRequest",
        "PatientRecord", "EmployeeProfile", "BillingAddress", "ShippingInfo", "user_data",
        "customer_info", "ContactForm", "UserDB", "UserModel", "AnonymousUser",
    ],
)
def test_is_person_name(clf: Classifier, name: str) -> None:
    assert clf.is_person_name(name), name


@pytest.mark.parametrize(
    "name",
    [
        "contact_us", "ContactUs", "ContactUsForm", "contact_us_page", "Company",
        "Organization", "CompanyProfile", "company_account", "support_contact", "team_lead",
        "user_email", "user_count", "user_id", "user_settings", "customer_name", "UserAdmin",
        "UserFactory", "UserManager", "UserService", "UserTestCase", "db_user", "system_user",
        "admin_user", "http_client", "api_client", "s3_client", "redis_client", "test_client",
        "http_request", "requests", "child_process", "parent_node", "login_attempt",
        "email_sender", "Address", "Order", "Product", "Settings", "", "email", "name",
        "request_id", "client_secret",
    ],
)
def test_is_not_person_name(clf: Classifier, name: str) -> None:
    assert not clf.is_person_name(name), name


# ---------------------------------------------------------------------------------------
# Consent flags
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "consent", "consented", "has_consent", "consent_given", "gdpr_consent",
        "marketing_consent", "analytics_consent", "tracking_consent", "cookie_consent",
        "opt_in", "optIn", "optin", "opted_in", "email_opt_in", "sms_opt_in",
        "marketing_opt_in", "accepts_marketing", "allow_tracking", "newsletter",
        "is_subscribed", "subscribed", "newsletter_subscribed", "opt_out", "opted_out",
        "optout", "unsubscribed", "do_not_track", "dnt", "HTTP_DNT", "HTTP_SEC_GPC",
        "do_not_sell", "check_consent", "requires_consent", "has_consented",
    ],
)
def test_is_consent_name(clf: Classifier, name: str) -> None:
    assert clf.is_consent_name(name), name


@pytest.mark.parametrize(
    "name",
    [
        "terms_accepted", "accepted_terms", "tos_accepted", "consented_at", "consent_ip",
        "consent_version", "consent_source", "consent_banner", "consent_template",
        "newsletter_template", "subscription", "subscriber", "subscribe", "unsubscribe_url",
        "opt_in_date", "email", "marketing", "tracking", "", "constant", "optimal",
    ],
)
def test_is_not_consent_name(clf: Classifier, name: str) -> None:
    assert not clf.is_consent_name(name), name


# ---------------------------------------------------------------------------------------
# Configuration: extend-pii-names / ignore-pii-names
# ---------------------------------------------------------------------------------------


def test_extra_names() -> None:
    clf = Classifier(extra_names={"loyalty_no": "custom.loyalty", "nhs number": "special.health"})
    found = clf.classify("loyalty_no")
    assert found == Classification("custom.loyalty", "value", ("loyalty", "no"), False)
    assert cat(clf, "customer_loyalty_no") == "custom.loyalty"
    assert cat(clf, "loyaltyNo") == "custom.loyalty"
    assert cat(clf, "LOYALTY_NO", role="key") == "custom.loyalty"
    assert cat(clf, "patient_nhs_number") == "special.health"
    # modifiers still veto project phrases
    assert clf.classify("loyalty_no_regex") is None
    # and the defaults are unaffected
    assert cat(clf, "email") == "contact.email"
    assert Classifier().classify("loyalty_no") is None


def test_extra_names_override_builtin_phrases() -> None:
    clf = Classifier(extra_names={"handle": "identity.username", "user_pin": "custom.pin"})
    assert cat(clf, "handle") == "identity.username"  # strong now: no context needed
    assert cat(clf, "user_pin") == "custom.pin"


def test_extra_names_kinds_follow_category() -> None:
    clf = Classifier(extra_names={"vault_word": "account.credentials", "crm_ref": "account.id"})
    assert clf.classify("vault_word").kind == "secret"  # type: ignore[union-attr]
    assert clf.classify("crm_ref").kind == "id"  # type: ignore[union-attr]


def test_ignored_names() -> None:
    clf = Classifier(ignored_names=["Legacy_Email", "tel"])
    assert clf.classify("legacy_email") is None
    assert clf.classify("LEGACY_EMAIL", role="key") is None
    assert clf.classify("old_legacy_email") is None  # matched as a token phrase
    assert clf.classify("tel") is None
    assert clf.classify("user_tel") is None
    assert cat(clf, "telephone") == "contact.phone"  # matched as written, not expanded
    assert cat(clf, "phone") == "contact.phone"
    assert cat(clf, "email") == "contact.email"


def test_ignored_beats_extra() -> None:
    clf = Classifier(extra_names={"loyalty_no": "custom.loyalty"}, ignored_names=["loyalty_no"])
    assert clf.classify("loyalty_no") is None


# ---------------------------------------------------------------------------------------
# API behaviour
# ---------------------------------------------------------------------------------------


def test_unknown_role_is_an_error(clf: Classifier) -> None:
    with pytest.raises(ValueError, match="unknown role"):
        clf.classify("email", role="column")


def test_results_are_memoised(clf: Classifier) -> None:
    first = clf.classify("customer_email_address", role="field")
    assert clf.classify("customer_email_address", role="field") is first


def test_classifier_pickles() -> None:
    clf = Classifier(extra_names={"loyalty_no": "custom.loyalty"}, ignored_names=["tel"])
    clf.classify("email")
    clone = pickle.loads(pickle.dumps(clf))
    assert cat(clone, "loyalty_no") == "custom.loyalty"
    assert clone.classify("tel") is None
    assert cat(clone, "email") == "contact.email"


def test_classification_is_frozen() -> None:
    found = Classification("contact.email", "value", ("email",), False)
    with pytest.raises(AttributeError):
        found.kind = "secret"  # type: ignore[misc]


# ---------------------------------------------------------------------------------------
# Lexicon integrity
# ---------------------------------------------------------------------------------------


def _all_phrases() -> dict[tuple[str, ...], str]:
    return {phrase: category for category, phrases in lx.PHRASES.items() for phrase in phrases}


def test_every_category_is_canonical() -> None:
    emitted = set(lx.PHRASES) | {category for category, _ in lx.TYPED_FIELDS.values()}
    emitted |= set(lx.CATEGORY_EXCLUSIONS) | set(lx.CATEGORY_EXEMPTIONS)
    emitted |= set(lx.CATEGORY_QUALIFIERS) | set(lx.STRICT_CATEGORIES)
    assert emitted <= CANONICAL, emitted - CANONICAL


def test_classifier_only_emits_canonical_categories(clf: Classifier) -> None:
    for phrase in _all_phrases():
        for kwargs in ({}, CTX, FIELD_CTX, {"role": "key"}):
            found = clf.classify("_".join(phrase), **kwargs)
            if found is not None:
                assert found.category in CANONICAL
                assert found.kind in KINDS


def test_phrases_are_well_formed_and_unique() -> None:
    seen: dict[tuple[str, ...], str] = {}
    for category, phrases in lx.PHRASES.items():
        for phrase in phrases:
            assert isinstance(phrase, tuple) and phrase, (category, phrase)
            for token in phrase:
                assert re.fullmatch(r"[a-z][a-z0-9]*", token), (category, phrase)
                assert not token.isdigit()
            assert phrase not in seen, (phrase, category, seen.get(phrase))
            seen[phrase] = category


def test_phrases_are_reachable(clf: Classifier) -> None:
    # A phrase the tokeniser can never produce is dead data (e.g. a concatenation that is
    # always expanded, or a plural that is singularised away).
    for phrase in _all_phrases():
        assert clf._tokens("_".join(phrase)) == phrase, phrase


def test_phrase_tables_refer_to_phrases() -> None:
    phrases = _all_phrases()
    for table in (lx.PHRASE_CONTEXT_WORDS, lx.PHRASE_QUALIFIERS, lx.PHRASE_EXCLUSIONS):
        assert set(table) <= set(phrases), set(table) - set(phrases)
    for group in (lx.CONTEXT_PHRASES, lx.QUALIFIED_ONLY, lx.FIELD_ONLY_CONTEXT,
                  lx.KEY_ONLY_PHRASES):
        assert set(group) <= set(phrases), set(group) - set(phrases)
    assert lx.QUALIFIED_ONLY <= lx.CONTEXT_PHRASES
    assert lx.FIELD_ONLY_CONTEXT <= lx.CONTEXT_PHRASES
    for phrase in lx.QUALIFIED_ONLY:
        assert lx.PHRASE_CONTEXT_WORDS.get(phrase), phrase


def test_every_phrase_classifies_somewhere(clf: Classifier) -> None:
    # With the strongest context a phrase can get, it must come back as its own category.
    needs_words = lx.QUALIFIED_ONLY | lx.KEY_ONLY_PHRASES
    for phrase, category in _all_phrases().items():
        if phrase in needs_words:
            continue
        found = clf.classify("_".join(phrase), **FIELD_CTX)
        assert found is not None and found.category == category, (phrase, found)


def test_person_word_sets() -> None:
    assert not (lx.STRONG_PERSON_WORDS & lx.WEAK_PERSON_WORDS)
    spec = {
        "user", "customer", "client", "person", "people", "patient", "employee", "member",
        "contact", "profile", "account", "applicant", "candidate", "student", "subscriber",
        "author", "owner", "buyer", "seller", "recipient", "sender", "guest", "visitor",
        "lead", "signup", "registration", "login", "request", "billing", "shipping",
        "beneficiary", "guardian", "parent", "child",
    }
    assert spec <= lx.PERSON_WORDS
    assert {"company", "org", "support", "noreply", "admin", "info", "sales"} <= lx.ORG_WORDS


def test_typed_field_tables() -> None:
    for key, (_category, needs_context) in lx.TYPED_FIELDS.items():
        assert re.fullmatch(r"[A-Za-z_][\w.]*", key), key
        assert isinstance(needs_context, bool)
    for key in ("URLField", "ImageField", "CountryField", "IPv4Address", "URLType"):
        assert lx.TYPED_FIELDS[key][1], key
    for key in ("EmailField", "GenericIPAddressField", "EmailStr", "PhoneNumberField"):
        assert not lx.TYPED_FIELDS[key][1], key
    assert set(lx.GATING_TYPES.values()) == {"bool", "number", "time"}
