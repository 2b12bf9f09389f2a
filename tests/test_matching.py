"""Matching items to requirements on real titles: normalisation, the order of evidence (tags,
then column/topic, then title), exclusions, elements, and explanations."""

from __future__ import annotations

import json
from datetime import date

from compliance_audit.inventory.model import Bureau, Column, Item
from compliance_audit.inventory.table import ItemTable
from compliance_audit.matching.explain import explain_lines, explanation
from compliance_audit.matching.matcher import Matcher, Target
from compliance_audit.ruleset.model import Element, MatchSpec, Rule, TitleMatch
from compliance_audit.textnorm import normalise, title_year
from tests.helpers import EXAMPLE, run_cli

BUREAU = Bureau(name="秦州区司法局", columns=(Column("政府信息公开年报", "report"),))


def _rule(rule_id: str, match: MatchSpec | None = None, elements: tuple[Element, ...] = ()) -> Rule:
    return Rule(
        id=rule_id,
        title=rule_id,
        check="requirement",
        severity="error",
        confidence="verified",
        refs=(),
        rationale="",
        fix="",
        ruleset="test",
        match=match,
        elements=elements,
    )


def _item(title: str, **fields: object) -> Item:
    return Item(row=1, title=title, published=date(2021, 1, 20), **fields)  # type: ignore[arg-type]


REPORT = _rule(
    "annual-report",
    MatchSpec(
        column_kinds=("report",),
        title=TitleMatch(any=("政府信息公开工作年度报告", "信息公开年报"), exclude=("解读", "格式")),
    ),
)


def test_normalise_full_width_brackets_spaces_case() -> None:
    assert normalise("秦司发〔２０２１〕１２号　关于 印发【办法】") == "秦司发(2021)12号关于印发(办法)"
    assert normalise("ＡＢＣ Ｄ") == "abcd"
    assert title_year("秦州区司法局2020年度政府信息公开工作年度报告") == 2020


def test_title_keywords_match_across_width_and_spacing() -> None:
    items = [
        _item("秦州区司法局2020年度政府信息公开工作 年度报告"),
        _item("关于２０２０年度 信息公开年报 的说明"),
    ]
    table = Matcher([REPORT], BUREAU).match(ItemTable.of(items))
    assert [index for index, _ in table.items_of(Target("annual-report"))] == [0, 1]


def test_exclusion_vetoes_title_and_column_evidence() -> None:
    items = [
        _item("《2020年度政府信息公开工作年度报告》解读"),
        _item("关于2020年度报告格式的说明", column="政府信息公开年报"),
        _item("秦州区司法局2020年度报告", column="政府信息公开年报"),
    ]
    table = Matcher([REPORT], BUREAU).match(ItemTable.of(items))
    matched = table.items_of(Target("annual-report"))
    assert [index for index, _ in matched] == [2]
    assert matched[0][1].describe() == "栏目类型 report"


def test_tags_win_and_nothing_is_guessed_for_a_tagged_item() -> None:
    items = [
        _item("秦州区司法局2020年度政府信息公开工作年度报告", tags=("other-rule",)),
        _item("“宪法进万家”书法作品展", tags=("annual-report",)),
        _item("一条信息", tags=("no-such-rule",)),
    ]
    table = Matcher([REPORT, _rule("other-rule")], BUREAU).match(ItemTable.of(items))
    assert [index for index, _ in table.items_of(Target("annual-report"))] == [1]
    assert [index for index, _ in table.items_of(Target("other-rule"))] == [0]
    assert table.unknown_tags == [(2, "no-such-rule")]


