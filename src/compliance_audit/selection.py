"""--select / --ignore: which rules a report covers, by rule id or id prefix (as ruff does).

Every rule is still judged (some judgements read others: the general deadline, the catalogue's
coverage); the report then covers only the chosen rules, and the score is over their requirements.
A pattern that names no rule is a typing mistake and is bad input, not a silent no-op.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from compliance_audit.errors import InputError


@dataclass(frozen=True)
class RuleSelection:
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()

    @property
    def everything(self) -> bool:
        return not self.select and not self.ignore

    def chosen(self, rule_id: str) -> bool:
        if self.select and not any(_names(pattern, rule_id) for pattern in self.select):
            return False
        return not any(_names(pattern, rule_id) for pattern in self.ignore)

    def check(self, rule_ids: Collection[str]) -> None:
        for option, patterns in (("--select", self.select), ("--ignore", self.ignore)):
            for pattern in patterns:
                if not any(_names(pattern, rule_id) for rule_id in rule_ids):
                    raise InputError(
                        f"“{pattern}”不是任何规则的编号或编号开头",
                        field=option,
                        expected="rules list 列出的编号或其开头，如 ogi-20、catalogue-、moj-plsd-2019:",
                    )

    def describe(self, left_out: int) -> str:
        parts = []
        if self.select:
            parts.append("--select " + ",".join(self.select))
        if self.ignore:
            parts.append("--ignore " + ",".join(self.ignore))
        return (
            f"只报告选中的规则（{'；'.join(parts)}）：其余 {left_out} 条规则的结果不在本报告中，也不计入得分"
        )


EVERY_RULE = RuleSelection()


def _names(pattern: str, rule_id: str) -> bool:
    return rule_id.startswith(pattern)


def parse_patterns(values: Collection[str]) -> tuple[str, ...]:
    """Patterns given as repeated options or comma-separated lists (ogi-20,catalogue-)."""
    return tuple(
        part.strip() for value in values for part in value.replace("，", ",").split(",") if part.strip()
    )
