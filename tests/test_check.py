"""check: drafts judged before publication by the audit's own rules, per draft, from files or from
standard input, against the published inventory where a draft alone cannot tell."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from compliance_audit.cli import main
from tests.helpers import EXAMPLE, assert_valid_report, run_cli

DRAFT_WITH_PROBLEMS = """\
items:
  - index_no: 20230618-164605-503
    title: 秦州区司法局召开法律援助工作推进会
    topic: 法律援助
    publisher: 天水市秦州区司法局
    formed: 2021-03-02
    summary: 部署2021年法律援助工作。
  - index_no: 11620502MB1234567A/2021-00040
    title: 2021年第一季度法律援助案件受援人公示
    topic: 法律援助
    publisher: 天水市秦州区司法局
    formed: 2021-03-03
    summary: 公示第一季度受援人。
    body: 受援人李某，身份证号620502198001010019，案由劳动争议。
"""

CLEAN_DRAFT = """\
items:
  - index_no: 11620502MB1234567A/2021-00041
    title: 秦州区司法局开展“法律进社区”宣传活动
    topic: 普法依法治理
    publisher: 天水市秦州区司法局
    formed: 2021-03-04
    summary: 在东关街道开展法律宣传。
    body: 3月4日，区司法局在东关街道开展法律宣传，发放资料300余份。
