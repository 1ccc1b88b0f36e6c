"""Valid Python that libcst or a strict decode refuses is analysed, not reported as PDL001.

CPython decides what is valid (every "accepted" shape below is also checked with
``compile``); pdlint reads the file in a repaired form with the same line numbers, and
``ParsedSource.note`` says which lines were read differently, without quoting them.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pdlint.config import Config
from pdlint.engine import scan
from pdlint.extract import FileInput, extract_file, source
from pdlint.facts import FileFacts, ParseErrorFact
from pdlint.rules.parse import reduced_reads

SECRET = "jane.doe.private@example.com"
LEAK = "def leak(user):\n    logging.info('x %s', user.email)\n"


def python_accepts(data: bytes) -> bool:
    try:
        compile(data, "<test>", "exec", dont_inherit=True)
    except (SyntaxError, ValueError):
        return False
    return True


def leak_lines(data: bytes) -> list[int]:
    """Lines of the log calls that leak personal data, as extraction sees them."""
    facts = extract_file(FileInput("m.py", "m"), data)
    assert facts.parse_error is None, facts.parse_error
    return sorted(call.span.line for function in facts.functions for call in function.calls
                  if call.sink == "log" and call.payload)


def note_of(data: bytes) -> str | None:
    text = source.decode(data)
    assert isinstance(text, str), text
    parsed = source.parse(text, data)
    assert isinstance(parsed, source.ParsedSource), parsed
    return parsed.note


def concatenation(count: int, indent: str = "", secret: bool = False) -> str:
    parts = "".join(f'{indent}    "{SECRET if secret and i == 7 else f"s{i}"}"\n'
                    for i in range(count))
    return f"{indent}X = (\n{parts}{indent})\n"


# -- undecodable bytes -----------------------------------------------------------------------

ACCEPTED_BYTES = [
    (b"# caf\xe9\n", 1),  # the case: no declaration, first line
    (b"x = 1\ny = 2\n# caf\xe9\n", 3),
    (b"x = 1  # caf\xe9\n", 1),
    (b"#!/usr/bin/env python\n# \xff\xfe\n", 2),
    (b"# -*- coding: utf-8 -*-\n# caf\xe9\n", 2),  # declared UTF-8: still only comments
    (b"\xef\xbb\xbfx = 1\n# caf\xe9\n", 2),  # BOM
    (b"x = [1,  # \xe9\n     2]\n", 1),  # a comment inside brackets
    (b"# \xed\xa0\x80 \xc0\xaf \xe2\x82\n", 1),  # surrogate, overlong, truncated sequences
]


@pytest.mark.parametrize(("head", "bad_line"), ACCEPTED_BYTES)
def test_undecodable_bytes_in_comments_are_read(head: bytes, bad_line: int) -> None:
    data = head + b"import logging\n" + LEAK.encode()
    assert python_accepts(data)
    leak_line = head.count(b"\n") + 3
    assert leak_lines(data) == [leak_line]
    note = note_of(data)
    assert note is not None
    assert note.startswith(f"line {bad_line} has bytes that are not valid UTF-8 in a comment")


def test_a_declaration_on_line_two_counts_below_an_undecodable_line_one() -> None:
    # tokenize.detect_encoding gives up on line 1; CPython reads line 2's declaration.
    data = b"# caf\xe9\n# -*- coding: latin-1 -*-\nname = '\xe9'\n"
    assert python_accepts(data)
    text = source.decode(data)
    assert text == "# caf\xe9\n# -*- coding: latin-1 -*-\nname = '\xe9'\n"
    assert note_of(data) is None  # nothing was replaced: it is latin-1 text


REFUSED_BYTES = [
    (b'x = "caf\xe9"\n', "cannot determine the encoding"),  # in a string
    (b'x = b"caf\xe9"\n', "cannot determine the encoding"),  # in a bytes literal
    (b'"""caf\xe9"""\n', "cannot determine the encoding"),  # in a docstring
    (b"caf\xe9 = 1\n", "cannot determine the encoding"),  # in an identifier
    (b"# -*- coding: utf-8 -*-\nx = '\xff\xfe'\n", "cannot decode as utf-8"),
    (b"# -*- coding: ascii -*-\n# caf\xe9\n", "cannot decode as ascii"),
    (b"# -*- coding: cp1252 -*-\n# \x81\n", "cannot decode as cp1252"),
    (b"# -*- coding: klingon -*-\nx = 1\n", "encoding"),
    (b"# caf\xe9\ndef f(:\n    pass\n", "cannot determine the encoding"),  # + a syntax error
    (b"# caf\xe9\nx = 1\n\x00\n", "NUL"),
]


@pytest.mark.parametrize(("data", "message"), REFUSED_BYTES)
def test_bytes_python_refuses_stay_pdl001_as_before(data: bytes, message: str) -> None:
    assert not python_accepts(data)
    facts = extract_file(FileInput("m.py", "m"), data)
    assert facts.parse_error is not None
    assert message in facts.parse_error.message


def test_a_real_u_fffd_is_not_a_replaced_byte() -> None:
    data = "# \ufffd is fine\nx = '\ufffd'\n".encode()
    assert note_of(data) is None


# -- thousands of implicitly concatenated strings --------------------------------------------

CONCATENATIONS = {
    "module, one per line": (concatenation(5000), 1, 5002),
    "module, one line": ("X = " + " ".join(f'"s{i}"' for i in range(5000)) + "\n", 1, 1),
    "bytes": (concatenation(5000).replace('    "', '    b"'), 1, 5002),
    "f-strings": (concatenation(5000).replace('    "', '    f"{X}'), 1, 5002),
    "in a function": ("def build():\n" + concatenation(4500, "    ") + "    return X\n",
                      2, 4503),
    "after a decorator": ("@decorate\ndef build(): return (\n"
                          + "".join(f'    "s{i}"\n' for i in range(5000)) + ")\n", 1, 5003),
}


@pytest.mark.parametrize("name", list(CONCATENATIONS))
def test_thousands_of_concatenated_strings_leave_the_rest_analysed(name: str) -> None:
    block, first, last = CONCATENATIONS[name]
    data = ("import logging\n" + block + LEAK).encode()
    assert python_accepts(data)
    lines = block.count("\n")
    assert leak_lines(data) == [lines + 3]  # the leak's exact line
    assert note_of(data) == (
        f"lines {first + 1}\u2013{last + 1}" if first != last else f"line {first + 1}"
    ) + (" were" if first != last else " was") + " read in a reduced form (libcst cannot " \
        f"parse {'them' if first != last else 'it'}, Python can): personal data there was " \
        "not checked"


def test_a_reduced_statement_keeps_its_names_tag_and_neighbours() -> None:
    # a tag trailing the closing bracket attaches to X, in the original as in the placeholder
    block = concatenation(5000, "    ")[:-1] + "  # gdpr: contact.email\n"
    data = ("import logging\nfrom django.db import models\n\nclass Customer(models.Model):\n"
            + block + "    email = models.EmailField()\n\n" + LEAK).encode()
    facts = extract_file(FileInput("m.py", "m"), data)
    assert facts.parse_error is None
    (customer,) = facts.classes
    assert [attr.name for attr in customer.attrs] == ["X", "email"]
    assert customer.attrs[1].span.line == 5007
    (tag,) = facts.tags
    assert (tag.span.line, tag.owner, tag.categories) == (5006, "m.Customer.X",
                                                              ("contact.email",))
    assert facts.lines == data.count(b"\n") + 1
    assert leak_lines(data) == [5010]


def test_the_leak_after_5000_strings_is_reported_at_its_line(tmp_path: Path) -> None:
    (tmp_path / "m.py").write_text("import logging\n" + concatenation(5000) + LEAK)
    result = scan([tmp_path], Config(root=tmp_path, config_file=None), cwd=tmp_path)
    assert [(f.rule, f.line) for f in result.findings] == [("PDL201", 5005)]
    assert result.parse_errors == 0


# -- a line holding only a backslash --------------------------------------------------------

BACKSLASH_SHAPES = {
    "before else": "if flag:\n    pass\n\\\nelse:\n    pass\n",
    "before elif": "if flag:\n    pass\n\\\nelif other:\n    pass\n",
    "before except": "try:\n    pass\n\\\nexcept ValueError:\n    pass\n",
    "before finally": "try:\n    pass\n\\\nfinally:\n    pass\n",
    "for else": "for item in items:\n    pass\n\\\nelse:\n    pass\n",
    "while else": "while flag:\n    pass\n\\\nelse:\n    pass\n",
    "two lines": "if flag:\n    pass\n\\\n\\\nelse:\n    pass\n",
    "after a comment": "if flag:\n    pass\n# note\n\\\nelse:\n    pass\n",
    "indented, in a function": "def f():\n    if flag:\n        pass\n    \\\n    else:\n"
                               "        pass\n",
    "in a class body": "class A:\n    try:\n        x = 1\n    \\\n    except E:\n"
                       "        x = 2\n",
    "at the end, CRLF": "x = 1\r\n\\\r\n",
}


@pytest.mark.parametrize("name", list(BACKSLASH_SHAPES))
def test_a_backslash_line_is_read_as_blank(name: str) -> None:
    block = BACKSLASH_SHAPES[name]
    after = "" if name.startswith("at the end") else LEAK.replace("leak", "leak2")
    data = ("import logging\n" + LEAK + block + after).encode()
    if name.startswith("at the end") and sys.version_info >= (3, 12):
        # Python 3.12's tokenizer refuses a backslash before the end of the file
        # ("unexpected EOF"): there the file is a syntax error, as it is for CPython
        assert not python_accepts(data)
        return
    assert python_accepts(data)
    block_lines = block.count("\n")
    assert leak_lines(data) == [3] + ([block_lines + 5] if after else [])
    backslash = 4 + [line.strip() for line in block.splitlines()].index("\\")
    note = note_of(data)
    assert note is not None
    assert note.startswith((f"line {backslash}, which holds only a backslash, was read as a "
                            "blank line (libcst cannot parse it there",
                            f"lines {backslash}\u2013{backslash + 1}, which hold only a "
                            "backslash, were read as blank lines"))


def test_a_backslash_line_inside_a_string_is_left_alone() -> None:
    data = b'DOC = """\n\\\n"""\nif flag:\n    pass\n\\\nelse:\n    pass\n'
    note = note_of(data)
    assert note is not None and note.startswith("line 6,")
    text = source.decode(data)
    assert isinstance(text, str)
    parsed = source.parse(text, data)
    assert isinstance(parsed, source.ParsedSource)
    assert parsed.text.splitlines()[1] == "\\"


# -- traps -------------------------------------------------------------------------------------

FINE = [
    b"import logging\n" + LEAK.encode(),
    b"x = 1\n\\\n\ny = 2\n",  # a backslash line that libcst reads fine
    b'DOC = """\n\\\n"""\n',
    b"# -*- coding: latin-1 -*-\nname = '\xe9'\n",
    ("X = (\n" + "".join(f'    "s{i}"\n' for i in range(500)) + ")\n").encode(),
    b"\xef\xbb\xbfx = 1\r\ny = 2\r\n",
]


@pytest.mark.parametrize("data", FINE)
def test_a_file_that_is_fine_never_goes_through_the_fallback(
        data: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object) -> None:
        raise AssertionError("fallback used")

    monkeypatch.setattr(source, "_repair", refuse)
    monkeypatch.setattr(source, "_decode_as_python_does", refuse)
    facts = extract_file(FileInput("m.py", "m"), data)
    assert facts.parse_error is None
    assert facts.parse_note is None
    assert note_of(data) is None


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"def f(:\n    pass\n", "syntax error"),
        (b"x = 1\n\\\n", "syntax error"),  # a backslash at the very end: CPython refuses it
        (b"x = 1\n\\ \n\ny = 2\n", "syntax error"),  # a space after the backslash
        (("X = (\n" + "".join(f'    "s{i}"\n' for i in range(5000)) + ")\ndef f(:\n").encode(),
         "syntax error"),
        (b"x = 1\n\x00\n", "NUL"),
        (b"# -*- coding: klingon -*-\nx = 1\n", "encoding"),
    ],
)
def test_what_python_refuses_stays_pdl001(data: bytes, message: str) -> None:
    assert not python_accepts(data)
    facts = extract_file(FileInput("m.py", "m"), data)
    assert facts.parse_error is not None
    assert message in facts.parse_error.message
    assert facts.parse_note is None


def test_when_no_repair_is_found_the_file_is_pdl001_as_before(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(source, "_REPAIR_BUDGET", 0)
    data = ("import logging\n" + concatenation(5000) + LEAK).encode()
    facts = extract_file(FileInput("m.py", "m"), data)
    assert facts.parse_error is not None
    assert facts.parse_error.message.startswith("syntax error: parser error")


def test_notes_never_quote_the_source() -> None:
    data = ("# " + SECRET + " caf").encode() + b"\xe9\nimport logging\n" \
        + concatenation(5000, secret=True).encode() + b"if a:\n    pass\n\\\nelse:\n    pass\n"
    note = note_of(data)
    assert note is not None
    assert SECRET not in note and "s7" not in note and "caf" not in note
    assert note.count(";") == 2  # the three kinds of repair, one clause each


# -- many shapes, mixed ------------------------------------------------------------------------

HARD = {  # blocks only a repair lets libcst read
    "4200 strings": concatenation(4200),
    "backslash before else": "if flag:\n    pass\n\\\nelse:\n    pass\n",
    "two backslashes before except": "try:\n    pass\n\\\n\\\nexcept E:\n    pass\n",
    "undecodable comment": "# caf\udce9\n",  # a surrogate escape: the byte 0xe9
    "4500 strings in a class": "class Wide:\n    NAMES = "
                               + " ".join(f"'n{i}'" for i in range(4500)) + "\n",
    "4100 strings in a method": "class Deep:\n    def names(self):\n        return ("
                                + " ".join(f"'n{i}'" for i in range(4100)) + ")\n",
}
EASY = {
    "assignment": "x = 1\n",
    "class": "class Plain:\n    email = None\n",
    "blank": "\n",
    "backslash libcst reads": "x = 1\n\\\n\ny = 2\n",
    "leak": LEAK,
}


@settings(max_examples=25, deadline=None)
@given(st.lists(st.sampled_from(sorted(HARD) + sorted(EASY)), min_size=1, max_size=5))
def test_mixed_modules_keep_every_leak_at_its_line(names: list[str]) -> None:
    text = "import logging\n"
    expected = []
    for index, name in enumerate(names):
        block = HARD.get(name) or EASY[name]
        if name == "leak":
            block = LEAK.replace("leak", f"leak{index}")
            expected.append(text.count("\n") + 2)
        text += block
    data = text.encode("utf-8", "surrogateescape")
    assert python_accepts(data)
    assert leak_lines(data) == expected
    note = note_of(data)
    assert (note is None) == (not set(names) & set(HARD))


# -- the note reaches the user -------------------------------------------------------------------


def test_reduced_reads_lists_one_warning_per_noted_file() -> None:
    files = [FileFacts("a.py", "a", parse_note="lines 3\u20134 were read in a reduced form"),
             FileFacts("b.py", "b"),
             FileFacts("c.py", "c", parse_error=ParseErrorFact("syntax error: x"))]
    assert reduced_reads(files) == [("a.py", "lines 3\u20134 were read in a reduced form")]


def test_the_note_is_one_warning_on_stderr(tmp_path: Path) -> None:
    (tmp_path / "m.py").write_text("import logging\n" + concatenation(5000, secret=True) + LEAK)
    env = {**os.environ, "NO_COLOR": "1"}
    proc = subprocess.run([sys.executable, "-m", "pdlint", "scan", "--no-cache", "--isolated",
                           str(tmp_path)], capture_output=True, text=True, env=env, timeout=300,
                          cwd=tmp_path)
    assert "Traceback" not in proc.stderr
    assert proc.returncode == 1  # the leak, not the note
    assert "PDL001" not in proc.stdout
    assert SECRET not in proc.stdout + proc.stderr
    warnings = [line for line in proc.stderr.splitlines() if "reduced form" in line]
    assert warnings == ["pdlint: warning: m.py: lines 2\u20135003 were read in a reduced form "
                        "(libcst cannot parse them, Python can): personal data there was not "
                        "checked"]
