"""The items of an inventory as columns: one polars DataFrame, a column per field.

An audit of a million items asks the same questions of every item (is it late, is its 索引号 well
formed, which requirement does its title name): asked of whole columns, they cost about what
reading the file costs. Item objects are made only for the items a report names, and only once.

Text fields are "" when absent (never null), dates are polars Dates (formed and valid_until null
when absent), `row` is where the item sits in its file and `tags` a list of text.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import polars as pl

from compliance_audit.inventory.model import Item

SCHEMA: dict[str, pl.DataType | type[pl.DataType]] = {
    "row": pl.Int64,
    "title": pl.String,
    "published": pl.Date,
    "index_no": pl.String,
    "topic": pl.String,
    "publisher": pl.String,
    "formed": pl.Date,
    "column": pl.String,
    "doc_no": pl.String,
    "validity": pl.String,
    "valid_until": pl.Date,
    "url": pl.String,
    "mirror_file": pl.String,
    "summary": pl.String,
    "tags": pl.List(pl.String),
    "body": pl.String,
}  # in the order of Item's fields
TEXT_COLUMNS = tuple(name for name, dtype in SCHEMA.items() if dtype == pl.String)
_ITEM_ORDER = tuple(SCHEMA)


class ItemTable:
    """The items, as columns; `item(index)` is the Item at a position (0-based)."""

    def __init__(self, frame: pl.DataFrame, made: Mapping[int, Item] | None = None) -> None:
        self.frame = frame.select(_ITEM_ORDER)
        self._made: dict[int, Item] = dict(made or {})
        self._positions = {id(item): index for index, item in self._made.items()}

    @classmethod
    def of(cls, items: Sequence[Item]) -> ItemTable:
        """The table of items already made (a YAML inventory, a harvested mirror, a case)."""
        columns: dict[str, list[object]] = {name: [] for name in _ITEM_ORDER}
        for item in items:
            for name in _ITEM_ORDER:
                value = getattr(item, name)
                columns[name].append(list(value) if name == "tags" else value)
        return cls(pl.DataFrame(columns, schema=SCHEMA), dict(enumerate(items)))

    def __len__(self) -> int:
        return self.frame.height

    def item(self, index: int) -> Item:
        made = self._made.get(index)
        if made is None:
            made = self.items_at([index])[0]
        return made

    def items_at(self, indexes: Iterable[int]) -> list[Item]:
        """The Items at these positions, in the order given; made once each."""
        wanted = list(indexes)
        missing = sorted({index for index in wanted if index not in self._made})
        if missing:
            rows = self.frame[missing].iter_rows()
            for index, values in zip(missing, rows, strict=True):
                item = self._made[index] = _item(values)
                self._positions[id(item)] = index
        return [self._made[index] for index in wanted]

    def position_of(self, item: Item) -> int:
        """Where an Item this table made (or was made of) sits."""
        position: int = self._positions[id(item)]
        return position

    def all_items(self) -> list[Item]:
        return self.items_at(range(self.frame.height))

    def followed_by(self, other: ItemTable) -> ItemTable:
        """The items of this table, then those of other (other's positions shifted by len(self))."""
        return ItemTable(pl.concat([self.frame, other.frame]))

    def where(self, keep: pl.Series) -> ItemTable:
        """The table of the items where keep is true (positions renumbered from 0)."""
        kept = self.frame.filter(keep)
        if kept.height == self.frame.height:
            return self
        positions = keep.arg_true().to_list()
        made = {new: self._made[old] for new, old in enumerate(positions) if old in self._made}
        return ItemTable(kept, made)


def per_value(
    values: pl.Series, function: Callable[[Any], Any], dtype: pl.DataType | type[pl.DataType]
) -> pl.Series:
    """function of each value, called once per distinct value (a column, a topic or a publisher
    takes a handful of values across many items)."""
    distinct = values.unique().to_list()
    if not distinct:
        return pl.Series(values.name, [], dtype=dtype)
    return values.replace_strict({value: function(value) for value in distinct}, return_dtype=dtype)


def per_distinct(values: pl.Series, function: Callable[[pl.Series], pl.Series]) -> pl.Series:
    """function, a whole-column one, computed over the distinct values only and given back per
    item (a title repeats across the decisions, notices and reports of every year)."""
    distinct = values.unique(maintain_order=True)
    if distinct.len() == values.len():
        return function(values)
    computed = pl.DataFrame({"value": distinct, "result": function(distinct)})
    joined = pl.DataFrame({"value": values}).join(
        computed, on="value", how="left", nulls_equal=True, maintain_order="left"
    )
    return joined["result"].alias(values.name)


_TAGS = _ITEM_ORDER.index("tags")


def _item(values: tuple[Any, ...]) -> Item:
    """The Item of a row (the columns are in the order of Item's fields)."""
    fields = list(values)
    fields[_TAGS] = tuple(fields[_TAGS] or ())
    return Item(*fields)
