"""Every rule code of the published catalogue, implemented or not yet.

Configuration files and suppression comments may name any code of the catalogue
(docs/rules/README.md): a project can write `ignore = ["PDL201"]` once and keep it across
upgrades. Codes are stable once published; a new rule takes a new code.
"""

from __future__ import annotations

CATALOGUE: dict[str, str] = {
    "PDL001": "parse-error",
    "PDL101": "untagged-handler",
    "PDL102": "malformed-tag",
    "PDL103": "unknown-category",
    "PDL104": "undeclared-data",
    "PDL105": "untagged-pii-field",
    "PDL106": "stale-tag",
    "PDL107": "special-category-without-condition",
    "PDL201": "pii-in-log",
    "PDL202": "pii-in-exception",
    "PDL203": "pii-to-third-party",
    "PDL204": "insecure-transport",
    "PDL205": "pii-in-client-storage",
    "PDL206": "pii-in-task-args",
    "PDL207": "secret-in-log",
    "PDL301": "untested-tagged-function",
    "PDL401": "missing-consent-check",
    "PDL501": "missing-rights-handler",
    "PDL502": "not-erasable",
    "PDL503": "export-incomplete",
    "PDL601": "unauthenticated-pii-handler",
    "PDL602": "plaintext-sensitive-field",
    "PDL603": "real-data-in-tests",
    "PDL604": "weak-pseudonymisation",
    "PDL901": "unused-suppression",
}