def test_elements_match_separately_and_can_be_tagged() -> None:
    row = _rule(
        "legal-aid",
        elements=(
            Element("给予法律援助决定书", MatchSpec(title=TitleMatch(any=("给予法律援助决定",)))),
            Element("不予法律援助决定书", MatchSpec(title=TitleMatch(any=("不予法律援助决定",)))),
            Element("指派通知书", MatchSpec(title=TitleMatch(any=("指派通知书",)))),
        ),
    )
    items = [
        _item("给予法律援助决定书（秦法援决字〔2021〕3号）"),
        _item("法律援助案件承办通知", tags=("legal-aid#3",)),
    ]
    table = Matcher([row], BUREAU).match(ItemTable.of(items))
    assert [i for i, _ in table.items_of(Target("legal-aid", 0))] == [0]
    assert table.items_of(Target("legal-aid", 1)) == []
    assert [i for i, _ in table.items_of(Target("legal-aid", 2))] == [1]
    assert table.item_indexes_of_rule(row) == [0, 1]


def test_a_rule_with_no_keywords_in_any_title_matches_nothing() -> None:
    table = Matcher([REPORT], BUREAU).match(ItemTable.of([_item("秦州区司法局领导信息")]))
    assert table.targets_of_key(int(table.keys[0])) == []
    assert table.item_indexes_of_rule(REPORT) == []


def test_explain_lists_matches_and_near_misses_with_reasons() -> None:
    service = _rule(
        "public-services",
        MatchSpec(title=TitleMatch(any=("公共法律服务", "法律援助"), exclude=("培训",))),
    )
    items = [
        _item("秦州区公共法律服务中心服务指南"),
        _item("法援中心办事指南"),
        _item("法律援助志愿者培训通知"),
        _item("秦州区司法局领导信息"),
    ]
    matcher = Matcher([service], BUREAU)
    lines = explain_lines(
        explanation(service, ItemTable.of(items), matcher, matcher.match(ItemTable.of(items)))
    )
    text = "\n".join(lines)
    assert "✓ 第1行 秦州区公共法律服务中心服务指南 —— 整体：标题含“公共法律服务”" in text
    assert "✗ 第1行 法律援助志愿者培训通知 —— 标题含排除词“培训”" in text
    assert "✗ 第1行 法援中心办事指南 —— 标题不含“公共法律服务”“法律援助”中任何一个" in text
    assert "领导信息" not in text

    tagged = [_item("秦州区公共法律服务中心服务指南", tags=("other-rule",))]
    other = _rule("other-rule")
    matcher = Matcher([service, other], BUREAU)
    lines = explain_lines(
        explanation(service, ItemTable.of(tagged), matcher, matcher.match(ItemTable.of(tagged)))
    )
    assert "✗ 第1行 秦州区公共法律服务中心服务指南 —— 标题符合，但该条标注了其他要求的标签" in "\n".join(
        lines
    )
    assert "tags" in text


def test_audit_explain_on_the_example() -> None:
    result = run_cli("audit", EXAMPLE, "--as-of", "2021-03-10", "--explain", "ogi-21-county-public-services")
    assert result.exit_code == 0
    assert "秦州区公共法律服务中心服务指南" in result.output
    assert "✗" in result.output and "法援中心办事指南" in result.output
    unknown = run_cli("audit", EXAMPLE, "--explain", "no-such-rule")
    assert unknown.exit_code == 2 and "没有编号为 no-such-rule" in unknown.stderr


def test_explain_gives_json_with_format_json() -> None:
    result = run_cli(
        "audit", EXAMPLE, "--as-of", "2021-03-10", "--explain", "moj-plsd-2019:N1", "--format", "json"
    )
    assert result.exit_code == 0, result.stderr
    (data,) = json.loads(result.output)
    assert data["rule"] == "moj-plsd-2019:N1" and data["matches_items"] is True
    targets = {condition["target"] for condition in data["matching"]}
    assert "要素“法律法规资讯”" in targets
    assert all({"row", "index_no", "title", "target", "evidence"} <= set(match) for match in data["matched"])
    assert data["matched"], "the example publishes 法律知识普及 items"
    refused = run_cli("audit", EXAMPLE, "--explain", "moj-plsd-2019:N1", "--format", "sarif")
    assert refused.exit_code == 2 and "--explain 只输出文字或 JSON" in refused.stderr
