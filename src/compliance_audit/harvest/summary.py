"""What a harvest did, counted as it goes (constant size whatever the number of pages)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field

from compliance_audit.inventory.fields import FIELD_LABELS, ITEM_FIELDS
from compliance_audit.inventory.model import Item

# Fields a portal may or may not carry; title and published are always there (or no item).
COUNTED_FIELDS = (
    "index_no",
    "topic",
    "publisher",
    "formed",
    "column",
    "doc_no",
    "validity",
    "valid_until",
    "summary",
)


@dataclass(frozen=True, slots=True)
class PageNote:
    path: str  # inside the mirror
    message: str
    skipped: bool  # True: why the file is not an item; False: a warning about a harvested item


@dataclass(slots=True)
class HarvestSummary:
    files: int = 0
    pages: int = 0  # files read as pages (HTML or text)
    items: int = 0
    skipped: Counter[str] = field(default_factory=Counter)  # reason → files
    empty: Counter[str] = field(default_factory=Counter)  # field → items where it is empty
    unreadable: Counter[str] = field(default_factory=Counter)  # field → values left empty
    warnings: int = 0

    def count_item(self, item: Item) -> None:
        self.items += 1
        for name in COUNTED_FIELDS:
            if not getattr(item, name):
                self.empty[name] += 1

    def lines(self, fields: Collection[str]) -> list[str]:
        """The summary in Chinese; empty fields only for the fields the inventory carries."""
        lines = [f"读取文件 {self.files} 个，其中页面 {self.pages} 个；收录信息 {self.items} 条。"]
        if self.skipped:
            reasons = "；".join(
                f"{reason} {count}" for reason, count in sorted(self.skipped.items(), key=_by_count)
            )
            lines.append(f"跳过 {sum(self.skipped.values())} 个文件：{reasons}。")
        empty = [(name, self.empty[name]) for name in ITEM_FIELDS if name in fields and self.empty[name]]
        if empty:
            lines.append(
                "字段为空：" + "，".join(f"{FIELD_LABELS[name]} {count} 条" for name, count in empty) + "。"
            )
        unreadable = [(name, self.unreadable[name]) for name in ITEM_FIELDS if self.unreadable[name]]
        if unreadable:
            counts = "，".join(f"{FIELD_LABELS[name]} {count} 处" for name, count in unreadable)
            lines.append(f"无法识别、已留空的值：{counts}。")
        if self.warnings:
            lines.append(f"警告 {self.warnings} 条。")
        return lines


def _by_count(entry: tuple[str, int]) -> tuple[int, str]:
    return -entry[1], entry[0]
