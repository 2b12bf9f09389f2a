"""`history`: the recorded audit runs, and one bureau's trend over them."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import click

from compliance_audit.cli.base import format_option, main
from compliance_audit.errors import InputError
from compliance_audit.report.table import FIXED, Spec, grid


@main.command("history")
@click.option(
    "--history",
    "history_path",
    type=click.Path(path_type=Path, dir_okay=False),
    default=Path("history.sqlite"),
    show_default=True,
    help="历史记录数据库（batch 默认写在输出目录旁）",
)
@click.option("--bureau", help="只看这个机关：各次审计的得分，新增、仍未整改、已整改的问题数")
@format_option("table", "json")
def history_command(history_path: Path, bureau: str | None, output_format: str) -> None:
    """列出记录的审计（批量和 audit --history），或一个机关历次的得分和整改情况。"""
    from compliance_audit.batch.history import KIND_LABELS, History

    if not history_path.is_file():
        raise InputError(
            "历史记录数据库不存在", file=history_path, expected="batch 或 audit --history 写出的 .sqlite"
        )
    with History(history_path) as history:
        if bureau is None:
            runs = history.runs()
            if output_format == "json":
                click.echo(json.dumps([asdict(run) for run in runs], ensure_ascii=False, indent=2))
                return
            rows = [
                (str(run.id), run.recorded, run.as_of, KIND_LABELS.get(run.kind, run.kind), run.title,
                 str(run.bureaus), str(run.failed), "" if run.mean_score is None else f"{run.mean_score:.1f}")
                for run in runs
            ]  # fmt: skip
            headers = ("编号", "记录时间", "审计日", "类型", "标题", "机关", "未能审计", "平均得分")
            specs: tuple[Spec, ...] = (FIXED, (2, 10), FIXED, FIXED, (3, 12), FIXED, FIXED, FIXED)
            click.echo(grid(headers, rows, specs))
            return
        if bureau not in history.bureaus():
            known = history.bureaus()
            raise InputError(
                f"历史记录中没有机关“{bureau}”",
                file=history_path,
                field="--bureau",
                expected="、".join(known[:20]) + (f" 等 {len(known)} 个" if len(known) > 20 else ""),
            )
        runs_of = history.bureau_runs(bureau)
        if output_format == "json":
            click.echo(json.dumps([asdict(run) for run in runs_of], ensure_ascii=False, indent=2))
            return
        trend = [
            (str(run.run), run.as_of, KIND_LABELS.get(run.kind, run.kind),
             "" if run.score is None else f"{run.score:.1f}", str(run.new), str(run.still_open),
             str(run.fixed), f"未能审计：{run.error}" if run.error else _bar(run.score))
            for run in runs_of
        ]  # fmt: skip
        click.echo(f"{bureau}：{len(runs_of)} 次审计")
        headers = ("编号", "审计日", "类型", "得分", "新增", "仍未整改", "已整改", "趋势")
        specs = (FIXED, FIXED, FIXED, FIXED, FIXED, FIXED, FIXED, (2, 20))
        click.echo(grid(headers, trend, specs))


def _bar(score: float | None) -> str:
    return "█" * round((score or 0) / 5)
