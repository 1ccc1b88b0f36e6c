"""Safe, visible renderings of names that come from the scanned repository.

File names, directory names and module names are data, not text pdlint chose: a file named
``pkg\\n::error::INJECTED/m.py`` must not start a GitHub Actions workflow command in a log, an
ESC in a name must not drive the terminal, and a name that is not valid UTF-8 (a Linux file
name holds any bytes; pdlint keeps them as ``surrogateescape`` code points) must neither crash
a writer nor vanish. Every reporter routes such text through one of two functions:

* :func:`visible` for human and line-oriented formats (text, GitHub, Markdown, CSV, YAML,
  JUnit, stderr messages): control characters, Unicode format characters (bidirectional
  overrides that reorder what a reviewer reads), line and paragraph separators and
  undecodable bytes become backslash escapes (``\\x1b``, ``\\u202e``, ``\\xff``);
* :func:`json_safe` for JSON documents (pdlint's JSON, SARIF, GitLab, graph JSON): the JSON
  encoder already escapes control characters, so only the undecodable bytes, which UTF-8
  cannot carry, are rewritten the same way.

Ordinary names (every printable character, any script) pass through unchanged, and the
check is a single ``str.isprintable`` call for them.
"""

from __future__ import annotations

import json
import re
import unicodedata
from typing import Any

__all__ = ["dumps", "hidden", "json_safe", "visible"]

#: What ``json.dumps(ensure_ascii=False)`` leaves raw but a terminal or log viewer acts on:
#: DEL and C1 controls, soft hyphen, bidirectional and zero-width format characters, line
#: and paragraph separators, the BOM and interlinear annotation controls.
_JSON_RAW = re.compile("[\x7f-\x9f\xad\u061c\u180e\u200b-\u200f\u2028-\u202e"
                       "\u2060-\u206f\ufeff\ufff9-\ufffb]")


def _escape(char: str) -> str:
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # a byte surrogateescape could not decode: show the byte
        return f"\\x{code - 0xDC00:02x}"
    if code <= 0xFF:
        return f"\\x{code:02x}"
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


#: Unicode categories that are never shown as they are: controls, format characters
#: (bidirectional overrides, zero-width joiners), surrogates, line and paragraph separators.
_HIDDEN = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})


def hidden(char: str) -> bool:
    """True for a character a terminal, log or viewer would act on instead of showing."""
    return unicodedata.category(char) in _HIDDEN


def visible(text: str) -> str:
    """``text`` with every hidden character (see :func:`hidden`; tabs and newlines included)
    shown as a backslash escape."""
    if "##[" in text:  # the Actions runner's legacy command syntax, anywhere in a line
        text = text.replace("##[", "#\\x23[")
    if text.isprintable():
        return text
    return "".join(_escape(char) if hidden(char) else char for char in text)


def _has_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def dumps(document: Any, **options: Any) -> str:
    """``json.dumps`` for pdlint's documents: UTF-8 text with names exact, but any character
    a terminal or log viewer would act on written as a JSON ``\\u`` escape (which decodes
    back to the same name), and undecodable bytes shown as by :func:`json_safe`."""
    text = json.dumps(json_safe(document), ensure_ascii=False, **options)
    if "##[" in text:  # a CI log printing the document must not read a legacy command
        text = text.replace("##[", "#\\u0023[")
    return _JSON_RAW.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def json_safe(value: Any) -> Any:
    """``value`` (a JSON-ready structure) with lone surrogates in any string, key or value,
    shown as escapes, so that the document encodes as UTF-8. Structures without any are
    returned as they are."""
    if isinstance(value, str):
        if not _has_surrogate(value):
            return value
        return "".join(_escape(char) if 0xD800 <= ord(char) <= 0xDFFF else char
                       for char in value)
    if isinstance(value, dict):
        return {json_safe(key): json_safe(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_safe(item) for item in value]
    return value
