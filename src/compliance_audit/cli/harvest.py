"""`harvest` (a saved portal or a live portal section → an inventory) and `init` (an empty
inventory template). The crawl options are shared with `audit URL`."""

from __future__ import annotations

import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any, TypeVar

import click

from compliance_audit.cli.base import bureau_options, bureau_overrides, main, output_option, say
from compliance_audit.errors import InputError
from compliance_audit.inventory import BureauOverrides
from compliance_audit.output import check_output

F = TypeVar("F", bound=Callable[..., Any])


def crawl_options(function: F) -> F:
    """How a live portal section is crawled (SOURCE is an http:// or https:// address)."""
    from compliance_audit.harvest import crawl as defaults

    for option in reversed(
        (
            click.option(
                "--mirror",
                type=click.Path(path_type=Path, file_okay=False),
                help="抓取网址时保存页面的镜像目录（默认临时目录，用完删除）；中断后用同一目录重新运行即从中断处继续",
            ),
            click.option(
                "--allow",
                multiple=True,
                metavar="正则",
                help="栏目目录之外也要抓取的网址（正则表达式，可重复），如 jcms 的 /art/ 文章页",
            ),
            click.option(
                "--max-pages",
                type=int,
                default=defaults.DEFAULT_MAX_PAGES,
                show_default=True,
                help="最多抓取页面数",
            ),
            click.option(
                "--max-depth",
                type=int,
                default=defaults.DEFAULT_MAX_DEPTH,
                show_default=True,
                help="最多跟随的链接层数（列表页翻页不计）",
            ),
            click.option(
                "--max-mb",
                type=int,
                default=defaults.DEFAULT_MAX_BYTES // 2**20,
                show_default=True,
                help="最多下载的数据量（MB）",
            ),
            click.option(
                "--delay",
                type=float,
                default=defaults.DEFAULT_DELAY,
                show_default=True,
                help="同一网站两次请求之间至少间隔的秒数（按服务器响应自动放慢）",
            ),
            click.option(
                "--timeout",
                type=float,
                default=defaults.DEFAULT_TIMEOUT,
                show_default=True,
                help="单个页面的超时秒数",
            ),
            click.option("--attachments", is_flag=True, help="同时下载附件（默认只记录附件链接）"),
        )
    ):
        function = option(function)
    return function


@contextmanager
def crawled(url: str, options: dict[str, Any]) -> Iterator[Path]:
    """Crawl url into a mirror and yield it; a temporary mirror is removed afterwards. Ctrl-C ends
    the command with code 130 and says how to continue."""
    from compliance_audit.harvest.crawl import INTERRUPTED_EXIT, CrawlConfig, crawl

    config = CrawlConfig(
        url,
        allow=tuple(options["allow"]),
        max_pages=options["max_pages"],
        max_depth=options["max_depth"],
        max_bytes=options["max_mb"] * 2**20,
        delay=options["delay"],
        timeout=options["timeout"],
        attachments=options["attachments"],
        progress=sys.stderr.isatty(),
    )
    given: Path | None = options["mirror"]
    mirror = given or Path(tempfile.mkdtemp(prefix="compliance-audit-mirror-"))
    keep = given is not None
    try:
        outcome = crawl(mirror, config)
        if outcome.resumed:
            click.echo(f"继续 {mirror} 中未完成的抓取。", err=True)
        for line in outcome.summary.lines():
            click.echo(line, err=True)
        if outcome.interrupted:
            keep = True
            click.echo(
                f"抓取已中断；已抓取的页面保存在 {mirror}。"
                f"再次运行同一命令并加 --mirror {mirror} 即从中断处继续。",
                err=True,
            )
            sys.exit(INTERRUPTED_EXIT)
        yield mirror
    finally:
        if not keep:
            shutil.rmtree(mirror, ignore_errors=True)


def source_path(source: str, crawl: dict[str, Any]) -> Path:
    """SOURCE as a folder or file: an http(s) address is crawled first, into --mirror or a temporary
    mirror that is removed when the command ends. Takes the crawl options out of crawl."""
    from compliance_audit.harvest.crawl import is_url

    names = ("mirror", "allow", "max_pages", "max_depth", "max_mb", "delay", "timeout", "attachments")
    options = {name: crawl.pop(name) for name in names}
    if is_url(source):
        return click.get_current_context().with_resource(crawled(source, options))
    if options["mirror"] is not None:
        raise InputError(
            "--mirror 只用于抓取网址", field="--mirror", expected="网址（http:// 或 https:// 开头）"
        )
    return Path(source)


