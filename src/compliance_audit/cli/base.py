"""The `compliance-audit` group, the options several commands share, and how errors end a run.

Exit codes: 0 and 1 are the audit's answer (see --fail-on), 2 is bad input or a usage error, 70
(EX_SOFTWARE) is a bug in compliance-audit: one line asks for a bug report and names the file the
details were written to (the traceback itself only with --debug). 130 is an interrupted run
(Ctrl-C), 141 a closed output pipe; SIGTERM ends the run by the signal, as usual. A crash can
never be read as findings.
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
import traceback
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
from compliance_audit.output import is_stdout
from compliance_audit.printable import printable
from compliance_audit.report.model import FAIL_ON, Gate, Report

F = TypeVar("F", bound=Callable[..., Any])

use_chinese()  # before any option is declared: Click builds some of its help text at declaration

EXIT_BAD_INPUT = 2
EXIT_BUG = 70  # EX_SOFTWARE in sysexits.h: an internal software error
EXIT_INTERRUPTED = 130  # 128 + SIGINT, what a shell reports for Ctrl-C
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, what a shell reports when the reader of a pipe went away


class Ending(click.ClickException):
    """How a run ends when it does not give its answer: one line on stderr and an exit code."""

    def show(self, file: Any = None) -> None:
        say(f"compliance-audit: {self.message}")


class BadInput(Ending):
    exit_code = EXIT_BAD_INPUT


class Bug(Ending):
    exit_code = EXIT_BUG


class Interrupted(Ending):
    exit_code = EXIT_INTERRUPTED


class BrokenPipe(Ending):
    exit_code = EXIT_BROKEN_PIPE


def say(line: str) -> None:
    """One line on stderr, with whatever came from the inputs made safe to print."""
    click.echo(printable(line, one_line=True), err=True)


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
        except (click.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except KeyboardInterrupt:
            raise Interrupted("已中断") from None
        except BrokenPipeError:
            # the reader of the output went away (`| head`): nothing left to say, to anyone
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 (so that the exit flush cannot fail)
            raise BrokenPipe("输出管道已关闭") from None
        except Exception as error:
            debug = bool(ctx.find_root().params.get("debug"))
            raise Bug(_bug_report(error, debug)) from None


def _bug_report(error: Exception, debug: bool) -> str:
    """Write the details of a bug to a new file in the temporary directory (created exclusively,
    readable by the user alone) and say where; with --debug show the traceback too."""
    trace = "".join(traceback.format_exception(error))
    if debug:
        click.echo(trace, err=True, nl=False)
    details = f"compliance-audit {__version__}\nPython {sys.version}\n命令行：{sys.argv!r}\n\n{trace}"
    try:
        handle, name = tempfile.mkstemp(prefix="compliance-audit-crash-", suffix=".txt")
        with os.fdopen(handle, "w", encoding="utf-8", errors="backslashreplace") as stream:
            stream.write(details)
        where = f"，并附上 {name}"
    except OSError:
        where = "（详细信息无法写入临时目录，请用 --debug 重新运行并附上输出）"
    name = type(error).__name__
    return f"内部错误（{name}），这是 compliance-audit 的缺陷，不是输入的问题。请报告此问题{where}"


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


def output_option(help_text: str, *, required: bool = False) -> Callable[[F], F]:
    """-o/--output. Not checked by click: output.check_output refuses what must not be written,
    with the usual one-line message, and `-` is standard output."""
    return click.option("-o", "--output", required=required, type=click.Path(path_type=Path), help=help_text)


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
                output_option("报告文件（默认或 - 为标准输出）；未指定 --format 时按后缀选格式"),
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
        return self.output is None or is_stdout(self.output)

    def check(self, choices: tuple[str, ...], inputs: tuple[Path | None, ...]) -> None:
        """Refuse, before any work is done, an output over an input or of a format not known."""
        from compliance_audit.output import check_output

        if not self.to_stdout:
            assert self.output is not None
            check_output(self.output, inputs)
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
    from compliance_audit.output import write_output, write_output_chunks
    from compliance_audit.report import renderer
    from compliance_audit.report.views import summary_line

    delivery.check(choices, inputs)
    chosen = delivery.report_format(choices)
    text = renderer(chosen)(report)
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
        elif isinstance(text, str):
            click.echo(text, nl=False)
        else:
            for piece in text:
                sys.stdout.buffer.write(piece)
            sys.stdout.buffer.flush()
    else:
        assert delivery.output is not None
        if isinstance(text, str | bytes):
            write_output(delivery.output, text, inputs)
        else:
            write_output_chunks(delivery.output, text, inputs)
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
@click.option("--debug", is_flag=True, help="内部错误（退出码 70）时在标准错误输出中显示 Python 回溯")
@click.pass_context
def main(context: click.Context, config_file: Path | None, no_config: bool, debug: bool) -> None:
    """检查政府信息公开是否完整、及时（《政府信息公开条例》与领域标准目录）。

    退出码：0 没有达到 --fail-on 级别的问题；1 有；2 输入或用法有误；70 内部错误（程序缺陷，请报告）；
    130 被 Ctrl-C 中断；141 输出管道已关闭。
    """
    from compliance_audit.config import find_config, load_config

    if no_config:
        return
    found = config_file or find_config(Path.cwd())
    if found is not None:
        context.default_map = load_config(found).command_defaults()
