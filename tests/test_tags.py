"""Tests for pdlint.tags: the gdpr tag grammar in comments and docstrings."""

from __future__ import annotations

import pytest

from pdlint.tags import (
    CATEGORY_KEYS,
    FLAGS,
    KEYS,
    LIST_KEYS,
    SCALAR_KEYS,
    DocstringTag,
    TagProblem,
    TagRecord,
    comment_tag_body,
    comment_tag_offset,
    docstring_tags,
    parse_tag,
)

try:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    HAVE_HYPOTHESIS = True
except ImportError:  # pragma: no cover - hypothesis is a declared test dependency
    HAVE_HYPOTHESIS = False


def ok(body: str) -> TagRecord:
    """Parse a body that must be clean."""
    record, problems = parse_tag(body)
    assert problems == (), problems
    return record


def bad(body: str) -> tuple[TagRecord, TagProblem]:
    """Parse a body that must yield exactly one problem."""
    record, problems = parse_tag(body)
    assert len(problems) == 1, problems
    return record, problems[0]


# --- vocabulary -----------------------------------------------------------------------------


def test_key_sets() -> None:
    assert LIST_KEYS == {
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
    assert SCALAR_KEYS == {"basis", "art9", "art10", "retention", "transfer", "reason", "id"}
    assert not LIST_KEYS & SCALAR_KEYS
    assert KEYS == LIST_KEYS | SCALAR_KEYS
    assert CATEGORY_KEYS == {"data", "collects", "uses", "stores", "shares"}
    assert CATEGORY_KEYS <= LIST_KEYS
    assert FLAGS == {
        "none",
        "consent-check",
        "encrypted",
        "pseudonymised",
        "anonymised",
        "optional",
    }


# --- comment prefix -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("comment", "body", "offset"),
    [
        ("# gdpr: collects=contact.email", "collects=contact.email", 8),
        ("#gdpr:x", "x", 6),
        ("#  GDPR : x", "x", 10),
        ("# Gdpr:x", "x", 7),
        ("# gdpr:", "", 7),
        ("# gdpr:   ", "", 10),
        ("#\tgdpr\t:\tnone", "none", 9),
        ("# gdpr: contact.email  # type: ignore", "contact.email", 8),
        ('# gdpr: reason="see #12" none', 'reason="see #12" none', 8),
        ("# gdpr: tests=a#b", "tests=a#b", 8),
    ],
)
def test_comment_tag_body(comment: str, body: str, offset: int) -> None:
    assert comment_tag_body(comment) == body
    assert comment_tag_offset(comment) == offset
    assert comment[offset:].startswith(body)


@pytest.mark.parametrize(
    "comment",
    [
        "# gdpr",
        "# gdpr collects=x",
        "# not gdpr: x",
        "# pdlint: ignore[PDL101]",
        "# pdlint: collects=contact.email",
        "# gdprs: x",
        "# gdpr-tag: x",
        "## gdpr: x",
        "gdpr: x",
        "",
        "#",
        "# noqa: E501",
        "# type: ignore",
    ],
)
def test_not_a_comment_tag(comment: str) -> None:
    assert comment_tag_body(comment) is None
    assert comment_tag_offset(comment) is None


def test_empty_comment_tag_is_an_empty_tag_problem() -> None:
    body = comment_tag_body("# gdpr:")
    assert body == ""
    record, problem = bad(body)
    assert problem.message.startswith("empty tag")
    assert problem.offset == 0
    assert record == TagRecord()


# --- the basic record -----------------------------------------------------------------------


def test_full_record_keeps_first_appearance_order() -> None:
    record = ok("collects=contact.email,identity.name purpose=account basis=contract retention=2y")
    assert record.pairs == (
        ("collects", ("contact.email", "identity.name")),
        ("purpose", ("account",)),
        ("basis", ("contract",)),
        ("retention", ("2y",)),
    )
    assert record.flags == ()
    assert record.get("collects") == ("contact.email", "identity.name")
    assert record.get("COLLECTS") == ("contact.email", "identity.name")
    assert record.get("shares") == ()
    assert record.has("basis")
    assert not record.has("art9")
    assert record.categories == ("contact.email", "identity.name")
    assert not record.is_none


def test_tags_md_examples_parse_cleanly() -> None:
    ok("collects=contact.email,identity.name purpose=account basis=contract retention=account+30d")
    ok("subject=customer")
    ok("contact.email retention=account")
    ok("special.health art9=explicit-consent basis=consent")
    ok("shares=contact.email to=mailchimp purpose=marketing basis=consent consent=newsletter")
    ok("right=erasure")
    ok("uses=identity.name,contact.email,special.health right=access,portability")
    ok("collects=online.ip purpose=security basis=legitimate_interest retention=90d")
    ok(
        "shares=contact.email,identity.name to=mailchimp purpose=marketing basis=consent "
        "consent=marketing_opt_in transfer=us:scc"
    )
    ok("right=erase")
    ok('ignore=PD101 reason="organisation mailbox, not a person"')
    ok("special.health art9=explicit_consent basis=consent")


def test_bare_path_is_data() -> None:
    record = ok("contact.email")
    assert record.pairs == (("data", ("contact.email",)),)
    assert record.categories == ("contact.email",)


