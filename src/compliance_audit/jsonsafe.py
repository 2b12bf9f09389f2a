"""Loading JSON from untrusted files, bounded as YAML is (yamlsafe.py).

Python's json module takes any nesting until its recursion limit breaks, numbers until the
4,300-digit limit of int() breaks, NaN and Infinity (not JSON), and escapes of lone UTF-16
surrogates ("\\ud800") that no UTF-8 output can hold. Each of these is refused here with the line
it is on, so that a JSON or JSONL inventory fails as bad input, never as a crash later.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from compliance_audit.errors import InputError
from compliance_audit.yamlsafe import MAX_NESTING, MAX_NUMBER_DIGITS

_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_LONE_ESCAPE = re.compile(
    r"\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F][0-9a-fA-F]{2})"
    r"|(?<!\\u[dD][89abAB][0-9a-fA-F]{2})\\u[dD][c-fC-F][0-9a-fA-F]{2}"
)


class _Refused(Exception):
    def __init__(self, message: str, token: str, expected: str) -> None:
        super().__init__(message)
        self.message = message
        self.token = token
        self.expected = expected


def load_json_text(text: str, source: str | Path, *, line: int | None = None) -> Any:
    """The value of one JSON document; `line` is the line a one-line document (JSONL) sits on."""

    def where(lineno: int, column: int | None = None) -> str:
        number = line if line is not None else lineno
        return f"第 {number} 行" + (f"第 {column} 列" if column is not None else "")

    try:
        data = json.loads(text, parse_int=_number(int), parse_float=_number(float), parse_constant=_constant)
    except json.JSONDecodeError as error:
        raise InputError(
            f"JSON 语法错误：{error.msg}", file=source, location=where(error.lineno, error.colno)
        ) from None
    except RecursionError:
        raise InputError(
            f"JSON 嵌套过深（超过 {MAX_NESTING} 层）", file=source, location=where(_deep_line(text))
        ) from None
    except _Refused as refused:
        position = max(text.find(refused.token), 0)
        raise InputError(
            refused.message,
            file=source,
            location=where(text.count("\n", 0, position) + 1),
            expected=refused.expected,
        ) from None
    problem = _problem([data], surrogates=_SURROGATE_ESCAPE.search(text) is not None)
    if problem is not None:
        if problem == _LONE:
            found = _LONE_ESCAPE.search(text)
            lineno = text.count("\n", 0, found.start()) + 1 if found else 1
        else:
            lineno = _deep_line(text)
        raise InputError(problem, file=source, location=where(lineno))
    return data


_LONE = "含有不成对的 UTF-16 代理项转义（如 \\ud800），不是有效的 Unicode 文本"


_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')


def _deep_line(text: str) -> int:
    """The line on which the nesting first goes deeper than MAX_NESTING (only asked once it has)."""
    depth = 0
    for token in _TOKEN.finditer(text):
        bracket = token.group()
        if bracket in "[{":
            depth += 1
            if depth > MAX_NESTING:
                return text.count("\n", 0, token.start()) + 1
        elif bracket in "]}":
            depth -= 1
    return 1


def _number(kind: type[int] | type[float]) -> Any:
    def parse(token: str) -> int | float:
        digits = sum(1 for char in token if char.isdigit())
        if digits > MAX_NUMBER_DIGITS:
            raise _Refused(f"数字过长（{digits} 位）", token, f"不超过 {MAX_NUMBER_DIGITS} 位，或写成文本")
        return kind(token)

    return parse


def _constant(token: str) -> Any:
    raise _Refused(f"{token} 不是 JSON 的值", token, "数字、文本、true、false 或 null")


def _problem(data: Any, *, surrogates: bool) -> str | None:
    """What is wrong with a loaded value: nested too deep, or (only when the text has surrogate
    escapes at all) a string holding a lone surrogate. Level by level, so that depth itself
    cannot break the check."""
    level = [data]
    depth = 0
    while level:
        if depth > MAX_NESTING:
            return f"JSON 嵌套过深（超过 {MAX_NESTING} 层）"
        deeper: list[Any] = []
        for value in level:
            children = value.values() if type(value) is dict else value
            deeper.extend(child for child in children if type(child) in _CONTAINERS)
        level = deeper
        depth += 1
    if surrogates and any(_LONE_SURROGATE.search(text) for text in _strings(data)):
        return _LONE
    return None


_CONTAINERS = (dict, list)


def _strings(data: Any) -> Iterator[str]:
    stack = [data]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            yield from value.keys()
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
        elif isinstance(value, str):
            yield value
