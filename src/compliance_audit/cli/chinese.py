"""Click's own words in Chinese, and help text laid out for Chinese.

Click marks its messages for gettext (`_("Usage:")`) but reads the process's locale to pick a
catalogue, and a CI runner's locale is C: so each Click module's message functions are pointed at
the table below instead, once, before any command is declared. A message missing from the table
stays in English (tests check that every entry still exists in the installed Click).

Click wraps help text by counting characters; a Chinese character takes two columns, so its help
ran to 156 columns. The formatter here wraps by display width (textwidth.py), and help fits 80
columns.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from typing import Any

import click

MESSAGES: dict[str, str] = {
    "Usage:": "用法：",
    "Options": "选项",
    "Positional arguments": "参数",
    "Commands": "命令",
    "Show this message and exit.": "显示本帮助并退出。",
    "Show the version and exit.": "显示版本并退出。",
    "Error: {message}": "错误：{message}",
    "Try '{command} {option}' for help.": "用 '{command} {option}' 查看帮助。",
    "Missing argument": "缺少参数",
    "Missing option": "缺少选项",
    "Missing parameter": "缺少参数",
    "Missing {param_type}": "缺少{param_type}",
    "Missing parameter: {param_name}": "缺少参数：{param_name}",
    "Missing command.": "缺少命令。",
    "No such option {name!r}.": "没有选项 {name!r}。",
    "No such command {name!r}.": "没有命令 {name!r}。",
    "Invalid value for {param_hint}: {message}": "{param_hint} 的值无效：{message}",
    "Invalid value: {message}": "值无效：{message}",
    "Option {name!r} does not take a value.": "选项 {name!r} 不接受值。",
    "Aborted!": "已中止。",
    "deprecated": "已弃用",
    "default: {default}": "默认：{default}",
    "required": "必填",
    "env var: {var}": "环境变量：{var}",
    "(dynamic)": "（动态）",
    "Choose from:\n\t{choices}": "可选：\n\t{choices}",
    "{value!r} is not a valid {number_type}.": "{value!r} 不是有效的{number_type}。",
    "{value} is not in the range {range}.": "{value} 不在范围 {range} 内。",
    "{value!r} is not a valid boolean. Recognized values: {states}": (
        "{value!r} 不是有效的布尔值，可用：{states}"
    ),
    "{name} {filename!r} does not exist.": "{name} {filename!r} 不存在。",
    "{name} {filename!r} is a file.": "{name} {filename!r} 是文件。",
    "{name} {filename!r} is a directory.": "{name} {filename!r} 是目录。",
    "{name} {filename!r} is not readable.": "{name} {filename!r} 不可读。",
    "{name} {filename!r} is not writable.": "{name} {filename!r} 不可写。",
    "file": "文件",
    "directory": "目录",
    "path": "路径",
    "Could not open file {filename!r}: {message}": "无法打开文件 {filename!r}：{message}",
}

PLURALS: dict[tuple[str, str], str] = {
    (
        "Got unexpected extra argument ({args})",
        "Got unexpected extra arguments ({args})",
    ): "多余的参数（{args}）",
    ("Option {name!r} requires an argument.", "Option {name!r} requires {nargs} arguments."): (
        "选项 {name!r} 需要 {nargs} 个值。"
    ),
    (
        "{value!r} is not {choice}.",
        "{value!r} is not one of {choices}.",
    ): "{value!r} 不是可选值（{choices}）。",
    (
        "Did you mean {possibility}?",
        "(Did you mean one of: {possibilities}?)",
    ): "（是否想用 {possibilities}？）",
    ("Takes {nargs} values but 1 was given.", "Takes {nargs} values but {len} were given."): (
        "需要 {nargs} 个值，给了 {len} 个。"
    ),
}

CLICK_MODULES = ("core", "decorators", "exceptions", "formatting", "parser", "types", "termui")


def _gettext(message: str) -> str:
    return MESSAGES.get(message, message)


def _ngettext(singular: str, plural: str, count: int) -> str:
    translated = PLURALS.get((singular, plural))
    if translated is not None:
        return translated
    return singular if count == 1 else plural


# The names of Click's value types, as help shows them (--timeout 数值) and errors say them
# ('abc' 不是有效的整数). They are not gettext messages, so they are renamed on the types.
TYPE_NAMES: dict[type[click.ParamType[Any]], str] = {
    click.types.StringParamType: "文本",
    click.types.IntParamType: "整数",
    click.types.IntRange: "整数",
    click.types.FloatParamType: "数值",
    click.types.FloatRange: "数值",
}


def use_chinese() -> None:
    """Point Click's message functions at the Chinese table, and name its value types in Chinese
    (idempotent)."""
    for name in CLICK_MODULES:
        module = importlib.import_module(f"click.{name}")
        if hasattr(module, "_"):
            module._ = _gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = _ngettext  # type: ignore[attr-defined]
    for kind, label in TYPE_NAMES.items():
        kind.name = label


class HelpFormatter(click.HelpFormatter):
    """Click's help layout, wrapped by display width, with Chinese headings."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, "用法：" if prefix is None else prefix)

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{heading}：\n")

    def write_text(self, text: str) -> None:
        from compliance_audit.textwidth import wrap

        indent = " " * self.current_indent
        for paragraph in _paragraphs(text):
            for line in wrap(paragraph, self.width - self.current_indent):
                self.write(f"{indent}{line}\n" if line else "\n")

    def write_dl(self, rows: Iterable[tuple[str, str]], col_max: int = 30, col_spacing: int = 2) -> None:
        from compliance_audit.textwidth import width, wrap

        rows = list(rows)
        first_width = min(max((width(first) for first, _ in rows), default=0), col_max) + col_spacing
        indent = " " * self.current_indent
        for first, second in rows:
            self.write(f"{indent}{first}")
            if not second:
                self.write("\n")
                continue
            if width(first) <= first_width - col_spacing:
                self.write(" " * (first_width - width(first)))
                lines = wrap(
                    " ".join(second.split()), max(self.width - first_width - self.current_indent, 10)
                )
            else:
                self.write("\n" + " " * (first_width + self.current_indent))
                lines = wrap(
                    " ".join(second.split()), max(self.width - first_width - self.current_indent, 10)
                )
            self.write(f"{lines[0]}\n")
            for line in lines[1:]:
                self.write(f"{indent}{' ' * first_width}{line}\n")


def _paragraphs(text: str) -> list[str]:
    """Paragraphs as Click keeps them: blank lines separate, lines within are joined."""
    blocks = [" ".join(block.split()) for block in text.strip().split("\n\n")]
    out: list[str] = []
    for position, block in enumerate(blocks):
        if position:
            out.append("")
        out.append(block)
    return out


class Context(click.Context):
    formatter_class = HelpFormatter
