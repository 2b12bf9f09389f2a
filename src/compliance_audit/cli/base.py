"""The `compliance-audit` group, the options several commands share, and how errors end a run."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import click

from compliance_audit import __version__
from compliance_audit.cli.chinese import Context, use_chinese
from compliance_audit.dates import ACCEPTED_FORMS, DateFormError, parse_date
from compliance_audit.errors import InputError
from compliance_audit.inventory import BureauOverrides
from compliance_audit.inventory.model import LEVELS
from compliance_audit.report.model import FAIL_ON, Gate, Report

F = TypeVar("F", bound=Callable[..., Any])

use_chinese()  # before any option is declared: Click builds some of its help text at declaration

STDOUT = "-"


class BadInput(click.ClickException):
    exit_code = 2

    def show(self, file: Any = None) -> None:
        click.echo(f"compliance-audit: {self.message}", err=True)


class Command(click.Command):
    context_class = Context

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", "[选项]")
        super().__init__(*args, **kwargs)


class Group(click.Group):
    context_class = Context
    command_class = Command
    group_class = type  # sub-groups are Groups too

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", "[选项]")
        kwargs.setdefault("subcommand_metavar", "命令 [参数]...")
        super().__init__(*args, **kwargs)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except InputError as error:
            raise BadInput(str(error)) from None


def as_of_option(function: F) -> F:
    return click.option(
        "--as-of",
        callback=_as_of,
        metavar="日期",
        help="审计日（默认北京时间今天）；所有日期判断以此日为准",
    )(function)


def _as_of(context: click.Context, parameter: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return parse_date(value)
    except DateFormError as error:
        raise click.BadParameter(f"{error}（应为 {ACCEPTED_FORMS}）", context, parameter) from None


def rules_option(function: F) -> F:
    return click.option(
        "--rules",
        "rules_dir",
        type=click.Path(path_type=Path, file_okay=False),
        help="规则目录（默认：内置规则）",
    )(function)


def bureau_options(function: F) -> F:
    """The bureau facts a command line can give; they win over the file and its sidecar."""
    for option in reversed(
        (
            click.option("--bureau-name", metavar="名称", help="公开主体名称（优先于文件中写的）"),
            click.option("--level", type=click.Choice(LEVELS), help="层级"),
            click.option("--region", metavar="地区", help="行政区划，如 甘肃省天水市秦州区"),
            click.option("--sector", metavar="领域", help="领域，如 justice"),
            click.option(
                "--profile", metavar="档案", help="职能档案，如 county-justice-bureau（默认按层级和领域）"
            ),
            click.option(
                "--functions",
                callback=_functions,
                metavar="职能,…",
                help="本机关另有的职能，逗号分隔，如 normative-documents,licensing",
            ),
        )
    ):
        function = option(function)
    return function


def _functions(context: click.Context, parameter: click.Parameter, value: str | None) -> tuple[str, ...]:
    return tuple(part.strip() for part in re.split(r"[,，、]", value or "") if part.strip())


def bureau_overrides(values: dict[str, Any]) -> BureauOverrides:
    """The overrides from a command's bureau options (passed on as keyword arguments)."""
    return BureauOverrides(
        name=values["bureau_name"],
        level=values["level"],
        region=values["region"],
        sector=values["sector"],
        profile=values["profile"],
        functions=values["functions"],
    )


def format_option(*choices: str, default: str | None = None) -> Callable[[F], F]:
    """--format FORMAT. With no default, the format follows -o's suffix (see report_format)."""

    def decorate(function: F) -> F:
        if default is None:
            from compliance_audit.report import FORMAT_HELP, FORMAT_SUFFIXES

            listed = "；".join(
                f"{name}：{FORMAT_HELP[name]}" if name in FORMAT_HELP else name for name in choices
            )
            suffixes = "、".join(
                f"{suffix}→{name}" for suffix, name in FORMAT_SUFFIXES.items() if name in choices
            )
            help_text = f"报告格式。{listed}。未指定时按 -o 的后缀选择（{suffixes}），否则为 table"
        else:
            help_text = "输出格式：" + "、".join(choices)
        return click.option(
            "--format",
            "output_format",
            type=click.Choice(choices),
            metavar="格式",  # the choices are listed in the help text: a [a|b|…] list would not fit
            default=default,
            show_default=default is not None,
            help=help_text,
        )(function)

    return decorate