def test_bare_comma_list_of_paths() -> None:
    record = ok("contact.email,identity.name")
    assert record.get("data") == ("contact.email", "identity.name")


def test_space_after_comma_is_glued() -> None:
    record = ok("collects=a, b,  c purpose=x")
    assert record.get("collects") == ("a", "b", "c")
    assert record.get("purpose") == ("x",)


def test_space_before_comma_is_glued() -> None:
    assert ok("collects=a ,b").get("collects") == ("a", "b")


def test_trailing_comma_at_end_is_an_empty_value() -> None:
    record, problem = bad("collects=a,")
    assert record.get("collects") == ("a",)
    assert "empty value" in problem.message and "collects" in problem.message


def test_quoted_reason_with_spaces_and_commas() -> None:
    record = ok('ignore=PDL201 reason="shared mailbox, see #12" none')
    assert record.get("reason") == ("shared mailbox, see #12",)
    assert record.get("ignore") == ("PDL201",)
    assert record.flags == ("none",)


def test_quotes_inside_a_token_and_escapes() -> None:
    assert ok('reason=shared" "mailbox').get("reason") == ("shared mailbox",)
    assert ok(r'reason="say \"hi\""').get("reason") == ('say "hi"',)
    assert ok('to="Acme Corp",mailchimp').get("to") == ("acme corp", "mailchimp")


def test_quoted_equals_and_commas_are_not_separators() -> None:
    record = ok('reason="a=b, c"')
    assert record.get("reason") == ("a=b, c",)


def test_unquoted_reason_keeps_commas() -> None:
    assert ok("reason=legacy,pending").get("reason") == ("legacy,pending",)


def test_list_keys_merge_and_deduplicate() -> None:
    record = ok("collects=a,b purpose=x collects=b,c contact.email contact.email")
    assert record.pairs == (
        ("collects", ("a", "b", "c")),
        ("purpose", ("x",)),
        ("data", ("contact.email",)),
    )


def test_categories_property_deduplicates_across_keys() -> None:
    record = ok("collects=contact.email stores=contact.email,identity.name uses=Contact.Phone")
    assert record.categories == ("contact.email", "identity.name", "contact.phone")


def test_categories_are_kept_lower_cased_and_unresolved() -> None:
    record = ok("collects=Contact.Email,emial,custom.loyalty_id,contact.*,fides:user.sensor")
    assert record.get("collects") == (
        "contact.email",
        "emial",
        "custom.loyalty_id",
        "contact.*",
        "fides:user.sensor",
    )


def test_hyphens_in_category_paths_are_underscores() -> None:
    assert ok("identity.birth-date").get("data") == ("identity.birth_date",)


# --- keys -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    ["COLLECTS=contact.email", "Collects=contact.email", "collects=contact.email"],
)
def test_keys_are_case_insensitive(body: str) -> None:
    assert ok(body).get("collects") == ("contact.email",)


@pytest.mark.parametrize("body", ["art_9=research", "art-9=research", "ART9=research"])
def test_dash_and_underscore_in_keys(body: str) -> None:
    assert ok(body).get("art9") == ("research",)


def test_unknown_key_with_suggestion() -> None:
    record, problem = bad("purpse=marketing")
    assert problem.message == "unknown key 'purpse' (did you mean 'purpose'?)"
    assert problem.suggestion == "purpose"
    assert problem.offset == 0
    assert record == TagRecord()


def test_unknown_key_offset_points_at_item() -> None:
    _, problem = bad("basis=contract colects=contact.email")
    assert problem.offset == 15
    assert problem.suggestion == "collects"


def test_unknown_key_without_suggestion() -> None:
    _, problem = bad("zzzz=1")
    assert problem.message == "unknown key 'zzzz'"
    assert problem.suggestion is None


def test_unknown_key_does_not_spoil_the_rest() -> None:
    record, _ = bad("collects=contact.email purpse=x basis=contract")
    assert record.pairs == (("collects", ("contact.email",)), ("basis", ("contract",)))


# --- empty values and stray '=' -------------------------------------------------------------


def test_empty_value() -> None:
    record, problem = bad("purpose=")
    assert problem.message == "empty value for 'purpose'"
    assert problem.offset == 0
    assert not record.has("purpose")


def test_empty_value_in_list() -> None:
    record, problem = bad("collects=a,,b")
    assert record.get("collects") == ("a", "b")
    assert problem.message == "empty value in 'collects'"
    assert problem.offset == 11


def test_empty_quoted_value() -> None:
    _, problem = bad('reason=""')
    assert "empty value" in problem.message


def test_leading_comma_is_an_empty_value() -> None:
    record, problem = bad("collects=,a")
    assert record.get("collects") == ("a",)
    assert problem.offset == 9


@pytest.mark.parametrize("body", ["=x", "=", "=="])
def test_stray_equals(body: str) -> None:
    record, problem = bad(body)
    assert "stray '='" in problem.message
    assert problem.offset == 0
    assert record == TagRecord()


def test_stray_equals_in_the_middle() -> None:
    record, problem = bad("contact.email =x")
    assert problem.offset == 14
    assert record.get("data") == ("contact.email",)


