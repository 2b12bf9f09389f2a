"""Text as a terminal shows it: display width (a Chinese character takes two columns) and wrapping
that breaks Chinese text between characters but never inside an identifier.

textwrap counts characters and breaks only at spaces and hyphens, so Chinese lines come out twice
as wide as asked and a rule id or 索引号 (ogi-20-07-budget, 20230618-164604-828) is cut at its
hyphens. Here a run of Latin letters, digits and the punctuation ids and dates are made of is one
unbreakable word, every other character may end a line, and a line never starts with closing
punctuation (，。、）” …) when the character before it can move down with it, nor ends with opening
punctuation (（《“ …).
"""

from __future__ import annotations

import re

from wcwidth import wcswidth, wcwidth

# a word: what ids, 索引号, dates, numbers, URLs and file names are made of
_TOKEN = re.compile(r"(?:--?|\.)?[A-Za-z0-9](?:[A-Za-z0-9_.:/#%+=?&~@\-]*[A-Za-z0-9/])?|\s+|.", re.DOTALL)
_NO_LINE_START = set("，。、；：！？）】》」』”’〕〉,.;:!?)]}%")
_NO_LINE_END = set("（【《「『“‘〔〈([{")


def width(text: str) -> int:
    """Columns the text takes in a terminal (control characters count as one: they are shown as
    codes, never sent raw)."""
    measured = wcswidth(text)
    if measured >= 0:
        return measured
    return sum(max(wcwidth(char), 1) for char in text)


def wrap(text: str, columns: int) -> list[str]:
    """The lines of text, each at most `columns` wide; explicit line breaks are kept. A word wider
    than the line (a long URL) is the only thing ever cut."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        lines.extend(_wrap_paragraph(paragraph, max(columns, 2)))
    return lines


def _wrap_paragraph(paragraph: str, columns: int) -> list[str]:
    lines: list[list[str]] = [[]]
    used = 0
    for token in _TOKEN.findall(paragraph):
        if token.isspace():
            if lines[-1]:
                lines[-1].append(" ")
                used += 1
            continue
        size = width(token)
        if used + size <= columns:
            lines[-1].append(token)
            used += size
            continue
        if size > columns:
            if lines[-1]:
                _trim(lines[-1])
                lines.append([])
                used = 0
            for char in token:
                if used + width(char) > columns:
                    lines.append([])
                    used = 0
                lines[-1].append(char)
                used += width(char)
            continue
        _trim(lines[-1])
        moving = [token]
        # closing punctuation takes the character before it along; so does a run of it (）；)
        while (
            moving[0] in _NO_LINE_START
            and len(lines[-1]) > 1
            and width("".join([lines[-1][-1], *moving])) <= columns
        ):
            moving.insert(0, lines[-1].pop())
            _trim(lines[-1])
        while len(lines[-1]) > 1 and lines[-1][-1] in _NO_LINE_END:
            moving.insert(0, lines[-1].pop())
        lines.append(moving)
        used = sum(width(part) for part in moving)
    for line in lines:
        _trim(line)
    return ["".join(line) for line in lines]


def _trim(line: list[str]) -> None:
    while line and line[-1] == " ":
        line.pop()


def pad(text: str, columns: int) -> str:
    """text followed by spaces up to `columns`."""
    return text + " " * max(columns - width(text), 0)
