"""What an inventory is once loaded: one bureau and the items it has published."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from compliance_audit.personal_info import mask_text

if TYPE_CHECKING:
    from compliance_audit.inventory.table import ItemTable

LEVELS = ("county", "township", "city", "province")
LEVEL_LABELS = {"county": "县级", "township": "乡级", "city": "市级", "province": "省级"}
COLUMN_KINDS = (
    "news",
    "notice",
    "policy",
    "personnel",
    "plans",
    "guide",
    "finance",
    "enforcement",
    "report",
    "interaction",
    "other",
)


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    kind: str


@dataclass(frozen=True, slots=True)
class Bureau:
    name: str
    level: str = "county"
    region: str = ""
    sector: str = ""
    profile: str = ""
    functions: tuple[str, ...] = ()
    columns: tuple[Column, ...] = ()

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> Bureau:
        """A `bureau:` mapping already validated against the inventory schema."""
        return cls(
            name=data.get("name", ""),
            level=data.get("level", "county"),
            region=data.get("region", ""),
            sector=data.get("sector", ""),
            profile=data.get("profile", ""),
            functions=tuple(data.get("functions", ())),
            columns=tuple(Column(column["name"], column["kind"]) for column in data.get("columns", ())),
        )


@dataclass(slots=True)
class Item:
    """One published piece of information. Text fields are "" when absent, never None."""

    row: int  # where it sits in its file: spreadsheet row, YAML or JSONL line, JSON position
    title: str
    published: date
    index_no: str = ""
    topic: str = ""
    publisher: str = ""
    formed: date | None = None
    column: str = ""
    doc_no: str = ""
    validity: str = ""
    valid_until: date | None = None
    url: str = ""
    mirror_file: str = ""  # a harvested item's page inside the website mirror
    summary: str = ""
    tags: tuple[str, ...] = ()
    body: str = ""

    @property
    def label(self) -> str:
        """How a report names the item: its 索引号, or its title (masked) when it has none."""
        return self.index_no or mask_text(self.title)

    @property
    def identity(self) -> str:
        """What stays the same for this item across runs and file formats (for fingerprints)."""
        return item_identity(self.index_no, self.title, self.published)


def item_identity(index_no: str, title: str, published: date, *, number_shared: bool = False) -> str:
    """What names an item in fingerprints: its 索引号; its title and date when it has none, or
    when another item carries the same 索引号 (a defect of its own), after the 索引号."""
    named = f"{title}|{published.isoformat()}"
    if not index_no:
        return named
    return f"{index_no}|{named}" if number_shared else index_no


@dataclass
class Inventory:
    source: Path
    bureau: Bureau
    table: ItemTable
    # Fields the bureau's own catalogue carries (a column of the spreadsheet, a key of some item):
    # an empty value in such a field is a defect, a field the catalogue never uses is not.
    fields_present: frozenset[str] = frozenset()
    notices: list[str] = field(default_factory=list)
    bureau_source: Path | None = None  # the file the bureau's facts came from (the inventory or its sidecar)

    @classmethod
    def of(
        cls,
        source: Path,
        bureau: Bureau,
        items: Sequence[Item],
        fields_present: frozenset[str] = frozenset(),
        notices: list[str] | None = None,
        bureau_source: Path | None = None,
    ) -> Inventory:
        """An inventory of items already made (a harvested mirror, a rule case, drafts)."""
        from compliance_audit.inventory.table import ItemTable

        return cls(source, bureau, ItemTable.of(items), fields_present, notices or [], bureau_source)

    @property
    def items(self) -> list[Item]:
        """Every item as an object, for what goes item by item over a few (an annual report, the
        drafts of `check`, --explain); an audit reads the columns of `table`."""
        return self.table.all_items()