@pytest.mark.parametrize("body", ["collects = contact.email", "collects =contact.email"])
def test_spaces_around_equals_are_reported_but_understood(body: str) -> None:
    record, problem = bad(body)
    assert "spaces around '='" in problem.message
    assert problem.offset == 9
    assert record.get("collects") == ("contact.email",)


def test_bare_key_needs_a_value() -> None:
    record, problem = bad("purpose")
    assert problem.message == "'purpose' needs a value: write purpose=…"
    assert problem.suggestion == "purpose="
    assert record == TagRecord()


@pytest.mark.parametrize("body", ["", "   ", "\t\n"])
def test_empty_tag(body: str) -> None:
    record, problem = bad(body)
    assert problem.message.startswith("empty tag")
    assert record == TagRecord()


def test_empty_quoted_item() -> None:
    _, problem = bad('""')
    assert "empty item" in problem.message


# --- scalars --------------------------------------------------------------------------------


@pytest.mark.parametrize("key", sorted(SCALAR_KEYS - {"reason"}))
def test_scalar_given_twice(key: str) -> None:
    value = {
        "basis": "consent",
        "art9": "research",
        "art10": "official-authority",
        "retention": "2y",
        "transfer": "us:scc",
        "id": "rec1",
    }[key]
    body = f"{key}={value} {key}={value}"
    record, problem = bad(body)
    assert problem.message == f"'{key}' given twice"
    assert problem.offset == len(key) + len(value) + 2
    assert record.get(key) == (record.get(key)[0],)


def test_reason_given_twice() -> None:
    _, problem = bad('reason="a" reason="b"')
    assert problem.message == "'reason' given twice"


def test_first_scalar_wins() -> None:
    record, _ = bad("basis=consent basis=contract")
    assert record.get("basis") == ("consent",)


def test_scalar_with_several_values() -> None:
    record, problem = bad("basis=consent,contract")
    assert problem.message == "'basis' takes a single value"
    assert problem.offset == 14
    assert record.get("basis") == ("consent",)


def test_id_keeps_case() -> None:
    assert ok("id=REC-42").get("id") == ("REC-42",)


# --- basis ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("consent", "consent"),
        ("Consent", "consent"),
        ("contract", "contract"),
        ("legal-obligation", "legal-obligation"),
        ("legal_obligation", "legal-obligation"),
        ("legal", "legal-obligation"),
        ("vital-interests", "vital-interests"),
        ("vital_interest", "vital-interests"),
        ("vital", "vital-interests"),
        ("public-task", "public-task"),
        ("public_task", "public-task"),
        ("public", "public-task"),
        ("legitimate-interests", "legitimate-interests"),
        ("legitimate_interest", "legitimate-interests"),
        ("LEGITIMATE-INTEREST", "legitimate-interests"),
        ("li", "legitimate-interests"),
        ('"contract"', "contract"),
    ],
)
def test_basis_normalised(written: str, canonical: str) -> None:
    assert ok(f"basis={written}").get("basis") == (canonical,)


@pytest.mark.parametrize(
    ("written", "suggestion"),
    [
        ("contrat", "contract"),
        ("legitimate-intrest", "legitimate-interests"),
        ("consnt", "consent"),
        ("vitall", "vital-interests"),
    ],
)
def test_bad_basis_with_suggestion(written: str, suggestion: str) -> None:
    record, problem = bad(f"basis={written}")
    assert problem.message == f"unknown basis '{written}' (did you mean '{suggestion}'?)"
    assert problem.suggestion == suggestion
    assert problem.offset == 6
    assert not record.has("basis")


def test_bad_basis_without_suggestion() -> None:
    _, problem = bad("basis=zzz")
    assert problem.message == "unknown basis 'zzz'"
    assert problem.suggestion is None


# --- rights ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("access", "access"),
        ("rectification", "rectification"),
        ("rectify", "rectification"),
        ("erasure", "erasure"),
        ("erase", "erasure"),
        ("delete", "erasure"),
        ("forget", "erasure"),
        ("restriction", "restriction"),
        ("restrict", "restriction"),
        ("portability", "portability"),
        ("export", "portability"),
        ("objection", "objection"),
        ("object", "objection"),
        ("withdraw", "objection"),
        ("ERASE", "erasure"),
    ],
)
def test_right_normalised(written: str, canonical: str) -> None:
    assert ok(f"right={written}").get("right") == (canonical,)


def test_rights_list_is_deduplicated_after_normalising() -> None:
    assert ok("right=erase,delete,access").get("right") == ("erasure", "access")


def test_bad_right() -> None:
    record, problem = bad("right=acess,erase")
    assert problem.message == "unknown right 'acess' (did you mean 'access'?)"
    assert problem.suggestion == "access"
    assert problem.offset == 6
    assert record.get("right") == ("erasure",)


# --- art9 / art10 ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("explicit-consent", "explicit-consent"),
        ("explicit_consent", "explicit-consent"),
        ("employment", "employment"),
        ("vital-interests", "vital-interests"),
        ("vital-interest", "vital-interests"),
        ("vital_interest", "vital-interests"),
        ("nonprofit", "nonprofit"),
        ("made_public", "made-public"),
        ("legal_claims", "legal-claims"),
        ("public_interest", "public-interest"),
        ("health_care", "health-care"),
        ("public_health", "public-health"),
        ("research", "research"),
    ],
)
def test_art9_normalised(written: str, canonical: str) -> None:
    assert ok(f"art9={written}").get("art9") == (canonical,)


