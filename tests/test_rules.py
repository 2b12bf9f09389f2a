"""The rule files: they validate, every rule cites its source, the validator catches what a rule
author gets wrong, rule ids are listed as the contract says, and docs/coverage.md is current."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from compliance_audit.rulesdoc import coverage_markdown
from compliance_audit.ruleset.catalogue import CatalogueLibrary
from compliance_audit.ruleset.loader import bundled_rules_directory, load_rulebook
from tests.helpers import REPO, run_cli


def test_bundled_rules_validate() -> None:
    result = run_cli("rules", "validate")
    assert result.exit_code == 0, result.stderr
    assert "均有效" in result.output


def test_rules_list_json_references_article_20_items_and_other_articles() -> None:
    result = run_cli("rules", "list", "--format", "json")
    rules = json.loads(result.output)
    assert set(rules[0]) == {"id", "title", "severity", "refs"}
    ogi = [ref for rule in rules for ref in rule["refs"] if ref["source"] == "ogi-2019"]
    items_of_20 = {ref["item"] for ref in ogi if ref["article"] == 20 and ref["item"] is not None}
    assert items_of_20 == set(range(1, 16))
    assert {12, 21, 26, 49, 50} <= {ref["article"] for ref in ogi}


def test_every_rule_has_refs_rationale_fix_and_a_known_confidence() -> None:
    book = load_rulebook()
    for rule in book.rules:
        assert rule.refs and rule.rationale and rule.fix, rule.id
        assert all(ref.source in book.sources for ref in rule.refs), rule.id
        if rule.confidence == "local-practice":
            assert rule.severity != "error", rule.id


def test_rules_show_prints_chinese_text_with_references() -> None:
    result = run_cli("rules", "show", "ogi-26-timeliness")
    assert result.exit_code == 0
    assert "自形成或变更之日起20个工作日内公开" in result.output and "《条例》第二十六条" in result.output
    data = json.loads(run_cli("rules", "show", "ogi-26-timeliness", "--format", "json").output)
    assert data["deadline"]["working_days"] == 20
    assert data["refs"][0]["label"] == "《条例》第二十六条"
    missing = run_cli("rules", "show", "no-such-rule")
    assert missing.exit_code == 2


@pytest.fixture
def rules_copy(tmp_path: Path) -> Path:
    with bundled_rules_directory() as bundled:
        shutil.copytree(bundled, tmp_path / "rules", ignore=shutil.ignore_patterns("cases"))
    return tmp_path / "rules"


def _append_rule(directory: Path, text: str) -> None:
    path = directory / "ogi-2019.yaml"
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


DUPLICATE = """
  - id: ogi-26-timeliness
    title: 重复的规则
    check: late
    severity: error
    confidence: verified
    refs: [{source: ogi-2019, article: 26}]
    rationale: 重复
    fix: 无
"""

DANGLING = """
  - id: ogi-99-invented
    title: 引用不存在来源的规则
    check: requirement
    severity: error
    confidence: verified
    refs: [{source: no-such-source, article: 1}]
    rationale: 测试
    applies: {functions: [no-such-function]}
    match: {title: {any: [测试]}}
    fix: 无
"""


def test_validate_catches_duplicate_ids(rules_copy: Path) -> None:
    _append_rule(rules_copy, DUPLICATE)
    result = run_cli("rules", "validate", rules_copy)
    assert result.exit_code == 2
    assert "规则编号 ogi-26-timeliness 与 ogi-2019.yaml 中的重复" in result.stderr


def test_validate_catches_dangling_references(rules_copy: Path) -> None:
    _append_rule(rules_copy, DANGLING)
    result = run_cli("rules", "validate", rules_copy)
    assert result.exit_code == 2
    assert "未定义的来源 no-such-source" in result.stderr
    assert "未定义的职能 no-such-function" in result.stderr


def test_validate_catches_schema_errors_with_their_line(rules_copy: Path) -> None:
    _append_rule(
        rules_copy, DUPLICATE.replace("severity: error", "severity: fatal").replace("ogi-26", "ogi-98")
    )
    result = run_cli("rules", "validate", rules_copy)
    assert result.exit_code == 2
    assert "ogi-2019.yaml" in result.stderr and "fatal" in result.stderr and "第 " in result.stderr


def test_local_practice_rules_cannot_be_errors(rules_copy: Path) -> None:
    path = rules_copy / "web-2019.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace(
            "severity: warning\n    confidence: local-practice",
            "severity: error\n    confidence: local-practice",
        ),
        encoding="utf-8",
    )
    result = run_cli("rules", "validate", rules_copy)
    assert result.exit_code == 2 and "最高只能是 warning" in result.stderr


def test_coverage_page_is_current() -> None:
    expected = coverage_markdown(load_rulebook(), CatalogueLibrary.bundled())
    assert (REPO / "docs" / "coverage.md").read_text(encoding="utf-8") == expected, (
        "docs/coverage.md is out of date: run `compliance-audit rules coverage -o docs/coverage.md`"
    )


def test_coverage_page_lists_every_article_of_the_regulation() -> None:
    page = (REPO / "docs" / "coverage.md").read_text(encoding="utf-8")
    for article in ("第三条", "第十二条", "第二十条第（十五）项", "第二十六条", "第四十九条", "第五十六条"):
        assert f"《条例》{article}" in page


def test_rules_show_prints_a_profile_with_the_legal_basis_of_each_function() -> None:
    result = run_cli("rules", "show", "county-justice-bureau")
    assert result.exit_code == 0, result.output
    assert "《律师法》第五十五条" in result.output and "《预算法》第十四条" in result.output
    data = json.loads(run_cli("rules", "show", "county-justice-bureau", "--format", "json").output)
    assert set(data["functions"]) == {"budget", "penalty", "enforcement", "public-services"}
    assert data["basis"]["penalty"]["refs"][0]["label"] == "《律师法》第五十五条"


def test_every_profile_function_has_its_own_legal_source(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    with bundled_rules_directory() as bundled:
        shutil.copytree(bundled, rules, ignore=shutil.ignore_patterns("cases"))
    profiles = rules / "profiles.yaml"
    text = profiles.read_text(encoding="utf-8")
    profiles.write_text(text.replace("functions: [budget, penalty, enforcement, public-services]",
                                     "functions: [budget, penalty, enforcement, public-services, fees]", 1),
                        encoding="utf-8")  # fmt: skip
    result = run_cli("rules", "validate", rules)
    assert result.exit_code == 2
    assert "county-justice-bureau 的职能 fees 没有写明依据" in result.stderr
