"""The identifier lexicon: which names mean personal data, as plain data (no logic).

:mod:`pdlint.classify` turns identifiers into tokens and matches them against the tables here.
Everything a reviewer may want to tune lives in this module so that a precision fix is a
one-line data change, never a code change.  Background: ``shared/design/domain.md`` §2.2-§2.4
(algorithm, lexicon, false-positive traps) and §3.1 (typed fields); category keys follow
``shared/design/tags.md`` (which wins over domain.md, e.g. ``identity.birth_date``).

Conventions:

* a *phrase* is a tuple of lower-case tokens as produced by
  :func:`pdlint.classify.split_identifier` after concatenation expansion and singularisation
  (``emailAddresses`` -> ``("email", "address")``); phrases never contain digits;
* a phrase belongs to exactly one category;
* phrases in :data:`CONTEXT_PHRASES` are *ambiguous*: they count only with person context and
  only next to tokens the classifier knows to be harmless (person words, generic qualifiers,
  :data:`PHRASE_QUALIFIERS`).  Precision beats recall here: a noisy linter gets uninstalled.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

Phrase = tuple[str, ...]

CREDENTIALS: Final = "account.credentials"
ACCOUNT_ID: Final = "account.id"
#: Pseudonymous identifiers: they link records to a person and are what should be logged
#: instead of direct identifiers, so they are kind ``id`` (never a leak finding).
IDENTIFIER_CATEGORIES: Final = frozenset({ACCOUNT_ID, "online.session_id", "online.cookie_id"})
#: Other ``<object>_id`` phrases that are record references, not the datum: kind ``id`` too.
ID_PHRASES: Final = frozenset({("device", "id")})
#: Owners that make a bare ``.secret`` attribute a credential (``client.secret``,
#: ``settings.secret``); elsewhere ``secret`` is as vague as ``token`` (a gift card's code).
SECRET_OWNER_WORDS: Final = frozenset({
    "client", "app", "application", "api", "oauth", "webhook", "signing", "signer", "jwt",
    "totp", "otp", "mfa", "key", "hmac", "settings", "config", "conf", "integration",
    "credential", "credentials", "auth", "provider", "connection",
})

# ---------------------------------------------------------------------------------------
# Tokenisation
# ---------------------------------------------------------------------------------------

#: Single-token spellings that stand for several words (or for a canonical word).  Applied to
#: each token after camel/snake splitting, so ``firstName`` and ``firstname`` meet at
#: ``("first", "name")``.  ``filename``/``hostname``/``classname`` are deliberately absent:
#: single-token compounds that are not personal data must stay single tokens.
CONCATENATIONS: Final[Mapping[str, Phrase]] = {
    "emailaddress": ("email", "address"),
    "emailaddr": ("email", "address"),
    "mailaddress": ("mail", "address"),
    "firstname": ("first", "name"),
    "lastname": ("last", "name"),
    "fullname": ("full", "name"),
    "middlename": ("middle", "name"),
    "givenname": ("given", "name"),
    "familyname": ("family", "name"),
    "maidenname": ("maiden", "name"),
    "nickname": ("nick", "name"),
    "displayname": ("display", "name"),
    "username": ("user", "name"),
    "screenname": ("screen", "name"),
    "loginname": ("login", "name"),
    "phonenumber": ("phone", "number"),
    "phoneno": ("phone", "number"),
    "mobilenumber": ("mobile", "number"),
    "mobilephone": ("mobile", "phone"),
    "cellphone": ("cell", "phone"),
    "telephone": ("phone",),
    "tel": ("phone",),
    "msisdn": ("phone", "number"),
    "ipaddress": ("ip", "address"),
    "ipaddr": ("ip", "addr"),
    "ipv4": ("ip",),
    "ipv6": ("ip",),
    "macaddress": ("mac", "address"),
    "macaddr": ("mac", "address"),
    "remoteaddr": ("remote", "addr"),
    "remoteip": ("remote", "ip"),
    "clientip": ("client", "ip"),
    "realip": ("real", "ip"),
    "useragent": ("user", "agent"),
    "userid": ("user", "id"),
    "customerid": ("customer", "id"),
    "accountid": ("account", "id"),
    "distinctid": ("distinct", "id"),
    "sessionid": ("session", "id"),
    "sessionkey": ("session", "key"),
    "deviceid": ("device", "id"),
    "zipcode": ("zip", "code"),
    "postcode": ("post", "code"),
    "postalcode": ("postal", "code"),
    "birthdate": ("birth", "date"),
    "dateofbirth": ("date", "of", "birth"),
    "birthyear": ("birth", "year"),
    "dob": ("date", "of", "birth"),
    "creditcard": ("credit", "card"),
    "debitcard": ("debit", "card"),
    "cardnumber": ("card", "number"),
    "ccnumber": ("cc", "number"),
    "bankaccount": ("bank", "account"),
    "accountnumber": ("account", "number"),
    "routingnumber": ("routing", "number"),
    "sortcode": ("sort", "code"),
    "taxid": ("tax", "id"),
    "vatnumber": ("vat", "number"),
    "geolocation": ("geo", "location"),
    "latlng": ("latitude", "longitude"),
    "latlon": ("latitude", "longitude"),
    "lat": ("latitude",),
    "lng": ("longitude",),
    "lon": ("longitude",),
    "apikey": ("api", "key"),
    "accesstoken": ("access", "token"),
    "refreshtoken": ("refresh", "token"),
    "authtoken": ("auth", "token"),
    "secretkey": ("secret", "key"),
    "privatekey": ("private", "key"),
    "homeaddress": ("home", "address"),
    "streetaddress": ("street", "address"),
    "billingaddress": ("billing", "address"),
    "shippingaddress": ("shipping", "address"),
    "licenseplate": ("license", "plate"),
    "driverslicense": ("driver", "license"),
    "driverlicense": ("driver", "license"),
    "drivinglicence": ("driving", "licence"),
    "drivinglicense": ("driving", "license"),
    "optin": ("opt", "in"),
    "optout": ("opt", "out"),
}

#: Adjacent tokens that are one word split by a separator (``e_mail``, ``sign_up``).
TOKEN_MERGES: Final[Mapping[Phrase, str]] = {
    ("e", "mail"): "email",
    ("sign", "up"): "signup",
    ("log", "in"): "login",
}

#: Letter+digit tokens that must not lose their digits (``md5`` is not ``md``).
KEEP_ALNUM: Final = frozenset({
    "ipv4", "ipv6", "md5", "sha1", "sha224", "sha256", "sha384", "sha512", "last4", "e164",
    "x509", "s3", "b64", "base64", "utf8", "k8s", "oauth2", "2fa", "3ds", "pop3",
})

#: Plural forms the generic ``+s``/``+es``/``y->ies`` rule gets wrong or must leave alone.
#: ``requests`` is the HTTP library far more often than several request objects.
IRREGULAR_PLURALS: Final[Mapping[str, str]] = {
    "children": "child",
    "diagnoses": "diagnosis",
    "allergies": "allergy",
    "disabilities": "disability",
    "beliefs": "belief",
    "requests": "requests",
    "coords": "coordinate",
    "addresses": "address",
    "statuses": "status",
}

# ---------------------------------------------------------------------------------------
# Phrases per category
# ---------------------------------------------------------------------------------------

PHRASES: Final[Mapping[str, tuple[Phrase, ...]]] = {
    "contact.email": (
        ("email",), ("email", "address"), ("email", "addr"), ("mail", "address"), ("mail",),
    ),
    "contact.phone": (
        ("phone",), ("phone", "number"), ("mobile", "number"), ("mobile", "phone"),
        ("mobile", "no"), ("mobile", "num"),
        ("mobile",), ("cell",), ("cell", "phone"), ("cell", "number"), ("contact", "number"),
        ("landline",), ("sms", "number"), ("whatsapp", "number"),
    ),
    "contact.fax": (("fax",), ("fax", "number")),
    "contact.address": (
        ("home", "address"), ("billing", "address"), ("shipping", "address"),
        ("postal", "address"), ("mailing", "address"), ("delivery", "address"),
        ("residential", "address"), ("permanent", "address"), ("residence", "address"),
        ("correspondence", "address"), ("address",),
    ),
    "contact.address.street": (
        ("street", "address"), ("address", "line"), ("street", "line"), ("street",),
        ("house", "number"),
    ),
    "contact.address.postal_code": (
        ("zip", "code"), ("post", "code"), ("postal", "code"), ("zip",),
    ),
    "contact.address.city": (("city",), ("town",)),
    "contact.address.state": (("state",), ("province",), ("region",), ("county",)),
    "contact.address.country": (("country",), ("country", "code")),
    "contact.url": (
        ("website",), ("homepage",), ("personal", "website"), ("personal", "url"),
        ("social", "handle"), ("twitter", "handle"), ("instagram", "handle"),
        ("linkedin", "url"), ("linkedin", "profile"),
    ),
    "identity.name": (
        ("full", "name"), ("middle", "name"), ("maiden", "name"), ("legal", "name"),
        ("birth", "name"), ("display", "name"), ("nick", "name"), ("name",), ("fullname",),
        ("card", "holder", "name"), ("account", "holder", "name"),
    ),
    "identity.name.first": (
        ("first", "name"), ("given", "name"), ("forename",), ("christian", "name"),
    ),
    "identity.name.last": (("last", "name"), ("surname",), ("family", "name")),
    "identity.username": (
        ("user", "name"), ("screen", "name"), ("login", "name"), ("login",), ("handle",),
    ),
    "identity.birth_date": (
        ("date", "of", "birth"), ("birth", "date"), ("birthday",), ("birth", "year"),
        ("year", "of", "birth"), ("birth", "day"),
    ),
    "identity.age": (("age",),),
    "identity.gender": (("gender",), ("gender", "identity"), ("pronoun",), ("sex",)),
    "identity.nationality": (("nationality",), ("citizenship",)),
    "identity.language": (
        ("language",), ("locale",), ("native", "language"), ("mother", "tongue"),
    ),
    "identity.marital": (("marital", "status"), ("marital",), ("civil", "status")),
    "identity.photo": (
        ("avatar",), ("profile", "picture"), ("profile", "photo"), ("profile", "image"),
        ("profile", "pic"), ("selfie",), ("headshot",), ("photo",), ("picture",), ("image",),
        ("portrait",),
    ),
    "identity.signature": (("signature",),),
    "gov.national_id": (
        ("ssn",), ("social", "security"), ("social", "security", "number"),
        ("national", "id"), ("national", "identity"), ("national", "identity", "number"),
        ("national", "identification", "number"), ("national", "insurance"),
        ("national", "insurance", "number"), ("nino",), ("personal", "id"),
        ("citizen", "id"), ("id", "card"), ("identity", "card"), ("pesel",), ("aadhaar",),
        ("aadhar",), ("bsn",), ("personnummer",), ("codice", "fiscale"), ("cpf",), ("dni",),
        ("curp",), ("birth", "certificate"),
    ),
    "gov.tax_id": (
        ("tax", "id"), ("tax", "number"), ("taxpayer", "id"), ("taxpayer",), ("tin",),
        ("itin",), ("vat", "number"), ("vat", "id"), ("tax", "identification", "number"),
        ("nif",), ("tax", "file", "number"),
    ),
    "gov.passport": (("passport",), ("passport", "number")),
    "gov.driver_license": (
        ("driver", "license"), ("driver", "licence"), ("driving", "license"),
        ("driving", "licence"),
    ),
    "gov.vehicle": (
        ("license", "plate"), ("licence", "plate"), ("number", "plate"),
        ("vehicle", "registration"), ("registration", "plate"), ("plate", "number"),
    ),
    "gov.immigration": (
        ("visa", "status"), ("visa", "number"), ("residence", "permit"),
        ("immigration", "status"), ("work", "permit"), ("residency", "status"),
    ),
    "financial.card": (
        ("credit", "card"), ("debit", "card"), ("card", "number"), ("cc", "number"),
        ("primary", "account", "number"), ("pan",), ("cvv",), ("cvc",), ("card", "expiry"),
        ("card", "expiration"), ("card", "exp"),
    ),
    "financial.bank": (
        ("iban",), ("bank", "account"), ("account", "number"), ("routing", "number"),
        ("sort", "code"), ("swift", "code"), ("bic", "code"), ("bank", "detail"),
        ("aba", "number"), ("swift",), ("bic",),
    ),
    "financial.payment": (("payment", "method"), ("last4",)),
    "financial.income": (
        ("salary",), ("annual", "income"), ("monthly", "income"), ("household", "income"),
        ("net", "worth"), ("gross", "salary"), ("income",), ("wage",),
    ),
    "financial.credit": (
        ("credit", "score"), ("credit", "history"), ("credit", "rating"), ("credit", "report"),
    ),
    "financial.crypto": (
        ("wallet", "address"), ("bitcoin", "address"), ("btc", "address"), ("eth", "address"),
        ("ethereum", "address"), ("crypto", "address"), ("crypto", "wallet"), ("wallet",),
    ),
    "online.ip": (
        ("ip", "address"), ("ip", "addr"), ("remote", "addr"), ("remote", "address"),
        ("remote", "ip"), ("client", "ip"), ("user", "ip"), ("real", "ip"),
        ("x", "forwarded", "for"), ("forwarded", "for"), ("connecting", "ip"),
        ("access", "route"), ("ip",),
    ),
    "online.device_id": (
        ("device", "id"), ("imei",), ("idfa",), ("idfv",), ("gaid",), ("advertising", "id"),
        ("mac", "address"), ("android", "id"), ("device", "fingerprint"),
        ("browser", "fingerprint"), ("device", "token"), ("push", "token"), ("udid",),
        ("fcm", "token"), ("apns", "token"), ("gcm", "token"),
    ),
    "online.cookie_id": (("cookie", "id"), ("anonymous", "id"), ("visitor", "id")),
    "online.session_id": (("session", "id"), ("session", "key")),
    "online.user_agent": (("user", "agent"),),
    "location.precise": (
        ("latitude",), ("longitude",), ("gps",), ("geo", "location"), ("gps", "coordinate"),
        ("location", "history"), ("coordinate",), ("coord",),
    ),
    "location.coarse": (("location",), ("geoip",), ("geo", "ip")),
    "account.id": (
        ("user", "id"), ("customer", "id"), ("account", "id"), ("member", "id"),
        ("patient", "id"), ("employee", "id"), ("employee", "number"), ("customer", "number"),
        ("member", "number"), ("membership", "number"), ("student", "id"),
        ("student", "number"), ("subscriber", "id"), ("person", "id"), ("uid",),
        ("distinct", "id"), ("id",), ("pk",), ("uuid",), ("guid",),
    ),
    CREDENTIALS: (
        ("password",), ("passwd",), ("pwd",), ("passphrase",), ("passcode",),
        ("pin",), ("pin", "code"), ("security", "answer"), ("secret", "answer"),
        ("otp",), ("totp",), ("otp", "secret"), ("mfa", "secret"), ("totp", "secret"),
        ("recovery", "code"), ("backup", "code"), ("verification", "code"),
        ("access", "token"), ("refresh", "token"), ("auth", "token"), ("bearer", "token"),
        ("id", "token"), ("api", "token"), ("reset", "token"), ("verification", "token"),
        ("session", "token"), ("oauth", "token"), ("personal", "access", "token"),
        ("password", "token"), ("password", "reset", "token"), ("confirmation", "token"),
        ("api", "key"), ("secret", "key"), ("private", "key"), ("signing", "key"),
        ("access", "key"), ("encryption", "key"), ("secret",), ("client", "secret"),
        ("authorization",),
    ),
    "behavior.browsing": (
        ("browsing", "history"), ("browser", "history"), ("clickstream",),
        ("click", "stream"), ("page", "view"),
    ),
    "behavior.search": (("search", "history"), ("search", "query"), ("search", "term")),
    "behavior.purchase": (
        ("purchase", "history"), ("order", "history"), ("transaction", "history"),
    ),
    "behavior.media": (
        ("watch", "history"), ("viewing", "history"), ("listening", "history"),
    ),
    "behavior.events": (("activity", "history"),),
    "content.private": (
        ("private", "message"), ("direct", "message"), ("message",), ("chat",), ("note",),
        ("upload",), ("attachment",),
    ),
    "content.public": (("about", "me"), ("review",), ("comment",), ("post",), ("bio",)),
    "employment.title": (("job", "title"), ("occupation",), ("job", "role")),
    "employment.employer": (
        ("employer",), ("employer", "name"), ("workplace",), ("work", "history"),
        ("employment", "history"),
    ),
    "special.health": (
        ("health", "record"), ("health", "history"), ("health", "condition"),
        ("health", "insurance"), ("health", "data"), ("health", "information"),
        ("medical",), ("medical", "history"), ("medical", "record"),
        ("medical", "condition"), ("diagnosis",), ("allergy",), ("medication",),
        ("prescription",), ("disability",), ("blood", "type"), ("blood", "group"),
        ("blood", "pressure"), ("heart", "rate"), ("pregnancy",), ("pregnant",),
        ("symptom",), ("vaccination",), ("vaccination", "status"), ("bmi",),
        ("mental", "health"), ("illness",), ("sick", "leave"), ("hiv", "status"),
        ("health",), ("disease",),
    ),
    "special.genetic": (
        ("genetic",), ("genetic", "data"), ("genetic", "test"), ("dna",), ("genome",),
        ("genotype",),
    ),
    "special.biometric": (
        ("biometric",), ("biometric", "data"), ("face", "encoding"), ("face", "embedding"),
        ("faceprint",), ("voiceprint",), ("face", "template"), ("iris", "scan"),
        ("retina", "scan"), ("palm", "print"), ("finger", "print"), ("iris",),
        ("fingerprint",),
    ),
    "special.racial_ethnic": (
        ("ethnicity",), ("ethnic",), ("ethnic", "origin"), ("ethnic", "group"), ("race",),
    ),
    "special.political": (
        ("political", "opinion"), ("political", "affiliation"), ("political", "party"),
        ("political", "view"), ("political", "leaning"), ("party", "affiliation"),
        ("political",),
    ),
    "special.religious": (
        ("religion",), ("religious",), ("religious", "belief"), ("philosophical", "belief"),
        ("belief",), ("faith",),
    ),
    "special.trade_union": (
        ("trade", "union"), ("trade", "union", "membership"), ("labor", "union"),
        ("labour", "union"), ("union", "member"), ("union", "membership"),
    ),
    "special.sex_life": (
        ("sexual", "orientation"), ("sexuality",), ("sex", "life"), ("sexual", "preference"),
    ),
    "criminal.record": (
        ("criminal", "record"), ("criminal", "history"), ("criminal", "background"),
        ("criminal", "conviction"), ("conviction",), ("arrest", "record"),
        ("police", "record"), ("criminal",), ("offence",), ("offense",),
    ),
}

#: Ambiguous phrases (domain.md's ``*``): they count only with person context -- a person
#: word among the other tokens of the name, or ``person_context=True`` from the caller.
CONTEXT_PHRASES: Final = frozenset({
    ("mail",), ("mobile",), ("cell",), ("address",), ("street",), ("zip", "code"),
    ("post", "code"), ("postal", "code"), ("zip",), ("city",), ("town",), ("state",),
    ("province",), ("region",), ("county",), ("country",), ("country", "code"),
    ("website",), ("homepage",), ("display", "name"), ("nick", "name"), ("name",),
    ("fullname",),
    ("login",), ("handle",), ("age",), ("sex",), ("pronoun",), ("language",), ("locale",),
    ("photo",), ("picture",), ("image",), ("portrait",), ("signature",), ("personal", "id"),
    ("tin",), ("vat", "number"), ("vat", "id"), ("pan",), ("swift",), ("bic",),
    ("payment", "method"), ("last4",), ("income",), ("wage",), ("wallet",), ("ip",),
    ("coordinate",), ("coord",), ("location",), ("geoip",), ("geo", "ip"), ("id",), ("pk",),
    ("uuid",), ("guid",), ("pin",), ("pin", "code"), ("page", "view"), ("search", "query"),
    ("search", "term"), ("message",), ("chat",), ("note",), ("upload",), ("attachment",),
    ("review",), ("comment",), ("post",), ("bio",), ("health",), ("disease",), ("iris",),
    ("fingerprint",), ("race",), ("political",), ("belief",), ("faith",),
    ("union", "member"), ("union", "membership"), ("criminal",), ("offence",), ("offense",),
})

#: Ambiguous phrases whose context must come from one of their PHRASE_CONTEXT_WORDS written
#: *before* them in the name itself (``billing_state``, ``card_pan``; not ``state_address``);
#: a person object is not enough (``user.state`` is usually a state machine, ``request.pan``
#: is not a card number, ``aws_region`` is not where anybody lives).
QUALIFIED_ONLY: Final = frozenset({
    ("state",), ("province",), ("region",), ("county",), ("pan",), ("swift",), ("bic",),
})

ADDRESS_WORDS: Final = frozenset({
    "address", "billing", "shipping", "home", "mailing", "postal", "delivery", "residence",
    "residential", "street",
})
#: Address words that make ``state``/``region``/``province``/``county`` a postal field
#: (``billing_state``); ``home`` is not among them (AWS ``home_region``).
REGION_WORDS: Final = ADDRESS_WORDS - {"home"}
CARD_WORDS: Final = frozenset({"card", "credit", "debit", "cc", "payment"})

#: Extra tokens that provide context for an ambiguous phrase, beyond strong person words.
PHRASE_CONTEXT_WORDS: Final[Mapping[Phrase, frozenset[str]]] = {
    ("ip",): frozenset({
        "request", "login", "signup", "registration", "session", "visitor", "guest",
    }),
    ("state",): REGION_WORDS,
    ("province",): REGION_WORDS,
    ("region",): REGION_WORDS,
    ("county",): REGION_WORDS,
    ("city",): ADDRESS_WORDS,
    ("town",): ADDRESS_WORDS,
    ("country",): ADDRESS_WORDS | {"request"},
    ("zip",): ADDRESS_WORDS,
    ("zip", "code"): ADDRESS_WORDS,
    ("post", "code"): ADDRESS_WORDS,
    ("postal", "code"): ADDRESS_WORDS,
    ("street",): ADDRESS_WORDS,
    ("pan",): CARD_WORDS,
    ("last4",): CARD_WORDS | {"bank", "account"},
    ("pin",): CARD_WORDS | {"atm", "account", "login", "security"},
    ("pin", "code"): CARD_WORDS | {"atm", "account", "login", "security"},
    ("swift",): frozenset({"bank", "iban", "account"}),
    ("bic",): frozenset({"bank", "iban", "account"}),
    ("wallet",): frozenset({"crypto", "bitcoin", "btc", "eth", "ethereum"}),
    ("coordinate",): frozenset({"gps", "geo"}),
    ("coord",): frozenset({"gps", "geo"}),
}

#: Phrases where ``person_context=True`` from the caller is honoured only for model/schema
#: fields (role ``"field"``): ``Patient.signature`` is a person's signature, but
#: ``request.signature`` / ``event.fingerprint`` read through a "person" chain are HMACs and
#: hashes far more often.  A person word in the name itself still counts.
FIELD_ONLY_CONTEXT: Final = frozenset({("signature",), ("fingerprint",)})

#: Tokens allowed next to *any* ambiguous phrase: they describe the value, not another thing.
GENERIC_QUALIFIERS: Final = frozenset({
    "value", "val", "str", "string", "text", "txt", "raw", "input", "data", "new", "old",
    "current", "cur", "curr", "prev", "previous", "original", "orig", "primary", "secondary",
    "main", "alt", "alternate", "alternative", "other", "preferred", "my", "own", "actual",
    "final", "normalized", "normalised", "norm", "clean", "cleaned", "formatted", "lower",
    "lowercase", "upper", "stripped", "trimmed", "legal", "official", "list", "lst", "arr",
    "array", "tuple", "selected", "chosen", "submitted", "provided", "entered", "emergency",
})

#: Tokens that may *follow* an unambiguous phrase.  Head-final compounds name their thing
#: last, so anything else after the phrase is what the name is about (``birthday_cake``,
#: ``passport_control``, ``password_mgr``, ``lng_buffer``, ``telephone_receiver``).
TRAILING_VALUE_WORDS: Final = frozenset({
    "addr", "number", "no", "num", "nr", "e164", "ext", "extension", "iso", "utc", "usd",
    "eur", "gbp", "amount", "cents", "home", "work", "mobile", "personal", "business",
    "plain", "plaintext", "clear", "cleartext", "hex", "b64", "base64", "byte", "int",
    "integer", "digit", "part", "again", "repeat", "repeated", "retype", "line", "en",
    "short", "full", "display", "obj", "object", "out", "local", "first", "last", "masked",
    "given", "of", "day", "month", "year",
})

#: Categories whose phrases, although unambiguous, tolerate only harmless qualifiers on
#: *either* side: ``target_fullname``/``import_alias_full_name`` are qualified names in
#: code-analysis code, ``map_center_latitude`` is not where a person is.
STRICT_CATEGORIES: Final = frozenset({
    "identity.name", "identity.name.first", "identity.name.last", "location.precise",
})
CATEGORY_QUALIFIERS: Final[Mapping[str, frozenset[str]]] = {
    "identity.name": frozenset({
        "first", "last", "middle", "full", "given", "family", "nick", "display", "real",
        "surname", "initial", "romanized", "latin", "native", "localized", "maiden",
        "forename",
    }),
    "identity.photo": frozenset({
        "image", "picture", "photo", "thumbnail", "thumb", "small", "medium", "large",
        "original",
    }),
    "location.precise": frozenset({
        "pickup", "dropoff", "home", "work", "current", "last", "known", "latest", "gps",
        "geo", "device", "latitude", "longitude", "coordinate", "position", "live", "exact",
        "precise", "location",
    }),
}

#: Single-token concatenations that stay one token when classifying because, written as one
#: word, they are idioms of another domain: ``fullname`` is the qualified name of a symbol in
#: mypy/Sphinx/distutils code.  Matched as their own (ambiguous) phrases.
CONTEXT_CONCATENATIONS: Final = frozenset({"fullname"})

#: Container nouns: fine *after* a phrase (``email_list`` holds e-mails) but, before an
#: ambiguous or strict phrase, the phrase describes the container (``contact_list_name``).
CONTAINER_WORDS: Final = frozenset({
    "list", "lst", "arr", "array", "set", "tuple", "dict", "map", "group", "collection",
    "queue", "table", "batch", "pool",
})

#: Phrases classified only as string keys (HTTP header names): ``request.headers
#: ["Authorization"]`` is a credential, an ``authorization`` variable or attribute is
#: usually a permission object.
KEY_ONLY_PHRASES: Final = frozenset({("authorization",)})

#: Extra tokens allowed next to a specific ambiguous phrase.
_PLACE_QUALIFIERS: Final = ADDRESS_WORDS | {"birth", "of", "residence", "origin", "work"}
_IMAGE_QUALIFIERS: Final = frozenset({
    "url", "uri", "link", "path", "file", "thumbnail", "thumb", "small", "medium", "large",
})
PHRASE_QUALIFIERS: Final[Mapping[Phrase, frozenset[str]]] = {
    ("ip",): frozenset({
        "last", "first", "latest", "recent", "registration", "signup", "login", "creation",
        "created", "consent", "addr", "request", "session",
    }),
    ("address",): _PLACE_QUALIFIERS,
    ("street",): _PLACE_QUALIFIERS,
    ("city",): _PLACE_QUALIFIERS,
    ("town",): _PLACE_QUALIFIERS,
    ("country",): _PLACE_QUALIFIERS | {"request"},
    ("country", "code"): _PLACE_QUALIFIERS,
    ("state",): _PLACE_QUALIFIERS,
    ("province",): _PLACE_QUALIFIERS,
    ("region",): _PLACE_QUALIFIERS,
    ("county",): _PLACE_QUALIFIERS,
    ("zip",): _PLACE_QUALIFIERS,
    ("zip", "code"): _PLACE_QUALIFIERS,
    ("post", "code"): _PLACE_QUALIFIERS,
    ("postal", "code"): _PLACE_QUALIFIERS,
    ("age",): frozenset({"range", "group", "bracket", "band", "year"}),
    ("location",): frozenset({
        "last", "known", "current", "home", "work", "latest", "recent", "approximate",
        "approx",
    }),
    ("coordinate",): frozenset({"gps", "geo", "home", "last", "latest"}),
    ("coord",): frozenset({"gps", "geo", "home", "last", "latest"}),
    ("language",): frozenset({"native", "spoken", "first", "second"}),
    ("locale",): frozenset(),
    ("photo",): _IMAGE_QUALIFIERS,
    ("picture",): _IMAGE_QUALIFIERS,
    ("image",): _IMAGE_QUALIFIERS,
    ("portrait",): _IMAGE_QUALIFIERS,
    ("signature",): _IMAGE_QUALIFIERS | {"image", "svg", "png"},
    ("fingerprint",): frozenset({"template", "image", "scan"}),
    ("mobile",): frozenset({"number", "no", "num"}),
    ("cell",): frozenset({"number", "no", "num"}),
    ("income",): frozenset({"annual", "monthly", "yearly", "household", "gross", "net"}),
    ("wage",): frozenset({"annual", "monthly", "yearly", "hourly", "gross", "net"}),
    ("id",): frozenset({"external", "public"}),
    ("pk",): frozenset(),
    ("uuid",): frozenset({"external", "public"}),
    ("pin",): frozenset({"number", "no"}),
    ("last4",): frozenset({"digit"}),
    ("wallet",): frozenset({"crypto", "bitcoin", "btc", "eth", "ethereum"}),
}

# ---------------------------------------------------------------------------------------
# Modifiers
# ---------------------------------------------------------------------------------------

#: *Not-data* modifiers: the name is *about* personal data, not personal data
#: (``email_template``, ``phone_regex``, ``max_age``).  ``id``/``pk``/``uuid`` are vetoes only
#: outside identifier categories (``email_id`` is a message id).
NOT_DATA: Final = frozenset({
    # domain.md §2.2 step 6
    "template", "tpl", "tmpl", "backend", "host", "port", "server", "config", "conf", "cfg",
    "configuration", "setting", "enabled", "disabled", "enable", "disable", "regex",
    "regexp", "re", "rx", "pattern", "validator", "validation", "format", "formatter", "fmt",
    "mask", "widget", "label", "placeholder", "help", "type", "kind", "field", "column",
    "col", "count", "cnt", "length", "len", "max", "min", "limit", "required", "error",
    "invalid", "class", "cls", "schema", "serializer", "form", "factory", "provider",
    "service", "util", "helper", "handler", "queue", "task", "subject", "body", "check",
    "checker", "endpoint", "probe", "url", "uri", "path", "file", "filename", "dir",
    "directory", "folder", "module", "prefix", "suffix", "key", "domain", "sent", "reset",
    "forgot", "change", "changed", "confirm", "policy", "strength", "hasher", "condition",
    "algorithm", "operator", "version", "id", "uuid", "guid", "pk", "code",
    # configuration / UI / code structure
    "verbose", "choice", "option", "enum", "size", "width", "height", "color",
    "colour", "style", "css", "html", "header", "param", "arg", "kwarg", "attribute",
    "property", "prop", "index", "idx", "constraint", "filter", "parser", "selector",
    "locator", "xpath", "button", "icon", "font", "dialog", "modal", "banner", "tooltip",
    "preview", "preference", "whitelist", "allowlist", "blacklist", "blocklist",
    # messages *about* a person, not the datum
    "campaign", "notification", "alert", "reminder", "report", "receipt", "attachment",
    "message", "msg",
    # test scaffolding
    "test", "mock", "fake", "dummy", "sample", "example", "fixture", "stub",
    # lifecycle / rate knobs
    "verification", "expiry", "expires", "expiration", "ttl", "timeout", "lifetime",
    "frequency", "interval", "retry", "delay", "rate", "throttle", "quota",
    # ops vocabulary (health_check, liveness)
    "liveness", "readiness", "monitor", "heartbeat",
    # error codes and message-catalogue keys (`duplicate_email`, `password_mismatch`)
    "duplicate", "mismatch", "unique", "wrong", "incorrect", "unknown", "already",
})

#: Not-data words that a PII *type* overrides: next to an ``EmailField`` they say what the
#: address is for or what happened to it (``notification_email``, ``changed_email``,
#: ``sent_by_email``), not that the field holds something other than an address.  The other
#: not-data words still veto typed evidence: descriptors (``email_template``,
#: ``email_domain``, ``email_regex``), configuration (``email_backend``, ``email_host``) and
#: test scaffolding (``example_email``).
TYPE_OVERRIDES_NOT_DATA: Final = frozenset({
    "sent", "reset", "forgot", "change", "changed", "confirm", "verification",
    "notification", "alert", "reminder", "report", "receipt",
})
#: Organisation words that are organisational only as an idiom, not after a participle:
#: ``from_email``/``default_from_email`` is the site's sender address, ``joined_from_ip`` is
#: where a person joined from.
IDIOMATIC_ORG_WORDS: Final = frozenset({"from"})

#: Not-data only when they *follow* the phrase: ``email_client``/``email_sender`` are
#: programs, ``client_email``/``sender_email`` a person's address.
TRAILING_NOT_DATA: Final = frozenset({"client", "sender"})

#: *Infrastructure* modifiers: the address/name/id belongs to a machine or program.  Vetoes
#: unless a strong person word is also present (``customer_cookie_id``); never applied to
#: credentials (``db_password`` is still a secret).
INFRA: Final = frozenset({
    "server", "host", "hostname", "bind", "listen", "local", "localhost", "loopback",
    "gateway", "proxy", "dns", "node", "pod", "container", "subnet", "cidr", "network",
    "interface", "iface", "socket", "sock", "db", "database", "sql", "sqlite", "postgres",
    "postgresql", "pg", "mysql", "mongo", "mongodb", "redis", "memcache", "memcached",
    "elastic", "elasticsearch", "kafka", "rabbitmq", "broker", "celery", "aws", "gcp",
    "azure", "s3", "smtp", "imap", "pop3", "ftp", "sftp", "ldap", "admin", "system", "sys",
    "service", "cluster", "memory", "mem", "func", "function", "method", "table", "app",
    "application", "project", "bucket", "tag", "event", "product", "company", "org", "model",
    "attr", "var", "cache", "cookie", "token", "jwt", "hmac", "webhook", "ssh", "tls", "ssl",
    "cert", "certificate", "content", "screen", "window", "cursor", "git", "commit",
    "browser", "cpu", "gpu", "disk", "job", "worker", "daemon", "vm", "machine", "docker",
    "kubernetes", "k8s", "kube", "router", "vpn", "nat", "firewall", "lb", "balancer",
    "upstream", "downstream", "api", "sdk", "cdn", "mx",
})

#: Organisation words: the datum belongs to the company, not to a natural person
#: (``support_email``, ``company_phone``, ``from_email`` = the site's sender address).
ORG_WORDS: Final = frozenset({
    "company", "org", "organization", "organisation", "corp", "corporate", "support",
    "helpdesk", "noreply", "donotreply", "admin", "administrator", "webmaster", "postmaster",
    "hostmaster", "info", "sales", "team", "store", "shop", "merchant", "vendor", "supplier",
    "tenant", "site", "from",
})
ORG_PHRASES: Final[tuple[Phrase, ...]] = (("no", "reply"), ("do", "not", "reply"))

#: *Protective* modifiers: still personal data, but a sanitised form (kind ``protected``).
PROTECTIVE: Final = frozenset({
    "hash", "hashed", "digest", "md5", "sha", "sha1", "sha224", "sha256", "sha384", "sha512",
    "hmac", "masked", "redacted", "scrubbed", "anonymized", "anonymised", "anon",
    "obfuscated", "encrypted", "enc", "cipher", "ciphertext", "pseudonymized",
    "pseudonymised", "pseudonym", "truncated", "tokenized", "tokenised", "last4",
})

#: Tokens after the phrase that make the name a fact *about* the datum (kind ``metadata``):
#: ``email_verified``, ``email_verified_at``, ``phone_status``.  Before the phrase they are
#: ordinary adjectives (``verified_email`` is an address).
METADATA_SUFFIXES: Final = frozenset({
    "verified", "unverified", "confirmed", "validated", "valid", "bounced", "opened",
    "clicked", "status", "flag", "exists", "exist", "available", "taken", "visible",
    "hidden", "public", "private", "shared", "present", "missing", "at", "updated",
    "created", "timestamp", "ts", "since", "date", "time", "on",
})

#: Name prefixes that make a boolean/predicate (``is_email_verified``, ``has_phone``).
#: ``send``/``use``/``show`` cover flag variables like ``send_email = True``.
METADATA_PREFIXES: Final = frozenset({
    "is", "has", "have", "can", "should", "allow", "allows", "was", "were", "did", "does",
    "will", "needs", "need", "must", "require", "requires", "use", "send", "show", "hide",
    "verify", "validate",
})

#: Leading words dropped from non-callable names (``get_email`` variable is the e-mail).
ACCESSOR_PREFIXES: Final = frozenset({"get", "set", "fetch", "load"})

#: Leading words of callables that *return* the datum: ``get_email()``, Django form
#: ``clean_email()`` (returns the cleaned field value).  Other callables are not values.
GETTER_PREFIXES: Final = frozenset({
    "get", "fetch", "load", "read", "retrieve", "lookup", "find", "clean",
})

#: Leading verbs of callables that *act* on data (``send_email()``, ``validate_email()``,
#: ``email_user()``): sink/transform candidates, never values.
ACTION_VERBS: Final = frozenset({
    "send", "validate", "verify", "normalize", "normalise", "format", "mask", "hash",
    "encrypt", "decrypt", "parse", "check", "render", "notify", "update", "delete", "remove",
    "reset", "generate", "gen", "export", "import", "sync", "match", "create", "add", "save",
    "store", "write", "log", "print", "process", "handle", "build", "make", "compute",
    "calc", "calculate", "convert", "to", "is", "has", "can", "should", "set", "post", "put",
    "patch", "email", "mail", "sms", "text", "call", "message", "ping", "sanitize",
    "sanitise", "scrub", "redact", "anonymize", "anonymise", "pseudonymize", "pseudonymise",
    "obfuscate", "strip", "split", "join", "search", "filter", "sort", "count", "compare",
    "test", "assert", "mock", "fake", "random", "change", "edit", "modify", "upsert",
    "insert", "register", "login", "logout", "authenticate", "authorize", "invite",
    "welcome", "confirm", "approve", "reject", "block", "unblock", "ban", "subscribe",
    "unsubscribe", "track", "identify", "alias", "capture", "upload", "download",
    "serialize", "deserialize", "dump", "dumps", "loads", "encode", "decode", "escape",
    "quote", "unquote", "truncate", "shorten", "lower", "upper", "capitalize", "show",
    "list", "iter", "init", "setup", "apply", "run", "execute", "do", "perform", "trigger",
    "emit", "dispatch", "publish", "push", "pull", "enqueue", "schedule", "require",
    "ensure", "prompt", "ask", "collect", "extract", "transform", "map", "migrate",
    "backfill", "purge", "erase", "forget", "wipe", "destroy", "archive", "expire",
    "invalidate", "revoke", "rotate", "refresh", "renew", "issue", "sign", "geocode",
    "geolocate", "mark", "record", "clear", "assign", "unassign", "associate",
    "disassociate", "allocate", "release", "attach", "detach", "describe", "reveal",
    "hide", "display", "lock", "unlock", "close", "open", "disable", "enable",
})

# ---------------------------------------------------------------------------------------
# Exclusions and exemptions
# ---------------------------------------------------------------------------------------

#: Veto tokens for every credential phrase: the name is about the credential mechanism, not
#: a credential (``api_key_header``, ``secret_name``, ``access_token_url``).
_CREDENTIAL_EXCLUSIONS: Final = frozenset({
    "url", "uri", "endpoint", "expiry", "expires", "expire", "expiration", "expired", "ttl",
    "lifetime", "timeout", "header", "name", "param", "prefix", "env", "var", "arn", "ref",
    "manager", "store", "vault", "provider", "backend", "policy", "length", "len", "min",
    "max", "required", "validator", "validation", "strength", "hasher", "rule", "regex",
    "pattern", "field", "label", "placeholder", "widget", "input", "element", "box",
    "prompt", "hint", "count", "attempt", "retries", "failure", "failed", "wrong",
    "incorrect", "mismatch", "grant", "flow", "type", "mode", "method", "scope", "audience",
    "issuer", "claim", "location", "query", "enabled", "disabled", "protected", "usable",
    "device", "santa", "level", "sauce",
})
#: Extra vetoes for password-like phrases only: ``password_reset`` is a flow, but
#: ``password_reset_token`` is a secret (there ``reset`` belongs to the matched phrase).
_PASSWORD_EXCLUSIONS: Final = frozenset({
    "reset", "forgot", "forgotten", "changed", "change", "confirm", "confirmation", "age",
    "history", "less", "set", "update", "updated", "login", "auth", "based",
})
_ADDRESS_EXCLUSIONS: Final = frozenset({
    "base", "return", "ret", "memory", "mem", "family", "contract", "token", "pointer", "ptr",
    "offset", "url", "web", "bind", "listen", "server", "broadcast", "multicast", "unicast",
    "loopback", "virtual", "logical", "physical", "start", "end", "next", "load", "entry",
    "jump", "target", "register", "hex", "byte", "info", "peer", "socket",
})
_IP_EXCLUSIONS: Final = frozenset({
    "public", "private", "internal", "external", "local", "src", "source", "dst", "dest",
    "destination", "target", "origin", "upstream", "downstream", "peer", "range", "block",
    "static", "floating", "elastic", "balancer", "lb", "vpc", "nat", "dns", "ns", "mx",
    "allowed", "trusted", "blocked", "banned", "whitelisted", "bind", "listen", "forwarder",
    "resolver", "nameserver", "available", "assigned", "allocated", "reserved", "instance",
    "server", "gateway", "host", "node",
})

#: Extra veto tokens per phrase (beyond the global modifier sets).
PHRASE_EXCLUSIONS: Final[Mapping[Phrase, frozenset[str]]] = {
    ("password",): _PASSWORD_EXCLUSIONS,
    ("passwd",): _PASSWORD_EXCLUSIONS,
    ("pwd",): _PASSWORD_EXCLUSIONS,
    ("passphrase",): _PASSWORD_EXCLUSIONS,
    ("passcode",): _PASSWORD_EXCLUSIONS,
    ("address",): _ADDRESS_EXCLUSIONS,
    ("signature",): frozenset({
        "hmac", "jwt", "webhook", "request", "key", "payload", "body", "header", "hash",
        "digest", "sha", "signing", "api", "stripe", "github", "slack", "twilio", "svix",
        "url", "s3", "aws", "token", "verify", "valid", "algorithm", "method", "version",
        "secret", "hub", "x", "content", "message", "response", "event", "func", "function",
        "type", "hint",
    }),
    ("fingerprint",): frozenset({
        "ssh", "cert", "certificate", "file", "key", "tls", "ssl", "content", "sentry",
        "event", "hash", "sha", "md5", "gpg", "pgp", "public", "host", "server", "error",
        "issue", "crash", "request", "cache", "asset", "build", "css", "js", "code",
        "schema", "config", "tx",
    }),
    ("location",): frozenset({
        "header", "redirect", "url", "path", "file", "dir", "storage", "s3", "bucket",
        "cache", "log", "config", "module", "source", "src", "code", "memory", "disk",
        "install", "save", "output", "default", "event", "job", "store", "warehouse",
    }),
    ("age",): frozenset({"cache", "cookie", "session", "token", "stale", "max", "min", "file"}),
    ("health",): frozenset({
        "check", "endpoint", "probe", "liveness", "readiness", "monitor", "monitoring",
        "ping", "heartbeat", "bar", "point", "hp", "potion", "pack", "regen", "max",
    }),
    ("race",): frozenset({
        "condition", "car", "horse", "track", "lap", "game", "mode", "timer", "result",
        "start", "finish",
    }),
    ("genetic",): frozenset({
        "algorithm", "programming", "operator", "optimizer", "optimization", "optimisation",
        "search", "crossover", "mutation", "population", "solver", "evolution",
        "evolutionary", "fitness",
    }),
    ("belief",): frozenset({"propagation", "state", "network", "update", "net", "prior"}),
    ("post",): frozenset({
        "save", "init", "process", "processing", "mortem", "hook", "request", "data",
        "body", "method", "office", "url",
    }),
    ("note",): frozenset({"release", "patch", "version"}),
    ("comment",): frozenset({"block", "line", "char", "token", "syntax", "parser", "node"}),
    ("review",): frozenset({"code", "pr", "pull", "request", "diff"}),
    ("image",): frozenset({
        "docker", "container", "build", "tag", "registry", "repo", "base", "processing",
    }),
    ("zip",): frozenset({"file", "archive", "path", "buffer", "stream", "byte", "io", "mode"}),
    ("mobile",): frozenset({
        "app", "device", "view", "layout", "version", "browser", "web", "site", "menu", "nav",
        "breakpoint", "friendly", "optimized", "only", "first",
    }),
    ("cell",): frozenset({
        "value", "width", "height", "style", "format", "range", "row", "col", "column",
        "index", "text", "type", "renderer", "editor", "border", "padding", "size", "content",
    }),
    ("handle",): frozenset({
        "file", "event", "request", "error", "exception", "signal", "click", "submit",
        "change", "key", "mouse", "input", "output", "window", "process", "thread",
    }),
    ("login",): frozenset({
        "time", "at", "date", "timestamp", "ts", "count", "attempt", "status", "history",
        "event", "session", "failed", "success", "required", "url", "page", "last", "first",
    }),
    ("id",): frozenset({"request", "session", "login", "signup", "registration", "parent",
                        "child", "client"}),
    ("name",): frozenset({"profile", "account", "parent", "child", "client", "lead"}),
}

#: Global not-data words that are fine next to a specific phrase: a *reset* or *confirmation*
#: token is still a bearer secret (``reset_password_token``, ``email_change_token``).
_TOKEN_FLOW_WORDS: Final = frozenset({
    "reset", "forgot", "forgotten", "change", "changed", "confirm", "confirmation",
    "verification", "verify", "sent",
})
PHRASE_EXEMPTIONS: Final[Mapping[Phrase, frozenset[str]]] = {
    ("password", "token"): _TOKEN_FLOW_WORDS,
    ("reset", "token"): _TOKEN_FLOW_WORDS,
    ("verification", "token"): _TOKEN_FLOW_WORDS,
    ("confirmation", "token"): _TOKEN_FLOW_WORDS,
    ("verification", "code"): _TOKEN_FLOW_WORDS,
}

#: Extra veto tokens per category (or root: ``"gov"`` covers ``gov.*``).
CATEGORY_EXCLUSIONS: Final[Mapping[str, frozenset[str]]] = {
    CREDENTIALS: _CREDENTIAL_EXCLUSIONS,
    "online.ip": _IP_EXCLUSIONS,
    "contact.address": frozenset({"memory", "mem", "pointer", "ptr", "offset", "return",
                                  "base"}),
    "location.precise": frozenset({
        "bound", "bbox", "center", "centre", "offset", "delta", "step", "zoom", "tile",
        "grid", "precision", "resolution", "scale", "axis", "tolerance", "radius", "span",
        "store", "warehouse", "office", "venue", "shop",
    }),
}

#: Veto tokens that are fine for a category (or root): ``avatar_url`` points at a photo,
#: ``passport_id`` *is* the passport number, ``browser_fingerprint`` is about the visitor.
CATEGORY_EXEMPTIONS: Final[Mapping[str, frozenset[str]]] = {
    "identity.photo": frozenset({"url", "uri", "link", "path", "file", "filename"}),
    "contact.url": frozenset({"url", "uri", "link"}),
    "gov": frozenset({"id", "code"}),
    ACCOUNT_ID: frozenset({"id", "pk", "uuid", "guid"}),
    "online.user_agent": frozenset({"browser"}),
    "special.biometric": frozenset({"template"}),
    "contact.address.country": frozenset({"code"}),
    "identity.nationality": frozenset({"code", "id"}),
    "identity.language": frozenset({"code"}),
    # lookup-table references reveal the value (`religion_id` -> Religion row)
    "identity.gender": frozenset({"id"}),
    "identity.marital": frozenset({"id"}),
    "special.racial_ethnic": frozenset({"id"}),
    "special.religious": frozenset({"id"}),
    "special.political": frozenset({"id"}),
    "special.sex_life": frozenset({"id"}),
    "special.health": frozenset({"code"}),  # `diagnosis_code` is an ICD code
    CREDENTIALS: frozenset({"code", "key"}),
}

# ---------------------------------------------------------------------------------------
# Person words
# ---------------------------------------------------------------------------------------

#: Words that make a name (or its enclosing object) a person's.  Strong ones also give an
#: ambiguous word context inside the same identifier (``customer_name``).
STRONG_PERSON_WORDS: Final = frozenset({
    "user", "customer", "person", "people", "patient", "employee", "applicant",
    "author", "owner", "buyer", "seller", "recipient", "sender", "billing", "shipping",
    "beneficiary", "guardian", "holder", "cardholder", "citizen", "participant", "attendee",
    "donor", "traveler", "traveller", "passenger", "reviewer", "friend", "spouse",
    "prospect", "respondent", "volunteer", "staff", "doctor", "nurse", "caregiver", "payee",
    "payer",
})
#: Person words too generic to give context inside a name on their own: ``client_address``
#: (socketserver), ``profile_name`` (AWS), ``parent_id`` (tree), ``request_id``,
#: ``member_name`` (class member), ``visitor_name`` (AST visitor), ``student``/``teacher``
#: (model distillation), ``candidate_names`` (tempfile), ``subscriber`` (pub/sub).  They
#: still make an object a person's for :meth:`Classifier.is_person_name`, and are fine as
#: qualifiers next to an ambiguous word inside a person object.
WEAK_PERSON_WORDS: Final = frozenset({
    "client", "request", "login", "signup", "registration", "lead", "parent", "child",
    # `contact_mail` in an event's settings is the organiser's address: `contact` makes an
    # object a person's (a Contact model), but gives no context inside a name by itself
    "contact",
    "profile", "account", "member", "candidate", "student", "subscriber", "guest", "visitor",
    "individual", "resident", "rider", "follower", "learner", "teacher",
})
PERSON_WORDS: Final = STRONG_PERSON_WORDS | WEAK_PERSON_WORDS

#: Tokens that may follow the person word in a person-object name: ``UserSerializer``,
#: ``CustomerCreate``, ``PatientRecord``, ``BillingAddress``.  Anything else after it makes
#: the name a property of the person (``user_email``, ``user_count``), not the person.
PERSON_SUFFIXES: Final = frozenset({
    "serializer", "schema", "form", "model", "create", "creation", "update", "change", "in",
    "out", "base", "mixin", "data", "info", "information", "detail", "record", "obj",
    "object", "instance", "dict", "list", "set", "qs", "queryset", "response", "payload",
    "dto", "entity", "row", "doc", "document", "input", "output", "param", "read", "write",
    "public", "private", "full", "summary", "orm", "db", "table", "snapshot", "address",
    "location", "me", "resource", "type", "proxy",
})
#: Tokens that may precede an ambiguous person head (``client``, ``request``...) without
#: turning it into a program (``http_client``, ``s3_client``).
PERSON_HEAD_QUALIFIERS: Final = frozenset({
    "current", "logged", "in", "authenticated", "auth", "new", "old", "existing", "my",
    "the", "a", "an", "this", "that", "active", "target", "primary", "main", "other",
    "anonymous", "custom", "abstract", "base",
})
#: Pages and forms named after a person word that are not person objects.
NOT_PERSON_PHRASES: Final[tuple[Phrase, ...]] = (("contact", "us"), ("about", "us"))

# ---------------------------------------------------------------------------------------
# Person roles: whose name/e-mail/username is it? (``sender_name``, ``changed_by_username``)
# ---------------------------------------------------------------------------------------

#: Categories of the direct identifiers a person role attaches to (prefix match): the role
#: says *whose* they are (``poster_name``, ``requested_by_email``, ``created_by_ip``).  Other
#: categories keep their own rules: ``created_by_id``/``sender_id`` are links, not the data,
#: and ``poster_image`` is a film poster.
ROLE_HEAD_CATEGORIES: Final[tuple[str, ...]] = (
    "identity.name", "identity.username", "contact.email", "contact.phone", "online.ip",
)
#: Agent nouns: people *by role*.  Next to a role head they give person context like a strong
#: person word (``poster_name``, ``reporter_name``, ``assignee_phone``); nowhere else, and they
#: do not make an object a person's (``Poster`` is usually a film poster, a ``Reporter`` a test
#: reporter).  ``editor``/``publisher``/``caller``/``actor``/``driver`` are absent: programs.
ROLE_PERSON_WORDS: Final = frozenset({
    "sender", "recipient", "author", "owner", "reviewer", "poster", "requester", "requestor",
    "submitter", "reporter", "assignee", "assigner", "creator", "approver", "uploader",
    "commenter", "inviter", "invitee", "referrer", "signer", "signatory", "organizer",
    "organiser", "moderator", "addressee", "claimant", "complainant", "nominee", "nominator",
    "purchaser", "registrant", "contributor",
})
#: Past participles of things people do.  ``<participle> by`` names the agent, ``<participle>
#: from`` the origin of their action; before a role head the datum is that person's
#: (``changed_by_username``, ``requested_by_email``, ``joined_from_ip``), whatever the
#: record the name starts with.  Arrangement verbs are deliberately absent
#: (``sorted_by_name``, ``grouped_by_email``, ``ordered_by_name``, ``filtered_by``), and so are
#: verbs whose agent is usually a program (``processed``, ``generated``, ``locked``,
#: ``triggered``, ``started``, ``migrated``, ``connected``).
AGENT_PARTICIPLES: Final = frozenset({
    "created", "changed", "updated", "modified", "edited", "requested", "submitted", "sent",
    "approved", "rejected", "reviewed", "reported", "assigned", "owned", "authored",
    "posted", "uploaded", "invited", "referred", "signed", "deleted", "removed", "cancelled",
    "canceled", "closed", "opened", "resolved", "accepted", "declined", "denied", "issued",
    "granted", "revoked", "added", "booked", "paid", "placed", "raised", "initiated",
    "completed", "published", "shared", "flagged", "blocked", "banned", "nominated",
    "sponsored", "recommended", "endorsed", "entered", "registered", "managed", "supervised",
    "hired", "received", "purchased", "bought", "donated", "claimed", "verified", "confirmed",
    "checked", "witnessed", "delivered", "collected", "written", "drafted", "prepared",
    "performed", "recorded", "archived", "moderated", "answered", "escalated", "forwarded",
    "replied", "commented", "liked", "voted", "authorized", "authorised", "contacted",
    "scheduled", "acknowledged", "audited", "inspected", "joined", "accessed", "logged",
    "visited", "viewed", "clicked",
})
#: Particles that may stand between a participle and its preposition (``signed_up_from_ip``,
#: ``logged_in_from_ip``, ``checked_in_by_name``).
AGENT_PARTICLES: Final = frozenset({"up", "in", "on", "out", "off"})
#: Prepositions of an agent/origin phrase -> categories of the heads they attach to (prefix
#: match): ``by`` names who did it, ``from`` where they did it from (``sent_from_email`` is a
#: sender address idiom, not an origin).
AGENT_PREPOSITIONS: Final[Mapping[str, tuple[str, ...]]] = {
    "by": ROLE_HEAD_CATEGORIES,
    "from": ("online.ip", "location."),
}

# ---------------------------------------------------------------------------------------
# Consent flags (domain.md §3.7)
# ---------------------------------------------------------------------------------------

CONSENT_PHRASES: Final[tuple[Phrase, ...]] = (
    ("consent",), ("consented",), ("consenting",), ("opt", "in"), ("opted", "in"),
    ("opt", "out"), ("opted", "out"), ("unsubscribed",), ("subscribed",), ("newsletter",),
    ("accept", "marketing"), ("accepts", "marketing"), ("accepted", "marketing"),
    ("allow", "tracking"), ("allows", "tracking"), ("do", "not", "track"), ("dnt",),
    ("gpc",), ("do", "not", "sell"),
)
#: Consent *evidence* or UI, not a flag one checks (``consented_at``, ``consent_banner``).
CONSENT_VETOES: Final = frozenset({
    "template", "url", "banner", "text", "label", "message", "page", "view", "modal",
    "dialog", "widget", "html", "form", "at", "date", "time", "timestamp", "ts", "version",
    "ip", "source", "id", "log", "record", "count", "link", "copy", "title",
})

# ---------------------------------------------------------------------------------------
# Types
# ---------------------------------------------------------------------------------------

#: Annotation / field types that make a name a *fact about* the datum, by kind:
#: ``bool`` (``email_verified: bool``), ``number`` (``phone_count: int``) or ``time``
#: (``email_verified_at: datetime``).  Matched on the last dotted component.
GATING_TYPES: Final[Mapping[str, str]] = {
    **dict.fromkeys((
        "bool", "Bool", "Boolean", "StrictBool", "BooleanField", "NullBooleanField",
    ), "bool"),
    **dict.fromkeys((
        "int", "float", "Decimal", "Int", "Integer", "Float", "Number", "Numeric",
        "SmallInteger", "BigInteger", "StrictInt", "StrictFloat", "PositiveInt",
        "NegativeInt", "NonNegativeInt", "NonPositiveInt", "PositiveFloat",
        "NonNegativeFloat", "conint", "confloat", "condecimal", "IntegerField",
        "SmallIntegerField", "BigIntegerField", "PositiveIntegerField",
        "PositiveSmallIntegerField", "PositiveBigIntegerField", "FloatField",
        "DecimalField", "AutoField", "BigAutoField", "SmallAutoField",
    ), "number"),
    **dict.fromkeys((
        "datetime", "date", "time", "timedelta", "DateTime", "Date", "Time", "TimeDelta",
        "Interval", "TIMESTAMP", "AwareDateTime", "NaiveDateTime", "AwareDatetime",
        "NaiveDatetime", "PastDate", "FutureDate", "PastDatetime", "FutureDatetime",
        "condate", "DateTimeField", "DateField", "TimeField", "DurationField",
    ), "time"),
}

#: Categories whose values are themselves numbers (``age: int``, ``latitude: float``,
#: ``user_id: int``): numeric gating does not turn them into metadata.  Prefix match.
NUMERIC_VALUE_PREFIXES: Final[tuple[str, ...]] = (
    "identity.age", "identity.birth_date", "location.", "financial.", "gov.",
    "contact.phone", "contact.address.postal_code", ACCOUNT_ID, CREDENTIALS,
    "online.device_id", "special.", "criminal.",
)
#: Categories whose values are dates (DOB): temporal gating does not apply.
TEMPORAL_VALUE_PREFIXES: Final[tuple[str, ...]] = ("identity.birth_date",)

#: Typed evidence (domain.md §3.1): type name as written -> (category, needs person context).
#: Keys are matched against the full dotted name and each dotted suffix of it, so
#: ``django.db.models.EmailField`` finds ``EmailField`` and ``marshmallow.fields.Email``
#: finds ``fields.Email`` -- while a bare project class ``Email`` finds nothing.
TYPED_FIELDS: Final[Mapping[str, tuple[str, bool]]] = {
    # Django models / forms, DRF serializers, WTForms, mongoengine
    "EmailField": ("contact.email", False),
    "GenericIPAddressField": ("online.ip", False),
    "IPAddressField": ("online.ip", False),
    "URLField": ("contact.url", True),
    "ImageField": ("identity.photo", True),
    "FileField": ("content.private", True),
    "TelField": ("contact.phone", False),
    # django-phonenumber-field, django-countries, django-localflavor
    "PhoneNumberField": ("contact.phone", False),
    "CountryField": ("contact.address.country", True),
    "IBANField": ("financial.bank", False),
    "BICField": ("financial.bank", False),
    "USSocialSecurityNumberField": ("gov.national_id", False),
    "USZipCodeField": ("contact.address.postal_code", True),
    "USStateField": ("contact.address.state", True),
    "GBPostcodeField": ("contact.address.postal_code", True),
    "CAPostalCodeField": ("contact.address.postal_code", True),
    "CASocialInsuranceNumberField": ("gov.national_id", False),
    "BRCPFField": ("gov.national_id", False),
    # encrypted field variants that still say what they hold
    "EncryptedEmailField": ("contact.email", False),
    # DRF / marshmallow (qualified: a bare ``Email``/``IP`` class is not evidence)
    "serializers.EmailField": ("contact.email", False),
    "serializers.IPAddressField": ("online.ip", False),
    "fields.Email": ("contact.email", False),
    "fields.IP": ("online.ip", False),
    "fields.IPv4": ("online.ip", False),
    "fields.IPv6": ("online.ip", False),
    "fields.IPInterface": ("online.ip", False),
    "fields.IPv4Interface": ("online.ip", False),
    "fields.IPv6Interface": ("online.ip", False),
    "fields.Url": ("contact.url", True),
    "fields.URL": ("contact.url", True),
    # Pydantic and pydantic-extra-types
    "EmailStr": ("contact.email", False),
    "NameEmail": ("contact.email", False),
    "IPvAnyAddress": ("online.ip", True),
    "IPv4Address": ("online.ip", True),
    "IPv6Address": ("online.ip", True),
    "SecretStr": (CREDENTIALS, False),
    "SecretBytes": (CREDENTIALS, False),
    "PhoneNumber": ("contact.phone", False),
    "PaymentCardNumber": ("financial.card", False),
    "Latitude": ("location.precise", False),
    "Longitude": ("location.precise", False),
    "coordinate.Coordinate": ("location.precise", False),
    "MacAddress": ("online.device_id", False),
    "HttpUrl": ("contact.url", True),
    "AnyHttpUrl": ("contact.url", True),
    "CountryAlpha2": ("contact.address.country", True),
    "CountryAlpha3": ("contact.address.country", True),
    "CountryShortName": ("contact.address.country", True),
    "CountryNumericCode": ("contact.address.country", True),
    "CountryOfficialName": ("contact.address.country", True),
    # sqlalchemy_utils, peewee
    "EmailType": ("contact.email", False),
    "PhoneNumberType": ("contact.phone", False),
    "IPAddressType": ("online.ip", False),
    "CountryType": ("contact.address.country", True),
    "URLType": ("contact.url", True),
    "PasswordType": (CREDENTIALS, False),
    "IPField": ("online.ip", False),
}

#: Types that store their value encrypted or hashed (the ``encrypted`` flag; kind
#: ``protected``).  Most say nothing about *what* they hold: the name decides the category.
ENCRYPTED_TYPES: Final = frozenset({
    "EncryptedCharField", "EncryptedTextField", "EncryptedEmailField", "EncryptedIntegerField",
    "EncryptedDateField", "EncryptedDateTimeField", "EncryptedBooleanField",
    "EncryptedJSONField", "EncryptedBigIntegerField", "EncryptedType", "StringEncryptedType",
    "PasswordType",
})

#: Wrapper types whose ``repr``/``str`` is masked (``'**********'``): logging them leaks
#: nothing, so a value so typed is ``protected`` whatever its name says.
MASKED_TYPES: Final = frozenset({"SecretStr", "SecretBytes"})

#: Generic wrappers unwrapped when reading annotations.
UNION_WRAPPERS: Final = frozenset({"Optional", "Union"})
TRANSPARENT_WRAPPERS: Final = frozenset({
    "Mapped", "Final", "ClassVar", "Required", "NotRequired", "ReadOnly", "Annotated",
    "InitVar",
})
CONTAINER_WRAPPERS: Final = frozenset({
    "list", "List", "set", "Set", "frozenset", "FrozenSet", "tuple", "Tuple", "Sequence",
    "MutableSequence", "Iterable", "Iterator", "Collection", "AbstractSet", "deque",
    "Deque",
})
#: Column constructors whose first argument is the column type (``Column(EmailType)``).
COLUMN_CALLS: Final = frozenset({"Column", "mapped_column", "column_property"})
