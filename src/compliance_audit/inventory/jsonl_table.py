"""A JSONL inventory read straight into the item table, a block of lines at a time.

Reading a million lines one JSON document and one schema check at a time costs several times the
parse itself; polars' NDJSON reader fills whole columns instead. It is used only where it gives
exactly the table the per-record path would (inventory/__init__.py): whenever a block holds
anything that path treats differently or refuses, the whole file goes back to that path, which
then names the file, line and field as it always does. The bounds of the file and its lines are
the per-record path's.

What sends a file back, and why each could differ:
- a line polars cannot read (bad UTF-8, a raw control character, NaN, a line that is not an
  object, nesting too deep): the per-record path names it;
- blank lines (polars skips them, so line numbers would shift);
- more `"key":` pairs than values read: a key given twice (polars keeps the first, Python's
  json the last), a null, an unknown key, a nested object;
- a value that did not come from a JSON string, or might not have: polars writes true, 1e-7 or
  an object as text where the per-record path refuses them or writes them its own way;
- NUL and the four characters str.strip() takes for white space and polars does not
  (U+001C–U+001F); polars turns an escaped lone surrogate into NUL;
- a value the schema refuses (too long, an empty title, an unknown 有效性, a bad tag) or a date
  parse_date refuses.
One difference remains, and is documented: an unknown key written with white space before its
colon is not counted, so a value under it that the per-record path refuses (nesting deeper than
it allows, a number too long, an unpaired surrogate) is ignored here, as unknown keys always are.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl

from compliance_audit.dates import EARLIEST, LATEST, DateFormError, parse_date
from compliance_audit.inventory.fields import TEXT_FIELDS, VALIDITY_VALUES, validity_value
from compliance_audit.inventory.readers import MAX_JSONL_LINE_BYTES, open_regular
from compliance_audit.inventory.table import SCHEMA, TEXT_COLUMNS, per_value
from compliance_audit.schemas import schema

BLOCK_BYTES = 8 * 1024 * 1024
_READ_SCHEMA: dict[str, pl.DataType | type[pl.DataType]] = {
    **{name: pl.String for name in TEXT_FIELDS},
    "tags": pl.List(pl.String),
}
# A value polars may have written from something other than a JSON string: true/false, an object
# or array, a number with a fraction or exponent, too many digits to be an exact integer, or -0
# (polars writes -0.0 so, where the per-record path reads the number 0).
_NOT_FROM_STRING = (
    r"(?s)^(?:true|false|[\[{].*|-0|-?[0-9]{16,}|-?[0-9]+\.[0-9]+|-?[0-9]+(?:\.[0-9]+)?[eE][-+]?[0-9]+)$"
)
_UNSAFE_CHARACTERS = r"[\x00\x1c-\x1f]"
_DECLINED = f"{_NOT_FROM_STRING}|{_UNSAFE_CHARACTERS}"


def read_jsonl_table(path: Path) -> pl.DataFrame | None:
    """The items of a JSONL inventory whose bureau is on line 1, as ItemTable columns; None if
    any block is one the per-record path must read."""
    blocks: list[pl.DataFrame] = []
    days = _Days()
    with open_regular(path) as handle:
        if not handle.readline(MAX_JSONL_LINE_BYTES + 1).strip():
            return None
        line = 2
        pending = b""
        while True:
            chunk = handle.read(BLOCK_BYTES)
            data = pending + chunk
            if not data:
                break
            cut = data.rfind(b"\n") + 1 if chunk else len(data)
            if cut == 0:
                if len(data) > MAX_JSONL_LINE_BYTES:
                    return None
                pending = data
                continue
            block, pending = data[:cut], data[cut:]
            if len(block) > MAX_JSONL_LINE_BYTES + BLOCK_BYTES:
                return None  # a line near the bound: the per-record path measures it
            # each block is made into items at once, so that only one block's raw text is held
            frame = _block(block, line)
            items = None if frame is None else _items(frame, days)
            if items is None:
                return None
            blocks.append(items)
            line += items.height
    if not blocks:
        return pl.DataFrame(schema=SCHEMA)
    return pl.concat(blocks, rechunk=False)


def _block(block: bytes, first_line: int) -> pl.DataFrame | None:
    lines = block.count(b"\n") + (not block.endswith(b"\n"))
    try:
        frame = pl.read_ndjson(block, schema=_READ_SCHEMA)
    except pl.exceptions.PolarsError:
        return None
    if frame.height != lines:
        return None
    values = sum(frame.height - count for count in frame.null_count().row(0))
    if block.count(b'":') != values:
        return None
    return frame.with_columns(row=pl.int_range(first_line, first_line + lines, dtype=pl.Int64))


def _items(frame: pl.DataFrame, days: _Days) -> pl.DataFrame | None:
    text = [pl.col(name).fill_null("") for name in TEXT_FIELDS]
    suspicious = pl.any_horizontal(value.str.contains(_DECLINED) for value in text)
    tags = pl.col("tags").fill_null([])
    bad_tags = tags.list.eval(
        pl.element().is_null()
        | (pl.element() == "")
        | pl.element().str.contains(_DECLINED)
        | pl.element().str.contains(r"^-?[0-9]+$")  # a tag must be text, where a field takes a number
    ).list.any()
    if frame.select((suspicious | bad_tags).any()).item():
        return None
    stripped = frame.with_columns(value.str.strip_chars() for value in text)
    if not _within_schema(stripped):
        return None
    validity = per_value(stripped["validity"], _validity, pl.String)
    if validity.is_null().any():
        return None
    published = days.column(stripped["published"], end_date=False)
    formed = days.column(stripped["formed"], end_date=False)
    valid_until = days.column(stripped["valid_until"], end_date=True)
    if published is None or formed is None or valid_until is None or published.is_null().any():
        return None
    return stripped.with_columns(
        validity=validity, published=published, formed=formed, valid_until=valid_until, tags=tags
    ).select(list(SCHEMA))


def _within_schema(frame: pl.DataFrame) -> bool:
    """The item schema's bounds on text: lengths, and the two fields an item cannot lack."""
    properties = schema("inventory")["$defs"]["item"]["properties"]
    checks = [
        pl.col(name).str.len_chars() <= properties[name]["maxLength"]
        for name in (*TEXT_COLUMNS, "formed", "published", "valid_until")
        if "maxLength" in properties.get(name, {})
    ]
    checks += [pl.col("title") != "", pl.col("published") != ""]
    return bool(frame.select(pl.all_horizontal(checks).all()).item())


