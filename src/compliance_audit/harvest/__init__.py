"""Harvest a saved copy of a portal (wget --mirror, a browser's "save page", text dumps) into an
inventory.

The loop streams: a page is read, turned into an item or a skip reason, and dropped before the
next one is read. What stays is small: the items, counters, and one note per skipped file or
warning. harvest() collects a HarvestResult; load_mirror() gives an Inventory the audit can use
directly, so a superior department can point the audit at a saved site.
"""

from __future__ import annotations

import os
import pickle
import tempfile
from collections.abc import Callable, Collection, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from compliance_audit.errors import InputError
from compliance_audit.harvest.bureau import (
    build_bureau,
    mirror_sidecar_path,
    parse_column_kinds,
    read_bureau_file,
    require_name,
)
from compliance_audit.harvest.columns import guess_kind
from compliance_audit.harvest.crawl.mirror import read_pages
from compliance_audit.harvest.pages import PageFile, PageSkipped, Skip, count_files, read_page, walk
from compliance_audit.harvest.record import PageRecord, build_record, mirror_url
from compliance_audit.harvest.summary import HarvestSummary, PageNote
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
    "classify_page",
    "count_files",
    "harvest",
    "harvest_to_spool",
    "load_mirror",
    "mirror_sidecar_path",
    "parse_column_kinds",
    "read_bureau_file",
    "require_items",
    "require_name",
]


ItemsT = TypeVar("ItemsT", bound=Collection[Item])


@dataclass
class HarvestResult(Generic[ItemsT]):
    items: ItemsT  # a list, or a spool for a harvest streamed to a file; row = position, 1-based
    columns: tuple[Column, ...]  # from the breadcrumbs, in order of first appearance
    fields: frozenset[str]  # fields the portal's catalogue carries on some page
    summary: HarvestSummary
    notes: list[PageNote]  # why each skipped file was skipped; warnings about harvested pages

    @property
    def column_names(self) -> list[str]:
        return [column.name for column in self.columns]


class Harvest:
    """One pass over a mirror. Iterate pages() once; summary, fields and columns fill in as it goes."""

    def __init__(self, mirror: Path, *, base_url: str | None = None, body: bool = True) -> None:
        check_mirror(mirror)
        self.mirror = mirror
        self.base_url = base_url
        self.body = body
        # A crawled mirror says where each page was fetched and in which charset the server sent it.
        self.fetched = read_pages(mirror)
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
        fetched = self.fetched.get(file.relative)
        if fetched is not None:
            record = read_record(file, fetched.url, fetched.charset, fetched=True, body=self.body)
        else:
            url = mirror_url(file.relative, mirror_name, self.base_url)
            record = read_record(file, url, None, fetched=False, body=self.body)
        if record.skip not in _NOT_PAGES:
            self.summary.pages += 1
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


# Files the reader never got to read as a page.
_NOT_PAGES = frozenset(
    {
        Skip.ATTACHMENT, Skip.RESOURCE, Skip.NOT_A_PAGE, Skip.SYMLINK, Skip.UNREADABLE, Skip.TOO_LARGE,
        Skip.BINARY, Skip.UNDECODABLE,
    }
)  # fmt: skip


def read_record(
    file: PageFile, url: str, header_charset: str | None, *, fetched: bool, body: bool = True
) -> PageRecord:
    """One file of a mirror as an item, or why it is not one: the one page reader, for saved and
    crawled pages alike."""
    from compliance_audit.harvest.html import read_html
    from compliance_audit.harvest.text import read_text

    try:
        page = read_page(file, header_charset)
    except PageSkipped as skipped:
        return PageRecord(None, skip=skipped.reason, detail=skipped.detail)
    data = read_text(page.text, body=body) if page.kind == "text" else read_html(page.text, body=body)
    record = build_record(data, file.relative, url, fetched=fetched)
    if record.item is not None:
        record.warnings[:0] = page.warnings
    return record


def classify_page(mirror: Path, relative: str, url: str, header_charset: str | None) -> bool:
    """Is this page of the mirror an item? (The crawler's progress count.)"""
    file = PageFile(os.path.join(mirror, *relative.split("/")), relative)
    return read_record(file, url, header_charset, fetched=True, body=False).item is not None


def harvest(
    mirror_dir: Path,
    *,
    base_url: str | None = None,
    column_kinds: Mapping[str, str] | None = None,
    on_page: Callable[[str, PageRecord], None] | None = None,
    body: bool = True,
) -> HarvestResult[list[Item]]:
    """Harvest every article page of a mirror into memory. on_page is called after each file."""
    items: list[Item] = []
    return _collect(
        Harvest(mirror_dir, base_url=base_url, body=body), items, items.append, column_kinds, on_page
    )


@contextmanager
def harvest_to_spool(
    mirror_dir: Path,
    *,
    base_url: str | None = None,
    column_kinds: Mapping[str, str] | None = None,
    on_page: Callable[[str, PageRecord], None] | None = None,
    body: bool = True,
) -> Iterator[HarvestResult[ItemSpool]]:
    """Harvest every article page of a mirror, each item streamed to a temporary file as soon as it
    is read (memory stays flat however many pages there are); the file goes when the block ends."""
    with ItemSpool() as spool:
        yield _collect(
            Harvest(mirror_dir, base_url=base_url, body=body), spool, spool.append, column_kinds, on_page
        )


def _collect(
    run: Harvest,
    items: ItemsT,
    keep: Callable[[Item], None],
    column_kinds: Mapping[str, str] | None,
    on_page: Callable[[str, PageRecord], None] | None,
) -> HarvestResult[ItemsT]:
    notes: list[PageNote] = []
    for relative, record in run.pages():
        if record.item is not None:
            keep(record.item)
        notes.extend(notes_of(relative, record))
        if on_page is not None:
            on_page(relative, record)
    kinds = column_kinds or {}
    columns = tuple(Column(name, kinds.get(name) or guess_kind(name)) for name in run.columns)
    return HarvestResult(items, columns, frozenset(run.fields), run.summary, notes)


class ItemSpool:
    """Items kept in a temporary file in the order they come, to be read back once or more."""

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile(prefix="compliance-audit-items-")  # noqa: SIM115  (closed by __exit__)
        self._count = 0

    def append(self, item: Item) -> None:
        pickle.dump(item, self._file, protocol=pickle.HIGHEST_PROTOCOL)
        self._count += 1

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[Item]:
        self._file.seek(0)
        for _ in range(self._count):
            item: Item = pickle.load(self._file)
            yield item
        self._file.seek(0, os.SEEK_END)

    def __contains__(self, item: object) -> bool:
        return any(kept == item for kept in self)

    def __enter__(self) -> ItemSpool:
        return self

    def __exit__(self, *exception: object) -> None:
        self._file.close()


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
    return Inventory.of(path, bureau, result.items, result.fields, notices=[notice])


def check_mirror(path: Path) -> None:
    if not path.exists():
        raise InputError("网站镜像目录不存在", file=path)
    if not path.is_dir():
        raise InputError(
            "不是目录", file=path, expected="保存的网站目录（wget --mirror 或浏览器“另存为”的结果）"
        )


def require_items(result: HarvestResult[Any], path: Path) -> None:
    if not result.items:
        raise InputError(
            "没有找到可收录的信息页面：" + "".join(result.summary.lines(result.fields)),
            file=path,
            expected="含文章页（带元数据块，或有标题和发布日期）的网站镜像",
        )
