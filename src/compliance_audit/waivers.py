"""Waivers: findings and requirements a bureau has accepted, with the reason and until when.

A waiver names a rule, and optionally one finding (fingerprint) or one item (索引号 or title); a
waiver with only a rule waives the whole requirement or check. An expired waiver has no effect and
the report says so, as it does for a waiver that matched nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from compliance_audit.dates import DateFormError, parse_date
from compliance_audit.errors import InputError
from compliance_audit.findings import Finding
from compliance_audit.schemas import validate_document
from compliance_audit.yamlsafe import load_yaml_document


@dataclass(frozen=True)
class Waiver:
    rule: str
    reason: str
    fingerprint: str = ""
    item: str = ""
    until: date | None = None
    line: int | None = None

    @property
    def whole_rule(self) -> bool:
        return not self.fingerprint and not self.item

    def covers(self, finding: Finding) -> bool:
        if finding.rule != self.rule:
            return False
        if self.fingerprint and finding.fingerprint != self.fingerprint:
            return False
        if self.item:
            item = finding.item
            return item is not None and self.item in (item.index_no, item.title)
        return True

    def describe(self) -> str:
        target = self.fingerprint or self.item or "整条规则"
        return f"{self.rule}（{target}）"


def load_waivers(path: Path) -> list[Waiver]:
    document = load_yaml_document(path)
    validate_document(document.data, "waivers", path, document)
    waivers = []
    for position, data in enumerate(document.data["waivers"]):
        until = data.get("until")
        try:
            until_day = parse_date(until, end_date=True) if until else None
        except DateFormError as error:
            raise InputError(
                str(error),
                file=path,
                location=f"第 {document.line('waivers', position)} 行",
                field="until",
            ) from None
        waivers.append(
            Waiver(
                rule=data["rule"],
                reason=data["reason"],
                fingerprint=data.get("fingerprint", ""),
                item=data.get("item", ""),
                until=until_day,
                line=document.line("waivers", position),
            )
        )
    return waivers