def _validity(text: str) -> str | None:
    value = validity_value(text) or text if text else ""
    return value if value in ("", *VALIDITY_VALUES) else None


class _Days:
    """Date texts as dates: ISO dates (what most exports write) on the whole column, as
    parse_date reads them; any other text by parse_date itself, once per distinct text across
    the blocks of a file ("" is no date)."""

    def __init__(self) -> None:
        self._parsed: dict[tuple[str, bool], date | None] = {}
        self._refused: set[tuple[str, bool]] = set()

    def column(self, values: pl.Series, *, end_date: bool) -> pl.Series | None:
        """The dates of a column of date texts; None if any is not a date."""
        days = values.str.to_date("%Y-%m-%d", strict=False)
        in_range = (days >= EARLIEST) & (days <= LATEST) if not end_date else days >= EARLIEST
        iso = values.str.contains(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$") & in_range.fill_null(False)
        others = (~iso & (values != "")).arg_true()
        days = days.scatter((~iso).arg_true(), None)
        if not len(others):
            return days
        texts = values.gather(others)
        for text in texts.unique().to_list():
            key = (text, end_date)
            if key not in self._parsed and key not in self._refused:
                try:
                    self._parsed[key] = parse_date(text, end_date=end_date)
                except DateFormError:
                    self._refused.add(key)
                    return None
            elif key in self._refused:
                return None
        return days.scatter(others, per_value(texts, lambda text: self._parsed[(text, end_date)], pl.Date))