@main.command("harvest")
@click.argument("source", metavar="MIRROR_DIR|URL")
@output_option("写出的清单：.yaml、.csv 或 .xlsx（按后缀）；CSV/XLSX 另写同名 .bureau.yaml", required=True)
@click.option(
    "--bureau", "bureau_file", type=click.Path(path_type=Path, dir_okay=False), help="含 bureau: 映射的 YAML"
)
@bureau_options
@click.option("--column-kind", "column_kinds", multiple=True, metavar="栏目=类型", help="栏目类型，可重复")
@click.option("--base-url", help="页面没有 canonical 链接时，镜像路径前加的网址（默认取镜像中的主机名目录）")
@crawl_options
@click.option(
    "--no-body", is_flag=True, help="不保留正文（默认保留每篇正文的前 64 KiB，供个人信息和内容要素检查）"
)
@click.option("-v", "--verbose", is_flag=True, help="列出每个跳过的文件及原因、每条警告")
@click.option("--force", is_flag=True, help="覆盖手工写过或改过的 .bureau.yaml")
def harvest_command(
    source: str,
    output: Path,
    bureau_file: Path | None,
    column_kinds: tuple[str, ...],
    base_url: str | None,
    no_body: bool,
    verbose: bool,
    force: bool,
    **options: Any,
) -> None:
    """把门户网站整理成清单：保存的网站目录（wget --mirror 或“网页另存为”），或栏目网址（礼貌地抓取，
    遵守 robots.txt，并把抓到的页面留作镜像）。"""
    from compliance_audit import harvest as harvesting
    from compliance_audit.harvest.crawl import is_url
    from compliance_audit.inventory import sidecar_path
    from compliance_audit.inventory.writer import output_format, refuse_hand_written_sidecar

    kind = output_format(output)
    live = is_url(source)
    saved_mirror: Path | None = options["mirror"] if live else Path(source)
    if not live:
        harvesting.check_mirror(Path(source))
    inputs = [bureau_file]
    if saved_mirror is not None:
        inputs += [saved_mirror, harvesting.mirror_sidecar_path(saved_mirror)]
    for target in [output, sidecar_path(output)] if kind == "csv" else [output]:
        check_output(target, inputs)
    if kind == "csv" and not force:
        refuse_hand_written_sidecar(output)
    facts = harvesting.read_bureau_file(bureau_file) if bureau_file else {}
    mirror_dir = source_path(source, options)
    overrides = bureau_overrides(options)
    harvesting.require_name(facts, overrides, bureau_file)
    kinds = harvesting.parse_column_kinds(column_kinds)
    base = None if live else base_url
    _harvest(
        mirror_dir,
        output,
        bureau_file,
        facts,
        overrides,
        kinds,
        base,
        not no_body,
        verbose,
        inputs=[*inputs, mirror_dir],
        force=force,
    )


def _harvest(
    mirror_dir: Path,
    output: Path,
    bureau_file: Path | None,
    facts: dict[str, Any],
    overrides: BureauOverrides,
    kinds: dict[str, str],
    base_url: str | None,
    body: bool,
    verbose: bool,
    *,
    inputs: list[Path | None],
    force: bool,
) -> None:
    from compliance_audit import harvest as harvesting
    from compliance_audit.inventory.writer import write_inventory

    with ExitStack() as stack:
        on_page = None
        if sys.stderr.isatty():
            total = harvesting.count_files(mirror_dir)
            bar = stack.enter_context(click.progressbar(length=total, label="读取页面", file=sys.stderr))
            on_page = lambda *_: bar.update(1)  # noqa: E731
        result = stack.enter_context(
            harvesting.harvest_to_spool(
                mirror_dir, base_url=base_url, column_kinds=kinds, on_page=on_page, body=body
            )
        )
        if on_page is not None:
            bar.render_finish()
        harvesting.require_items(result, mirror_dir)
        source = bureau_file or "命令行"
        bureau = harvesting.build_bureau(facts, overrides, result.column_names, kinds, source=source)
        written = write_inventory(output, bureau, result.items, result.fields, inputs=inputs, force=force)
    for note in result.notes if verbose else ():
        say(f"{'跳过' if note.skipped else '警告'} {note.path}：{note.message}")
    for line in result.summary.lines(result.fields):
        say(line)
    if result.notes and not verbose:
        say("用 -v 列出每个跳过的文件及原因、每条警告。")
    say("已写出 " + "、".join(str(path) for path in written))


@main.command("init")
@output_option("模板文件：.xlsx、.csv 或 .yaml（按后缀）；CSV/XLSX 另写同名 .bureau.yaml", required=True)
@bureau_options
@click.option("--force", is_flag=True, help="覆盖已有的文件")
def init_command(output: Path, force: bool, **bureau: Any) -> None:
    """写出空白清单模板，供机关手工填写：表头、日期格式、有效性下拉选项和各列说明。"""
    from compliance_audit.audit import check_sector
    from compliance_audit.harvest import build_bureau
    from compliance_audit.inventory import sidecar_path
    from compliance_audit.inventory.writer import output_format, write_template
    from compliance_audit.ruleset.catalogue import CatalogueLibrary
    from compliance_audit.ruleset.loader import load_rulebook

    targets = [output] if output_format(output) != "csv" else [output, sidecar_path(output)]
    for target in targets:
        check_output(target)
    existing = next((path for path in targets if path.exists()), None)
    if existing is not None and not force:
        raise InputError("文件已存在，不会覆盖", file=existing, expected="另选文件名，或加 --force 覆盖")
    facts = build_bureau({}, bureau_overrides(bureau), require=False)
    check_sector(facts, load_rulebook(), CatalogueLibrary.bundled())
    written = write_template(output, facts)
    say("已写出 " + "、".join(str(path) for path in written))
