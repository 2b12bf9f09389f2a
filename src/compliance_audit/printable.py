"""Text from inputs made safe to show on a terminal, in a text report and in an error message.

A title, a cell or a file name from a portal can hold control characters and NUL, terminal
escape sequences (ESC [ … recolours, moves the cursor, retitles the window), a bare carriage
return (which overwrites what the line said so far), bidirectional overrides (U+202E makes
"报告cod.exe" show as "报告exe.doc") and lone surrogates (which no output encoding can hold).
Each such character is shown as its code (\\x1b, \\u202e), so the reader sees that it is there
and nothing is hidden or rewritten.
"""

from __future__ import annotations

import re

_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
_BREAKS = re.compile(r"[\t\n]+")


def printable(text: str, *, one_line: bool = False) -> str:
    """The text with every unsafe character written as its code; one_line also turns tabs and line
    breaks into spaces (an error message is one line)."""
    if one_line:
        text = _BREAKS.sub(" ", text)
    if text.isascii() and text.isprintable():
        return text
    return _UNSAFE.sub(_code, text)


def _code(match: re.Match[str]) -> str:
    point = ord(match.group())
    return f"\\x{point:02x}" if point < 0x100 else f"\\u{point:04x}"
