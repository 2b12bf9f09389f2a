"""Harvest a saved copy of a portal (wget --mirror, a browser's "save page", text dumps) into an
inventory.

The loop streams: a page is read, turned into an item or a skip reason, and dropped before the
next one is read. What stays is small: the items, counters, and one note per skipped file or
warning. harvest() collects a HarvestResult; load_mirror() gives an Inventory the audit can use
directly, so a superior department can point the audit at a saved site.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from compliance_audit.errors import InputError
from compliance_audit.harvest.bureau import (
    build_bureau,
    mirror_sidecar_path,
    parse_column_kinds,
    read_bureau_file,
    require_name,
)
from compliance_audit.harvest.columns import guess_kind
from compliance_audit.harvest.html import read_html
from compliance_audit.harvest.pages import PageFile, PageSkipped, Skip, count_files, read_page, walk
from compliance_audit.harvest.record import PageRecord, build_record, mirror_url
from compliance_audit.harvest.summary import HarvestSummary, PageNote
from compliance_audit.harvest.text import read_text
from compliance_audit.inventory import BureauOverrides
from compliance_audit.inventory.model import Column, Inventory, Item

__all__ = [
    "Harvest",
    "HarvestResult",
    "HarvestSummary",
    "PageNote",
    "PageRecord",
    "Skip",
    "build_bureau",
    "check_mirror",
    "count_files",
    "harvest",
    "load_mirror",
    "mirror_sidecar_path",
    "parse_column_kinds",
    "read_bureau_file",
    "require_items",
    "require_name",
]


@dataclass
class HarvestResult:
    items: list[Item]  # row = position, 1-based
    columns: tuple[Column, ...]  # from the breadcrumbs, in order of first appearance
    fields: frozenset[str]  # fields the portal's catalogue carries on some page
    summary: HarvestSummary
    notes: list[PageNote]  # why each skipped file was skipped; warnings about harvested pages

    @property
    def column_names(self) -> list[str]:
        return [column.name for column in self.columns]


class Harvest:
    """One pass over a mirror. Iterate pages() once; summary, fields and columns fill in as it goes."""

    def __init__(self, mirror: Path, *, base_url: str | None = None) -> None:
        check_mirror(mirror)
        self.mirror = mirror
        self.base_url = base_url
        self.summary = HarvestSummary()
        self.fields: set[str] = set()
        self.columns: dict[str, None] = {}  # an ordered set
        # Hashes of the (索引号, 标题, 发布日期) of the items so far: a few dozen bytes per item.
        self._seen: set[int] = set()

    def pages(self) -> Iterator[tuple[str, PageRecord]]:
        mirror_name = self.mirror.resolve().name
        for file in walk(self.mirror):
            record = self._record(file, mirror_name)
            self._count(record)
            yield file.relative, record

    def _record(self, file: PageFile, mirror_name: str) -> PageRecord:
        self.summary.files += 1
        try:
            page = read_page(file)
        except PageSkipped as skipped:
            return PageRecord(None, skip=skipped.reason, detail=skipped.detail)
        self.summary.pages += 1
        data = read_text(page.text) if page.kind == "text" else read_html(page.text)
        record = build_record(data, file.relative, mirror_url(file.relative, mirror_name, self.base_url))
        if record.item is not None:
            record.warnings[:0] = page.warnings
        return self._unless_seen(record)

    def _unless_seen(self, record: PageRecord) -> PageRecord:
        """The same article saved twice (a mobile copy, a URL with a query) is one item."""
        item = record.item
        if item is None:
            return record
        key = hash((item.index_no, item.title, item.published))
        if key in self._seen:
            detail = f"与已收录的“{item.title}”（{item.published.isoformat()}）相同"
            return PageRecord(None, skip=Skip.DUPLICATE, detail=detail)
        self._seen.add(key)
        return record

    def _count(self, record: PageRecord) -> None:
        if record.item is None:
            self.summary.skipped[record.skip] += 1
            return
        record.item.row = self.summary.items + 1
        self.summary.count_item(record.item)
        self.summary.unreadable.update(record.unreadable)
        self.summary.warnings += len(record.warnings)
        self.fields.update(record.present)
        if record.item.column:
            self.columns.setdefault(record.item.column, None)


def harvest(
    mirror_dir: Path,
    *,
    base_url: str | None = None,
    column_kinds: Mapping[str, str] | None = None,
    on_page: Callable[[str, PageRecord], None] | None = None,
) -> HarvestResult:
    """Harvest every article page of a mirror. on_page is called after each file (progress)."""
    run = Harvest(mirror_dir, base_url=base_url)
    items: list[Item] = []
    notes: list[PageNote] = []
    for relative, record in run.pages():
        if record.item is not None:
            items.append(record.item)
        notes.extend(notes_of(relative, record))
        if on_page is not None:
            on_page(relative, record)
    kinds = column_kinds or {}
    columns = tuple(Column(name, kinds.get(name) or guess_kind(name)) for name in run.columns)
    return HarvestResult(items, columns, frozenset(run.fields), run.summary, notes)


def notes_of(relative: str, record: PageRecord) -> list[PageNote]:
    if record.item is None:
        message = f"{record.skip}（{record.detail}）" if record.detail else record.skip
        return [PageNote(relative, message, skipped=True)]
    return [PageNote(relative, warning, skipped=False) for warning in record.warnings]


def load_mirror(
    path: Path,
    overrides: BureauOverrides | None = None,
    on_page: Callable[[str, PageRecord], None] | None = None,
) -> Inventory:
    """Harvest a mirror in memory and return it as an inventory. Bureau facts come from the
    overrides and from <mirror>.bureau.yaml beside the mirror directory, as for a CSV inventory.
    on_page sees every page as harvest() does (the audit looks for the bureau's own catalogue)."""
    overrides = overrides or BureauOverrides()
    check_mirror(path)
    sidecar = mirror_sidecar_path(path)
    facts = read_bureau_file(sidecar) if sidecar.is_file() else {}
    require_name(facts, overrides, sidecar)
    result = harvest(path, on_page=on_page)
    require_items(result, path)
    bureau = build_bureau(facts, overrides, result.column_names, source=sidecar if facts else path)
    skipped = sum(result.summary.skipped.values())
    notice = (
        f"清单由网站镜像 {path} 即时整理：收录信息 {result.summary.items} 条，跳过文件 {skipped} 个"
        f"（compliance-audit harvest {path} -o 清单.yaml -v 列出原因）"
    )
    return Inventory(path, bureau, result.items, result.fields, notices=[notice])


def check_mirror(path: Path) -> None:
    if not path.exists():
        raise InputError("网站镜像目录不存在", file=path)
    if not path.is_dir():
        raise InputError(
            "不是目录", file=path, expected="保存的网站目录（wget --mirror 或浏览器“另存为”的结果）"
        )


def require_items(result: HarvestResult, path: Path) -> None:
    if not result.items:
        raise InputError(
            "没有找到可收录的信息页面：" + "".join(result.summary.lines(result.fields)),
            file=path,
            expected="含文章页（带元数据块，或有标题和发布日期）的网站镜像",
        )
