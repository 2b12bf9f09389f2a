"""The `compliance-audit` group, the options several commands share, and how errors end a run."""

from __future__ import annotations

import re
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

F = TypeVar("F", bound=Callable[..., Any])


class BadInput(click.ClickException):
    exit_code = 2

    def show(self, file: Any = None) -> None:
        click.echo(f"compliance-audit: {self.message}", err=True)


class Group(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except InputError as error:
            raise BadInput(str(error)) from None


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
def main() -> None:
    """检查政府信息公开是否完整、及时（《政府信息公开条例》与领域标准目录）。"""
