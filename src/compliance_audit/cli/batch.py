"""`batch`: a superior department audits all its subordinate bureaus at once."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import click

from compliance_audit.cli.base import as_of_option, main, rules_option

if TYPE_CHECKING:
    from compliance_audit.batch.runner import Progress
    from compliance_audit.report.overview import BureauRow


@main.command("batch")
@click.argument("manifest", metavar="MANIFEST|DIR", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    "outdir",
    required=True,
    type=click.Path(path_type=Path, file_okay=False),
    help="输出目录：汇总.xlsx、汇总.html、报告/（各机关的 JSON 和文字报告）、整改通知/（.docx）",
)
@as_of_option
@click.option(
    "-j", "--jobs", type=click.IntRange(1, 512), help="同时审计的进程数（默认：本机可用的处理器核数）"
)
@click.option(
    "--fail-on",
    type=click.Choice(["error", "warning", "never"]),
    default="error",
    show_default=True,
    help="任一机关出现该级别及以上的问题（或未能审计）时退出码为 1",
)
@rules_option
@click.option(
    "--catalogue", "catalogue_ref", help="标准目录编号或目录文件（manifest 中未写 catalogue 的机关）"
)
@click.option(
    "--calendar", "calendar_file", type=click.Path(path_type=Path, dir_okay=False), help="补充节假日文件"
)
@click.option(
    "--history",
    "history_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="历史记录数据库（默认：输出目录旁的 history.sqlite）",
)
@click.option("--issuer", help="整改通知的发文机关（落款；默认取 manifest 的 issuer）")
@click.option(
    "--reply-days",
    type=click.IntRange(1, 120),
    default=15,
    show_default=True,
    help="整改通知要求回复的期限（审计日后的工作日数）",
)
def batch_command(
    manifest: Path,
    outdir: Path,
    as_of: date | None,
    jobs: int | None,
    fail_on: str,
    rules_dir: Path | None,
    catalogue_ref: str | None,
    calendar_file: Path | None,
    history_path: Path | None,
    issuer: str | None,
    reply_days: int,
) -> None:
    """审计 manifest（YAML 或 xlsx）所列的各机关，或目录中每个机关一个的清单；
    写出排名、汇总、各机关报告和整改通知。"""
    from compliance_audit.batch.history import History
    from compliance_audit.batch.manifest import read_manifest
    from compliance_audit.batch.runner import (
        NOTICES_DIR,
        REPORTS_DIR,
        Options,
        default_jobs,
        fails,
        prepare_outdir,
        run_batch,
    )

    listed = read_manifest(manifest)
    options = Options(
        outdir=outdir,
        as_of=as_of or date.today(),
        rules_dir=rules_dir,
        catalogue=catalogue_ref,
        calendar_file=calendar_file,
        issuer=issuer or listed.issuer,
        reply_days=reply_days,
    )
    prepare_outdir(outdir)
    database = history_path or outdir.resolve().parent / "history.sqlite"
    live = sys.stderr.isatty()
    with History(database) as history:
        result = run_batch(
            listed,
            options,
            jobs=jobs or default_jobs(),
            history=history,
            on_progress=lambda progress, row: _show(progress, row, live),
        )
    if live:
        click.echo("", err=True)
    overview = result.overview
    for row in overview.failed:
        click.echo(f"未能审计 {row.name}：{row.error}", err=True)
    mean = overview.mean_score()
    click.echo(
        f"审计完成 {len(overview.audited)} 个机关，未能审计 {len(overview.failed)} 个"
        + (f"；平均得分 {mean:.1f}" if mean is not None else ""),
        err=True,
    )
    click.echo(
        f"已写出 {', '.join(str(path) for path in result.outputs)}；各机关报告在 {outdir / REPORTS_DIR}，"
        f"整改通知在 {outdir / NOTICES_DIR}；历史记录 {database}",
        err=True,
    )
    if fails(result, fail_on):
        sys.exit(1)


def _show(progress: Progress, row: BureauRow, live: bool) -> None:
    left = progress.remaining
    status = f"已完成 {progress.done}/{progress.total}，失败 {progress.failed}" + (
        f"，预计剩余 {_duration(left)}" if left is not None and progress.done < progress.total else ""
    )
    if live:
        click.echo(f"\r{status}\x1b[K", nl=False, err=True)
        return
    outcome = f"未能审计（{row.error}）" if row.error else f"得分 {row.score:.1f}"
    click.echo(f"[{progress.done}/{progress.total}] {row.name}：{outcome}；{status}", err=True)


def _duration(seconds: float) -> str:
    minutes, rest = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return f"{hours} 小时 {minutes} 分"
    return f"{minutes} 分 {rest} 秒" if minutes else f"{rest} 秒"
