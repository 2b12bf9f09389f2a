"""A draft of table 二 (2021 format) from the inventory, where the inventory can support a figure.

Every figure says how it was counted and is a draft to confirm against the bureau's own records:
an inventory lists what was published, not what was decided (one published item may hold several
decisions, and a document may have been published elsewhere). Where the inventory cannot say
(documents repealed this year, 行政强制, fees), the cell is left for the bureau to fill.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from compliance_audit.inventory.model import Inventory, Item
from compliance_audit.matching.matcher import Matcher
from compliance_audit.ruleset.loader import RuleBook

NORMATIVE_RULE = "ogi-20-01-normative-documents"
DECISIONS_RULE = "enforcement-decisions-licensing-penalty"
TO_FILL = "待填"


@dataclass(frozen=True)
class DraftCell:
    block: str  # 第二十条第（一）项
    row: str
    column: str
    value: str  # a figure, or 待填
    basis: str  # how it was counted, or why it cannot be


def draft_table2(inventory: Inventory, book: RuleBook, year: int) -> list[DraftCell]:
    found = _matched(inventory, book, (NORMATIVE_RULE, DECISIONS_RULE))
    documents = found.get(NORMATIVE_RULE, [])
    issued = [item for item in documents if item.formed is not None and item.formed.year == year]
    undated = [item for item in documents if item.formed is None and item.published.year == year]
    end = date(year, 12, 31)
    in_force = [
        item
        for item in documents
        if (item.formed or item.published) <= end
        and item.validity == "有效"
        and (item.valid_until is None or item.valid_until >= end)
    ]
    unmarked = [item for item in documents if (item.formed or item.published) <= end and not item.validity]
    decisions = [item for item in found.get(DECISIONS_RULE, []) if item.published.year == year]
    licences = [item for item in decisions if "许可" in item.title]
    penalties = [item for item in decisions if "处罚" in item.title]
    first, fifth, sixth, eighth = (f"第二十条第（{n}）项" for n in ("一", "五", "六", "八"))
    rule_basis = "县级以下机关不制定规章" if inventory.bureau.level in ("county", "township") else ""
    issued_basis = f"清单中成文日期在 {year} 年的规范性文件"
    if undated:
        issued_basis += f"；另有 {len(undated)} 件未填成文日期、{year} 年发布，未计入，请核实"
    in_force_basis = f"清单中 {year} 年底前成文、有效性标为“有效”的规范性文件"
    if unmarked:
        in_force_basis += f"；另有 {len(unmarked)} 件未标注有效性，未计入"
    estimate = f"按清单中 {year} 年公开的{{}}信息条数估算，一条信息可能含多个决定，请按执法台账核定"
    return [
        DraftCell(first, "规章", "本年制发件数", "0" if rule_basis else TO_FILL, rule_basis),
        DraftCell(first, "规章", "本年废止件数", "0" if rule_basis else TO_FILL, rule_basis),
        DraftCell(first, "规章", "现行有效件数", "0" if rule_basis else TO_FILL, rule_basis),
        DraftCell(first, "行政规范性文件", "本年制发件数", str(len(issued)), issued_basis),
        DraftCell(
            first, "行政规范性文件", "本年废止件数", TO_FILL, "清单不记载废止日期，请按文件清理结果填写"
        ),
        DraftCell(first, "行政规范性文件", "现行有效件数", str(len(in_force)), in_force_basis),
        DraftCell(fifth, "行政许可", "本年处理决定数量", str(len(licences)), estimate.format("行政许可决定")),
        DraftCell(
            sixth, "行政处罚", "本年处理决定数量", str(len(penalties)), estimate.format("行政处罚决定")
        ),
        DraftCell(sixth, "行政强制", "本年处理决定数量", TO_FILL, "清单中无可识别行政强制决定的信息"),
        DraftCell(
            eighth, "行政事业性收费", "本年收费金额（单位：万元）", TO_FILL, "按财务数据填写，单位万元"
        ),
    ]


def _matched(inventory: Inventory, book: RuleBook, rule_ids: tuple[str, ...]) -> dict[str, list[Item]]:
    rules = [rule for rule in book.rules if rule.id in rule_ids]
    table = Matcher(rules, inventory.bureau).match(inventory.table)
    return {rule.id: inventory.table.items_at(table.item_indexes_of_rule(rule)) for rule in rules}
