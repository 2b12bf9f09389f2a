"""The command line people rely on: reports that fit the terminal without breaking ids, fix advice
and fingerprints in table and markdown, a per-rule count heading long reports, help that fits 80
columns, and Click's own messages in Chinese."""

from __future__ import annotations

import ast
import importlib
import json
import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from wcwidth import wcswidth

from compliance_audit.cli import main
from compliance_audit.cli.chinese import CLICK_MODULES, MESSAGES, PLURALS
from compliance_audit.report.table import render_table
from compliance_audit.textwidth import width, wrap
from tests.helpers import EXAMPLE, run_cli


def _report_json() -> dict[str, object]:
    data: dict[str, object] = json.loads(
        run_cli("audit", EXAMPLE, "--as-of", "2021-03-10", "--format", "json").output
    )
    return data


def _ids(report: dict[str, object]) -> set[str]:
    findings = report["findings"]
    assert isinstance(findings, list)
    return {finding["rule"] for finding in findings} | {finding["fingerprint"] for finding in findings}


@pytest.mark.parametrize("columns", [80, 100, 200])
def test_the_table_fits_the_terminal_and_never_breaks_an_id(columns: int) -> None:
    result = CliRunner(env={"COLUMNS": str(columns)}).invoke(
        main, ["audit", str(EXAMPLE), "--as-of", "2021-03-10"]
    )
    lines = result.output.splitlines()
    assert max(wcswidth(line) for line in lines) <= columns
    words = set(re.findall(r"[A-Za-z0-9][A-Za-z0-9:_.\-]*", result.output))
    missing = {identifier for identifier in _ids(_report_json()) if identifier not in words}
    assert not missing  # every rule id and fingerprint stands whole on some line
    assert "整改建议" in result.output and "指纹" in result.output
    assert "为重复的信息重新生成唯一的索引号" in result.output  # a fix, in full
    assert "20230618-164605-503" in words  # an 索引号 is not broken at its hyphens either


def test_wide_terminals_get_columns_and_narrow_ones_blocks() -> None:
    result = CliRunner(env={"COLUMNS": "220"}).invoke(main, ["audit", str(EXAMPLE), "--as-of", "2021-03-10"])
    header = next(line for line in result.output.splitlines() if "严重程度" in line and "信息" in line)
    assert all(name in header for name in ("规则", "信息", "问题", "依据", "期限", "整改建议", "指纹"))
    narrow = CliRunner(env={"COLUMNS": "80"}).invoke(main, ["audit", str(EXAMPLE), "--as-of", "2021-03-10"])
    assert re.search(r"│ 整改建议 │ ", narrow.output)  # one block per finding, a label per line


def test_a_long_report_starts_with_a_count_per_rule_and_a_short_one_does_not(tmp_path: Path) -> None:
    output = run_cli("audit", EXAMPLE, "--as-of", "2021-03-10").output
    assert output.index("【按规则统计】") < output.index("【缺失")
    counts = output[output.index("【按规则统计】") : output.index("【缺失")]
    assert re.search(r"│ ogi-12-catalogue-fields\s+│ 错误\s+│ 2\s+│", counts)
    markdown = run_cli("audit", EXAMPLE, "--as-of", "2021-03-10", "--format", "markdown").output
    assert "## 按规则统计" in markdown and "| ogi-12-catalogue-fields | 错误 | 2 |" in markdown
    short = tmp_path / "清单.yaml"
    short.write_text(
        "bureau: {name: 秦州区司法局}\nitems:\n"
        "  - {title: 秦州区司法局通知, published: 2021-03-01, summary: ''}\n",
        encoding="utf-8",
    )
    assert "按规则统计" not in run_cli("audit", short, "--as-of", "2021-03-10", "--fail-on", "never").output


def test_markdown_carries_fix_advice_and_fingerprints() -> None:
    markdown = run_cli("audit", EXAMPLE, "--as-of", "2021-03-10", "--format", "markdown").output
    assert "| 严重程度 | 规则 | 信息 | 问题 | 依据 | 期限 | 整改建议 | 指纹 |" in markdown
    leak = next(line for line in markdown.splitlines() if "ogi-15-id-number" in line and "正文含" in line)
    assert "立即撤下或替换该信息" in leak and re.search(r"`[0-9a-f]{20}` \|$", leak)


