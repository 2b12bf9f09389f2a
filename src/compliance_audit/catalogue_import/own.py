"""The catalogue a bureau is really held to: its own 标准目录, where it published it.

Counties publish their own 基层政务公开标准目录 on their portal, as an item of their catalogue
("…公共法律服务领域基层政务公开标准目录") whose page, or body, holds the table. When the inventory
or the saved portal has such an item, the audit imports its table and judges the bureau against
it: it is the list the bureau itself declared it publishes. The report says which catalogue was
used and why; when no table can be read it falls back to the bundled catalogue and says so.
`--catalogue` still decides when given.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from compliance_audit.errors import InputError
from compliance_audit.ruleset.catalogue import Catalogue, CatalogueLibrary, load_catalogue

if TYPE_CHECKING:
    from compliance_audit.catalogue_import.grid import Table
    from compliance_audit.harvest import PageRecord
    from compliance_audit.inventory.model import Inventory

_NAMED = "标准目录"
_NOT_THE_TABLE = ("解读", "图解", "政策问答")


@dataclass(frozen=True)
class Candidate:
    """An item titled like the bureau's standard catalogue, and how to read its tables."""

    title: str
    where: str  # 清单第 12 行 / 网站镜像中的 www.x.gov.cn/…/t2021.html
    published: date | None
    read: Callable[[], tuple[list[Table], bytes]]  # the tables and the bytes they were read from


@dataclass
class PortalPages:
    """While a saved portal is harvested (harvest's on_page), the pages titled like a standard
    catalogue: their tables are read from the saved page itself."""

    mirror: Path
    found: list[Candidate] = field(default_factory=list)

    def see(self, relative: str, record: PageRecord) -> None:
        item = record.item
        if item is None or _NAMED not in item.title:
            return
        page = self.mirror / relative

        def read() -> tuple[list[Table], bytes]:
            from compliance_audit.catalogue_import.readers import read_html

            return read_html(page), page.read_bytes()

        self.found.append(Candidate(item.title, f"网站镜像中的 {relative}", item.published, read))


def choose_catalogue(
    reference: str | None,
    inventory: Inventory,
    library: CatalogueLibrary,
    portal: PortalPages | None = None,
) -> Catalogue | None:
    """The catalogue to audit the bureau against, with the reason in its selection: --catalogue
    when given; else the bureau's own catalogue found in the inventory or the saved portal; else
    the bundled one of its sector and region."""
    if reference is not None:
        chosen = load_catalogue(reference, library)
        return replace(
            chosen, selection=(f"标准目录：按 --catalogue 指定，使用《{chosen.title}》（{chosen.id}）",)
        )
    bureau = inventory.bureau
    bundled = library.select(bureau)
    if bundled is None:
        return None
    subject = library.field_of(bureau.sector) or ""
    candidates = [
        candidate
        # a saved portal's items are its pages: the table is read from the page, not from a body
        for candidate in (portal.found if portal else _in_inventory(inventory))
        if subject in candidate.title and not any(word in candidate.title for word in _NOT_THE_TABLE)
    ]
    candidates.sort(key=lambda candidate: candidate.published or date.min, reverse=True)
    failures: list[str] = []
    for candidate in candidates:
        own = _imported(candidate, inventory, library, failures)
        if own is not None:
            return own
    fallback = f"标准目录：按领域（{bureau.sector}）和地区选用内置的《{bundled.title}》（{bundled.id}）"
    if failures:
        fallback += (
            "。找到本机关公布的标准目录，但读不出可用的表格：" + "；".join(failures) + "。可将该目录另存为 "
            ".html、.xlsx、.csv 或 .docx，用 catalogue import 导入后以 --catalogue 指定"
        )
    else:
        fallback += f"；清单中未见本机关公布的{subject}领域标准目录"
    return replace(bundled, selection=(fallback,))


def _in_inventory(inventory: Inventory) -> list[Candidate]:
    found = []
    table = inventory.table
    named = table.frame["title"].str.contains(_NAMED, literal=True)
    for item in table.items_at(named.arg_true().to_list()):
        body = item.body

        def read(body: str = body, row: int = item.row) -> tuple[list[Table], bytes]:
            from compliance_audit.catalogue_import.text import read_text_tables

            return read_text_tables(body, f"清单第 {row} 行的正文"), body.encode("utf-8")

        found.append(Candidate(item.title, f"清单第 {item.row} 行", item.published, read))
    return found


def _imported(
    candidate: Candidate, inventory: Inventory, library: CatalogueLibrary, failures: list[str]
) -> Catalogue | None:
    from compliance_audit.catalogue_import import Origin, catalogue_id_for, import_tables

    described = f"{candidate.where}“{candidate.title}”"
    bureau = inventory.bureau
    try:
        tables, raw = candidate.read()
        result = import_tables(
            tables,
            Origin(described, hashlib.sha256(raw).hexdigest()),
            catalogue_id=catalogue_id_for(candidate.title),
            title=candidate.title,
            sector=bureau.sector,
            region=bureau.region or None,
        )
    except InputError as error:
        failures.append(f"{described}：{error.message.removeprefix(described + '：')}")
        return None
    rows = result.document["rows"]
    if not any(row["mode"] == "主动" for row in rows):
        failures.append(f"{described}：读出 {len(rows)} 行，但没有一行的“主动公开”勾选可读")
        return None
    catalogue_id = library.add_document(result.document, described, hashlib.sha256(raw).hexdigest())
    catalogue = library.resolve(catalogue_id)
    selection = (
        f"标准目录：使用本机关公布的《{candidate.title}》（{described}，导入 {len(rows)} 行，编号 "
        f"{catalogue_id}）。本机关公布的目录是其实际适用的标准目录，故以之为准；用 --catalogue 可另行指定"
    )
    return replace(catalogue, selection=(selection, *_shown(result.warnings)))


def _shown(warnings: Sequence[str]) -> list[str]:
    return [f"导入本机关目录的提示：{warning}" for warning in warnings]