"""


def _check(*args: str | Path, stdin: str | None = None) -> tuple[int, dict[str, Any], str]:
    runner = CliRunner()
    result = runner.invoke(
        main,
        ["check", *[str(arg) for arg in args], "--as-of", "2021-03-10", "--format", "json"],
        input=stdin,
        catch_exceptions=False,
    )
    data: dict[str, Any] = json.loads(result.output) if result.exit_code in (0, 1) else {}
    return result.exit_code, data, result.stderr


def test_drafts_are_judged_against_the_published_inventory_and_reported_per_draft(tmp_path: Path) -> None:
    problems = tmp_path / "草稿1.yaml"
    problems.write_text(DRAFT_WITH_PROBLEMS, encoding="utf-8")
    clean = tmp_path / "草稿2.yaml"
    clean.write_text(CLEAN_DRAFT, encoding="utf-8")
    code, report, _ = _check(problems, clean, "--inventory", EXAMPLE)
    assert code == 1
    assert_valid_report(report)
    rules = {f["rule"]: f for f in report["findings"]}
    duplicate = rules["catalogue-index-unique"]  # the 索引号 is already used by a published item
    assert duplicate["item"]["file"] == str(problems) and duplicate["item"]["row"] == 2
    assert "与“秦州区司法局组织学习《行政处罚法》修订内容”重复" in duplicate["message"]
    assert rules["ogi-15-id-number"]["item"]["file"] == str(problems)
    assert "6205**********0019" in rules["ogi-15-id-number"]["message"]
    # the index's date (2023-06-18) contradicts the day it would go live
    assert "catalogue-index-format" in rules
    drafts = {d["file"]: d for d in report["drafts"]}
    assert drafts[str(problems)]["errors"] == 2 and drafts[str(clean)] == {
        "file": str(clean),
        "items": 1,
        "errors": 0,
        "warnings": 0,
        "infos": 0,
    }
    assert report["requirements"] == []  # what the site lacks is the audit's business, not a draft's
    # the same judge: the leak has the fingerprint an audit gives it
    code, clean_only, _ = _check(clean, "--inventory", EXAMPLE)
    assert code == 0 and clean_only["findings"] == []


def test_without_the_published_inventory_uniqueness_is_within_the_batch(tmp_path: Path) -> None:
    first = tmp_path / "a.yaml"
    first.write_text(
        "bureau: {name: 天水市秦州区司法局, level: county, sector: justice}\n" + CLEAN_DRAFT, encoding="utf-8"
    )
    code, report, _ = _check(first)
    assert code == 0
    assert any("未给出已公开清单" in notice for notice in report["notices"])
    second = tmp_path / "b.yaml"
    second.write_text(CLEAN_DRAFT.replace("“法律进社区”宣传活动", "“法律进乡村”宣传活动"), encoding="utf-8")
    code, _, stderr = _check(first, second)
    assert code == 2 and "b.yaml" in stderr and "缺少公开主体名称" in stderr
    code, report, _ = _check(first, second, "--bureau-name", "天水市秦州区司法局")
    assert code == 1
    (duplicate,) = [f for f in report["findings"] if f["rule"] == "catalogue-index-unique"]
    assert duplicate["item"]["title"] == "秦州区司法局开展“法律进社区”宣传活动"  # same day: by title


def test_drafts_from_standard_input_in_each_format(tmp_path: Path) -> None:
    code, report, _ = _check("-", "--inventory", EXAMPLE, stdin=DRAFT_WITH_PROBLEMS)
    assert code == 1 and report["drafts"][0]["file"] == "-"
    assert {f["item"]["file"] for f in report["findings"] if f["item"]} == {"-"}
    jsonl = (
        '{"name": "天水市秦州区司法局", "level": "county", "sector": "justice"}\n'
        '{"index_no": "11620502MB1234567A/2021-00042", "title": "秦州区司法局开展宪法宣传周活动", '
        '"topic": "普法依法治理", "publisher": "天水市秦州区司法局", "formed": "2021-03-01", '
        '"summary": "宪法宣传。", "body": "联系人王某，电话13912345678。"}\n'
    )
    code, report, _ = _check("-", "--stdin-format", "jsonl", stdin=jsonl)
    assert code == 0  # a mobile number beside a name is a warning
    assert [f["rule"] for f in report["findings"]] == ["ogi-15-mobile-number"]
    csv_text = (
        "索引号,标题,成文日期,内容概述\n"
        "11620502MB1234567A/2021-00050,秦州区司法局2021年普法工作要点,2021-03-01,\n"
    )
    code, report, _ = _check("-", "--stdin-format", "csv", "--inventory", EXAMPLE, stdin=csv_text)
    assert code == 1
    empty = next(f for f in report["findings"] if f["rule"] == "ogi-12-catalogue-fields")
    assert empty["message"] == "缺少内容概述" and empty["items"][0]["file"] == "-"
    code, _, stderr = _check("-", stdin="items:\n  - {title: 秦州区司法局通知, formed: 2021-03-01}\n")
    assert (
        code == 2
        and "标准输入（yaml）" in stderr
        and "缺少公开主体名称" in stderr
        and "--inventory" in stderr
    )
    bad_date = "bureau: {name: 秦州区司法局}\nitems:\n  - {title: 秦州区司法局通知, formed: 2021-13-01}\n"
    code, _, stderr = _check("-", stdin=bad_date)
    assert code == 2 and "标准输入（yaml），第 3 行" in stderr and "“2021-13-01”不是存在的日期" in stderr


def test_a_policy_document_needs_its_interpretation_in_the_batch_or_published(tmp_path: Path) -> None:
    document = tmp_path / "文件.yaml"
    document.write_text(
        "bureau: {name: 天水市秦州区司法局, level: county, sector: justice,"
        " functions: [normative-documents]}\n"
        "items:\n"
        "  - index_no: 11620502MB1234567A/2021-00060\n"
        "    title: 秦州区司法局关于印发《秦州区人民调解以奖代补管理办法》的通知\n"
        "    column: 政策文件\n    doc_no: 秦司发〔2021〕4号\n    validity: 现行有效\n"
        "    formed: 2021-03-05\n    summary: 印发人民调解以奖代补管理办法。\n",
        encoding="utf-8",
    )
    code, report, _ = _check(document)
    pairing = [f for f in report["findings"] if f["rule"] == "interpretation-with-policy"]
    assert len(pairing) == 1 and "未见与《" in pairing[0]["message"]
    assert code == 0  # a warning: the draft may go out, and its interpretation follow the same day
    interpretation = tmp_path / "解读.yaml"
    interpretation.write_text(
        "items:\n"
        "  - index_no: 11620502MB1234567A/2021-00061\n"
        "    title: 《秦州区人民调解以奖代补管理办法》政策解读\n"
        "    formed: 2021-03-05\n    summary: 解读以奖代补管理办法。\n",
        encoding="utf-8",
    )
    _, report, _ = _check(document, interpretation, "--bureau-name", "天水市秦州区司法局")
    assert not [f for f in report["findings"] if f["rule"] == "interpretation-with-policy"]


def test_exit_codes_follow_fail_on(tmp_path: Path) -> None:
    draft = tmp_path / "草稿.yaml"
    draft.write_text(DRAFT_WITH_PROBLEMS, encoding="utf-8")
    assert run_cli("check", draft, "--inventory", EXAMPLE, "--as-of", "2021-03-10").exit_code == 1
    assert run_cli("check", draft, "--inventory", EXAMPLE, "--fail-on", "never").exit_code == 0
    result = run_cli("check", draft, "--inventory", EXAMPLE, "--as-of", "2021-03-10", "--format", "lines")
    assert f"{draft}:8: error ogi-15-id-number" in result.output
    table = run_cli("check", draft, "--inventory", EXAMPLE, "--as-of", "2021-03-10").output
    assert table.startswith("预发布检查：天水市秦州区司法局") and "【草稿】" in table and "未通过" in table
    assert run_cli("check", tmp_path / "没有.yaml").exit_code == 2
