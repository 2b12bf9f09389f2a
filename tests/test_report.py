"""The JSON report: exactly its shipped schema, reproducible, and saying what the issue asks of
the bundled example (the seed page late under 第二十六条 and defective for its empty 主题分类)."""

from __future__ import annotations

import json
from importlib.resources import files
from typing import Any

import jsonschema
import pytest

from tests.helpers import EXAMPLE, run_cli


@pytest.fixture(scope="module")
def report() -> dict[str, Any]:
    result = run_cli("audit", EXAMPLE, "--as-of", "2021-03-10", "--format", "json")
    assert result.exit_code == 1  # the example has errors, and --fail-on defaults to error
    data: dict[str, Any] = json.loads(result.output)
    return data


def test_report_validates_against_the_shipped_schema(report: dict[str, Any]) -> None:
    schema = json.loads(files("compliance_audit").joinpath("schemas/report.schema.json").read_text("utf-8"))
    jsonschema.Draft202012Validator(schema).validate(report)


def test_seed_item_is_late_under_article_26_and_defective_for_its_topic(report: dict[str, Any]) -> None:
    seed = [f for f in report["findings"] if f["item"] and f["item"]["index_no"] == "20230618-164604-828"]
    late = next(f for f in seed if f["kind"] == "late")
    assert late["rule"] == "ogi-26-timeliness"
    assert late["refs"] == [{"source": "ogi-2019", "article": 26, "item": None}]
    assert late["due"] == "2021-01-06"
    assert late["severity"] == "error"
    topic = next(f for f in seed if f["kind"] == "metadata" and f["element"] == "topic")
    assert topic["rule"] == "catalogue-topic" and topic["message"] == "缺少主题分类"


def test_every_kind_of_finding_and_state_appears(report: dict[str, Any]) -> None:
    kinds = {finding["kind"] for finding in report["findings"]}
    assert kinds == {
        "missing",
        "stale",
        "late",
        "metadata",
        "expired",
        "personal-data",
        "column-empty",
        "column-stale",
    }
    states = {requirement["status"] for requirement in report["requirements"]}
    assert {"satisfied", "partial", "missing", "stale", "not-applicable", "not-evaluated"} <= states


def test_element_level_gaps_of_a_catalogue_row(report: dict[str, Any]) -> None:
    # N1 lists its elements with 等: a missing example is noted, the row is met
    row = next(r for r in report["requirements"] if r["rule"] == "moj-plsd-2019:N1")
    assert row["status"] == "satisfied"
    assert {e["name"]: e["status"] for e in row["elements"]} == {
        "法律法规资讯": "satisfied",
        "普法动态资讯": "satisfied",
        "普法讲师团信息": "missing",
    }
    gap = next(f for f in report["findings"] if f["rule"] == "moj-plsd-2019:N1")
    assert gap["kind"] == "missing" and gap["element"] == "普法讲师团信息" and gap["item"] is None
    assert gap["severity"] == "info"


def test_summary_counts_agree_with_the_lists(report: dict[str, Any]) -> None:
    summary = report["summary"]
    states = [r["status"] for r in report["requirements"]]
    assert summary["requirements"] == sum(
        states.count(s) for s in ("satisfied", "partial", "missing", "stale")
    )
    assert summary["findings"] == len(report["findings"])
    assert summary["errors"] + summary["warnings"] + summary["infos"] == summary["findings"]
    assert 0 < summary["score"] < 100


def test_report_stamps_rule_files_calendar_and_version(report: dict[str, Any]) -> None:
    ids = [ruleset["id"] for ruleset in report["rulesets"]]
    assert "ogi-2019" in ids and "moj-plsd-2019" in ids
    assert all(len(ruleset["sha256"]) == 64 for ruleset in report["rulesets"])
    assert report["calendar"]["source"].startswith("chinesecalendar ")
    assert report["calendar"]["fallback_years"] == []
    assert report["tool"]["name"] == "compliance-audit"
    assert any("6/18" in notice for notice in report["notices"])


def test_identical_inputs_give_byte_identical_json() -> None:
    first = run_cli("audit", EXAMPLE, "--as-of", "2021-03-10", "--format", "json").output
    second = run_cli("audit", EXAMPLE, "--as-of", "2021-03-10", "--format", "json").output
    assert first == second


def test_fingerprints_are_unique_and_stable(report: dict[str, Any]) -> None:
    fingerprints = [finding["fingerprint"] for finding in report["findings"]]
    assert len(fingerprints) == len(set(fingerprints))
    again = json.loads(run_cli("audit", EXAMPLE, "--as-of", "2021-03-10", "--format", "json").output)
    assert [f["fingerprint"] for f in again["findings"]] == fingerprints


@pytest.mark.parametrize(("fail_on", "code"), [("error", 1), ("warning", 1), ("never", 0)])
def test_fail_on_sets_the_exit_code(fail_on: str, code: int) -> None:
    result = run_cli("audit", EXAMPLE, "--as-of", "2021-03-10", "--fail-on", fail_on)
    assert result.exit_code == code


def test_table_groups_findings_by_kind_in_chinese() -> None:
    output = run_cli("audit", EXAMPLE, "--as-of", "2021-03-10").output
    for heading in (
        "【缺失",
        "【未更新",
        "【逾期公开",
        "【元数据缺陷",
        "【已过有效期",
        "【个人信息",
        "【空白栏目",
        "【栏目不更新",
    ):
        assert heading in output
    assert "收录 6/18 项" in output
    assert "要求满足" in output and "得分" in output
    assert output.count("收录 6/18 项") == 1


def test_markdown_report_escapes_portal_text(tmp_path: Any) -> None:
    inventory = tmp_path / "清单.yaml"
    inventory.write_text(
        "bureau: {name: 秦州区司法局}\nitems:\n"
        "  - {title: '关于<script>alert(1)</script>|通知', published: 2021-03-01, formed: 2021-01-04}\n",
        encoding="utf-8",
    )
    output = run_cli("audit", inventory, "--as-of", "2021-03-10", "--format", "markdown").output
    assert "<script>" not in output
    assert "&lt;script&gt;" in output and "\\|通知" in output


def test_output_file_is_written_and_never_over_the_input(tmp_path: Any) -> None:
    target = tmp_path / "报告.json"
    result = run_cli("audit", EXAMPLE, "--as-of", "2021-03-10", "--format", "json", "-o", target)
    assert result.exit_code == 1 and result.output == ""
    assert json.loads(target.read_text("utf-8"))["bureau"]["name"] == "天水市秦州区司法局"
    copy = tmp_path / "清单.yaml"
    copy.write_bytes(EXAMPLE.read_bytes())
    result = run_cli("audit", copy, "--as-of", "2021-03-10", "-o", copy)
    assert result.exit_code == 2 and "不会覆盖输入" in result.stderr
    assert copy.read_bytes() == EXAMPLE.read_bytes()