def test_bad_art9() -> None:
    _, problem = bad("art9=explicit-concent")
    assert problem.message == ("unknown art9 'explicit-concent' (did you mean 'explicit-consent'?)")
    assert problem.suggestion == "explicit-consent"


def test_art9_rejects_an_art6_only_basis() -> None:
    _, problem = bad("art9=contract")
    assert problem.message.startswith("unknown art9 'contract'")


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("official-authority", "official-authority"),
        ("official_authority", "official-authority"),
        ("authorised-by-law", "authorised-by-law"),
        ("authorized_by_law", "authorised-by-law"),
    ],
)
def test_art10_normalised(written: str, canonical: str) -> None:
    assert ok(f"art10={written}").get("art10") == (canonical,)


def test_bad_art10() -> None:
    _, problem = bad("art10=authorised")
    assert problem.message.startswith("unknown art10 'authorised'")
    assert problem.suggestion == "authorised-by-law"


# --- retention ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("12h", "12h"),
        ("90d", "90d"),
        ("2w", "2w"),
        ("6mo", "6mo"),
        ("2y", "2y"),
        ("2Y", "2y"),
        ("6MO", "6mo"),
        ("P90D", "P90D"),
        ("p90d", "P90D"),
        ("P2Y6M", "P2Y6M"),
        ("PT12H", "PT12H"),
        ("P1DT12H30M5S", "P1DT12H30M5S"),
        ("P3W", "P3W"),
        ("session", "session"),
        ("Session", "session"),
        ("account", "account"),
        ("account+30d", "account+30d"),
        ("account+6mo", "account+6mo"),
        ("ACCOUNT+1Y", "account+1y"),
        ("legal", "legal"),
        ("indefinite", "indefinite"),
    ],
)
def test_good_retention(written: str, canonical: str) -> None:
    assert ok(f"retention={written}").get("retention") == (canonical,)


@pytest.mark.parametrize(("written", "suggestion"), [("6m", "6mo"), ("account+3m", "account+3mo")])
def test_bare_m_is_ambiguous(written: str, suggestion: str) -> None:
    record, problem = bad(f"retention={written}")
    assert "ambiguous" in problem.message
    assert "use 'mo' for months" in problem.message
    assert problem.suggestion == suggestion
    assert problem.offset == 10
    assert not record.has("retention")


@pytest.mark.parametrize(
    ("written", "suggestion"),
    [
        ("30days", "30d"),
        ("30day", "30d"),
        ("6months", "6mo"),
        ("2years", "2y"),
        ("1week", "1w"),
        ("12hours", "12h"),
        ("2yrs", "2y"),
        ("account+30days", "account+30d"),
    ],
)
def test_word_units_are_rejected_with_a_fix(written: str, suggestion: str) -> None:
    _, problem = bad(f"retention={written}")
    assert problem.message.startswith(f"bad duration '{written}'")
    assert problem.suggestion == suggestion


@pytest.mark.parametrize(
    "written",
    ["forever", "zz", "P", "PT", "P1DT", "P1.5Y", "-1d", "1.5y", "30min", "30s", "d30", "y", "٣d"],
)
def test_garbage_retention_is_a_bad_duration(written: str) -> None:
    record, problem = bad(f"retention={written}")
    assert problem.message.startswith("bad duration")
    assert not record.has("retention")


def test_retention_missing_unit() -> None:
    _, problem = bad("retention=30")
    assert "missing unit" in problem.message


def test_retention_keyword_typo_suggests() -> None:
    _, problem = bad("retention=sesion")
    assert problem.suggestion == "session"


# --- transfer -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("us:scc", "us:scc"),
        ("US:SCC", "us:scc"),
        ("in:adequacy", "in:adequacy"),
        ("ch:bcr", "ch:bcr"),
        ("br:derogation", "br:derogation"),
    ],
)
def test_good_transfer(written: str, canonical: str) -> None:
    assert ok(f"transfer={written}").get("transfer") == (canonical,)


def test_transfer_unknown_mechanism() -> None:
    _, problem = bad("transfer=us:sccs")
    assert problem.message == "unknown transfer mechanism 'sccs' (did you mean 'us:scc'?)"
    assert problem.suggestion == "us:scc"


@pytest.mark.parametrize("written", ["usa", "usa:scc", "u:scc", "us:", ":scc", "us-scc"])
def test_bad_transfer_shape(written: str) -> None:
    _, problem = bad(f"transfer={written}")
    assert problem.message.startswith("bad transfer")


# --- category values ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "contact.email",
        "contact",
        "contact.*",
        "custom.loyalty_id",
        "a1.b_2",
        "fides:user.contact.email",
        "FIDES:user.contact.email",
        "emial",
    ],
)
def test_good_category_paths(path: str) -> None:
    for key in sorted(CATEGORY_KEYS):
        assert ok(f"{key}={path}").get(key) == (path.lower(),)


