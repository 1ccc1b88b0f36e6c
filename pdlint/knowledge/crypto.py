"""Hashing, encryption and identifiers (hashlib, hmac, bcrypt, argon2, passlib,
cryptography, secrets, uuid, base64): their results carry no readable personal data, so
the data flow stops there (a *sanitiser*). Unkeyed hashes of low-entropy data are a
weak pseudonymisation all the same; that is a rule's question (PDL604), not the flow's."""

from __future__ import annotations

from pdlint.knowledge.spec import Spec

SPEC = Spec(
    name="crypto",
    sanitizers=(
        r"hashlib\.\w+", r"hmac\.(new|digest|compare_digest)", r"uuid\.\w+", r"secrets\.\w+",
        r"bcrypt\.\w+", r"argon2\.\w+", r"passlib\.\w+", r"base64\.\w+encode", r"zlib\.crc32",
        r"cryptography\..*",
    ),
)