def report_options(*choices: str) -> Callable[[F], F]:
    """The options of a command that writes a report and gates a pipeline (audit, check)."""

    def decorate(function: F) -> F:
        for option in reversed(
            (
                format_option(*choices),
                click.option(
                    "-o",
                    "--output",
                    type=click.Path(path_type=Path, dir_okay=False, allow_dash=True),
                    help="报告文件（默认或 - 为标准输出）；未指定 --format 时按后缀选格式",
                ),
                click.option(
                    "-q", "--quiet", is_flag=True, help="标准输出只打印一行总结（报告仍写入 -o 文件）"
                ),
                click.option(
                    "--fail-on",
                    type=click.Choice(FAIL_ON),
                    default="error",
                    show_default=True,
                    help="出现该级别及以上的问题时退出码为 1",
                ),
                click.option(
                    "--fail-on-existing",
                    is_flag=True,
                    help="与 --baseline 同用：基线中已有的问题也使退出码为 1（默认只看新问题）",
                ),
                click.option(
                    "--baseline",
                    type=click.Path(path_type=Path, dir_okay=False),
                    help="以前的 JSON 报告：标出新问题、仍存在的问题和已修复的问题",
                ),
                click.option(
                    "--waivers",
                    type=click.Path(path_type=Path, dir_okay=False),
                    help="豁免文件（YAML，格式见 README）",
                ),
                click.option(
                    "--select",
                    multiple=True,
                    metavar="规则",
                    help="只报告这些规则（编号或编号开头，可重复或用逗号分隔）",
                ),
                click.option(
                    "--ignore", multiple=True, metavar="规则", help="不报告这些规则（编号或编号开头）"
                ),
            )
        ):
            function = option(function)
        return function

    return decorate


@dataclass(frozen=True)
class Delivery:
    """Where and how a report goes: the values of report_options."""

    output_format: str | None
    output: Path | None
    quiet: bool
    fail_on: str
    fail_on_existing: bool

    @classmethod
    def of(cls, options: dict[str, Any]) -> Delivery:
        return cls(
            options["output_format"],
            options["output"],
            options["quiet"],
            options["fail_on"],
            options["fail_on_existing"],
        )

    @property
    def gate(self) -> Gate:
        return Gate(self.fail_on, self.fail_on_existing)

    @property
    def to_stdout(self) -> bool:
        return self.output is None or str(self.output) == STDOUT

    def check(self, choices: tuple[str, ...], inputs: tuple[Path | None, ...]) -> None:
        """Refuse, before any work is done, an output over an input or of a format not known."""
        from compliance_audit.output import refuse_overwrite

        if not self.to_stdout:
            assert self.output is not None
            refuse_overwrite(self.output, *(path for path in inputs if path is not None))
        self.report_format(choices)

    def report_format(self, choices: tuple[str, ...]) -> str:
        """--format, else the format -o's suffix names, else table."""
        from compliance_audit.report import FORMAT_SUFFIXES

        if self.output_format is not None:
            return self.output_format
        if self.to_stdout:
            return "table"
        assert self.output is not None
        suffix = self.output.suffix.lower()
        chosen = FORMAT_SUFFIXES.get(suffix)
        if chosen is None or chosen not in choices:
            known = "、".join(f"{s}（{name}）" for s, name in FORMAT_SUFFIXES.items() if name in choices)
            raise InputError(
                f"无法从后缀“{suffix or '（无后缀）'}”判断报告格式",
                file=self.output,
                field="--output",
                expected=f"{known}，或用 --format 指定",
            )
        return chosen


def deliver(
    report: Report, delivery: Delivery, choices: tuple[str, ...], inputs: tuple[Path | None, ...]
) -> None:
    """Render the report, write it (standard output, or a file written atomically and never over
    an input), print the summary line for -q, and end with the exit code the gate decides."""
    from compliance_audit.output import write_atomic
    from compliance_audit.report import RENDERERS
    from compliance_audit.report.views import summary_line

    delivery.check(choices, inputs)
    chosen = delivery.report_format(choices)
    text = RENDERERS[chosen](report)
    if delivery.to_stdout:
        if delivery.quiet:
            click.echo(summary_line(report))
        elif isinstance(text, bytes):
            if delivery.output is None:
                raise InputError(
                    f"{chosen} 格式须写入文件", field="--output", expected="-o 报告文件，或 -o - 写到管道"
                )
            sys.stdout.buffer.write(text)
            sys.stdout.buffer.flush()
        else:
            click.echo(text, nl=False)
    else:
        assert delivery.output is not None
        write_atomic(delivery.output, text)
        if delivery.quiet:
            click.echo(summary_line(report))
    if report.calendar.fallback_years and (not delivery.to_stdout or chosen != "table" or delivery.quiet):
        years = "、".join(str(year) for year in report.calendar.fallback_years)
        click.echo(f"compliance-audit: 警告：{years} 年不在节假日日历内，已按仅周末休息计算工作日", err=True)
    if report.failed:
        sys.exit(1)


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="compliance-audit")
@click.option(
    "--config",
    "config_file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="配置文件（默认：从当前目录向上找 .compliance-audit.yaml，"
    "或含 [tool.compliance-audit] 的 pyproject.toml）",
)
@click.option("--no-config", is_flag=True, help="不读取任何配置文件")
@click.pass_context
def main(context: click.Context, config_file: Path | None, no_config: bool) -> None:
    """检查政府信息公开是否完整、及时（《政府信息公开条例》与领域标准目录）。

    退出码：0 没有达到 --fail-on 级别的问题；1 有；2 输入或用法有误。
    """
    from compliance_audit.config import find_config, load_config

    if no_config:
        return
    found = config_file or find_config(Path.cwd())
    if found is not None:
        context.default_map = load_config(found).command_defaults()
