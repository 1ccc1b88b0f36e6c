"""Comments that matter to pdlint: ``# gdpr:`` tags and suppressions.

The syntax tree tells *where* a comment may attach (see ``walker``), but the exact set of
comments is easiest to get from the tokenizer, which also sees comments inside brackets
and after a block's last statement (places that attach to nothing: orphan tags). Most
files contain neither ``gdpr`` nor ``pdlint``/``noqa: PDL``, so a byte search decides
whether tokenizing is needed at all.
"""

from __future__ import annotations

import io
import re
import tokenize
from dataclasses import dataclass

_INTERESTING = re.compile(r"gdpr|pdlint|noqa", re.IGNORECASE)
_COMMENT_FALLBACK = re.compile(r"#[^\r\n]*")
# A directive starts the comment or follows whitespace (`x = 1  # noqa: E501  # pdlint: …`);
# a comment that merely quotes one (``# pdlint: ignore``) is not a directive.
_PDLINT_DIRECTIVE = re.compile(
    r"(?:^|(?<=\s))#\s*pdlint\s*:\s*(?P<kind>file-ignore|ignore)\b(?P<codes>\s*\[[^\]]*\])?",
    re.IGNORECASE,
)
_NOQA = re.compile(r"(?:^|(?<=\s))#\s*noqa\s*:\s*(?P<codes>[A-Za-z0-9_,\s]+)", re.IGNORECASE)
_CODE = re.compile(r"[A-Za-z]+[0-9]+")


@dataclass(frozen=True)
class Comment:
    line: int
    column: int  # 0-based character column of the ``#``
    text: str
    own_line: bool  # nothing but whitespace before it on its line


@dataclass(frozen=True)
class Directive:
    """A parsed suppression comment (before deciding which lines it covers)."""

    line: int
    column: int
    kind: str  # "line" | "file"
    syntax: str  # "pdlint" | "noqa"
    codes: tuple[str, ...]
    own_line: bool


def needs_comment_scan(text: str) -> bool:
    return _INTERESTING.search(text) is not None


def scan_comments(text: str) -> list[Comment]:
    """Every comment token in ``text`` (falls back to a line regex if tokenizing fails)."""
    lines = text.splitlines()
    comments: list[Comment] = []
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type == tokenize.COMMENT:
                line, col = token.start
                prefix = lines[line - 1][:col] if line <= len(lines) else ""
                comments.append(Comment(line, col, token.string, not prefix.strip()))
        return comments
    except (tokenize.TokenError, SyntaxError, IndentationError, ValueError, RecursionError):
        pass
    comments = []
    for number, line_text in enumerate(lines, start=1):
        if "#" not in line_text or not _INTERESTING.search(line_text):
            continue
        match = _COMMENT_FALLBACK.search(line_text)
        if match:
            prefix = line_text[: match.start()]
            comments.append(Comment(number, match.start(), match.group(0), not prefix.strip()))
    return comments


def parse_directives(comment: Comment) -> list[Directive]:
    """Suppression directives in one comment (a comment may hold ``noqa`` and ``pdlint`` both)."""
    found: list[Directive] = []
    for match in _PDLINT_DIRECTIVE.finditer(comment.text):
        raw = match.group("codes")
        codes: tuple[str, ...] = ()
        if raw:
            codes = tuple(code.upper() for code in _CODE.findall(raw.strip()[1:-1]))
        kind = "file" if match.group("kind").lower() == "file-ignore" else "line"
        found.append(
            Directive(comment.line, comment.column + match.start() + 1, kind, "pdlint", codes,
                      comment.own_line)
        )
    for match in _NOQA.finditer(comment.text):
        codes = tuple(
            code.upper() for code in _CODE.findall(match.group("codes"))
            if code.upper().startswith("PDL")
        )
        if codes:  # a noqa for other tools' codes is none of our business
            found.append(
                Directive(comment.line, comment.column + match.start() + 1, "line", "noqa", codes,
                          comment.own_line)
            )
    return found