@pytest.mark.parametrize(
    "path",
    ["contact..email", "contact.", "1contact", "contact.e-mail!", "contact.*.email", "fides:", "*"],
)
def test_bad_category_paths(path: str) -> None:
    record, problem = bad(f"collects={path}")
    assert problem.message.startswith(f"bad category path '{path}'")
    assert problem.offset == 9
    assert not record.has("collects")


@pytest.mark.parametrize("path", ["contact..email", ".email", "contact.email."])
def test_bad_bare_paths(path: str) -> None:
    _, problem = bad(path)
    assert problem.message.startswith("bad category path")


def test_bad_category_offset_inside_list() -> None:
    _, problem = bad("collects=contact.email, contact..x")
    assert problem.offset == len("collects=contact.email, ")


# --- purpose, subject, to, consent, tests, ignore -------------------------------------------


def test_purpose_values() -> None:
    record = ok("purpose=marketing.email,Ads.Targeted,customer_support,fides:essential.service")
    assert record.get("purpose") == (
        "marketing.email",
        "ads.targeted",
        "customer-support",
        "fides:essential.service",
    )


def test_bad_purpose() -> None:
    _, problem = bad('purpose="customer support"')
    assert problem.message.startswith("bad purpose 'customer support'")


def test_subject_values() -> None:
    assert ok("subject=Customer,job-applicant,child").get("subject") == (
        "customer",
        "job_applicant",
        "child",
    )


def test_bad_subject() -> None:
    _, problem = bad("subject=9lives")
    assert problem.message.startswith("bad subject")


def test_to_and_consent_are_lower_cased() -> None:
    record = ok("shares=contact.email to=MailChimp,SendGrid consent=Newsletter_Opt_In")
    assert record.get("to") == ("mailchimp", "sendgrid")
    assert record.get("consent") == ("newsletter_opt_in",)


def test_tests_keep_case() -> None:
    record = ok("tests=tests/test_api.py::TestSignup,test_Export")
    assert record.get("tests") == ("tests/test_api.py::TestSignup", "test_Export")


def test_ignore_codes_upper_cased() -> None:
    assert ok('ignore=pdl201,PD101 reason="x"').get("ignore") == ("PDL201", "PD101")


def test_bad_ignore_code() -> None:
    _, problem = bad('ignore=everything reason="x"')
    assert problem.message.startswith("bad rule code 'everything'")


# --- flags ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("none", "none"),
        ("NONE", "none"),
        ("consent-check", "consent-check"),
        ("consent_check", "consent-check"),
        ("Consent-Check", "consent-check"),
        ("encrypted", "encrypted"),
        ("pseudonymised", "pseudonymised"),
        ("pseudonymized", "pseudonymised"),
        ("anonymised", "anonymised"),
        ("anonymized", "anonymised"),
        ("optional", "optional"),
    ],
)
def test_flags(written: str, canonical: str) -> None:
    record = ok(written)
    assert record.flags == (canonical,)
    assert record.pairs == ()
    assert record.has(canonical)
    assert canonical in FLAGS


def test_flags_in_order_without_duplicates() -> None:
    record = ok("optional contact.email encrypted optional pseudonymized")
    assert record.flags == ("optional", "encrypted", "pseudonymised")
    assert record.get("data") == ("contact.email",)


def test_none_flag() -> None:
    record = ok("none")
    assert record.is_none
    assert record.categories == ()


def test_misspelt_flag_is_an_unknown_item() -> None:
    record, problem = bad("encypted")
    assert problem.message == "unknown item 'encypted' (did you mean 'encrypted'?)"
    assert problem.suggestion == "encrypted"
    assert record == TagRecord()


def test_misspelt_flag_offset() -> None:
    _, problem = bad("contact.email optinal")
    assert problem.offset == 14
    assert problem.suggestion == "optional"


def test_unknown_item_that_is_no_path() -> None:
    _, problem = bad("x!y")
    assert problem.message == "unknown item 'x!y'"
    assert problem.suggestion is None


def test_unknown_item_close_to_a_flag() -> None:
    _, problem = bad("n0ne!")
    assert problem.suggestion == "none"


def test_single_word_aliases_stay_categories() -> None:
    # "phone" resembles "none" a little but is a category alias: it must not become a flag typo
    assert ok("phone").get("data") == ("phone",)
    assert ok("session").get("data") == ("session",)


def test_has_for_flags_accepts_spelling_variants() -> None:
    record = ok("anonymized")
    assert record.has("anonymised")
    assert record.has("anonymized")
    assert not record.has("none")


# --- quotes ---------------------------------------------------------------------------------


def test_unbalanced_quote_is_a_problem_not_an_exception() -> None:
    record, problem = bad('reason="shared mailbox none')
    assert problem.message.startswith("unbalanced quote")
    assert problem.offset == 7
    assert record.get("reason") == ("shared mailbox none",)


def test_lone_quote() -> None:
    record, problems = parse_tag('"')
    assert any(p.message.startswith("unbalanced quote") for p in problems)
    assert record == TagRecord()


def test_single_quotes_are_ordinary_characters() -> None:
    record, problems = parse_tag("reason='shared mailbox'")
    assert record.get("reason") == ("'shared",)
    assert problems and problems[0].offset == len("reason='shared ")


# --- offsets and messages -------------------------------------------------------------------


