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
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import click

from compliance_audit import __version__
from compliance_audit.dates import ACCEPTED_FORMS, DateFormError, parse_date
from compliance_audit.errors import InputError
from compliance_audit.inventory import BureauOverrides
from compliance_audit.inventory.model import LEVELS
from compliance_audit.printable import printable

F = TypeVar("F", bound=Callable[..., Any])

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


class Group(click.Group):
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
        "--as-of", callback=_as_of, metavar="DATE", help="审计日（默认今天）；所有日期判断以此日为准"
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
            click.option("--bureau-name", help="公开主体名称（优先于文件中写的）"),
            click.option("--level", type=click.Choice(LEVELS), help="层级"),
            click.option("--region", help="行政区划，如 甘肃省天水市秦州区"),
            click.option("--sector", help="领域，如 justice"),
            click.option("--profile", help="职能档案，如 county-justice-bureau（默认按层级和领域）"),
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


def format_option(*choices: str) -> Callable[[F], F]:
    def decorate(function: F) -> F:
        return click.option(
            "--format", "output_format", type=click.Choice(choices), default=choices[0], show_default=True
        )(function)

    return decorate


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="compliance-audit")
@click.option("--debug", is_flag=True, help="内部错误（退出码 70）时在标准错误输出中显示 Python 回溯")
def main(debug: bool) -> None:
    """检查政府信息公开是否完整、及时（《政府信息公开条例》与领域标准目录）。

    退出码：0 没有达到 --fail-on 级别的问题；1 有；2 输入或用法有误；70 内部错误（程序缺陷，请报告）。
    """