def test_the_renderer_takes_an_explicit_width() -> None:
    from compliance_audit.audit import run_audit
    from compliance_audit.inventory import load_inventory
    from compliance_audit.ruleset.catalogue import CatalogueLibrary
    from compliance_audit.ruleset.loader import load_rulebook
    from compliance_audit.workcalendar import WorkCalendar

    inventory = load_inventory(EXAMPLE)
    library = CatalogueLibrary.bundled()
    from datetime import date

    report = run_audit(
        inventory,
        load_rulebook(),
        library.select(inventory.bureau),
        WorkCalendar.bundled(),
        date(2021, 3, 10),
    )
    for columns in (60, 80, 132):
        text = render_table(report, columns)
        assert max(width(line) for line in text.splitlines()) <= columns


def test_wrapping_counts_display_width_and_keeps_words_whole() -> None:
    text = "索引号“11620502MB1234567A/2021-00031”格式异常，见 ogi-12-catalogue-fields 与 --catalogue 选项"
    for columns in (12, 20, 36):
        lines = wrap(text, columns)
        assert all(width(line) <= columns for line in lines)
        # a word is cut only when it is wider than the line itself
        for word in ("11620502MB1234567A/2021-00031", "ogi-12-catalogue-fields", "--catalogue"):
            assert (word in lines) or any(word in line for line in lines) or len(word) > columns
    assert not any(
        line.startswith(("，", "”", "）")) for line in wrap("甲乙丙丁戊己庚辛（壬癸），子丑寅卯", 9)
    )
    assert width("司法局ab") == 8


def _commands(group: click.Group, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = [path]
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            found.extend(_commands(command, (*path, name)))
        else:
            found.append((*path, name))
    return found


@pytest.mark.parametrize("command", _commands(main))
def test_every_help_fits_80_columns_in_chinese(command: tuple[str, ...]) -> None:
    result = CliRunner(env={"COLUMNS": "80"}).invoke(main, [*command, "--help"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert max(wcswidth(line) for line in lines) <= 80
    assert (
        lines[0].startswith("用法：")
        and "选项：" in result.output
        and "Show this message" not in result.output
    )


def test_format_option_is_explained() -> None:
    output = CliRunner(env={"COLUMNS": "80"}).invoke(main, ["audit", "--help"]).output
    flat = "".join(output.split())
    for piece in (
        "sarif：SARIF2.1.0",
        "junit：JUnitXML",
        "lines：每行一个问题",
        ".xml→junit",
        "github：GitHubActions注释",
    ):
        assert piece in flat


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["audit", str(EXAMPLE), "--frmat", "json"], "错误：没有选项 '--frmat'。"),
        (["audit", str(EXAMPLE), "--format", "pdf"], "'--format' 的值无效：'pdf' 不是可选值"),
        (["audit"], "缺少参数 'INVENTORY|MIRROR_DIR|URL'"),
        (["audti"], "没有命令 'audti'。 （是否想用 'audit'？）"),
        (["audit", str(EXAMPLE), "--fail-on"], "选项 '--fail-on' 需要 1 个值。"),
    ],
)
def test_click_speaks_chinese(args: list[str], said: str) -> None:
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2
    assert said in result.stderr and "Error" not in result.stderr and "Usage" not in result.stderr


def test_every_translated_message_is_one_click_still_has() -> None:
    """A Click upgrade that rewords a message would silently bring English back: catch it here."""
    present: set[str] = set()
    plurals: set[tuple[str, str]] = set()
    for name in CLICK_MODULES:
        module = importlib.import_module(f"click.{name}")
        assert module.__file__ is not None
        for node in ast.walk(ast.parse(Path(module.__file__).read_text("utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                texts = [
                    arg.value
                    for arg in node.args
                    if isinstance(arg, ast.Constant) and isinstance(arg.value, str)
                ]
                if node.func.id == "_" and texts:
                    present.add(texts[0])
                if node.func.id == "ngettext" and len(texts) == 2:
                    plurals.add((texts[0], texts[1]))
    # help's "[required]" reaches _() through a dict: Click sets extra["required"] = "required"
    core = Path(importlib.import_module("click.core").__file__ or "").read_text("utf-8")
    if 'extra["required"] = "required"' in core and '_(extra["required"])' in core:
        present.add("required")
    assert set(MESSAGES) <= present
    assert set(PLURALS) <= plurals