def test_problem_offsets_point_into_the_body() -> None:
    body = "collects=contact.email basis=contrat retention=6m purpse=x"
    _, problems = parse_tag(body)
    assert [p.offset for p in problems] == [
        body.index("contrat"),
        body.index("6m"),
        body.index("purpse"),
    ]


def test_messages_are_short_even_for_huge_values() -> None:
    _, problem = bad("basis=" + "x" * 10_000)
    assert len(problem.message) < 120
    assert "\u2026" in problem.message


def test_messages_escape_control_characters() -> None:
    _, problem = bad("basis=a\x00b")
    assert "\x00" not in problem.message
    assert "\\x00" in problem.message


def test_problems_are_hashable_and_frozen() -> None:
    _, problem = bad("basis=zzz")
    assert hash(problem) == hash(TagProblem(problem.message, problem.offset, problem.suggestion))
    with pytest.raises(AttributeError):
        problem.offset = 3  # type: ignore[misc]


# --- robustness -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "\x00",
        "collects=\x00",
        "\x00=\x00",
        "collects=contact.email\x00",
        "é=ü",
        "collects=é",
        "données=contact.email",
        "𝔠𝔬𝔩𝔩𝔢𝔠𝔱𝔰=x",
        "basis=ｃｏｎｓｅｎｔ",
        "retention=٣٠d",
        '"""',
        '\\"',
        "\\",
        ",,,",
        "===",
        ", , ,",
        "a=b=c",
        "collects==a",
        "\u2028\u2029\x85",
        "\ud800",
        "x" * 1_000_000,
        "a, " * 50_000,
        '"' + "y " * 50_000,
        "collects=" + ",".join(f"a{i}" for i in range(50_000)),
    ],
)
def test_parse_never_raises(body: str) -> None:
    record, problems = parse_tag(body)
    assert isinstance(record, TagRecord)
    for problem in problems:
        assert isinstance(problem, TagProblem)
        assert 0 <= problem.offset <= len(body)
        assert problem.message


def test_non_ascii_digits_and_letters_are_not_accepted_as_syntax() -> None:
    assert parse_tag("retention=٣٠d")[1]
    assert parse_tag("collects=cöntact.email")[1]
    assert parse_tag("basis=ｃｏｎｓｅｎｔ")[1]


# --- docstrings -----------------------------------------------------------------------------


def one(text: str) -> DocstringTag:
    tags = docstring_tags(text)
    assert len(tags) == 1, tags
    return tags[0]


def test_docstring_line_form() -> None:
    text = (
        "Hand a patient their data.\n"
        "\n"
        "    GDPR: uses=identity.name,contact.email,special.health right=access,portability\n"
        "    "
    )
    tag = one(text)
    assert tag.line_offset == 2
    assert tag.column == 10
    assert tag.body == "uses=identity.name,contact.email,special.health right=access,portability"
    assert tag.record.get("right") == ("access", "portability")
    assert tag.problems == ()
    assert text.splitlines()[2][tag.column :].startswith(tag.body)


def test_docstring_line_form_case_insensitive_and_on_first_line() -> None:
    tag = one("gdpr : contact.email none")
    assert (tag.line_offset, tag.column) == (0, 7)
    assert tag.record.get("data") == ("contact.email",)
    assert tag.record.is_none


def test_docstring_rest_field() -> None:
    text = "Summary.\n\n    :gdpr: shares=contact.email to=sendgrid purpose=notify basis=contract\n"
    tag = one(text)
    assert (tag.line_offset, tag.column) == (2, 11)
    assert tag.record.get("to") == ("sendgrid",)
    assert tag.problems == ()


def test_docstring_rest_field_upper_case_and_empty() -> None:
    tag = one("  :GDPR: none")
    assert tag.record.is_none
    empty = one(":gdpr:")
    assert empty.body == ""
    assert empty.problems[0].message.startswith("empty tag")


def test_docstring_rest_field_continuation_lines() -> None:
    text = (
        "Summary.\n"
        "\n"
        "    :gdpr: collects=contact.email\n"
        "        purpose=account basis=contract\n"
        "    :param x: thing\n"
    )
    tag = one(text)
    assert tag.body == "collects=contact.email purpose=account basis=contract"
    assert tag.record.get("basis") == ("contract",)
    assert tag.locate(tag.body.index("purpose")) == (3, 8)


def test_first_line_field_does_not_swallow_the_next_paragraph() -> None:
    text = ":gdpr: contact.email\n    More text here.\n    "
    tag = one(text)
    assert tag.body == "contact.email"
    assert tag.problems == ()


def test_docstring_google_section() -> None:
    text = (
        "Create an account.\n"
        "\n"
        "    GDPR:\n"
        "        collects: contact.email, identity.name\n"
        "        purpose: account\n"
        "        basis: contract\n"
        "        retention: account+30d\n"
        "        reason: shared mailbox\n"
        "        optional\n"
        "\n"
        "    :gdpr: shares=contact.email to=sendgrid purpose=notify basis=contract\n"
        "    "
    )
    section, field_tag = docstring_tags(text)
    assert section.line_offset == 3
    assert section.column == 8
    assert section.problems == ()
    assert section.record.pairs == (
        ("collects", ("contact.email", "identity.name")),
        ("purpose", ("account",)),
        ("basis", ("contract",)),
        ("retention", ("account+30d",)),
        ("reason", ("shared mailbox",)),
    )
    assert section.record.flags == ("optional",)
    assert section.body.startswith("collects=contact.email, identity.name purpose=account")
    assert 'reason="shared mailbox"' in section.body
    assert field_tag.line_offset == 10
    assert field_tag.record.get("to") == ("sendgrid",)


def test_google_section_problem_locations() -> None:
    text = "Do it.\n\n    GDPR:\n        basis: contrat\n        retention: 6m\n"
    tag = one(text)
    lines = text.split("\n")
    positions = [tag.locate(p.offset) for p in tag.problems]
    assert positions == [(3, lines[3].index("contrat")), (4, lines[4].index("6m"))]


def test_google_section_unknown_key_location() -> None:
    text = "Do it.\n\n    GDPR:\n        purpse: x\n"
    tag = one(text)
    assert tag.problems[0].suggestion == "purpose"
    assert tag.locate(tag.problems[0].offset) == (3, 8)


def test_google_section_ends_at_dedent_and_blank_line() -> None:
    text = "    GDPR:\n        collects: contact.email\n    Returns the thing.\n"
    tag = one(text)
    assert tag.record.pairs == (("collects", ("contact.email",)),)
    text = "GDPR:\n    collects: contact.email\n\n    purpose: account\n"
    tag = one(text.replace("GDPR:", "Intro.\nGDPR:", 1))
    assert not tag.record.has("purpose")


def test_google_section_continuation_line() -> None:
    text = "Do it.\n\n    GDPR:\n        collects: contact.email,\n            identity.name\n"
    tag = one(text)
    assert tag.record.get("collects") == ("contact.email", "identity.name")
    assert tag.problems == ()


def test_google_section_none_flag_only() -> None:
    tag = one("Do it.\n\n    GDPR:\n        none\n")
    assert tag.record.is_none


def test_google_section_case_insensitive_and_personal_data_header() -> None:
    assert one("Do it.\n\n    gdpr:\n        uses: contact.email\n").record.has("uses")
    tag = one("Do it.\n\n    Personal data:\n        uses: contact.email\n")
    assert tag.record.get("uses") == ("contact.email",)


def test_personal_data_header_without_items_is_ignored() -> None:
    assert docstring_tags("Do it.\n\nPersonal data:\nis handled elsewhere.\n") == ()


def test_google_section_empty_value_and_bad_line() -> None:
    tag = one("Do it.\n\n    GDPR:\n        collects:\n        x!y\n")
    messages = [p.message for p in tag.problems]
    assert "empty value for 'collects'" in messages
    assert "unknown item 'x!y'" in messages


def test_gdpr_header_without_items_is_an_empty_tag() -> None:
    tag = one("Do it.\n\n    GDPR:\n\n    Returns.\n")
    assert tag.body == ""
    assert tag.problems[0].message.startswith("empty tag")
    assert tag.line_offset == 2


def test_docstring_numpy_section() -> None:
    text = (
        "Do it.\n"
        "\n"
        "    GDPR\n"
        "    ----\n"
        "    collects : contact.email\n"
        "    basis : contract\n"
        "\n"
        "    Returns\n"
    )
    tag = one(text)
    assert tag.line_offset == 4
    assert tag.record.pairs == (("collects", ("contact.email",)), ("basis", ("contract",)))


def test_docstring_fides_line_in_section_is_not_a_key() -> None:
    tag = one("Do it.\n\n    GDPR:\n        fides:user.contact.email\n")
    assert tag.record.get("data") == ("fides:user.contact.email",)


@pytest.mark.parametrize(
    "line",
    [
        "GDPR: This function deletes users.",
        "GDPR: see the privacy notice",
        "GDPR: Consent required.",
        "GDPR: Health data.",
        "GDPR: N/A",
        "GDPR: handles email",
        "GDPR: e.g. export",
    ],
)
def test_prose_guard(line: str) -> None:
    assert docstring_tags(f"Summary.\n\n    {line}\n") == ()


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("GDPR: none", ("flags", ("none",))),
        ("GDPR: contact.email", ("data", ("contact.email",))),
        ("GDPR: contact.email, identity.name", ("data", ("contact.email", "identity.name"))),
        ("GDPR: email", ("data", ("email",))),
        ("GDPR: contact.emial", ("data", ("contact.emial",))),
        ("GDPR: contact.* encrypted", ("data", ("contact.*",))),
        ("GDPR: fides:user.contact.email", ("data", ("fides:user.contact.email",))),
        ("GDPR: purpose=x", ("purpose", ("x",))),
    ],
)
def test_not_prose(line: str, expected: tuple[str, tuple[str, ...]]) -> None:
    tag = one(f"Summary.\n\n    {line}\n")
    key, values = expected
    if key == "flags":
        assert tag.record.flags == values
    else:
        assert tag.record.get(key) == values


def test_prose_guard_knows_custom_categories() -> None:
    assert docstring_tags("GDPR: loyalty") == ()
    assert docstring_tags("GDPR: loyalty", custom=["loyalty"])[0].record.get("data") == ("loyalty",)


def test_prose_is_not_applied_to_fields() -> None:
    tag = one(":gdpr: This function deletes users.")
    assert tag.problems


def test_text_without_tags() -> None:
    assert docstring_tags("") == ()
    assert docstring_tags("Just a docstring.\n\nArgs:\n    x: a thing\n") == ()
    assert docstring_tags("We follow the GDPR: always.") == ()


def test_several_records_and_line_offsets() -> None:
    text = (
        "Summary.\n"
        "GDPR: collects=contact.email purpose=account\n"
        "GDPR: collects=online.ip purpose=security\n"
        ":gdpr: none\n"
    )
    tags = docstring_tags(text)
    assert [t.line_offset for t in tags] == [1, 2, 3]
    assert [t.record.get("purpose") for t in tags] == [("account",), ("security",), ()]


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_docstring_line_breaks(newline: str) -> None:
    text = newline.join(["Summary.", "", "    GDPR: contact.email", "    :gdpr: none", ""])
    tags = docstring_tags(text)
    assert [t.line_offset for t in tags] == [2, 3]
    assert tags[0].body == "contact.email"


def test_docstring_line_problems_locate_on_the_line() -> None:
    text = "Summary.\n\n    GDPR: basis=contrat\n"
    tag = one(text)
    assert tag.locate(tag.problems[0].offset) == (2, text.split("\n")[2].index("contrat"))


@pytest.mark.parametrize(
    "text",
    [
        "GDPR:",
        "GDPR:\n",
        "GDPR\n----",
        "GDPR\n----\n",
        ":gdpr:\n    \x00",
        'GDPR:\n    :\n    =\n    "\n',
        "GDPR:\n\tcollects: a\n  \tb",
        "\x00GDPR: x",
        "GDPR: \ud800",
        "   \n" * 1000,
        "GDPR:\n" + "    k: v w\n" * 20_000,
        ":gdpr: x\n" + "  y\n" * 20_000,
    ],
)
def test_docstring_never_raises(text: str) -> None:
    for tag in docstring_tags(text):
        assert isinstance(tag, DocstringTag)
        for problem in tag.problems:
            line, column = tag.locate(problem.offset)
            assert line >= 0 and column >= 0


if HAVE_HYPOTHESIS:
    # Text made of grammar fragments reaches far more parser branches than random Unicode.
    _TAGGY = st.lists(
        st.sampled_from(
            list('abcdeglmnoprstuyPTDMYW0123456789 ,.="\\:*+-_#\t\n')
            + ["collects", "basis", "retention", "none", "GDPR:", ":gdpr:", "\x00", "é", "    "]
        ),
        max_size=80,
    ).map("".join)

    @settings(max_examples=500, deadline=None)
    @given(st.one_of(st.text(), _TAGGY))
    def test_parse_tag_never_raises_hypothesis(body: str) -> None:
        record, problems = parse_tag(body)
        assert isinstance(record, TagRecord)
        for problem in problems:
            assert 0 <= problem.offset <= len(body)
        for key, values in record.pairs:
            assert key in KEYS
            assert values and all(isinstance(v, str) and v for v in values)
        assert set(record.flags) <= FLAGS

    @settings(max_examples=500, deadline=None)
    @given(st.one_of(st.text(), _TAGGY))
    def test_docstring_tags_never_raise_hypothesis(text: str) -> None:
        tags = docstring_tags(text)
        n_lines = len(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
        for tag in tags:
            assert 0 <= tag.line_offset < n_lines
            assert tag.record == parse_tag(tag.body)[0]
            for problem in tag.problems:
                line, _ = tag.locate(problem.offset)
                assert 0 <= line < n_lines

    @settings(max_examples=300, deadline=None)
    @given(st.text())
    def test_comment_helpers_never_raise_hypothesis(text: str) -> None:
        for comment in (text, "#" + text, "# gdpr:" + text):
            body = comment_tag_body(comment)
            offset = comment_tag_offset(comment)
            assert (body is None) == (offset is None)
            if body is not None and offset is not None:
                assert comment[offset:].startswith(body)
                parse_tag(body)


def test_google_section_value_with_inner_quotes_stays_one_value() -> None:
    tag = one('Do it.\n\n    GDPR:\n        reason: the "shared" mailbox\n        none\n')
    assert tag.problems == ()
    assert tag.record.get("reason") == ('the "shared" mailbox',)
    assert tag.record.flags == ("none",)


def test_google_section_already_quoted_value() -> None:
    tag = one('Do it.\n\n    GDPR:\n        reason: "shared mailbox"\n')
    assert tag.record.get("reason") == ("shared mailbox",)


def test_google_section_two_words_in_a_list_key_are_one_bad_value() -> None:
    tag = one("Do it.\n\n    GDPR:\n        collects: contact.email identity.name\n")
    assert len(tag.problems) == 1
    assert tag.problems[0].message.startswith("bad category path")


def test_rest_field_with_body_on_the_next_lines() -> None:
    tag = one("Summary.\n\n    :gdpr:\n        collects=contact.email\n")
    assert tag.body == "collects=contact.email"
    assert (tag.line_offset, tag.column) == (3, 8)
    assert tag.problems == ()


def test_fides_path_with_star() -> None:
    assert ok("collects=fides:user.contact.*").get("collects") == ("fides:user.contact.*",)
